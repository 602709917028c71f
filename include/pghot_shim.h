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

/*
 * Counters, one file each under /sys/kernel/mm/pghot/stats/. Those up to
 * PGHOT_STAT_NR_PERCPU are per-CPU event counts kept by the C shim; the
 * rest are read from the hotness engine's own counters.
 */
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
	PGHOT_STAT_IGNORED_NO_TARGET,
	/* reports refused for bad arguments */
	PGHOT_STAT_REJECTED,
	/* promotion, in base pages */
	PGHOT_STAT_PROMOTE_CANDIDATES,
	PGHOT_STAT_PROMOTED,
	PGHOT_STAT_RATE_LIMITED,
	PGHOT_STAT_FAIL_INVALID,
	PGHOT_STAT_FAIL_TOPTIER,
	PGHOT_STAT_FAIL_NOT_LRU,
	PGHOT_STAT_FAIL_ISOLATED,
	PGHOT_STAT_FAIL_PINNED,
	PGHOT_STAT_FAIL_SHARED,
	PGHOT_STAT_FAIL_NO_SPACE,
	PGHOT_STAT_FAIL_MIGRATE,
	PGHOT_STAT_BATCHES,
	/* the dynamic threshold moved up or down for some node */
	PGHOT_STAT_THRESHOLD_UP,
	PGHOT_STAT_THRESHOLD_DOWN,
	/* memory went online or offline somewhere (targets re-derived) */
	PGHOT_STAT_HOTPLUG_EVENTS,
	PGHOT_STAT_NR_PERCPU,
	/* the hotness engine, summed over shards */
	PGHOT_STAT_RECORDS = PGHOT_STAT_NR_PERCPU,
	PGHOT_STAT_RECORDS_CREATED,
	PGHOT_STAT_RECORDS_REPLACED,
	PGHOT_STAT_RECORDS_PRUNED,
	PGHOT_STAT_RECORDS_DROPPED,
	PGHOT_STAT_TURNED_HOT,
	PGHOT_STAT_HEAP_INSERTED,
	PGHOT_STAT_HEAP_FULL,
	PGHOT_STAT_NR,
};

/* Knobs, one file each under /sys/kernel/mm/pghot/. */
enum pghot_knob {
	PGHOT_KNOB_ENABLED = 0,
	PGHOT_KNOB_SOURCE_HINT_FAULT,	/* one switch per source, in enum */
	PGHOT_KNOB_SOURCE_PGTABLE_SCAN,	/* pghot_src order */
	PGHOT_KNOB_SOURCE_IBS,
	PGHOT_KNOB_SOURCE_PEBS,
	PGHOT_KNOB_SOURCE_CHMU,
	PGHOT_KNOB_SOURCE_USER,
	PGHOT_KNOB_FREQ_THRESHOLD,
	PGHOT_KNOB_FREQ_WINDOW_MS,
	PGHOT_KNOB_PROMOTE_RATE_LIMIT_MBPS,
	PGHOT_KNOB_KPROMOTED_SLEEP_MS,
	PGHOT_KNOB_KPROMOTED_BATCH_NR,
	PGHOT_KNOB_POOL_SIZE,		/* read-only */
	PGHOT_KNOB_NR,
};

/* What a PFN is, as far as recording an access to it goes. */
enum pghot_pfn_class {
	PGHOT_PFN_INVALID = 0,	/* no online page */
	PGHOT_PFN_NOT_LRU,	/* not on an LRU list: cannot be migrated */
	PGHOT_PFN_LRU,		/* on an LRU list: migratable if not top tier */
};

/* Why a promotion candidate did not move; one counter each under stats/. */
enum pghot_fail {
	PGHOT_FAIL_INVALID = 0,		/* PFN no longer an online page */
	PGHOT_FAIL_TOPTIER,		/* already in the top tier */
	PGHOT_FAIL_NOT_LRU,		/* not on an LRU list */
	PGHOT_FAIL_ISOLATED,		/* being freed or isolated elsewhere */
	PGHOT_FAIL_PINNED,		/* maybe DMA-pinned */
	PGHOT_FAIL_SHARED,		/* shared file folio, maybe a library */
	PGHOT_FAIL_NO_SPACE,		/* target node is short of free memory */
	PGHOT_FAIL_MIGRATE,		/* migrate_pages() did not move it */
	PGHOT_FAIL_NR,
};

