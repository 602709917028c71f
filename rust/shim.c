// SPDX-License-Identifier: GPL-2.0
/*
 * C side of pghot.ko: only what Rust cannot reach. Per-CPU counters, the
 * sysfs plumbing (whose parsing and policy live in Rust), PFN checks built
 * on static inlines, the NUMA hint fault consumer, and the exports.
 */

#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/numa_access.h>
#include <linux/percpu.h>
#include <linux/sysfs.h>

#include "../include/pghot_shim.h"

/* --- counters ------------------------------------------------------------- */

struct pghot_stats {
	u64 count[PGHOT_STAT_NR_PERCPU];
};

static DEFINE_PER_CPU(struct pghot_stats, pghot_stats);

/* this_cpu_inc() is safe against preemption and interrupts, not NMI. */
void pghot_stat_inc(enum pghot_stat stat)
{
	if (likely(stat < PGHOT_STAT_NR_PERCPU))
		this_cpu_inc(pghot_stats.count[stat]);
}

void pghot_stat_add(enum pghot_stat stat, u64 n)
{
	if (likely(stat < PGHOT_STAT_NR_PERCPU))
		this_cpu_add(pghot_stats.count[stat], n);
}

u64 pghot_stat_read(enum pghot_stat stat)
{
	u64 sum = 0;
	int cpu;

	if (stat >= PGHOT_STAT_NR_PERCPU)
		return 0;
	for_each_possible_cpu(cpu)
		sum += per_cpu(pghot_stats.count[stat], cpu);
	return sum;
}

static const char *const pghot_stat_names[PGHOT_STAT_NR] = {
	[PGHOT_STAT_HINT_FAULT] = "hint_fault",
	[PGHOT_STAT_PGTABLE_SCAN] = "pgtable_scan",
	[PGHOT_STAT_IBS] = "ibs",
	[PGHOT_STAT_PEBS] = "pebs",
	[PGHOT_STAT_CHMU] = "chmu",
	[PGHOT_STAT_USER] = "user",
	[PGHOT_STAT_IGNORED_INVALID_PFN] = "ignored_invalid_pfn",
	[PGHOT_STAT_IGNORED_TOPTIER] = "ignored_toptier",
	[PGHOT_STAT_IGNORED_NOT_LRU] = "ignored_not_lru",
	[PGHOT_STAT_IGNORED_DISABLED] = "ignored_disabled",
	[PGHOT_STAT_IGNORED_NO_TARGET] = "ignored_no_target",
	[PGHOT_STAT_REJECTED] = "rejected",
	[PGHOT_STAT_PROMOTE_CANDIDATES] = "promote_candidates",
	[PGHOT_STAT_PROMOTED] = "promoted",
	[PGHOT_STAT_RATE_LIMITED] = "rate_limited",
	[PGHOT_STAT_FAIL_INVALID] = "fail_invalid",
	[PGHOT_STAT_FAIL_TOPTIER] = "fail_already_toptier",
	[PGHOT_STAT_FAIL_NOT_LRU] = "fail_not_lru",
	[PGHOT_STAT_FAIL_ISOLATED] = "fail_isolated_elsewhere",
	[PGHOT_STAT_FAIL_PINNED] = "fail_pinned",
	[PGHOT_STAT_FAIL_SHARED] = "fail_shared_file",
	[PGHOT_STAT_FAIL_NO_SPACE] = "fail_no_space",
	[PGHOT_STAT_FAIL_MIGRATE] = "fail_migrate",
	[PGHOT_STAT_BATCHES] = "batches",
	[PGHOT_STAT_THRESHOLD_UP] = "threshold_up",
	[PGHOT_STAT_THRESHOLD_DOWN] = "threshold_down",
	[PGHOT_STAT_HOTPLUG_EVENTS] = "hotplug_events",
	[PGHOT_STAT_RECORDS] = "records",
	[PGHOT_STAT_RECORDS_CREATED] = "records_created",
	[PGHOT_STAT_RECORDS_REPLACED] = "records_replaced",
	[PGHOT_STAT_RECORDS_PRUNED] = "records_pruned",
	[PGHOT_STAT_RECORDS_DROPPED] = "records_dropped",
	[PGHOT_STAT_TURNED_HOT] = "turned_hot",
	[PGHOT_STAT_HEAP_INSERTED] = "heap_inserted",
	[PGHOT_STAT_HEAP_FULL] = "heap_full",
};

