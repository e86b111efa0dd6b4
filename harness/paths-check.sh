#!/usr/bin/env bash
# The VM stages from a checkout anywhere: copies of this checkout (its
# files as they are now) under /var/tmp, which vng hides in the guest, and
# in a directory whose name has a space, which vng cannot pass on quoted;
# each boots the VM kernel through its own vm-run.sh and runs a script of
# its own, which must find itself, read the checkout and write to out/ at
# the copy's own path. Writes "passed failed skipped" to
# $RESULTS/paths.counts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = --guest ]; then
	# In the guest, from the copy: what the other VM scripts rely on.
	[ "$PWD" = "$REPO" ] && [ -f harness/lib.sh ] && [ -f "$REPO/patches/0000-cover-letter.patch" ] &&
		echo "$REPO" >"$2"
	exit
fi

places=("/var/tmp/nlmon-rs-paths.XXXXXX" "/tmp/nlmon-rs paths.XXXXXX")
passed=0 failed=0 copies=()
trap 'rm -rf "${copies[@]}"' EXIT
for place in "${places[@]}"; do
	top=$(mktemp -d "$place") || die "cannot make a directory like $place"
	copies+=("$top")
	copy=$top/checkout
	mkdir -p "$copy"
	# The files as they are now: tracked (less any deleted) and new ones.
	(cd "$REPO" && git ls-files -z -c -o --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"; done |
		xargs -0 cp -P --parents -t "$copy") ||
		die "cannot copy the checkout to $copy"
	step "a guest script from a copy in '$copy'"
	probe=$copy/out/probe
	if (cd "$copy" && VM_TIMEOUT=300 harness/vm-run.sh harness/paths-check.sh --guest "$probe") &&
		[ "$(cat "$probe" 2>/dev/null)" = "$copy" ]; then
		ok "the guest ran the copy's script at '$copy' and wrote its out/"
		passed=$((passed + 1))
	else
		printf '%s[FAIL]%s the guest did not run the copy at %s\n' "$R" "$N" "$copy"
		failed=$((failed + 1))
	fi
done
mkdir -p "$RESULTS"
echo "$passed $failed 0" >"$RESULTS/paths.counts"
[ "$failed" = 0 ]
