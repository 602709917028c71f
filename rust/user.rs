// SPDX-License-Identifier: GPL-2.0

//! The user-space source: a root-only agent writes accesses it learned of
//! (from its own sampling, page-table scans or hardware logs) to
//! `/sys/kernel/mm/pghot/report`, one `PFN NID` pair per line. PFN is
//! decimal or `0x` hex, NID a node id or -1 when unknown. A write is taken
//! whole or not at all: a malformed line or a bad node fails it with
//! `EINVAL` before anything is recorded.

use kernel::prelude::*;

use crate::bindings;
use crate::nodes;
use crate::report;

/// Most lines one write may carry (a sysfs write is at most a page).
const MAX_LINES: usize = 256;

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
        return Some(bindings::NUMA_NO_NODE);
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

/// Parses `input` into `out`; returns the number of lines. Blank lines are
/// skipped; fields are separated by one or more spaces.
pub(crate) fn parse(input: &[u8], out: &mut [UserAccess]) -> Result<usize> {
    let mut n = 0;
    for line in input.split(|&c| c == b'\n') {
        let mut fields = line.split(|&c| c == b' ').filter(|f| !f.is_empty());
        let Some(pfn) = fields.next() else {
            continue;
        };
        let nid = fields.next().ok_or(EINVAL)?;
        if fields.next().is_some() || n == out.len() {
            return Err(EINVAL);
        }
        out[n] = UserAccess {
            pfn: parse_pfn(pfn).ok_or(EINVAL)?,
            nid: parse_nid(nid).ok_or(EINVAL)?,
        };
        n += 1;
    }
    if n == 0 {
        return Err(EINVAL);
    }
    Ok(n)
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
    let mut lines = [UserAccess::default(); MAX_LINES];
    let n = match parse(input, &mut lines) {
        Ok(n) => n,
        Err(e) => return e.to_errno() as isize,
    };
    if lines[..n].iter().any(|a| !bindings::nid_valid(a.nid)) {
        return EINVAL.to_errno() as isize;
    }
    let now = bindings::jiffies();
    for a in &lines[..n] {
        if let Err(e) = report::record(a.pfn, a.nid, bindings::PGHOT_SRC_USER, now) {
            // Only a disabled pghot or source fails here (arguments were
            // checked): report it for the whole write.
            return e.to_errno() as isize;
        }
    }
    count as isize
}
