/* SPDX-License-Identifier: GPL-2.0 */
/* thinvisor.h - what the hypervisor's files share. */
#ifndef THINVISOR_H
#define THINVISOR_H

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned char u8;

struct sbiret {
	long error;
	long value;
};

/* sbi.c: calls into OpenSBI, the machine-mode firmware below us */
struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2);
void sbi_putchar(int c);
long sbi_probe(long eid);
void __attribute__((noreturn)) sbi_shutdown(int failure);

#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434E

/* console.c: the hypervisor's own output, through SBI */
void puts(const char *s);
void putx(u64 v);
void putd(u64 v);

#define csr_read(csr)                                           \
	({                                                      \
		u64 __v;                                        \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v)); \
		__v;                                            \
	})

#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"r"((u64)(v)))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" ::"r"((u64)(v)))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"r"((u64)(v)))

/* The guests: each a slot of host memory (2 MiB-aligned, a multiple of 2 MiB, at most
 * 1 GiB), seen by its guest at guest-physical GUEST_BASE through its own G-stage table, and
 * the guest-physical address of its device tree (0: none), handed to it in a1. The
 * configuration (configs/NAME.c) says where and how large; QEMU's loader puts the images. */
#define NR_GUESTS 2
#define GUEST_BASE 0x80000000UL

struct guest_config {
	const char *name;
	u64 host, size, dtb;
};
extern const struct guest_config guest_config[NR_GUESTS];

struct vcpu {
	u64 regs[32]; /* x0..x31 as the guest left them; regs[0] unused */
	u64 sepc;
	u64 hstack; /* the hypervisor's stack top while this guest traps (trap.S) */
	u64 vsstatus, vsie, vstvec, vsscratch, vsepc, vscause, vstval, vsatp, hvip;
	u64 hgatp, timer; /* the guest's timer deadline; ~0: none */
	u64 host, size; /* its memory, from its configuration */
	/* what the H extension does not bank for a guest, so the hypervisor switches it: the
	 * privilege it trapped from (sstatus.SPP, hstatus.SPVP), the S-level CSRs VS-mode
	 * reaches directly, and f0..f31 with fcsr (fp[32]) */
	u64 spp, scounteren, senvcfg, fp[33];
	const char *name;
	int state; /* RUNNING, STOPPED */
	int waiting; /* in wfi: runs again when its timer is due */
	int delivered; /* its due timer has been delivered (VSTIP) since it last set one */
	char line[120];
	u32 len;
};

enum { VCPU_RUNNING, VCPU_STOPPED };

/* vcpu.c */
void vcpus_init(void);
struct vcpu *vcpu_first(void);
struct vcpu *hv_trap(struct vcpu *v);
void __attribute__((noreturn)) hv_fatal(void);
/* trap.S */
void hv_trap_entry(void);
void __attribute__((noreturn)) hv_enter(struct vcpu *v);
void fp_switch(u64 *save, const u64 *load); /* save may be 0: nothing to keep */
long guest_fetch16(u64 va); /* a halfword as the guest fetches it; -1: that faults */

#endif
