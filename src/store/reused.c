/*
 * reused.c - the mark of a build recorded without make; see reused.h.
 */
#include "reused.h"

#include "store_internal.h"
#include "error.h"

const char *kb_reused_text(int reused)
{
	switch (reused) {
	case KB_REUSED_INPUTS:
		return "not rebuilt: no input changed";
	case KB_REUSED_CONFIG:
		return "not rebuilt: .config unchanged";
	default:
		return NULL;
	}
}

int kb_store_mark_reused(struct kb_store *s, int64_t build, int reused)
{
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(s, &st, "UPDATE builds SET reused = ?2 WHERE id = ?1"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, build);
	sqlite3_bind_int(st, 2, reused);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : kb_store_fail(s, "cannot mark a build reused");
	sqlite3_finalize(st);
	return rc;
}
