// SPDX-License-Identifier: GPL-2.0

//! The register interface of a CXL Hotness Monitoring Unit (CHMU, CXL
//! r3.2): finding its instances, programming one (unit size, hotness
//! threshold, epoch, reporting mode, tracked ranges, enable) and draining
//! its hot list. Everything goes through `Regs`, so that the same code
//! drives a device's MMIO in the module and a register block emulated in
//! memory in KUnit (`kunit/chmu_regs.rs`).
//!
//! Every value read from the device is checked before it is used as an
//! offset, a length or a shift; a value that does not fit fails with `EIO`
//! and the instance is left as it was.
//!
//! The layout is the CHMU register block of CXL r3.2 section 8.2.8 ("CHMU
//! Register Interface"), with the offsets and field positions used by the
//! Linux RFC "cxl: Hotness Monitoring Unit via a Perf AUX Buffer"
//! (drivers/cxl/hmu.c, J. Cameron, 2024-11) and the QEMU emulation "hw/cxl:
//! Add emulation of a CXL Hotness Monitoring Unit" (hw/cxl/cxl-chmu.c,
//! include/hw/cxl/cxl_chmu.h, 2025-06), which agree with each other. The
//! specification itself was not available to us; where the two sources
//! leave something open it is said below.

use kernel::prelude::*;

/// Access to a block of device registers, `len()` bytes long. Offsets are
/// from the start of the block; callers check them against `len()` (see
/// `check`), and implementations must stay inside the block even if not.
pub(crate) trait Regs {
    /// Length of the block in bytes.
    fn len(&self) -> usize;
    fn read64(&self, off: usize) -> u64;
    fn write64(&mut self, off: usize, val: u64);
    fn read32(&self, off: usize) -> u32;
    fn read16(&self, off: usize) -> u16;
    fn write16(&mut self, off: usize, val: u16);
    /// Waits a little before polling a status register again.
    fn relax(&self);
}

/// `off..off + size` is an aligned access inside `regs`, else `EIO`.
pub(crate) fn check(regs: &impl Regs, off: usize, size: usize) -> Result {
    let inside = off.checked_add(size).is_some_and(|end| end <= regs.len());
    if inside && off % size == 0 {
        Ok(())
    } else {
        Err(EIO)
    }
}

fn rd64(regs: &impl Regs, off: usize) -> Result<u64> {
    check(regs, off, 8)?;
    Ok(regs.read64(off))
}

fn wr64(regs: &mut impl Regs, off: usize, val: u64) -> Result {
    check(regs, off, 8)?;
    regs.write64(off, val);
    Ok(())
}

fn rd16(regs: &impl Regs, off: usize) -> Result<u16> {
    check(regs, off, 2)?;
    Ok(regs.read16(off))
}

/// Bits `lo..lo + width` of `val`.
#[inline]
pub(crate) const fn field(val: u64, lo: u32, width: u32) -> u64 {
    (val >> lo) & ((1u64 << width) - 1)
}

// CHMU Common Capabilities, at the start of the block.
/// Common Capability 0: Version [3:0], Number of Instances [15:8].
pub(crate) const COMMON_CAP0: usize = 0x00;
/// Common Capability 1: Instance Length [15:0], the stride of instances.
pub(crate) const COMMON_CAP1: usize = 0x08;
/// The first instance's registers follow the common capabilities.
pub(crate) const FIRST_INSTANCE: usize = 0x10;
/// The only Version defined by r3.2.
pub(crate) const VERSION: u64 = 1;

