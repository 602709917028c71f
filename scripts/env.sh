# shellcheck shell=bash
# Common paths and tools for every pghot script; sourced, never run.
# Everything the build downloads or produces outside the repo lives under
# PGHOT_CACHE, so a fresh clone reuses a warm cache and the repo stays clean.

PGHOT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGHOT_CACHE=${PGHOT_CACHE:-$HOME/.cache/pghot}

# Pinned kernel source; setup falls back to the newest 7.2 the registry has.
PGHOT_KVER_PIN=${PGHOT_KVER_PIN:-7.2.12-1~bpo13+1}
PGHOT_BINDGEN_VERSION=0.73.2

export PATH=/usr/lib/llvm-19/bin:$HOME/.cargo/bin:$PATH
export LIBCLANG_PATH=/usr/lib/llvm-19/lib

# The kernel must be built by Debian's rustc-web, whose library source is
# rust-web-src; the rustup toolchain has no rust-src and must not be picked.
PGHOT_KMAKE_ARGS=(LLVM=1 RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
	BINDGEN="$HOME/.cargo/bin/bindgen"
	CLIPPY_DRIVER=/usr/bin/clippy-driver RUSTFMT=/usr/bin/rustfmt
	RUST_LIB_SRC=/usr/lib/rustlib/src/rust/library)

# Source tree: a user's own tree wins, else the one setup unpacked.
pghot_kernel_src() {
	if [ -n "${KERNEL_SRC:-}" ]; then
		echo "$KERNEL_SRC"
	elif [ -f "$PGHOT_CACHE/src/current" ]; then
		cat "$PGHOT_CACHE/src/current"
	else
		echo "pghot: no kernel source; run scripts/setup" >&2
		return 1
	fi
}

die() {
	echo "pghot: $*" >&2
	exit 1
}
