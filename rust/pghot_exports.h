/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The functions the Rust half of pghot.ko implements for its C half, and
 * the exports for other modules (include/pghot.h). Never read by bindgen.
 */
#ifndef _PGHOT_EXPORTS_H
#define _PGHOT_EXPORTS_H

#include <linux/types.h>

#include "pghot_types.h"

/* Current value of a counter or a knob, for sysfs (rust/sysfs.rs). */
u64 pghot_stat_value(enum pghot_stat stat);
u64 pghot_knob_value(enum pghot_knob knob);

/*
 * A write of @count bytes at @buf to a knob: parsed, applied, stored.
 * Returns 0, or a negative errno and nothing changed. Writers are
 * serialised by the caller.
 */
int pghot_knob_write(enum pghot_knob knob, const char *buf, size_t count);

/* A write to /sys/kernel/mm/pghot/report: "PFN NID" lines (rust/user.rs). */
ssize_t pghot_user_report(const char *buf, size_t count);

/* Memory went online or offline somewhere (rust/hotplug.rs). */
void pghot_memory_changed(void);

/* Nodes that should run kpromoted now, bit n for node n (rust/kpromoted.rs). */
u64 pghot_kpromoted_wanted(void);

/* One pass of kpromoted for @nid; returns how long to sleep, in ms. */
unsigned int pghot_kpromoted_pass(int nid);

/* A NUMA hint fault on a lower-tier folio; true takes over its promotion. */
bool pghot_hint_fault(unsigned long pfn, int nid, unsigned long now);

#endif /* _PGHOT_EXPORTS_H */
