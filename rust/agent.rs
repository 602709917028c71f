// SPDX-License-Identifier: GPL-2.0

//! The agent device, `/dev/pghot`: what its three ioctls do (the format is
//! `include/uapi/pghot.h`, its parsing `engine/agent.rs`, the device and
//! the hand-off to kpromoted `agent.c`).
//!
//! Each request is read whole from user memory and checked whole before
//! anything acts on it, so a malformed one changes nothing. The arrays are
//! copied into kernel buffers (this is process context, not the report
//! path), so the agent cannot change them between check and use.

use kernel::alloc::KVVec;
use kernel::error::to_result;
use kernel::ffi::{
    c_int,
    c_long,
    c_uint,
    c_ulong, //
};
use kernel::prelude::*;
use kernel::uaccess::{
    UserPtr,
    UserSlice, //
};

use crate::bindings::{
    self,
    Fail,
    PfnClass,
    Registration,
    Source,
    Stat, //
};
use crate::engine::agent::{
    encode_status,
    move_pfns,
    parse_accesses,
    AgentError,
    HotRecord,
    MoveRequest,
    QueryRequest,
    ReportRequest,
    TopN,
    HOT_SIZE,
    MOVE_SIZE,
    PFN_SIZE,
    QUERY_SIZE,
    REPORT_SIZE,
    STATUS_SIZE, //
};
use crate::jiffies;
use crate::knob;
use crate::kpromoted;
use crate::nodes;
use crate::pfn;
use crate::report::{
    self,
    Recorded, //
};
use crate::state;
use crate::stats;

/// Registers `/dev/pghot`; removed when the result is dropped.
pub(crate) fn register() -> Result<Registration> {
    // The device's fops pin the module while it is open, so once
    // `misc_deregister()` returned no request is running.
    // SAFETY: a matching register/unregister pair, called once from module
    // init.
    unsafe {
        Registration::new(
            bindings::pghot_agent_register,
            bindings::pghot_agent_unregister,
        )
    }
}

/// The errno of a malformed request.
fn errno(e: AgentError) -> Error {
    match e {
        AgentError::Version => Error::from_errno(-(bindings::PGHOT_AGENT_EVERSION as c_int)),
        AgentError::TooMany => E2BIG,
        AgentError::Invalid => EINVAL,
    }
}

/// The caller's memory at `addr`, `len` bytes long.
fn user(addr: u64, len: usize) -> Result<UserSlice> {
    let addr = usize::try_from(addr).map_err(|_| EFAULT)?;
    Ok(UserSlice::new(UserPtr::from_addr(addr), len))
}

/// Reads `len` bytes of the caller's memory at `addr` into a new buffer.
fn read_array(addr: u64, len: usize) -> Result<KVVec<u8>> {
    let mut buf = KVVec::from_elem(0u8, len, GFP_KERNEL)?;
    user(addr, len)?.reader().read_slice(&mut buf)?;
    Ok(buf)
}

/// Runs an ioctl on the header at `arg`: reads it, lets `f` act on it and
/// fill its outputs, and writes it back.
fn with_header<const N: usize>(arg: c_ulong, f: impl FnOnce(&mut [u8; N]) -> Result) -> c_long {
    let run = || -> Result {
        let mut h = [0u8; N];
        user(arg as u64, N)?.reader().read_slice(&mut h)?;
        // The outputs must be deliverable before anything acts: a header
        // the agent cannot get back is refused up front.
        user(arg as u64, N)?.writer().write_slice(&h)?;
        f(&mut h)?;
        user(arg as u64, N)?.writer().write_slice(&h)
    };
    match run() {
        Ok(()) => 0,
        Err(e) => e.to_errno() as c_long,
    }
}

/// `PGHOT_IOC_REPORT`: records a batch of accesses as source `user`.
#[no_mangle]
pub(crate) extern "C" fn pghot_agent_report(arg: c_ulong) -> c_long {
    with_header::<REPORT_SIZE>(arg, |h| {
        let req = ReportRequest::parse(h).map_err(errno)?;
        let bytes = read_array(req.accesses, req.array_len())?;
        let accesses = parse_accesses(&bytes, |nid| {
            nid < nodes::MAX_NODES as i32 && nodes::nid_valid(nid)
        })
        .map_err(errno)?;
        if !knob::ENABLED.on() || !knob::source(Source::User).on() {
            return Err(EAGAIN);
        }
        let now = jiffies::now();
        let (mut taken, mut ignored) = (0u32, 0u32);
        for a in accesses {
            match report::record(a.pfn, a.nid, Source::User as u32, now) {
                Ok(Recorded::Taken { .. }) => taken += 1,
                Ok(Recorded::Ignored) => ignored += 1,
                // pghot or the source was switched off meanwhile: the
                // counts tell how far the batch got.
                Err(_) => break,
            }
        }
        ReportRequest::set_result(h, taken, ignored);
        Ok(())
    })
}

