#!/usr/bin/env bash
# Prepare the kernel git tree in $KTREE: the base imported as one
# deterministic commit (tag nlmon-base), the series applied with git am:
# patches-direction/ (branch nlmon-direction), then patches/ on top
# (branch nlmon-rs, checked out). Does nothing when the tree already holds exactly
# the current series, so that builds stay incremental.
#
# KERNEL_SRC=DIR uses an existing kernel git checkout as the base instead
# of Debian's linux-source (the series goes onto a new branch there).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$HARNESS/base.conf"

BRANCH=nlmon-rs
STAMP=.git/nlmon-applied

import_debian_base() {
	local debdir=$CACHE/debs deb tarball got
	mkdir -p "$debdir"
	deb=$(ls "$debdir/${BASE_PACKAGE}_${BASE_VERSION//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		step "downloading $BASE_PACKAGE $BASE_VERSION"
		deb=$("$HARNESS/fetch-debian.sh" "$BASE_PACKAGE" "$BASE_VERSION" "$debdir")
	fi
	local ver
	ver=$(dpkg-deb -f "$deb" Version)
	tarball=$CACHE/$BASE_PACKAGE-$ver.tar.xz
	if [ ! -f "$tarball" ]; then
		dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards "*/$BASE_PACKAGE.tar.xz" >"$tarball.tmp"
		mv "$tarball.tmp" "$tarball"
	fi
	got=$(sha256sum "$tarball" | cut -d' ' -f1)
	if [ "$ver" = "$BASE_VERSION" ]; then
		if [ "$got" != "$BASE_TARBALL_SHA256" ]; then
			rm -f "$tarball" "$deb"
			die "SHA-256 mismatch for $BASE_PACKAGE $ver: expected $BASE_TARBALL_SHA256, got $got (download removed; run again)"
		fi
	else
		warn "=================================================================="
		warn "$BASE_PACKAGE $BASE_VERSION has left the archive: using $ver"
		warn "instead (SHA-256 $got, unverified). Update harness/base.conf."
		warn "=================================================================="
	fi

	step "importing $BASE_PACKAGE $ver into $KTREE"
	local tmp=$KTREE.tmp
	rm -rf "$tmp" && mkdir -p "$tmp"
	tar -xJf "$tarball" -C "$tmp" --strip-components=1
	git -C "$tmp" init -q -b "$BRANCH"
	git -C "$tmp" add -A -f
	# Fixed identity and dates: the same base always gives the same commit.
	GIT_AUTHOR_NAME="Debian kernel source" GIT_AUTHOR_EMAIL="nobody@invalid" \
	GIT_COMMITTER_NAME="Debian kernel source" GIT_COMMITTER_EMAIL="nobody@invalid" \
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git -C "$tmp" commit -q --no-gpg-sign -m "Linux base: $BASE_PACKAGE $ver"
	git -C "$tmp" tag nlmon-base
	rm -rf "$KTREE" && mv "$tmp" "$KTREE"
	ok "base commit $(git -C "$KTREE" rev-parse --short nlmon-base)"
}

# The cover letter's subject and blurb become the description of the
# series' branch, so that export.sh can write the same cover letter back.
load_cover_description() { # DIR
	local cover=$REPO/$1/0000-cover-letter.patch desc
	[ -f "$cover" ] || return 0
	desc=$(awk '
		hdr && /^Subject: / { subj = $0; sub(/^Subject: (\[[^]]*\] *)?/, "", subj); insubj = 1; next }
		hdr && insubj && /^ / { subj = subj $0; next }
		hdr && /^$/ { hdr = 0; print subj; print ""; next }
		hdr { insubj = 0; next }
		/^[^ ].* \([0-9]+\):$/ { exit }
		{ print }
	' hdr=1 "$cover")
	git -C "$KTREE" config "branch.${SERIES_BRANCH[$1]}.description" "$desc"
}

if [ -n "${KERNEL_SRC:-}" ]; then
	KTREE=$(cd "$KTREE" && pwd)
	git -C "$KTREE" rev-parse --git-dir >/dev/null 2>&1 || die "KERNEL_SRC=$KERNEL_SRC is not a git tree"
	git -C "$KTREE" rev-parse -q --verify nlmon-base >/dev/null ||
		git -C "$KTREE" tag nlmon-base HEAD
elif [ ! -d "$KTREE/.git" ] || ! git -C "$KTREE" rev-parse -q --verify nlmon-base >/dev/null; then
	import_debian_base
fi

cp "$REPO/.b4-config" "$KTREE/.b4-config"
want=$(series_hash)
have=$(cat "$KTREE/$STAMP" 2>/dev/null || true)
head=$(git -C "$KTREE" rev-parse HEAD)
# Uncommitted work in progress on top of the current series is left alone.
# (A tree from before the direction series has no branch nlmon-direction:
# re-applied.)
if [ "$have" = "$want $head" ] && git -C "$KTREE" rev-parse -q --verify nlmon-direction >/dev/null; then
	ok "kernel tree $KTREE already has the series"
	exit 0
fi
# Debian's .gitignore ignores every new file, so look for those too.
dirty=$({ git -C "$KTREE" status --porcelain -uno
	git -C "$KTREE" ls-files --others --ignored --exclude-standard | grep -vx '.b4-config'; } || true)
if [ -n "$dirty" ] && [ -z "${NLMON_FORCE:-}" ]; then
	echo "$dirty" | head -20 >&2
	die "$KTREE has uncommitted changes (above): commit them there (git add -f for new files) and run 'make export', or NLMON_FORCE=1 to discard them"
fi
if [ -n "$have" ] && [ "${have#* }" != "$head" ] && [ -z "${NLMON_FORCE:-}" ]; then
	die "$KTREE has commits that are not in ${SERIES[*]}: run 'make export' to keep them, or NLMON_FORCE=1 to discard them"
fi

step "applying ${SERIES[*]} to $KTREE"
# The series are applied in a worktree of their own and then checked out
# here, which rewrites only the files that differ. Applied here, every
# file the series touches would get a new mtime (the base's content, then
# each patch's), and each kernel build would regenerate the bindings and
# rebuild all Rust.
AM_WT=$CACHE/linux-am
declare -A tops
git -C "$KTREE" am --abort >/dev/null 2>&1 || true
ktree_worktree "$AM_WT" reset
for dir in "${SERIES[@]}"; do
	for p in "$REPO/$dir"/*.patch; do
		[ -e "$p" ] || continue
		case $(basename "$p") in 0000-cover-letter.patch) continue ;; esac
		if ! git -C "$AM_WT" -c user.name="${GIT_AUTHOR_NAME:-nlmon-rs}" -c user.email="${GIT_AUTHOR_EMAIL:-nlmon-rs@invalid}" \
			am -q --keep-cr "$p" >/tmp/nlmon-am.log 2>&1; then
			cat /tmp/nlmon-am.log >&2
			git -C "$AM_WT" am --abort >/dev/null 2>&1 || true
			die "patch does not apply: $dir/$(basename "$p")"
		fi
	done
	tops[$dir]=$(git -C "$AM_WT" rev-parse HEAD)
done
git -C "$KTREE" checkout -q -f -B "$BRANCH" "$(git -C "$AM_WT" rev-parse HEAD)"
# Each series' top is its branch (the last one is checked out above).
for dir in "${SERIES[@]}"; do
	[ "${SERIES_BRANCH[$dir]}" = "$BRANCH" ] ||
		git -C "$KTREE" branch -f "${SERIES_BRANCH[$dir]}" "${tops[$dir]}" ||
		die "cannot move branch ${SERIES_BRANCH[$dir]} (checked out in another worktree?)"
done
for dir in "${SERIES[@]}"; do load_cover_description "$dir"; done
echo "$want $(git -C "$KTREE" rev-parse HEAD)" >"$KTREE/$STAMP"
summary=
for dir in "${SERIES[@]}"; do
	summary+="${summary:+, }$dir $(git -C "$KTREE" rev-list --count "$(series_range "$dir")")"
done
ok "series applied on $(git -C "$KTREE" rev-parse --short nlmon-base): $summary"
