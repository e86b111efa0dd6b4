#!/usr/bin/env bash
# Regenerate the series' directories (lib.sh SERIES) and the mirror from
# the kernel tree: patches-direction/ from the commits nlmon-base..
# nlmon-direction, patches/ from nlmon-direction..HEAD. Each cover
# letter's subject and blurb come from its branch's description (`git
# branch --edit-description nlmon-direction` in the kernel tree). After
# changing the direction series there, move its branch and rebase the Rust
# series onto it: the branch must stay an ancestor of HEAD.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -z "$(git -C "$KTREE" status --porcelain -uno)" ] ||
	die "$KTREE has uncommitted changes: commit them there first"
gitdir=$(git -C "$KTREE" rev-parse --git-dir)
case $gitdir in /*) ;; *) gitdir=$KTREE/$gitdir ;; esac
[ ! -d "$gitdir/rebase-merge" ] && [ ! -d "$gitdir/rebase-apply" ] ||
	die "$KTREE: a rebase or am is in progress: finish it first"
[ "$(git -C "$KTREE" symbolic-ref -q --short HEAD)" = nlmon-rs ] ||
	die "$KTREE: check out branch nlmon-rs (the Rust series, on top of nlmon-direction) to export"
git -C "$KTREE" rev-parse -q --verify nlmon-direction >/dev/null ||
	die "$KTREE has no branch nlmon-direction: 'make tree' makes it (NLMON_FORCE=1 to re-apply both series)"
git -C "$KTREE" merge-base --is-ancestor nlmon-base nlmon-direction &&
	git -C "$KTREE" merge-base --is-ancestor nlmon-direction nlmon-rs ||
	die "nlmon-direction must lie between nlmon-base and nlmon-rs in $KTREE: rebase nlmon-rs onto it"
# The author of the first nlmon, e4fc408e0e99 ("packet: nlmon: virtual
# netlink monitoring device for packet sockets").
NLMON_AUTHOR="Daniel Borkmann <daniel@iogearbox.net>"
# get_maintainers RANGE OPTION...: one address per line, as b4 asks.
get_maintainers() {
	local range=$1; shift
	git -C "$KTREE" format-patch --stdout "$range" |
		(cd "$KTREE" && scripts/get_maintainer.pl --no-git --no-git-fallback \
			--no-git-chief-penguins --no-rolestats --no-multiline "$@" 2>/dev/null) |
		tr ',' '\n' | sed 's/^ *//' | grep -v '^$' || true
}
summary=
for dir in "${SERIES[@]}"; do
	range=$(series_range "$dir")
	range=${range%%..*}..${SERIES_BRANCH[$dir]}
	n=$(git -C "$KTREE" rev-list --count "$range")
	if [ "$n" = 0 ] && ls "$REPO/$dir"/0*.patch >/dev/null 2>&1 && [ -z "${NLMON_FORCE:-}" ]; then
		die "$range is empty but $dir/ has patches: not overwriting them (NLMON_FORCE=1 to empty it)"
	fi
	rm -f "$REPO/$dir"/*.patch
	mkdir -p "$REPO/$dir"
	# The branch name names the range's end, so that format-patch takes
	# its description for the cover letter. The Rust series records the
	# direction series as its prerequisite (prerequisite-patch-id).
	if [ "$n" -gt 0 ]; then
		# To and Cc as b4 prep --auto-to-cc gives them: get_maintainer.pl
		# over the whole series, maintainers To, reviewers and lists Cc;
		# plus nlmon's author (e4fc408e0e99), as .mailmap names him.
		recipients=()
		while IFS= read -r addr; do recipients+=(--to="$addr"); done < <(get_maintainers "$range" --no-l)
		while IFS= read -r addr; do
			[[ " ${recipients[*]} " == *" --to=$addr "* ]] || recipients+=(--cc="$addr")
		done < <(get_maintainers "$range" --no-m; echo "$NLMON_AUTHOR")
		git -C "$KTREE" format-patch -q --cover-letter --cover-from-description=subject \
			--subject-prefix="${SERIES_PREFIX[$dir]}" --thread=shallow --base=nlmon-base \
			--no-signature --zero-commit -o "$REPO/$dir" "${recipients[@]}" \
			"$range"
	fi
	summary+="${summary:+, }$n to $dir/"
	# format-patch makes Message-IDs from the time: one thread each.
	sleep 1
done
"$HARNESS/mirror.sh" update
# The tree now holds exactly the series: record that, so it is not re-applied.
hash=$(series_hash)
echo "$hash $(git -C "$KTREE" rev-parse HEAD)" >"$KTREE/.git/nlmon-applied"
ok "exported $summary"
