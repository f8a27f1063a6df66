/*
 * store_internal.h - what the store's own files share: the SQLite handle and statement
 * helpers that keep the error text (naming the database) for the caller. No file outside
 * src/store includes this header or sqlite3.h: the store is the only code that speaks SQL.
 */
#ifndef KB_STORE_INTERNAL_H
#define KB_STORE_INTERNAL_H

#include "query.h"
#include "store.h"
#include "strbuf.h"

#include <sqlite3.h>

sqlite3 *kb_store_db(struct kb_store *s);
int kb_store_prepare(struct kb_store *s, sqlite3_stmt **st, const char *sql);
int kb_store_fail(struct kb_store *s, const char *what);

/*
 * The one way the store reads a text column: column i of st's current row, NULL when the
 * value is SQL NULL (never "" for NULL, never NULL for ""). With keep, the text is interned
 * into it and lives as long as the table; without, it is SQLite's own copy, valid only until
 * st steps, resets or is finalized.
 */
const char *kb_column_text(sqlite3_stmt *st, int i, struct kb_strtab *keep);
/* The same as a string of the caller's (xstrdup), with SQL NULL read as if_null (which may
 * itself be NULL): the NULL rule is said at each call. */
char *kb_column_strdup(sqlite3_stmt *st, int i, const char *if_null);

/* Steps st, whose columns are the build's id, status, total, d_total, parent_build_id and
 * the parent build's commit sha, into b, and finalizes st: 0 (a row), 1 (none) or KB_ERR. */
int kb_store_read_brief(struct kb_store *s, sqlite3_stmt *st, struct kb_build_brief *b);

/* Appends " AND ..." conditions on items i, paths p and subsystems s for sc to sql, with
 * parameters numbered from first; kb_scope_bind binds them in the same order. */
void kb_scope_sql(const struct kb_scope *sc, struct strbuf *sql, int first);
void kb_scope_bind(const struct kb_scope *sc, sqlite3_stmt *st, int first);

#endif
