/*
 * bisect.c - a size threshold bisected along the first-parent line; see bisect.h.
 */
#include "bisect.h"

#include "query.h"
#include "repo.h"
#include "store.h"
#include "error.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kb_bisect_measure(struct kb_collector *c, const char *subsystem, const char *sha,
		      struct kb_outcome *out, int64_t *size)
{
	struct kb_scope sc = { subsystem, NULL, NULL, -1 };
	struct kb_build_brief b;
	int rc;

	if (kb_collect_build(c, sha, 0, out))
		return KB_ERR;
	if (out->status != KB_OUT_OK || !subsystem) {
		*size = out->total;
		return 0;
	}
	rc = kb_store_build_brief(c->store, sha, c->cfgs[0].spec.name, c->kb.arch, &b);
	if (rc > 0)
		return kb_error_set("%.12s %s: the build just made is not in %s", sha,
				    c->cfgs[0].spec.name, kb_store_path(c->store));
	if (rc)
		return KB_ERR;
	return kb_store_scope_size(c->store, &sc, b.id, size);
}

static void tell(const struct kb_bisect_opts *o, const struct kb_bisect_result *r, int kind,
		 const char *sha, const char *what, int64_t delta, int bad)
{
	struct kb_bisect_step st = { kind, sha, what, delta, bad };

	if (o->progress)
		o->progress(o->arg, &st, r);
}

/* Measures sha, telling the caller of the analysis's warning. */
static int measure(struct kb_collector *c, const struct kb_bisect_opts *o,
		   const struct kb_bisect_result *r, const char *sha, struct kb_outcome *out,
		   int64_t *size)
{
	if (kb_bisect_measure(c, o->subsystem, sha, out, size))
		return KB_ERR;
	if (out->warning[0])
		tell(o, r, KB_BISECT_WARNING, sha, out->warning, 0, 0);
	return 0;
}

/* The ends: resolved, on one first-parent line, both building. */
static int measure_ends(struct kb_collector *c, const struct kb_bisect_opts *o,
			struct kb_bisect_result *r, char (*first)[41])
{
	struct kb_commit_info ci = { 0 };
	struct kb_outcome out;
	int rc = KB_ERR;

	if (kb_repo_commit_info(c->repo, *first, &ci))
		return KB_ERR;
	if (strcmp(ci.parent, r->good)) {
		kb_error_set("%s is not on the first-parent line of %s", o->good, o->bad);
		goto out;
	}
	if (measure(c, o, r, r->good, &out, &r->base))
		goto out;
	if (out.status != KB_OUT_OK) {
		kb_error_set("%s: the good end does not build (%s)", o->good, out.what);
		goto out;
	}
	if (measure(c, o, r, r->bad, &out, &r->top))
		goto out;
	if (out.status != KB_OUT_OK) {
		kb_error_set("%s: the bad end does not build (%s)", o->bad, out.what);
		goto out;
	}
	rc = 0;
out:
	kb_commit_info_release(&ci);
	return rc;
}

/* The index of the commit nearest the middle of (lo, hi) not known to fail, or -1. */
static long pick(const unsigned char *skip, long lo, long hi)
{
	long mid = lo + (hi - lo) / 2, k;

	for (k = 0; skip[mid]; k++) {
		long a = lo + (hi - lo) / 2 + (k + 1) / 2 * (k % 2 ? 1 : -1);

		if (a > lo && a < hi && !skip[a])
			mid = a;
		else if (k > 2 * (hi - lo))
			break;
	}
	return skip[mid] ? -1 : mid;
}

/* Narrows (lo, hi] of list to the first bad commit; lo -1 is the good end. */
static int narrow(struct kb_collector *c, const struct kb_bisect_opts *o,
		  struct kb_bisect_result *r, char (*list)[41], long *lo, long *hi)
{
	unsigned char *skip = xcalloc(r->ncommits, 1);
	struct kb_outcome out;
	int64_t size;
	long mid;

	while (*hi - *lo > 1 && !kb_collect_stop) {
		mid = pick(skip, *lo, *hi);
		if (mid < 0)
			break; /* every commit between lo and hi fails to build */
		if (measure(c, o, r, list[mid], &out, &size)) {
			free(skip);
			return KB_ERR;
		}
		if (out.status == KB_OUT_STOPPED)
			break;
		if (out.status != KB_OUT_OK) {
			skip[mid] = 1;
			tell(o, r, KB_BISECT_SKIPPED, list[mid], NULL, 0, 0);
			continue;
		}
		tell(o, r, KB_BISECT_TESTED, list[mid], NULL, size - r->base,
		     size - r->base >= r->min);
		if (size - r->base >= r->min)
			*hi = mid;
		else
			*lo = mid;
	}
	free(skip);
	return 0;
}

int kb_bisect(struct kb_collector *c, const struct kb_bisect_opts *o, struct kb_bisect_result *r)
{
	char range[100], (*list)[41] = NULL;
	size_t built0 = c->built, n = 0;
	long lo = -1, hi;
	int rc = KB_ERR;

	memset(r, 0, sizeof(*r));
	if (kb_repo_resolve(c->repo, o->good, r->good) || kb_repo_resolve(c->repo, o->bad, r->bad))
		return KB_ERR;
	snprintf(range, sizeof(range), "%s..%s", r->good, r->bad);
	if (kb_repo_range(c->repo, range, 1, &list, &n))
		return KB_ERR;
	r->ncommits = n;
	if (!n) {
		kb_error_set("%s..%s: no commits after the good one", o->good, o->bad);
		goto out;
	}
	if (measure_ends(c, o, r, &list[0]))
		goto out;
	r->end_builds = c->built - built0; /* the ends, when they were not recorded yet */
	built0 = c->built;
	r->min = o->min >= 0 ? o->min : (r->top - r->base) / 2 + 1;
	tell(o, r, KB_BISECT_BEGIN, NULL, NULL, r->top - r->base, 0);
	if (r->top - r->base < r->min) {
		r->nothing = 1;
		rc = 0;
		goto out;
	}
	hi = (long)n - 1;
	if (narrow(c, o, r, list, &lo, &hi))
		goto out;
	r->stopped = !!kb_collect_stop;
	r->builds = c->built - built0;
	r->unbuildable = hi - lo > 1 ? hi - lo : 0;
	memcpy(r->first_bad, list[hi], sizeof(r->first_bad));
	snprintf(r->range, sizeof(r->range), "%s..%s", lo < 0 ? r->good : list[lo], list[hi]);
	rc = 0;
out:
	free(list);
	return rc;
}
