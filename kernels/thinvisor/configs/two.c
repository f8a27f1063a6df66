// SPDX-License-Identifier: GPL-2.0
/* configs/two.c - the test guests' machine: two guests of 2 MiB each, no device tree. */
#include "../thinvisor.h"

const struct guest_config guest_config[NR_GUESTS] = {
	{ "alpha", 0x82000000UL, 0x200000UL, 0 },
	{ "beta", 0x82200000UL, 0x200000UL, 0 },
};
