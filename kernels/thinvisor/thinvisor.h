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

#endif
