//! Host build of the pghot hotness engine.
//!
//! The engine proper is `mod.rs` and its sibling files; they use only `core`
//! and are compiled unchanged inside `pghot.ko`. This file only makes them a
//! `no_std` library for the host, so that `cargo test` and `cargo bench` can
//! run them, and adds [`host::VecAlloc`], the `Vec`-backed [`Alloc`] used by
//! the tests and benchmarks (the kernel supplies a `KVec`-backed one).

#![no_std]

#[cfg(feature = "std")]
extern crate std;

#[path = "mod.rs"]
mod engine;

pub use engine::*;

#[cfg(feature = "std")]
pub mod host;
