// SPDX-License-Identifier: GPL-2.0

//! KUnit suite of `rust/agent.rs` (a child module of it, built only with
//! `PGHOT_KUNIT=y`): the errnos of malformed requests and the per-PFN
//! statuses of a move.

use kernel::prelude::*;

#[kunit_tests(pghot_agent)]
mod tests {
    use crate::agent::{
        errno,
        fail_errno, //
    };
    use crate::bindings::{
        self,
        Fail, //
    };
    use crate::engine::agent::AgentError;
    use kernel::ffi::c_ulong;
    use kernel::prelude::*;

    #[test]
    fn malformed_requests_have_distinct_errnos() {
        assert_eq!(errno(AgentError::Invalid), EINVAL);
        assert_eq!(errno(AgentError::TooMany), E2BIG);
        let version = errno(AgentError::Version).to_errno();
        assert!(version < 0);
        assert!(version != EINVAL.to_errno() && version != E2BIG.to_errno());
    }

    #[test]
    fn every_failure_has_its_own_status() {
        let mut seen = [0i32; Fail::COUNT];
        for (i, why) in Fail::all().enumerate() {
            let e = fail_errno(why).to_errno();
            assert!(e < 0);
            assert!(!seen[..i].contains(&e));
            seen[i] = e;
        }
        assert_eq!(fail_errno(Fail::Invalid), ENOENT);
        assert_eq!(fail_errno(Fail::Toptier), EEXIST);
    }

    #[test]
    fn a_pfn_without_a_page_does_not_move() {
        let mut why = Fail::Migrate;
        // SAFETY: `why` is valid for a write; any PFN and node are accepted,
        // and a KUnit test runs in process context, which may sleep.
        let moved = unsafe { bindings::pghot_move_pfn((1 as c_ulong) << 40, 0, &mut why) };
        assert!(!moved);
        assert_eq!(why, Fail::Invalid);
    }
}
