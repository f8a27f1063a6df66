// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu.c - the guests: their G-stage address spaces (Sv39x4: one 2 MiB page each, at
 * guest-physical GUEST_BASE), the traps they take (SBI calls, faults), the virtual SBI
 * (base, timer, legacy console and DBCN, system reset), a virtual UART, and round-robin on
 * the timer.
 * A guest that leaves its memory, runs an illegal instruction or asks for a reset stops;
 * the others go on; when none is left the machine shuts down.
 */
#include "thinvisor.h"

#define SLICE 100000UL /* timer ticks per time slice: 10 ms at QEMU virt's 10 MHz */

#define HSTATUS_SPV (1UL << 7)
#define HSTATUS_SPVP (1UL << 8)
#define SSTATUS_SIE (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)
#define SSTATUS_FS (3UL << 13)
#define SIE_STIE (1UL << 5)
#define HVIP_VSTIP (1UL << 6)
#define HGATP_SV39X4 (8UL << 60)
#define PTE_V 1UL
#define PTE_RWXU (0xfUL << 1) /* R W X U: a G-stage leaf must be U */
#define PTE_AD (3UL << 6)

#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_ERR_INVALID_ADDRESS (-5)

static struct vcpu vcpus[NR_GUESTS];
static const char *const names[NR_GUESTS] = { "alpha", "beta" };
/* per guest: a 16 KiB Sv39x4 root and one level-1 table */
static u64 gstage_root[NR_GUESTS][2048]
	__attribute__((aligned(16384), section(".bss.gstage_root")));
static u64 gstage_l1[NR_GUESTS][512] __attribute__((aligned(4096), section(".bss.gstage_l1")));
/* traps run on the boot stack: once the guests run, the boot path never returns, and the
 * hypervisor takes one trap at a time (it runs with interrupts off) */
extern u8 boot_stack_top[];
static struct vcpu *current;
/* 1 when the VMIDs are too few to tell the guests apart: flush the G-stage TLB on a switch */
static int fence_on_switch;

static void hfence_gvma(void)
{
	__asm__ volatile(".4byte 0x62000073" ::: "memory"); /* hfence.gvma zero, zero */
}

static u64 now(void)
{
	return csr_read(time);
}

void vcpus_init(void)
{
	u64 vmids;
	int i;

	/* VMIDLEN: write ones to every VMID bit of hgatp and see which stay (with V=0 nothing is
	 * translated through it) */
	csr_write(hgatp, HGATP_SV39X4 | 0x3fffUL << 44 | (u64)gstage_root >> 12);
	vmids = csr_read(hgatp) >> 44 & 0x3fff;
	csr_write(hgatp, 0);
	fence_on_switch = vmids < NR_GUESTS;
	puts("thinvisor: VMIDs up to ");
	putd(vmids);
	puts(fence_on_switch ? ": one shared, G-stage TLB flushed on every switch\n" :
			       ": one a guest, no flush on a switch\n");

	for (i = 0; i < NR_GUESTS; i++) {
		struct vcpu *v = &vcpus[i];
		u64 host = GUEST_HOST_BASE + (u64)i * GUEST_SIZE;

		/* GPA GUEST_BASE: root entry 2 (1 GiB each, 2048 of them) -> level 1 -> a 2 MiB
		 * leaf on the guest's slot; nothing else is mapped: not the hypervisor, not the
		 * other guest, no device */
		gstage_root[i][GUEST_BASE >> 30] = ((u64)gstage_l1[i] >> 12) << 10 | PTE_V;
		gstage_l1[i][(GUEST_BASE >> 21) & 511] = (host >> 12) << 10 | PTE_RWXU | PTE_AD |
							 PTE_V;
		v->name = names[i];
		v->hgatp = HGATP_SV39X4 | ((u64)(fence_on_switch ? 0 : i + 1) << 44) |
			   ((u64)gstage_root[i] >> 12);
		v->sepc = GUEST_BASE;
		v->spp = SSTATUS_SPP; /* it starts in VS-mode; all else (FP, CSRs) starts at 0 */
		v->regs[10] = (u64)i; /* a0: the hart id the guest sees */
		v->hstack = (u64)boot_stack_top;
		v->timer = ~0UL;
		v->state = VCPU_RUNNING;
	}
}

static void save(struct vcpu *v)
{
	v->vsstatus = csr_read(vsstatus);
	v->vsie = csr_read(vsie);
	v->vstvec = csr_read(vstvec);
	v->vsscratch = csr_read(vsscratch);
	v->vsepc = csr_read(vsepc);
	v->vscause = csr_read(vscause);
	v->vstval = csr_read(vstval);
	v->vsatp = csr_read(vsatp);
	v->hvip = csr_read(hvip);
	v->spp = csr_read(sstatus) & SSTATUS_SPP;
	v->scounteren = csr_read(scounteren);
	v->senvcfg = csr_read(senvcfg);
}

/* Makes v the running guest (after from, 0 at the start): its FP registers, its CSRs, the
 * privilege it resumes in, its address space, its pending timer. */
static void load(struct vcpu *from, struct vcpu *v)
{
	fp_switch(from ? from->fp : 0, v->fp);
	csr_write(vsstatus, v->vsstatus);
	csr_write(vsie, v->vsie);
	csr_write(vstvec, v->vstvec);
	csr_write(vsscratch, v->vsscratch);
	csr_write(vsepc, v->vsepc);
	csr_write(vscause, v->vscause);
	csr_write(vstval, v->vstval);
	csr_write(vsatp, v->vsatp);
	csr_write(scounteren, v->scounteren);
	csr_write(senvcfg, v->senvcfg);
	csr_clear(sstatus, SSTATUS_SPP);
	csr_set(sstatus, v->spp);
	csr_clear(hstatus, HSTATUS_SPVP);
	csr_set(hstatus, v->spp ? HSTATUS_SPVP : 0);
	if (v->timer <= now())
		v->hvip |= HVIP_VSTIP;
	csr_write(hvip, v->hvip);
	csr_write(hgatp, v->hgatp);
	if (fence_on_switch || !from)
		hfence_gvma();
	current = v;
}

static void say(struct vcpu *v, const char *what)
{
	puts("thinvisor: ");
	puts(v->name);
	puts(": ");
	puts(what);
}

/* The guest's console: its bytes, a line at a time, prefixed by its name. A carriage return
 * is dropped and any other control byte, DEL or byte above it printed as '?': a guest can
 * neither overwrite a line on the terminal nor send it escape sequences. */
static void guest_putc(struct vcpu *v, char c)
{
	if (c == '\r')
		return;
	if (((u8)c < ' ' && c != '\n' && c != '\t') || (u8)c >= 0x7f)
		c = '?';
	if (c != '\n' && v->len < sizeof(v->line) - 1) {
		v->line[v->len++] = c;
		return;
	}
	v->line[v->len] = 0;
	puts("[");
	puts(v->name);
	puts("] ");
	puts(v->line);
	puts("\n");
	v->len = 0;
	if (c != '\n')
		v->line[v->len++] = c;
}

static void stop(struct vcpu *v, const char *why, u64 cause, u64 where)
{
	if (v->len)
		guest_putc(v, '\n');
	say(v, "stopped: ");
	puts(why);
	puts(" (scause ");
	putd(cause);
	puts(", sepc ");
	putx(v->sepc);
	puts(", address ");
	putx(where);
	puts(")\n");
	v->state = VCPU_STOPPED;
}

static struct vcpu *schedule(struct vcpu *from)
{
	int i, k = (int)(from - vcpus);

	for (i = 1; i <= NR_GUESTS; i++) {
		struct vcpu *v = &vcpus[(k + i) % NR_GUESTS];

		if (v->state == VCPU_RUNNING)
			return v;
	}
	puts("thinvisor: every guest has stopped; shutting down\n");
	sbi_shutdown(0);
}

/* A guest buffer [gpa, gpa+len) as a host address, or 0 if it leaves the guest's memory. */
static u8 *guest_mem(struct vcpu *v, u64 gpa, u64 len)
{
	if (gpa < GUEST_BASE || len > GUEST_SIZE || gpa - GUEST_BASE > GUEST_SIZE - len)
		return 0;
	return (u8 *)(GUEST_HOST_BASE + (u64)(v - vcpus) * GUEST_SIZE + (gpa - GUEST_BASE));
}

/*
 * The guest's virtual UART: a 16550's transmit register at guest-physical UART_BASE (the
 * address of QEMU virt's own) and its line status (always ready). Nothing is mapped there:
 * an access faults into the hypervisor, which decodes the guest's load or store (a plain
 * lb/lbu/sb: how a 16550 driver touches its registers) and does it. Returns 1 when it was
 * such an access, 0 when the fault stands.
 */
