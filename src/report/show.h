/*
 * show.h - one recorded build against its parent build: bloat-o-meter's view of the two (as
 * `kbloat diff` prints the two images, from the entries the store keeps), the change rolled
 * up by subsystem, and the config options that changed; or, for a build that failed, how it
 * went. `kbloat show` writes it; the site renders its commit pages from it in-process.
 *
 *	struct kb_show *m;
 *
 *	if (kb_show_build(&m, store, build_id))
 *		return kb_report_error();
 *	kb_show_write_text(stdout, m);
 *	kb_show_free(m);
 */
#ifndef KB_REPORT_SHOW_H
#define KB_REPORT_SHOW_H

#include "bloatometer.h"
#include "query.h"
#include "rollup.h"
#include "store.h"
#include "store_show.h"
#include "trend.h"
#include "strtab.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

/* An option set in one of the two .configs only. */
struct kb_show_option {
	char change; /* '-': only the parent build's, '+': only this build's */
	const char *option; /* "CONFIG_X=y" */
};

struct kb_show {
	struct kb_build_head head; /* commit, parent, status; strings in strs */
	int measured; /* an ok build: bom, subsystems and options are filled */
	/* bloat-o-meter's default view: functions, data and read-only data as one block;
	 * without a parent build, everything counts as added */
	struct kb_bom bom;
	struct kb_rollup subsystems; /* sorted, largest growth first */
	struct kb_rollup files; /* the same by source file ("[no file]": none) */
	struct kb_show_option *options; /* the parent's removals first, then the additions */
	size_t noptions;
	/* the boot image and the modules (collect --boot-image, --modules), this build's and
	 * its parent build's: zero where a build has none */
	struct kb_build_outputs outputs, parent_outputs;
	struct kb_strtab strs;
};

/* *out is set only on success; errors (KB_ERR) are kept for kb_error_last(). */
int kb_show_build(struct kb_show **out, struct kb_store *s, int64_t build_id);
/* The same with the items it (kb_items_load's) read once by a caller showing many builds. */
int kb_show_build_items(struct kb_show **out, struct kb_store *s, const struct kb_items *it,
			int64_t build_id);
void kb_show_free(struct kb_show *m);

/*
 * Shows of many ok builds in turn, as kb_show_build_items makes them: a build whose parent
 * build is the one shown before (a config's line of builds, oldest first) is read as its
 * changes against it, and its views are built from the rows and keys those changes touch
 * (a whole view of a 70,000-item build is sorted and summed for the few rows that changed);
 * any other build is read whole. A build that is not ok is shown as kb_show_build_items
 * shows it, and leaves the walk where it was.
 *
 *	if (kb_show_walk_new(&w, store, &items))
 *		...
 *	for (i = 0; i < n; i++) {
 *		if (kb_show_walk_next(w, line[i], &m))
 *			...
 *		kb_show_free(m);
 *	}
 *	kb_show_walk_free(w);
 */
struct kb_show_walk;

/* A walk over the items it (kb_items_load's, kept by the caller until the walk is freed). */
int kb_show_walk_new(struct kb_show_walk **out, struct kb_store *s, const struct kb_items *it);
/* The show of build_id into *out (set only on success), which the caller frees. */
int kb_show_walk_next(struct kb_show_walk *w, int64_t build_id, struct kb_show **out);
/*
 * The sizes of the ok build shown last (*z, the walk's until its next step) and, as
 * kb_sizes_walk_changes, what that step changed: 0 with the changes in *v and *n, 1 when
 * the step read the build whole.
 */
int kb_show_walk_changes(const struct kb_show_walk *w, const struct kb_sizes **z,
			 const struct kb_size_change **v, size_t *n);
void kb_show_walk_free(struct kb_show_walk *w);

/* As `kbloat show` prints it: the commit, then bloat-o-meter's text, the subsystems and the
 * options; or the failed build's status and the end of its log. */
void kb_show_write_text(FILE *f, const struct kb_show *m);
/* {"commit", "author", "subject", "parent", "commits", "bloat_o_meter", "subsystems",
 * "config_changes", "not_rebuilt"}, and "boot_image" and "modules" for a build that has
 * them; for a failed build {"commit", "subject", "status", "log"} */
json_t *kb_show_json(const struct kb_show *m);
/* Its tables as one for report/table.h: the symbols, the subsystems and the config changes,
 * in a column "table" (none for a build that was not measured). */
json_t *kb_show_table(const struct kb_show *m);

#endif
