// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware samplers' perf events: one kernel counter per online CPU and
 * sampler, created with perf_event_create_kernel_counter(), an overflow
 * handler that runs in NMI and only copies the sample into this CPU's ring
 * (Rust, rust/sampler.rs) and queues this CPU's irq_work, which drains the
 * ring into pghot_record_access(). Which samples are accesses is decided
 * in Rust (rust/sample.rs).
 *
 * IBS: the ibs_op PMU's type is dynamic and not exported, so the event is
 * asked for as precise CPU cycles (PERF_TYPE_HARDWARE, precise_ip 1): on a
 * CPU with IBS, the AMD core PMU forwards precise events to ibs_op, which
 * then counts cycles (IbsOpCntCtl clear). The event's PMU is checked to be
 * "ibs_op" afterwards, since the same attr means PEBS cycles on Intel.
 *
 * PEBS: the mem-loads event (event 0xcd, umask 0x01, the encoding of the
 * big cores since Sandy Bridge) with its latency threshold in config1.
 * PEBS reports the data's linear address; perf core turns it into a
 * physical one only for its own ring buffer, so the handler does the same
 * walk (get_user_page_fast_only(), NMI-safe) itself.
 */

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/irq_work.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/perf_event.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/topology.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/cpufeature.h>
#include <asm/io.h>
#include <asm/processor.h>

#include "pghot_exports.h"
#include "pghot_shim.h"

/* Intel's mem-loads: event 0xcd, umask 0x01 (cpu/mem-loads/ in sysfs). */
#define PGHOT_PEBS_MEM_LOADS	0x01cd

/* Values the probe event is created with; it never counts. */
#define PGHOT_PROBE_PERIOD	0x10000
#define PGHOT_PROBE_LDLAT	128

struct pghot_sampler_cpu {
	struct perf_event *event[PGHOT_SAMPLER_NR];
	struct irq_work drain;
};

static DEFINE_PER_CPU(struct pghot_sampler_cpu, pghot_sampler_cpu);

/*
 * Start and stop are serialised by the mutex and change the running set
 * and the events under cpus_read_lock(), so the hotplug callbacks, which
 * run with the hotplug lock held for write, see them consistent.
 */
static DEFINE_MUTEX(pghot_sampler_mutex);
static struct perf_event_attr pghot_sampler_attr[PGHOT_SAMPLER_NR];
static bool pghot_sampler_available[PGHOT_SAMPLER_NR];
static unsigned long pghot_sampler_running;
static int pghot_sampler_hp_state;

static const char *pghot_sampler_pmu[PGHOT_SAMPLER_NR] = {
	[PGHOT_SAMPLER_IBS] = "ibs_op",
	[PGHOT_SAMPLER_PEBS] = "cpu",
};

#ifdef PGHOT_KUNIT
/*
 * Test build only: the PEBS sampler runs on the cpu-clock software event
 * (period in ns), so that a guest without a PMU exercises event creation,
 * the overflow handler (in hard IRQ, not NMI), the rings, the irq_work and
 * IPI drains, CPU hotplug and unload. Its samples carry no data source or
 * address and are all dropped as not loads.
 */
static bool swevent;
module_param(swevent, bool, 0444);
MODULE_PARM_DESC(swevent, "test build: PEBS sampler on the cpu-clock software event");
#else
#define swevent false
#endif

static bool pghot_sampler_cpu_fits(enum pghot_sampler s)
{
	switch (s) {
	case PGHOT_SAMPLER_IBS:
		return boot_cpu_data.x86_vendor == X86_VENDOR_AMD &&
		       boot_cpu_has(X86_FEATURE_IBS);
	case PGHOT_SAMPLER_PEBS:
		if (swevent)
			return true;
		return boot_cpu_data.x86_vendor == X86_VENDOR_INTEL &&
		       boot_cpu_has(X86_FEATURE_DS);
	default:
		return false;
	}
}

static void pghot_sampler_attr_fill(struct perf_event_attr *attr,
				    enum pghot_sampler s, u64 period, u64 ldlat)
{
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->sample_period = period;
	attr->precise_ip = 1;
	attr->pinned = 1;
	/* One PMI per sample, in NMI: no large PEBS drained from a task. */
	attr->wakeup_events = 1;
	if (s == PGHOT_SAMPLER_IBS) {
		attr->type = PERF_TYPE_HARDWARE;
		attr->config = PERF_COUNT_HW_CPU_CYCLES;
		attr->sample_type = PERF_SAMPLE_PHYS_ADDR | PERF_SAMPLE_DATA_SRC;
	} else if (swevent) {
		attr->type = PERF_TYPE_SOFTWARE;
		attr->config = PERF_COUNT_SW_CPU_CLOCK;
		attr->precise_ip = 0;
		attr->sample_type = PERF_SAMPLE_ADDR | PERF_SAMPLE_DATA_SRC;
	} else {
		attr->type = PERF_TYPE_RAW;
		attr->config = PGHOT_PEBS_MEM_LOADS;
		attr->config1 = ldlat;
		attr->sample_type = PERF_SAMPLE_ADDR | PERF_SAMPLE_PHYS_ADDR |
				    PERF_SAMPLE_DATA_SRC;
	}
}

