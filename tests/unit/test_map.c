/*
 * test_map.c - the GNU ld map reader: it finds the object behind each address of a
 * kernel-style map (split lines, padding, symbols, archives, per-CPU at 0), reads 32-bit
 * and relocatable maps, survives CR LF and junk, and tells a map from the wrong image.
 * The map snippets are trimmed from real ld 2.40 output.
 */
#include "check.h"

#include "image.h"
#include "map.h"
#include "error.h"
#include "xalloc.h"

#include <stdlib.h>

static struct kb_map *parse(const char *text)
{
	struct kb_map *m = NULL;

	if (kb_map_parse(&m, "test.map", text, strlen(text))) {
		fprintf(stderr, "kb_map_parse: %s\n", kb_error_last());
		return NULL;
	}
	return m;
}

static const char kernel_map[] =
	"Archive member included to satisfy reference by file (symbol)\n"
	"\n"
	"arch/x86/kernel/head_64.o     (--whole-archive)\n"
	"\n"
	"Discarded input sections\n"
	"\n"
	" .text          0x0000000000000000        0x0 arch/x86/kernel/head_64.o\n"
	" .note.GNU-stack\n"
	"                0x0000000000000000        0x0 arch/x86/kernel/head_64.o\n"
	"\n"
	"Memory Configuration\n"
	"\n"
	"Name             Origin             Length             Attributes\n"
	"*default*        0x0000000000000000 0xffffffffffffffff\n"
	"\n"
	"Linker script and memory map\n"
	"\n"
	"                0xffffffff8183b0c0                jiffies = jiffies_64\n"
	"                0xffffffff81000000                . = (0xffffffff80000000 + ALIGN "
	"(0x1000000, 0x200000))\n"
	"\n"
	".text           0xffffffff81000000      0x600 load address 0x0000000001000000\n"
	"                0xffffffff81000000                _text = .\n"
	" *(.head.text)\n"
	" .head.text     0xffffffff81000000      0x244 arch/x86/kernel/head_64.o\n"
	"                0xffffffff81000000                startup_64\n"
	" .head.text     0xffffffff81000244      0x238 arch/x86/kernel/head64.o\n"
	"                0xffffffff81000480                . = ALIGN (0x8)\n"
	" *fill*         0xffffffff8100047c        0x4 cccc\n"
	" *(.text .text.fixup)\n"
	" .text          0xffffffff81000480        0x0 arch/x86/kernel/head_64.o\n"
	" .text          0xffffffff81000480       0x13 kernel/fork.o\n"
	" .text.a_long_function_name_that_does_not_fit_in_the_name_column\n"
	"                0xffffffff81000493       0x6d kernel/fork.o\n"
	"                0xffffffff81000493                a_long_function_name\n"
	" *fill*         0xffffffff81000500      0x100 \n"
	"\n"
	".rodata         0xffffffff81600000       0x80 load address 0x0000000001600000\n"
	" *(.rodata.*)\n"
	" .rodata.str1.1\n"
	"                0xffffffff81600000       0x50 init/main.o\n"
	"                                         0x61 (size before relaxing)\n"
	" .rodata.str1.1\n"
	"                0xffffffff81600050       0x30 init/do_mounts.o\n"
	"\n"
	".x86_cpu_dev.init\n"
	"                0xffffffff818afd38       0x10 load address 0x00000000018afd38\n"
	"                0xffffffff818afd38                __x86_cpu_dev_start = .\n"
	" *(.x86_cpu_dev.init)\n"
	" .x86_cpu_dev.init\n"
	"                0xffffffff818afd38        0x8 arch/x86/kernel/cpu/intel.o\n"
	" .x86_cpu_dev.init\n"
	"                0xffffffff818afd40        0x8 arch/x86/kernel/cpu/amd.o\n"
	"\n"
	"/DISCARD/\n"
	" *(.eh_frame)\n"
	"\n"
	".bss            0xffffffff818b3000     0x2000 load address 0x00000000018b3000\n"
	" .bss           0xffffffff818b3000      0x100 mm/slab.o\n"
	" COMMON         0xffffffff818b3100       0x40 drivers/base/core.o\n"
	"                0xffffffff818b3100                some_common\n"
	"\n"
	".debug_info     0x0000000000000000   0xee4e19\n"
	" *(.debug_info .gnu.linkonce.wi.*)\n"
	" .debug_info    0x0000000000000000     0x1234 kernel/fork.o\n"
	"\n"
	".comment        0x0000000000000000       0x27\n"
	" .comment       0x0000000000000000       0x27 init/main.o\n"
	" .comment       0x0000000000000027       0x28 kernel/fork.o\n"
	"LOAD vmlinux.a\n"
	"START GROUP\n"
	"LOAD lib/lib.a\n"
	"END GROUP\n"
	"OUTPUT(vmlinux elf64-x86-64)\n";

