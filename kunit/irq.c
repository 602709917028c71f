// SPDX-License-Identifier: GPL-2.0
/*
 * For the KUnit suites only (built with PGHOT_KUNIT=y): run a function the
 * way sources call the report path from the hardest contexts, from a hard
 * interrupt (an hrtimer in HRTIMER_MODE_REL_HARD, which stays in hard IRQ
 * also on PREEMPT_RT) and under a raw spinlock with interrupts off, and time
 * each call.
 */

#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/spinlock.h>

#include "../rust/pghot_shim.h"

struct pghot_irq_run {
	struct hrtimer timer;
	struct completion done;
	pghot_irq_fn fn;
	void *ctx;
	unsigned int nr;
	struct pghot_irq_result res;
};

static void pghot_irq_calls(struct pghot_irq_run *run)
{
	unsigned int i;

	for (i = 0; i < run->nr; i++) {
		u64 t0 = ktime_get_ns();

		run->fn(run->ctx, i);
		run->res.max_ns = max(run->res.max_ns, ktime_get_ns() - t0);
	}
}

static enum hrtimer_restart pghot_irq_timer(struct hrtimer *timer)
{
	struct pghot_irq_run *run = container_of(timer, struct pghot_irq_run,
						 timer);

	run->res.hardirq = in_hardirq() && irqs_disabled();
	pghot_irq_calls(run);
	complete(&run->done);
	return HRTIMER_NORESTART;
}

int pghot_kunit_in_hardirq(pghot_irq_fn fn, void *ctx, unsigned int nr,
			   struct pghot_irq_result *res)
{
	struct pghot_irq_run run = { .fn = fn, .ctx = ctx, .nr = nr };
	int err = 0;

	init_completion(&run.done);
	hrtimer_setup_on_stack(&run.timer, pghot_irq_timer, CLOCK_MONOTONIC,
			       HRTIMER_MODE_REL_HARD);
	hrtimer_start(&run.timer, us_to_ktime(100), HRTIMER_MODE_REL_HARD);
	if (!wait_for_completion_timeout(&run.done, 10 * HZ))
		err = -ETIMEDOUT;
	hrtimer_cancel(&run.timer);
	destroy_hrtimer_on_stack(&run.timer);
	*res = run.res;
	return err;
}

static DEFINE_RAW_SPINLOCK(pghot_kunit_raw_lock);

void pghot_kunit_under_raw_lock(pghot_irq_fn fn, void *ctx, unsigned int nr,
				struct pghot_irq_result *res)
{
	struct pghot_irq_run run = { .fn = fn, .ctx = ctx, .nr = nr };
	unsigned long flags;

	raw_spin_lock_irqsave(&pghot_kunit_raw_lock, flags);
	pghot_irq_calls(&run);
	raw_spin_unlock_irqrestore(&pghot_kunit_raw_lock, flags);
	*res = run.res;
}
