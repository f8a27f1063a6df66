/*
 * store_show.h - what the store keeps of one build beside its sizes: its commit, its parent
 * build's commit, both .configs, and how the build went. `kbloat show` is written from it.
 */
#ifndef KB_STORE_SHOW_H
#define KB_STORE_SHOW_H

#include "store.h"
#include "strtab.h"

#include <stdint.h>

struct kb_build_head {
	int64_t parent; /* the parent build's id; 0 without one */
	int64_t distance; /* commits back to it */
	const char *sha, *author, *subject;
	int64_t author_time;
	const char *parent_sha; /* NULL without a parent build */
	/* the .configs' set options, one "CONFIG_X=y" a line; NULL when not recorded */
	const char *options, *parent_options;
	const char *status; /* "ok", "failed", "skipped" */
	const char *log; /* the end of a failed build's log, or NULL */
	int reused; /* enum kb_reused: recorded without make, and why */
};

/*
 * Reads build's head into h; its strings are interned into strs, which the caller owns.
 * Returns 0, or KB_ERR ("DB: cannot read the build: ...").
 */
int kb_store_build_head(struct kb_store *s, int64_t build, struct kb_build_head *h,
			struct kb_strtab *strs);

/* How a build ran: when it was recorded, how long make and the analysis took. */
struct kb_build_run {
	int64_t recorded_at; /* seconds since the epoch */
	int has_seconds; /* build_seconds and analysis_seconds are recorded */
	double build_seconds, analysis_seconds;
	const char *log; /* the end of a failed build's log, or NULL; interned into strs */
};

/* Reads build's run into r (its log interned into strs, the caller's). 0, or KB_ERR. */
int kb_store_build_run(struct kb_store *s, int64_t build, struct kb_build_run *r,
		       struct kb_strtab *strs);

/*
 * What a build made besides vmlinux (schema 008: collect --boot-image, --modules) into o,
 * its boot image name interned into strs; o is all zero (no boot_name, no has_modules) for
 * a build that made neither. 0, or KB_ERR.
 */
int kb_store_build_outputs(struct kb_store *s, int64_t build, struct kb_build_outputs *o,
			   struct kb_strtab *strs);

#endif
