/*
 * bisect.h - the first commit on the first-parent line from a good commit to a bad one at
 * which the kernel (or one subsystem of it) had grown by a threshold, found in about
 * log2(n) builds through the collector. A commit that does not build is skipped, as git
 * bisect skips it. Every build made is recorded, so a later bisect or blame over the same
 * range builds nothing again.
 *
 * The engine prints nothing: it tells its caller what it does through a callback, and
 * hands back where the culprit is (a range of the store, for blame's report).
 */
#ifndef KB_BISECT_H
#define KB_BISECT_H

#include "collect.h"

#include <stddef.h>
#include <stdint.h>

/* What the bisection does, as it does it. */
struct kb_bisect_step {
	enum {
		KB_BISECT_WARNING, /* what: a build's analysis warned (sha's) */
		KB_BISECT_BEGIN, /* the ends are measured: see the result's fields */
		KB_BISECT_SKIPPED, /* sha does not build */
		KB_BISECT_TESTED, /* sha grew by delta since the good end: bad or not */
	} kind;
	const char *sha, *what;
	int64_t delta;
	int bad;
};

struct kb_bisect_result;

struct kb_bisect_opts {
	const char *good, *bad; /* revisions of the collector's repository */
	const char *subsystem; /* the size of this subsystem, or NULL: the image's */
	int64_t min; /* the growth that makes a commit bad; -1: half the growth from good to bad */
	void (*progress)(void *arg, const struct kb_bisect_step *step,
			 const struct kb_bisect_result *r);
	void *arg;
};

struct kb_bisect_result {
	char good[41], bad[41]; /* the ends, resolved */
	size_t ncommits; /* after good, up to bad */
	int64_t base, top, min; /* the ends' sizes, and the threshold used */
	int nothing; /* bad is not min above good: nothing to find */
	int stopped; /* kb_collect_stop was set: the builds made so far are recorded */
	size_t builds, end_builds; /* builds made between the ends, and of the ends */
	long unbuildable; /* > 1: the culprit is one of this many commits that do not build */
	char first_bad[41]; /* the first bad commit (or the last of the unbuildable span) */
	char range[100]; /* "A..B": the store's range holding the culprit, for blame */
};

/*
 * Bisects with c's first config. Returns 0 with r filled (check r->nothing and r->stopped),
 * or KB_ERR: a revision, the range, an end that does not build, or a build or store error,
 * named by kb_error_last().
 */
int kb_bisect(struct kb_collector *c, const struct kb_bisect_opts *o, struct kb_bisect_result *r);

/*
 * Builds (or finds recorded) commit sha in c's first config and measures it: the image's
 * total, or subsystem's bytes (NULL: the image). *out says how the build went; *size is
 * meaningful when out->status is KB_OUT_OK.
 */
int kb_bisect_measure(struct kb_collector *c, const char *subsystem, const char *sha,
		      struct kb_outcome *out, int64_t *size);

#endif
