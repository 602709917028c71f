/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boundary between the Rust part of pghot.ko and its C shims
 * (rust/shim.c): what Rust cannot reach directly (static inlines, per-CPU
 * variables, sysfs attribute plumbing, the mm hook), and the Rust entry
 * points the C side calls. bindgen turns this header into Rust at build
 * time; nothing generated is committed.
 */
#ifndef _PGHOT_SHIM_H
#define _PGHOT_SHIM_H

#include <linux/types.h>
#include "pghot.h"

/* Event counters, one file each under /sys/kernel/mm/pghot/stats/. */
enum pghot_stat {
	/* accesses recorded, one per source, in enum pghot_src order */
	PGHOT_STAT_HINT_FAULT = 0,
	PGHOT_STAT_PGTABLE_SCAN,
	PGHOT_STAT_IBS,
	PGHOT_STAT_PEBS,
	PGHOT_STAT_CHMU,
	PGHOT_STAT_USER,
	/* reports deliberately ignored */
	PGHOT_STAT_IGNORED_INVALID_PFN,
	PGHOT_STAT_IGNORED_TOPTIER,
	PGHOT_STAT_IGNORED_NOT_LRU,
	PGHOT_STAT_IGNORED_DISABLED,
	/* reports refused for bad arguments */
	PGHOT_STAT_REJECTED,
	PGHOT_STAT_NR,
};

/* Writable and read-only knobs, one file each under /sys/kernel/mm/pghot/. */
enum pghot_knob {
	PGHOT_KNOB_ENABLED = 0,
	PGHOT_KNOB_NR,
};

/* What a PFN is, as far as recording an access to it goes. */
enum pghot_pfn_class {
	PGHOT_PFN_INVALID = 0,	/* no online page, or not a normal folio */
	PGHOT_PFN_TOPTIER,	/* already in the top memory tier */
	PGHOT_PFN_NOT_LRU,	/* not on an LRU list: cannot be migrated */
	PGHOT_PFN_LOWER_TIER,	/* a candidate for promotion */
};

/* --- implemented in C (rust/shim.c) ------------------------------------- */

void pghot_stat_inc(enum pghot_stat stat);
u64 pghot_stat_read(enum pghot_stat stat);

/* Classify @pfn; on PGHOT_PFN_LOWER_TIER or _TOPTIER, *nid is its node. */
enum pghot_pfn_class pghot_pfn_classify(unsigned long pfn, int *nid);
/* NUMA_NO_NODE, or an online node id. */
bool pghot_nid_valid(int nid);

int pghot_sysfs_init(void);
void pghot_sysfs_exit(void);

int pghot_hint_fault_register(void);
void pghot_hint_fault_unregister(void);

unsigned long pghot_jiffies(void);

/* --- implemented in Rust, called from C ----------------------------------- */

/* sysfs show/store for a knob; @buf is a PAGE_SIZE sysfs buffer. */
ssize_t pghot_knob_show(enum pghot_knob knob, char *buf);
ssize_t pghot_knob_store(enum pghot_knob knob, const char *buf, size_t count);

/* A NUMA hint fault on a lower-tier folio; true takes over its promotion. */
bool pghot_hint_fault(unsigned long pfn, int nid, unsigned long now);

#endif /* _PGHOT_SHIM_H */
