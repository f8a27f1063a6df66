// SPDX-License-Identifier: GPL-2.0
/*
 * guest.c - the guests the tests run. Each judges what it sees and says so: a line "ok: ..."
 * for a check that held, "FAIL: ..." for one that did not (the test looks for both).
 *
 * Every guest first checks that it starts with clear FP registers, fcsr, scounteren and
 * senvcfg (not another guest's), then sets its own (they differ by hart).
 * GUEST_GOOD checks the virtual SBI's base extension, prints through its UART, waits on its
 * timer five times (twice through the legacy set_timer; in wfi) and checks it came on time,
 * checks its FP registers and CSRs are still its own, says bye through the legacy putchar,
 * and shuts down (hart 0) or asks for a warm reboot (hart 1).
 * The hostile ones make an unknown and a malformed SBI call, ask DBCN to print memory that
 * is not theirs, try to forge the hypervisor's console lines, spin without yielding, then:
 * GUEST_HOSTILE_WRITE stores at guest-physical 0x80200000 (where the hypervisor is in host
 * memory), GUEST_HOSTILE_READ loads from 0x82000000 (where the other guest is),
 * GUEST_HOSTILE_ILLEGAL runs instructions it may not (a machine CSR, a hypervisor CSR and
 * fence, misaligned atomics) which its own kernel must get, GUEST_HOSTILE_STATE spins in its
 * own user mode across time slices and checks it stayed there. Instead of spinning,
 * GUEST_HOSTILE_DBCN asks DBCN to print 2 MiB at a time for 200 ms (the good guest's timers
 * must still come on time), GUEST_HOSTILE_PAGING turns Sv39 paging on and touches its UART
 * from code at a virtual address that is not where it is in guest-physical memory, and
 * GUEST_HOSTILE_FAULT has the hypervisor's test variant (make FAULT=1) read a halfword in its
 * memory and one outside it as the UART decoder would (the second faults in the
 * hypervisor, which must go on), then makes it trap on itself with a0 pointing 8 bytes before the host address the test left at 0x801ff000 (where its halting
 * message is): a trap entry that stores before it checks where the trap came from garbles
 * that message.
 */
typedef unsigned long u64;

struct sbiret {
	long error, value;
};

static struct sbiret sbi(long eid, long fid, long a0, long a1, long a2)
{
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r6 __asm__("a6") = fid;
	register long r7 __asm__("a7") = eid;

	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){ r0, r1 };
}

#define SBI_BASE 0x10
#define SBI_TIME 0x54494D45
#define SBI_SRST 0x53525354
#define SBI_DBCN 0x4442434E

static u64 len(const char *s)
{
	u64 n = 0;

	while (s[n])
		n++;
	return n;
}

/* the debug console extension: as many calls as it takes (a write may print fewer bytes
 * than asked, and says how many) */
static void print(const char *s)
{
	u64 n = len(s);

	while (n) {
		struct sbiret r = sbi(SBI_DBCN, 0, (long)n, (long)s, 0);

		if (r.error || !r.value || (u64)r.value > n)
			return;
		s += r.value;
		n -= (u64)r.value;
	}
}

static void print_num(long v)
{
	char buf[24];
	int i = sizeof(buf) - 1;
	int neg = v < 0;
	unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;

	buf[i] = 0;
	do
		buf[--i] = (char)('0' + u % 10);
	while (u /= 10);
	if (neg)
		buf[--i] = '-';
	print(buf + i);
}

static void print_hex(u64 v)
{
	char buf[19];
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	buf[18] = 0;
	print(buf);
}

/* "ok: what" or "FAIL: what", and a newline */
static int verdict2(int good, const char *what, const char *more)
{
	print(good ? "ok: " : "FAIL: ");
	print(what);
	print(more);
	print("\n");
	return good;
}

static int verdict(int good, const char *what)
{
	return verdict2(good, what, "");
}

