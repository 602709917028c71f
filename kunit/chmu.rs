// SPDX-License-Identifier: GPL-2.0

//! KUnit suite of `rust/chmu.rs` (a child module of it, built only with
//! `PGHOT_KUNIT=y`): a hot unit's device addresses become the host pages
//! that are reported, each once, through direct and interleaved decoders;
//! a unit that does not translate reports nothing.

use kernel::prelude::*;

#[kunit_tests(pghot_chmu)]
mod tests {
    use crate::chmu::{
        unit_pfns,
        MAX_PAGES_PER_ENTRY, //
    };
    use crate::hdm::{
        Decoder,
        Decoders, //
    };
    use kernel::prelude::*;

    const GIB: u64 = 1 << 30;
    const PAGE_SHIFT: u32 = 12;

    fn decoder(hpa_base: u64, dpa_base: u64, eiw: u8, eig: u8, pos: Option<u32>) -> Decoder {
        Decoder {
            hpa_base,
            hpa_size: 4 * GIB,
            dpa_base,
            eiw,
            eig,
            pos,
        }
    }

    /// The PFNs of the unit, in order, and their number.
    fn pfns(hdm: &Decoders, dpa: u64, unit: u64) -> (Result<usize>, KVec<u64>) {
        let mut out = KVec::new();
        let res = unit_pfns(hdm, dpa, unit, PAGE_SHIFT, |p| {
            out.push(p, GFP_KERNEL).expect("push")
        });
        (res, out)
    }

    #[test]
    fn direct_decoder_reports_each_page_of_the_unit() {
        let hdm = Decoders::from_list(&[decoder(64 * GIB, 0, 0, 0, Some(0))]);
        let (res, got) = pfns(&hdm, 0x10_0000, 16 << 10);
        assert_eq!(res, Ok(4));
        let first = (64 * GIB + 0x10_0000) >> PAGE_SHIFT;
        assert_eq!(&got[..], &[first, first + 1, first + 2, first + 3]);
        // A unit smaller than a page is its page.
        let (res, got) = pfns(&hdm, 0x10_0100, 256);
        assert_eq!((res, &got[..]), (Ok(1), &[first][..]));
    }

    #[test]
    fn interleaved_unit_is_spread_over_the_ways() {
        // Position 1 of 2 ways at 256 B: a 4 KiB unit is 16 granules at
        // every other 256 B of host memory, so it spans two host pages.
        let hdm = Decoders::from_list(&[decoder(64 * GIB, 0, 1, 0, Some(1))]);
        let (res, got) = pfns(&hdm, 0, 4096);
        let first = (64 * GIB) >> PAGE_SHIFT;
        assert_eq!((res, &got[..]), (Ok(2), &[first, first + 1][..]));
        // 4 ways at 4 KiB: consecutive device pages are 4 host pages apart.
        let hdm = Decoders::from_list(&[decoder(64 * GIB, 0, 2, 4, Some(3))]);
        let (res, got) = pfns(&hdm, 0, 8192);
        assert_eq!((res, &got[..]), (Ok(2), &[first + 3, first + 7][..]));
    }

    #[test]
    fn pages_per_entry_are_capped() {
        let hdm = Decoders::from_list(&[decoder(64 * GIB, 0, 0, 0, Some(0))]);
        let (res, got) = pfns(&hdm, 0, 4 << 20);
        assert_eq!(res, Ok(MAX_PAGES_PER_ENTRY));
        assert_eq!(got.len(), MAX_PAGES_PER_ENTRY);
    }

    #[test]
    fn untranslatable_unit_reports_nothing() {
        let hdm = Decoders::from_list(&[decoder(64 * GIB, GIB, 1, 0, None)]);
        let (res, got) = pfns(&hdm, 0, 4096);
        assert_eq!((res, got.len()), (Err(ENXIO), 0));
        let (res, got) = pfns(&hdm, GIB, 4096);
        assert_eq!((res, got.len()), (Err(ENOTSUPP), 0));
    }
}
