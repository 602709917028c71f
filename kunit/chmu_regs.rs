// SPDX-License-Identifier: GPL-2.0

//! KUnit suite of `rust/chmu_regs.rs` (a child module of it, built only
//! with `PGHOT_KUNIT=y`), on a CHMU register block emulated in memory: one
//! instance whose capabilities are those QEMU's emulation reports (4 and
//! 8 KiB units, epochs of 100 ms to 100 s, epoch-based reporting), with a
//! 16-entry hot list. The emulation does what the device does to the
//! registers the driver relies on: Enable shows in Status, Reset empties
//! the hot list, the Status interrupt bits are write-1-to-clear. The
//! tests check the programmed register values, the hot list draining
//! (order, wrap, overflow, malformed entries), and that a bad
//! configuration or a malformed register changes nothing.

use kernel::prelude::*;

#[kunit_tests(pghot_chmu_regs)]
mod tests {
    use crate::chmu_regs::{
        encode_epoch,
        instances,
        Config,
        Drained,
        Instance,
        Regs,
        CAP0,
        CAP1,
        CFG0,
        CFG0_ENABLE,
        CFG1,
        CFG2,
        COMMON_CAP0,
        COMMON_CAP1,
        HEAD,
        HOTLIST_OFFSET,
        RANGE_BITMAP_OFFSET,
        RANGE_CHUNK,
        STATUS,
        STATUS_ENABLED,
        STATUS_OVERFLOW,
        TAIL, //
    };
    use kernel::prelude::*;

    /// The instance's registers start here.
    const BASE: usize = 0x10;
    const BITMAP: usize = 0x70;
    const BITMAP_BYTES: usize = 0x40;
    const HOTLIST: usize = BITMAP + BITMAP_BYTES;
    const ENTRIES: usize = 16;
    const STRIDE: usize = HOTLIST + ENTRIES * 8;
    const LEN: usize = BASE + STRIDE;
    const WIDTH: u64 = 16;

    /// A CHMU block in memory, little-endian like the device.
    struct Fake {
        bytes: KVec<u8>,
        /// Operation in Progress never clears (a stuck device).
        stuck: bool,
        /// Enable never shows in Status (a device that refuses to start).
        refuses: bool,
    }

    impl Fake {
        /// The block as a working device presents it, not yet enabled.
        fn new() -> Self {
            let bytes = KVec::from_elem(0u8, LEN, GFP_KERNEL).expect("block");
            let mut f = Fake {
                bytes,
                stuck: false,
                refuses: false,
            };
            f.set(COMMON_CAP0, 1 | 1 << 8);
            f.set(COMMON_CAP1, STRIDE as u64);
            // Non-TEE R, W, RW tracked; epochs from 1 x 100 ms to 100 x 1 s.
            f.set(
                BASE + CAP0,
                1 << 4
                    | 1 << 5
                    | 0b111 << 8
                    | 5 << 16
                    | 100 << 20
                    | 4 << 32
                    | 1 << 36
                    | (ENTRIES as u64) << 48,
            );
            // 4 KiB (bit 4) and 8 KiB (bit 5) units; epoch-based reporting.
            f.set(BASE + CAP1, 0b11 << 4 | 1 << 48);
            f.set(BASE + RANGE_BITMAP_OFFSET, BITMAP as u64);
            f.set(BASE + HOTLIST_OFFSET, HOTLIST as u64);
            f.set(BASE + STATUS, WIDTH << 32);
            f
        }

        fn get(&self, off: usize) -> u64 {
            let mut b = [0u8; 8];
            b.copy_from_slice(&self.bytes[off..off + 8]);
            u64::from_le_bytes(b)
        }

        fn set(&mut self, off: usize, val: u64) {
            self.bytes[off..off + 8].copy_from_slice(&val.to_le_bytes());
        }

        fn set16(&mut self, off: usize, val: u16) {
            self.bytes[off..off + 2].copy_from_slice(&val.to_le_bytes());
        }

        /// Puts `entry` at hot list slot `i`.
        fn entry(&mut self, i: usize, unit: u64, count: u64) {
            self.set(BASE + HOTLIST + i * 8, unit << WIDTH | count);
        }

        fn head_tail(&mut self, head: u16, tail: u16) {
            self.set16(BASE + HEAD, head);
            self.set16(BASE + TAIL, tail);
        }
    }

    impl Regs for Fake {
        fn len(&self) -> usize {
            self.bytes.len()
        }

