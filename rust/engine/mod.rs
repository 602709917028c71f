//! pghot hotness engine: tracks page accesses and picks hot pages to promote.
//!
//! Pure logic over caller-supplied memory, using only `core`: the same files
//! build inside `pghot.ko` (`#[path = "engine/mod.rs"] pub mod engine;`) and
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
//! - `peek_hottest(&self, node: u32) -> Option<Candidate>`,
//!   `hottest(&self, node: u32) -> impl Iterator<Item = Candidate>`,
//!   `records(&self) -> impl Iterator<Item = RecordInfo>`,
//!   `get(&self, pfn: u64) -> Option<RecordInfo>`
//! - `threshold(&self, node: u32) -> u8`,
//!   `set_threshold(&mut self, node: u32, threshold: u8) -> Result<(), Error>`,
//!   `set_window(&mut self, window_jiffies: u64) -> Result<(), Error>`
//! - `stats(&self) -> &Stats`, `len`, `is_empty`, `capacity`, `heap_len`,
//!   `check(&self) -> Result<(), &'static str>`
//!
//! Policy, independent of the table:
//! - [`RateLimiter`]: `admit(&mut self, node: u32, nr_pages: u64, now: u64, hz: u32) -> u64`
//! - [`ThresholdTuner`]: `count(&mut self, node: u32, n: u64)`,
//!   `adjust(&mut self, node: u32, now: u64, hz: u32, pages_per_sec: u64) -> Option<u8>`
//! - [`select_target`]`(accessing: Option<u32>, page_nid: u32, top_tier: &[u32], distance) -> Option<u32>`

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

pub use self::clock::{MAX_HORIZON_TICKS, TIME_BITS};
pub use self::hash::{hash_pfn, shard_of};
pub use self::params::{Error, Params};
pub use self::ratelimit::{mb_to_pages, RateLimiter, PAGE_SHIFT};
pub use self::record::{Hotness, FREQ_BITS, FREQ_MAX, MAX_NODES, NID_BITS};
pub use self::shard::{Access, Candidate, Outcome, RecordInfo, Shard};
pub use self::stats::Stats;
pub use self::storage::{Alloc, AllocError};
pub use self::target::select_target;
pub use self::tuner::{ThresholdTuner, TunerParams};
