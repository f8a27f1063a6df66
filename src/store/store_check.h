/*
 * store_check.h - a database's integrity and consistency checks (`kbloat db check`): SQLite's
 * own integrity check; what every reader relies on, whatever the file's own schema declares
 * (kb_store_lint below); then, when all that holds, kbloat's sums: every ok build's stored sizes (its
 * snapshot plus the changes since) add up to its total, bloat-o-meter's entries to their
 * totals, and each class change equals its parent build's difference; and schema 002's:
 * padding within the total, the modular sums all set or all NULL and adding up to total -
 * padding, the candidate options' sizes to m_tristate and m_bool (the kept ones within
 * m_rest), d_core the parent build's m_core difference; and schema 009's: the relearnt
 * kallsyms term (m_kallsyms) NULL unless the modular sums are there, and no larger than the
 * build's code and data either way.
 */
#ifndef KB_STORE_CHECK_H
#define KB_STORE_CHECK_H

#include "store.h"

#include <stddef.h>

/* An ok build that was checked. */
struct kb_check_build {
	char sha[41];
	int sizes_read; /* 0: its stored sizes could not be read (a problem says why) */
};

struct kb_check {
	/* one line per problem, naming the thing and the problem: "DB: row 3 of builds names
	 * a missing row of commits", "build of 0123456789ab: stored sizes sum to ..." */
	char **problems;
	size_t nproblems;
	struct kb_check_build *builds; /* the ok builds, by id */
	size_t nbuilds;
	size_t problems_alloc, builds_alloc;
};

/*
 * Runs every check and fills out (from empty) with what it found; kb_check_release frees it. Returns
 * 0 when the checks ran, whatever they found; KB_ERR when the database could not be read.
 */
int kb_store_check(struct kb_store *s, struct kb_check *out);
/*
 * Only what every reader relies on (fast, no sums, no integrity scan): commit shas of 40
 * lowercase hex digits, item ids that are not negative and dense, no NULL names, kinds and
 * classes in range, no reference to a missing row, no loop in parent builds or first parents.
 * kb_store_check runs these too; kb_store_merge refuses an input that fails them.
 */
int kb_store_lint(struct kb_store *s, struct kb_check *out);
void kb_check_release(struct kb_check *c);

#endif
