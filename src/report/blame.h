/*
 * blame.h - `kbloat blame`'s report: the builds whose own change added the most, largest
 * first, each with the symbols and subsystems that grew most in it; and those top changes
 * of one build, which the ci report shows for its regressions too.
 *
 * The model is built once from the store and written as text or JSON; the writers print
 * nothing but to the FILE they are given, and the builders only set errors (kb_error_set).
 */
#ifndef KB_REPORT_BLAME_H
#define KB_REPORT_BLAME_H

#include "changes.h"
#include "query.h"
#include "store.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

/* How many symbols and subsystems a report names per build. */
#define KB_TOP_CHANGES 3

/* The symbols and subsystems that grew most in one build. */
struct kb_top_changes {
	struct kb_change *syms, *subs;
	size_t nsyms, nsubs;
};

/* Loads build_id's top KB_TOP_CHANGES symbols and subsystems into t (released on error). */
int kb_top_changes_load(struct kb_top_changes *t, struct kb_store *s, int64_t build_id);
void kb_top_changes_release(struct kb_top_changes *t);
/*
 * Writes t, one symbol a line after indent ("name +N (file)"), then "subsystems: A +N, B
 * +M" when any grew. Markdown (md) as list items: "- `name` +N (file)", "- subsystems: ...".
 */
void kb_top_changes_write(FILE *f, const struct kb_top_changes *t, const char *indent, int md);
/* Sets "top_symbols" ([{name, delta, file}], file "" when none) and "top_subsystems"
 * ([{name, delta}]) of o. */
void kb_top_changes_json(json_t *o, const struct kb_top_changes *t);

struct kb_blame_row {
	struct kb_growth g;
	struct kb_top_changes top;
};

struct kb_blame {
	int64_t min;
	int scoped; /* a subsystem, path or symbol: the row's classes are the whole image's */
	int core; /* the hard core's changes (d_core), grown and shrunk */
	struct kb_blame_row *rows; /* largest change first */
	size_t n;
	struct kb_blame_row *shrank; /* core: the largest reductions first */
	size_t nshrank;
};

/*
 * The builds of config_id whose change within sc is at least min, largest first, at most
 * limit; with range "A..B", only the builds of the commits after A up to B on B's first
 * parents (both ends known to the store). *out is the caller's to kb_blame_free; nothing is
 * handed back on error.
 */
int kb_blame_build(struct kb_blame **out, struct kb_store *s, int64_t config_id,
		   const struct kb_scope *sc, int64_t min, long limit, const char *range);
/*
 * The same for the hard core of the modular analysis (schema/002-modular.sql's d_core): the
 * builds whose code that cannot leave vmlinux grew by at least min, and those where it shrank
 * by at least min, each largest first, at most limit of each.
 */
int kb_blame_build_core(struct kb_blame **out, struct kb_store *s, int64_t config_id, int64_t min,
			long limit, const char *range);
void kb_blame_free(struct kb_blame *b);

void kb_blame_write_text(FILE *f, const struct kb_blame *b);
/* {"min", "rows": [{commit, base, commits, author, email, author_time, subject, delta,
 * classes, top_symbols, top_subsystems}]}; of the core, also "core": true and "shrank":
 * [rows as those, delta negative]. */
json_t *kb_blame_json(const struct kb_blame *b);
/* Its rows as report/table.h writes them: what grew, then (--core) what shrank, in a
 * column "table". */
json_t *kb_blame_table(const struct kb_blame *b);

#endif
