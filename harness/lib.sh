# Shared settings and helpers for the harness scripts (sourced, not run).

HARNESS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HARNESS/.." && pwd)
# Persistent cache outside the clone: later runs and CI rebuild only changes.
CACHE=${NLMON_CACHE:-/var/cache/nlmon-rs}
# vng passes the kernel build's path to the guest unquoted (vm-run.sh).
case $CACHE in *[[:space:]]*)
	echo "[error] NLMON_CACHE='$CACHE': vng cannot pass a path with white space to the guest; set NLMON_CACHE to a directory without" >&2
	exit 1 ;;
esac
VENV=$CACHE/venv
KTREE=${KERNEL_SRC:-${KTREE:-$CACHE/linux}}
BUILD=$CACHE/build
LLVM_SUFFIX=-19
export LIBCLANG_PATH=${LIBCLANG_PATH:-/usr/lib/llvm-19/lib}
# CI may run with a bare environment: rustup's tools live in root's home.
HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
export HOME
export PATH="$HOME/.cargo/bin:$VENV/bin:$PATH"
# rustc on the LLVM of clang-19 (19.1.7), so that CONFIG_RUST_INLINE_HELPERS
# can inline the C helpers into Rust; rustup's proxies honour this.
RUST_TOOLCHAIN=1.86.0
export RUSTUP_TOOLCHAIN=$RUST_TOOLCHAIN

# The kernel paths the mirror may hold (files touched by the series only).
MIRROR_DIRS=(drivers rust include Documentation tools MAINTAINERS net)

# The two series, in the order they apply: directory in this repository,
# branch in the kernel tree (its top), subject prefix. The capture
# direction series applies to the base alone; the Rust series on top.
SERIES=(patches-direction patches)
declare -A SERIES_BRANCH=([patches-direction]=nlmon-direction [patches]=nlmon-rs)
declare -A SERIES_PREFIX=([patches-direction]="PATCH net-next" [patches]="RFC PATCH net-next")
# series_range DIR: the kernel tree's commits of DIR's series.
series_range() {
	case $1 in
	patches-direction) echo "nlmon-base..nlmon-direction" ;;
	patches) echo "nlmon-direction..HEAD" ;;
	esac
}

if [ -t 1 ]; then B=$'\e[1m'; R=$'\e[31m'; G=$'\e[32m'; Y=$'\e[33m'; N=$'\e[0m'
else B=; R=; G=; Y=; N=; fi
step() { printf '%s==> %s%s\n' "$B" "$*" "$N"; }
ok() { printf '%s[ok]%s %s\n' "$G" "$N" "$*"; }
warn() { printf '%s[warning]%s %s\n' "$Y" "$N" "$*" >&2; }
die() { printf '%s[error]%s %s\n' "$R" "$N" "$*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "this step installs packages: run it as root"; }
need_tool() { command -v "$1" >/dev/null || die "missing tool '$1': run 'make setup' first"; }

# kmake DIR ARGS...: make in the kernel tree with the project's toolchain.
# Builds take a lock: two kernel builds at once on 2 cores only slow both.
# One lock for the machine, whatever the cache: builds of two checkouts too.
BUILD_LOCK=${NLMON_BUILD_LOCK:-/tmp/nlmon-rs-build.lock}
kmake() {
	local out=$1; shift
	mkdir -p "$out"
	flock "$BUILD_LOCK" make -C "$KTREE" O="$out" LLVM="$LLVM_SUFFIX" -j"$(nproc)" "$@"
}

# Show the first compiler error of a failed build log, not the whole log.
first_error() {
	local log=$1
	echo "---- first error in $log ----" >&2
	grep -n -m1 -E '^error(\[E[0-9]+\])?:|: (fatal )?error:|^make.*: \*\*\*' "$log" | cut -d: -f1 | {
		read -r n || { tail -n 30 "$log" >&2; exit 0; }
		start=$((n > 5 ? n - 5 : 1))
		sed -n "${start},$((n + 25))p" "$log" >&2
	}
	echo "---- (full log: $log) ----" >&2
}

# ktree_worktree DIR [reset]: make DIR a worktree of $KTREE, anew if it is
# none or belongs to another repository (another KERNEL_SRC); with
# "reset", back on the base and clean. Kept between runs: a checkout
# rewrites only the files that differ (a new worktree writes ~15 s).
ktree_worktree() {
	local wt=$1 common
	common=$(git -C "$KTREE" rev-parse --path-format=absolute --git-common-dir)
	# git prints the top level with symlinks resolved.
	if [ -d "$wt" ] &&
		[ "$(git -C "$wt" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$wt" && pwd -P)" ] &&
		[ "$(git -C "$wt" rev-parse --path-format=absolute --git-common-dir)" = "$common" ] &&
		{ [ "${2:-}" != reset ] || {
			{ git -C "$wt" am --abort >/dev/null 2>&1 || true; } &&
				git -C "$wt" checkout -q -f --detach nlmon-base &&
				git -C "$wt" clean -q -f -d -x
		}; }; then
		return 0
	fi
	rm -rf "$wt"
	git -C "$KTREE" worktree prune
	git -C "$KTREE" worktree add -q --detach "$wt" nlmon-base
}

# Per-stage results of `make check`.
RESULTS=${RESULTS:-$REPO/out/results}

# Identifies "this base with exactly these patches" for kernel-tree.sh.
series_hash() {
	local d
	{ git -C "$KTREE" rev-parse nlmon-base
	  for d in "${SERIES[@]}"; do cat "$REPO/$d"/*.patch 2>/dev/null || true; done; } |
		sha256sum | cut -d' ' -f1
}

# ksft_tree DEST: what the nlmon selftest needs of the kernel tree (the
# test, the net selftest library, YNL and its specs), copied under DEST
# for the guest, which cannot see $CACHE (vng puts a tmpfs on /var/cache).
# Prints the selftest's directory there.
ksft_tree() {
	local dest
	rm -rf "$1" && mkdir -p "$1" && dest=$(cd "$1" && pwd)
	(cd "$KTREE" && cp -a --parents tools/testing/selftests/net/nlmon.py \
		tools/testing/selftests/net/nlmon_direction.py \
		tools/testing/selftests/net/lib/py tools/net/ynl/pyynl \
		Documentation/netlink/specs "$dest/") || die "cannot copy the selftest to $1"
	echo "$dest/tools/testing/selftests/net"
}
