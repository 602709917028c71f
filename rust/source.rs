// SPDX-License-Identifier: GPL-2.0

//! The sources of access reports, as numbered in `include/pghot.h`.

use crate::bindings::{self, pghot_stat};

/// Who saw an access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    HintFault,
    PgtableScan,
    Ibs,
    Pebs,
    Chmu,
    User,
}

impl Source {
    /// The source numbered `raw` in `enum pghot_src`, if there is one.
    pub(crate) fn from_raw(raw: u32) -> Option<Self> {
        Some(match raw {
            bindings::PGHOT_SRC_HINT_FAULT => Source::HintFault,
            bindings::PGHOT_SRC_PGTABLE_SCAN => Source::PgtableScan,
            bindings::PGHOT_SRC_IBS => Source::Ibs,
            bindings::PGHOT_SRC_PEBS => Source::Pebs,
            bindings::PGHOT_SRC_CHMU => Source::Chmu,
            bindings::PGHOT_SRC_USER => Source::User,
            _ => return None,
        })
    }

    /// Whether the source's switch (`source_<name>`) is on.
    #[inline]
    pub(crate) fn enabled(self) -> bool {
        crate::knob::SOURCES[self as usize].on()
    }

    /// The counter of accesses recorded from this source.
    pub(crate) fn stat(self) -> pghot_stat {
        match self {
            Source::HintFault => bindings::PGHOT_STAT_HINT_FAULT,
            Source::PgtableScan => bindings::PGHOT_STAT_PGTABLE_SCAN,
            Source::Ibs => bindings::PGHOT_STAT_IBS,
            Source::Pebs => bindings::PGHOT_STAT_PEBS,
            Source::Chmu => bindings::PGHOT_STAT_CHMU,
            Source::User => bindings::PGHOT_STAT_USER,
        }
    }
}

// The C enum and this one must not drift apart.
const _: () = assert!(bindings::PGHOT_SRC_NR == 6);
