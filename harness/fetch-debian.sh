#!/usr/bin/env bash
# fetch-debian.sh PACKAGE VERSION-PREFIX DESTDIR
# Download one .deb from trixie/trixie-backports with a private apt setup;
# the system's apt sources are never touched. Prints the .deb path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkg=$1 want=$2 dest=$3
APTDIR=$CACHE/apt
mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$dest"
cat >"$APTDIR/sources.list" <<EOF
deb http://deb.debian.org/debian trixie main
deb http://deb.debian.org/debian trixie-backports main
EOF
APT=(apt-get -q
	-o Dir::Etc::SourceList="$APTDIR/sources.list"
	-o Dir::Etc::SourceParts=/dev/null
	-o Dir::State::Lists="$APTDIR/lists"
	-o Dir::Cache="$APTDIR"
	-o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache=""
	-o Debug::NoLocking=1
	# Root downloads into the cache itself: no sandbox user, no warning.
	-o APT::Sandbox::User=root)
APTCACHE=(apt-cache "${APT[@]:2}")

# Refresh the private lists at most once a day.
if [ -z "$(find "$APTDIR/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
	"${APT[@]}" update >&2 || die "private apt update failed: is the Debian archive reachable?"
fi

versions=$("${APTCACHE[@]}" madison "$pkg" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}')
[ -n "$versions" ] || die "package $pkg not found in trixie/trixie-backports"
if echo "$versions" | grep -qxF "$want"; then
	ver=$want
else
	ver=$(echo "$versions" | grep -E "^${want//./\\.}" | sort -V | tail -1 || true)
	[ -n "$ver" ] || ver=$(echo "$versions" | sort -V | tail -1)
fi
(cd "$dest" && "${APT[@]}" download "$pkg=$ver" >&2) ||
	die "apt-get download $pkg=$ver failed"
ls "$dest/${pkg}_${ver//:/%3a}_"*.deb