        fn read64(&self, off: usize) -> u64 {
            let v = self.get(off);
            if off == BASE + STATUS && self.stuck {
                return v | 1 << 16;
            }
            v
        }

        fn write64(&mut self, off: usize, val: u64) {
            if off == BASE + STATUS {
                // Interrupt status bits are write-1-to-clear, the rest
                // read-only.
                let old = self.get(off);
                self.set(off, old & !(val & (0b11 << 40)));
                return;
            }
            self.set(off, val);
            if off == BASE + CFG0 {
                let status = self.get(BASE + STATUS) & !STATUS_ENABLED;
                let enabled = if val & CFG0_ENABLE != 0 && !self.refuses {
                    STATUS_ENABLED
                } else {
                    0
                };
                self.set(BASE + STATUS, status | enabled);
                if val & (1 << 17) != 0 {
                    self.head_tail(0, 0);
                }
            }
        }

        fn read32(&self, off: usize) -> u32 {
            let mut b = [0u8; 4];
            b.copy_from_slice(&self.bytes[off..off + 4]);
            u32::from_le_bytes(b)
        }

        fn read16(&self, off: usize) -> u16 {
            u16::from_le_bytes([self.bytes[off], self.bytes[off + 1]])
        }

        fn write16(&mut self, off: usize, val: u16) {
            self.set16(off, val);
        }

        fn relax(&self) {}
    }

    fn cfg(unit_size: u64, threshold: u64, epoch_ms: u64) -> Config {
        Config {
            unit_size,
            threshold,
            epoch_ms,
        }
    }

    /// A probed and programmed instance: 4 KiB units, threshold 5, 1 s.
    fn running(f: &mut Fake) -> Instance {
        let mut inst = Instance::probe(f, 0).expect("probe");
        inst.program(f, &cfg(4096, 5, 1000), &[(0, 1 << 30)])
            .expect("program");
        inst
    }

    #[test]
    fn probe_reads_capabilities() {
        let f = Fake::new();
        assert_eq!(instances(&f), Ok((1, STRIDE)));
        let inst = Instance::probe(&f, 0).expect("probe");
        assert_eq!(inst.base, BASE);
        assert_eq!(inst.caps.hotlist_size, ENTRIES as u16);
        assert_eq!(inst.caps.unit_sizes, 0b11 << 4);
        assert_eq!(inst.caps.epoch_min_100us, 1_000);
        assert_eq!(inst.caps.epoch_max_100us, 1_000_000);
        assert_eq!(inst.caps.bitmap_off, BITMAP);
        assert_eq!(inst.caps.bitmap_len, BITMAP_BYTES);
        assert_eq!(inst.caps.hotlist_off, HOTLIST);
        assert!(inst.caps.epoch_based && !inst.caps.always_on);
        assert!(!inst.programmed());
        assert_eq!(Instance::probe(&f, 1).err(), Some(EINVAL));
    }

    #[test]
    fn probe_rejects_malformed_registers() {
        type Bend = fn(&mut Fake);
        let cases: [(Bend, Error); 9] = [
            (|f| f.set(COMMON_CAP0, 2 | 1 << 8), ENODEV),
            (|f| f.set(COMMON_CAP0, 1), EIO),
            (|f| f.set(COMMON_CAP1, 0x20), EIO),
            (|f| f.set(COMMON_CAP1, STRIDE as u64 + 8), EIO),
            (|f| f.set(BASE + HOTLIST_OFFSET, HOTLIST as u64 + 8), EIO),
            (
                |f| f.set(BASE + RANGE_BITMAP_OFFSET, HOTLIST as u64 + 8),
                EIO,
            ),
            (|f| f.set(BASE + HOTLIST_OFFSET, 0x68), EIO),
            // A minimum epoch above the maximum, and a reserved scale.
            (
                |f| {
                    f.set(
                        BASE + CAP0,
                        1 << 16 | 1 << 20 | 5 << 32 | 1 << 36 | 16 << 48,
                    )
                },
                EIO,
            ),
            (
                |f| {
                    f.set(
                        BASE + CAP0,
                        5 << 16 | 1 << 20 | 7 << 32 | 1 << 36 | 16 << 48,
                    )
                },
                EIO,
            ),
        ];
        for (bend, want) in cases {
            let mut f = Fake::new();
            bend(&mut f);
            assert_eq!(Instance::probe(&f, 0).err(), Some(want));
        }
    }