static const char *const pghot_knob_names[PGHOT_KNOB_NR] = {
	[PGHOT_KNOB_ENABLED] = "enabled",
	[PGHOT_KNOB_SOURCE_HINT_FAULT] = "source_hint_fault",
	[PGHOT_KNOB_SOURCE_PGTABLE_SCAN] = "source_pgtable_scan",
	[PGHOT_KNOB_SOURCE_IBS] = "source_ibs",
	[PGHOT_KNOB_SOURCE_PEBS] = "source_pebs",
	[PGHOT_KNOB_SOURCE_CHMU] = "source_chmu",
	[PGHOT_KNOB_SOURCE_USER] = "source_user",
	[PGHOT_KNOB_FREQ_THRESHOLD] = "freq_threshold",
	[PGHOT_KNOB_FREQ_WINDOW_MS] = "freq_window_ms",
	[PGHOT_KNOB_PROMOTE_RATE_LIMIT_MBPS] = "promote_rate_limit_MBps",
	[PGHOT_KNOB_KPROMOTED_SLEEP_MS] = "kpromoted_sleep_ms",
	[PGHOT_KNOB_KPROMOTED_BATCH_NR] = "kpromoted_batch_nr",
	[PGHOT_KNOB_POOL_SIZE] = "pool_size",
};

/* --- PFNs and nodes --------------------------------------------------------- */

enum pghot_pfn_class pghot_pfn_classify(unsigned long pfn, int *nid)
{
	struct page *page = pfn_to_online_page(pfn);

	if (!page)
		return PGHOT_PFN_INVALID;
	*nid = page_to_nid(page);
	/*
	 * No reference is taken: this is a hint read on the report path, and
	 * kpromoted checks again under a reference before it isolates. The
	 * tier is judged by the caller from its cached set of target nodes.
	 */
	if (!folio_test_lru(page_folio(page)))
		return PGHOT_PFN_NOT_LRU;
	return PGHOT_PFN_LRU;
}

unsigned int pghot_pfn_nr_pages(unsigned long pfn)
{
	struct page *page = pfn_to_online_page(pfn);

	return page ? folio_nr_pages(page_folio(page)) : 0;
}

bool pghot_nid_valid(int nid)
{
	if (nid == NUMA_NO_NODE)
		return true;
	return nid >= 0 && nid < nr_node_ids && node_online(nid);
}

unsigned long pghot_jiffies(void)
{
	return jiffies;
}

/* --- interrupt-safe spinlocks for rust/lock.rs ----------------------------- */

unsigned long pghot_spin_lock_irqsave(void *lock)
{
	unsigned long flags;

	spin_lock_irqsave((spinlock_t *)lock, flags);
	return flags;
}

bool pghot_spin_trylock_irqsave(void *lock, unsigned long *flags)
{
	return spin_trylock_irqsave((spinlock_t *)lock, *flags);
}

void pghot_spin_unlock_irqrestore(void *lock, unsigned long flags)
{
	spin_unlock_irqrestore((spinlock_t *)lock, flags);
}

/* --- sysfs: /sys/kernel/mm/pghot ------------------------------------------- */

struct pghot_attr {
	struct kobj_attribute kattr;
	unsigned int id;
};

#define to_pghot_attr(a) container_of(a, struct pghot_attr, kattr)

static ssize_t pghot_knob_attr_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return pghot_knob_show(to_pghot_attr(attr)->id, buf);
}

/* Writers are serialised, so a knob and what it drives (threads) agree. */
static DEFINE_MUTEX(pghot_knob_mutex);

static ssize_t pghot_knob_attr_store(struct kobject *kobj,
				     struct kobj_attribute *attr,
				     const char *buf, size_t count)
{
	guard(mutex)(&pghot_knob_mutex);
	return pghot_knob_store(to_pghot_attr(attr)->id, buf, count);
}

static ssize_t pghot_stat_attr_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return pghot_stat_show(to_pghot_attr(attr)->id, buf);
}

