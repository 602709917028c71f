// SPDX-License-Identifier: GPL-2.0
/*
 * C side of pghot.ko: only what Rust cannot reach. Per-CPU counters, PFN
 * and node checks built on static inlines, interrupt-safe spinlocks, the
 * NUMA hint fault consumer, the memory hotplug notifier, and the exports.
 */

#include <linux/jiffies.h>
#include <linux/memory.h>
#include <linux/memory-tiers.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/numa_access.h>
#include <linux/percpu.h>
#include <linux/topology.h>

#include "pghot_exports.h"
#include "pghot_shim.h"

/* --- counters ------------------------------------------------------------- */

struct pghot_stats {
	u64 count[PGHOT_STAT_NR_PERCPU];
};

static DEFINE_PER_CPU(struct pghot_stats, pghot_stats);

/* this_cpu_add() is safe against preemption and interrupts, not NMI. */
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

/* --- PFNs, nodes, time ---------------------------------------------------- */

/*
 * Memory being offlined. From MEM_GOING_OFFLINE until MEM_OFFLINE or
 * MEM_CANCEL_OFFLINE, no PFN in [lo, hi) is turned into a struct page:
 * pfn_to_online_page() pins nothing, and once the memory is offline its
 * memmap may be freed by a removal. The window covers every range being
 * offlined at once (rarely more than one). Readers check it inside an RCU
 * read-side section that also covers their use of the page until they hold
 * a reference; the notifier waits for a grace period after opening it.
 */
static DEFINE_MUTEX(pghot_offlining_mutex);
static unsigned int pghot_offlining_nr;
static unsigned long pghot_offlining_lo, pghot_offlining_hi;

static void pghot_offlining_open(unsigned long start, unsigned long nr)
{
	guard(mutex)(&pghot_offlining_mutex);
	if (!pghot_offlining_nr++) {
		WRITE_ONCE(pghot_offlining_lo, start);
		WRITE_ONCE(pghot_offlining_hi, start + nr);
	} else {
		WRITE_ONCE(pghot_offlining_lo, min(pghot_offlining_lo, start));
		WRITE_ONCE(pghot_offlining_hi,
			   max(pghot_offlining_hi, start + nr));
	}
}

static void pghot_offlining_close(void)
{
	guard(mutex)(&pghot_offlining_mutex);
	if (pghot_offlining_nr && !--pghot_offlining_nr) {
		WRITE_ONCE(pghot_offlining_hi, 0);
		WRITE_ONCE(pghot_offlining_lo, 0);
	}
}

struct page *pghot_pfn_to_page_rcu(unsigned long pfn)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "pghot: PFN lookup outside RCU");
	if (pfn >= READ_ONCE(pghot_offlining_lo) &&
	    pfn < READ_ONCE(pghot_offlining_hi))
		return NULL;
	return pfn_to_online_page(pfn);
}

enum pghot_pfn_class pghot_pfn_classify(unsigned long pfn, int *nid,
				       unsigned long *head)
{
	enum pghot_pfn_class class = PGHOT_PFN_ON_LRU;
	struct folio *folio;
	struct page *page;

	rcu_read_lock();
	page = pghot_pfn_to_page_rcu(pfn);
	if (!page) {
		rcu_read_unlock();
		return PGHOT_PFN_NO_PAGE;
	}
	/*
	 * No reference is taken: this is a hint read on the report path, and
	 * kpromoted checks again under a reference before it isolates. A
	 * folio split or freed meanwhile yields a stale head, which kpromoted
	 * then finds is no folio head or not on the LRU. The tier is judged
	 * by the caller from its cached set of target nodes.
	 */
	folio = page_folio(page);
	*nid = page_to_nid(page);
	*head = folio_pfn(folio);
	if (!folio_test_lru(folio))
		class = PGHOT_PFN_OFF_LRU;
	rcu_read_unlock();
	return class;
}

unsigned int pghot_pfn_nr_pages(unsigned long pfn)
{
	struct page *page;
	unsigned int nr;

	rcu_read_lock();
	page = pghot_pfn_to_page_rcu(pfn);
	nr = page ? folio_nr_pages(page_folio(page)) : 0;
	rcu_read_unlock();
	return nr;
}

