/*
 * analysis.h - the analyzer's stages wired together for one image, as `syms` and `diff`
 * use them: open, break down, attribute (DWARF decl points, map spans, DWARF CU spans),
 * assign subsystems, and roll rows up by symbol, file, directory, subsystem, section or class.
 */
#ifndef KB_ANALYSIS_H
#define KB_ANALYSIS_H

#include "breakdown.h"
#include "derived.h"
#include "dwarf_attr.h"
#include "image.h"
#include "maintainers.h"
#include "map.h"
#include "objsyms.h"

struct kb_analysis_opts {
	const char *map; /* linker map of the image, or NULL */
	const char *src; /* absolute path of the kernel tree, or NULL */
	const char *obj; /* absolute path of the O= build directory, or NULL */
	struct kb_maint *maint; /* MAINTAINERS of src, or NULL: subsystems by directory */
	int no_dwarf; /* do not read DWARF */
};

struct kb_analysis {
	struct kb_image *img;
	struct kb_breakdown *bd;
	struct kb_attr decl, cu, map;
	struct kb_attr fill; /* the map's *fill*: alignment padding */
	/* sections of the build directory's ELF objects, placed by their symbols: where no
	 * map names objects (an LTO kernel's names vmlinux.o) */
	struct kb_attr objsyms;
	struct kb_objsyms_stats objsyms_stats;
	uint64_t map_unresolved; /* the map's bytes of vmlinux.o with no object */
	struct kb_derived derived; /* files derived from what bytes serve (ORC, exports, ...) */
	struct kb_dwarf_stats dwarf;
	int have_dwarf, have_map;
	uint64_t prov_bytes[KB_PROV_NR]; /* bytes attributed by each provenance, padding aside */
	uint64_t padding_bytes; /* bytes of [padding] rows */
	struct kb_strtab names; /* strings made here: subsystems, sources */
	char warning[512]; /* what went wrong but was worked around ("": nothing) */
	/* an ar archive: its members' analyses, whose rows bd lists one after another */
	struct kb_analysis **members;
	size_t nmembers;
	int borrowed_img; /* img is an archive's member: the archive frees it */
};

/*
 * Runs the stages on path (an image, compressed or not, or an ar archive of objects: each
 * member analysed, the rows of all listed together). Bad input returns KB_ERR (kb_error_last() names the file);
 * unreadable DWARF is not an error: attribution falls back to the map and symbols, and
 * (*out)->warning says so, for the caller to print.
 */
int kb_analysis_run(struct kb_analysis **out, const char *path, const struct kb_analysis_opts *o);
void kb_analysis_free(struct kb_analysis *a);

enum kb_by { KB_BY_SYMBOL, KB_BY_FILE, KB_BY_DIR, KB_BY_SUBSYSTEM, KB_BY_SECTION, KB_BY_CLASS };

/* Returns the grouping named s, or -1. */
int kb_by_parse(const char *s);
const char *kb_by_name(enum kb_by by);

struct kb_group {
	const char *key; /* the symbol (origin), file, directory, subsystem, ... */
	const char *file; /* for KB_BY_SYMBOL: the symbol's file */
	uint64_t bytes;
	uint64_t cls[KB_CLS_NR];
	size_t rows; /* rows folded into this group */
};

struct kb_groups {
	struct kb_group *g;
	size_t n, alloc;
	struct kb_strtab ids; /* group identities, dense in order of first row */
};

/* The key of row r under by ("[unknown]" where there is no file). */
const char *kb_row_key(const struct kb_row *r, enum kb_by by, struct strbuf *tmp);
/* Groups a's rows by by, largest first (ties by key). */
void kb_groups_build(struct kb_groups *out, const struct kb_analysis *a, enum kb_by by);
void kb_groups_release(struct kb_groups *g);

/* Two levels, as bloaty's -d compileunits,symbols: a's rows grouped by outer, largest
 * first, and each outer group's rows grouped by inner, largest first; inner[i] sums to
 * outer.g[i]. */
struct kb_nest {
	struct kb_groups outer;
	struct kb_groups *inner; /* outer.n of them */
};
void kb_nest_build(struct kb_nest *out, const struct kb_analysis *a, enum kb_by outer,
		   enum kb_by inner);
void kb_nest_release(struct kb_nest *n);

/*
 * The directories of a's files as a tree with cumulative sizes: kernel holds kernel/printk's
 * bytes besides its own files'. A node's bytes are its own (the files directly in it) and
 * its children's; the roots' bytes sum to the image's total. Keys that are no directory
 * ("[unknown .text]", "[padding .data]", "." for files without one, "" for a file at the
 * root) are roots without children.
 */
struct kb_dirnode {
	const char *path; /* "kernel/printk" */
	const char *name; /* the last component, "printk" (a root: its path) */
	uint64_t own, bytes;
	uint64_t cls[KB_CLS_NR]; /* bytes by class, cumulative */
	size_t rows; /* the breakdown's rows in it, cumulative */
	size_t depth; /* 0: a root */
	size_t parent; /* SIZE_MAX: a root */
	size_t *kids, nkids; /* its children, largest first */
};
struct kb_dirtree {
	struct kb_dirnode *v;
	size_t n, alloc;
	size_t *roots, nroots; /* largest first */
	struct kb_strtab paths;
};
void kb_dirtree_build(struct kb_dirtree *out, const struct kb_analysis *a);
void kb_dirtree_release(struct kb_dirtree *t);

#endif
