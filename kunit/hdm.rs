// SPDX-License-Identifier: GPL-2.0

//! KUnit suite of `rust/hdm.rs` (a child module of it, built only with
//! `PGHOT_KUNIT=y`): HDM decoders read from a component register block
//! emulated in memory (capability array at 0x1000, HDM capability behind
//! a RAS one), and DPA to HPA translation checked against the HPA to DPA
//! decode of CXL r3.2 8.2.4.20.13, for 1, 2 and 3 ways, with DPA skip;
//! addresses outside every committed decoder, interleaved decoders
//! without a position and malformed decoder registers are refused.

use kernel::prelude::*;

#[kunit_tests(pghot_hdm)]
mod tests {
    use crate::chmu_regs::Regs;
    use crate::hdm::{
        Decoder,
        Decoders,
        CM_OFFSET, //
    };
    use kernel::prelude::*;

    const HDM: usize = CM_OFFSET + 0x200;
    const LEN: usize = 0x2000;
    const GIB: u64 = 1 << 30;
    const MIB: u64 = 1 << 20;

    /// A component register block in memory.
    struct Fake {
        bytes: KVec<u8>,
    }

    impl Fake {
        /// Two decoders: 0 maps 1 GiB at HPA 64 GiB directly; 1, after a
        /// 256 MiB DPA skip, is one of two ways with 1 KiB granularity
        /// over 2 GiB at HPA 128 GiB.
        fn new() -> Self {
            let bytes = KVec::from_elem(0u8, LEN, GFP_KERNEL).expect("block");
            let mut f = Fake { bytes };
            // CXL Capability Header: ID 1, version 1, cache/mem 1, 2 entries.
            f.set(CM_OFFSET, 1 | 1 << 16 | 1 << 20 | 2 << 24);
            // RAS (ID 2) at +0x14, then HDM (ID 5) at +0x200.
            f.set(CM_OFFSET + 4, 2 | 0x14 << 20);
            f.set(CM_OFFSET + 8, 5 | 0x200 << 20);
            f.set(HDM, 1); // count code 1: two decoders
            f.decoder(0, 64 * GIB, GIB, 0, 0, 0);
            f.decoder(1, 128 * GIB, 2 * GIB, 256 * MIB, 1, 2);
            f
        }

        fn set(&mut self, off: usize, val: u32) {
            self.bytes[off..off + 4].copy_from_slice(&val.to_le_bytes());
        }

        /// Commits decoder `i` with these values.
        fn decoder(&mut self, i: usize, base: u64, size: u64, skip: u64, eiw: u32, eig: u32) {
            let d = HDM + 0x20 * i;
            self.set(d + 0x10, base as u32);
            self.set(d + 0x14, (base >> 32) as u32);
            self.set(d + 0x18, size as u32);
            self.set(d + 0x1c, (size >> 32) as u32);
            self.set(d + 0x20, eig | eiw << 4 | 1 << 10);
            self.set(d + 0x24, skip as u32);
            self.set(d + 0x28, (skip >> 32) as u32);
        }

        fn ctrl(&mut self, i: usize, val: u32) {
            self.set(HDM + 0x20 + 0x20 * i, val);
        }
    }

    impl Regs for Fake {
        fn len(&self) -> usize {
            self.bytes.len()
        }

        fn read64(&self, _off: usize) -> u64 {
            u64::MAX
        }

        fn write64(&mut self, _off: usize, _val: u64) {}

        fn read32(&self, off: usize) -> u32 {
            let mut b = [0u8; 4];
            b.copy_from_slice(&self.bytes[off..off + 4]);
            u32::from_le_bytes(b)
        }

        fn read16(&self, _off: usize) -> u16 {
            u16::MAX
        }

        fn write16(&mut self, _off: usize, _val: u16) {}

        fn relax(&self) {}
    }

    /// The HPA to DPA decode a device does (the reverse of what is
    /// tested): the interleave position and the DPA of an HPA offset.
    fn decode(hpa_offset: u64, ways: u64, gran: u64) -> (u64, u64) {
        let chunk = hpa_offset / gran;
        (chunk % ways, chunk / ways * gran + hpa_offset % gran)
    }

    #[test]
    fn reads_committed_decoders_in_order() {
        let d = Decoders::read(&Fake::new()).expect("decoders");
        let list = d.list();
        assert_eq!(list.len(), 2);
        assert_eq!(
            list[0],
            Decoder {
                hpa_base: 64 * GIB,
                hpa_size: GIB,
                dpa_base: 0,
                eiw: 0,
                eig: 0,
                pos: Some(0),
            }
        );
        // DPA after decoder 0's 1 GiB and its own 256 MiB skip.
        assert_eq!(list[1].dpa_base, GIB + 256 * MIB);
        assert_eq!(list[1].dpa_size(), GIB);
        assert_eq!((list[1].ways(), list[1].pos), (2, None));
    }

