//! pghot hotness engine: tracks page accesses and picks hot pages to promote.
//!
//! Pure logic over caller-supplied memory, using only `core`: the same files
//! build inside `pghot.ko` (`#[path = "engine/mod.rs"] mod engine;`) and
//! as the host crate `pghot-engine` for tests and benchmarks. Nothing here
//! allocates after construction, sleeps, locks or reads the clock; the
//! caller passes `now` (jiffies) and holds the lock. Design, record layout
//! and rules: `Documentation/engine.md`.
//!
//! # API
//!
//! Storage:
//! - [`Alloc`] (`type Buf<T: Copy>: DerefMut<Target = [T]>`,
//!   `fn alloc<T: Copy>(&self, n: usize, init: T) -> Result<Self::Buf<T>, AllocError>`)
//!
//! The table ([`Shard`], one per lock; route PFNs with [`shard_of`]):
//! - `Shard::new(params: &Params, alloc: &A) -> Result<Shard<A>, Error>`
//! - `record_access(&mut self, pfn: u64, nid: u32, now: u64) -> Outcome`
//! - `remove(&mut self, pfn: u64) -> bool`
//! - `prune(&mut self, now: u64, budget: u32) -> u32`
//! - `take_hottest(&mut self, node: u32, now: u64, out: &mut [Candidate]) -> usize`
//! - `hottest(&self, node: u32) -> impl Iterator<Item = Candidate>`
//! - `threshold(&self, node: u32) -> u8`,
//!   `set_threshold(&mut self, node: u32, threshold: u8) -> Result<(), Error>`,
//!   `set_window(&mut self, window_jiffies: u64) -> Result<(), Error>`
//! - `stats(&self) -> &Stats` ([`Stats::merge`] sums shards), `len`,
//!   `heap_len`; `capacity`, `check(&self) -> Result<(), &'static str>`
//!   (KUnit and host)
//! - host only: `peek_hottest(&self, node: u32) -> Option<Candidate>`,
//!   `records(&self) -> impl Iterator<Item = RecordInfo>`,
//!   `get(&self, pfn: u64) -> Option<RecordInfo>`, `is_empty`, `params`,
//!   `stamp`, `time_shift`, `window_ticks`, `horizon_ticks`
//!
//! Policy, independent of the table:
//! - [`RateLimiter`]: `new(nr_nodes: u32, rate_mb_per_s: u64, page_shift: u32, alloc: &A)`,
//!   `admit(&mut self, node: u32, nr_pages: u64, now: u64, hz: u32) -> u64`,
//!   `set_rate`, `budget`
//! - [`ThresholdTuner`]: `count(&mut self, node: u32, n: u64)`,
//!   `adjust(&mut self, node: u32, now: u64, hz: u32, pages_per_sec: u64) -> Option<u8>`
//! - [`select_target`]`(accessing: Option<u32>, page_nid: u32, top_tier: &[u32], distance) -> Option<u32>`
//!
//! # Host-only items
//!
//! The kernel builds this module with dead-code and unused-import warnings
//! on (only `unreachable_pub` is allowed, since items are `pub` for the host
//! crate). Items that only the host tests, benchmarks and dumps use are
//! therefore compiled only outside the kernel, under
//! `#[cfg(not(CONFIG_RUST))]` (every kernel Rust build sets `CONFIG_RUST`).
//! `Shard::check` and `Shard::capacity`, which in the kernel only the KUnit
//! suites call, are also compiled where those are: in the module's KUnit
//! build (`--cfg pghot_kunit`, from `PGHOT_KUNIT=y` in `Kbuild`) on a
//! `CONFIG_KUNIT=y` kernel (`#[kunit_tests]` requires it). The stand-in in
//! `check-kernel-rustc.sh` checks all this against the kernel side's uses.

// The engine is safe Rust: it needs no `unsafe`, in the kernel or on the host.
#![forbid(unsafe_code)]

pub mod agent;
mod clock;
mod hash;
mod heap;
mod params;
mod ratelimit;
mod record;
mod shard;
mod stats;
mod storage;
mod target;
mod tuner;

// What the kernel side uses.
pub use self::{
    hash::shard_of,
    params::{
        Error,
        Params, //
    },
    ratelimit::RateLimiter,
    shard::{
        Access,
        Candidate,
        Outcome,
        Shard, //
    },
    stats::Stats,
    storage::{
        Alloc,
        AllocError, //
    },
    target::select_target,
    tuner::{
        ThresholdTuner,
        TunerParams, //
    },
};

// What only the host tests and benchmarks name (see "Host-only items").
#[cfg(not(CONFIG_RUST))]
pub use self::{
    clock::{
        MAX_HORIZON_TICKS,
        TIME_BITS, //
    },
    hash::hash_pfn,
    ratelimit::mb_to_pages,
    record::{
        Hotness,
        FREQ_BITS,
        FREQ_MAX,
        NID_BITS,
        NID_LIMIT, //
    },
    shard::RecordInfo,
};
