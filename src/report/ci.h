/*
 * ci.h - `kbloat ci`'s report, the nightly one: per config, the commits after a baseline on
 * the first-parent line with each one's change, the ones over a threshold with the symbols
 * and subsystems that grew, and the budgets with how far each is from its limit.
 *
 * The model is built once (kb_ci_build) and written as text and Markdown (the verdict and
 * a summary first, then the commits that changed the size, each once), JUnit XML (a case
 * per budget limit and per failed build), JSON (schema/report.schema.json) or an mbox of
 * mails (ci_mail.c: one per commit over the threshold either way, as the 0-day robot
 * writes them); the writers print nothing but to the FILE they are given, the builder only
 * sets errors (kb_error_set).
 */
#ifndef KB_REPORT_CI_H
#define KB_REPORT_CI_H

#include "blame.h"
#include "budget.h"
#include "changes.h"
#include "lineage.h"
#include "show.h"
#include "store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum kb_ci_status { KB_CI_OK, KB_CI_FAILED, KB_CI_SKIPPED, KB_CI_NOT_BUILT };

/* A maintainer or list to Cc on a commit's mail: a MAINTAINERS line of a subsystem. */
struct kb_ci_contact {
	char role; /* 'M' or 'L' */
	char *address; /* the line after its tag: text from a repository */
	char *subsystem;
};

/* A commit after the baseline, and what the config's build of it measured. */
struct kb_ci_commit {
	struct kb_commit_row c;
	enum kb_ci_status status;
	int64_t build; /* the build's id; 0: KB_CI_NOT_BUILT */
	int64_t size; /* KB_CI_OK */
	int has_delta; /* KB_CI_OK with a parent build */
	int64_t delta;
	int over_threshold; /* has_delta and delta >= the threshold: a regression */
	int under_threshold; /* has_delta and delta <= -threshold: a reduction to thank for */
	struct kb_top_changes top; /* over_threshold */
	/* how the build ran (build != 0) */
	struct kb_build_run run;
	struct kb_strtab strs; /* owns run.log */
	/* with kb_ci_opts.mail, over or under the threshold: bloat-o-meter's view and the
	 * roll-up by subsystem, and the maintainers and lists of the subsystems that changed
	 * most in the commit's direction (KB_CI_CC_SUBSYSTEMS of them) */
	struct kb_show *show;
	struct kb_ci_contact *cc;
	size_t ncc;
};

/* How many of the subsystems that changed most a commit's mail Cc's the maintainers of. */
#define KB_CI_CC_SUBSYSTEMS 3

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
	size_t reductions; /* commits under minus the threshold */
	/* the summary: commits whose build changed the size (changed) or measured the same
	 * as its parent build (unchanged), failed builds; the bytes the commits added and
	 * removed; the newest ok build's size (has_size) */
	size_t changed, unchanged, failed;
	int64_t grew, shrank; /* shrank <= 0 */
	int has_size;
	int64_t size;
	int64_t newest_run; /* the newest build's recorded_at; 0 without one */
	double seconds; /* make's and the analysis's seconds of the builds reported */
	struct kb_ci_budget *budgets;
	size_t nbudgets;
};

struct kb_ci {
	char *baseline; /* full sha */
	char *commit_url; /* a template (kb_ci_check_url), or NULL */
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
	const char *commit_url; /* links to commits: a template kb_ci_check_url accepts */
	int mail; /* load what kb_ci_write_mail writes: the show and Cc's of each mail */
};

/*
 * A commit page's address template: "%H" stands for the full sha, "%h" for its first 12
 * characters, "%%" for '%'. 0, or KB_ERR ("--commit-url: %x: not %H, %h or %%").
 */
int kb_ci_check_url(const char *tmpl);
/*
 * Appends the template with sha put in to sb (after resetting it), bytes that do not
 * belong in a URL (controls, blanks, non-ASCII, <>"`\{}|^ and the parentheses and
 * brackets a Markdown link would read) percent-encoded. Returns 0, or -1 (sb empty) when
 * there is no template or sha is not 4 to 64 lowercase hex digits.
 */
int kb_ci_commit_url(struct strbuf *sb, const char *tmpl, const char *sha);

/* How the mails are addressed. */
struct kb_ci_mail_opts {
	const char *from; /* "Name <address>" (kb_ci_check_from) */
};

/* 0 if from is a mailbox a header can hold ("Name <user@host>" or "user@host"), else
 * KB_ERR naming it. */
int kb_ci_check_from(const char *from);

/* Builds the report; *out is the caller's to kb_ci_free, nothing is handed back on error. */
int kb_ci_build(struct kb_ci **out, struct kb_store *s, const struct kb_ci_opts *o);
void kb_ci_free(struct kb_ci *r);

/* The verdict, the summary table, the budgets with their headroom, then per config the
 * commits that changed its size (the others counted, in Markdown folded in <details>). */
void kb_ci_write_text(FILE *f, const struct kb_ci *r);
void kb_ci_write_md(FILE *f, const struct kb_ci *r);
/* One test suite per config, timestamped with its newest build (ISO 8601, UTC): a case for
 * the threshold, one per limit of each budget, one per failed build with its log. */
void kb_ci_write_junit(FILE *f, const struct kb_ci *r);
/*
 * An mbox: a mail per commit over the threshold (to its author, Cc the maintainers and
 * lists of the subsystems that grew most) and a thank-you per commit under minus the
 * threshold, dated when the build was recorded. The report must be built with .mail.
 */
void kb_ci_write_mail(FILE *f, const struct kb_ci *r, const struct kb_ci_mail_opts *mo);
json_t *kb_ci_json(const struct kb_ci *r);

#endif
