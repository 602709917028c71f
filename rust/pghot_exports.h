/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The functions the Rust half of pghot.ko implements for its C half, and
 * the exports for other modules (include/pghot.h). Never read by bindgen.
 */
#ifndef _PGHOT_EXPORTS_H
#define _PGHOT_EXPORTS_H

#include <linux/types.h>

#include "pghot_sampler.h"
#include "pghot_types.h"

/* Current value of a counter or a knob, for sysfs (rust/sysfs.rs). */
u64 pghot_stat_value(enum pghot_stat stat);
u64 pghot_knob_value(enum pghot_knob knob);

/*
 * A write of @count bytes at @buf to a knob: parsed, applied, stored.
 * Returns 0, or a negative errno and nothing changed. Writers are
 * serialised by the caller.
 */
int pghot_knob_write(enum pghot_knob knob, const char *buf, size_t count);

/* A write to /sys/kernel/mm/pghot/report: "PFN NID" lines (rust/user.rs). */
ssize_t pghot_user_report(const char *buf, size_t count);

/*
 * The ioctls of /dev/pghot (rust/agent.rs): @arg is the caller's header.
 * Each returns 0 or a negative errno.
 */
long pghot_agent_report(unsigned long arg);
long pghot_agent_hottest(unsigned long arg);
long pghot_agent_move(unsigned long arg);
/* On kpromoted of @nid: move each of @pfns there, setting its @status. */
void pghot_agent_move_run(const u64 *pfns, s32 *status, unsigned int nr,
			  int nid);

/* Memory went online or offline somewhere (rust/hotplug.rs). */
void pghot_memory_changed(void);
/* Memory is going offline; no PFN of it is looked up any more. Sleeps. */
void pghot_memory_going_offline(unsigned long start_pfn, unsigned long nr_pages);

/* Nodes that should run kpromoted now, bit n for node n (rust/kpromoted.rs). */
u64 pghot_kpromoted_wanted(void);

/* One pass of kpromoted for @nid; returns how long to sleep, in ms. */
unsigned int pghot_kpromoted_pass(int nid);

/* One pass of the page-table scan source; returns how long to sleep, in ms. */
unsigned int pghot_scan_pass(void);

/* A NUMA hint fault on a lower-tier folio; true takes over its promotion. */
bool pghot_hint_fault(unsigned long pfn, int nid, unsigned long now);

/* Drains the CHMU hot lists of @ctx (rust/chmu.rs); returns ms to sleep. */
unsigned int pghot_chmu_poll(void *ctx);
/*
 * The hardware samplers' rings (rust/sampler.rs): push from the overflow
 * handler, in NMI, on @cpu; drain on @cpu (irq_work, IPI, or interrupts
 * off once its events are gone), reporting from node @nid.
 */
bool pghot_sample_push(unsigned int cpu, const struct pghot_sample *sample);
void pghot_samples_drain(unsigned int cpu, int nid);

#endif /* _PGHOT_EXPORTS_H */
