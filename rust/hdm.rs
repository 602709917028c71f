// SPDX-License-Identifier: GPL-2.0

//! The HDM decoders of a CXL memory device's component registers, read to
//! translate a device physical address (DPA, what the CHMU reports) to the
//! host physical address (HPA) it is mapped at. Written against
//! `chmu_regs::Regs`, so KUnit (`kunit/hdm.rs`) runs it on registers
//! emulated in memory.
//!
//! Offsets and fields: CXL r3.2 section 8.2.4 (component register layout,
//! CXL.cache/CXL.mem capability array at 0x1000) and 8.2.4.20 (CXL HDM
//! Decoder Capability Structure), as drivers/cxl/cxl.h of Linux 7.2 names
//! them. The DPA to HPA arithmetic is that of section 8.2.4.20.13
//! ("Implementation Note: Device Decode Logic"), which Linux implements in
//! cxl_calculate_hpa_offset() (drivers/cxl/core/region.c).
//!
//! An endpoint decoder does not hold the device's position in an
//! interleave set; the CXL region driver knows it. A decoder interleaved
//! more than one way has no position here (`Decoder::pos` is `None`) and
//! its DPAs fail with `ENOTSUPP` (a kernel-internal
//! code: it is only counted, never returned to user space).

use kernel::prelude::*;

use crate::chmu_regs::{
    check,
    field,
    Regs, //
};

/// The CXL.cache/CXL.mem registers start here in the component block.
pub(crate) const CM_OFFSET: usize = 0x1000;
/// CXL Capability Header (at `CM_OFFSET`): Capability ID [15:0] (must be
/// 1), Version [19:16], Cache/Mem Version [23:20], Array Size [31:24].
const CM_CAP_ID: u64 = 1;
/// A capability array entry: Capability ID [15:0], Pointer [31:20] from
/// `CM_OFFSET`.
const CM_CAP_ID_HDM: u64 = 5;
/// HDM Decoder Capability [3:0]: the decoder count, encoded.
const HDM_CAP: usize = 0x0;
/// Decoder `i`'s registers, from the HDM capability: Base Low (bits
/// [31:28] are HPA bits 31:28), Base High, Size Low, Size High, Control,
/// DPA Skip Low (endpoint decoders), DPA Skip High.
const fn base_lo(i: usize) -> usize {
    0x10 + 0x20 * i
}
const fn base_hi(i: usize) -> usize {
    0x14 + 0x20 * i
}
const fn size_lo(i: usize) -> usize {
    0x18 + 0x20 * i
}
const fn size_hi(i: usize) -> usize {
    0x1c + 0x20 * i
}
const fn ctrl(i: usize) -> usize {
    0x20 + 0x20 * i
}
const fn skip_lo(i: usize) -> usize {
    0x24 + 0x20 * i
}
const fn skip_hi(i: usize) -> usize {
    0x28 + 0x20 * i
}
/// Decoder Control: Interleave Granularity [3:0], Interleave Ways [7:4],
/// Lock On Commit [8], Commit [9], Committed [10], Error Not Committed
/// [11].
const CTRL_COMMITTED: u64 = 1 << 10;
/// Base, size and skip are multiples of 256 MiB (the low 28 bits of the
/// Low registers are reserved).
const ADDR_MASK: u64 = !((1 << 28) - 1);
/// Most decoders a capability can have (count encoding 12).
pub(crate) const MAX_DECODERS: usize = 32;
/// Largest Interleave Granularity encoding: 16 KiB.
const MAX_EIG: u8 = 6;

/// Interleave ways of an Interleave Ways encoding, if it is valid.
pub(crate) const fn ways(eiw: u8) -> Option<u32> {
    match eiw {
        0..=4 => Some(1 << eiw),
        8..=10 => Some(3 << (eiw - 8)),
        _ => None,
    }
}

/// Decoders of a decoder count encoding, if it is valid.
const fn decoder_count(code: u64) -> Option<usize> {
    match code {
        0 => Some(1),
        1..=8 => Some(code as usize * 2),
        9..=12 => Some((code as usize - 4) * 4),
        _ => None,
    }
}

/// One committed decoder: HPA `hpa_base..+hpa_size` maps the device's DPA
/// `dpa_base..+hpa_size / ways`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Decoder {
    pub(crate) hpa_base: u64,
    pub(crate) hpa_size: u64,
    pub(crate) dpa_base: u64,
    /// Interleave Ways and Granularity encodings.
    pub(crate) eiw: u8,
    pub(crate) eig: u8,
    /// This device's position in the interleave set, when known.
    pub(crate) pos: Option<u32>,
}

impl Decoder {
    pub(crate) fn ways(&self) -> u32 {
        ways(self.eiw).unwrap_or(1)
    }

    /// DPA bytes the decoder maps.
    pub(crate) fn dpa_size(&self) -> u64 {
        self.hpa_size / u64::from(self.ways())
    }

    fn holds(&self, dpa: u64) -> bool {
        dpa >= self.dpa_base && dpa - self.dpa_base < self.dpa_size()
    }

