// SPDX-License-Identifier: GPL-2.0
/*
 * C side of the CHMU source (rust/chmu.rs): finding CXL memory devices and
 * the register blocks their Register Locator DVSEC points to, mapping
 * them, MMIO accessors (readq() and friends are macros), and the delayed
 * work that drains the hot lists. What the registers mean is decided in
 * Rust (rust/chmu_regs.rs, rust/hdm.rs).
 */

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>

#include "pghot_exports.h"
#include "pghot_shim.h"

/* PCI class code of a CXL memory device: 05h memory, 02h CXL, 10h. */
#define PGHOT_CXL_CLASS_MEMDEV	0x050210
/*
 * Register Block Identifiers of the Register Locator DVSEC (CXL r3.2
 * 8.1.9): 01h component registers; 05h CHMU registers, the identifier the
 * Linux CHMU RFC (CXL_REGLOC_RBI_HMU) and QEMU's emulation
 * (RBI_CXL_CHMU_REG) use.
 */
#define PGHOT_CXL_RBI_COMPONENT	1
#define PGHOT_CXL_RBI_CHMU	5
/* The component register block is 64 KiB (CXL_COMPONENT_REG_BLOCK_SIZE). */
#define PGHOT_CXL_COMPONENT_LEN	SZ_64K
/* A CHMU block holds at most 256 instances of 64 KiB each (16-bit length). */
#define PGHOT_CXL_CHMU_MAX_LEN	(SZ_64K * 256 + 16)

static void __iomem *pghot_cxl_map_block(struct pci_dev *pdev, u32 lo, u32 hi,
					 u64 limit, u64 *len)
{
	int bar = FIELD_GET(PCI_DVSEC_CXL_REG_LOCATOR_BIR, lo);
	u64 off = ((u64)hi << 32) | (lo & PCI_DVSEC_CXL_REG_LOCATOR_BLOCK_OFF_LOW);
	u64 bar_len;

	if (bar >= PCI_STD_NUM_BARS ||
	    !(pci_resource_flags(pdev, bar) & IORESOURCE_MEM))
		return NULL;
	bar_len = pci_resource_len(pdev, bar);
	if (off >= bar_len)
		return NULL;
	*len = min(bar_len - off, limit);
	return ioremap(pci_resource_start(pdev, bar) + off, *len);
}

/* Maps the first CHMU and the component block of @pdev into @dev. */
static int pghot_cxl_map_dev(struct pci_dev *pdev, struct pghot_cxl_dev *dev)
{
	u32 hdr, len, lo, hi, chmu_lo = 0, chmu_hi = 0, comp_lo = 0, comp_hi = 0;
	bool chmu = false, comp = false;
	int regloc, nr, i;

	regloc = pci_find_dvsec_capability(pdev, PCI_VENDOR_ID_CXL,
					   PCI_DVSEC_CXL_REG_LOCATOR);
	if (!regloc)
		return -ENODEV;
	pci_read_config_dword(pdev, regloc + PCI_DVSEC_HEADER1, &hdr);
	len = PCI_DVSEC_HEADER1_LEN(hdr);
	/* A DVSEC cannot reach past the 4 KiB of extended config space. */
	if (len < PCI_DVSEC_CXL_REG_LOCATOR_BLOCK1 ||
	    regloc + len > PCI_CFG_SPACE_EXP_SIZE) {
		pci_warn(pdev, "pghot: malformed register locator (length %u)\n",
			 len);
		return -EIO;
	}
	nr = (len - PCI_DVSEC_CXL_REG_LOCATOR_BLOCK1) / 8;
	for (i = 0; i < nr; i++) {
		int at = regloc + PCI_DVSEC_CXL_REG_LOCATOR_BLOCK1 + i * 8;

		pci_read_config_dword(pdev, at, &lo);
		pci_read_config_dword(pdev, at + 4, &hi);
		switch (FIELD_GET(PCI_DVSEC_CXL_REG_LOCATOR_BLOCK_ID, lo)) {
		case PGHOT_CXL_RBI_CHMU:
			if (!chmu) {
				chmu_lo = lo;
				chmu_hi = hi;
				chmu = true;
			}
			break;
		case PGHOT_CXL_RBI_COMPONENT:
			if (!comp) {
				comp_lo = lo;
				comp_hi = hi;
				comp = true;
			}
			break;
		}
	}
	if (!chmu)
		return -ENODEV;
	if (!comp) {
		pci_warn(pdev, "pghot: CHMU without component registers, ignored\n");
		return -ENODEV;
	}
	dev->chmu = pghot_cxl_map_block(pdev, chmu_lo, chmu_hi,
					PGHOT_CXL_CHMU_MAX_LEN, &dev->chmu_len);
	dev->component = pghot_cxl_map_block(pdev, comp_lo, comp_hi,
					     PGHOT_CXL_COMPONENT_LEN,
					     &dev->component_len);
	if (!dev->chmu || !dev->component) {
		if (dev->chmu)
			iounmap(dev->chmu);
		if (dev->component)
			iounmap(dev->component);
		dev->chmu = dev->component = NULL;
		pci_warn(pdev, "pghot: cannot map CHMU or component registers\n");
		return -ENOMEM;
	}
	dev->pdev = pci_dev_get(pdev);
	return 0;
}