static u64 now(void)
{
	u64 t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static void __attribute__((noreturn)) shutdown(long type, long reason)
{
	sbi(SBI_SRST, 0, type, reason, 0);
	for (;;)
		;
}

/* the guest's kernel: its traps */
#define SSTATUS_SPP (1UL << 8)
#define SSTATUS_SPIE (1UL << 5)
static volatile long ticks;
static volatile u64 tick_at; /* when the last timer interrupt came */
static volatile long expect_trap, in_user, trap_cause, trap_spp;
void user_exit(void);
void enter_user(void (*fn)(u64), u64 sp, u64 arg);
void user_spin(u64 deadline);

void guest_trap(void)
{
	u64 cause, epc, st;

	__asm__ volatile("csrr %0, scause" : "=r"(cause));
	__asm__ volatile("csrr %0, sepc" : "=r"(epc));
	__asm__ volatile("csrr %0, sstatus" : "=r"(st));
	if ((long)cause < 0) { /* the timer: count it, ask for no more */
		tick_at = now();
		ticks++;
		sbi(SBI_TIME, 0, -1, 0, 0);
		return;
	}
	trap_cause = (long)cause;
	trap_spp = (st & SSTATUS_SPP) != 0;
	if (in_user) { /* the user code's run is over: back to enter_user's caller */
		in_user = 0;
		__asm__ volatile("csrw sepc, %0" ::"r"(user_exit));
		__asm__ volatile("csrs sstatus, %0" ::"r"(SSTATUS_SPP | SSTATUS_SPIE));
		return;
	}
	if (!expect_trap) {
		print("FAIL: my kernel took an unexpected trap: scause ");
		print_num((long)cause);
		print(", sepc ");
		print_hex(epc);
		print(st & SSTATUS_SPP ? ", from supervisor mode\n" : ", from user mode\n");
		shutdown(0, 1);
	}
	expect_trap = 0;
	__asm__ volatile("csrw sepc, %0" ::"r"(epc + 4)); /* the tests' are 4 bytes long */
}

/* instructions of the extensions the guest is not compiled for, assembled all the same */
#define WITH_D(insn) ".option push\n.option arch, +d\n" insn "\n.option pop"
#define WITH_H(insn) ".option push\n.option arch, +h\n" insn "\n.option pop"

/* What the H extension leaves for the hypervisor to switch: FP registers, fcsr, and the two
 * S-level CSRs VS-mode reaches directly. */
#define SECRET_F31 0x5ec2e75ec2e70000UL
struct state {
	u64 f31, fcsr, scounteren, senvcfg;
};

static void state_get(struct state *s)
{
	__asm__ volatile(WITH_D("fmv.x.d %0, f31") : "=r"(s->f31));
	__asm__ volatile(WITH_D("frcsr %0") : "=r"(s->fcsr));
	__asm__ volatile("csrr %0, scounteren" : "=r"(s->scounteren));
	__asm__ volatile("csrr %0, senvcfg" : "=r"(s->senvcfg));
}

/* the hart's own values: the time counter for its user mode, plus one more counter bit, a
 * rounding mode and an senvcfg that differ by hart */
static void state_mine(struct state *s, long hartid)
{
	s->f31 = SECRET_F31 + (u64)hartid;
	s->fcsr = (u64)(hartid + 1) << 5;
	s->scounteren = 2 | 8UL << hartid;
	s->senvcfg = hartid ? 0 : 1; /* FIOM */
}

static void state_print(const char *what, struct state *s)
{
	print(what);
	print(": f31 ");
	print_hex(s->f31);
	print(", fcsr ");
	print_hex(s->fcsr);
	print(", scounteren ");
	print_hex(s->scounteren);
	print(", senvcfg ");
	print_hex(s->senvcfg);
	print("\n");
}

/* s against want, FP and CSRs apart: "ok:" or "FAIL:" for each, how: "start clear" ... */
static void state_verdict(struct state *s, struct state *want, const char *how)
{
	int fp = s->f31 == want->f31 && s->fcsr == want->fcsr;
	int csr = s->scounteren == want->scounteren && s->senvcfg == want->senvcfg;

	verdict2(fp, "my FP registers (f31) and fcsr ", how);
	verdict2(csr, "my scounteren and senvcfg ", how);
	if (!fp || !csr)
		state_print("found", s);
}

static void state_start(long hartid)
{
	struct state s, zero = { 0, 0, 0, 0 };

	__asm__ volatile("csrs sstatus, %0" ::"r"(3UL << 13)); /* FP on */
	state_get(&s);
	state_verdict(&s, &zero, "start clear");
	state_mine(&s, hartid);
	__asm__ volatile(WITH_D("fmv.d.x f31, %0")::"r"(s.f31));
	__asm__ volatile(WITH_D("fscsr %0")::"r"(s.fcsr));
	__asm__ volatile("csrw scounteren, %0" ::"r"(s.scounteren));
	__asm__ volatile("csrw senvcfg, %0" ::"r"(s.senvcfg));
}

static void __attribute__((unused)) state_check(long hartid)
{
	struct state s, mine;

	state_get(&s);
	state_mine(&mine, hartid);
	state_verdict(&s, &mine, "are still mine");
}

/* waits t for its timer (wfi: the hypervisor runs the other guest meanwhile); returns how
 * late the interrupt came */
static u64 __attribute__((unused)) sleep_ticks(u64 t, long legacy)
{
	long seen = ticks;
	u64 deadline = now() + t;

	sbi(legacy ? 0x00 : SBI_TIME, 0, (long)deadline, 0, 0);
	while (ticks == seen)
		__asm__ volatile("wfi");
	return tick_at - deadline;
}

#if defined(GUEST_GOOD)
/* what a hostile guest would print if it could read this guest's memory */
const char secret[] = "alpha's secret: 0d15ea5e";

static void check_sbi_base(void)
{
	long version = sbi(SBI_BASE, 0, 0, 0, 0).value;
	long dbcn = sbi(SBI_BASE, 3, SBI_DBCN, 0, 0).value;
	struct sbiret r;

	verdict(sbi(SBI_BASE, 3, SBI_TIME, 0, 0).value == 1 &&
			sbi(SBI_BASE, 3, SBI_SRST, 0, 0).value == 1 &&
			sbi(SBI_BASE, 3, 0x12345678, 0, 0).value == 0,
		"SBI probe: time and reset there, an unknown extension not");
	if (!verdict(!dbcn || version >= 0x02000000,
		     "SBI version at least 2.0 when DBCN (an SBI 2.0 extension) is advertised"))
		print_hex((u64)version), print("\n");
	r = sbi(SBI_BASE, 1, 0, 0, 0);
	verdict(r.error == 0, "SBI implementation id answered");
	r = sbi(SBI_BASE, 7, 0, 0, 0);
	if (!verdict(r.error == -2, "an unknown SBI base function is refused (error -2)"))
		print_num(r.error), print("\n");
}
#endif

/* a line through the virtual 16550 at QEMU virt's address: wait for room, write a byte */
static void __attribute__((unused)) uart_line(void)
{
	volatile unsigned char *uart = (volatile unsigned char *)0x10000000;
	static const char s[] = "and this line through my UART\n";

	for (const char *c = s; *c; c++) {
		while (!(uart[5] & 0x20))
			;
		uart[0] = (unsigned char)*c;
	}
}

#if !defined(GUEST_GOOD)
/* DBCN asked to print memory that is not the guest's: each must be refused (-3) */
static void dbcn_outside(void)
{
	static const u64 at[][3] = {
		{ 64, 0x90000000, 0 }, /* past its memory */
		{ 64, 0x80000000, 1 }, /* base_hi */
		{ 64, 0x7fe00000, 0 }, /* just below: the other guest, in host memory */
		{ 0x200, 0x801fff00, 0 }, /* across the end */
		{ ~0UL - 0xff, 0x80000100, 0 }, /* a length that wraps */
	};
	unsigned i;
	int all = 1;

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		struct sbiret r = sbi(SBI_DBCN, 0, (long)at[i][0], (long)at[i][1], (long)at[i][2]);

		if (r.error != -3) {
			print("DBCN write at ");
			print_hex(at[i][1]);
			print(": error ");
			print_num(r.error);
			print("\n");
			all = 0;
		}
	}
	verdict(all, "DBCN writes of memory outside mine are refused (error -3)");
}
#endif