static void kernel_map_gives_the_object_behind_each_address(void)
{
	struct kb_map *m = parse(kernel_map);
	const struct kb_map_span *s;

	CHECK(m != NULL);
	if (!m)
		return;
	/* .text: 2 head + fill + fork .text + long name + fill; .rodata 2; cpu_dev 2; .bss 2 */
	CHECK_U64(m->nspans, 12);
	CHECK_U64(m->noutsecs, 6);
	CHECK_STR(m->outsecs[0].name, ".text");
	CHECK_U64(m->outsecs[0].addr, 0xffffffff81000000ull);
	CHECK_U64(m->outsecs[0].size, 0x600);
	CHECK_STR(m->outsecs[2].name, ".x86_cpu_dev.init");
	CHECK_U64(m->outsecs[2].addr, 0xffffffff818afd38ull);
	CHECK_U64(m->outsecs[2].size, 0x10);

	s = kb_map_lookup(m, 0xffffffff81000000ull);
	CHECK(s && s->addr == 0xffffffff81000000ull && s->size == 0x244);
	CHECK_STR(s ? s->object : NULL, "arch/x86/kernel/head_64.o");
	CHECK_STR(s ? s->source : NULL, "arch/x86/kernel/head_64.o");
	CHECK_STR(s ? s->insec : NULL, ".head.text");
	CHECK_STR(s ? s->outsec : NULL, ".text");

	s = kb_map_lookup(m, 0xffffffff8100047eull);
	CHECK(s && s->source == NULL && s->object == NULL);
	CHECK_STR(s ? s->insec : NULL, "*fill*");

	s = kb_map_lookup(m, 0xffffffff810004ffull);
	CHECK_STR(s ? s->insec : NULL,
		  ".text.a_long_function_name_that_does_not_fit_in_the_name_column");
	CHECK_STR(s ? s->source : NULL, "kernel/fork.o");
	CHECK(s && s->addr == 0xffffffff81000493ull && s->size == 0x6d);

	s = kb_map_lookup(m, 0xffffffff81600050ull);
	CHECK_STR(s ? s->source : NULL, "init/do_mounts.o");
	s = kb_map_lookup(m, 0xffffffff8160004full);
	CHECK(s && s->size == 0x50); /* the merged size, not the size before relaxing */
	CHECK_STR(s ? s->source : NULL, "init/main.o");

	s = kb_map_lookup(m, 0xffffffff818afd47ull);
	CHECK_STR(s ? s->source : NULL, "arch/x86/kernel/cpu/amd.o");
	CHECK_STR(s ? s->outsec : NULL, ".x86_cpu_dev.init");

	s = kb_map_lookup(m, 0xffffffff818b3120ull);
	CHECK_STR(s ? s->insec : NULL, "COMMON");
	CHECK_STR(s ? s->source : NULL, "drivers/base/core.o");

	/* symbol lines and empty input sections make no spans; nothing at 0 (debug, comment) */
	CHECK(kb_map_lookup(m, 0) == NULL);
	CHECK(kb_map_lookup(m, 0x10) == NULL);
	CHECK(kb_map_lookup(m, 0xffffffff81000600ull) == NULL);
	CHECK(kb_map_lookup(m, 0xffffffff818b3140ull) == NULL);
	CHECK(kb_map_lookup(m, UINT64_MAX) == NULL);
	kb_map_free(m);
}

static void spans_are_sorted_disjoint_and_inside_their_output(void)
{
	static const char text[] = "Linker script and memory map\n"
				   "\n"
				   ".data           0x0000000000004000      0x100\n"
				   " .data.low      0x0000000000003ff0       0x20 low.o\n"
				   " .data.b        0x0000000000004080       0x70 b.o\n"
				   " .data.a        0x0000000000004000       0x90 a.o\n"
				   " .rodata.str1.1 0x0000000000004040       0x20 c.o\n"
				   " .data.z        0x00000000000040f0       0x40 z.o\n"
				   ".text           0x0000000000001000       0x10\n"
				   " .text          0x0000000000001000       0x10 t.o\n";
	struct kb_map *m = parse(text);
	size_t i;

	CHECK(m != NULL);
	if (!m)
		return;
	for (i = 0; i < m->nspans; i++) {
		CHECK(m->spans[i].size > 0);
		if (i)
			CHECK(m->spans[i - 1].addr + m->spans[i - 1].size <= m->spans[i].addr);
	}
	CHECK_STR(m->spans[0].source, "t.o");
	/* low.o starts before .data, a.o starts where low.o does, c.o lies inside a.o, z.o
	 * reaches past .data: whoever is listed first keeps the bytes, inside .data only */
	CHECK_STR(kb_map_lookup(m, 0x4000)->source, "low.o");
	CHECK_U64(kb_map_lookup(m, 0x4000)->size, 0x10);
	CHECK_STR(kb_map_lookup(m, 0x4010)->source, "a.o");
	CHECK_STR(kb_map_lookup(m, 0x4050)->source, "a.o");
	CHECK_U64(kb_map_lookup(m, 0x4050)->size, 0x80);
	CHECK_STR(kb_map_lookup(m, 0x408f)->source, "a.o");
	CHECK_STR(kb_map_lookup(m, 0x4090)->source, "b.o");
	CHECK_STR(kb_map_lookup(m, 0x40ff)->source, "z.o");
	CHECK_U64(kb_map_lookup(m, 0x40ff)->size, 0x10);
	CHECK(kb_map_lookup(m, 0x4100) == NULL);
	CHECK(kb_map_lookup(m, 0x3ff0) == NULL);
	kb_map_free(m);
}

