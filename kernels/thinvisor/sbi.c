// SPDX-License-Identifier: GPL-2.0
/* sbi.c - the SBI calls the hypervisor makes to OpenSBI (v1.1 on QEMU 7.2). */
#include "thinvisor.h"

struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2)
{
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r6 __asm__("a6") = fid;
	register long r7 __asm__("a7") = eid;

	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){ r0, r1 };
}

/* the legacy console extension (0x01): every OpenSBI has it */
void sbi_putchar(int c)
{
	sbi_call(0x01, 0, c, 0, 0);
}

long sbi_probe(long eid)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, 3, eid, 0, 0);

	return r.error ? 0 : r.value;
}

void sbi_shutdown(int failure)
{
	/* system reset: shutdown, with "system failure" as the reason when failing */
	sbi_call(SBI_EXT_SRST, 0, 0, failure ? 1 : 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