    #[test]
    fn encodes_epochs_at_the_finest_scale() {
        assert_eq!(encode_epoch(1), Ok((2, 1)));
        assert_eq!(encode_epoch(4095), Ok((2, 4095)));
        assert_eq!(encode_epoch(4100), Ok((3, 410)));
        assert_eq!(encode_epoch(60_000), Ok((4, 600)));
        assert_eq!(encode_epoch(4101), Err(EINVAL));
        assert_eq!(encode_epoch(0), Err(EINVAL));
    }

    #[test]
    fn programs_unit_size_threshold_epoch_ranges_and_enables() {
        let mut f = Fake::new();
        let mut inst = Instance::probe(&f, 0).expect("probe");
        // DPA 0..512 MiB and 1 GiB..+256 MiB: bitmap bits 0, 1 and 4.
        let ranges = [(0, 2 * RANGE_CHUNK), (4 * RANGE_CHUNK, RANGE_CHUNK)];
        assert_eq!(inst.program(&mut f, &cfg(8192, 5, 1000), &ranges), Ok(()));
        // Unit 2^13, epoch-based, 1000 x 1 ms.
        assert_eq!(f.get(BASE + CFG1), 13 | 2 << 48 | 1000 << 52);
        // Non-TEE reads and writes (3), enabled, threshold 5.
        assert_eq!(f.get(BASE + CFG0), 3 | CFG0_ENABLE | 5 << 32);
        assert_eq!(f.get(BASE + CFG2), ENTRIES as u64 / 2);
        assert_eq!(f.get(BASE + BITMAP), 0b1_0011);
        for w in 1..BITMAP_BYTES / 8 {
            assert_eq!(f.get(BASE + BITMAP + w * 8), 0);
        }
        assert!(f.get(BASE + STATUS) & STATUS_ENABLED != 0);
        assert!(inst.programmed());
        assert_eq!(inst.unit_size(), 8192);

        assert_eq!(inst.disable(&mut f), Ok(()));
        assert_eq!(f.get(BASE + STATUS) & STATUS_ENABLED, 0);
        assert_eq!(f.get(BASE + CFG0) & CFG0_ENABLE, 0);
    }

    #[test]
    fn bad_configuration_changes_no_register() {
        let mut f = Fake::new();
        let mut inst = running(&mut f);
        let mut before = KVec::new();
        before
            .extend_from_slice(&f.bytes, GFP_KERNEL)
            .expect("copy");
        for bad in [
            cfg(2048, 5, 1000),       // unit size the device lacks
            cfg(3000, 5, 1000),       // not a power of two
            cfg(4096, 0, 1000),       // threshold 0
            cfg(4096, 1 << 32, 1000), // threshold wider than the field
            cfg(4096, 5, 50),         // epoch below the minimum
            cfg(4096, 5, 4101),       // epoch that cannot be encoded
        ] {
            assert_eq!(inst.program(&mut f, &bad, &[]), Err(EINVAL));
            assert!(f.bytes[..] == before[..]);
            assert!(inst.programmed());
        }
    }

    #[test]
    fn threshold_beyond_the_counter_width_is_refused_disabled() {
        let mut f = Fake::new();
        let mut inst = running(&mut f);
        assert_eq!(
            inst.program(&mut f, &cfg(4096, 1 << WIDTH, 1000), &[]),
            Err(EINVAL)
        );
        assert_eq!(f.get(BASE + STATUS) & STATUS_ENABLED, 0);
        assert!(!inst.programmed());
        let mut n = 0;
        assert_eq!(inst.drain(&mut f, |_, _| n += 1).err(), Some(EINVAL));
        assert_eq!(n, 0);
    }

    #[test]
    fn stuck_operation_times_out() {
        let mut f = Fake::new();
        let mut inst = Instance::probe(&f, 0).expect("probe");
        f.stuck = true;
        assert_eq!(
            inst.program(&mut f, &cfg(4096, 5, 1000), &[]),
            Err(ETIMEDOUT)
        );
        assert!(!inst.programmed());
    }

    #[test]
    fn device_that_does_not_start_is_left_disabled() {
        let mut f = Fake::new();
        let mut inst = Instance::probe(&f, 0).expect("probe");
        f.refuses = true;
        assert_eq!(inst.program(&mut f, &cfg(4096, 5, 1000), &[]), Err(EIO));
        assert_eq!(f.get(BASE + CFG0) & CFG0_ENABLE, 0);
        assert!(!inst.programmed());
    }