static void archive_members_resolve_to_their_object_path(void)
{
	static const char text[] =
		"Linker script and memory map\n"
		".text           0x0000000000001000      0x100\n"
		" .text          0x0000000000001000       0x10 lib/lib.a(sort.o)\n"
		" .text          0x0000000000001010       0x10 "
		"vmlinux.a(kernel/fork.o)\n"
		" .text          0x0000000000001020       0x10 ./drivers/x.o\n"
		" .text          0x0000000000001030       0x10 libgcc.a(_udivdi3.o)\n"
		" .text          0x0000000000001040       0x10 "
		"./arch/x86/lib/lib.a(memcpy_64.o)\n"
		" .text.stub     0x0000000000001050       0x10 linker stubs\n"
		" .text          0x0000000000001060       0x10\n"
		" .text          0x0000000000001070       0x10 odd.a()\n";
	struct kb_map *m = parse(text);
	const struct kb_map_span *s;

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_U64(m->nspans, 8);
	s = kb_map_lookup(m, 0x1000);
	CHECK_STR(s->object, "lib/lib.a(sort.o)");
	CHECK_STR(s->source, "lib/sort.o");
	CHECK_STR(kb_map_lookup(m, 0x1010)->source, "kernel/fork.o");
	CHECK_STR(kb_map_lookup(m, 0x1020)->object, "./drivers/x.o");
	CHECK_STR(kb_map_lookup(m, 0x1020)->source, "drivers/x.o");
	CHECK_STR(kb_map_lookup(m, 0x1030)->source, "_udivdi3.o");
	CHECK_STR(kb_map_lookup(m, 0x1040)->source, "arch/x86/lib/memcpy_64.o");
	s = kb_map_lookup(m, 0x1050);
	CHECK_STR(s->object, "linker stubs");
	CHECK(s->source == NULL);
	s = kb_map_lookup(m, 0x1060);
	CHECK(s->object == NULL && s->source == NULL);
	CHECK_STR(kb_map_lookup(m, 0x1070)->source, "odd.a()");
	/* one string per distinct name: the object of two spans is the same pointer */
	CHECK(kb_map_lookup(m, 0x1000)->insec == kb_map_lookup(m, 0x1010)->insec);
	kb_map_free(m);
}

static void map_of_32_bit_link_reads_short_addresses(void)
{
	static const char text[] =
		"Linker script and memory map\n"
		"\n"
		"LOAD s32.o\n"
		"                0x00400000                        . = 0x400000\n"
		"\n"
		".text           0x00400000       0x20\n"
		" *(.text*)\n"
		" .text          0x00400000        0x0 s32.o\n"
		" .text.start    0x00400000        0x6 s32.o\n"
		"                0x00400000                _start\n"
		" .text.helper32\n"
		"                0x00400006        0x6 s32.o\n"
		"                0x0040000c        0x8 QUAD 0x1234\n"
		"                0x00400014        0x4 LONG 0x7\n"
		"                0x00400018        0x1 BYTE 0x1\n"
		" FILL mask 0x90909090\n"
		"                0x00400020                        . = ALIGN (0x10)\n"
		" *fill*         0x00400019        0x7 90909090\n"
		"\n"
		".bss            0x00401000       0xc0\n"
		" .bss           0x00401000       0x40 s32.o\n"
		" *(COMMON)\n"
		" COMMON         0x00401040       0x80 s32.o\n"
		"                0x00401040                cbuf\n"
		"OUTPUT(s32 elf32-i386)\n";
	struct kb_map *m = parse(text);
	const struct kb_map_span *s;

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_U64(m->nspans, 8);
	CHECK_STR(kb_map_lookup(m, 0x400007)->insec, ".text.helper32");
	s = kb_map_lookup(m, 0x400010);
	CHECK_STR(s->insec, "QUAD");
	CHECK(s->object == NULL && s->source == NULL);
	CHECK_STR(kb_map_lookup(m, 0x400015)->insec, "LONG");
	CHECK_STR(kb_map_lookup(m, 0x40001f)->insec, "*fill*");
	CHECK_STR(kb_map_lookup(m, 0x4010bf)->insec, "COMMON");
	CHECK_STR(kb_map_lookup(m, 0x4010bf)->source, "s32.o");
	kb_map_free(m);
}

