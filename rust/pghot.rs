// SPDX-License-Identifier: GPL-2.0

//! pghot: collects page-access reports from every source and promotes hot
//! pages from slow memory tiers. The crate root only wires the parts together.

use kernel::prelude::*;

mod bindings;
mod knob;
mod report;
mod source;
mod stats;

#[path = "../kunit/knob.rs"]
mod kunit_knob;
#[path = "../kunit/report.rs"]
mod kunit_report;

module! {
    type: Pghot,
    name: "pghot",
    authors: ["pghot developers"],
    description: "Page hotness tracking and promotion for tiered memory",
    license: "GPL",
}

/// The loaded module. Dropping it tears everything down in reverse order.
struct Pghot {
    _sysfs: bindings::Sysfs,
    _hint_fault: bindings::HintFaultConsumer,
}

impl kernel::Module for Pghot {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // Sysfs first, so the knobs exist before any access is counted; the
        // hint-fault consumer last, so no report arrives half-initialised.
        let sysfs = bindings::Sysfs::create()?;
        let hint_fault = bindings::HintFaultConsumer::register()?;
        pr_info!("loaded\n");
        Ok(Pghot {
            _sysfs: sysfs,
            _hint_fault: hint_fault,
        })
    }
}

impl Drop for Pghot {
    fn drop(&mut self) {
        // Fields drop after this: the consumer is unregistered (and every
        // fault path has left it) before the sysfs files go away.
        pr_info!("unloading\n");
    }
}
