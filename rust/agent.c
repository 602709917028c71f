// SPDX-License-Identifier: GPL-2.0
/*
 * The plumbing of the agent device, /dev/pghot (include/uapi/pghot.h): the
 * misc device, who may open it, and the hand-off of a move request to the
 * kpromoted thread of its target node. What each request does is decided
 * in Rust (rust/agent.rs).
 *
 * fops.owner pins the module while the device is open, so no request can
 * be running when the module goes away: rmmod is refused with EBUSY until
 * every agent has closed the device.
 */

#include <linux/capability.h>
#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>

#include "../include/uapi/pghot.h"
#include "pghot_exports.h"
#include "pghot_shim.h"

static_assert(sizeof(struct pghot_agent_access) == 16);
static_assert(sizeof(struct pghot_agent_report) == 24);
static_assert(sizeof(struct pghot_agent_hot) == 24);
static_assert(sizeof(struct pghot_agent_query) == 24);
static_assert(sizeof(struct pghot_agent_move) == 40);

/* --- moves, carried out by kpromoted --------------------------------------- */

/* A move request, on the stack of the agent waiting for it. */
struct pghot_move_req {
	const u64 *pfns;
	s32 *status;
	unsigned int nr;
	struct completion done;
};

/*
 * The request each node's kpromoted is to serve next; changed under the
 * lock, peeked at without it.
 */
static struct pghot_move_req *pghot_move_pending[MAX_NUMNODES];
static DEFINE_SPINLOCK(pghot_move_lock);
/* Agents are few: one move at a time is enough, and keeps a slot each. */
static DEFINE_MUTEX(pghot_move_mutex);

/* Takes @req back if kpromoted has not taken it yet. */
static bool pghot_move_withdraw(struct pghot_move_req *req, int nid)
{
	guard(spinlock)(&pghot_move_lock);
	if (pghot_move_pending[nid] != req)
		return false;
	WRITE_ONCE(pghot_move_pending[nid], NULL);
	return true;
}

int pghot_agent_move_submit(const u64 *pfns, s32 *status, unsigned int nr,
			    int nid)
{
	struct pghot_move_req req = {
		.pfns = pfns,
		.status = status,
		.nr = nr,
	};
	int err = 0;

	if (nid < 0 || nid >= MAX_NUMNODES)
		return -EINVAL;
	if (mutex_lock_killable(&pghot_move_mutex))
		return -EINTR;
	init_completion(&req.done);
	scoped_guard(spinlock, &pghot_move_lock)
		WRITE_ONCE(pghot_move_pending[nid], &req);
	pghot_kpromoted_wake(nid);
	/*
	 * Poll rather than sleep for good: the thread may stop (pghot
	 * disabled, node offlined) without ever seeing the request, and a
	 * wakeup that found it mid-pass is lost to its next sleep.
	 */
	while (!wait_for_completion_timeout(&req.done, HZ / 10)) {
		bool stopped = !pghot_kpromoted_running(nid);

		if (!stopped && !fatal_signal_pending(current)) {
			pghot_kpromoted_wake(nid);
			continue;
		}
		if (pghot_move_withdraw(&req, nid)) {
			err = stopped ? -EAGAIN : -EINTR;
			break;
		}
		/* kpromoted has it; a thread finishes its pass before it stops. */
		wait_for_completion(&req.done);
		break;
	}
	mutex_unlock(&pghot_move_mutex);
	return err;
}

void pghot_agent_move_serve(int nid)
{
	struct pghot_move_req *req;

	/* Lockless peek first: nearly every pass finds no request. */
	if (nid < 0 || nid >= MAX_NUMNODES || !READ_ONCE(pghot_move_pending[nid]))
		return;
	scoped_guard(spinlock, &pghot_move_lock) {
		req = pghot_move_pending[nid];
		WRITE_ONCE(pghot_move_pending[nid], NULL);
	}
	if (!req)
		return;
	pghot_agent_move_run(req->pfns, req->status, req->nr, nid);
	/* The agent returns, and @req goes, once this is done. */
	complete(&req->done);
}

/* --- the device ------------------------------------------------------------ */

static bool pghot_agent_on(void)
{
	return pghot_knob_value(PGHOT_KNOB_AGENT_DEVICE);
}

static int pghot_agent_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (!pghot_agent_on())
		return -ENODEV;
	return 0;
}

static long pghot_agent_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	/* Switched off while open: the agent loses its requests too. */
	if (!pghot_agent_on())
		return -ENODEV;
	switch (cmd) {
	case PGHOT_IOC_REPORT:
		return pghot_agent_report(arg);
	case PGHOT_IOC_HOTTEST:
		return pghot_agent_hottest(arg);
	case PGHOT_IOC_MOVE:
		return pghot_agent_move(arg);
	}
	return -ENOTTY;
}

static const struct file_operations pghot_agent_fops = {
	.owner = THIS_MODULE,
	.open = pghot_agent_open,
	.unlocked_ioctl = pghot_agent_ioctl,
	/* Every field is fixed-size and pointers are __u64: no translation. */
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice pghot_agent_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "pghot",
	.fops = &pghot_agent_fops,
	.mode = 0600,
};

int pghot_agent_register(void)
{
	return misc_register(&pghot_agent_dev);
}

void pghot_agent_unregister(void)
{
	misc_deregister(&pghot_agent_dev);
}
