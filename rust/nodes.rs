// SPDX-License-Identifier: GPL-2.0

//! Which nodes are promotion targets (top tier, with memory; CPUs are not
//! required) and, for every node, the target its accesses promote to. Kept
//! in atomics so the report path reads them without a lock; rebuilt at load,
//! on memory hotplug, and never on the report path.

use kernel::sync::atomic::{
    Atomic,
    Relaxed, //
};

use crate::bindings;
use crate::engine::select_target;

/// Node ids pghot handles: the target mask is one `u64`. Reports about
/// higher node ids are refused with `EINVAL`.
pub(crate) const MAX_NODES: usize = 64;

/// Bit `n` set: node `n` is a promotion target.
static TARGETS: Atomic<u64> = Atomic::new(0);

/// `NEAREST[n]`: the target for a page accessed from (or, when the accessor
/// is unknown, living on) node `n`; -1 when there is none.
static NEAREST: [Atomic<i32>; MAX_NODES] = [const { Atomic::new(-1) }; MAX_NODES];

/// Number of node ids in use, at most [`MAX_NODES`].
pub(crate) fn nr_nodes() -> u32 {
    // SAFETY: reads `nr_node_ids`, set once at boot.
    let nr = unsafe { bindings::pghot_nr_node_ids() };
    nr.min(MAX_NODES as u32)
}

/// Whether `nid` is `NUMA_NO_NODE` or an online node.
pub(crate) fn nid_valid(nid: i32) -> bool {
    // SAFETY: pure check of `nid` against `nr_node_ids` and the online map.
    unsafe { bindings::pghot_nid_valid(nid) }
}

/// Whether `nid` is online, has memory and is in the top tier (asked of
/// the kernel; the report path uses the cached [`is_target`]).
fn node_is_target(nid: u32) -> bool {
    // SAFETY: pure query; out-of-range ids answer false.
    unsafe { bindings::pghot_node_is_target(nid as i32) }
}

/// The kernel's `node_distance(from, to)`, for ids below `nr_node_ids`.
fn node_distance(from: u32, to: u32) -> u32 {
    // SAFETY: pure table lookup; callers pass ids below `nr_node_ids`.
    let d = unsafe { bindings::pghot_node_distance(from as i32, to as i32) };
    d.max(0) as u32
}

/// Recomputes the targets from the kernel's memory tiers. Returns the mask.
pub(crate) fn refresh() -> u64 {
    let nr = nr_nodes();
    let mut list = [0u32; MAX_NODES];
    let mut count = 0;
    let mut mask = 0u64;
    for nid in 0..nr {
        if node_is_target(nid) {
            list[count] = nid;
            count += 1;
            mask |= 1 << nid;
        }
    }
    let targets = &list[..count];
    for nid in 0..nr {
        let nearest = select_target(Some(nid), nid, targets, node_distance);
        NEAREST[nid as usize].store(nearest.map_or(-1, |t| t as i32), Relaxed);
    }
    TARGETS.store(mask, Relaxed);
    mask
}

/// The current target mask.
pub(crate) fn targets() -> u64 {
    TARGETS.load(Relaxed)
}

/// Whether `nid` is a promotion target, i.e. a top-tier node with memory.
#[inline]
pub(crate) fn is_target(nid: i32) -> bool {
    u32::try_from(nid).is_ok_and(|n| n < MAX_NODES as u32 && targets() & (1 << n) != 0)
}

/// Where a lower-tier page on `page_nid`, accessed from `accessing`
/// (`NUMA_NO_NODE` if unknown), should be promoted to.
#[inline]
pub(crate) fn target_for(accessing: i32, page_nid: i32) -> Option<u32> {
    let from = if accessing >= 0 { accessing } else { page_nid };
    let t = NEAREST.get(usize::try_from(from).ok()?)?.load(Relaxed);
    u32::try_from(t).ok()
}
