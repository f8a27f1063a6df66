/*
 * history.h - a config's size per commit along its first-parent line of builds, each with
 * its change against its parent build; whole, one class, or within a scope (subsystem, path,
 * symbol). `kbloat history` writes it; the site renders its subsystem pages from it.
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
#include "strtab.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

struct kb_history_row {
	int64_t build_id;
	const char *sha, *author, *subject; /* owned by the model */
	int64_t author_time;
	int64_t size; /* bytes within the scope */
	int64_t delta; /* against the row before; 0 for the first */
	int64_t commits; /* commits back to the row before; 0 for the first */
};

struct kb_history {
	struct kb_history_row *rows; /* oldest first */
	size_t n;
	struct kb_strtab strs;
};

/*
 * The ok builds of config_id along the first-parent line to its newest build, sized within
 * sc (NULL or an empty scope: the whole total). *out is set only on success; errors (KB_ERR)
 * are kept for kb_error_last().
 */
int kb_history_build(struct kb_history **out, struct kb_store *s, int64_t config_id,
		     const struct kb_scope *sc);
void kb_history_free(struct kb_history *m);

/* A table of commit, date, size, delta, author, subject; or a line saying there is none. */
void kb_history_write_text(FILE *f, const struct kb_history *m);
/* {"builds": [{"commit", "author", "subject", "size", "delta", "commits"}, ...]} */
json_t *kb_history_json(const struct kb_history *m);

#endif