static void per_cpu_section_at_zero_gives_spans(void)
{
	static const char text[] =
		"Linker script and memory map\n"
		".data..percpu   0x0000000000000000    0x2d000 load address "
		"0x0000000002a1b000\n"
		"                0x0000000000000000                __per_cpu_start = .\n"
		" *(.data..percpu..first)\n"
		" .data..percpu..first\n"
		"                0x0000000000000000     0x4000 "
		"arch/x86/kernel/irq_64.o\n"
		"                0x0000000000000000                fixed_percpu_data\n"
		" .data..percpu  0x0000000000004000      0x100 kernel/sched/core.o\n"
		".debug_line     0x0000000000000000   0x1d9ecd\n"
		" .debug_line    0x0000000000000000     0x5000 kernel/fork.o\n";
	struct kb_map *m = parse(text);

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_U64(m->nspans, 2);
	CHECK_STR(kb_map_lookup(m, 0)->source, "arch/x86/kernel/irq_64.o");
	CHECK_STR(kb_map_lookup(m, 0x40ff)->source, "kernel/sched/core.o");
	CHECK(kb_map_lookup(m, 0x4100) == NULL);
	kb_map_free(m);
}

static void relocatable_map_lists_sections_but_places_nothing(void)
{
	static const char text[] = "Linker script and memory map\n"
				   "\n"
				   "LOAD sub/a.o\n"
				   "LOAD b.o\n"
				   "\n"
				   ".interp\n"
				   " *(.interp)\n"
				   "\n"
				   ".text.cmp       0x0000000000000000        0x5\n"
				   " .text.cmp      0x0000000000000000        0x5 sub/a.o\n"
				   ".data.table     0x0000000000000000      0x190\n"
				   " .data.table    0x0000000000000000      0x190 sub/a.o\n"
				   "                0x0000000000000000                table\n"
				   ".note.GNU-stack\n";
	struct kb_map *m = parse(text);

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_U64(m->noutsecs, 2);
	CHECK_STR(m->outsecs[1].name, ".data.table");
	CHECK_U64(m->outsecs[1].size, 0x190);
	CHECK_U64(m->nspans, 0);
	CHECK(kb_map_lookup(m, 0) == NULL);
	kb_map_free(m);
}

static void lld_map_gives_the_object_behind_each_address(void)
{
	/* as ld.lld 14 writes it (-Map, -ffunction-sections), with an archive member, merged
	 * strings, a data statement, assignments and a section lld puts at 0 */
	static const char lld[] =
		"             VMA              LMA     Size Align Out     In      Symbol\n"
		"          200190           200190       18     4 .note.gnu.build-id\n"
		"          200190           200190       18     4         <internal>:(.note.gnu.build-id)\n"
		"          201250           201250       60    16 .text\n"
		"          201250           201250       12    16         init/version.o:(.text.start)\n"
		"          201250           201250       12     1                 start\n"
		"          201270           201270       15    16         kernel/sched.o:(.text.arch_cpu_idle)\n"
		"          201270           201270       15     1                 arch_cpu_idle\n"
		"          201290           201290       18    16         lib/lib.a(string.o):(.text.kb_strlen)\n"
		"          2012a8           2012a8        8     1         QUAD(0x1234)\n"
		"          2012b0           2012b0        0     1         __text_end = .\n"
		"          2012b0           2012b0        0     1 . = ALIGN ( 0x1000 )\n"
		"          2012c0           2012c0       40     1 .rodata\n"
		"          2012c0           2012c0       40     1         <internal>:(.rodata)\n"
		"               0                0      3ac     1 .debug_abbrev\n"
		"               0                0       87     1         init/version.o:(.debug_abbrev)\n";
	struct kb_map *m = NULL;
	const struct kb_map_span *s;

	CHECK(kb_map_parse(&m, "lld.map", lld, strlen(lld)) == 0);
	if (!m)
		return;
	CHECK_U64(m->noutsecs, 4);
	CHECK_STR(m->outsecs[1].name, ".text");
	CHECK_U64(m->outsecs[1].addr, 0x201250);
	CHECK_U64(m->outsecs[1].size, 0x60);
	CHECK_STR(m->outsecs[3].name, ".debug_abbrev");
	s = kb_map_lookup(m, 0x201275);
	CHECK(s && !strcmp(s->source, "kernel/sched.o") &&
	      !strcmp(s->insec, ".text.arch_cpu_idle"));
	CHECK(s && s->addr == 0x201270 && s->size == 0x15);
	s = kb_map_lookup(m, 0x201290);
	CHECK(s && !strcmp(s->object, "lib/lib.a(string.o)") && !strcmp(s->source, "lib/string.o"));
	s = kb_map_lookup(m, 0x2012a8); /* a data statement: bytes of no file */
	CHECK(s && !strcmp(s->insec, "QUAD") && !s->source && s->size == 8);
	s = kb_map_lookup(m, 0x2012d0); /* lld's merged strings */
	CHECK(s && !s->source && !strcmp(s->object, "<internal>"));
	CHECK(kb_map_lookup(m, 0x201265) == NULL); /* a gap lld lists nothing for */
	CHECK(kb_map_lookup(m, 0x40) == NULL); /* nothing from a section at 0 */
	kb_map_free(m);
}

