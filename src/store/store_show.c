/*
 * store_show.c - one build's commit, parent and .configs; see store_show.h.
 */
#include "store_show.h"

#include "store_internal.h"
#include "error.h"

#include <string.h>

/* Text the header promises is never NULL: "" for SQL NULL (a database db check rejects). */
static const char *text_or_empty(sqlite3_stmt *st, int i, struct kb_strtab *strs)
{
	const char *t = kb_column_text(st, i, strs);

	return t ? t : "";
}

int kb_store_build_head(struct kb_store *s, int64_t build, struct kb_build_head *h,
			struct kb_strtab *strs)
{
	sqlite3_stmt *st;
	const char *sha; /* only to check the build's and its parent's shas */
	int rc;

	memset(h, 0, sizeof(*h));
	if (kb_store_prepare(
		    s, &st,
		    "SELECT b.parent_build_id, b.distance, c.sha, c.author_name, "
		    "c.subject, c.author_time, pc.sha, dc.options, pdc.options, b.status, b.log_tail, b.reused "
		    "FROM builds b JOIN commits c ON c.id = b.commit_id LEFT JOIN "
		    "builds pb ON pb.id = b.parent_build_id LEFT JOIN commits pc ON "
		    "pc.id = pb.commit_id LEFT JOIN dotconfigs dc ON dc.id = "
		    "b.dotconfig_id LEFT JOIN dotconfigs pdc ON pdc.id = "
		    "pb.dotconfig_id WHERE b.id = ?1"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, build);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW &&
	    (kb_column_sha(s, st, 2, 0, build, &sha) || kb_column_sha(s, st, 6, 1, build, &sha))) {
		sqlite3_finalize(st);
		memset(h, 0, sizeof(*h));
		return KB_ERR;
	}
	if (rc == SQLITE_ROW) {
		h->parent = sqlite3_column_int64(st, 0);
		h->distance = sqlite3_column_int64(st, 1);
		h->sha = kb_column_text(st, 2, strs);
		h->author = text_or_empty(st, 3, strs);
		h->subject = text_or_empty(st, 4, strs);
		h->author_time = sqlite3_column_int64(st, 5);
		h->parent_sha = kb_column_text(st, 6, strs);
		h->options = kb_column_text(st, 7, strs);
		h->parent_options = kb_column_text(st, 8, strs);
		h->status = text_or_empty(st, 9, strs);
		h->log = kb_column_text(st, 10, strs);
		h->reused = sqlite3_column_int(st, 11);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : kb_store_fail(s, "cannot read the build");
}

int kb_store_build_run(struct kb_store *s, int64_t build, struct kb_build_run *r,
		       struct kb_strtab *strs)
{
	sqlite3_stmt *st;
	int rc;

	memset(r, 0, sizeof(*r));
	if (kb_store_prepare(s, &st,
			     "SELECT recorded_at, build_seconds, analysis_seconds, log_tail FROM "
			     "builds WHERE id = ?1"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, build);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->recorded_at = sqlite3_column_int64(st, 0);
		r->has_seconds = sqlite3_column_type(st, 1) != SQLITE_NULL;
		r->build_seconds = sqlite3_column_double(st, 1);
		r->analysis_seconds = sqlite3_column_double(st, 2);
		r->log = kb_column_text(st, 3, strs);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : kb_store_fail(s, "cannot read the build");
}

int kb_store_build_outputs(struct kb_store *s, int64_t build, struct kb_build_outputs *o,
			   struct kb_strtab *strs)
{
	sqlite3_stmt *st;
	int rc, k;

	memset(o, 0, sizeof(*o));
	if (kb_store_prepare(s, &st,
			     "SELECT boot_name, boot_bytes, boot_payload, mod_count, mod_total, "
			     "mod_text, mod_rodata, mod_data, mod_bss, mod_init, mod_percpu, "
			     "mod_other FROM build_outputs WHERE build_id = ?1"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, build);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		o->boot_name = kb_column_text(st, 0, strs);
		o->boot_bytes = (uint64_t)sqlite3_column_int64(st, 1);
		o->has_boot_payload = sqlite3_column_type(st, 2) != SQLITE_NULL;
		o->boot_payload = (uint64_t)sqlite3_column_int64(st, 2);
		o->has_modules = sqlite3_column_type(st, 3) != SQLITE_NULL;
		o->mod_count = (uint64_t)sqlite3_column_int64(st, 3);
		o->mod_total = (uint64_t)sqlite3_column_int64(st, 4);
		for (k = 0; k < 7; k++)
			o->mod_cls[k] = (uint64_t)sqlite3_column_int64(st, 5 + k);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ?
		       0 :
		       kb_store_fail(s, "cannot read the build's outputs");
}