    #[test]
    fn drains_in_order_across_the_wrap() {
        let mut f = Fake::new();
        let inst = running(&mut f);
        f.entry(14, 7, 9);
        f.entry(15, 8, 6);
        f.entry(0, 0, 5);
        f.entry(1, 0xfffff, 65535);
        f.head_tail(14, 2);
        let mut seen = [(0u64, 0u64); 4];
        let mut n = 0;
        let got = inst.drain(&mut f, |dpa, count| {
            seen[n] = (dpa, count);
            n += 1;
        });
        assert_eq!(
            got,
            Ok(Drained {
                entries: 4,
                malformed: 0,
                overflow: false
            })
        );
        assert_eq!(n, 4);
        assert_eq!(
            seen,
            [(7 << 12, 9), (8 << 12, 6), (0, 5), (0xfffff << 12, 65535)]
        );
        assert_eq!(f.read16(BASE + HEAD), 2);
        // Empty now: nothing more.
        assert_eq!(inst.drain(&mut f, |_, _| n += 1), Ok(Drained::default()));
        assert_eq!(n, 4);
    }

    #[test]
    fn rejects_malformed_entries_and_consumes_them() {
        let mut f = Fake::new();
        let inst = running(&mut f);
        f.entry(3, 1, 0); // a zero count is no hot unit
        f.entry(4, 2, 7);
        f.entry(5, 3, 0);
        f.head_tail(3, 6);
        let mut dpas = [0u64; 3];
        let mut n = 0;
        let got = inst.drain(&mut f, |dpa, _| {
            dpas[n] = dpa;
            n += 1;
        });
        assert_eq!(
            got,
            Ok(Drained {
                entries: 3,
                malformed: 2,
                overflow: false
            })
        );
        assert_eq!((n, dpas[0]), (1, 2 << 12));
        assert_eq!(f.read16(BASE + HEAD), 6);
    }

    #[test]
    fn rejects_a_unit_whose_address_does_not_fit() {
        // An 8-bit counter leaves 56 bits of unit index: with 8 KiB units
        // the top ones would need a 69-bit DPA.
        let mut f = Fake::new();
        f.set(BASE + STATUS, 8 << 32);
        let mut inst = Instance::probe(&f, 0).expect("probe");
        inst.program(&mut f, &cfg(8192, 5, 1000), &[])
            .expect("program");
        f.set(BASE + HOTLIST, u64::MAX);
        f.set(BASE + HOTLIST + 8, (((1u64 << 51) - 1) << 8) | 1);
        f.head_tail(0, 2);
        let mut last = 0;
        let got = inst.drain(&mut f, |dpa, _| last = dpa);
        assert_eq!(got.map(|d| (d.entries, d.malformed)), Ok((2, 1)));
        assert_eq!(last, ((1u64 << 51) - 1) << 13);
    }

    #[test]
    fn head_or_tail_beyond_the_list_consumes_nothing() {
        let mut f = Fake::new();
        let inst = running(&mut f);
        f.entry(0, 1, 9);
        for (head, tail) in [(ENTRIES as u16, 1), (0, ENTRIES as u16), (0xffff, 0xffff)] {
            f.head_tail(head, tail);
            let mut n = 0;
            assert_eq!(inst.drain(&mut f, |_, _| n += 1).err(), Some(EIO));
            assert_eq!(n, 0);
            assert_eq!(f.read16(BASE + HEAD), head);
        }
    }

    #[test]
    fn overflow_is_reported_and_cleared() {
        let mut f = Fake::new();
        let inst = running(&mut f);
        let status = f.get(BASE + STATUS);
        f.set(BASE + STATUS, status | STATUS_OVERFLOW);
        f.entry(9, 3, 4);
        f.head_tail(9, 10);
        let got = inst.drain(&mut f, |_, _| {}).expect("drain");
        assert!(got.overflow);
        assert_eq!(got.entries, 1);
        assert_eq!(f.get(BASE + STATUS), status);
        assert!(!inst.drain(&mut f, |_, _| {}).expect("drain").overflow);
    }

    #[test]
    fn instance_registers_outside_the_block_are_refused() {
        let mut f = Fake::new();
        f.bytes.truncate(BASE + HOTLIST);
        assert_eq!(instances(&f).err(), Some(EIO));
    }
}