// Per-instance registers, from the instance's base.
/// Capability 0: Interrupt Message Number [3:0], Overflow Interrupt
/// Support [4], Fill Threshold Interrupt Support [5], Epoch Type [7:6],
/// Tracked M2S Requests [13:8] (non-TEE R, W, RW, then all R, W, RW),
/// Maximum Epoch Length Scale [19:16] and Multiplier [31:20], Minimum Epoch
/// Length Scale [35:32] and Multiplier [47:36], Hot List Size [63:48].
pub(crate) const CAP0: usize = 0x00;
/// Capability 1: Supported Unit Sizes [31:0] (bit n: 2^(n + 8) bytes),
/// Supported Downsampling Factors [47:32], then flags: Epoch-based
/// Reporting [48], Always-on Reporting [49], Randomized Downsampling [50],
/// Overlapping Address Ranges [51], Insert After Clear [52].
pub(crate) const CAP1: usize = 0x08;
/// Range Configuration Bitmap Offset, 64 bits, from the instance's base.
pub(crate) const RANGE_BITMAP_OFFSET: usize = 0x10;
/// Hot List Offset, 64 bits, from the instance's base.
pub(crate) const HOTLIST_OFFSET: usize = 0x18;
/// Configuration 0: M2S Requests to Track [7:0], Randomized Downsampling
/// [8], Interrupt on Overflow [9], Interrupt on Fill Threshold [10],
/// Enable [16], Reset Counters [17], Hotness Threshold [63:32].
pub(crate) const CFG0: usize = 0x40;
/// Configuration 1: Unit Size [31:0] (log2 of the bytes, as both sources
/// write it), Downsampling Factor [35:32], Reporting Mode [47:40] (0
/// epoch-based, 1 always-on), Epoch Length Scale [51:48] and Multiplier
/// [63:52].
pub(crate) const CFG1: usize = 0x48;
/// Configuration 2: Hot List Fill Threshold [15:0].
pub(crate) const CFG2: usize = 0x50;
/// Status: Enabled [0], Operation in Progress [31:16], Counter Width
/// [39:32], Hot List Overflow [40], Fill Threshold Reached [41] (both
/// write-1-to-clear).
pub(crate) const STATUS: usize = 0x60;
/// Hot List Head, 16 bits: the oldest entry; software advances it.
pub(crate) const HEAD: usize = 0x68;
/// Hot List Tail, 16 bits: where the device writes the next entry. The
/// list is empty when head == tail.
pub(crate) const TAIL: usize = 0x6a;
/// Registers an instance has at least.
const INSTANCE_REGS: usize = 0x70;

pub(crate) const CFG0_ENABLE: u64 = 1 << 16;
pub(crate) const CFG0_RESET: u64 = 1 << 17;
pub(crate) const STATUS_ENABLED: u64 = 1 << 0;
pub(crate) const STATUS_OVERFLOW: u64 = 1 << 40;
/// Reporting Mode values of Configuration 1.
pub(crate) const MODE_EPOCH: u64 = 0;
pub(crate) const MODE_ALWAYS_ON: u64 = 1;
/// DPA bytes one bit of the Range Configuration Bitmap stands for.
pub(crate) const RANGE_CHUNK: u64 = 256 << 20;
/// Largest bitmap programmed: 64 Ki bits, 16 TiB of DPA.
const MAX_BITMAP_BYTES: usize = 8 << 10;
/// Status polls before an operation counts as stuck (~100 ms at 10 us).
const POLLS: u32 = 10_000;

/// Epoch Length Scale codes 1..=5: 100 us, 1 ms, 10 ms, 100 ms, 1 s.
/// Returns the scale in units of 100 us.
const fn scale_100us(code: u64) -> Option<u64> {
    match code {
        1 => Some(1),
        2 => Some(10),
        3 => Some(100),
        4 => Some(1_000),
        5 => Some(10_000),
        _ => None,
    }
}

/// Epoch length in units of 100 us from a (scale, multiplier) pair.
fn epoch_100us(scale: u64, mult: u64) -> Option<u64> {
    scale_100us(scale).map(|s| s * mult)
}

/// How an epoch of `ms` milliseconds is written: the finest scale whose
/// 12-bit multiplier holds it exactly, or `EINVAL`.
pub(crate) fn encode_epoch(ms: u64) -> Result<(u64, u64)> {
    for scale in 2..=5 {
        let per = scale_100us(scale).ok_or(EINVAL)? / 10;
        if per == 0 || ms % per != 0 {
            continue;
        }
        let mult = ms / per;
        if (1..1 << 12).contains(&mult) {
            return Ok((scale, mult));
        }
    }
    Err(EINVAL)
}