/* The user-space source: root writes "PFN NID" lines (rust/user.rs). */
static ssize_t pghot_report_store(struct kobject *kobj,
				  struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	return pghot_user_report(buf, count);
}

static struct kobj_attribute pghot_report_attr =
	__ATTR(report, 0200, NULL, pghot_report_store);

static struct pghot_attr pghot_knob_attrs[PGHOT_KNOB_NR];
static struct attribute *pghot_knob_attr_ptrs[PGHOT_KNOB_NR + 2];
static const struct attribute_group pghot_knob_group = {
	.attrs = pghot_knob_attr_ptrs,
};

static struct pghot_attr pghot_stat_attrs[PGHOT_STAT_NR];
static struct attribute *pghot_stat_attr_ptrs[PGHOT_STAT_NR + 1];
static const struct attribute_group pghot_stat_group = {
	.attrs = pghot_stat_attr_ptrs,
};

static struct kobject *pghot_kobj;
static struct kobject *pghot_stats_kobj;

static struct attribute *pghot_attr_init(struct pghot_attr *a,
					 const char *name, umode_t mode,
					 unsigned int id,
					 ssize_t (*show)(struct kobject *,
							 struct kobj_attribute *,
							 char *),
					 ssize_t (*store)(struct kobject *,
							  struct kobj_attribute *,
							  const char *, size_t))
{
	sysfs_attr_init(&a->kattr.attr);
	a->kattr.attr.name = name;
	a->kattr.attr.mode = mode;
	a->kattr.show = show;
	a->kattr.store = store;
	a->id = id;
	return &a->kattr.attr;
}

static void pghot_attrs_fill(void)
{
	unsigned int i;

	for (i = 0; i < PGHOT_KNOB_NR; i++) {
		bool ro = i == PGHOT_KNOB_POOL_SIZE;

		pghot_knob_attr_ptrs[i] =
			pghot_attr_init(&pghot_knob_attrs[i],
					pghot_knob_names[i], ro ? 0444 : 0644, i,
					pghot_knob_attr_show,
					ro ? NULL : pghot_knob_attr_store);
	}
	pghot_knob_attr_ptrs[PGHOT_KNOB_NR] = &pghot_report_attr.attr;
	for (i = 0; i < PGHOT_STAT_NR; i++)
		pghot_stat_attr_ptrs[i] =
			pghot_attr_init(&pghot_stat_attrs[i],
					pghot_stat_names[i], 0444, i,
					pghot_stat_attr_show, NULL);
}

int pghot_sysfs_init(void)
{
	int err;

	pghot_attrs_fill();
	pghot_kobj = kobject_create_and_add("pghot", mm_kobj);
	if (!pghot_kobj)
		return -ENOMEM;
	err = sysfs_create_group(pghot_kobj, &pghot_knob_group);
	if (err)
		goto put_pghot;
	pghot_stats_kobj = kobject_create_and_add("stats", pghot_kobj);
	if (!pghot_stats_kobj) {
		err = -ENOMEM;
		goto put_pghot;
	}
	err = sysfs_create_group(pghot_stats_kobj, &pghot_stat_group);
	if (err)
		goto put_stats;
	return 0;

put_stats:
	kobject_put(pghot_stats_kobj);
put_pghot:
	kobject_put(pghot_kobj);
	return err;
}

/* Removing the files waits for every show/store still running to return. */
void pghot_sysfs_exit(void)
{
	kobject_put(pghot_stats_kobj);
	kobject_put(pghot_kobj);
}

/* --- the NUMA hint fault source -------------------------------------------- */

static bool pghot_hint_fault_cb(struct folio *folio, int nid)
{
	return pghot_hint_fault(folio_pfn(folio), nid, jiffies);
}

static const struct numa_access_consumer pghot_consumer = {
	.hint_fault = pghot_hint_fault_cb,
};

int pghot_hint_fault_register(void)
{
	return numa_access_consumer_register(&pghot_consumer);
}

/* Returns once no fault path is inside pghot_hint_fault_cb(). */
void pghot_hint_fault_unregister(void)
{
	numa_access_consumer_unregister(&pghot_consumer);
}

/* --- exports: implemented in Rust ------------------------------------------ */

EXPORT_SYMBOL_GPL(pghot_record_access);
EXPORT_SYMBOL_GPL(pghot_record_accesses);
