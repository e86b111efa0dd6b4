#!/usr/bin/env bash
# Build the debug VM kernel (configs/vm.config + configs/debug.config:
# KASAN, lockdep, kmemleak, DEBUG_NET, Rust assertions...) in
# $BUILD/vm-debug with build-vm.sh, so the incremental configuration and
# the "missing option" check are the same as for the VM kernel. The build
# takes the machine's build lock like every kernel build (lib.sh kmake).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Without CONFIG_RUST_INLINE_HELPERS: this kernel looks for bugs, not speed.
VM_OUT=$BUILD/vm-debug VM_INLINE_HELPERS=0 \
	VM_CONFIG="vm.config debug.config" \
	exec "$HARNESS/build-vm.sh"
