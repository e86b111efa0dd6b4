#!/usr/bin/env bash
# Regenerate patches/ and the mirror from the commits on top of nlmon-base in
# the kernel tree. The cover letter's subject and blurb come from the branch
# description (`git branch --edit-description` in the kernel tree).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# What netdev expects of a series for net-next that asks for comments.
SUBJECT_PREFIX=${SUBJECT_PREFIX:-RFC PATCH net-next}

[ -z "$(git -C "$KTREE" status --porcelain -uno)" ] ||
	die "$KTREE has uncommitted changes: commit them there first"
n=$(git -C "$KTREE" rev-list --count nlmon-base..HEAD)
rm -f "$REPO"/patches/*.patch
mkdir -p "$REPO/patches"
if [ "$n" -gt 0 ]; then
	git -C "$KTREE" format-patch -q --cover-letter --cover-from-description=subject \
		--subject-prefix="$SUBJECT_PREFIX" --thread=shallow --base=nlmon-base --no-signature \
		--zero-commit -o "$REPO/patches" nlmon-base..HEAD
fi
"$HARNESS/mirror.sh" update
# The tree now holds exactly patches/: record that, so it is not re-applied.
hash=$(series_hash)
echo "$hash $(git -C "$KTREE" rev-parse HEAD)" >"$KTREE/.git/nlmon-applied"
ok "exported $n patches to patches/"
