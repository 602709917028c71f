/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pghot agent device, /dev/pghot: the binary interface for a root
 * user-space tiering agent. Off until /sys/kernel/mm/pghot/agent_device is
 * 1; open needs CAP_SYS_ADMIN. Three ioctls, each taking one header that
 * points at an array in the caller's memory:
 *
 *  PGHOT_IOC_REPORT   accesses the agent saw, recorded as source "user"
 *  PGHOT_IOC_HOTTEST  the hottest records pghot holds for one target node
 *  PGHOT_IOC_MOVE     move the folios holding some PFNs to a target node,
 *                     carried out by that node's kpromoted, with a status
 *                     per PFN
 *
 * A request that is malformed in any part (version, count, flags, reserved
 * fields, an entry's node) fails as a whole with its errno and changes
 * nothing. Documentation/admin-guide.md lists the errnos.
 */
#ifndef _UAPI_PGHOT_H
#define _UAPI_PGHOT_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Every header starts with the version it was written for. */
#define PGHOT_AGENT_VERSION	1

/* Most entries in one request, of any kind. */
#define PGHOT_AGENT_MAX_NR	4096

/* One access seen by the agent. */
struct pghot_agent_access {
	__u64 pfn;	/* physical page that was accessed */
	__s32 nid;	/* accessing node, or -1 when unknown */
	__u32 flags;	/* must be 0 */
};

struct pghot_agent_report {
	__u32 version;		/* PGHOT_AGENT_VERSION */
	__u32 nr;		/* entries at @accesses, 1..PGHOT_AGENT_MAX_NR */
	__u64 accesses;		/* struct pghot_agent_access[nr] */
	__u32 nr_taken;		/* out: recorded for promotion */
	__u32 nr_ignored;	/* out: top tier, not on the LRU, no page... */
};

/* One record as pghot holds it. */
struct pghot_agent_hot {
	__u64 pfn;	/* head PFN of the folio */
	__s32 nid;	/* the promotion target node */
	__u32 freq;	/* accesses counted in the current window */
	__u64 age_ms;	/* time since the last access */
};

struct pghot_agent_query {
	__u32 version;		/* PGHOT_AGENT_VERSION */
	__s32 nid;		/* a promotion target node */
	__u32 nr;		/* room at @records, 1..PGHOT_AGENT_MAX_NR */
	__u32 nr_out;		/* out: records written, hottest first */
	__u64 records;		/* struct pghot_agent_hot[nr] */
};

struct pghot_agent_move {
	__u32 version;		/* PGHOT_AGENT_VERSION */
	__s32 nid;		/* the target: a node kpromoted serves */
	__u32 nr;		/* entries at @pfns and @status */
	__u32 nr_moved;		/* out: PFNs whose folio moved */
	__u64 pfns;		/* __u64[nr] */
	__u64 status;		/* out: __s32[nr], 0 or a negative errno */
	__u32 flags;		/* must be 0 */
	__u32 reserved;		/* must be 0 */
};

#define PGHOT_IOC_MAGIC		0xB9
#define PGHOT_IOC_REPORT	_IOWR(PGHOT_IOC_MAGIC, 1, struct pghot_agent_report)
#define PGHOT_IOC_HOTTEST	_IOWR(PGHOT_IOC_MAGIC, 2, struct pghot_agent_query)
#define PGHOT_IOC_MOVE		_IOWR(PGHOT_IOC_MAGIC, 3, struct pghot_agent_move)

#endif /* _UAPI_PGHOT_H */
