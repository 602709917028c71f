// SPDX-License-Identifier: GPL-2.0

//! The values of the knobs under `/sys/kernel/mm/pghot/`: defaults, ranges,
//! the current values, and the strict parsing of a written value. Serving
//! them to sysfs and applying a write to what it drives are the sysfs
//! interface's business (`sysfs.rs`); everything else only reads them.

use kernel::prelude::*;
use kernel::sync::atomic::{
    Atomic,
    Relaxed, //
};

use crate::bindings::{
    Knob,
    Source, //
};

/// The value of a knob and the range a write must fall in.
pub(crate) struct Setting {
    value: Atomic<u64>,
    min: u64,
    max: u64,
}

impl Setting {
    pub(crate) const fn new(default: u64, min: u64, max: u64) -> Self {
        Setting {
            value: Atomic::new(default),
            min,
            max,
        }
    }

    /// The current value.
    #[inline]
    pub(crate) fn get(&self) -> u64 {
        self.value.load(Relaxed)
    }

    /// Whether the value is non-zero (for switches).
    #[inline]
    pub(crate) fn on(&self) -> bool {
        self.get() != 0
    }

    /// Sets the value; the caller has checked it against the range.
    pub(crate) fn set(&self, value: u64) {
        self.value.store(value, Relaxed);
    }

    /// Parses `input` as a sysfs write; returns the value if it is in range.
    pub(crate) fn parse(&self, input: &[u8]) -> Result<u64> {
        parse_u64(input, self.min, self.max)
    }

    /// The accepted range.
    pub(crate) fn range(&self) -> (u64, u64) {
        (self.min, self.max)
    }
}

/// `enabled`: 1 records accesses and runs kpromoted; 0 stops both, and the
/// kernel promotes as it would without pghot.
pub(crate) static ENABLED: Setting = Setting::new(1, 0, 1);
/// `source_<name>`: one switch per source, in source order.
/// Every source is on at load but the page-table scanner, which spends CPU
/// time of its own and starts only when switched on.
pub(crate) static SOURCES: [Setting; Source::COUNT] = {
    let mut s = [const { Setting::new(1, 0, 1) }; Source::COUNT];
    s[Source::PgtableScan as usize] = Setting::new(0, 0, 1);
    s
};
/// `freq_threshold`: accesses within a window that make a page hot, and the
/// floor of the dynamic threshold. 1 by default: a NUMA hint fault already
/// means "touched since the last scan", and scans come many seconds apart,
/// so waiting for a second one delays promotion by a whole scan period
/// (measured: 1-2 s to promote a hot set at 1, 15 s at 2). The threshold
/// rises above 1 by itself when more candidates come than the rate limit
/// admits.
pub(crate) static FREQ_THRESHOLD: Setting = Setting::new(1, 1, 15);
/// `freq_window_ms`: length of the frequency window. NUMA balancing revisits
/// a page every several seconds (6 to 15 s in the test guests), so a window
/// of 15 s lets hint faults from consecutive scans count together once the
/// threshold is above 1.
pub(crate) static FREQ_WINDOW_MS: Setting = Setting::new(15_000, 10, 60_000);
/// `promote_rate_limit_MBps`: promotion budget per target node.
pub(crate) static PROMOTE_RATE_LIMIT_MBPS: Setting = Setting::new(65536, 1, 1 << 20);
/// `kpromoted_sleep_ms`: kpromoted's period when nothing wakes it.
pub(crate) static KPROMOTED_SLEEP_MS: Setting = Setting::new(50, 1, 60_000);
/// `kpromoted_batch_nr`: most pages migrated in one batch.
pub(crate) static KPROMOTED_BATCH_NR: Setting = Setting::new(512, 1, MAX_BATCH as u64);
/// `agent_device`: 1 lets root open `/dev/pghot`; off by default, as an
/// agent can move pages at will.
pub(crate) static AGENT_DEVICE: Setting = Setting::new(0, 0, 1);
/// `scan_period_ms`: the page-table scan thread's period.
pub(crate) static SCAN_PERIOD_MS: Setting = Setting::new(1000, 100, 60_000);
/// `scan_budget_pages`: base pages the scan thread looks at per pass,
/// shared among the lower-tier nodes.
pub(crate) static SCAN_BUDGET_PAGES: Setting = Setting::new(65536, 1024, 1 << 24);
/// `pool_size`: records per shard times shards; read-only, set at load.
pub(crate) static POOL_SIZE: Setting = Setting::new(0, 0, 0);