static void lld_alignment_inside_a_section_is_fill(void)
{
	/* the end of .bss and .brk of a 6.12 x86_64 kernel linked by ld.lld 14 (LLVM=1):
	 * ". = ALIGN" inside an output section has the size it skipped, 1.2 MB here; an
	 * assignment that reserves (". +=") and one between sections are no fill */
	static const char lld[] =
		"             VMA              LMA     Size Align Out     In      Symbol\n"
		"ffffffff816be000          16be000   142000  4096 .bss\n"
		"ffffffff816d1ca8          16d1ca8        8     8         lib/lib.a(radix-tree.o):(.bss)\n"
		"ffffffff816d1ca8          16d1ca8        8     1                 radix_tree_node_cachep\n"
		"ffffffff816d1cb0          16d1cb0   12e350     1         . = ALIGN ( ( 1 << 21 ) )\n"
		"ffffffff81800000          1800000        0     1         __start_bss_decrypted = .\n"
		"ffffffff81800000          1800000        0     1         . = ALIGN ( ( 1 << 12 ) )\n"
		"ffffffff81800000          1800000        0     1 . = ALIGN ( ( 1 << 12 ) )\n"
		"ffffffff81800000          1800000    16000     1 .brk\n"
		"ffffffff81800000          1800000    10000     1         . += 64 * 1024\n"
		"ffffffff81810000          1810000     6000     1         vmlinux.a(arch/x86/mm/init.o):(.bss..brk)\n";
	struct kb_map *m = NULL;
	const struct kb_map_span *s;

	CHECK(kb_map_parse(&m, "lld.map", lld, strlen(lld)) == 0);
	if (!m)
		return;
	s = kb_map_lookup(m, 0xffffffff816d1cb0);
	CHECK(s && !strcmp(s->insec, "*fill*") && !s->source && !s->object);
	CHECK(s && s->size == 0x12e350 && s->outsec && !strcmp(s->outsec, ".bss"));
	s = kb_map_lookup(m, 0xffffffff817fffff);
	CHECK(s && !strcmp(s->insec, "*fill*"));
	s = kb_map_lookup(m, 0xffffffff816d1caf);
	CHECK(s && s->source && !strcmp(s->source, "lib/radix-tree.o"));
	CHECK(kb_map_lookup(m, 0xffffffff81800000) == NULL); /* reserved, not alignment */
	s = kb_map_lookup(m, 0xffffffff81810000);
	CHECK(s && s->source && !strcmp(s->source, "arch/x86/mm/init.o"));
	CHECK_U64(m->nspans, 3);
	kb_map_free(m);
}

static void lld_maps_before_llvm_11_and_of_lto_links(void)
{
	/* no LMA column; an LTO link's code is "lto.tmp", which is no file of the tree */
	static const char lld[] =
		"Address          Size             Align Out     In      Symbol\n"
		"0000000000201000 0000000000000040    16 .text\n"
		"0000000000201000 0000000000000020    16         lto.tmp:(.text.start)\n"
		"0000000000201020 0000000000000020    16         drivers/tty.o:(.text)\n";
	struct kb_map *m = NULL;
	const struct kb_map_span *s;

	CHECK(kb_map_parse(&m, "old.map", lld, strlen(lld)) == 0);
	if (!m)
		return;
	s = kb_map_lookup(m, 0x201000);
	CHECK(s && !s->source && !strcmp(s->object, "lto.tmp"));
	s = kb_map_lookup(m, 0x201030);
	CHECK(s && !strcmp(s->source, "drivers/tty.o") && s->size == 0x20);
	kb_map_free(m);
}

