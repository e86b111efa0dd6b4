#!/usr/bin/env bash
# mirror.sh check|update: the top-level kernel paths of this repository hold
# exactly the files the two series (lib.sh SERIES) touch, as they are after
# both.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:-check}
touched=$(git -C "$KTREE" diff --name-only --no-renames nlmon-base HEAD | sort)
present=$(cd "$REPO" && git ls-files --cached --others --exclude-standard -- "${MIRROR_DIRS[@]}" | sort)
deleted=$(git -C "$KTREE" diff --name-only --no-renames --diff-filter=D nlmon-base HEAD)
[ -z "$deleted" ] || die "the series deletes files, which the mirror cannot show: $deleted"
for f in $touched; do
	case "$f" in drivers/*|rust/*|include/*|Documentation/*|tools/*|net/*|MAINTAINERS) ;;
	*) die "the series touches $f, outside the mirrored kernel paths (${MIRROR_DIRS[*]})" ;;
	esac
done

if [ "$mode" = update ]; then
	for f in $present; do
		grep -qxF "$f" <<<"$touched" || rm -f "$REPO/$f"
	done
	for f in $touched; do
		mkdir -p "$(dirname "$REPO/$f")"
		git -C "$KTREE" show "HEAD:$f" >"$REPO/$f"
	done
	find "${MIRROR_DIRS[@]/#/$REPO/}" -type d -empty -delete 2>/dev/null || true
	ok "mirror updated: $(wc -w <<<"$touched") files"
	exit 0
fi

bad=0
extra=$(comm -13 <(echo "$touched") <(echo "$present") | sed '/^$/d')
missing=$(comm -23 <(echo "$touched") <(echo "$present") | sed '/^$/d')
[ -z "$extra" ] || { warn "in the mirror but not touched by the series:"; echo "$extra" >&2; bad=1; }
[ -z "$missing" ] || { warn "touched by the series but missing from the mirror:"; echo "$missing" >&2; bad=1; }
for f in $touched; do
	[ -f "$REPO/$f" ] || continue
	if ! git -C "$KTREE" show "HEAD:$f" | cmp -s - "$REPO/$f"; then
		warn "differs from base + series: $f"
		bad=1
	fi
done
[ "$bad" = 0 ] || die "mirror != base + series (fix with 'make export' after committing in $KTREE)"
ok "mirror == base + series ($(wc -w <<<"$touched") files)"
