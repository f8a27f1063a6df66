// SPDX-License-Identifier: GPL-2.0
/* console.c - the hypervisor's own output: strings and numbers, through SBI. */
#include "thinvisor.h"

void puts(const char *s)
{
	while (*s)
		sbi_putchar(*s++);
}

void putx(u64 v)
{
	int i;

	puts("0x");
	for (i = 60; i >= 0; i -= 4)
		sbi_putchar("0123456789abcdef"[(v >> i) & 15]);
}

void putd(u64 v)
{
	char buf[24];
	int i = sizeof(buf) - 1;

	buf[i] = 0;
	do
		buf[--i] = (char)('0' + v % 10);
	while (v /= 10);
	puts(buf + i);
}
