// SPDX-License-Identifier: GPL-2.0
/* main.c - thinvisor's start: say who we are and what the firmware offers. */
#include "thinvisor.h"

#if THINVISOR_PAD
/* the budget test's over-budget variant: read-only bytes a boot loader must load */
const u8 thinvisor_pad[THINVISOR_PAD] = { 1 };
#endif

void hv_main(u64 hartid, u64 dtb)
{
	puts("thinvisor: hart ");
	putd(hartid);
	puts(", device tree at ");
	putx(dtb);
	puts("\n");
	puts("thinvisor: SBI time ");
	puts(sbi_probe(SBI_EXT_TIME) ? "yes" : "no");
	puts(", reset ");
	puts(sbi_probe(SBI_EXT_SRST) ? "yes" : "no");
#if THINVISOR_PAD
	puts(thinvisor_pad[0] ? ", padded" : "");
#endif
	puts("\n");
	vcpus_init();
	puts("thinvisor: starting ");
	putd(NR_GUESTS);
	puts(" guests\n");
	hv_enter(vcpu_first());
}
