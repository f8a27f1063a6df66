/*
 * build_options.h - `kbloat options`' report: every option a build enables, what its objects
 * cost in vmlinux (code and data, no padding), whether the modular analysis found it a
 * candidate to leave (tristate (1), bool (2)), and how each changed against the parent
 * build; with totals that reconcile with the build's stored sums (schema/002-modular.sql).
 *
 *	struct kb_options_report *r;
 *
 *	if (kb_options_build(&r, store, &q))
 *		return kb_report_error();
 *	kb_options_write_text(stdout, r);
 *	kb_options_free(r);
 */
#ifndef KB_REPORT_BUILD_OPTIONS_H
#define KB_REPORT_BUILD_OPTIONS_H

#include "store.h"
#include "store_options.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

/* How an option changed against the parent build. */
enum kb_opt_change {
	KB_OPTCH_NONE, /* no parent build with the analysis to compare with */
	KB_OPTCH_SAME,
	KB_OPTCH_NEW,
	KB_OPTCH_GONE,
	KB_OPTCH_GROWN,
	KB_OPTCH_SHRUNK,
	KB_OPTCH_CLASS, /* its class changed (its bytes may have too) */
};

/* What kbloat options asks. */
struct kb_options_query {
	const char *rev; /* a commit (sha or unique prefix); NULL: the config's newest build */
	const char *config; /* NULL or "": the only config recorded */
	long top; /* at most this many rows; 0: all */
	int changed; /* only the options that changed */
};

/* Options per group: the candidates (1) and (2), and those that stay built in. */
struct kb_options_sum {
	int64_t options, bytes;
};

struct kb_options_report {
	char sha[41], parent_sha[41]; /* parent_sha "" without a parent build to compare */
	struct kb_build_series ser; /* the build's stored sums */
	const struct kb_build_option **rows; /* shown: largest first, then by name */
	size_t n;
	struct kb_options_sum tri_cand, bool_cand, kept; /* over every enabled option */
	struct kb_build_options opts;
};

/*
 * The report of q's build. A build without the modular analysis (recorded before schema 2,
 * or where it did not run) is an error saying so. *out is the caller's to kb_options_free;
 * nothing is handed back on error.
 */
int kb_options_build(struct kb_options_report **out, struct kb_store *s,
		     const struct kb_options_query *q);
void kb_options_free(struct kb_options_report *r);

/* How row o changed. */
enum kb_opt_change kb_options_change(const struct kb_options_report *r,
				     const struct kb_build_option *o);

/* "same", "new", "gone", "grown", "shrunk" or "class" (NULL for KB_OPTCH_NONE). */
const char *kb_options_change_name(enum kb_opt_change c);
/* A table of bytes, change, type, candidate, what changed and the option; then the totals. */
void kb_options_write_text(FILE *f, const struct kb_options_report *r);
/* {"commit", "parent" (null: none), "options": [{"name", "type", "candidate", "bytes",
 * "delta", "change", "was_type", "was_candidate"}], "totals": {"tristate_candidates",
 * "bool_candidates", "kept": {"options", "bytes"}}, "build": {"total", "padding", "code",
 * "m_tristate", "m_bool", "m_core", "m_rest", "m_kallsyms" (null: not relearnt), "modular"}} */
json_t *kb_options_json(const struct kb_options_report *r);
/* Its rows as report/table.h writes them (CSV, TSV): the rows of its JSON. */
json_t *kb_options_table(const struct kb_options_report *r);

#endif
