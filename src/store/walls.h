/*
 * walls.h - what the static site reads of the store besides the charts and its pages'
 * reports: the builds of a config with the largest growth (the wall of regressions) or the
 * largest shrinking (the wall of thanks), and the commits of its newest builds.
 *
 * Every function returns 0 or KB_ERR (the error, naming the database, in kb_error_last()).
 * What they hand back is plain C data the caller owns and frees with the function named
 * next to it; on error nothing is handed back.
 */
#ifndef KB_STORE_WALLS_H
#define KB_STORE_WALLS_H

#include "store.h"

#include <stddef.h>
#include <stdint.h>

enum kb_wall {
	KB_WALL_REGRESSIONS, /* the ok builds that grew, most first */
	KB_WALL_REDUCTIONS, /* the ok builds that shrank, most first */
};

/* A build on a wall: its change against its parent build, and its commit. */
struct kb_wall_row {
	int64_t build;
	int64_t delta;
	int64_t author_time;
	char *sha, *author, *subject;
};

/*
 * The builds of config_id on wall which, at most limit, ties by sha: a new array *out of *n
 * rows (NULL when none), freed with kb_wall_rows_free.
 */
int kb_store_wall(struct kb_store *s, int64_t config_id, enum kb_wall which, size_t limit,
		  struct kb_wall_row **out, size_t *n);
void kb_wall_rows_free(struct kb_wall_row *v, size_t n);

/*
 * The full shas of the commits of config_id's newest builds (any status; by committer time,
 * then the newest recorded), at most limit: a new array *out of *n strings, freed with
 * kb_store_names_free (query.h).
 */
int kb_store_newest_shas(struct kb_store *s, int64_t config_id, size_t limit, char ***out,
			 size_t *n);

/*
 * The builds of config_id that failed (status "failed"), newest commit first, at most limit:
 * rows as a wall's (delta 0), freed with kb_wall_rows_free.
 */
int kb_store_failed_builds(struct kb_store *s, int64_t config_id, size_t limit,
			   struct kb_wall_row **out, size_t *n);

/* What a config covers, for the site's index. */
struct kb_config_about {
	char *arch; /* kbuild's ARCH */
	char *spec; /* its base target and fragments ("tinyconfig + kvm_guest.config"), or "" */
	char **toolchains; /* "compiler; linker" of its builds, the newest build's first */
	size_t ntoolchains;
	int64_t ok, failed, skipped; /* its builds by status */
};

/* Reads config_id's about into *out (kb_config_about_release); nothing is kept on error. */
int kb_store_config_about(struct kb_store *s, int64_t config_id, struct kb_config_about *out);
void kb_config_about_release(struct kb_config_about *a);

#endif