/// What to program into an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Config {
    /// Bytes of DPA per counter, a power of two.
    pub(crate) unit_size: u64,
    /// Accesses within an epoch that make a unit hot.
    pub(crate) threshold: u64,
    /// Epoch length in milliseconds.
    pub(crate) epoch_ms: u64,
}

/// An instance's capabilities, checked when it is probed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Caps {
    pub(crate) hotlist_size: u16,
    /// Bit n: a unit of 2^(n + 8) bytes is supported.
    pub(crate) unit_sizes: u32,
    /// Tracked M2S Requests, bit 0 = non-TEE reads ... bit 5 = all RW.
    pub(crate) tracked: u8,
    pub(crate) epoch_min_100us: u64,
    pub(crate) epoch_max_100us: u64,
    pub(crate) epoch_based: bool,
    pub(crate) always_on: bool,
    /// Range Configuration Bitmap, from the instance's base, and its bytes.
    pub(crate) bitmap_off: usize,
    pub(crate) bitmap_len: usize,
    /// First hot list entry, from the instance's base.
    pub(crate) hotlist_off: usize,
}

/// One CHMU instance of a register block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Instance {
    /// Offset of its registers in the block.
    pub(crate) base: usize,
    pub(crate) caps: Caps,
    /// log2 of the programmed unit size; 0 until programmed.
    unit_shift: u32,
    /// Counter Width read back after programming: the low bits of a hot
    /// list entry hold the count, the rest the unit index.
    counter_width: u32,
}

/// What one drain found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Drained {
    /// Entries taken off the hot list (well-formed or not).
    pub(crate) entries: u64,
    /// Entries rejected: a zero count, or a unit beyond any address.
    pub(crate) malformed: u64,
    /// The device had set Hot List Overflow (now cleared).
    pub(crate) overflow: bool,
}

/// The number of instances of the block and their stride, checked
/// against the block's length.
pub(crate) fn instances(regs: &impl Regs) -> Result<(usize, usize)> {
    let cap0 = rd64(regs, COMMON_CAP0)?;
    if field(cap0, 0, 4) != VERSION {
        return Err(ENODEV);
    }
    let nr = field(cap0, 8, 8) as usize;
    let stride = field(rd64(regs, COMMON_CAP1)?, 0, 16) as usize;
    if nr == 0 || stride < INSTANCE_REGS || stride % 8 != 0 {
        return Err(EIO);
    }
    let end = stride
        .checked_mul(nr)
        .and_then(|n| n.checked_add(FIRST_INSTANCE))
        .ok_or(EIO)?;
    if end > regs.len() {
        return Err(EIO);
    }
    Ok((nr, stride))
}

impl Instance {
    /// Reads and checks the capabilities of instance `index`.
    pub(crate) fn probe(regs: &impl Regs, index: usize) -> Result<Self> {
        let (nr, stride) = instances(regs)?;
        if index >= nr {
            return Err(EINVAL);
        }
        let base = FIRST_INSTANCE + index * stride;
        let cap0 = rd64(regs, base + CAP0)?;
        let cap1 = rd64(regs, base + CAP1)?;
        let bitmap_off = rd64(regs, base + RANGE_BITMAP_OFFSET)?;
        let hotlist_off = rd64(regs, base + HOTLIST_OFFSET)?;
        let hotlist_size = field(cap0, 48, 16) as u16;
        let min = epoch_100us(field(cap0, 32, 4), field(cap0, 36, 12)).ok_or(EIO)?;
        let max = epoch_100us(field(cap0, 16, 4), field(cap0, 20, 12)).ok_or(EIO)?;
        // The hot list and the bitmap lie inside the instance, after its
        // registers, the bitmap first (both sources place them so).
        let list_bytes = usize::from(hotlist_size) * 8;
        let fits = |off: u64, len: usize| {
            usize::try_from(off)
                .ok()
                .filter(|&o| o >= INSTANCE_REGS && o % 8 == 0)
                .and_then(|o| o.checked_add(len).filter(|&e| e <= stride).map(|_| o))
        };
        let hotlist_off = fits(hotlist_off, list_bytes).ok_or(EIO)?;
        let bitmap_off = fits(bitmap_off, 0)
            .filter(|&o| o <= hotlist_off)
            .ok_or(EIO)?;
        let caps = Caps {
            hotlist_size,
            unit_sizes: field(cap1, 0, 32) as u32,
            tracked: field(cap0, 8, 6) as u8,
            epoch_min_100us: min,
            epoch_max_100us: max,
            epoch_based: field(cap1, 48, 1) != 0,
            always_on: field(cap1, 49, 1) != 0,
            bitmap_off,
            bitmap_len: (hotlist_off - bitmap_off).min(MAX_BITMAP_BYTES),
            hotlist_off,
        };
        if hotlist_size < 2 || min == 0 || min > max || caps.unit_sizes == 0 {
            return Err(EIO);
        }
        if !caps.epoch_based && !caps.always_on {
            return Err(EIO);
        }
        Ok(Instance {
            base,
            caps,
            unit_shift: 0,
            counter_width: 0,
        })
    }

