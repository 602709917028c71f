// SPDX-License-Identifier: GPL-2.0

//! KUnit suite of `rust/knob.rs` (a child module of it, built only with
//! `PGHOT_KUNIT=y`): parsing of knob writes as sysfs delivers them, and
//! settings that keep their value when a write is refused.

use kernel::prelude::*;

#[kunit_tests(pghot_knob)]
mod tests {
    use crate::knob::{
        parse_u64,
        Setting, //
    };
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
            b"00",
            b"01",
            b"010\n",
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
    fn refused_write_changes_nothing() {
        // A local setting, not a live knob.
        let s = Setting::new(1, 0, 1);
        for bad in [&b"2"[..], b"garbage", b"-1", b""] {
            assert_eq!(s.parse(bad), Err(EINVAL));
        }
        assert_eq!(s.get(), 1);
        assert_eq!(s.parse(b"0\n"), Ok(0));
        assert_eq!(s.range(), (0, 1));
    }
}