/* The physical address of a data address seen in NMI, as perf core does. */
static u64 pghot_sampler_virt_to_phys(u64 virt)
{
	struct page *page;
	u64 phys = 0;

	if (!virt)
		return 0;
	if (virt >= TASK_SIZE) {
		if (virt_addr_valid((void *)(uintptr_t)virt) &&
		    !is_vmalloc_addr((void *)(uintptr_t)virt))
			phys = virt_to_phys((void *)(uintptr_t)virt);
		return phys;
	}
	if (!is_user_task(current))
		return 0;
	pagefault_disable();
	if (get_user_page_fast_only(virt, 0, &page)) {
		phys = page_to_phys(page) + virt % PAGE_SIZE;
		put_page(page);
	}
	pagefault_enable();
	return phys;
}

/* In NMI: copy the sample into this CPU's ring, drain it from irq_work. */
static void pghot_sampler_overflow(struct perf_event *event,
				   struct perf_sample_data *data,
				   struct pt_regs *regs)
{
	enum pghot_sampler s =
		(enum pghot_sampler)(uintptr_t)event->overflow_handler_context;
	struct pghot_sample sample = {
		.data_src = PERF_MEM_NA,
		.sampler = s,
	};

	if (data->sample_flags & PERF_SAMPLE_DATA_SRC)
		sample.data_src = data->data_src.val;
	if (s == PGHOT_SAMPLER_IBS) {
		if (data->sample_flags & PERF_SAMPLE_PHYS_ADDR)
			sample.phys_addr = data->phys_addr;
	} else if (data->sample_flags & PERF_SAMPLE_ADDR) {
		sample.phys_addr = pghot_sampler_virt_to_phys(data->addr);
	}
	/* A full ring counts the sample as dropped; drain it anyway. */
	pghot_sample_push(smp_processor_id(), &sample);
	irq_work_queue(this_cpu_ptr(&pghot_sampler_cpu.drain));
}

static void pghot_sampler_drain(struct irq_work *work)
{
	pghot_samples_drain(smp_processor_id(), numa_node_id());
}

static struct perf_event *pghot_sampler_create(enum pghot_sampler s, int cpu,
					       struct perf_event_attr *attr)
{
	struct perf_event *event;

	event = perf_event_create_kernel_counter(attr, cpu, NULL,
						 pghot_sampler_overflow,
						 (void *)(uintptr_t)s);
	if (IS_ERR(event))
		return event;
	/* Another PMU took the attr (PEBS cycles for the IBS attr on Intel). */
	if (strcmp(event->pmu->name, pghot_sampler_pmu[s]) &&
	    !(s == PGHOT_SAMPLER_PEBS && !strcmp(event->pmu->name, "cpu_core"))) {
		perf_event_release_kernel(event);
		return ERR_PTR(-ENODEV);
	}
	return event;
}

/* Whether @s can sample here: its CPU feature, and an event it can create. */
static bool pghot_sampler_probe(enum pghot_sampler s)
{
	struct perf_event_attr attr;
	struct perf_event *event;

	if (!pghot_sampler_cpu_fits(s)) {
		pr_info("pghot: %s sampling not available (not on this CPU)\n",
			pghot_sampler_pmu[s]);
		return false;
	}
	pghot_sampler_attr_fill(&attr, s, PGHOT_PROBE_PERIOD, PGHOT_PROBE_LDLAT);
	attr.disabled = 1;
	event = pghot_sampler_create(s, raw_smp_processor_id(), &attr);
	if (IS_ERR(event)) {
		pr_info("pghot: %s sampling not available (%pe)\n",
			pghot_sampler_pmu[s], event);
		return false;
	}
	perf_event_release_kernel(event);
	return true;
}

/* Called with the hotplug lock held. */
static int pghot_sampler_cpu_start(enum pghot_sampler s, unsigned int cpu)
{
	struct pghot_sampler_cpu *pc = per_cpu_ptr(&pghot_sampler_cpu, cpu);
	struct perf_event *event;

	event = pghot_sampler_create(s, cpu, &pghot_sampler_attr[s]);
	if (IS_ERR(event))
		return PTR_ERR(event);
	pc->event[s] = event;
	return 0;
}

/* Called with the hotplug lock held; the event is gone on return. */
static void pghot_sampler_cpu_stop(enum pghot_sampler s, unsigned int cpu)
{
	struct pghot_sampler_cpu *pc = per_cpu_ptr(&pghot_sampler_cpu, cpu);

	if (pc->event[s]) {
		perf_event_release_kernel(pc->event[s]);
		pc->event[s] = NULL;
	}
}

