#!/usr/bin/env bash
# The README's ways to apply the series ("Applying the series to your
# tree"), each run exactly as written, from a clean worktree of the base
# with the series' directories beside it: each must end with the tree as
# `make tree` applied it. Writes "passed failed skipped" to
# $RESULTS/apply.counts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mkdir -p "$RESULTS"
want=$(git -C "$KTREE" rev-parse "HEAD^{tree}")
# The code blocks of the section, one command block per entry (NUL-separated).
blocks=$(awk '
	/^## Applying the series/ { f = 1; next }
	/^## / { f = 0 }
	!f { next }
	/^    / { sub(/^    /, ""); b = b $0 "\n"; next }
	/^$/ { next }
	{ if (b != "") { printf "%s%c", b, 0; b = "" } }
	END { if (b != "") printf "%s%c", b, 0 }' "$REPO/README.md" | tr '\0' '\036')
passed=0 failed=0 n=0
IFS=$'\036' read -r -d '' -a cmds <<<"$blocks" || true
for cmd in "${cmds[@]}"; do
	[ -n "${cmd//[$'\n ']/}" ] || continue
	n=$((n + 1))
	wt=$CACHE/apply-$n
	# (A worktree that cannot be reset, say left locked by a killed git, is
	# made anew.)
	ktree_worktree "$wt" reset
	for d in "${SERIES[@]}"; do ln -s "$REPO/$d" "$wt/$d"; done
	step "apply $n: $(head -n 1 <<<"$cmd")"
	rc=0
	(cd "$wt" && GIT_COMMITTER_NAME=nlmon-rs GIT_COMMITTER_EMAIL=nlmon-rs@invalid \
		bash -euo pipefail -c "$cmd") >"$RESULTS/apply-$n.log" 2>&1 </dev/null || rc=$?
	for d in "${SERIES[@]}"; do rm -f "${wt:?}/$d"; done
	got=$(git -C "$wt" rev-parse "HEAD^{tree}")
	if [ "$rc" = 0 ] && [ "$got" = "$want" ]; then
		passed=$((passed + 1)); ok "apply $n gives the series' tree"
	else
		failed=$((failed + 1))
		tail -n 20 "$RESULTS/apply-$n.log" >&2
		warn "apply $n: exit $rc, tree $got, want $want"
	fi
done
[ "$n" -ge 2 ] || { failed=$((failed + 1)); warn "README: $n ways to apply found, want 2"; }
echo "$passed $failed 0" >"$RESULTS/apply.counts"
[ "$failed" = 0 ]
