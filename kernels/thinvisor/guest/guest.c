// SPDX-License-Identifier: GPL-2.0
/*
 * guest.c - the guests the tests run: a well-behaved one (GUEST_GOOD: prints, waits on its
 * timer five times, shuts down through SBI system reset), and hostile ones that make an
 * unknown and a malformed SBI call, spin without yielding, then write the hypervisor's
 * memory (GUEST_HOSTILE_WRITE), read the other guest's (GUEST_HOSTILE_READ) or run an
 * instruction it may not (GUEST_HOSTILE_ILLEGAL).
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

static u64 len(const char *s)
{
	u64 n = 0;

	while (s[n])
		n++;
	return n;
}

/* the debug console extension: the whole string in one call */
static void print(const char *s)
{
	sbi(0x4442434E, 0, (long)len(s), (long)s, 0);
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

static u64 now(void)
{
	u64 t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static volatile long ticks;

void guest_timer(void)
{
	ticks++;
	sbi(0x54494D45, 0, -1, 0, 0); /* no more until asked */
}

static void __attribute__((unused)) sleep_ticks(u64 t)
{
	long seen = ticks;

	sbi(0x54494D45, 0, (long)(now() + t), 0, 0);
	while (ticks == seen)
		__asm__ volatile("wfi");
}

void guest_main(long hartid)
{
	long i;

	print("hello from a guest on virtual hart ");
	print_num(hartid);
	print("\n");
	__asm__ volatile("csrs sie, %0" ::"r"(1UL << 5)); /* timer interrupts */
	__asm__ volatile("csrs sstatus, %0" ::"r"(1UL << 1));
#if defined(GUEST_GOOD)
	{
		/* the virtual 16550 at QEMU virt's address: wait for room, write a byte */
		volatile unsigned char *uart = (volatile unsigned char *)0x10000000;
		const char *s = "and this line through my UART\n";

		while (*s) {
			while (!(uart[5] & 0x20))
				;
			uart[0] = (unsigned char)*s++;
		}
	}
	for (i = 1; i <= 5; i++) {
		sleep_ticks(200000); /* 20 ms */
		print("tick ");
		print_num(i);
		print(" (timer interrupts so far: ");
		print_num(ticks);
		print(")\n");
	}
	sbi(0x01, 0, 'b', 0, 0); /* the legacy console too */
	sbi(0x01, 0, 'y', 0, 0);
	sbi(0x01, 0, 'e', 0, 0);
	sbi(0x01, 0, '\n', 0, 0);
	sbi(0x53525354, 0, 0, 0, 0); /* shut down */
#else
	struct sbiret r = sbi(0x12345678, 0, 0, 0, 0);

	print("unknown SBI call: error ");
	print_num(r.error);
	print("\n");
	r = sbi(0x4442434E, 0, 64, 0x90000000, 0);
	print("DBCN write of a buffer outside my memory: error ");
	print_num(r.error);
	print("\n");
	r = sbi(0x53525354, 7, 99, 0, 0);
	print("malformed system reset: error ");
	print_num(r.error);
	print("\nspinning without yielding\n");
	/*
	 * 50 ms of the timer and 20 million turns of the loop: a host that stalls QEMU makes
	 * the timer jump, but not the loop, so the spin always outlasts many 10 ms slices.
	 */
	for (volatile u64 n = 0, until = now() + 500000; now() < until || n < 20000000; n++)
		;
	(void)i;
#if defined(GUEST_HOSTILE_WRITE)
	print("writing the hypervisor's memory\n");
	*(volatile u64 *)0x80200000 = 0xbadc0de;
#elif defined(GUEST_HOSTILE_ILLEGAL)
	print("reading a machine-mode register\n");
	__asm__ volatile("csrr %0, mstatus" : "=r"(i));
#else
	print("reading the other guest's memory\n");
	print_num((long)*(volatile u64 *)0x82000000);
#endif
	print("still here: the hypervisor let me through\n");
	sbi(0x53525354, 0, 0, 1, 0);
#endif
}
