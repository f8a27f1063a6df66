/*
 * dwarf_attr.h - source files from DWARF (libdwarf). An executable's debug sections are final,
 * so they are served to libdwarf straight from the mapped image (dwarf_object_init_b), and
 * .rela.debug_* sections (vmlinux links with --emit-relocs) are never seen. A relocatable
 * object's (.o, .ko) are not: libdwarf's libelf reader opens those and applies their
 * relocations. Compressed debug sections (SHF_COMPRESSED) are inflated first
 * (kb_image_uncompress_sections: zlib by libelf, zstd by kbloat).
 * Only compile-unit headers, top-level DIEs and .debug_aranges are read.
 */
#ifndef KB_DWARF_ATTR_H
#define KB_DWARF_ATTR_H

#include "breakdown.h"
#include "image.h"
#include "strbuf.h"

struct kb_dwarf_stats {
	size_t cus; /* compile units read */
	size_t dies; /* top-level DIEs looked at */
	size_t points; /* addresses with a decl_file */
	size_t spans; /* CU address ranges */
	unsigned version_min, version_max;
	size_t bad_lines; /* CUs whose line table header was refused: no file names for them */
	uint64_t bad_line_off; /* the first one's offset in .debug_line */
	const char *bad_line_why; /* and why (a static string) */
	const char *root; /* the source root stripped from absolute paths ("" if none) */
};

/*
 * Reads img's DWARF into decl (points: symbol address -> DW_AT_decl_file) and cu (spans:
 * address range -> compile unit), both initialised by the caller. Paths are made relative
 * to src_root if given (an absolute path or NULL), else to the tree that the compile units'
 * absolute names share, else to the compilation directory.
 * Returns 0; KB_ENOTFOUND if the image has no .debug_info; KB_ERR if libdwarf cannot read
 * it, or a compressed section does not inflate (kb_error_last() says why, naming the file).
 * img is not const: its compressed debug sections are inflated in place. On error the attrs
 * may hold partial data that the caller should discard.
 */
int kb_dwarf_read(struct kb_image *img, const char *src_root, struct kb_attr *decl,
		  struct kb_attr *cu, struct kb_dwarf_stats *st);

/* Makes path tree-relative: strips the longest of the given prefixes, "./", and "//". */
/*
 * Appends to out the tree-relative form of path: "." and ".." segments resolved lexically,
 * then the longest of prefixes (directories) stripped.
 */
void kb_path_relative(struct strbuf *out, const char *path, const char *const *prefixes, size_t n);

#endif
