#!/usr/bin/env python3
"""Count test cases in kunit.py's JSON output: prints 'passed failed skipped'."""
import json
import sys


def walk(group, counts):
    for case in group.get("test_cases", []):
        status = case.get("status", "FAIL")
        key = {"PASS": 0, "SKIP": 2}.get(status, 1)
        counts[key] += 1
    for sub in group.get("sub_groups", []):
        walk(sub, counts)


counts = [0, 0, 0]
with open(sys.argv[1]) as f:
    walk(json.load(f), counts)
print(*counts)
