// SPDX-License-Identifier: GPL-2.0

//! KUnit suite of `rust/user.rs` (a child module of it, built only with
//! `PGHOT_KUNIT=y`): parsing of the `report` file's "PFN NID" lines.

use kernel::prelude::*;

#[kunit_tests(pghot_user)]
mod tests {
    use crate::user::{
        parse,
        whole_lines,
        UserAccess, //
    };
    use kernel::prelude::*;

    fn collect(input: &[u8], out: &mut [UserAccess; 4]) -> Result<usize> {
        let mut i = 0;
        parse(input, |a| {
            if i == out.len() {
                return Err(EINVAL);
            }
            out[i] = a;
            i += 1;
            Ok(())
        })
    }

    #[test]
    fn parses_pairs_in_decimal_and_hex() {
        let mut out = [UserAccess::default(); 4];
        assert_eq!(collect(b"123 0\n0x1f -1\n\n", &mut out), Ok(2));
        assert_eq!(out[0], UserAccess { pfn: 123, nid: 0 });
        assert_eq!(out[1], UserAccess { pfn: 0x1f, nid: -1 });
    }

    #[test]
    fn rejects_malformed_lines_whole() {
        let mut out = [UserAccess::default(); 4];
        for bad in [
            &b""[..],
            b"\n",
            b"123",
            b"123 0 7",
            b"12x 0",
            b"0x 0",
            b"1 -2",
            b"1 64",
            b"-1 0",
            b"1 0\n1 0\n1 0\n1 0\n1 0",
        ] {
            assert_eq!(collect(bad, &mut out), Err(EINVAL));
        }
    }

    #[test]
    fn takes_whole_lines_only() {
        // A write cut inside its last line: "3 1" is the head of "3 10".
        let cut = b"12 0\n3 1";
        let lines = whole_lines(cut).expect("one whole line");
        assert_eq!(lines, b"12 0\n");
        let mut out = [UserAccess::default(); 4];
        assert_eq!(collect(lines, &mut out), Ok(1));
        assert_eq!(out[0], UserAccess { pfn: 12, nid: 0 });
        assert_eq!(whole_lines(b"1 0\n2 0\n"), Some(&b"1 0\n2 0\n"[..]));
        assert_eq!(whole_lines(b"7 0"), None);
        assert_eq!(whole_lines(b""), None);
    }
}