    #[test]
    fn translates_a_direct_decoder() {
        let d = Decoders::read(&Fake::new()).expect("decoders");
        assert_eq!(d.dpa_to_hpa(0), Ok(64 * GIB));
        assert_eq!(d.dpa_to_hpa(0x1234_5678), Ok(64 * GIB + 0x1234_5678));
        assert_eq!(d.dpa_to_hpa(GIB - 1), Ok(65 * GIB - 1));
        assert_eq!(d.granularity(4096), Some(256));
    }

    #[test]
    fn refuses_dpa_outside_every_committed_decoder() {
        let d = Decoders::read(&Fake::new()).expect("decoders");
        // In decoder 1's skip, past its end, and far beyond.
        for dpa in [GIB, GIB + 256 * MIB - 1, 2 * GIB + 256 * MIB, u64::MAX] {
            assert_eq!(d.dpa_to_hpa(dpa), Err(ENXIO));
        }
        assert_eq!(d.granularity(GIB), None);
        assert_eq!(Decoders::none().dpa_to_hpa(0), Err(ENXIO));
    }

    #[test]
    fn interleaved_decoder_needs_a_position() {
        let d = Decoders::read(&Fake::new()).expect("decoders");
        assert_eq!(d.dpa_to_hpa(GIB + 256 * MIB), Err(ENOTSUPP));
    }

    #[test]
    fn two_way_translation_inverts_the_device_decode() {
        let mut d = Decoders::read(&Fake::new()).expect("decoders");
        for pos in 0..2u64 {
            d.list[1].pos = Some(pos as u32);
            let dec = d.list[1];
            let mut checked = 0;
            // Every 256-byte step of the first 64 KiB of HPA, and the end.
            let offsets = Iterator::chain((0..256u64).map(|i| i * 256), [2 * GIB - 256]);
            for off in offsets {
                let (p, dpa) = decode(off, 2, 1024);
                if p != pos {
                    continue;
                }
                assert_eq!(d.dpa_to_hpa(dec.dpa_base + dpa), Ok(dec.hpa_base + off));
                checked += 1;
            }
            assert!(checked >= 128);
        }
        // A position beyond the ways is refused, not wrapped.
        d.list[1].pos = Some(2);
        assert_eq!(d.dpa_to_hpa(GIB + 256 * MIB), Err(EINVAL));
    }

    #[test]
    fn three_way_translation_inverts_the_device_decode() {
        let mut d = Decoders::none();
        // 3 ways (code 8) of 4 KiB granularity (code 4) over 3 GiB.
        d.list[0] = Decoder {
            hpa_base: 256 * GIB,
            hpa_size: 3 * GIB,
            dpa_base: 512 * MIB,
            eiw: 8,
            eig: 4,
            pos: None,
        };
        d.nr = 1;
        for pos in 0..3u64 {
            d.list[0].pos = Some(pos as u32);
            for i in 0..600u64 {
                let off = i * 1000 * 4;
                let (p, dpa) = decode(off, 3, 4096);
                if p == pos {
                    assert_eq!(d.dpa_to_hpa(512 * MIB + dpa), Ok(256 * GIB + off));
                }
            }
        }
        assert_eq!(d.dpa_to_hpa(512 * MIB + GIB), Err(ENXIO));
    }

    #[test]
    fn uncommitted_decoder_ends_the_list() {
        let mut f = Fake::new();
        f.ctrl(0, 0);
        let d = Decoders::read(&f).expect("decoders");
        assert_eq!(d.list().len(), 0);
        assert_eq!(d.dpa_to_hpa(0), Err(ENXIO));
    }

    #[test]
    fn malformed_decoder_registers_are_refused() {
        type Bend = fn(&mut Fake);
        let cases: [(Bend, Error); 8] = [
            (|f| f.set(CM_OFFSET, 2 | 2 << 24), ENODEV),
            (|f| f.set(CM_OFFSET + 8, 6 | 0x200 << 20), ENODEV),
            (|f| f.set(CM_OFFSET + 8, 5 | 0xfff << 20), EIO),
            (|f| f.set(HDM, 13), EIO),
            (|f| f.ctrl(0, 5 << 4 | 1 << 10), EIO),
            (|f| f.ctrl(0, 7 | 1 << 10), EIO),
            (|f| f.decoder(0, 64 * GIB, 0, 0, 0, 0), EIO),
            // 1 GiB does not split into 3 equal ways.
            (|f| f.decoder(1, 128 * GIB, GIB, 0, 8, 0), EIO),
        ];
        for (bend, want) in cases {
            let mut f = Fake::new();
            bend(&mut f);
            assert_eq!(Decoders::read(&f).err(), Some(want));
        }
    }
}
