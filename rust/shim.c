// SPDX-License-Identifier: GPL-2.0
/*
 * C side of pghot.ko: only what Rust cannot reach. Per-CPU counters, the
 * sysfs plumbing (whose parsing and policy live in Rust), PFN checks built
 * on static inlines, the NUMA hint fault consumer, and the exports.
 */

#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/memory-tiers.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/numa_access.h>
#include <linux/percpu.h>
#include <linux/sysfs.h>

#include "../include/pghot_shim.h"

/* --- counters ------------------------------------------------------------- */

struct pghot_stats {
	u64 count[PGHOT_STAT_NR];
};

static DEFINE_PER_CPU(struct pghot_stats, pghot_stats);

/* this_cpu_inc() is safe against preemption and interrupts, not NMI. */
void pghot_stat_inc(enum pghot_stat stat)
{
	if (likely(stat < PGHOT_STAT_NR))
		this_cpu_inc(pghot_stats.count[stat]);
}

u64 pghot_stat_read(enum pghot_stat stat)
{
	u64 sum = 0;
	int cpu;

	if (stat >= PGHOT_STAT_NR)
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
	[PGHOT_STAT_REJECTED] = "rejected",
};

static const char *const pghot_knob_names[PGHOT_KNOB_NR] = {
	[PGHOT_KNOB_ENABLED] = "enabled",
};

/* --- PFNs and nodes --------------------------------------------------------- */

enum pghot_pfn_class pghot_pfn_classify(unsigned long pfn, int *nid)
{
	struct page *page = pfn_to_online_page(pfn);

	if (!page)
		return PGHOT_PFN_INVALID;
	*nid = page_to_nid(page);
	if (node_is_toptier(*nid))
		return PGHOT_PFN_TOPTIER;
	/*
	 * No reference is taken: this is a hint read on the report path, and
	 * kpromoted checks again under a reference before it isolates.
	 */
	if (!folio_test_lru(page_folio(page)))
		return PGHOT_PFN_NOT_LRU;
	return PGHOT_PFN_LOWER_TIER;
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

static ssize_t pghot_knob_attr_store(struct kobject *kobj,
				     struct kobj_attribute *attr,
				     const char *buf, size_t count)
{
	return pghot_knob_store(to_pghot_attr(attr)->id, buf, count);
}

static ssize_t pghot_stat_attr_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  pghot_stat_read(to_pghot_attr(attr)->id));
}

static struct pghot_attr pghot_knob_attrs[PGHOT_KNOB_NR];
static struct attribute *pghot_knob_attr_ptrs[PGHOT_KNOB_NR + 1];
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

static void pghot_attrs_fill(void)
{
	unsigned int i;

	for (i = 0; i < PGHOT_KNOB_NR; i++) {
		struct pghot_attr *a = &pghot_knob_attrs[i];

		sysfs_attr_init(&a->kattr.attr);
		a->kattr.attr.name = pghot_knob_names[i];
		a->kattr.attr.mode = 0644;
		a->kattr.show = pghot_knob_attr_show;
		a->kattr.store = pghot_knob_attr_store;
		a->id = i;
		pghot_knob_attr_ptrs[i] = &a->kattr.attr;
	}
	for (i = 0; i < PGHOT_STAT_NR; i++) {
		struct pghot_attr *a = &pghot_stat_attrs[i];

		sysfs_attr_init(&a->kattr.attr);
		a->kattr.attr.name = pghot_stat_names[i];
		a->kattr.attr.mode = 0444;
		a->kattr.show = pghot_stat_attr_show;
		a->id = i;
		pghot_stat_attr_ptrs[i] = &a->kattr.attr;
	}
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
