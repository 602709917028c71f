//! Per-node promotion rate limit, in MB/s, like NUMA balancing's
//! `numa_promotion_rate_limit()` (kernel/sched/fair.c).
//!
//! Each target node has a one-second window that opens at the first
//! request after the previous window expired. A window admits at most the
//! per-second budget (`rate_mb_per_s` MiB, in pages of `1 << page_shift`
//! bytes, the caller's `PAGE_SHIFT`); requests beyond it are cut short
//! (partial admission) or refused. Like the kernel's, the limiter bounds
//! each window, not any sliding second: two back-to-back windows can admit
//! up to twice the budget within one second across their boundary, and over
//! `n` seconds at most `n + 1` budgets.

use super::clock::before;
use super::params::Error;
use super::record::NID_LIMIT;
use super::storage::Alloc;

/// Largest page shift [`RateLimiter::new`] accepts: pages of at most 1 MiB,
/// so that a MiB is a whole number of pages.
const MAX_PAGE_SHIFT: u32 = 20;

/// Pages of `1 << page_shift` bytes per second for a rate in MiB/s
/// (saturating; rounded down for pages larger than 1 MiB).
pub const fn mb_to_pages(mb_per_s: u64, page_shift: u32) -> u64 {
    if page_shift <= MAX_PAGE_SHIFT {
        mb_per_s.saturating_mul(1 << (MAX_PAGE_SHIFT - page_shift))
    } else {
        match mb_per_s.checked_shr(page_shift - MAX_PAGE_SHIFT) {
            Some(pages) => pages,
            None => 0,
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct Window {
    start: u64,
    used: u64,
    open: bool,
}

/// Promotion rate limiter with one window per target node.
pub struct RateLimiter<A: Alloc> {
    nodes: A::Buf<Window>,
    pages_per_sec: u64,
    page_shift: u32,
}

impl<A: Alloc> RateLimiter<A> {
    /// A limiter for `nr_nodes` target nodes (1..=1024) admitting
    /// `rate_mb_per_s` MiB per second per node, in pages of
    /// `1 << page_shift` bytes (the kernel's `PAGE_SHIFT`, 0..=20).
    pub fn new(
        nr_nodes: u32,
        rate_mb_per_s: u64,
        page_shift: u32,
        alloc: &A,
    ) -> Result<Self, Error> {
        if nr_nodes == 0 || nr_nodes > NID_LIMIT {
            return Err(Error::Invalid("nr_nodes must be in 1..=1024"));
        }
        if page_shift > MAX_PAGE_SHIFT {
            return Err(Error::Invalid("page_shift must be <= 20"));
        }
        Ok(RateLimiter {
            nodes: alloc.alloc(nr_nodes as usize, Window::default())?,
            pages_per_sec: mb_to_pages(rate_mb_per_s, page_shift),
            page_shift,
        })
    }

    /// Changes the rate; the current windows keep what they already used.
    pub fn set_rate(&mut self, rate_mb_per_s: u64) {
        self.pages_per_sec = mb_to_pages(rate_mb_per_s, self.page_shift);
    }

    /// The per-window (per-second) budget, in pages.
    pub fn budget(&self) -> u64 {
        self.pages_per_sec
    }

    /// Asks to promote `nr_pages` pages to `node` at jiffies `now`, with
    /// `hz` jiffies per second. Returns how many may go (0..=nr_pages);
    /// they are charged to the node's current window. A `now` behind the
    /// window start (a racing reader of jiffies) counts in the current
    /// window. Unknown nodes get nothing.
    pub fn admit(&mut self, node: u32, nr_pages: u64, now: u64, hz: u32) -> u64 {
        let Some(w) = self.nodes.get_mut(node as usize) else {
            return 0;
        };
        let second = u64::from(hz.max(1));
        if !w.open || (!before(now, w.start) && now.wrapping_sub(w.start) >= second) {
            *w = Window {
                start: now,
                used: 0,
                open: true,
            };
        }
        let n = nr_pages.min(self.pages_per_sec.saturating_sub(w.used));
        w.used = w.used.saturating_add(n);
        n
    }
}
