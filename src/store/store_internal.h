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

/* 0 when step (sqlite3_step's last code) is SQLITE_DONE: a loop of rows ended because there
 * were no more, not because reading failed; else kb_store_fail(s, what). */
int kb_store_done(struct kb_store *s, int step, const char *what);

/*
 * 0 when item id can index a dense array of the database's items: 0 <= id < the limit,
 * which is the largest item id + 1, read again when id is beyond it (another writer may
 * have added items). The items' ids must be dense, as SQLite numbers rows that are never
 * deleted: an id below 0, or beyond twice the items plus 1024, is refused (it would make a
 * reader allocate for items that do not exist). Else KB_ERR: "DB: <what> <row>: item id N
 * is out of range".
 */
int kb_store_item_ok(struct kb_store *s, int64_t id, const char *what, int64_t row);

/* 0 when z's sizes (a build's) add up to below 2^63, as measured sizes do: then any sum of
 * some of them, and the difference of two such sums of two builds, fits in an int64_t for
 * the reports. Else KB_ERR naming the database and build. */
int kb_sizes_bounded(struct kb_store *s, const struct kb_sizes *z, int64_t build);

/* z[item] = size, growing z, for an item of build (named in errors) that kb_store_item_ok
 * allows. 0 or KB_ERR. */
int kb_sizes_set(struct kb_store *s, struct kb_sizes *z, int64_t item, uint64_t size,
		 int64_t build);

/*
 * A snapshot build's full set of sizes as one blob (item_sets.c, schema/003-blobs.sql).
 * kb_set_encode writes z's sizes above 0 into blob (reset first). kb_set_decode adds the
 * blob's sizes to out; a damaged blob (a varint cut short, an id past the items, a size
 * beyond 2^63, bytes left over) is KB_ERR naming the database and build. kb_set_read steps
 * st ("SELECT sizes FROM item_sets WHERE build_id = ?1") for build, decodes and resets it.
 */
void kb_set_encode(const struct kb_sizes *z, struct strbuf *blob);
int kb_set_decode(struct kb_store *s, int64_t build, const void *blob, size_t len,
		  struct kb_sizes *out);
int kb_set_read(struct kb_store *s, sqlite3_stmt *st, int64_t build, struct kb_sizes *out);
/* 0 when every snapshot build's set can be read; else KB_ERR, the first one's error. */
int kb_sets_sound(struct kb_store *s);

/* Tables whose rows link to each other: builds (parent_build_id), commits (parent_sha). */
enum kb_links { KB_LINKS_BUILDS, KB_LINKS_COMMITS };
/* A walk that has followed steps links of table t: 0 while it may still be true, KB_ERR
 * once it has followed more links than the table has rows (the links loop). *rows starts
 * at -1 and caches the count; the error names the database, the table and row. */
int kb_store_walk_guard(struct kb_store *s, enum kb_links t, size_t steps, int64_t *rows,
			const char *row);

/*
 * Reads the rows of many builds with one statement instead of one lookup each: st's ?1 and
 * ?2 are bound here to the least and greatest of ids[0..n), its first column is a build id,
 * and each row whose id is in ids is handed to fn with every position of ids it has. With
 * need_all, a position no row reached is an error (s's "cannot read ..." with what); fn's
 * own KB_ERR stops the walk. st is reset, not finalized.
 */
int kb_store_each_build(struct kb_store *s, sqlite3_stmt *st, const int64_t *ids, size_t n,
			int need_all, const char *what,
			int (*fn)(void *arg, sqlite3_stmt *st, size_t pos), void *arg);

/*
 * The first index of v[0..n) (elements of size bytes, sorted by the int64_t at byte offset off
 * of each) whose key is not below key; n if none. The one binary search of the store's
 * in-memory arrays of builds (by id, by parent).
 */
size_t kb_lower_bound_i64(const void *v, size_t n, size_t size, size_t off, int64_t key);

/* A build's parent link, for walking a config's line in memory. */
struct kb_link {
	int64_t id, parent;
	int ok, has_child;
};

/*
 * The line of builds v[0..n) (sorted by id) that ends at build head (0: the newest ok build
 * no build names as its parent, kb_store_head_build's answer), as positions in v oldest
 * first into *pos (*npos of them, the caller frees).
 * Returns 0 (no line: *npos 0) or KB_ERR when the links loop or a read fails.
 */
int kb_links_line(struct kb_store *s, struct kb_link *v, size_t n, int64_t head, size_t **pos,
		  size_t *npos);

/* Columns i.. of st's row (total, padding, m_tristate, m_bool, m_core, m_rest, m_kallsyms) as
 * a series. */
struct kb_build_series;
void kb_series_columns(sqlite3_stmt *st, int i, struct kb_build_series *b);
/* Columns i..i+2 of st's row (build_outputs' boot_bytes, boot_payload, mod_total) into b. */
void kb_output_columns(sqlite3_stmt *st, int i, struct kb_build_series *b);

/*
 * Column i of st's row as a commit sha into *sha (SQLite's copy, as kb_column_text): 0 when
 * it is 40 lowercase hex digits, or SQL NULL with null_ok (*sha NULL then); else KB_ERR,
 * naming the database and the build the row is of. No other sha leaves the store.
 */
int kb_column_sha(struct kb_store *s, sqlite3_stmt *st, int i, int null_ok, int64_t build,
		  const char **sha);

/* With on, kb_store_record leaves its checkpoint to the end of the batch (merge records many
 * builds at once); turning it off checkpoints. */
void kb_store_batch(struct kb_store *s, int on);

/* Steps st, whose columns are the build's id, status, total, d_total, parent_build_id and
 * the parent build's commit sha, into b, and finalizes st: 0 (a row), 1 (none) or KB_ERR. */
int kb_store_read_brief(struct kb_store *s, sqlite3_stmt *st, struct kb_build_brief *b);

/* Appends " AND ..." conditions on items i, paths p and subsystems s for sc to sql, with
 * parameters numbered from first; kb_scope_bind binds them in the same order. */
void kb_scope_sql(const struct kb_scope *sc, struct strbuf *sql, int first);
void kb_scope_bind(const struct kb_scope *sc, sqlite3_stmt *st, int first);

#endif
