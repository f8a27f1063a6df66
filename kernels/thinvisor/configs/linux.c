// SPDX-License-Identifier: GPL-2.0
/*
 * configs/linux.c - Linux beside a test guest: alpha has 32 MiB (the kernel's Image at its
 * start) and its device tree (guest/linux.dts, at 2 MiB below its end); beta, 2 MiB.
 * Boot with QEMU's loader: Image at 0x82000000, linux.dtb at 0x83e00000, beta at 0x84000000.
 */
#include "../thinvisor.h"

const struct guest_config guest_config[NR_GUESTS] = {
	{ "alpha", 0x82000000UL, 0x2000000UL, 0x81e00000UL },
	{ "beta", 0x84000000UL, 0x200000UL, 0 },
};
