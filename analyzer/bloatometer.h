/*
 * bloatometer.h - the diff of the kernel's scripts/bloat-o-meter, reproduced exactly: the
 * symbols `nm --size-sort` lists with a type letter in the chosen set, less the generated
 * ones bloat-o-meter strips (__mod_*, __se_sys*, __se_compat_sys*, __addressable_*,
 * linux_banner, vermagic, names with ':'), every ".N" removed from names (so ThinLTO's
 * "foo.llvm.1613467536" is "foo.llvm" and its ".str.N.llvm.H" literals one row), sizes of
 * equal names summed; rows ordered by delta, then name, both descending.
 *
 * The script differs between kernel versions in one way that shows: Linux 6.6 ("scripts/
 * bloat-o-meter: count weak symbol sizes", blob 888ce286 as in 6.12) added weak functions
 * (nm's w/W) to the Function sets and weak objects (v/V) to the Data sets, so weak symbols
 * count in rows, in add/remove and in the Total line. The only other change between 6.1
 * (blob f9553f60) and 6.12, `delta.sort(reverse=True)` for `sort()` then `reverse()` (6.3),
 * prints the same: no two rows have the same (delta, name), so a stable sort has no ties.
 */
#ifndef KB_BLOATOMETER_H
#define KB_BLOATOMETER_H

#include "image.h"
#include "kversion.h"
#include "strtab.h"

#include <stdint.h>

/* bloat-o-meter's symbol type sets before Linux 6.6 (6.1's script) */
#define KB_BOM_ALL "tTdDbBrR"
#define KB_BOM_FUNCTION "tT"
#define KB_BOM_DATA "dDbBrR"
#define KB_BOM_DATA_C "dDbB" /* "Data" of -c, which shows rodata apart */
#define KB_BOM_RODATA "rR"

/* The kernel version whose script first counts weak symbols. */
#define KB_BOM_WEAK_SINCE KB_KVER(6, 6)

/* The type sets of one version's script, for its default view and -c, -d and -t. */
struct kb_bom_sets {
	const char *all; /* the default view, "Function" */
	const char *function; /* -c and -t "Function" */
	const char *data; /* -d "Data" */
	const char *data_c; /* -c "Data" */
	const char *rodata; /* -c "RO Data" */
};

/* The sets of the script of Linux kver (KB_KVER(6, 12)): 6.1's before 6.6, 6.6's after. */
const struct kb_bom_sets *kb_bom_sets_for(unsigned kver);

struct kb_bom_row {
	const char *name;
	int64_t delta;
	uint64_t old, new;
	int in_old, in_new;
};

struct kb_bom {
	/* every name in either image: those with a delta sorted as bloat-o-meter prints them,
	 * then those without one (delta 0), in no order */
	struct kb_bom_row *rows;
	size_t nrows;
	unsigned long add, remove, grow, shrink;
	uint64_t up, down; /* down is positive: bytes removed */
	uint64_t old_total, new_total;
	struct kb_strtab names;
};

/* Computes the diff of old and new over the nm letters in types ("tTdDbBrR"). */
void kb_bom_compute(struct kb_bom *out, const struct kb_image *old, const struct kb_image *new,
		    const char *types);
/*
 * Building a diff from sizes known elsewhere (the store): add (name, old, new) triples, where
 * 0 means absent and equal names are summed, then finish to count and sort as bloat-o-meter.
 */
void kb_bom_init(struct kb_bom *b);
void kb_bom_add(struct kb_bom *b, const char *name, uint64_t old, uint64_t new);
void kb_bom_finish(struct kb_bom *b);

/* bloat-o-meter's entries of one image over types: rows with new set, old 0, unsorted. */
void kb_bom_entries(struct kb_bom *out, const struct kb_image *img, const char *types);
void kb_bom_release(struct kb_bom *b);

/* Writes name with every "\.[0-9]+" removed, as Python's re.sub does; returns its length. */
size_t kb_bom_normalise(char *dst, const char *name);

#endif