static void text_that_is_no_map_is_refused(void)
{
	struct kb_map *m = (struct kb_map *)1;

	CHECK(kb_map_parse(&m, "x.map", "hello\nworld\n", 12) == KB_ERR);
	CHECK(m == NULL);
	CHECK_STR(kb_error_last(), "x.map: not a linker map (no \"Linker script and memory map\" "
				   "line of GNU ld, no column header of LLVM lld)");
	CHECK(kb_map_parse(&m, "empty.map", "", 0) == KB_ERR);
	CHECK(kb_map_open(&m, "/nonexistent/vmlinux.map") == KB_ERR);
	CHECK(strstr(kb_error_last(), "/nonexistent/vmlinux.map: cannot read") == kb_error_last());
}

static void crlf_junk_and_truncation_do_not_change_the_answer(void)
{
	static const char text[] =
		"Linker script and memory map\r\n"
		"\r\n"
		"\x01\xff garbage at column 0 \x7f\r\n"
		".text           0x0000000000001000       0x40\r\n"
		" \x01\xff garbage line \x7f\r\n"
		" .text          0x0000000000001000       0x10 a.o\r\n"
		" .text          0x10000000000000000      0x10 too_many_digits.o\r\n"
		" .text          0x0000000000001010       0xzz bad_size.o\r\n"
		" .text          0x0000000000001010\r\n"
		" .text.split\r\n"
		"\r\n"
		"                0x0000000000001010       0x10 not_a_continuation.o\r\n"
		" .text          0xfffffffffffffff0       0x10 far.o\r\n"
		"\t.text\t0x0000000000001020\t0x10 tabbed.o\r\n"
		" .text          0x0000000000001030       0x10 last.o";
	struct kb_map *m = parse(text);
	struct kb_map *t;
	size_t cut;

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_U64(m->nspans, 2);
	CHECK_STR(kb_map_lookup(m, 0x100f)->object, "a.o");
	CHECK(kb_map_lookup(m, 0x1010) == NULL);
	CHECK_STR(kb_map_lookup(m, 0x103f)->object, "last.o");
	kb_map_free(m);

	/* every prefix parses, and none reads past its end (the sanitizer build checks) */
	for (cut = 0; cut <= strlen(text); cut++) {
		char *copy = malloc(cut ? cut : 1);

		memcpy(copy, text, cut);
		if (!kb_map_parse(&t, "cut.map", copy, cut)) {
			CHECK(t->nspans <= 2);
			kb_map_free(t);
		}
		free(copy);
	}
	kb_map_free(NULL);
}

/* vmlinux.map of a vmlinux linked from vmlinux.o, and the vmlinux.o.map of its ld -r */
static const char linked_map[] = "Linker script and memory map\n"
				 "\n"
				 ".text           0x0000000000001000       0x40\n"
				 " .head.text     0x0000000000001000       0x10 "
				 "arch/x86/kernel/head_64.o\n"
				 " .text          0x0000000000001010       0x30 vmlinux.o\n"
				 "                0x0000000000001010                copy_process\n"
				 ".rodata         0x0000000000002000       0x30\n"
				 " .rodata        0x0000000000002000       0x20 vmlinux.o\n"
				 " .orc_unwind    0x0000000000002020       0x10 vmlinux.o\n"
				 ".init.data      0x0000000000003000       0x10\n"
				 " .init.data     0x0000000000003000       0x10 vmlinux.o\n"
				 ".rodata.str     0x0000000000004000        0xc\n"
				 " .rodata.str1.1 0x0000000000004000        0xc vmlinux.o\n";
static const char relocatable_map[] = "Linker script and memory map\n"
				      "\n"
				      "LOAD vmlinux.a\n"
				      ".text           0x0000000000000000       0x30\n"
				      " *(.text .stub)\n"
				      " .text          0x0000000000000000       0x14 "
				      "vmlinux.a(kernel/fork.o)\n"
				      " *fill*         0x0000000000000014        0xc \n"
				      " .text          0x0000000000000020       0x10 "
				      "vmlinux.a(lib/sort.o)\n"
				      ".rodata         0x0000000000000000       0x18\n"
				      " .rodata        0x0000000000000000       0x18 "
				      "vmlinux.a(kernel/fork.o)\n"
				      ".init.data      0x0000000000000000        0x8\n"
				      " .init.data     0x0000000000000000        0x8 "
				      "vmlinux.a(init/main.o)\n"
				      ".init.data      0x0000000000000000       0x10\n"
				      " .init.data     0x0000000000000000       0x10 "
				      "vmlinux.a(drivers/tty.o)\n"
				      ".rodata.str1.1  0x0000000000000000       0x10\n"
				      " .rodata.str1.1 0x0000000000000000        0x8 "
				      "vmlinux.a(kernel/fork.o)\n"
				      " .rodata.str1.1 0x0000000000000008        0x8 "
				      "vmlinux.a(lib/sort.o)\n"
				      "OUTPUT(vmlinux.o elf64-x86-64)\n";

static struct kb_map *compose(const char *rtext, size_t rlen)
{
	struct kb_map *m = NULL;