#define UART_BASE 0x10000000UL
#define UART_THR 0
#define UART_LSR 5

static int uart_access(struct vcpu *v, u64 gpa, u64 cause)
{
	u8 *pc = guest_mem(v, v->sepc, 4);
	u32 insn, op, f3;

	if (gpa < UART_BASE || gpa >= UART_BASE + 8 || !pc || (v->sepc & 1))
		return 0;
	insn = (u32)pc[0] | (u32)pc[1] << 8 | (u32)pc[2] << 16 | (u32)pc[3] << 24;
	op = insn & 0x7f;
	f3 = (insn >> 12) & 7;
	if (cause == 23 && op == 0x23 && f3 == 0) { /* sb rs2 */
		if (gpa - UART_BASE == UART_THR)
			guest_putc(v, (char)v->regs[(insn >> 20) & 31]);
	} else if (cause == 21 && op == 0x03 && (f3 == 0 || f3 == 4)) { /* lb/lbu rd */
		u32 rd = (insn >> 7) & 31;

		if (rd)
			v->regs[rd] = gpa - UART_BASE == UART_LSR ? 0x60 : 0; /* THRE | TEMT */
	} else {
		return 0;
	}
	v->sepc += 4;
	return 1;
}

/* The SBI a guest sees: returns 1 when the guest goes on, 0 when it has stopped. */
static int sbi(struct vcpu *v)
{
	long eid = (long)v->regs[17], fid = (long)v->regs[16], err = 0, val = 0;
	u64 *a = v->regs + 10, i;
	u8 *buf;

	switch (eid) {
	case 0x00: /* legacy set_timer */
	case SBI_EXT_TIME:
		v->timer = a[0];
		v->hvip &= ~HVIP_VSTIP;
		csr_clear(hvip, HVIP_VSTIP);
		break;
#if THINVISOR_FAULT
	case 0x46415554: /* "FAUT", the test's variant only: a bug, the hypervisor traps */
		__asm__ volatile("unimp");
		break;
#endif
	case 0x01: /* legacy console_putchar */
		guest_putc(v, (char)a[0]);
		break;
	case SBI_EXT_DBCN:
		if (fid == 0) { /* write(len, base_lo, base_hi) */
			buf = a[2] ? 0 : guest_mem(v, a[1], a[0]);
			if (!buf) {
				say(v, "SBI DBCN write of a buffer outside its memory: refused\n");
				err = SBI_ERR_INVALID_PARAM;
				break;
			}
			for (i = 0; i < a[0]; i++)
				guest_putc(v, (char)buf[i]);
			val = (long)a[0];
		} else if (fid == 2) { /* write_byte */
			guest_putc(v, (char)a[0]);
		} else {
			err = SBI_ERR_NOT_SUPPORTED;
		}
		break;
	case SBI_EXT_BASE:
		if (fid == 0)
			val = 0x02000000; /* SBI v2.0: the first with DBCN */
		else if (fid == 3)
			val = a[0] == SBI_EXT_BASE || a[0] == SBI_EXT_TIME ||
			      a[0] == SBI_EXT_DBCN || a[0] == SBI_EXT_SRST || a[0] == 0x00 ||
			      a[0] == 0x01;
		else if ((u64)fid > 6) /* 1, 2, 4-6: implementation and machine ids, all 0 */
			err = SBI_ERR_NOT_SUPPORTED;
		break;
	case SBI_EXT_SRST:
		/* type: shutdown, cold or warm reboot; reason: none, system failure or (from
		 * 0xf0000000) the SBI implementation's or a vendor's */
		if (fid != 0 || a[0] > 2 || ((u32)a[1] > 1 && (u32)a[1] < 0xf0000000u) ||
		    a[1] >> 32) {
			say(v, "malformed SBI system reset: refused\n");
			err = SBI_ERR_INVALID_PARAM;
			break;
		}
		if (v->len)
			guest_putc(v, '\n');
		say(v, a[0] == 0 ? "shut down" : "reset: stopped, not restarted");
		puts(a[1] ? " (SBI system reset, reason: failure)\n" : " (SBI system reset)\n");
		v->state = VCPU_STOPPED;
		return 0;
	default:
		say(v, "unknown SBI extension ");
		putx((u64)eid);
		puts(": refused\n");
		err = SBI_ERR_NOT_SUPPORTED;
	}
	a[0] = (u64)err;
	a[1] = (u64)val;
	v->sepc += 4;
	return 1;
}

