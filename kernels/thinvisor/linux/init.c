// SPDX-License-Identifier: GPL-2.0
/*
 * init.c - the Linux guest's /init: a static program without a C library. It says it is
 * there and powers the guest off (reboot(2), which Linux turns into an SBI system reset).
 */
static long sys3(long n, long a, long b, long c)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = 0;
	register long a7 __asm__("a7") = n;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a7) : "memory");
	return a0;
}

#define SYS_WRITE 64
#define SYS_REBOOT 142

void __attribute__((noreturn)) _start(void)
{
	static const char msg[] = "thinvisor-linux /init: hello from user space, powering off\n";

	sys3(SYS_WRITE, 1, (long)msg, sizeof(msg) - 1);
	/* LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF */
	sys3(SYS_REBOOT, (long)0xfee1dead, 672274793, 0x4321fedc);
	for (;;)
		;
}
