// SPDX-License-Identifier: GPL-2.0

//! KUnit suite of `rust/report.rs` (a child module of it, built only with
//! `PGHOT_KUNIT=y`): a report is refused for bad arguments, refused while
//! pghot or its source is switched off, and ignored for a PFN that cannot
//! be promoted, each with the counter it is charged to. The tests judge
//! reports against switches of their own, so the live module's knobs,
//! counters and store are left alone.

use kernel::prelude::*;

#[kunit_tests(pghot_report)]
mod tests {
    use crate::bindings::{
        Source,
        Stat, //
    };
    use crate::knob::Setting;
    use crate::report::{
        judge,
        Switches,
        Verdict, //
    };
    use kernel::prelude::*;

    /// A PFN far beyond any memory a test guest has.
    const BOGUS_PFN: u64 = 1 << 40;

    /// Switches with pghot `enabled` and every source on except `off`.
    fn switches(enabled: u64, off: Option<Source>) -> (Setting, [Setting; Source::COUNT]) {
        let sources = [const { Setting::new(1, 0, 1) }; Source::COUNT];
        if let Some(s) = off {
            sources[s as usize].set(0);
        }
        (Setting::new(enabled, 0, 1), sources)
    }

    fn judge_with(pfn: u64, nid: i32, src: u32, enabled: u64, off: Option<Source>) -> Verdict {
        let (enabled, sources) = switches(enabled, off);
        let sw = Switches {
            enabled: &enabled,
            sources: &sources,
        };
        judge(pfn, nid, src, &sw)
    }

    #[test]
    fn bad_source_is_refused_as_rejected() {
        let refused = Verdict::Refused(EINVAL, Stat::Rejected);
        assert_eq!(
            judge_with(BOGUS_PFN, -1, Source::COUNT as u32, 1, None),
            refused
        );
        assert_eq!(judge_with(0, -1, 1000, 1, None), refused);
    }

    #[test]
    fn bad_node_is_refused_as_rejected() {
        let refused = Verdict::Refused(EINVAL, Stat::Rejected);
        let user = Source::User as u32;
        assert_eq!(judge_with(BOGUS_PFN, -2, user, 1, None), refused);
        assert_eq!(judge_with(BOGUS_PFN, 1 << 20, user, 1, None), refused);
        assert_eq!(judge_with(BOGUS_PFN, 64, user, 1, None), refused);
    }

    #[test]
    fn invalid_pfn_is_ignored_not_refused() {
        for src in [Source::HintFault, Source::User] {
            assert_eq!(
                judge_with(BOGUS_PFN, -1, src as u32, 1, None),
                Verdict::Ignored(Stat::IgnoredInvalidPfn)
            );
        }
    }

    #[test]
    fn disabled_refuses_with_eagain() {
        assert_eq!(
            judge_with(BOGUS_PFN, -1, Source::User as u32, 0, None),
            Verdict::Refused(EAGAIN, Stat::IgnoredDisabled)
        );
    }

    #[test]
    fn disabled_source_refuses_with_eagain_others_go_on() {
        let off = Some(Source::User);
        assert_eq!(
            judge_with(BOGUS_PFN, -1, Source::User as u32, 1, off),
            Verdict::Refused(EAGAIN, Stat::IgnoredDisabled)
        );
        assert_eq!(
            judge_with(BOGUS_PFN, -1, Source::HintFault as u32, 1, off),
            Verdict::Ignored(Stat::IgnoredInvalidPfn)
        );
    }

    #[test]
    fn every_source_counts_its_own_accesses() {
        for (i, source) in Source::all().enumerate() {
            assert_eq!(Stat::accesses(source) as usize, i);
        }
        assert_eq!(Stat::accesses(Source::User), Stat::UserAccesses);
    }
}
