/*
 * listing.h - an image's breakdown (analyzer/analysis.h: the typed model) listed as `kbloat
 * syms` prints it: every row (symbol, padding, unnamed bytes) largest first, or the rows
 * rolled up by symbol, file, directory, subsystem, section or class; the rows past --top
 * summed on one line, so that every listing sums to the image's total. As text or JSON.
 */
#ifndef KB_REPORT_LISTING_H
#define KB_REPORT_LISTING_H

#include "analysis.h"

#include <jansson.h>
#include <stdio.h>

struct kb_listing_opts {
	int by; /* enum kb_by, or -1: every row on its own */
	int inner; /* --by OUTER,INNER: the inner key (enum kb_by), or -1 */
	long top; /* rows shown before the rest's line (per level); -1: all */
	int provenance; /* text: say how each row got its file */
	int tree; /* with by KB_BY_DIR: the directories as a tree, cumulative */
	int percent; /* a column of each row's share of the total (always in a tree or nest) */
};

void kb_listing_write_text(FILE *f, const struct kb_analysis *a, const struct kb_listing_opts *o);
json_t *kb_listing_json(const struct kb_analysis *a, const struct kb_listing_opts *o);
/* The listing's rows as one flat array of objects, for report/table.h: the rows of the
 * JSON; a tree's nodes, depth first, with their depth; a nest's inner rows, each with its
 * outer key. */
json_t *kb_listing_table(const struct kb_analysis *a, const struct kb_listing_opts *o);

#endif