/// `chmu_units`: CHMU instances found and running; read-only, set at load.
pub(crate) static CHMU_UNITS: Setting = Setting::new(0, 0, 0);
/// `chmu_poll_ms`: how often the CHMU hot lists are drained.
pub(crate) static CHMU_POLL_MS: Setting = Setting::new(200, 10, 60_000);
/// `chmu_unit_size`: bytes of device memory per CHMU counter, a power of
/// two the device supports; at most 2 MiB, so that one hot unit is at most
/// 512 page reports.
pub(crate) static CHMU_UNIT_SIZE: Setting = Setting::new(4096, 256, 2 << 20);
/// `chmu_threshold`: accesses within an epoch that put a unit on the hot
/// list.
pub(crate) static CHMU_THRESHOLD: Setting = Setting::new(8, 1, u32::MAX as u64);
/// `chmu_epoch_ms`: the CHMU's epoch, within what the device supports.
pub(crate) static CHMU_EPOCH_MS: Setting = Setting::new(1000, 1, 60_000);
/// `ibs_enabled`: 1 runs AMD IBS op sampling on every online CPU; the
/// write fails with `ENODEV` where there is no IBS.
pub(crate) static IBS_ENABLED: Setting = Setting::new(0, 0, 1);
/// `ibs_period`: CPU cycles between IBS op samples. The hardware's floor
/// is 0x90 and its ceiling without the extended counter 0xffff0; it drops
/// the low 4 bits. The floor here keeps one CPU under about a million
/// samples a second at 4 GHz; the default about 15 000.
pub(crate) static IBS_PERIOD: Setting = Setting::new(0x40000, 0x1000, 0xffff0);
/// `pebs_enabled`: 1 runs Intel PEBS load-latency sampling on every online
/// CPU; the write fails with `ENODEV` where there is no PEBS.
pub(crate) static PEBS_ENABLED: Setting = Setting::new(0, 0, 1);
/// `pebs_period`: loads above the latency threshold between PEBS samples.
pub(crate) static PEBS_PERIOD: Setting = Setting::new(10_000, 100, 1 << 30);
/// `pebs_ldlat`: the load latency threshold, in core cycles (the 16-bit
/// `ldlat` field; the hardware's floor is 3). A load served by an L3 takes
/// some 40-70 cycles, one served by DRAM over 200: 128 leaves mostly the
/// loads that reached memory.
pub(crate) static PEBS_LDLAT: Setting = Setting::new(128, 3, 0xffff);

/// Largest `kpromoted_batch_nr`; kpromoted's buffers are this big.
pub(crate) const MAX_BATCH: usize = 4096;

/// The value of `knob`.
pub(crate) fn setting(knob: Knob) -> &'static Setting {
    match knob {
        Knob::Enabled => &ENABLED,
        Knob::SourceHintFault => source(Source::HintFault),
        Knob::SourcePgtableScan => source(Source::PgtableScan),
        Knob::SourceIbs => source(Source::Ibs),
        Knob::SourcePebs => source(Source::Pebs),
        Knob::SourceChmu => source(Source::Chmu),
        Knob::SourceUser => source(Source::User),
        Knob::FreqThreshold => &FREQ_THRESHOLD,
        Knob::FreqWindowMs => &FREQ_WINDOW_MS,
        Knob::PromoteRateLimitMbps => &PROMOTE_RATE_LIMIT_MBPS,
        Knob::KpromotedSleepMs => &KPROMOTED_SLEEP_MS,
        Knob::KpromotedBatchNr => &KPROMOTED_BATCH_NR,
        Knob::ScanPeriodMs => &SCAN_PERIOD_MS,
        Knob::ScanBudgetPages => &SCAN_BUDGET_PAGES,
        Knob::AgentDevice => &AGENT_DEVICE,
        Knob::PoolSize => &POOL_SIZE,
        Knob::ChmuUnits => &CHMU_UNITS,
        Knob::ChmuPollMs => &CHMU_POLL_MS,
        Knob::ChmuUnitSize => &CHMU_UNIT_SIZE,
        Knob::ChmuThreshold => &CHMU_THRESHOLD,
        Knob::ChmuEpochMs => &CHMU_EPOCH_MS,
        Knob::IbsEnabled => &IBS_ENABLED,
        Knob::IbsPeriod => &IBS_PERIOD,
        Knob::PebsEnabled => &PEBS_ENABLED,
        Knob::PebsPeriod => &PEBS_PERIOD,
        Knob::PebsLdlat => &PEBS_LDLAT,
    }
}

/// The switch of `source`.
#[inline]
pub(crate) fn source(source: Source) -> &'static Setting {
    &SOURCES[source as usize]
}

/// Longest write accepted: 20 digits for a u64 and one newline.
const MAX_INPUT: usize = 21;

/// Parses a decimal u64 in `min..=max`, written as sysfs writes arrive: only
/// ASCII digits, one optional trailing newline, no sign, no spaces, and no
/// leading zero (`010` is not read back as written, and is octal to
/// `kstrtou64()` with base 0, so it is refused rather than guessed).
pub(crate) fn parse_u64(input: &[u8], min: u64, max: u64) -> Result<u64> {
    let digits = input.strip_suffix(b"\n").unwrap_or(input);
    if digits.is_empty() || input.len() > MAX_INPUT {
        return Err(EINVAL);
    }
    if digits.len() > 1 && digits[0] == b'0' {
        return Err(EINVAL);
    }
    let mut value: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return Err(EINVAL);
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(c - b'0')))
            .ok_or(EINVAL)?;
    }
    if value < min || value > max {
        return Err(EINVAL);
    }
    Ok(value)
}

#[cfg(pghot_kunit)]
#[path = "../kunit/knob.rs"]
mod kunit;
