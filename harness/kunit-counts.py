#!/usr/bin/env python3
"""Count test cases in kunit.py's JSON output: prints 'passed failed skipped'.
With --status CASE, prints the status of the case named CASE instead
(None if there is none)."""
import json
import sys


def cases(group):
    yield from group.get("test_cases", [])
    for sub in group.get("sub_groups", []):
        yield from cases(sub)


args = sys.argv[1:]
with open(args[-1]) as f:
    tree = json.load(f)
if args[0] == "--status":
    print(next((c.get("status") for c in cases(tree) if c.get("name") == args[1]), None))
else:
    counts = [0, 0, 0]
    for case in cases(tree):
        counts[{"PASS": 0, "SKIP": 2}.get(case.get("status", "FAIL"), 1)] += 1
    print(*counts)
