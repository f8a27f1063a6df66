/*
 * trend.h - what the trend charts read of the store: a config's line of ok builds with each
 * build's sizes by class and its change against its parent build, and the full item sizes
 * of the builds of a line in turn, each read as its changes against the build before it
 * rather than rebuilt from a snapshot.
 */
#ifndef KB_STORE_TREND_H
#define KB_STORE_TREND_H

#include "image.h"
#include "store.h"
#include "store_options.h"

#include <stddef.h>
#include <stdint.h>

/* One ok build of a config's first-parent line. */
struct kb_line_build {
	int64_t id;
	char sha[41];
	char *author, *subject;
	/* the commit's times, seconds since the epoch: the charts' x axis is committer time */
	int64_t author_time, committer_time;
	int64_t total; /* the kernel proper */
	int64_t delta; /* total's change against the parent build, when has_parent */
	int has_parent;
	int64_t cls[KB_CLS_NR]; /* bytes per class */
	struct kb_build_series ser; /* code and data, the modular analysis's sums */
};

/*
 * The ok builds of config_id along its first-parent line (as kb_build_line), oldest first,
 * with their sizes by class and their series (store_options.h), into a new array *out of *n builds the caller frees with kb_line_builds_free. Nothing is
 * handed back on error.
 */
int kb_store_line_builds(struct kb_store *s, int64_t config_id, struct kb_line_build **out,
			 size_t *n);
void kb_line_builds_free(struct kb_line_build *v, size_t n);

/*
 * A walk over the full item sizes of builds: asked for a build whose parent build is the
 * one asked for before, it applies the build's changes to the sizes it holds; asked for any
 * other, it reads that build's sizes whole.
 */
struct kb_sizes_walk;

int kb_sizes_walk_new(struct kb_sizes_walk **out, struct kb_store *s);
/* The sizes of build into *z, which the walk owns and keeps until the next call. */
int kb_sizes_walk_next(struct kb_sizes_walk *w, int64_t build, const struct kb_sizes **z);
void kb_sizes_walk_free(struct kb_sizes_walk *w);

/* An item whose size a step of the walk changed: its size in the build before, and now. */
struct kb_size_change {
	size_t item;
	uint64_t old, new;
};

/*
 * What the last kb_sizes_walk_next changed: 0, with the items the build changed against the
 * build asked for before (each once: the store keeps one change per item and build), in
 * *v and *n until the next call; or 1, with none, when that step read its build whole (the
 * build's parent build was not the one asked for before).
 */
int kb_sizes_walk_changes(const struct kb_sizes_walk *w, const struct kb_size_change **v,
			  size_t *n);

#endif