/*
 * Hands a trap to the guest's own kernel, as the hardware would have: vscause, vsepc, vstval
 * and vsstatus (SPP: the privilege it came from; SIE saved to SPIE and cleared), then on at
 * its vstvec in VS-mode.
 */
static void inject(struct vcpu *v, u64 cause, u64 tval)
{
	u64 s = csr_read(vsstatus) & ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE);

	if (csr_read(vsstatus) & SSTATUS_SIE)
		s |= SSTATUS_SPIE;
	csr_write(vsstatus, s | (csr_read(sstatus) & SSTATUS_SPP));
	csr_write(vscause, cause);
	csr_write(vsepc, v->sepc);
	csr_write(vstval, tval);
	v->sepc = csr_read(vstvec) & ~3UL;
	csr_set(sstatus, SSTATUS_SPP);
	csr_set(hstatus, HSTATUS_SPVP);
}

/* trap.S: a trap taken in the hypervisor itself (a bug): say where, and halt */
void hv_fatal(void)
{
	puts("thinvisor: a trap from the hypervisor itself, scause ");
	putd(csr_read(scause));
	puts(", sepc ");
	putx(csr_read(sepc));
	puts(": halting\n");
	sbi_shutdown(1);
}

struct vcpu *hv_trap(struct vcpu *v)
{
	u64 cause = csr_read(scause), tval = csr_read(stval), htval = csr_read(htval);
	struct vcpu *next = v;

	if (cause >> 63) {
		/* the hypervisor's timer: the slice is over; wake guests whose timer is due */
		save(v);
		next = schedule(v);
		sbi_call(SBI_EXT_TIME, 0, (long)(now() + SLICE), 0, 0);
	} else {
		switch (cause) {
		case 10: /* ecall from VS-mode */
			if (sbi(v))
				return v;
			break;
		case 21:
		case 23:
			if (uart_access(v, htval << 2 | (tval & 3), cause))
				return v;
			/* fall through */
		case 20:
			stop(v,
			     cause == 23 ? "stored outside its memory" :
			     cause == 21 ? "loaded from outside its memory" :
					   "ran outside its memory",
			     cause, htval << 2 | (tval & 3));
			break;
		case 2:
		case 4:
		case 6:
		case 22:
			/* its own kernel's to handle (hedeleg sends it the others directly); a
			 * virtual instruction (one only the hypervisor may run) is an illegal one
			 * to the guest */
			inject(v, cause == 22 ? 2 : cause, tval);
			return v;
		default:
			stop(v, "unexpected trap", cause, tval);
		}
		save(v);
		next = schedule(v);
	}
	if (next != v)
		load(v, next);
	else if (v->timer <= now())
		csr_set(hvip, HVIP_VSTIP);
	return next;
}

struct vcpu *vcpu_first(void)
{
	/* every guest starts in VS-mode, supervisor privilege, at its entry */
	csr_write(hstatus, HSTATUS_SPV | HSTATUS_SPVP);
	csr_set(sstatus, SSTATUS_SPP);
	csr_write(hedeleg, (1UL << 0) | (1UL << 2) | (1UL << 3) | (1UL << 4) | (1UL << 6) |
				   (1UL << 8) | (1UL << 12) | (1UL << 13) | (1UL << 15));
	/* the guest's own: misaligned fetch, load and store, illegal instruction, breakpoint,
	 * ecall from VU, its page faults */
	csr_write(hideleg, (1UL << 2) | (1UL << 6) | (1UL << 10)); /* VS interrupts */
	csr_write(hcounteren, 2UL); /* the time CSR */
	csr_write(htimedelta, 0);
	csr_write(sscratch, 0); /* the hypervisor runs (trap.S) */
	csr_write(stvec, (u64)hv_trap_entry);
	csr_set(sstatus, SSTATUS_FS); /* the guests' FP registers: theirs to use, ours to switch */
	csr_set(sie, SIE_STIE);
	sbi_call(SBI_EXT_TIME, 0, (long)(now() + SLICE), 0, 0);
	load(0, &vcpus[0]);
	return &vcpus[0];
}