	if (kb_map_parse_composed(&m, "vmlinux.map", linked_map, strlen(linked_map),
				  "vmlinux.o.map", rtext, rlen)) {
		fprintf(stderr, "kb_map_parse_composed: %s\n", kb_error_last());
		return NULL;
	}
	return m;
}

static void vmlinux_o_sections_become_the_objects_its_map_lists(void)
{
	struct kb_map *m = compose(relocatable_map, strlen(relocatable_map));
	const struct kb_map_span *s;
	size_t cut;

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_STR(kb_map_lookup(m, 0x100f)->source, "arch/x86/kernel/head_64.o");
	s = kb_map_lookup(m, 0x1010);
	CHECK_STR(s->object, "vmlinux.a(kernel/fork.o)");
	CHECK_STR(s->source, "kernel/fork.o");
	CHECK_STR(s->insec, ".text");
	CHECK_STR(s->outsec, ".text");
	CHECK_U64(s->size, 0x14);
	s = kb_map_lookup(m, 0x1024); /* the ld -r's fill, where vmlinux.o's .text landed */
	CHECK_STR(s->insec, "*fill*");
	CHECK(s->source == NULL);
	CHECK_U64(s->addr, 0x1024);
	CHECK_U64(s->size, 0xc);
	s = kb_map_lookup(m, 0x103f);
	CHECK_STR(s->source, "lib/sort.o");
	CHECK_U64(s->addr, 0x1030);
	CHECK(kb_map_lookup(m, 0x1040) == NULL);
	/* .rodata: vmlinux.o.map says 0x18 bytes, vmlinux.map 0x20: not composed, and said;
	 * vmlinux.o is its object, but no source (a link of the whole build, not a file) */
	CHECK(kb_map_lookup(m, 0x2000)->source == NULL);
	CHECK_STR(kb_map_lookup(m, 0x2000)->object, "vmlinux.o");
	CHECK_U64(kb_map_lookup(m, 0x2000)->size, 0x20);
	CHECK_U64(m->unresolved, 0x20);
	CHECK_STR(m->warning, "vmlinux.map: .rodata of vmlinux.o is 0x20 bytes at 0x2000, "
			      "vmlinux.o.map has no section of that name and size: 1 section of "
			      "vmlinux.o not composed (is vmlinux.o.map stale?)");
	/* made after the ld -r (objtool's): vmlinux.o's, and no reason to warn */
	CHECK_STR(kb_map_lookup(m, 0x2020)->insec, ".orc_unwind");
	CHECK_STR(kb_map_lookup(m, 0x2020)->source, "vmlinux.o");
	CHECK(kb_map_lookup(m, 0x2020)->after_ld_r == 1);
	CHECK(kb_map_lookup(m, 0x2000)->after_ld_r == 0); /* stale, not made after */
	CHECK(kb_map_lookup(m, 0x1010)->after_ld_r == 0);
	/* two .init.data of vmlinux.o.map: the one of vmlinux.o's size */
	CHECK_STR(kb_map_lookup(m, 0x300f)->source, "drivers/tty.o");
	CHECK_U64(kb_map_lookup(m, 0x300f)->size, 0x10);
	/* merged strings: ld -r gives the inputs' sum (0x10), the merged section is 0xc; the
	 * inputs one after another, the last cut at the end, as a direct link's map has them */
	CHECK_STR(kb_map_lookup(m, 0x4007)->source, "kernel/fork.o");
	CHECK_STR(kb_map_lookup(m, 0x4008)->source, "lib/sort.o");
	CHECK_U64(kb_map_lookup(m, 0x4008)->size, 4);
	CHECK(kb_map_lookup(m, 0x400c) == NULL);
	kb_map_free(m);

	/* every prefix of vmlinux.o.map composes or is refused, never read past its end */
	for (cut = 0; cut <= strlen(relocatable_map); cut++) {
		char *copy = malloc(cut ? cut : 1);

		memcpy(copy, relocatable_map, cut);
		m = compose(copy, cut);
		CHECK(m != NULL);
		/* the head is no part of vmlinux.o: whatever is cut, it stays */
		CHECK(m && !strcmp(kb_map_lookup(m, 0x1000)->source, "arch/x86/kernel/head_64.o"));
		kb_map_free(m);
		free(copy);
	}
}

static void without_vmlinux_o_map_its_bytes_name_no_source_and_a_hint_is_given(void)
{
	struct kb_map *m = compose(NULL, 0);

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK(kb_map_lookup(m, 0x1010)->source == NULL);
	CHECK_STR(kb_map_lookup(m, 0x1010)->object, "vmlinux.o");
	CHECK_U64(kb_map_lookup(m, 0x1010)->size, 0x30);
	/* every byte of vmlinux.o in linked_map: .text, .rodata, .orc_unwind, .init.data, str */
	CHECK_U64(m->unresolved, 0x30 + 0x20 + 0x10 + 0x10 + 0xc);
	/* the head is not vmlinux.o's: still its file */
	CHECK_STR(kb_map_lookup(m, 0x1000)->source, "arch/x86/kernel/head_64.o");
	CHECK(kb_map_lookup(m, 0x2020)->after_ld_r == 0); /* nothing to tell it by */
	CHECK(strstr(m->warning, "vmlinux.map: vmlinux was linked from vmlinux.o and no "
				 "vmlinux.o.map is beside it") == m->warning);
	CHECK(strstr(m->warning, "CONFIG_BUILTIN_MODULE_RANGES=y") != NULL);
	kb_map_free(m);

	m = compose("not a map\n", 10);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK(kb_map_lookup(m, 0x1010)->source == NULL);
	CHECK(m->unresolved > 0);
	CHECK(strstr(m->warning, "vmlinux.o.map: not a linker map") == m->warning);
	kb_map_free(m);

	/* a map of a direct link says nothing, whatever is given beside it */
	CHECK(kb_map_parse_composed(&m, "direct.map", kernel_map, strlen(kernel_map),
				    "vmlinux.o.map", relocatable_map,
				    strlen(relocatable_map)) == 0);
	CHECK(m != NULL && !m->warning[0] && !m->unresolved);
	CHECK(m && !strcmp(kb_map_lookup(m, 0xffffffff81000000ull)->source,
			   "arch/x86/kernel/head_64.o"));
	kb_map_free(m);
}

static void check_accepts_its_image_and_names_the_first_difference(void)
{
	struct kb_section secs[] = {
		{ .name = "" },
		{ .name = ".text", .addr = 0xffffffff81000000ull, .size = 0x600, .alloc = 1 },
		{ .name = ".rodata", .addr = 0xffffffff81600000ull, .size = 0x80, .alloc = 1 },
		{ .name = ".x86_cpu_dev.init",
		  .addr = 0xffffffff818afd38ull,
		  .size = 0x10,
		  .alloc = 1 },
		{ .name = ".bss", .addr = 0xffffffff818b3000ull, .size = 0x2000, .alloc = 1 },
		{ .name = ".data..percpu", .addr = 0xffffffff818b3000ull, .size = 0, .alloc = 1 },
		{ .name = ".debug_info", .addr = 0, .size = 0xee4e19 },
		{ .name = ".comment", .addr = 0, .size = 0x27 },
		{ .name = ".symtab", .addr = 0, .size = 0x1000 },
	};
	struct kb_image img = { .path = "vmlinux", .secs = secs, .nsecs = ARRAY_SIZE(secs) };
	struct kb_map *m = parse(kernel_map);

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK(kb_map_check(m, &img) == 0);

	secs[1].size = 0x5ff;
	CHECK(kb_map_check(m, &img) == KB_ERR);
	CHECK_STR(kb_error_last(), "test.map: does not belong to vmlinux (section .text: map says "
				   "0x600 bytes at 0xffffffff81000000, image has 0x5ff bytes at "
				   "0xffffffff81000000)");
	secs[1].size = 0x600;

	secs[2].name = ".rodata1"; /* the image lacks .rodata and has a section the map lacks */
	CHECK(kb_map_check(m, &img) == KB_ERR);
	CHECK_STR(kb_error_last(), "test.map: does not belong to vmlinux (section .rodata1: map "
				   "has no such output section, image has 0x80 bytes at "
				   "0xffffffff81600000)");
	secs[2].name = ".rodata";

	img.nsecs = 4; /* no .bss */
	CHECK(kb_map_check(m, &img) == KB_ERR);
	CHECK_STR(kb_error_last(), "test.map: does not belong to vmlinux (section .bss: map says "
				   "0x2000 bytes at 0xffffffff818b3000, image has no such "
				   "allocated section)");
	kb_map_free(m);
}

int main(void)
{
	kernel_map_gives_the_object_behind_each_address();
	spans_are_sorted_disjoint_and_inside_their_output();
	archive_members_resolve_to_their_object_path();
	map_of_32_bit_link_reads_short_addresses();
	per_cpu_section_at_zero_gives_spans();
	relocatable_map_lists_sections_but_places_nothing();
	lld_map_gives_the_object_behind_each_address();
	lld_maps_before_llvm_11_and_of_lto_links();
	lld_alignment_inside_a_section_is_fill();
	text_that_is_no_map_is_refused();
	crlf_junk_and_truncation_do_not_change_the_answer();
	check_accepts_its_image_and_names_the_first_difference();
	vmlinux_o_sections_become_the_objects_its_map_lists();
	without_vmlinux_o_map_its_bytes_name_no_source_and_a_hint_is_given();
	return check_done("test_map");
}