/* Outcome of pghot_promote_batch(), in base pages. */
struct pghot_promote_result {
	unsigned int nr_isolated;
	unsigned int nr_moved;
	unsigned int fail[PGHOT_FAIL_NR];
};

/* --- implemented in C (rust/shim.c, rust/migrate.c) ------------------------------------- */

void pghot_stat_inc(enum pghot_stat stat);
void pghot_stat_add(enum pghot_stat stat, u64 n);
u64 pghot_stat_read(enum pghot_stat stat);

/* Classify @pfn; unless PGHOT_PFN_INVALID, *nid is its node. */
enum pghot_pfn_class pghot_pfn_classify(unsigned long pfn, int *nid);
/* Base pages of the folio holding @pfn, 0 if it has no online page. */
unsigned int pghot_pfn_nr_pages(unsigned long pfn);
/* NUMA_NO_NODE, or an online node id. */
bool pghot_nid_valid(int nid);

int pghot_sysfs_init(void);
void pghot_sysfs_exit(void);

int pghot_hint_fault_register(void);
void pghot_hint_fault_unregister(void);

unsigned long pghot_jiffies(void);

/* spin_lock_irqsave() and friends are macros; @lock is a spinlock_t. */
unsigned long pghot_spin_lock_irqsave(void *lock);
bool pghot_spin_trylock_irqsave(void *lock, unsigned long *flags);
void pghot_spin_unlock_irqrestore(void *lock, unsigned long flags);

/*
 * Re-check each PFN (still an online lower-tier page on the LRU, not
 * pinned), isolate it and migrate every isolated folio to @nid with one
 * call. Nothing stays isolated on return. Sleeps; process context only.
 */
void pghot_promote_batch(const unsigned long *pfns, unsigned int nr, int nid,
			 struct pghot_promote_result *res);

/* kpromoted threads (rust/kpromoted.c). */
void pghot_kpromoted_wake(int nid);
bool pghot_kpromoted_running(int nid);
/* Run threads on exactly the nodes pghot_kpromoted_wanted() names. Sleeps. */
int pghot_kpromoted_sync(void);

/* Memory hotplug: calls pghot_memory_changed() on online/offline. */
int pghot_hotplug_register(void);
void pghot_hotplug_unregister(void);

unsigned int pghot_hz(void);

/* Node facts for target selection. */
unsigned int pghot_nr_node_ids(void);
bool pghot_node_is_target(int nid);
int pghot_node_distance(int from, int to);

/* Tracepoints pghot:pghot_hot and pghot:pghot_migrate_batch (rust/trace.c). */
void pghot_trace_hot(unsigned long pfn, int nid, unsigned int threshold);
void pghot_trace_migrate_batch(int nid, unsigned int nr_asked,
			       unsigned int nr_moved);

/* --- implemented in Rust, called from C ----------------------------------- */

/* sysfs show for a counter; @buf is a PAGE_SIZE sysfs buffer. */
ssize_t pghot_stat_show(enum pghot_stat stat, char *buf);

/* sysfs show/store for a knob; @buf is a PAGE_SIZE sysfs buffer. */
ssize_t pghot_knob_show(enum pghot_knob knob, char *buf);
ssize_t pghot_knob_store(enum pghot_knob knob, const char *buf, size_t count);

/* A write to /sys/kernel/mm/pghot/report: "PFN NID" lines. */
ssize_t pghot_user_report(const char *buf, size_t count);

/* Memory went online or offline somewhere: re-derive targets and threads. */
void pghot_memory_changed(void);

/* Nodes that should run kpromoted now (bit n: node n). */
u64 pghot_kpromoted_wanted(void);

/* One pass of kpromoted for @nid; returns how long to sleep, in ms. */
unsigned int pghot_kpromoted_pass(int nid);

/* A NUMA hint fault on a lower-tier folio; true takes over its promotion. */
bool pghot_hint_fault(unsigned long pfn, int nid, unsigned long now);

#endif /* _PGHOT_SHIM_H */