int pghot_cxl_map(struct pghot_cxl_dev *devs, unsigned int max,
		  unsigned int *nr_memdevs)
{
	struct pci_dev *pdev = NULL;
	unsigned int nr = 0;

	*nr_memdevs = 0;
	for_each_pci_dev(pdev) {
		if (pdev->class != PGHOT_CXL_CLASS_MEMDEV)
			continue;
		(*nr_memdevs)++;
		if (nr < max && !pghot_cxl_map_dev(pdev, &devs[nr]))
			nr++;
	}
	return nr;
}

void pghot_cxl_unmap(struct pghot_cxl_dev *devs, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		iounmap(devs[i].chmu);
		iounmap(devs[i].component);
		pci_dev_put(devs[i].pdev);
		devs[i] = (struct pghot_cxl_dev){};
	}
}

const char *pghot_cxl_name(const struct pghot_cxl_dev *dev)
{
	return pci_name(dev->pdev);
}

/* --- MMIO ----------------------------------------------------------------- */

u64 pghot_mmio_read64(const void __iomem *base, unsigned long off)
{
	return readq(base + off);
}

u32 pghot_mmio_read32(const void __iomem *base, unsigned long off)
{
	return readl(base + off);
}

u16 pghot_mmio_read16(const void __iomem *base, unsigned long off)
{
	return readw(base + off);
}

void pghot_mmio_write64(void __iomem *base, unsigned long off, u64 val)
{
	writeq(val, base + off);
}

void pghot_mmio_write16(void __iomem *base, unsigned long off, u16 val)
{
	writew(val, base + off);
}

void pghot_mmio_relax(void)
{
	udelay(10);
}

/* --- the drain work -------------------------------------------------------- */

/*
 * pghot_chmu_ctx is set while the work may run; start, stop and kick
 * serialise on the mutex, so a kick from a knob write never re-arms the
 * work after stop cancelled it.
 */
static void *pghot_chmu_ctx;
static DEFINE_MUTEX(pghot_chmu_mutex);

static void pghot_chmu_workfn(struct work_struct *work);
static DECLARE_DELAYED_WORK(pghot_chmu_work, pghot_chmu_workfn);

static void pghot_chmu_workfn(struct work_struct *work)
{
	void *ctx = READ_ONCE(pghot_chmu_ctx);
	unsigned int ms;

	if (!ctx)
		return;
	ms = pghot_chmu_poll(ctx);
	/* Re-arming a work that stop is cancelling is fine: cancel waits. */
	if (READ_ONCE(pghot_chmu_ctx))
		schedule_delayed_work(&pghot_chmu_work, msecs_to_jiffies(ms));
}

void pghot_chmu_start(void *ctx, unsigned int ms)
{
	guard(mutex)(&pghot_chmu_mutex);
	WRITE_ONCE(pghot_chmu_ctx, ctx);
	schedule_delayed_work(&pghot_chmu_work, msecs_to_jiffies(ms));
}

/* Returns once the work is not running and will not run again. */
void pghot_chmu_stop(void)
{
	guard(mutex)(&pghot_chmu_mutex);
	WRITE_ONCE(pghot_chmu_ctx, NULL);
	cancel_delayed_work_sync(&pghot_chmu_work);
}

/* Runs the work now (a new period takes effect at once). */
void pghot_chmu_kick(void)
{
	guard(mutex)(&pghot_chmu_mutex);
	if (pghot_chmu_ctx)
		mod_delayed_work(system_wq, &pghot_chmu_work, 0);
}