/* An IPI on @info's CPU: nothing else consumes its ring meanwhile. */
static void pghot_sampler_drain_ipi(void *info)
{
	pghot_samples_drain(smp_processor_id(), numa_node_id());
}

static void pghot_sampler_stop_locked(enum pghot_sampler s)
{
	unsigned int cpu;

	if (!test_bit(s, &pghot_sampler_running))
		return;
	cpus_read_lock();
	clear_bit(s, &pghot_sampler_running);
	for_each_possible_cpu(cpu)
		pghot_sampler_cpu_stop(s, cpu);
	/* No handler runs now; let queued drains finish, then drain the rest. */
	for_each_possible_cpu(cpu)
		irq_work_sync(per_cpu_ptr(&pghot_sampler_cpu.drain, cpu));
	for_each_online_cpu(cpu)
		smp_call_function_single(cpu, pghot_sampler_drain_ipi, NULL, 1);
	cpus_read_unlock();
}

int pghot_sampler_start(enum pghot_sampler s, u64 period, u64 ldlat)
{
	unsigned int cpu, started = 0, failed = 0;
	int err = -ENODEV, first_err = 0;

	if (s >= PGHOT_SAMPLER_NR)
		return -EINVAL;
	guard(mutex)(&pghot_sampler_mutex);
	if (!pghot_sampler_available[s])
		return -ENODEV;
	pghot_sampler_stop_locked(s);
	pghot_sampler_attr_fill(&pghot_sampler_attr[s], s, period, ldlat);
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		err = pghot_sampler_cpu_start(s, cpu);
		if (!err) {
			started++;
			continue;
		}
		failed++;
		if (!first_err)
			first_err = err;
	}
	if (started)
		set_bit(s, &pghot_sampler_running);
	cpus_read_unlock();
	if (!started)
		return first_err ? first_err : -ENODEV;
	if (failed)
		pr_warn("pghot: %s sampling on %u CPUs, failed on %u (%d)\n",
			pghot_sampler_pmu[s], started, failed, first_err);
	return 0;
}

void pghot_sampler_stop(enum pghot_sampler s)
{
	if (s >= PGHOT_SAMPLER_NR)
		return;
	guard(mutex)(&pghot_sampler_mutex);
	pghot_sampler_stop_locked(s);
}

const char *pghot_sampler_status(enum pghot_sampler s)
{
	if (s >= PGHOT_SAMPLER_NR || !pghot_sampler_available[s])
		return "not available";
	return test_bit(s, &pghot_sampler_running) ? "on" : "off";
}

/* CPU hotplug: a CPU coming online samples with every running sampler. */
static int pghot_sampler_cpu_online(unsigned int cpu)
{
	unsigned int s;
	int err;

	for (s = 0; s < PGHOT_SAMPLER_NR; s++) {
		if (!test_bit(s, &pghot_sampler_running))
			continue;
		err = pghot_sampler_cpu_start(s, cpu);
		if (err)
			pr_warn("pghot: no %s sampling on CPU %u (%d)\n",
				pghot_sampler_pmu[s], cpu, err);
	}
	return 0;
}

/* On the CPU going down: release its events, then report its ring. */
static int pghot_sampler_cpu_offline(unsigned int cpu)
{
	unsigned long flags;
	unsigned int s;

	for (s = 0; s < PGHOT_SAMPLER_NR; s++)
		pghot_sampler_cpu_stop(s, cpu);
	irq_work_sync(per_cpu_ptr(&pghot_sampler_cpu.drain, cpu));
	local_irq_save(flags);
	pghot_samples_drain(cpu, cpu_to_node(cpu));
	local_irq_restore(flags);
	return 0;
}

int pghot_sampler_init(void)
{
	unsigned int cpu, s;
	int state;

	if (swevent)
		pghot_sampler_pmu[PGHOT_SAMPLER_PEBS] = "cpu_clock";
	for_each_possible_cpu(cpu)
		init_irq_work(per_cpu_ptr(&pghot_sampler_cpu.drain, cpu),
			      pghot_sampler_drain);
	for (s = 0; s < PGHOT_SAMPLER_NR; s++)
		pghot_sampler_available[s] = pghot_sampler_probe(s);
	state = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN,
					  "mm/pghot_sampler:online",
					  pghot_sampler_cpu_online,
					  pghot_sampler_cpu_offline);
	if (state < 0)
		return state;
	pghot_sampler_hp_state = state;
	return 0;
}

void pghot_sampler_exit(void)
{
	unsigned int s;

	for (s = 0; s < PGHOT_SAMPLER_NR; s++)
		pghot_sampler_stop(s);
	cpuhp_remove_state_nocalls(pghot_sampler_hp_state);
}
