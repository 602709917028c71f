// SPDX-License-Identifier: GPL-2.0
/*
 * Lifetime of the kpromoted threads: one per top-tier node with memory,
 * bound to the node's CPUs when it has some, unbound otherwise. The kernel
 * crate has no kthread abstraction; what a thread does in each pass is
 * decided in Rust (pghot_kpromoted_pass()).
 *
 * Wakers on the report path find a thread under RCU; stopping a thread
 * unpublishes it and waits for a grace period before kthread_stop(), so no
 * waker can touch a task that is gone.
 */

#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/topology.h>

#include "pghot_exports.h"
#include "pghot_shim.h"

static struct task_struct __rcu *pghot_kpromoted[MAX_NUMNODES];
static DEFINE_MUTEX(pghot_kpromoted_mutex);

/*
 * A pass that found a full batch asks for no sleep; the thread then only
 * yields the CPU before the next. Freezable, like kswapd: a pass never
 * runs while the system is being frozen for suspend or hibernation.
 */
static int pghot_kpromoted_fn(void *arg)
{
	int nid = (long)arg;

	set_freezable();
	while (!kthread_should_stop()) {
		unsigned int sleep_ms = pghot_kpromoted_pass(nid);

		if (!sleep_ms) {
			cond_resched();
			try_to_freeze();
			continue;
		}
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

/* Caller holds pghot_kpromoted_mutex. */
static int pghot_kpromoted_start(int nid)
{
	struct task_struct *task;

	lockdep_assert_held(&pghot_kpromoted_mutex);
	if (rcu_access_pointer(pghot_kpromoted[nid]))
		return 0;

	task = kthread_create_on_node(pghot_kpromoted_fn, (void *)(long)nid,
				      nid, "kpromoted%d", nid);
	if (IS_ERR(task))
		return PTR_ERR(task);
	/*
	 * On its first wakeup the thread binds itself to the CPUs of @nid
	 * (kthread_affine_node()), or runs unbound when the node has none
	 * (HBM, CXL), and follows CPU hotplug.
	 */
	rcu_assign_pointer(pghot_kpromoted[nid], task);
	wake_up_process(task);
	return 0;
}

/* Caller holds pghot_kpromoted_mutex. */
static void pghot_kpromoted_stop(int nid)
{
	struct task_struct *task;

	task = rcu_replace_pointer(pghot_kpromoted[nid], NULL,
				   lockdep_is_held(&pghot_kpromoted_mutex));
	if (!task)
		return;
	/* No waker may still hold the pointer when the task goes away. */
	synchronize_rcu();
	/* Waits for the pass in progress; its batch is migrated or put back. */
	kthread_stop(task);
}

/*
 * Start kpromoted on the nodes pghot_kpromoted_wanted() names and stop it
 * everywhere else, under one lock, so that knob writes, memory hotplug and
 * module teardown cannot interleave their decisions.
 */
int pghot_kpromoted_sync(void)
{
	int nid, err = 0;
	u64 mask;

	guard(mutex)(&pghot_kpromoted_mutex);
	mask = pghot_kpromoted_wanted();
	for (nid = 0; nid < min_t(int, nr_node_ids, 64); nid++) {
		if (mask & BIT_ULL(nid)) {
			int ret = pghot_kpromoted_start(nid);

			if (ret && !err)
				err = ret;
		} else {
			pghot_kpromoted_stop(nid);
		}
	}
	return err;
}

void pghot_kpromoted_wake(int nid)
{
	struct task_struct *task;

	if (nid < 0 || nid >= MAX_NUMNODES)
		return;
	rcu_read_lock();
	task = rcu_dereference(pghot_kpromoted[nid]);
	if (task)
		wake_up_process(task);
	rcu_read_unlock();
}

bool pghot_kpromoted_running(int nid)
{
	if (nid < 0 || nid >= MAX_NUMNODES)
		return false;
	return rcu_access_pointer(pghot_kpromoted[nid]) != NULL;
}
