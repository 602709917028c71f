// SPDX-License-Identifier: GPL-2.0

//! The user-space source: a root-only agent writes accesses it learned of
//! (from its own sampling, page-table scans or hardware logs) to
//! `/sys/kernel/mm/pghot/report`, one `PFN NID` pair per line. PFN is
//! decimal or `0x` hex, NID a node id or -1 when unknown. A malformed line
//! or a bad node fails the whole write with `EINVAL` before anything is
//! recorded.
//!
//! Only whole lines are taken: a write is accepted up to its last newline,
//! and the count returned says how far, as for any partial write. sysfs
//! hands over at most a page per write, so a long write arrives cut at an
//! arbitrary byte: an unterminated tail (`12 3` of `12 31`) would otherwise
//! be recorded with the wrong value. A write with no newline at all is
//! `EINVAL`.

use kernel::prelude::*;

use crate::bindings::{
    Source,
    NUMA_NO_NODE, //
};
use crate::jiffies;
use crate::nodes;
use crate::report;

/// One parsed line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct UserAccess {
    pub(crate) pfn: u64,
    pub(crate) nid: i32,
}

fn parse_pfn(tok: &[u8]) -> Option<u64> {
    let (digits, radix) = match tok.strip_prefix(b"0x") {
        Some(hex) => (hex, 16),
        None => (tok, 10),
    };
    if digits.is_empty() || digits.len() > 20 {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        let d = (c as char).to_digit(radix)?;
        v = v.checked_mul(u64::from(radix))?.checked_add(u64::from(d))?;
    }
    Some(v)
}

fn parse_nid(tok: &[u8]) -> Option<i32> {
    if tok == b"-1" {
        return Some(NUMA_NO_NODE);
    }
    if tok.is_empty() || tok.len() > 4 || !tok.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: i32 = 0;
    for &c in tok {
        v = v * 10 + i32::from(c - b'0');
    }
    (v < nodes::MAX_NODES as i32).then_some(v)
}

/// Parses every line of `input`, calling `f` for each; stops at the first
/// malformed line with `EINVAL`. Blank lines are skipped; fields are
/// separated by one or more spaces. A write with no line is malformed.
pub(crate) fn parse(input: &[u8], mut f: impl FnMut(UserAccess) -> Result) -> Result<usize> {
    let mut n = 0;
    for line in input.split(|&c| c == b'\n') {
        let mut fields = line.split(|&c| c == b' ').filter(|f| !f.is_empty());
        let Some(pfn) = fields.next() else {
            continue;
        };
        let nid = fields.next().ok_or(EINVAL)?;
        if fields.next().is_some() {
            return Err(EINVAL);
        }
        f(UserAccess {
            pfn: parse_pfn(pfn).ok_or(EINVAL)?,
            nid: parse_nid(nid).ok_or(EINVAL)?,
        })?;
        n += 1;
    }
    if n == 0 {
        return Err(EINVAL);
    }
    Ok(n)
}

/// The whole lines of `input`: everything up to and including its last
/// newline, or `None` when it has none.
fn whole_lines(input: &[u8]) -> Option<&[u8]> {
    let end = input.iter().rposition(|&c| c == b'\n')?;
    Some(&input[..=end])
}

/// sysfs store of `report`.
///
/// # Safety
///
/// `buf` must be valid for reads of `count` bytes.
#[no_mangle]
pub(crate) unsafe extern "C" fn pghot_user_report(buf: *const u8, count: usize) -> isize {
    // SAFETY: the caller guarantees `buf` holds `count` readable bytes.
    let input = unsafe { core::slice::from_raw_parts(buf, count) };
    let Some(input) = whole_lines(input) else {
        return EINVAL.to_errno() as isize;
    };
    // Two passes, so nothing is recorded unless every line is good; no copy
    // of the lines is kept (the kernel stack is small).
    let valid = parse(input, |a| {
        if nodes::nid_valid(a.nid) {
            Ok(())
        } else {
            Err(EINVAL)
        }
    });
    if let Err(e) = valid {
        return e.to_errno() as isize;
    }
    let now = jiffies::now();
    let recorded = parse(input, |a| {
        report::record(a.pfn, a.nid, Source::User as u32, now).map(|_| ())
    });
    match recorded {
        Ok(_) => input.len() as isize,
        // Only pghot or the user source being disabled fails here, at the
        // first line (a switch flipping mid-write can cut it short).
        Err(e) => e.to_errno() as isize,
    }
}

#[cfg(pghot_kunit)]
#[path = "../kunit/user.rs"]
mod kunit;
