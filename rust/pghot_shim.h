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

#include <linux/errno.h>
#include <linux/types.h>

#include "pghot_sampler.h"
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
#ifndef __BINDGEN__
struct page;
/*
 * The online page of @pfn, or NULL (also while its memory is going
 * offline). Call inside rcu_read_lock() and take a reference before
 * leaving it: the memmap of memory going offline may be freed after.
 */
struct page *pghot_pfn_to_page_rcu(unsigned long pfn);
#endif

/* Base pages of the folio holding @pfn, 0 if it has no online page. */
unsigned int pghot_pfn_nr_pages(unsigned long pfn);

unsigned long pghot_jiffies(void);
unsigned int pghot_hz(void);

/*
 * raw_spin_lock_irqsave() and friends are macros; @lock is a raw_spinlock_t
 * (the report path runs in hard interrupts, also on PREEMPT_RT).
 */
struct lock_class_key;
void pghot_raw_spin_lock_init(void *lock, const char *name,
			      struct lock_class_key *key);
unsigned long pghot_spin_lock_irqsave(void *lock);
bool pghot_spin_trylock_irqsave(void *lock, unsigned long *flags);
void pghot_spin_unlock_irqrestore(void *lock, unsigned long flags);
void pghot_spin_assert_held(void *lock);

#ifdef PGHOT_KUNIT
/* For the KUnit suites only (kunit/irq.c). */
typedef void (*pghot_irq_fn)(void *ctx, unsigned int i);
struct pghot_irq_result {
	u64 max_ns;		/* longest single call */
	bool hardirq;		/* the calls ran in hard IRQ, IRQs off */
};
/* @nr calls of @fn from an hrtimer in hard-IRQ mode; waits up to 10 s. */
int pghot_kunit_in_hardirq(pghot_irq_fn fn, void *ctx, unsigned int nr,
			   struct pghot_irq_result *res);
/* @nr calls of @fn under a raw spinlock, interrupts off. */
void pghot_kunit_under_raw_lock(pghot_irq_fn fn, void *ctx, unsigned int nr,
				struct pghot_irq_result *res);
#endif

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
 * pinned, allowed on @nid by its users' policies and cpusets), isolate it
 * while @nid keeps its high watermark after the whole batch, and migrate
 * the base pages with one call and each large folio with its own
 * (rust/migrate.c). Nothing stays isolated on return. Sleeps.
 */
void pghot_promote_batch(const unsigned long *pfns, unsigned int nr, int nid,
			 struct pghot_promote_result *res);

/* kpromoted threads (rust/kpromoted.c). */
void pghot_kpromoted_wake(int nid);
bool pghot_kpromoted_running(int nid);
/* Run threads on exactly the nodes pghot_kpromoted_wanted() names. Sleeps. */
int pghot_kpromoted_sync(void);

/* The page-table scan thread and its per-folio work (rust/scan.c). */
int pghot_scand_start(void);
void pghot_scand_stop(void);
void pghot_scand_wake(void);
/* CPU time of the calling thread, as of its last scheduler update. */
u64 pghot_scand_runtime_ns(void);
/* The PFN span of node @nid; false if it has no memory. */
bool pghot_node_pfn_range(int nid, unsigned long *start, unsigned long *end);
unsigned int pghot_scan_range(unsigned long *pfn, unsigned long end_pfn,
			      unsigned long budget, bool report,
			      unsigned long *out, unsigned int max,
			      struct pghot_scan_result *res);

/*
 * Move the folio holding @pfn to @nid alone, with the checks of
 * pghot_promote_batch(): true when it moved, else false and *@why
 * (rust/migrate.c). Sleeps.
 */
bool pghot_move_pfn(unsigned long pfn, int nid, enum pghot_fail *why);

/* The agent device, /dev/pghot (rust/agent.c). */
int pghot_agent_register(void);
void pghot_agent_unregister(void);
/*
 * Hand a move of @nr PFNs to the kpromoted thread of @nid and wait until it
 * has set every @status; -EAGAIN if that thread stopped first, -EINTR if
 * the caller was killed first. Sleeps.
 */
int pghot_agent_move_submit(const u64 *pfns, s32 *status, unsigned int nr,
			    int nid);
/* From kpromoted of @nid: carry out the move handed to it, if any. */
void pghot_agent_move_serve(int nid);
/* The errno of a request header of an unknown version. */
enum { PGHOT_AGENT_EVERSION = EPROTONOSUPPORT };

/* Tracepoints pghot:pghot_hot and pghot:pghot_migrate_batch (rust/trace.c). */
void pghot_trace_hot(unsigned long pfn, int nid, unsigned int threshold);
void pghot_trace_migrate_batch(int nid, unsigned int nr_asked,
			       unsigned int nr_moved);

/*
 * CXL memory devices with a CHMU (rust/cxl.c): the CHMU and component
 * register blocks, mapped, and a reference on the PCI device.
 */
struct pci_dev;
struct pghot_cxl_dev {
	struct pci_dev *pdev;
	void __iomem *chmu;
	u64 chmu_len;
	void __iomem *component;
	u64 component_len;
};

/*
 * Maps up to @max CXL memory devices that have a CHMU into @devs; returns
 * how many, and in *@nr_memdevs how many CXL memory devices there are.
 * Sleeps.
 */
int pghot_cxl_map(struct pghot_cxl_dev *devs, unsigned int max,
		  unsigned int *nr_memdevs);
void pghot_cxl_unmap(struct pghot_cxl_dev *devs, unsigned int nr);
const char *pghot_cxl_name(const struct pghot_cxl_dev *dev);

/* readq() and friends on a mapped register block. */
u64 pghot_mmio_read64(const void __iomem *base, unsigned long off);
u32 pghot_mmio_read32(const void __iomem *base, unsigned long off);
u16 pghot_mmio_read16(const void __iomem *base, unsigned long off);
void pghot_mmio_write64(void __iomem *base, unsigned long off, u64 val);
void pghot_mmio_write16(void __iomem *base, unsigned long off, u16 val);
void pghot_mmio_relax(void);

/*
 * The delayed work that calls pghot_chmu_poll(@ctx): start arms it in @ms,
 * stop returns once it is not running and will not run again, kick runs
 * it now if it is started. Sleep.
 */
void pghot_chmu_start(void *ctx, unsigned int ms);
void pghot_chmu_stop(void);
void pghot_chmu_kick(void);

#endif /* _PGHOT_SHIM_H */