    /// The M2S Requests to Track value: all reads and writes if the
    /// instance can, else non-TEE reads and writes, else reads.
    fn what(&self) -> Result<u64> {
        // Configuration values are the capability bit numbers plus one.
        for bit in [5u64, 2, 3, 0] {
            if self.caps.tracked & (1 << bit) != 0 {
                return Ok(bit + 1);
            }
        }
        Err(ENODEV)
    }

    /// Checks `cfg` against the capabilities; returns Configuration 1 and
    /// the unit shift. Touches no register.
    pub(crate) fn validate(&self, cfg: &Config) -> Result<(u64, u32)> {
        if !cfg.unit_size.is_power_of_two() || cfg.unit_size < 256 || cfg.threshold == 0 {
            return Err(EINVAL);
        }
        let shift = cfg.unit_size.trailing_zeros();
        if shift - 8 >= 32 || self.caps.unit_sizes & (1 << (shift - 8)) == 0 {
            return Err(EINVAL);
        }
        let (scale, mult) = encode_epoch(cfg.epoch_ms)?;
        let epoch = epoch_100us(scale, mult).ok_or(EINVAL)?;
        if epoch < self.caps.epoch_min_100us || epoch > self.caps.epoch_max_100us {
            return Err(EINVAL);
        }
        if cfg.threshold >= 1 << 32 {
            return Err(EINVAL);
        }
        self.what()?;
        let mode = if self.caps.epoch_based {
            MODE_EPOCH
        } else {
            MODE_ALWAYS_ON
        };
        let cfg1 = u64::from(shift) | mode << 40 | scale << 48 | mult << 52;
        Ok((cfg1, shift))
    }

    /// Waits until no operation is in progress.
    fn wait_idle(&self, regs: &impl Regs) -> Result<u64> {
        for _ in 0..POLLS {
            let status = rd64(regs, self.base + STATUS)?;
            if field(status, 16, 16) == 0 {
                return Ok(status);
            }
            regs.relax();
        }
        Err(ETIMEDOUT)
    }

    /// Stops the instance; its configuration stays.
    pub(crate) fn disable(&mut self, regs: &mut impl Regs) -> Result {
        let cfg0 = rd64(regs, self.base + CFG0)?;
        wr64(regs, self.base + CFG0, cfg0 & !CFG0_ENABLE)?;
        self.wait_idle(regs)?;
        Ok(())
    }

