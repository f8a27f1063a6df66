// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu.c - the guests: their G-stage address spaces (Sv39x4: 2 MiB pages at guest-physical
 * GUEST_BASE, as many as its configuration gives it), the traps they take (SBI calls,
 * faults, wfi), the virtual SBI (base, timer, legacy console and DBCN, system reset), a
 * virtual UART, and round-robin on the timer, which also fires at the guests' deadlines.
 * A guest that leaves its memory or asks for a reset stops; the others go on; when none is
 * left the machine shuts down.
 */
#include "thinvisor.h"

#define SLICE 100000UL /* timer ticks per time slice: 10 ms at QEMU virt's 10 MHz */
#define MIN_RUN 5000UL /* 0.5 ms: what a guest runs before another's deadline preempts it */
#define DBCN_MAX \
	64 /* bytes a DBCN write prints per call: the hypervisor runs with
		     * interrupts off, so a long write returns early with the count written */

#define HSTATUS_SPV (1UL << 7)
#define HSTATUS_SPVP (1UL << 8)
#define HSTATUS_VTW (1UL << 21)
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
/* per guest: a 16 KiB Sv39x4 root (16 KiB-aligned by thinvisor.lds, which places it after
 * the level-1 tables with no gap) and one level-1 table */
u64 gstage_root[NR_GUESTS][2048] __attribute__((aligned(4096), section(".bss.gstage_root")));
static u64 gstage_l1[NR_GUESTS][512] __attribute__((aligned(4096), section(".bss.gstage_l1")));
/* traps run on the boot stack: once the guests run, the boot path never returns, and the
 * hypervisor takes one trap at a time (it runs with interrupts off) */
extern u8 boot_stack_top[];
static struct vcpu *current;
/* the running guest's slice: when it began, when it ends; when the host timer is set for */
static u64 run_start, slice_end, armed;
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
		const struct guest_config *c = &guest_config[i];
		u64 off;

		/* GPA GUEST_BASE: root entry 2 (1 GiB each, 2048 of them) -> level 1 -> 2 MiB
		 * leaves on the guest's slot; nothing else is mapped: not the hypervisor, not the
		 * other guest, no device */
		gstage_root[i][GUEST_BASE >> 30] = ((u64)gstage_l1[i] >> 12) << 10 | PTE_V;
		for (off = 0; off < c->size; off += 0x200000UL)
			gstage_l1[i][off >> 21] = ((c->host + off) >> 12) << 10 | PTE_RWXU |
						  PTE_AD | PTE_V;
		v->name = c->name;
		v->host = c->host;
		v->size = c->size;
		v->regs[11] = c->dtb; /* a1: its device tree */
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

/* A guest buffer [gpa, gpa+len) as a host address, or 0 if it leaves the guest's memory. */
static u8 *guest_mem(struct vcpu *v, u64 gpa, u64 len)
{
	if (gpa < GUEST_BASE || len > v->size || gpa - GUEST_BASE > v->size - len)
		return 0;
	return (u8 *)(v->host + (gpa - GUEST_BASE));
}

/*
 * The instruction at the guest's sepc, and its length in *len; 0 if it cannot be had. tinst:
 * what the hart gave (htinst, or stval for a virtual instruction), 0 if nothing. Else it is
 * read as the guest fetched it: sepc is a virtual address when the guest has paging on, so
 * the read goes through the guest's own translation (hlvx.hu), and a fault there is no
 * instruction. A compressed instruction comes as its 16 bits.
 */
