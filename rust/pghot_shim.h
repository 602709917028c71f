/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C functions the Rust half of pghot.ko calls: what Rust cannot reach
 * directly (static inlines, macros, per-CPU variables, kthreads, the mm
 * hook, tracepoints). bindgen turns this header, and only this one, into
 * rust/bindings_generated.rs at build time; nothing generated is committed.
 * The functions Rust implements for C are in pghot_exports.h.
 */
#ifndef _PGHOT_SHIM_H
#define _PGHOT_SHIM_H

#include <linux/types.h>

#include "pghot_types.h"

/* Per-CPU event counters (rust/shim.c); other values are ignored. */
void pghot_stat_add(enum pghot_stat stat, u64 n);
u64 pghot_stat_read(enum pghot_stat stat);

/*
 * Classify @pfn; unless PGHOT_PFN_NO_PAGE, *nid is its node and *head the
 * PFN of the head of its folio.
 */
enum pghot_pfn_class pghot_pfn_classify(unsigned long pfn, int *nid,
				       unsigned long *head);
/* Base pages of the folio holding @pfn, 0 if it has no online page. */
unsigned int pghot_pfn_nr_pages(unsigned long pfn);

unsigned long pghot_jiffies(void);
unsigned int pghot_hz(void);

/* spin_lock_irqsave() and friends are macros; @lock is a spinlock_t. */
unsigned long pghot_spin_lock_irqsave(void *lock);
bool pghot_spin_trylock_irqsave(void *lock, unsigned long *flags);
void pghot_spin_unlock_irqrestore(void *lock, unsigned long flags);

/* Node facts. */
unsigned int pghot_nr_node_ids(void);
/* NUMA_NO_NODE, or an online node id. */
bool pghot_nid_valid(int nid);
bool pghot_node_is_target(int nid);
int pghot_node_distance(int from, int to);

/* /sys/kernel/mm/pghot and its stats/ directory (rust/sysfs.c). */
int pghot_sysfs_init(void);
void pghot_sysfs_exit(void);

/* The NUMA hint fault consumer. */
int pghot_hint_fault_register(void);
void pghot_hint_fault_unregister(void);

/* Memory hotplug: calls pghot_memory_changed() on online/offline. */
int pghot_hotplug_register(void);
void pghot_hotplug_unregister(void);

/*
 * Re-check each PFN (still an online lower-tier page on the LRU, not
 * pinned), isolate it and migrate every isolated folio to @nid with one
 * call (rust/migrate.c). Nothing stays isolated on return. Sleeps.
 */
void pghot_promote_batch(const unsigned long *pfns, unsigned int nr, int nid,
			 struct pghot_promote_result *res);

/* kpromoted threads (rust/kpromoted.c). */
void pghot_kpromoted_wake(int nid);
bool pghot_kpromoted_running(int nid);
/* Run threads on exactly the nodes pghot_kpromoted_wanted() names. Sleeps. */
int pghot_kpromoted_sync(void);

/* Tracepoints pghot:pghot_hot and pghot:pghot_migrate_batch (rust/trace.c). */
void pghot_trace_hot(unsigned long pfn, int nid, unsigned int threshold);
void pghot_trace_migrate_batch(int nid, unsigned int nr_asked,
			       unsigned int nr_moved);

#endif /* _PGHOT_SHIM_H */
