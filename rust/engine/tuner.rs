//! Dynamic hotness threshold, one per target node, in the spirit of NUMA
//! balancing's `numa_promotion_adjust_threshold()` (kernel/sched/fair.c).
//!
//! Over each adjustment period the caller counts the promotion candidates
//! of a node (records that turned hot for it). At the end of the period the
//! count is compared with what the rate limit admits in that time
//! (`pages_per_sec * elapsed / hz`): above 110% the threshold goes up one
//! step (harder to become hot), below 90% it goes down one step, always
//! within `min..=max`. Here a higher threshold is stricter; the kernel's
//! threshold is a latency, where lower is stricter.

use super::clock::before;
use super::params::Error;
use super::record::{
    FREQ_MAX,
    NID_LIMIT, //
};
use super::storage::Alloc;

/// Settings of a [`ThresholdTuner`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TunerParams {
    /// Length of an adjustment period, in jiffies (>= 1).
    pub period_jiffies: u64,
    /// Lowest threshold (>= 1).
    pub min: u8,
    /// Highest threshold (<= 15).
    pub max: u8,
    /// Change per adjustment (>= 1).
    pub step: u8,
    /// Threshold every node starts with, in `min..=max`.
    pub initial: u8,
}

#[derive(Clone, Copy, Debug, Default)]
struct Period {
    start: u64,
    candidates: u64,
    threshold: u8,
    open: bool,
}

/// Per-node threshold controller.
pub struct ThresholdTuner<A: Alloc> {
    nodes: A::Buf<Period>,
    params: TunerParams,
}

impl<A: Alloc> ThresholdTuner<A> {
    /// A tuner for `nr_nodes` nodes (1..=1024).
    pub fn new(nr_nodes: u32, params: TunerParams, alloc: &A) -> Result<Self, Error> {
        let p = params;
        if nr_nodes == 0 || nr_nodes > NID_LIMIT {
            return Err(Error::Invalid("nr_nodes must be in 1..=1024"));
        }
        if p.period_jiffies == 0 || p.step == 0 {
            return Err(Error::Invalid("period_jiffies and step must be >= 1"));
        }
        if !(1 <= p.min && p.min <= p.initial && p.initial <= p.max && p.max <= FREQ_MAX) {
            return Err(Error::Invalid("need 1 <= min <= initial <= max <= 15"));
        }
        let init = Period {
            threshold: p.initial,
            ..Period::default()
        };
        Ok(ThresholdTuner {
            nodes: alloc.alloc(nr_nodes as usize, init)?,
            params,
        })
    }

    /// Current threshold of `node` (0 for an unknown node).
    pub fn threshold(&self, node: u32) -> u8 {
        self.nodes.get(node as usize).map_or(0, |p| p.threshold)
    }

    /// Counts `n` new promotion candidates for `node`.
    pub fn count(&mut self, node: u32, n: u64) {
        if let Some(p) = self.nodes.get_mut(node as usize) {
            p.candidates = p.candidates.saturating_add(n);
        }
    }

    /// Ends the period of `node` if it lasted `period_jiffies`, adjusting
    /// the threshold against the rate limit `pages_per_sec` (the rate
    /// limiter's `budget()`). Returns the threshold to apply when a period
    /// ended (changed or not), `None` otherwise. The first call only opens
    /// the first period.
    pub fn adjust(&mut self, node: u32, now: u64, hz: u32, pages_per_sec: u64) -> Option<u8> {
        let params = self.params;
        let p = self.nodes.get_mut(node as usize)?;
        if !p.open {
            *p = Period {
                start: now,
                candidates: 0,
                threshold: p.threshold,
                open: true,
            };
            return None;
        }
        if before(now, p.start) {
            return None;
        }
        let elapsed = now.wrapping_sub(p.start);
        if elapsed < params.period_jiffies {
            return None;
        }
        // pages_per_sec * elapsed / hz without a 128-bit division.
        let hz = u64::from(hz.max(1));
        let expected = (pages_per_sec / hz)
            .saturating_mul(elapsed)
            .saturating_add((pages_per_sec % hz).saturating_mul(elapsed) / hz);
        let seen = p.candidates.saturating_mul(10);
        if seen > expected.saturating_mul(11) {
            p.threshold = p.threshold.saturating_add(params.step).min(params.max);
        } else if seen < expected.saturating_mul(9) {
            p.threshold = p.threshold.saturating_sub(params.step).max(params.min);
        }
        p.start = now;
        p.candidates = 0;
        Some(p.threshold)
    }
}
