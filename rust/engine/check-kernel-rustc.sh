#!/bin/bash
# Compiles the engine module files the way pghot.ko's crate includes them
# (`#[path = "engine/mod.rs"] pub mod engine;` in a no_std crate), with the
# kernel's rustc when present (/usr/bin/rustc, Debian's rustc-web 1.96),
# edition 2021, overflow checks, panic=abort, and the kernel's rustc lints
# as errors. Clippy's kernel lints are checked by `cargo clippy` (Cargo.toml).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rustc=${KRUSTC:-/usr/bin/rustc}
[ -x "$rustc" ] || rustc=rustc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/root.rs" <<ROOT
//! Stand-in for the pghot.ko crate root.
#![no_std]
#[path = "$here/mod.rs"]
pub mod engine;
ROOT
"$rustc" --version
"$rustc" --edition=2021 --crate-type rlib --crate-name pghot_check \
	-Copt-level=2 -Coverflow-checks=y -Cdebug-assertions=y -Cpanic=abort \
	-Dwarnings -Dnon_ascii_idents -Dunsafe_op_in_unsafe_fn \
	-Wmissing_docs -Wrust_2018_idioms -Wunreachable_pub \
	--emit=metadata,obj --out-dir "$tmp" "$tmp/root.rs"
echo "kernel-style build of rust/engine/mod.rs: ok"
