// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs plumbing of /sys/kernel/mm/pghot: one attribute per knob and
 * per counter, named from the lists in pghot_types.h. Values, parsing and
 * what a write changes are decided in Rust (rust/sysfs.rs); this file only
 * emits and forwards.
 */

#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>

#include "pghot_exports.h"
#include "pghot_shim.h"

struct pghot_attr {
	struct kobj_attribute kattr;
	unsigned int id;
};

#define to_pghot_attr(a) container_of(a, struct pghot_attr, kattr)

#define PGHOT_NAME(c, rs, name)			name,
#define PGHOT_FAIL_NAME(c, rs, name)		"fail_" name,
#define PGHOT_SOURCE_KNOB_NAME(c, rs, name)	"source_" name,
#define PGHOT_KNOB_NAME(c, rs, name, mode)	name,
#define PGHOT_SOURCE_KNOB_MODE(c, rs, name)	0644,
#define PGHOT_KNOB_MODE(c, rs, name, mode)	mode,

static const char *const pghot_stat_names[] = {
	PGHOT_STATS(PGHOT_NAME, PGHOT_NAME, PGHOT_FAIL_NAME, PGHOT_NAME)
};
static_assert(ARRAY_SIZE(pghot_stat_names) == PGHOT_STAT_NR);

static const char *const pghot_knob_names[] = {
	PGHOT_KNOBS(PGHOT_KNOB_NAME, PGHOT_SOURCE_KNOB_NAME)
};
static_assert(ARRAY_SIZE(pghot_knob_names) == PGHOT_KNOB_NR);

static const umode_t pghot_knob_modes[] = {
	PGHOT_KNOBS(PGHOT_KNOB_MODE, PGHOT_SOURCE_KNOB_MODE)
};
static_assert(ARRAY_SIZE(pghot_knob_modes) == PGHOT_KNOB_NR);

static ssize_t pghot_knob_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  pghot_knob_value(to_pghot_attr(attr)->id));
}

/* Writers are serialised, so a knob and what it drives (threads) agree. */
static DEFINE_MUTEX(pghot_knob_mutex);

static ssize_t pghot_knob_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	int err;

	guard(mutex)(&pghot_knob_mutex);
	err = pghot_knob_write(to_pghot_attr(attr)->id, buf, count);
	return err ? err : count;
}

static ssize_t pghot_stat_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  pghot_stat_value(to_pghot_attr(attr)->id));
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

/* <sampler>_status: "not available", "off" or "on" (rust/sampler.c). */
#define PGHOT_SAMPLER_STATUS_NAME(c, rs, name)	name "_status",

static const char *const pghot_sampler_status_names[] = {
	PGHOT_SAMPLERS(PGHOT_SAMPLER_STATUS_NAME)
};

static ssize_t pghot_sampler_status_show(struct kobject *kobj,
					 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  pghot_sampler_status(to_pghot_attr(attr)->id));
}

static struct pghot_attr pghot_sampler_status_attrs[PGHOT_SAMPLER_NR];

static struct pghot_attr pghot_knob_attrs[PGHOT_KNOB_NR];
static struct attribute *pghot_knob_attr_ptrs[PGHOT_KNOB_NR +
					      PGHOT_SAMPLER_NR + 2];
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
	a->kattr.store = mode & 0200 ? store : NULL;
	a->id = id;
	return &a->kattr.attr;
}

static void pghot_attrs_fill(void)
{
	unsigned int i;

	for (i = 0; i < PGHOT_KNOB_NR; i++)
		pghot_knob_attr_ptrs[i] =
			pghot_attr_init(&pghot_knob_attrs[i],
					pghot_knob_names[i],
					pghot_knob_modes[i], i,
					pghot_knob_show, pghot_knob_store);
	pghot_knob_attr_ptrs[PGHOT_KNOB_NR] = &pghot_report_attr.attr;
	for (i = 0; i < PGHOT_SAMPLER_NR; i++)
		pghot_knob_attr_ptrs[PGHOT_KNOB_NR + 1 + i] =
			pghot_attr_init(&pghot_sampler_status_attrs[i],
					pghot_sampler_status_names[i], 0444, i,
					pghot_sampler_status_show, NULL);
	for (i = 0; i < PGHOT_STAT_NR; i++)
		pghot_stat_attr_ptrs[i] =
			pghot_attr_init(&pghot_stat_attrs[i],
					pghot_stat_names[i], 0444, i,
					pghot_stat_show, NULL);
}

/*
 * Removes the files now, not at the kobjects' (possibly delayed) release:
 * kobject_del() waits for every show and store still running to return,
 * and a later insmod finds the names free.
 */
void pghot_sysfs_exit(void)
{
	kobject_del(pghot_stats_kobj);
	kobject_put(pghot_stats_kobj);
	kobject_del(pghot_kobj);
	kobject_put(pghot_kobj);
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
		goto remove;
	pghot_stats_kobj = kobject_create_and_add("stats", pghot_kobj);
	if (!pghot_stats_kobj) {
		err = -ENOMEM;
		goto remove;
	}
	err = sysfs_create_group(pghot_stats_kobj, &pghot_stat_group);
	if (err)
		goto remove;
	return 0;

remove:
	/* As at exit: the directories go now, not at a delayed release. */
	pghot_sysfs_exit();
	return err;
}