unsigned long pghot_jiffies(void)
{
	return jiffies;
}

unsigned int pghot_hz(void)
{
	return HZ;
}

unsigned int pghot_nr_node_ids(void)
{
	return nr_node_ids;
}

bool pghot_nid_valid(int nid)
{
	if (nid == NUMA_NO_NODE)
		return true;
	return nid >= 0 && nid < nr_node_ids && node_online(nid);
}

/* Online, with memory, and in the top tier: a promotion target. */
bool pghot_node_is_target(int nid)
{
	return nid >= 0 && nid < nr_node_ids && node_state(nid, N_MEMORY) &&
	       node_is_toptier(nid);
}

int pghot_node_distance(int from, int to)
{
	return node_distance(from, to);
}

/* --- interrupt-safe raw spinlocks for rust/lock.rs ------------------------- */

void pghot_raw_spin_lock_init(void *lock, const char *name,
			      struct lock_class_key *key)
{
#ifdef CONFIG_DEBUG_SPINLOCK
	__raw_spin_lock_init((raw_spinlock_t *)lock, name, key, LD_WAIT_SPIN);
#else
	raw_spin_lock_init((raw_spinlock_t *)lock);
#endif
}

unsigned long pghot_spin_lock_irqsave(void *lock)
{
	unsigned long flags;

	raw_spin_lock_irqsave((raw_spinlock_t *)lock, flags);
	return flags;
}

bool pghot_spin_trylock_irqsave(void *lock, unsigned long *flags)
{
	return raw_spin_trylock_irqsave((raw_spinlock_t *)lock, *flags);
}

void pghot_spin_unlock_irqrestore(void *lock, unsigned long flags)
{
	raw_spin_unlock_irqrestore((raw_spinlock_t *)lock, flags);
}

void pghot_spin_assert_held(void *lock)
{
	lockdep_assert_held((raw_spinlock_t *)lock);
}

/* --- the NUMA hint fault source -------------------------------------------- */

static bool pghot_hint_fault_cb(struct folio *folio, int nid)
{
	/*
	 * kpromoted migrates without a VMA, and then a file folio mapped by
	 * several processes is refused (it may be a shared library): leave it
	 * to the kernel, which has the VMA and decides as without pghot.
	 */
	if (folio_is_file_lru(folio) && folio_maybe_mapped_shared(folio))
		return false;
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

/* --- memory hotplug -------------------------------------------------------- */

static int pghot_memory_callback(struct notifier_block *nb,
				 unsigned long action, void *arg)
{
	struct memory_notify *mn = arg;

	switch (action) {
	case MEM_GOING_OFFLINE:
		pghot_offlining_open(mn->start_pfn, mn->nr_pages);
		/* Every lookup that missed the window is done with its page. */
		synchronize_rcu();
		pghot_memory_going_offline(mn->start_pfn, mn->nr_pages);
		break;
	case MEM_OFFLINE:
		/* The sections are offline: pfn_to_online_page() says so. */
		pghot_offlining_close();
		pghot_memory_changed();
		break;
	case MEM_CANCEL_OFFLINE:
		pghot_offlining_close();
		break;
	case MEM_ONLINE:
		pghot_memory_changed();
		break;
	}
	return NOTIFY_OK;
}

/*
 * Memory tiers follow node hotplug (NODE_ADDED_FIRST_MEMORY and friends),
 * which the core notifies before MEM_ONLINE and after MEM_OFFLINE of the
 * memory itself, so the tiers are current when this runs.
 */
static struct notifier_block pghot_memory_nb = {
	.notifier_call = pghot_memory_callback,
	.priority = 0,
};

int pghot_hotplug_register(void)
{
	return register_memory_notifier(&pghot_memory_nb);
}

void pghot_hotplug_unregister(void)
{
	unregister_memory_notifier(&pghot_memory_nb);
}

/* --- exports: implemented in Rust ------------------------------------------ */

EXPORT_SYMBOL_GPL(pghot_record_access);
EXPORT_SYMBOL_GPL(pghot_record_accesses);