    /// Programs `cfg` and starts counting DPA in `ranges` (start, length).
    /// On error the instance is left disabled.
    pub(crate) fn program(
        &mut self,
        regs: &mut impl Regs,
        cfg: &Config,
        ranges: &[(u64, u64)],
    ) -> Result {
        let (cfg1, shift) = self.validate(cfg)?;
        let what = self.what()?;
        self.disable(regs)?;
        self.unit_shift = 0;
        wr64(regs, self.base + CFG0, CFG0_RESET)?;
        self.wait_idle(regs)?;
        wr64(regs, self.base + CFG1, cfg1)?;
        // Interrupts are not used, the list is polled: the fill threshold
        // only matters to the device's status, set it to half the list.
        wr64(
            regs,
            self.base + CFG2,
            u64::from(self.caps.hotlist_size / 2),
        )?;
        self.set_ranges(regs, ranges)?;
        // The counter width depends on the unit size, so it is known only
        // now (as the RFC notes).
        let status = self.wait_idle(regs)?;
        let width = field(status, 32, 8) as u32;
        if width == 0 || width + shift >= 64 {
            return Err(EIO);
        }
        if cfg.threshold >= 1 << width {
            return Err(EINVAL);
        }
        wr64(
            regs,
            self.base + CFG0,
            what | CFG0_ENABLE | cfg.threshold << 32,
        )?;
        let enabled = self.wait_idle(regs).and_then(|s| {
            if s & STATUS_ENABLED != 0 {
                Ok(())
            } else {
                Err(EIO)
            }
        });
        if let Err(e) = enabled {
            // Do not leave it half started.
            let _ = self.disable(regs);
            return Err(e);
        }
        self.unit_shift = shift;
        self.counter_width = width;
        Ok(())
    }

    /// Writes the Range Configuration Bitmap: a bit per 256 MiB of DPA,
    /// set where a range in `ranges` overlaps it.
    fn set_ranges(&self, regs: &mut impl Regs, ranges: &[(u64, u64)]) -> Result {
        let words = self.caps.bitmap_len / 8;
        for w in 0..words {
            let mut bits = 0u64;
            for b in 0..64u64 {
                let start = (w as u64 * 64 + b) * RANGE_CHUNK;
                let end = start + RANGE_CHUNK;
                if ranges
                    .iter()
                    .any(|&(s, l)| s < end && s.saturating_add(l) > start)
                {
                    bits |= 1 << b;
                }
            }
            wr64(regs, self.base + self.caps.bitmap_off + w * 8, bits)?;
        }
        Ok(())
    }

    /// Whether `program` succeeded last.
    pub(crate) fn programmed(&self) -> bool {
        self.unit_shift != 0
    }

    /// Bytes of DPA per hot list unit as programmed.
    pub(crate) fn unit_size(&self) -> u64 {
        1 << self.unit_shift
    }

    /// Takes every entry off the hot list, oldest first, calling `hot`
    /// with the DPA of each well-formed one and its count, then moves the
    /// head to the tail and clears a Hot List Overflow. A head or tail
    /// beyond the list fails with `EIO` and nothing is consumed.
    pub(crate) fn drain(
        &self,
        regs: &mut impl Regs,
        mut hot: impl FnMut(u64, u64),
    ) -> Result<Drained> {
        if !self.programmed() {
            return Err(EINVAL);
        }
        let size = usize::from(self.caps.hotlist_size);
        let status = rd64(regs, self.base + STATUS)?;
        let head = usize::from(rd16(regs, self.base + HEAD)?);
        let tail = usize::from(rd16(regs, self.base + TAIL)?);
        if head >= size || tail >= size {
            return Err(EIO);
        }
        let mut out = Drained {
            overflow: status & STATUS_OVERFLOW != 0,
            ..Drained::default()
        };
        let list = self.base + self.caps.hotlist_off;
        let count_mask = (1u64 << self.counter_width) - 1;
        // Largest unit index whose DPA fits in 64 bits.
        let max_unit = u64::MAX >> self.unit_shift;
        let mut i = head;
        while i != tail {
            let entry = rd64(regs, list + i * 8)?;
            let count = entry & count_mask;
            let unit = entry >> self.counter_width;
            out.entries += 1;
            if count == 0 || unit > max_unit {
                out.malformed += 1;
            } else {
                hot(unit << self.unit_shift, count);
            }
            i = (i + 1) % size;
        }
        check(regs, self.base + HEAD, 2)?;
        regs.write16(self.base + HEAD, tail as u16);
        if out.overflow {
            // Write-1-to-clear; the other status bits are read-only or
            // left alone by writing 0.
            wr64(regs, self.base + STATUS, STATUS_OVERFLOW)?;
        }
        Ok(out)
    }
}

#[cfg(pghot_kunit)]
#[path = "../kunit/chmu_regs.rs"]
mod kunit;
