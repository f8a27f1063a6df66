/* SPDX-License-Identifier: GPL-2.0 */
/* start.S - entry from OpenSBI in HS-mode: a0 = hart id, a1 = device tree. Zero bss, take a
 * stack, go to C. */
	.section .text.start, "ax"
	.global _start
_start:
	la	sp, boot_stack_top
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	hv_main
3:	wfi
	j	3b

	.section .bss.stack, "aw", @nobits
	.align	12
	.global	boot_stack_top
boot_stack:
	.space	4096
boot_stack_top:
