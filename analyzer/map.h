/*
 * map.h - a linker map of GNU ld (`ld -Map=FILE`; kbuild writes vmlinux.map when
 * CONFIG_VMLINUX_MAP=y) or of LLVM lld (`ld.lld -Map=FILE`, a kernel built with LLVM=1)
 * read back as the answer to "which input section of which object file put the bytes at
 * this address?". The format is told from the text; both give the same spans.
 *
 * Promises:
 *  - spans[] are sorted by address, do not overlap and have size > 0. Where the map
 *    claims overlapping bytes (merged string sections, input sections reaching past their
 *    output section), the bytes go to the input section listed first; nothing outside an
 *    output section's [addr, addr + size) is ever claimed.
 *  - spans come only from output sections that have an address (non-zero, or the per-CPU
 *    template .data..percpu*, which x86_64 SMP kernels link at 0). Non-allocated outputs
 *    (.debug_*, .comment) sit at 0 and give no spans; neither do the sections of a
 *    relocatable (ld -r) map, all of which sit at 0.
 *  - outsecs[] lists every output section the map gives an address for, in map order,
 *    including empty and non-allocated ones.
 *  - parsing never reads outside [text, text + len) and accepts any bytes: lines it does
 *    not understand are skipped. The map owns all strings; kb_map_free() releases them.
 */
#ifndef KB_MAP_H
#define KB_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "strtab.h"

struct kb_image;

/* One input section placed in the output, or padding the linker put between two. */
struct kb_map_span {
	uint64_t addr, size;
	/* The input file as the map names it: "kernel/fork.o", "lib/lib.a(sort.o)"; NULL for
	 * padding (*fill*) and for input sections the map attributes to no file. */
	const char *object;
	/* object as a path: an archive member resolved to where it was built
	 * ("lib/lib.a(sort.o)" -> "lib/sort.o", "vmlinux.a(kernel/fork.o)" -> "kernel/fork.o"),
	 * leading "./" stripped. NULL for bytes the linker made itself: padding, linker
	 * stubs, sections without a file. */
	const char *source;
	const char *insec; /* input section: ".text.do_fork", "COMMON", "*fill*" */
	const char *outsec; /* output section it went into: ".text" */
	/* a section of vmlinux.o that its vmlinux.o.map does not list (see
	 * kb_map_parse_composed): made after the ld -r, objtool's ORC and site tables when it
	 * runs on vmlinux.o; source stays "vmlinux.o", as no object of the tree made it */
	int after_ld_r;
};

struct kb_map_outsec {
	const char *name;
	uint64_t addr, size;
};

struct kb_map {
	char *name; /* as given to kb_map_open/kb_map_parse, for messages */
	struct kb_map_span *spans;
	size_t nspans;
	struct kb_map_outsec *outsecs;
	size_t noutsecs;
	struct kb_strtab strs; /* every string the map points to */
	/* what was worked around, one line for the caller to print ("": nothing); see
	 * kb_map_parse_composed */
	char warning[512];
	/* bytes of vmlinux.o that no vmlinux.o.map resolved to objects (not after_ld_r):
	 * the map names no object for them; see kb_map_parse_composed */
	uint64_t unresolved;
};

/*
 * Reads and parses the map at path. Returns 0 and a map the caller frees with
 * kb_map_free(), or KB_ERR with kb_error_last() naming the file: unreadable, or neither
 * a GNU ld map (no "Linker script and memory map" section) nor an lld one (no column
 * header "VMA LMA Size Align Out In Symbol" on its first line).
 */
int kb_map_open(struct kb_map **out, const char *path);

/* Same as kb_map_open, over text[0..len) (not NUL-terminated); name is for messages. */
int kb_map_parse(struct kb_map **out, const char *name, const char *text, size_t len);

/*
 * A vmlinux linked from vmlinux.o (CONFIG_X86_KERNEL_IBT, CONFIG_LTO_CLANG:
 * scripts/link-vmlinux.sh links the `ld -r` of vmlinux.a's members, not vmlinux.a) has a
 * map that names vmlinux.o as the input of nearly every byte. kbuild writes the map of that
 * ld -r as vmlinux.o.map beside vmlinux.map (CONFIG_BUILTIN_MODULE_RANGES=y, 6.12+), and
 * kb_map_open reads it from there when the map names vmlinux.o. The two are composed: an
 * input section N of vmlinux.o at A (size Z) becomes the input sections that vmlinux.o.map
 * lists in its output section N (the first of that name and size Z not yet used), each at
 * A + its offset, with the *fill* between them as that map shows it. The result is the map
 * a direct link would have written: spans name the objects (and archive members) the ld -r
 * read, and keep vmlinux.map's output sections. Merged strings and constants (.rodata.str*,
 * .rodata.cst*) are the exception to the sizes agreeing: the final link merges them, so
 * vmlinux.o.map's section may be larger; its inputs are cut at the end of vmlinux.o's, as a
 * direct link's map lists its merged inputs.
 * Not composed, with a one-line m->warning: a vmlinux.o section of a name vmlinux.o.map has
 * but of no size it has (a stale map), or no vmlinux.o.map at all (the hint to build with
 * CONFIG_BUILTIN_MODULE_RANGES=y; an LTO kernel cannot: the option depends on !LTO), or one
 * that is no map. vmlinux.o is no source (a relocatable link of the whole build): those
 * spans keep object "vmlinux.o" but have no source, and m->unresolved counts their bytes,
 * which the analyzer leaves to DWARF and what they serve, as where there is no map. None of
 * this is an error.
 * kb_map_parse_composed is kb_map_parse with rtext[0..rlen) as that vmlinux.o.map (rname
 * for messages; rtext NULL: there is none); kb_map_parse is it without one.
 */
int kb_map_parse_composed(struct kb_map **out, const char *name, const char *text, size_t len,
			  const char *rname, const char *rtext, size_t rlen);

/*
 * Returns 0 if m was written by the link that made img: every allocated, non-empty
 * section of img is an output section of m with the same address and size, and every
 * placed, non-empty output section of m is such a section of img. Otherwise KB_ERR with a
 * one-line message: "vmlinux.map: does not belong to vmlinux (section .text: map says
 * 0x400100 bytes at 0xffffffff81000000, image has 0x3ff000 bytes at 0xffffffff81000000)".
 */
int kb_map_check(const struct kb_map *m, const struct kb_image *img);

/* The span holding addr, or NULL. O(log nspans). */
const struct kb_map_span *kb_map_lookup(const struct kb_map *m, uint64_t addr);

void kb_map_free(struct kb_map *m);

#endif
