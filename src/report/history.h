/*
 * history.h - a config's size per commit along its first-parent line of builds, each with
 * its change against its parent build; whole, one class, or within a scope (subsystem, path,
 * symbol). `kbloat history` writes it; the site renders its subsystem pages from it.
 * Unscoped, each row also carries its build's modular series (schema/002-modular.sql):
 * code and data (total - padding), everything modularized (code and data - m_tristate -
 * m_bool + m_kallsyms, schema/009: kb_series_modular, what `kbloat modular` predicts) and
 * the hard core (m_core). With an option, the size is that option's bytes.
 *
 *	struct kb_history *h;
 *
 *	if (kb_history_build(&h, store, config_id, &scope))
 *		return kb_report_error();
 *	kb_history_write_text(stdout, h);
 *	kb_history_free(h);
 */
#ifndef KB_REPORT_HISTORY_H
#define KB_REPORT_HISTORY_H

#include "query.h"
#include "store.h"
#include "store_history.h"
#include "store_options.h"
#include "strtab.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

struct kb_history_row {
	int64_t build_id;
	const struct kb_build_commit *c; /* its commit, distance and mark (reused); the model's */
	const struct kb_build_series *ser; /* its series; all unset in a scoped history */
	int64_t size; /* bytes within the scope */
	int64_t delta; /* against the row before; 0 for the first */
	int64_t commits; /* commits back to the row before; 0 for the first */
	int cls; /* with an option: its enum kb_opt_class in this build, -1 not enabled */
};

struct kb_history {
	struct kb_history_row *rows; /* oldest first */
	size_t n;
	struct kb_build_commit *commits; /* the rows' */
	struct kb_strtab strs;
	int series; /* the rows carry their builds' series */
	const char *option; /* the option followed (without CONFIG_), or NULL */
};

/*
 * The ok builds of config_id along the first-parent line to its newest build, sized within
 * sc (NULL or an empty scope: the whole total). *out is set only on success; errors (KB_ERR)
 * are kept for kb_error_last().
 */
int kb_history_build(struct kb_history **out, struct kb_store *s, int64_t config_id,
		     const struct kb_scope *sc);
/*
 * The same line of builds with the option name's bytes as each row's size (CONFIG_ or not),
 * 0 where it is not enabled. An option no build has enabled is an error naming it.
 */
int kb_history_build_option(struct kb_history **out, struct kb_store *s, int64_t config_id,
			    const char *name);
void kb_history_free(struct kb_history *m);

/*
 * A table of commit, date, size, delta, author, subject (with an option, its class before
 * the author); or a line saying there is none. When any build has the series, each row is
 * followed by a line of them ("-" where a build has none).
 */
void kb_history_write_text(FILE *f, const struct kb_history *m);
/* {"builds": [{"commit", "author", "subject", "size", "delta", "commits", "padding", "code",
 * "m_tristate", "m_bool", "m_core", "m_rest", "m_kallsyms", "modular"}, ...]}: the series as
 * numbers or null (m_kallsyms: null where the table was not relearnt, and modular leaves
 * it out); with an option, also "option" and per build "type" ("tristate", "bool" or null) and
 * "candidate" (true, false or null). */
json_t *kb_history_json(const struct kb_history *m);
/* Its parts, for writing it a row at a time: "builds"'s row i, and the members after
 * "builds" (an object, empty without an option). */
json_t *kb_history_json_row(const struct kb_history *m, size_t i);
json_t *kb_history_json_tail(const struct kb_history *m);
/* Its rows as report/table.h writes them (CSV, TSV): the rows of its JSON. */
json_t *kb_history_table(const struct kb_history *m);

/* "tristate" or "bool" for an enum kb_opt_class, and whether it is a candidate. */
const char *kb_opt_type(int cls);
int kb_opt_candidate(int cls);

#endif
