# SPDX-License-Identifier: GPL-2.0
# Top-level targets. The module itself is described in Kbuild.
#
#   make            build pghot.ko (builds or reuses the cached test kernel)
#   make setup      install toolchain, QEMU and kernel source (idempotent)
#   make kernel     build the patched test kernel (cached by content hash)
#   make test       everything: host tests, lint, KUnit and QEMU checks
#   make bench      the QEMU benchmarks: pghot against the kernel's promotion
#   make demo       boot the HMAT guest, load pghot, show it at work
#   make lint       clippy, rustfmt and checkpatch
#   make clean      remove module build products

.PHONY: all modules setup kernel test bench demo lint clean

all modules:
	scripts/build-module modules

setup:
	scripts/setup

kernel:
	scripts/build-kernel

test:
	scripts/test

bench:
	scripts/bench

demo:
	scripts/demo

lint:
	scripts/lint

clean:
	scripts/build-module clean
