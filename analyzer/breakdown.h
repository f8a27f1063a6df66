/*
 * breakdown.h - every allocated byte of an image attributed to one row: a symbol (aliases
 * counted once, overlaps counted once) or a labelled run of bytes no symbol covers; every row
 * to a source file where DWARF or a linker map says which, and with what provenance.
 *
 * Promises: the rows' bytes sum to the image's total, per section and per class; a row's
 * file is NULL only where no attribution source covers its address.
 */
#ifndef KB_BREAKDOWN_H
#define KB_BREAKDOWN_H

#include "image.h"
#include "arena.h"
#include "strtab.h"

enum kb_prov {
	KB_PROV_NONE,
	KB_PROV_DWARF_DECL, /* DW_AT_decl_file of the subprogram/variable DIE at this address */
	KB_PROV_DWARF_CU, /* the compile unit whose ranges hold the address */
	KB_PROV_MAP, /* the input section of a linker map that holds the address */
	KB_PROV_GENERATED, /* made by the build (BTF), counted to "[generated SECTION]" */
	KB_PROV_ORC, /* the ORC unwind entry's code address (.orc_unwind_ip, .orc_unwind) */
	KB_PROV_CODE_TABLE, /* an objtool/alternatives entry's code address (.return_sites) */
	KB_PROV_EXPORT, /* the symbol an export entry exports (__ksymtab*, __kcrctab*) */
	KB_PROV_CODE_REF, /* the code whose instructions reference the bytes (literals) */
	KB_PROV_OBJECT_SYM, /* an ELF object of the build dir whose symbols place its section */
	KB_PROV_NR
};

const char *kb_prov_name(enum kb_prov p);

/* Address-to-file facts from one source: exact symbol addresses and address ranges. */
struct kb_attr_point {
	uint64_t addr;
	const char *file;
};

struct kb_attr_span {
	uint64_t lo, hi; /* [lo, hi) */
	const char *file;
	const char *serves; /* the symbol the bytes serve (derived methods), or NULL */
};

struct kb_attr {
	enum kb_prov point_prov, span_prov;
	struct kb_attr_point *points; /* sorted by addr */
	size_t npoints, apoints;
	struct kb_attr_span *spans; /* sorted by lo, not overlapping */
	size_t nspans, aspans;
	struct kb_strtab files; /* owns the file names */
};

void kb_attr_init(struct kb_attr *a, enum kb_prov point_prov, enum kb_prov span_prov);
/* Interns file and adds a point or a span; kb_attr_sort() must follow before lookups. */
void kb_attr_add_point(struct kb_attr *a, uint64_t addr, const char *file);
void kb_attr_add_span(struct kb_attr *a, uint64_t lo, uint64_t hi, const char *file);
/* kb_attr_add_span, also naming the symbol the bytes serve (serves may be NULL). */
void kb_attr_add_span_serving(struct kb_attr *a, uint64_t lo, uint64_t hi, const char *file,
			      const char *serves);
/* Sorts; of points at one address and of overlapping spans, the first in sort order wins. */
void kb_attr_sort(struct kb_attr *a);
const struct kb_attr_span *kb_attr_span_at(const struct kb_attr *a, uint64_t addr);
const struct kb_attr_point *kb_attr_point_at(const struct kb_attr *a, uint64_t addr);
void kb_attr_release(struct kb_attr *a);

enum {
	KB_ROW_GAP = 1 << 0, /* bytes that no symbol covers */
	KB_ROW_CLONE = 1 << 1, /* a compiler clone: .constprop.N, .isra.N, .part.N, .cold */
	KB_ROW_FILL = 1 << 2, /* a gap that is alignment fill ("[padding .text]") */
};

struct kb_row {
	/* the symbol; for gaps "[padding .text]" (one byte value repeated), "[unnamed .rodata]"
	 * (other bytes between symbols) or "[section .foo]" (a section without symbols) */
	const char *name;
	const char *origin; /* name without compiler clone suffixes */
	uint64_t addr;
	uint64_t size; /* st_size (the span of a gap) */
	uint64_t bytes; /* bytes counted on this row: no byte is counted twice */
	const struct kb_section *sec;
	const char *file; /* tree-relative source path, or NULL */
	/* what a derived method found the bytes serve: the function an unwind or site entry
	 * covers, the symbol an export entry exports, the function referencing a literal;
	 * NULL otherwise */
	const char *serves;
	enum kb_prov prov;
	const char *subsystem; /* filled by the caller (MAINTAINERS or directories) */
	unsigned flags;
	unsigned char type, bind; /* STT_*, STB_* of the symbol */
	char nm; /* nm's letter */
	unsigned naliases; /* other symbols with the same address and size */
	const char **aliases;
};

/* Where a padding row's bytes are: rows of one section and file are merged into one. */
struct kb_fill_range {
	uint64_t lo, hi; /* [lo, hi) */
};

struct kb_breakdown {
	const struct kb_image *img;
	struct kb_row *rows;
	size_t nrows, arows;
	/* after kb_breakdown_finish: the KB_ROW_FILL rows' bytes by address, sorted, not
	 * overlapping; they sum to the padding rows' bytes */
	struct kb_fill_range *fills;
	size_t nfills;
	uint64_t total; /* sum of rows' bytes: equals img->total */
	uint64_t cls_bytes[KB_CLS_NR]; /* equals img->cls_size */
	size_t nested; /* sized symbols wholly inside another: 0 bytes of their own */
	struct kb_arena arena;
};

/*
 * Builds the rows of img from its symbol table. The breakdown refers to img, which must
 * outlive it. Attribution is added afterwards with kb_breakdown_attribute().
 */
int kb_breakdown_build(struct kb_breakdown **out, const struct kb_image *img);

/*
 * Attributes rows that have no file yet: symbol rows by exact address in a's points, then
 * by a's spans; gap rows are first split at a's span boundaries. Call it once per source in
 * the order of trust (kbloat: DWARF decl points, map spans, DWARF CU spans).
 */
void kb_breakdown_attribute_points(struct kb_breakdown *bd, const struct kb_attr *a);
void kb_breakdown_attribute_spans(struct kb_breakdown *bd, const struct kb_attr *a);
/*
 * Labels gap rows without a file that lie wholly in spans of fill (a map's *fill* lines) as
 * padding: for .bss, whose bytes cannot be looked at, this is the only way to tell.
 */
void kb_breakdown_mark_fill(struct kb_breakdown *bd, const struct kb_attr *fill);
/* Merges gap rows of one section, file and provenance into one row, keeping where the padding rows'
 * bytes were in fills; call after attribution. */
void kb_breakdown_finish(struct kb_breakdown *bd);
void kb_breakdown_free(struct kb_breakdown *bd);

/*
 * The rows of parts (finished breakdowns of an archive's members) one after another, as
 * the breakdown of img (the archive): its total and class sums are theirs. The rows point
 * into the parts, which must outlive it; it has no fill ranges.
 */
struct kb_breakdown *kb_breakdown_concat(const struct kb_image *img,
					 struct kb_breakdown *const *parts, size_t n);

/* The name without clone suffixes (".constprop.0", ".isra.0", ".part.0", ".cold", ...). */
size_t kb_clone_origin_len(const char *name);

#endif