static u32 guest_insn(struct vcpu *v, u64 tinst, u64 *len)
{
	long lo, hi;

	if (tinst & 1) { /* htinst's transformed form: bit 1 clear when compressed */
		*len = tinst & 2 ? 4 : 2;
		return (u32)tinst | 2;
	}
	if (tinst) { /* the faulting instruction's own bits */
		*len = (tinst & 3) == 3 ? 4 : 2;
		return (u32)tinst;
	}
	lo = guest_fetch16(v->sepc);
	*len = 2;
	if (lo < 0 || (lo & 3) != 3)
		return lo < 0 ? 0 : (u32)lo;
	hi = guest_fetch16(v->sepc + 2);
	*len = 4;
	return hi < 0 ? 0 : (u32)lo | (u32)hi << 16;
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
	u64 len;
	u32 insn, op, f3;

	if (gpa < UART_BASE || gpa >= UART_BASE + 8)
		return 0;
	insn = guest_insn(v, csr_read(htinst), &len);
	if (len != 4)
		return 0;
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
		v->delivered = 0;
		v->hvip &= ~HVIP_VSTIP;
		csr_clear(hvip, HVIP_VSTIP);
		break;
#if THINVISOR_FAULT
	case 0x46415554: /* "FAUT", the test's variant only: a bug, the hypervisor traps */
		__asm__ volatile("unimp");
		break;
	case 0x46544348: /* "FTCH", the test's variant only: the UART decoder's read, at a0 */
		val = guest_fetch16(a[0]);
		break;
#endif
	case 0x01: /* legacy console_putchar */
		guest_putc(v, (char)a[0]);
		break;
	case 0x02: /* legacy console_getchar: there is never input */
		err = -1;
		break;
	case SBI_EXT_DBCN:
		if (fid == 0) { /* write(len, base_lo, base_hi) */
			buf = a[2] ? 0 : guest_mem(v, a[1], a[0]);
			if (!buf) {
				say(v, "SBI DBCN write of a buffer outside its memory: refused\n");
				err = SBI_ERR_INVALID_PARAM;
				break;
			}
			for (i = 0; i < a[0] && i < DBCN_MAX; i++)
				guest_putc(v, (char)buf[i]);
			val = (long)i; /* SBI 2.0: it may write fewer; the guest calls again */
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
			      a[0] == 0x01 || a[0] == 0x02;
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

/* Whether w may run at t: it runs, and it is not waiting in wfi for a timer not yet due. */
static int ready(struct vcpu *w, u64 t)
{
	return w->state == VCPU_RUNNING && (!w->waiting || w->timer <= t);
}

/* The next guest after from (round-robin, from itself last) that may run at *t. When none
 * may, the hypervisor waits for the first deadline of those waiting (with its own timer
 * set for it: wfi wakes on a pending interrupt even with interrupts off). */
static struct vcpu *pick(struct vcpu *from, u64 *t)
{
	int i, k = (int)(from - vcpus), alive;
	u64 first;

	for (;;) {
		alive = 0;
		first = ~0UL;
		for (i = 1; i <= NR_GUESTS; i++) {
			struct vcpu *w = &vcpus[(k + i) % NR_GUESTS];

			if (ready(w, *t))
				return w;
			if (w->state == VCPU_RUNNING) {
				alive = 1;
				first = w->timer < first ? w->timer : first;
			}
		}
		if (!alive) {
			puts("thinvisor: every guest has stopped; shutting down\n");
			sbi_shutdown(0);
		}
		if (first == ~0UL) {
			puts("thinvisor: every guest waits, none with a timer set; shutting down\n");
			sbi_shutdown(1);
		}
		if (armed != first)
			sbi_call(SBI_EXT_TIME, 0, (long)first, 0, 0);
		armed = first;
		while (now() < first)
			__asm__ volatile("wfi");
		*t = now();
	}
}

/*
 * After a trap: who runs next, and the host timer. v goes on (go) until its slice ends; a
 * guest that stopped or waits in wfi gives the hart to the next one. Another guest whose
 * deadline has come, and has not had its interrupt, preempts v once v has run MIN_RUN, for
 * a short slice of MIN_RUN (so that deadlines cannot starve v). The host timer is set for
 * the first of: the slice's end, a guest's coming deadline, the end of v's MIN_RUN.
 */
static struct vcpu *run(struct vcpu *v, int go)
{
	u64 t = now(), ev;
	struct vcpu *next = v;
	int i, urgent = 0;

	for (i = 0; i < NR_GUESTS; i++) {
		struct vcpu *w = &vcpus[i];

		if (w != v && w->state == VCPU_RUNNING && w->timer <= t && !w->delivered) {
			urgent = 1;
			if (t - run_start >= MIN_RUN || !go)
				next = w;
		}
	}
	if (!go || (next == v && t >= slice_end)) {
		next = pick(v, &t);
		urgent = 0;
	}
	if (next != v || t >= slice_end) {
		run_start = t;
		slice_end = t + (next != v && urgent ? MIN_RUN : SLICE);
	}
	next->waiting = 0;
	if (next->timer <= t) {
		next->delivered = 1;
		next->hvip |= HVIP_VSTIP;
		if (next == v)
			csr_set(hvip, HVIP_VSTIP);
	}
	if (next != v) {
		save(v);
		load(v, next);
	}
	ev = slice_end;
	for (i = 0; i < NR_GUESTS; i++) {
		struct vcpu *w = &vcpus[i];

		if (w->state != VCPU_RUNNING)
			continue;
		if (w->timer > t && w->timer < ev)
			ev = w->timer;
		else if (w != next && w->timer <= t && !w->delivered && run_start + MIN_RUN < ev)
			ev = run_start + MIN_RUN;
	}
	if (ev != armed)
		sbi_call(SBI_EXT_TIME, 0, (long)ev, 0, 0);
	armed = ev;
	return next;
}

struct vcpu *hv_trap(struct vcpu *v)
{
	u64 cause = csr_read(scause), tval = csr_read(stval), htval = csr_read(htval), len;
	int go = 1;

	if (cause >> 63) /* the host timer: a slice's end or a deadline; run() decides */
		return run(v, 1);
	switch (cause) {
	case 10: /* ecall from VS-mode */
		go = sbi(v);
		break;
	case 21:
	case 23:
		if (uart_access(v, htval << 2 | (tval & 3), cause))
			break;
		/* fall through */
	case 20:
		stop(v,
		     cause == 23 ? "stored outside its memory" :
		     cause == 21 ? "loaded from outside its memory" :
				   "ran outside its memory",
		     cause, htval << 2 | (tval & 3));
		go = 0;
		break;
	case 22:
		/* a virtual instruction: wfi in VS-mode (hstatus.VTW) waits for the guest's timer
		 * while the others run; any other (one only the hypervisor may run, such as a
		 * hypervisor CSR or fence; wfi in VU-mode, as on hardware) is an illegal
		 * instruction to the guest */
		if ((csr_read(sstatus) & SSTATUS_SPP) && guest_insn(v, tval, &len) == 0x10500073) {
			v->sepc += 4;
			if (v->timer > now()) { /* else its interrupt is pending: wfi is done */
				v->waiting = 1;
				go = 0;
			}
			break;
		}
		cause = 2;
		/* fall through */
	case 2:
	case 4:
	case 6:
		/* its own kernel's to handle (hedeleg sends it the others directly) */
		inject(v, cause, tval);
		break;
	default:
		stop(v, "unexpected trap", cause, tval);
		go = 0;
	}
	return run(v, go);
}

struct vcpu *vcpu_first(void)
{
	/* every guest starts in VS-mode, supervisor privilege, at its entry */
	csr_write(hstatus, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VTW);
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
	run_start = now();
	slice_end = armed = run_start + SLICE;
	sbi_call(SBI_EXT_TIME, 0, (long)slice_end, 0, 0);
	load(0, &vcpus[0]);
	return &vcpus[0];
}