void guest_main(long hartid)
{
	print("hello from a guest on virtual hart ");
	print_num(hartid);
	print("\n");
	state_start(hartid);
	__asm__ volatile("csrs sie, %0" ::"r"(1UL << 5)); /* timer interrupts */
	__asm__ volatile("csrs sstatus, %0" ::"r"(1UL << 1));
#if defined(GUEST_GOOD)
	check_sbi_base();
	uart_line();
	{
		/* 10 ms sleeps; the last two through legacy set_timer. The timer must come at its
		 * deadline, not at the end of the other guest's time slice (10 ms) or its SBI
		 * call: the median of 5 under 1 ms (in timer ticks of QEMU virt's 10 MHz) */
		u64 late[5], m;
		int i, j;

		for (i = 0; i < 5; i++) {
			late[i] = sleep_ticks(100000, i > 2);
			print("tick ");
			print_num(i + 1);
			print(" (timer interrupts so far: ");
			print_num(ticks);
			print(", late by ");
			print_num((long)late[i] / 10);
			print(" us)\n");
		}
		for (i = 0; i < 5; i++) /* sorted, for the median */
			for (j = i + 1; j < 5; j++)
				if (late[j] < late[i])
					m = late[i], late[i] = late[j], late[j] = m;
		if (!verdict(late[2] < 10000,
			     "my 10 ms timers come at their deadline (median under 1 ms late)"))
			print_num((long)late[2] / 10), print(" us\n");
		/* and a wait of 50 ms, longer than the other guest's slices: an idle guest that
		 * kept the hart to the end of every slice it got would stall the other */
		print("waited 50 ms in wfi, late by ");
		print_num((long)sleep_ticks(500000, 0) / 10);
		print(" us\n");
	}
	state_check(hartid);
	sbi(0x01, 0, 'b', 0, 0); /* the legacy console too */
	sbi(0x01, 0, 'y', 0, 0);
	sbi(0x01, 0, 'e', 0, 0);
	sbi(0x01, 0, '\n', 0, 0);
	shutdown(hartid ? 2 : 0, 0); /* hart 1: a warm reboot */
#else
	struct sbiret r = sbi(0x12345678, 0, 0, 0, 0);

	print("unknown SBI call: error ");
	print_num(r.error);
	print("\n");
	r = sbi(SBI_DBCN, 0, 64, 0x90000000, 0);
	print("DBCN write of a buffer outside my memory: error ");
	print_num(r.error);
	print("\n");
	dbcn_outside();
	r = sbi(SBI_SRST, 7, 99, 0, 0);
	print("malformed system reset: error ");
	print_num(r.error);
	print("\n");
	/* lines that would pass for the hypervisor's on a terminal, or clear it */
	print("forged:\rthinvisor: alpha: stopped: illegal instruction\n");
	print("forged:\033[2K\033[1Gthinvisor: every guest has stopped; shutting down\n");
#if defined(GUEST_HOSTILE_FAULT)
	{
		/* the variant's "FTCH": the hypervisor reads a halfword as the UART decoder does
		 * (hlvx.hu), where this guest says: in its memory, then where nothing is mapped,
		 * which faults in the hypervisor; it must come back with -1 and go on */
		struct sbiret mine = sbi(0x46544348, 0, (long)guest_main, 0, 0);
		struct sbiret none = sbi(0x46544348, 0, 0x90000000, 0, 0);

		verdict(mine.value == *(volatile unsigned short *)guest_main,
			"the hypervisor's hlvx.hu read of my memory gives what is there");
		if (!verdict(none.value == -1, "its read of an address outside my memory faults, "
					       "and it comes back with -1"))
			print_num(none.value), print("\n");
	}
	print("making the hypervisor trap on itself, a0 aimed at its message\n");
	sbi(0x46415554, 0, (long)(*(volatile u64 *)0x801ff000 - 8), 0, 0);
	print("still here: the hypervisor let me through\n");
	shutdown(0, 1);
#elif defined(GUEST_HOSTILE_STATE)
	print("spinning in my user mode without yielding\n");
	in_user = 1;
	enter_user(user_spin, 0x801f0000, now() + 500000);
	verdict(trap_cause == 2 && !trap_spp,
		"my user code stayed in user mode across time slices (its CSR read trapped)");
	if (trap_spp)
		print("FAIL: my user code ran with my kernel's privilege\n");
	state_check(hartid);
	r = sbi(SBI_SRST, 0, 0, 2, 0); /* last: a hypervisor that takes it ends the guest */
	print("system reset with a reserved reason: error ");
	print_num(r.error);
	print("\n");
	shutdown(0, 1); /* a shutdown that says it is one for a failure */
#elif defined(GUEST_HOSTILE_DBCN)
	{
		/* one write of all its 2 MiB: the hypervisor prints a part and says how much */
		struct sbiret r;
		char *line = (char *)0x80100000;
		u64 until = now() + 2000000, calls = 0, gap = 0;

		print("writing 2 MiB through DBCN, again and again\n");
		r = sbi(SBI_DBCN, 0, 0x200000, 0x80000000, 0);
		print("\n");
		if (!verdict(!r.error && r.value > 0 && r.value < 0x200000,
			     "a 2 MiB DBCN write returns early with the count written"))
			print_num(r.error), print(" "), print_num(r.value), print("\n");
		/* then 200 ms of 2 MiB writes of a line of dashes at 0x80100000 (it and the rest
		 * of the 1 MiB after it are this guest's own), and the longest time between two
		 * (in which the hart was the hypervisor's or the other guest's: the good guest
		 * is idle most of the time, and its waits must not keep the hart idle) */
		for (int i = 0; i < 63; i++)
			line[i] = '-';
		line[63] = '\n';
		for (u64 t = now(), last = t; t < until; last = t, t = now()) {
			sbi(SBI_DBCN, 0, 0x100000, 0x80100000, 0);
			calls++;
			gap = t - last > gap ? t - last : gap;
		}
		print("2 MiB DBCN writes for 200 ms: ");
		print_num((long)calls);
		print(" calls, the longest time off the hart between two: ");
		print_num((long)gap / 10);
		print(" us\n");
	}
	shutdown(0, 0);
#elif defined(GUEST_HOSTILE_PAGING)
	{
		/* Sv39 paging on: 1 GiB pages for its memory (where it is) and the UART's, and its
		 * memory again at virtual 0xc0000000; the UART touched from code there, so the pc
		 * the hypervisor sees is no guest-physical address of its memory */
		static u64 pt[512] __attribute__((aligned(4096)));
		void (*at)(void) = (void (*)(void))((u64)uart_line + 0x40000000);

		pt[0] = (0x00000000UL >> 12) << 10 | 0xc7; /* V R W A D */
		pt[2] = (0x80000000UL >> 12) << 10 | 0xcf; /* V R W X A D */
		pt[3] = (0x80000000UL >> 12) << 10 | 0xcf;
		__asm__ volatile(
			"sfence.vma\n csrw satp, %0\n sfence.vma" ::"r"(8UL << 60 | (u64)pt >> 12));
		print("paging on: my UART from my code at virtual ");
		print_hex((u64)at);
		print("\n");
		at();
		__asm__ volatile("csrw satp, zero\n sfence.vma");
		verdict(1, "my UART works from code at a virtual address with paging on");
	}
	shutdown(0, 0);
#else
	print("spinning without yielding\n");
	/*
	 * 50 ms of the timer and 20 million turns of the loop: a host that stalls QEMU makes
	 * the timer jump, but not the loop, so the spin always outlasts many 10 ms slices.
	 */
	for (volatile u64 n = 0, until = now() + 500000; now() < until || n < 20000000; n++)
		;
#if defined(GUEST_HOSTILE_WRITE)
	print("storing at 0x80200000, where the hypervisor is in host memory\n");
	*(volatile u64 *)0x80200000 = 0xbadc0de;
#elif defined(GUEST_HOSTILE_ILLEGAL)
	{
		static const char *const what[] = {
			"a machine CSR read reaches my kernel as an illegal instruction",
			"a hypervisor CSR read reaches my kernel as an illegal instruction",
			"a hypervisor fence reaches my kernel as an illegal instruction",
			"a misaligned lr.w reaches my kernel (load address misaligned)",
			"a misaligned amoadd.w reaches my kernel (address misaligned)",
		};
		static const long want[] = { 2, 2, 2, 4, 6 };
		u64 x = 0, odd = (u64)&ticks + 1;

		for (int i = 0; i < 5; i++) {
			trap_cause = -1;
			expect_trap = 1;
			if (i == 0)
				__asm__ volatile("csrr %0, mstatus" : "=r"(x));
			else if (i == 1)
				__asm__ volatile(WITH_H("csrr %0, hstatus") : "=r"(x));
			else if (i == 2)
				__asm__ volatile(".4byte 0x62000073"); /* hfence.gvma */
			else if (i == 3)
				__asm__ volatile("lr.w %0, (%1)" : "=r"(x) : "r"(odd));
			else
				__asm__ volatile("amoadd.w %0, %0, (%1)"
						 : "+r"(x)
						 : "r"(odd)
						 : "memory");
			expect_trap = 0;
			/* an AMO: store/AMO misaligned (6) by the book, a misaligned load (4) on QEMU
			 * 7.2 with OpenSBI 1.1 */
			if (!verdict(trap_cause == want[i] || (i == 4 && trap_cause == 4), what[i]))
				print("scause "), print_num(trap_cause), print("\n");
		}
		(void)x;
	}
	print("asking for a cold reboot\n");
	shutdown(1, 0);
#else
	print("loading from 0x82000000, where the other guest is in host memory\n");
	print_num((long)*(volatile u64 *)0x82000000);
#endif
	print("still here: the hypervisor let me through\n");
	shutdown(0, 1);
#endif
#endif
}
