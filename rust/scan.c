// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table scan source: a thread that finds lower-tier folios whose
 * mappings were accessed since its last look, by testing and clearing the
 * accessed bits of every PTE and PMD that maps them (folio_mkold(), a walk
 * of the reverse map, as DAMON's physical address operations do). No hint
 * fault, nothing unmapped, and it works with NUMA balancing off. What to
 * scan and when is decided in Rust (pghot_scan_pass(), rust/scan.rs); this
 * file holds the thread and the per-folio work, which lives on static
 * inlines.
 */

#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/memory-tiers.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/rmap.h>
#include <linux/sched.h>

#include "pghot_exports.h"
#include "pghot_shim.h"

static struct task_struct *pghot_scand;

static int pghot_scand_fn(void *arg)
{
	set_freezable();
	while (!kthread_should_stop()) {
		unsigned int sleep_ms = pghot_scan_pass();

		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		schedule_timeout(msecs_to_jiffies(sleep_ms));
		try_to_freeze();
	}
	return 0;
}

int pghot_scand_start(void)
{
	struct task_struct *task;

	task = kthread_run(pghot_scand_fn, NULL, "kpghotscand");
	if (IS_ERR(task))
		return PTR_ERR(task);
	WRITE_ONCE(pghot_scand, task);
	return 0;
}

/* Waits for the pass in progress; nothing it scanned stays referenced. */
void pghot_scand_stop(void)
{
	struct task_struct *task = READ_ONCE(pghot_scand);

	if (!task)
		return;
	WRITE_ONCE(pghot_scand, NULL);
	kthread_stop(task);
}

/* Called from sysfs stores, which are all gone before pghot_scand_stop(). */
void pghot_scand_wake(void)
{
	struct task_struct *task = READ_ONCE(pghot_scand);

	if (task)
		wake_up_process(task);
}

u64 pghot_scand_runtime_ns(void)
{
	return current->se.sum_exec_runtime;
}

bool pghot_node_pfn_range(int nid, unsigned long *start, unsigned long *end)
{
	if (nid < 0 || nid >= nr_node_ids || !node_state(nid, N_MEMORY))
		return false;
	*start = node_start_pfn(nid);
	*end = node_end_pfn(nid);
	return *end > *start;
}

/*
 * Scan lower-tier folios from *@pfn up to @end_pfn, at most @budget base
 * pages of them. Every folio on the LRU has the accessed bits of its
 * mappings tested and cleared; with @report, the head PFN of each one that
 * was young goes into @out, which holds @max. Stops early when @out is
 * full. Advances *@pfn past what it looked at; adds to @res.
 */
unsigned int pghot_scan_range(unsigned long *pfn, unsigned long end_pfn,
			      unsigned long budget, bool report,
			      unsigned long *out, unsigned int max,
			      struct pghot_scan_result *res)
{
	unsigned long p = *pfn, stop = min(end_pfn, *pfn + budget);
	unsigned int n = 0, steps = 0;

	while (p < stop && n < max) {
		struct folio *folio = NULL;
		struct page *page;
		unsigned long head;
		int young;

		if (!(++steps & 255))
			cond_resched();
		rcu_read_lock();
		page = pghot_pfn_to_page_rcu(p);
		if (page) {
			folio = page_folio(page);
			if (!folio_test_lru(folio) || !folio_try_get(folio))
				folio = NULL;
			else if (unlikely(page_folio(page) != folio)) {
				folio_put(folio);
				folio = NULL;
			}
		}
		rcu_read_unlock();
		if (!folio) {
			p++;
			continue;
		}
		head = folio_pfn(folio);
		if (head != p || !folio_test_lru(folio) ||
		    node_is_toptier(folio_nid(folio))) {
			/* A tail (the head was before the cursor) or not ours. */
			p = head + folio_nr_pages(folio);
			folio_put(folio);
			continue;
		}
		young = folio_mkold(folio);
		res->scanned += folio_nr_pages(folio);
		if (young < 0) {
			res->contended++;
		} else if (young) {
			res->young++;
			if (report)
				out[n++] = head;
		}
		p = head + folio_nr_pages(folio);
		folio_put(folio);
	}
	*pfn = p;
	return n;
}
