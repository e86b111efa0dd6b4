# nlmon-rs workspace. `make help` lists the targets.
SHELL := /bin/bash
H := harness

.PHONY: help setup tree kunit kunit-c kunit-x86_64 vm demo check export mirror-check bench bench-xmit stress
help:
	@echo "make setup         install the toolchain (Debian packages, rust-src, bindgen, virtme-ng, b4)"
	@echo "make tree          fetch and verify the base kernel, apply patches-direction/ and patches/"
	@echo "make demo          build a VM kernel, boot it, capture netlink with nlmon into a pcap"
	@echo "make check         every test: mirror, KUnit, VM tests; ends with 'N passed, N failed'"
	@echo "make kunit         KUnit on UML only"
	@echo "make kunit-c       the nlmon suite on the C driver, from the series' drivers/net/.kunitconfig"
	@echo "make kunit-x86_64  KUnit in an x86-64 SMP kernel of its own (make check runs it in the debug kernel)"
	@echo "make export        regenerate patches-direction/, patches/ and the mirror from the kernel tree"
	@echo "make bench         tap cost per netlink message, Rust nlmon against C (out/bench/)"
	@echo "make bench-xmit    transmit cost of patches-direction/ on a dummy device, before and after (out/bench-xmit/)"
	@echo "make stress        debug kernel: bad input, special cases, STRESS_SECONDS (300) of stress (out/stress/)"

setup:
	@$(H)/setup-toolchain.sh

tree: setup
	@$(H)/kernel-tree.sh

kunit: tree
	@$(H)/kunit.sh

kunit-c: tree
	@KUNIT_C=1 $(H)/kunit.sh

kunit-x86_64: tree
	@KUNIT_ARCH=x86_64 $(H)/kunit.sh

vm: tree
	@$(H)/build-vm.sh

demo: tree
	@$(H)/demo.sh

bench: tree
	@$(H)/bench.sh

bench-xmit: tree
	@$(H)/bench-xmit.sh

# STRESS_SECONDS=N (default 300), FUZZ_COUNT (10000), STRESS_PARTS: see
# harness/stress.sh.
stress: tree
	@$(H)/stress.sh

check:
	@$(H)/check.sh

export:
	@$(H)/export.sh

mirror-check: tree
	@$(H)/mirror.sh check
