// SPDX-License-Identifier: GPL-2.0

//! debugfs for inspection: `/sys/kernel/debug/pghot/hottest` lists the
//! hottest records of every target node, a few per shard.

use core::fmt;
use core::pin::Pin;

use kernel::debugfs::{Dir, File};
use kernel::prelude::*;

use crate::nodes;
use crate::state;

/// Records listed per node and shard.
const PER_SHARD: usize = 8;

/// The debugfs directory and its files, removed on drop.
pub(crate) struct Debugfs {
    // The file goes before its directory.
    _hottest: Option<Pin<KBox<File<Hottest>>>>,
    _dir: Dir,
}

/// Marker for the `hottest` file; the data comes from the published store.
pub(crate) struct Hottest;

fn show_hottest(_: &Hottest, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let Some(store) = state::store() else {
        return Ok(());
    };
    let targets = nodes::targets();
    for nid in 0..nodes::nr_nodes() {
        if targets & (1 << nid) == 0 {
            continue;
        }
        writeln!(
            f,
            "node {nid}: pfn freq (hottest {PER_SHARD} of each shard)"
        )?;
        let mut res = Ok(());
        store.for_each_hot(nid, PER_SHARD, |c| {
            if res.is_ok() {
                res = writeln!(f, "  {:#x} {}", c.pfn, c.freq);
            }
        });
        res?;
    }
    Ok(())
}

impl Debugfs {
    /// Creates the files; debugfs is best effort and never fails a load.
    pub(crate) fn create() -> Self {
        let dir = Dir::new(c"pghot");
        let hottest = KBox::pin_init(
            dir.read_callback_file(c"hottest", Hottest, &show_hottest),
            GFP_KERNEL,
        )
        .ok();
        Debugfs {
            _hottest: hottest,
            _dir: dir,
        }
    }
}