    /// The HPA of `dpa`, which the decoder holds: the DPA offset's bits
    /// above the granularity are spread over the ways and this device's
    /// position put between them; the bits below pass through.
    fn hpa(&self, dpa: u64) -> Result<u64> {
        let pos = self.pos.ok_or(ENOTSUPP)?;
        let ways = u64::from(self.ways());
        if u64::from(pos) >= ways {
            return Err(EINVAL);
        }
        let gran_shift = u32::from(self.eig) + 8;
        let offset = dpa - self.dpa_base;
        let low = offset & ((1 << gran_shift) - 1);
        let chunk = (offset >> gran_shift)
            .checked_mul(ways)
            .and_then(|c| c.checked_add(u64::from(pos)))
            .ok_or(ERANGE)?;
        let hpa_offset = chunk
            .checked_mul(1 << gran_shift)
            .map(|c| c | low)
            .filter(|&o| o < self.hpa_size)
            .ok_or(ERANGE)?;
        Ok(self.hpa_base + hpa_offset)
    }
}

/// The committed decoders of an endpoint, in decoder order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Decoders {
    list: [Decoder; MAX_DECODERS],
    nr: usize,
}

fn rd32(regs: &impl Regs, off: usize) -> Result<u64> {
    check(regs, off, 4)?;
    Ok(u64::from(regs.read32(off)))
}

/// A 64-bit address from a Low/High register pair.
fn addr(regs: &impl Regs, lo: usize, hi: usize) -> Result<u64> {
    Ok(rd32(regs, hi)? << 32 | (rd32(regs, lo)? & ADDR_MASK))
}

/// Offset of the HDM Decoder Capability in a component register block.
fn find_hdm(regs: &impl Regs) -> Result<usize> {
    let header = rd32(regs, CM_OFFSET)?;
    if field(header, 0, 16) != CM_CAP_ID {
        return Err(ENODEV);
    }
    for i in 1..=field(header, 24, 8) as usize {
        let entry = rd32(regs, CM_OFFSET + 4 * i)?;
        if field(entry, 0, 16) == CM_CAP_ID_HDM {
            return Ok(CM_OFFSET + field(entry, 20, 12) as usize);
        }
    }
    Err(ENODEV)
}

impl Decoders {
    /// No decoder: every translation fails.
    pub(crate) const fn none() -> Self {
        Decoders {
            list: [Decoder {
                hpa_base: 0,
                hpa_size: 0,
                dpa_base: 0,
                eiw: 0,
                eig: 0,
                pos: None,
            }; MAX_DECODERS],
            nr: 0,
        }
    }

    /// Reads the committed decoders of the component register block
    /// `regs`. Decoders commit in order, so the first one not committed
    /// ends the list. A value no decoder can hold fails with `EIO`.
    pub(crate) fn read(regs: &impl Regs) -> Result<Self> {
        let hdm = find_hdm(regs)?;
        let count = decoder_count(field(rd32(regs, hdm + HDM_CAP)?, 0, 4)).ok_or(EIO)?;
        let mut out = Decoders::none();
        // Each decoder's DPA follows the previous one's, after its skip.
        let mut dpa_next = 0u64;
        for i in 0..count {
            let ctl = rd32(regs, hdm + ctrl(i))?;
            if ctl & CTRL_COMMITTED == 0 {
                break;
            }
            let eig = field(ctl, 0, 4) as u8;
            let eiw = field(ctl, 4, 4) as u8;
            let ways = u64::from(ways(eiw).ok_or(EIO)?);
            if eig > MAX_EIG {
                return Err(EIO);
            }
            let hpa_base = addr(regs, hdm + base_lo(i), hdm + base_hi(i))?;
            let hpa_size = addr(regs, hdm + size_lo(i), hdm + size_hi(i))?;
            let skip = addr(regs, hdm + skip_lo(i), hdm + skip_hi(i))?;
            if hpa_size == 0 || hpa_size % ways != 0 || hpa_base.checked_add(hpa_size).is_none() {
                return Err(EIO);
            }
            let dpa_base = dpa_next.checked_add(skip).ok_or(EIO)?;
            dpa_next = dpa_base.checked_add(hpa_size / ways).ok_or(EIO)?;
            out.list[i] = Decoder {
                hpa_base,
                hpa_size,
                dpa_base,
                eiw,
                eig,
                pos: (ways == 1).then_some(0),
            };
            out.nr = i + 1;
        }
        Ok(out)
    }

    /// Decoders made up by a test.
    #[cfg(pghot_kunit)]
    pub(crate) fn from_list(decoders: &[Decoder]) -> Self {
        let mut out = Decoders::none();
        for (d, s) in out.list.iter_mut().zip(decoders) {
            *d = *s;
        }
        out.nr = decoders.len().min(MAX_DECODERS);
        out
    }

    /// The committed decoders.
    pub(crate) fn list(&self) -> &[Decoder] {
        &self.list[..self.nr]
    }

    /// The HPA that `dpa` is mapped at: `ENXIO` when no committed decoder
    /// maps it, `ENOTSUPP` when its decoder is interleaved and the
    /// device's position is not known.
    pub(crate) fn dpa_to_hpa(&self, dpa: u64) -> Result<u64> {
        self.list()
            .iter()
            .find(|d| d.holds(dpa))
            .ok_or(ENXIO)?
            .hpa(dpa)
    }

    /// Interleave granularity in bytes of the decoder holding `dpa`.
    pub(crate) fn granularity(&self, dpa: u64) -> Option<u64> {
        self.list()
            .iter()
            .find(|d| d.holds(dpa))
            .map(|d| 256 << d.eig)
    }
}

#[cfg(pghot_kunit)]
#[path = "../kunit/hdm.rs"]
mod kunit;
