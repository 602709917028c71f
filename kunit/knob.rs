// SPDX-License-Identifier: GPL-2.0

//! KUnit: parsing of knob writes, as sysfs delivers them.

use kernel::prelude::*;

#[kunit_tests(pghot_knob)]
mod tests {
    use crate::knob::{format_u64, parse_u64};
    use kernel::prelude::*;

    #[test]
    fn accepts_plain_decimal_with_optional_newline() {
        assert_eq!(parse_u64(b"0", 0, 1), Ok(0));
        assert_eq!(parse_u64(b"1\n", 0, 1), Ok(1));
        assert_eq!(
            parse_u64(b"18446744073709551615", 0, u64::MAX),
            Ok(u64::MAX)
        );
    }

    #[test]
    fn rejects_garbage_sign_space_and_empty() {
        for bad in [
            &b""[..],
            b"\n",
            b"abc",
            b"-1",
            b"+1",
            b" 1",
            b"1 ",
            b"1\n\n",
            b"0x1",
            b"1a",
        ] {
            assert_eq!(parse_u64(bad, 0, 1), Err(EINVAL));
        }
    }

    #[test]
    fn rejects_out_of_range_and_overflow() {
        assert_eq!(parse_u64(b"2", 0, 1), Err(EINVAL));
        assert_eq!(parse_u64(b"4", 5, 10), Err(EINVAL));
        assert_eq!(parse_u64(b"18446744073709551616", 0, u64::MAX), Err(EINVAL));
        assert_eq!(parse_u64(b"99999999999999999999", 0, u64::MAX), Err(EINVAL));
    }

    #[test]
    fn rejects_overlong_input() {
        let long = [b'0'; 200];
        assert_eq!(parse_u64(&long, 0, 1), Err(EINVAL));
    }

    #[test]
    fn formats_round_trip() {
        let mut buf = [0u8; 32];
        for v in [0u64, 1, 9, 10, 12345, u64::MAX] {
            let n = format_u64(v, &mut buf);
            assert_eq!(parse_u64(&buf[..n], 0, u64::MAX), Ok(v));
        }
        let mut tiny = [0u8; 2];
        assert_eq!(format_u64(123, &mut tiny), 0);
    }
}

#[kunit_tests(pghot_user)]
mod user_tests {
    use crate::user::{parse, UserAccess};
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
}
