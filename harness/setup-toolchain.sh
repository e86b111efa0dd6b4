#!/usr/bin/env bash
# Install everything the workspace needs on Debian bookworm. Idempotent: a
# second run checks and installs nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

APT_PKGS=(
	clang-19 lld-19 llvm-19 libclang-19-dev
	build-essential flex bison bc libelf-dev libssl-dev cpio kmod rsync
	dwarves python3 python3-venv python3-yaml git
	qemu-system-x86 busybox-static iproute2 tcpdump tshark ethtool
	libpcap-dev udev python3-ply python3-git python3-docutils codespell
)

missing=()
for p in "${APT_PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	need_root
	step "apt: installing ${missing[*]}"
	apt-get update -qq || die "apt-get update failed: no route to the Debian archive?"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null ||
		die "apt-get install failed for: ${missing[*]}"
fi

command -v rustup >/dev/null || die "rustup not found: install Rust with rustup first"
if ! rustup run "$RUST_TOOLCHAIN" rustc --version >/dev/null 2>&1 ||
	! rustup run "$RUST_TOOLCHAIN" clippy-driver --version >/dev/null 2>&1; then
	step "rustup: toolchain $RUST_TOOLCHAIN (rust-src, clippy, rustfmt)"
	rustup toolchain install "$RUST_TOOLCHAIN" --profile minimal \
		-c rust-src -c clippy -c rustfmt >/dev/null ||
		die "rustup could not install $RUST_TOOLCHAIN"
fi
RUSTC_VER=$(rustc --version | awk '{print $2}')
rust_llvm=$(rustc --version --verbose | sed -n 's/^LLVM version: //p')
clang_llvm=$(clang-19 --version | sed -n 's/.*clang version \([0-9.]*\).*/\1/p')
[ "${rust_llvm%%.*}" = "${clang_llvm%%.*}" ] ||
	warn "rustc's LLVM $rust_llvm and clang's $clang_llvm differ: no CONFIG_RUST_INLINE_HELPERS"
SYSROOT=$(rustc --print sysroot)
if [ ! -d "$SYSROOT/lib/rustlib/src/rust/library/core" ]; then
	step "rust-src for rustc $RUSTC_VER"
	if ! rustup component add rust-src 2>/dev/null; then
		warn "rustup could not add rust-src; trying Debian's rust-src $RUSTC_VER"
		"$HARNESS/fetch-debian.sh" rust-src "$RUSTC_VER" "$CACHE/debs"
		deb=$(ls "$CACHE"/debs/rust-src_"$RUSTC_VER"*.deb 2>/dev/null | head -1)
		[ -n "$deb" ] || die "no rust-src $RUSTC_VER found anywhere"
		tmp=$(mktemp -d)
		dpkg-deb -x "$deb" "$tmp"
		mkdir -p "$SYSROOT/lib/rustlib/src/rust"
		cp -a "$tmp"/usr/lib/rustlib/src/rust/library "$SYSROOT/lib/rustlib/src/rust/"
		rm -rf "$tmp"
	fi
fi

BINDGEN_VER=0.73.2
if ! command -v bindgen >/dev/null || [ "$(bindgen --version | awk '{print $2}')" != "$BINDGEN_VER" ]; then
	step "bindgen-cli $BINDGEN_VER"
	cargo install --locked --quiet --version "$BINDGEN_VER" bindgen-cli ||
		die "cargo install bindgen-cli failed: is crates.io reachable?"
fi

if [ ! -x "$VENV/bin/vng" ] || [ ! -x "$VENV/bin/b4" ] || [ ! -x "$VENV/bin/pylint" ]; then
	step "virtme-ng, b4, ruff and pylint in $VENV"
	python3 -m venv "$VENV"
	"$VENV/bin/pip" install -q --disable-pip-version-check virtme-ng b4 ruff pylint ||
		die "pip install virtme-ng b4 ruff pylint failed: is PyPI reachable?"
fi
ok "toolchain ready (rustc $RUSTC_VER with LLVM $rust_llvm, bindgen $BINDGEN_VER, clang $clang_llvm)"