/// `PGHOT_IOC_HOTTEST`: the hottest records waiting for promotion to a
/// node, hottest first.
#[no_mangle]
pub(crate) extern "C" fn pghot_agent_hottest(arg: c_ulong) -> c_long {
    with_header::<QUERY_SIZE>(arg, |h| {
        let q = QueryRequest::parse(h).map_err(errno)?;
        if !nodes::is_target(q.nid as i32) {
            return Err(EINVAL);
        }
        let store = state::store().ok_or(ENODEV)?;
        // The whole output array must be writable, however few records
        // there are to put in it.
        let mut out = KVVec::from_elem(0u8, q.nr as usize * HOT_SIZE, GFP_KERNEL)?;
        user(q.records, out.len())?.writer().write_slice(&out)?;
        let mut kept = KVVec::from_elem(HotRecord::default(), q.nr as usize, GFP_KERNEL)?;
        let mut top = TopN::new(&mut kept);
        let (now, hz) = (jiffies::now(), u64::from(jiffies::hz()));
        store.for_each_hot_aged(q.nid, now, |c, age| {
            top.push(HotRecord {
                pfn: c.pfn,
                nid: c.nid,
                freq: c.freq,
                age_ms: age.saturating_mul(1000) / hz,
            })
        });
        let hottest = top.into_sorted();
        let out = &mut out[..hottest.len() * HOT_SIZE];
        for (i, r) in hottest.iter().enumerate() {
            r.encode(out, i);
        }
        user(q.records, out.len())?.writer().write_slice(out)?;
        QueryRequest::set_result(h, hottest.len() as u32);
        Ok(())
    })
}

/// `PGHOT_IOC_MOVE`: moves the folios of some PFNs to a node, through that
/// node's kpromoted, and returns a status per PFN.
#[no_mangle]
pub(crate) extern "C" fn pghot_agent_move(arg: c_ulong) -> c_long {
    with_header::<MOVE_SIZE>(arg, |h| {
        let m = MoveRequest::parse(h).map_err(errno)?;
        if !nodes::is_target(m.nid as i32) {
            return Err(EINVAL);
        }
        let nr = m.nr as usize;
        let bytes = read_array(m.pfns, nr * PFN_SIZE)?;
        let mut pfns = KVVec::with_capacity(nr, GFP_KERNEL)?;
        for pfn in move_pfns(&bytes) {
            pfns.push_within_capacity(pfn).map_err(|_| EINVAL)?;
        }
        // Nothing may move unless the answer can be delivered: make sure
        // the status array is writable first. It says "not moved, try
        // again" until kpromoted has done the move.
        let mut status = KVVec::from_elem(EAGAIN.to_errno(), nr, GFP_KERNEL)?;
        let mut out = KVVec::from_elem(0u8, nr * STATUS_SIZE, GFP_KERNEL)?;
        encode_status(&status, &mut out);
        user(m.status, out.len())?.writer().write_slice(&out)?;
        if !knob::ENABLED.on() || !kpromoted::running(m.nid) {
            return Err(EAGAIN);
        }
        // SAFETY: both arrays hold `nr` entries and outlive the call, which
        // returns only once kpromoted is done with them (or never took
        // them); this is process context, which may sleep.
        to_result(unsafe {
            bindings::pghot_agent_move_submit(
                pfns.as_ptr(),
                status.as_mut_ptr(),
                m.nr,
                m.nid as c_int,
            )
        })?;
        encode_status(&status, &mut out);
        user(m.status, out.len())?.writer().write_slice(&out)?;
        let moved = status.iter().filter(|&&s| s == 0).count();
        MoveRequest::set_result(h, moved as u32);
        Ok(())
    })
}

/// The status of a PFN that did not move, by reason.
fn fail_errno(why: Fail) -> Error {
    match why {
        Fail::Invalid => ENOENT,
        Fail::Toptier => EEXIST,
        Fail::NotLru => EINVAL,
        Fail::Isolated => EBUSY,
        Fail::Pinned => EPERM,
        Fail::Shared => EACCES,
        Fail::NoSpace => ENOMEM,
        // Not allowed by a user's memory policy or cpuset: not EACCES,
        // which says "shared file" here.
        Fail::Policy => EXDEV,
        // Locked, dirty, or a reverse-map lock contended: try again.
        Fail::Busy => ETXTBSY,
        Fail::Migrate => EAGAIN,
    }
}

/// Moves each PFN of a request to `nid`, one folio at a time, setting its
/// status: 0 when its folio moved, else a negative errno.
///
/// # Safety
///
/// `pfns` must be valid for `nr` reads and `status` for `nr` writes, and
/// the caller must be allowed to sleep.
#[no_mangle]
pub(crate) unsafe extern "C" fn pghot_agent_move_run(
    pfns: *const u64,
    status: *mut i32,
    nr: c_uint,
    nid: c_int,
) {
    // SAFETY: the caller guarantees `nr` readable entries.
    let pfns = unsafe { core::slice::from_raw_parts(pfns, nr as usize) };
    // SAFETY: the caller guarantees `nr` writable entries, used by no one
    // else until it is told the move is done.
    let status = unsafe { core::slice::from_raw_parts_mut(status, nr as usize) };
    let store = state::store();
    for (&pfn, st) in pfns.iter().zip(status.iter_mut()) {
        let page = pfn::classify(pfn);
        let mut why = Fail::Invalid;
        // SAFETY: `why` is valid for a write; the function accepts any PFN
        // and node, and may sleep here.
        let moved = unsafe { bindings::pghot_move_pfn(pfn as c_ulong, nid, &mut why) };
        if moved {
            *st = 0;
            stats::inc(Stat::AgentMoved);
            // Moved by hand: its record would only promote it again.
            if let (Some(store), false) = (store, page.class == PfnClass::NoPage) {
                store.remove(page.head);
            }
        } else {
            *st = fail_errno(why).to_errno();
            stats::inc(Stat::AgentMoveFailed);
        }
    }
}

#[cfg(pghot_kunit)]
#[path = "../kunit/agent.rs"]
mod kunit;
