/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hardware samplers (AMD IBS op sampling, Intel PEBS load latency):
 * the C half of pghot.ko owns their perf events, the overflow handler
 * (NMI) and the per-CPU irq_work (rust/sampler.c); the Rust half owns the
 * per-CPU rings and decides which samples are accesses (rust/sampler.rs,
 * rust/sample.rs, rust/ring.rs). Read by bindgen through pghot_shim.h.
 */
#ifndef _PGHOT_SAMPLER_H
#define _PGHOT_SAMPLER_H

#include <linux/types.h>
#include <uapi/linux/perf_event.h>

#include "pghot_types.h"

/* The samplers: X(NAME, RustName, "name"); "name" prefixes their files. */
#define PGHOT_SAMPLERS(X)						\
	X(IBS, IbsOp, "ibs")	/* AMD IBS op sampling, PGHOT_SRC_IBS */ \
	X(PEBS, PebsLoads, "pebs")	/* Intel PEBS loads, PGHOT_SRC_PEBS */

#define PGHOT_SAMPLER_ENTRY(c, rs, name)				\
	PGHOT_ENUMERATOR(PGHOT_SAMPLER_##c, rs)

enum pghot_sampler {
	PGHOT_SAMPLERS(PGHOT_SAMPLER_ENTRY)
};

enum {
	PGHOT_SAMPLER_NR = 0 PGHOT_SAMPLERS(PGHOT_COUNT_ONE),
};

/* One sample as the overflow handler saw it, before it is judged. */
struct pghot_sample {
	u64 phys_addr;		/* physical data address, 0 if unknown */
	u64 data_src;		/* union perf_mem_data_src, PERF_MEM_NA if unset */
	u32 sampler;		/* enum pghot_sampler */
};

/*
 * Probe the PMUs (a disabled event on the current CPU) and register the
 * CPU hotplug callbacks. Never fails for want of a PMU: a missing one is
 * "not available". Sleeps.
 */
int pghot_sampler_init(void);
/* Stop every sampler (see pghot_sampler_stop()), unregister hotplug. */
void pghot_sampler_exit(void);

/*
 * Start @s on every online CPU (and on CPUs coming online) with sample
 * period @period and, for PEBS, load latency threshold @ldlat cycles;
 * restart it if it runs. -ENODEV when the PMU is not available, or the
 * error of the first CPU when no CPU could get an event. Sleeps.
 */
int pghot_sampler_start(enum pghot_sampler s, u64 period, u64 ldlat);
/*
 * Stop @s: release its events, wait for pending irq_work and report what
 * the rings still hold. Sleeps.
 */
void pghot_sampler_stop(enum pghot_sampler s);
/* "not available", "off" or "on". */
const char *pghot_sampler_status(enum pghot_sampler s);

#endif /* _PGHOT_SAMPLER_H */
