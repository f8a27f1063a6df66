/*
 * store_history.h - what the store answers about a line of builds (kb_build_line's ids,
 * oldest first): each build's size, whole or within a scope, and the commit it measured.
 * `kbloat history` and the site's pages are written from these.
 */
#ifndef KB_STORE_HISTORY_H
#define KB_STORE_HISTORY_H

#include "query.h"
#include "store.h"
#include "store_options.h"
#include "strtab.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The size of each build ids[0..n) into size[0..n): its total, or one class's bytes (sc->cls)
 * when sc is NULL or narrows by class only; else the bytes of the breakdown rows within sc.
 * A scoped size reads the first build's full sizes and then only each build's changes, so
 * ids must be a line of parent builds (kb_build_line). Returns 0 or KB_ERR.
 */
int kb_store_line_sizes(struct kb_store *s, const struct kb_scope *sc, const int64_t *ids, size_t n,
			int64_t *size);

/* The commit a build measured, and how far back its parent build is. */
struct kb_build_commit {
	const char *sha, *author, *subject;
	int64_t author_time;
	int64_t distance; /* commits back to its parent build; 0 without one */
	int reused; /* enum kb_reused: recorded without make, and why */
	struct kb_build_series ser; /* the build's total and series, as kb_store_line_series */
};

/*
 * The commits of builds ids[0..n) into out[0..n), with each build's series: one read of the
 * builds for all that a history of the whole image shows. The strings live in strs (the
 * authors interned), which the caller owns. Returns 0, or KB_ERR when a build cannot be read.
 */
int kb_store_build_commits(struct kb_store *s, const int64_t *ids, size_t n,
			   struct kb_build_commit *out, struct kb_strtab *strs);

/*
 * config_id's line of builds to its head (kb_build_line's ids, oldest first, into *ids) with
 * each one's commit and series (as kb_store_build_commits, into *out): one read of the
 * config's builds for both. *n builds (0: none ok); the caller frees *ids and *out, the
 * strings live in strs. Returns 0 or KB_ERR.
 */
int kb_store_line_commits(struct kb_store *s, int64_t config_id, int64_t **ids,
			  struct kb_build_commit **out, size_t *n, struct kb_strtab *strs);

#endif
