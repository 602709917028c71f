// SPDX-License-Identifier: GPL-2.0

//! KUnit: the report-access API refuses bad arguments, honours `enabled`,
//! and ignores PFNs that cannot be promoted, counting each case.

use kernel::prelude::*;

#[kunit_tests(pghot_report)]
mod tests {
    use crate::bindings::{
        PGHOT_SRC_HINT_FAULT, PGHOT_SRC_NR, PGHOT_SRC_USER, PGHOT_STAT_IGNORED_INVALID_PFN,
        PGHOT_STAT_REJECTED,
    };
    use crate::knob::{ENABLED, SOURCES};
    use crate::report::{pghot_record_access, record, Recorded};
    use crate::stats;
    use kernel::prelude::*;

    /// A PFN far beyond any memory a test guest has.
    const BOGUS_PFN: u64 = 1 << 40;

    #[test]
    fn bad_source_is_refused_and_counted() {
        let before = stats::read(PGHOT_STAT_REJECTED);
        assert_eq!(record(BOGUS_PFN, -1, PGHOT_SRC_NR, 0), Err(EINVAL));
        assert_eq!(pghot_record_access(0, -1, 1000, 0), EINVAL.to_errno());
        assert!(stats::read(PGHOT_STAT_REJECTED) >= before + 2);
    }

    #[test]
    fn bad_node_is_refused() {
        assert_eq!(record(BOGUS_PFN, -2, PGHOT_SRC_USER, 0), Err(EINVAL));
        assert_eq!(record(BOGUS_PFN, 1 << 20, PGHOT_SRC_USER, 0), Err(EINVAL));
        assert_eq!(record(BOGUS_PFN, 64, PGHOT_SRC_USER, 0), Err(EINVAL));
    }

    #[test]
    fn invalid_pfn_is_ignored_not_refused() {
        let before = stats::read(PGHOT_STAT_IGNORED_INVALID_PFN);
        assert_eq!(
            record(BOGUS_PFN, -1, PGHOT_SRC_HINT_FAULT, 0),
            Ok(Recorded::Ignored)
        );
        assert_eq!(
            pghot_record_access(BOGUS_PFN as kernel::ffi::c_ulong, -1, PGHOT_SRC_USER, 0),
            0
        );
        assert!(stats::read(PGHOT_STAT_IGNORED_INVALID_PFN) >= before + 2);
    }

    #[test]
    fn disabled_refuses_with_eagain() {
        let saved = ENABLED.get();
        assert_eq!(ENABLED.set_from(b"0\n"), Ok(()));
        assert_eq!(record(BOGUS_PFN, -1, PGHOT_SRC_USER, 0), Err(EAGAIN));
        assert_eq!(
            ENABLED.set_from(if saved == 0 { b"0" } else { b"1" }),
            Ok(())
        );
        assert_eq!(ENABLED.get(), saved);
    }

    #[test]
    fn disabled_source_refuses_with_eagain() {
        let user = &SOURCES[PGHOT_SRC_USER as usize];
        assert_eq!(user.set_from(b"0"), Ok(()));
        assert_eq!(record(BOGUS_PFN, -1, PGHOT_SRC_USER, 0), Err(EAGAIN));
        assert_eq!(
            record(BOGUS_PFN, -1, PGHOT_SRC_HINT_FAULT, 0),
            Ok(Recorded::Ignored)
        );
        assert_eq!(user.set_from(b"1"), Ok(()));
    }

    #[test]
    fn knob_write_failure_changes_nothing() {
        let saved = ENABLED.get();
        assert_eq!(ENABLED.set_from(b"2"), Err(EINVAL));
        assert_eq!(ENABLED.set_from(b"garbage"), Err(EINVAL));
        assert_eq!(ENABLED.get(), saved);
    }
}
