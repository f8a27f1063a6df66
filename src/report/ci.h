/*
 * ci.h - `kbloat ci`'s report, the nightly one: per config, the commits after a baseline on
 * the first-parent line with each one's change, the ones over a threshold with the symbols
 * and subsystems that grew, and the budgets with how far each is from its limit.
 *
 * The model is built once (kb_ci_build) and written as text, Markdown (a PR comment, a
 * mail), JUnit XML or JSON (schema/report.schema.json); the writers print nothing but to
 * the FILE they are given, the builder only sets errors (kb_error_set).
 */
#ifndef KB_REPORT_CI_H
#define KB_REPORT_CI_H

#include "blame.h"
#include "budget.h"
#include "lineage.h"
#include "store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum kb_ci_status { KB_CI_OK, KB_CI_FAILED, KB_CI_SKIPPED, KB_CI_NOT_BUILT };

/* A commit after the baseline, and what the config's build of it measured. */
struct kb_ci_commit {
	struct kb_commit_row c;
	enum kb_ci_status status;
	int64_t build; /* the build's id; 0: KB_CI_NOT_BUILT */
	int64_t size; /* KB_CI_OK */
	int has_delta; /* KB_CI_OK with a parent build */
	int64_t delta;
	int over_threshold; /* has_delta and delta >= the threshold */
	struct kb_top_changes top; /* over_threshold */
};

/* A budget target that holds this config, checked against its head build. */
struct kb_ci_budget {
	const struct kb_budget_target *target; /* points into the budget kb_ci_build was given */
	struct kb_limit_result *res; /* target->nlimits of them */
	size_t broken; /* limits broken */
};

struct kb_ci_config {
	char *name, *head; /* head: the newest commit reported (full sha) */
	struct kb_ci_commit *commits; /* oldest first */
	size_t ncommits;
	size_t regressions; /* commits over the threshold */
	struct kb_ci_budget *budgets;
	size_t nbudgets;
};

struct kb_ci {
	char *baseline; /* full sha */
	int64_t threshold;
	int ok; /* no regression, no budget broken */
	struct kb_ci_config *configs;
	size_t n;
};

/* What to report. */
struct kb_ci_opts {
	const char *baseline; /* a sha or a prefix the store knows */
	const char *head; /* the newest commit to report; NULL: each config's head build */
	const char *const *configs; /* recorded configs; none (nconfigs 0): every one */
	size_t nconfigs;
	const struct kb_budget *budget; /* NULL: none; must outlive the report */
	int64_t threshold; /* a commit adding this much or more is a regression */
};

/* Builds the report; *out is the caller's to kb_ci_free, nothing is handed back on error. */
int kb_ci_build(struct kb_ci **out, struct kb_store *s, const struct kb_ci_opts *o);
void kb_ci_free(struct kb_ci *r);

void kb_ci_write_text(FILE *f, const struct kb_ci *r);
void kb_ci_write_md(FILE *f, const struct kb_ci *r);
/* One test suite per config: a case for the threshold, one per budget. */
void kb_ci_write_junit(FILE *f, const struct kb_ci *r);
json_t *kb_ci_json(const struct kb_ci *r);

#endif
