#!/usr/bin/env bash
# vm-run.sh SCRIPT [ARGS...]: boot the VM kernel from build-vm.sh with
# virtme-ng (host root read-only over 9p, TCG only) and run SCRIPT in it,
# as root, in the current directory. Exits with SCRIPT's exit status.
#
# The guest writes SCRIPT's output and exit status to files in $VM_RWDIR
# (default out/ of the repo, read-write in the guest) instead of relying on
# vng's virtio-serial script ports, which are missing when the host's stdio
# cannot be reopened (pipes, sockets in CI). The host follows the output
# file live while the VM runs.
#
# The checkout and $VM_RWDIR have the same paths in the guest as on the
# host, wherever the checkout is: the guest sees the host's root read-only,
# but vng mounts tmpfs over /var/tmp, /var/cache and more, and it passes
# paths to virtme-run and the kernel command line unquoted, so a space
# splits them. Both therefore reach the guest at fixed paths under /run,
# through space-free symlinks on the host, and the guest script first binds
# them back where they are on the host.
#
# VM_TIMEOUT (s, default 600) bounds the whole run; VM_VERBOSE=1 shows the
# kernel's boot console. VM_KDIR picks another kernel build (default
# $BUILD/vm), VM_CPUS/VM_MEMORY the guest's size (2, 1G), VM_QEMU_OPTS
# extra QEMU options (e.g. "-icount shift=0"), VM_APPEND extra kernel
# command line options; VM_LOG keeps the guest's console log at that path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: $0 SCRIPT [ARGS...]"
kdir=${VM_KDIR:-$BUILD/vm}
[ -f "$kdir/arch/x86/boot/bzImage" ] || die "no VM kernel in $kdir: run harness/build-vm.sh"
case $kdir in *[[:space:]]*) die "VM_KDIR '$kdir' has white space, which vng cannot pass to the guest" ;; esac
need_tool vng
timeout_s=${VM_TIMEOUT:-600}
rwdir=${VM_RWDIR:-$REPO/out}

mkdir -p "$rwdir/vm-run"
rwdir=$(cd "$rwdir" && pwd)
run=$(mktemp -d "$rwdir/vm-run/run.XXXXXX")
links=$(mktemp -d /tmp/nlmon-vm.XXXXXX)
trap 'rm -rf "$run" "$links"' EXIT
ln -s "$REPO" "$links/repo"
ln -s "$rwdir" "$links/rw"
: >"$run/output"

# Where the guest mounts them; the run directory as the guest names it
# before the binds.
g_repo=/run/nlmon-vm/repo g_rw=/run/nlmon-vm/rw
g_run=$g_rw/${run#"$rwdir"/}
q() { printf '%q ' "$@"; }
cat >"$run/guest.sh" <<EOF
if ! { mkdir -p $(q "$REPO") && mount --bind $g_repo $(q "$REPO") &&
	mkdir -p $(q "$rwdir") && mount --bind $g_rw $(q "$rwdir"); } >$g_run/output 2>&1; then
	echo "vm-run.sh: cannot bind the checkout at its host path in the guest" >>$g_run/output
	echo 125 >$g_run/status
	exit
fi
(cd $(q "$PWD") && exec $(q "$@")) >$(q "$run/output") 2>&1 </dev/null
echo \$? >$(q "$run/status")
sync
EOF

# --disable-kvm: KVM hangs on this host, TCG only. --force-9p: there is no
# virtiofsd. --rodir: the guest mounts a tmpfs on /var/cache, which would
# hide the build dir that vng's /lib/modules/$(uname -r) symlink points into.
vng_args=(--run "$kdir" --disable-kvm --force-9p --cpus "${VM_CPUS:-2}" --memory "${VM_MEMORY:-1G}"
	--rwdir "$g_rw=$links/rw" --rodir "$g_repo=$links/repo" --rodir "$kdir")
if [ -n "${VM_QEMU_OPTS:-}" ]; then vng_args+=(--qemu-opts="$VM_QEMU_OPTS"); fi
if [ -n "${VM_APPEND:-}" ]; then vng_args+=(--append "$VM_APPEND"); fi
# vng's own output (and the boot console with VM_VERBOSE) goes to fd 3.
if [ -n "${VM_VERBOSE:-}" ]; then
	vng_args+=(--verbose)
	exec 3>&2
elif [ -n "${VM_LOG:-}" ]; then
	vng_args+=(--verbose)
	exec 3>"$VM_LOG"
else
	exec 3>"$run/vng.log"
fi

t0=$EPOCHREALTIME
# timeout signals its whole process group, so qemu (forked by vng) dies too.
# From /: vng hands its working directory to the kernel command line.
(cd / && exec timeout -k 10 "$timeout_s" vng "${vng_args[@]}" -e "bash $g_run/guest.sh") \
	</dev/null >&3 2>&3 &
vng_pid=$!
tail -n +1 -f -s 0.2 --pid="$vng_pid" "$run/output"
rc=0; wait "$vng_pid" || rc=$?
secs=$(awk "BEGIN { print $EPOCHREALTIME - $t0 }")

if [ ! -s "$run/status" ]; then
	[ -s "$run/vng.log" ] && sed 's/^/  vng: /' "$run/vng.log" | tail -n 40 >&2
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		die "guest did not boot or finish within $timeout_s s (VM_TIMEOUT)"
	fi
	die "guest ended without an exit status (vng exit $rc: boot failure or panic?; VM_VERBOSE=1 shows the console)"
fi
status=$(cat "$run/status")
printf '[vm] %s exited %s after %.1f s (boot + run, TCG)\n' "$1" "$status" "$secs" >&2
exit "$status"
