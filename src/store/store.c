/*
 * store.c - the SQLite store; see store.h for its promises and schema/ for the tables.
 *
 * SQL is only ever built from constant text: every value is a bound parameter.
 */
#include "store_internal.h"
#include "reused.h"

#include "error.h"
#include "sha.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct kb_schema_file {
	const char *name;
	const char *sql;
};
extern const struct kb_schema_file kb_schema_files[];
extern const size_t kb_schema_nfiles;

/* How long a reader waits on a lock: never for a writer (WAL readers need none), only for
 * another connection's moment of WAL-index recovery. */
#define KB_STORE_READ_WAIT_MS 2000

/* A store is one connection used by one thread: SQLite need not lock it on every call (a
 * mutex around each sqlite3_column_*, 5% of `history`'s time at 100,000 builds). */
#define KB_STORE_NOMUTEX SQLITE_OPEN_NOMUTEX

/*
 * Ids of rows this process has seen committed: items and paths are never deleted or changed
 * (but a path's subsystem), so ids stay true across transactions and other writers. A rolled
 * back transaction may have made ids that no longer exist: the caches are dropped then.
 */
struct id_cache {
	struct kb_strtab keys;
	int64_t *ids;
	char **subsystems; /* paths: the subsystem last stored, or NULL */
	size_t alloc;
};

struct kb_store {
	sqlite3 *db;
	char *path;
	int readonly; /* kb_store_open_read: no transaction but one read snapshot */
	int created; /* this process made the file */
	size_t recorded; /* builds this connection recorded */
	int batch; /* kb_store_batch: no checkpoint after each build */
	/* item ids are in [0, item_limit) (0: not read yet); item_rows: count(items) last read */
	int64_t item_limit, item_rows;
	struct id_cache items, paths;
	/* the full sizes of the build recorded last: the next is usually its child */
	int64_t last_build;
	struct kb_sizes last_sizes;
	struct kb_sizes spare; /* the array of the build before that, zeroed for the next one */
	uint64_t epoch; /* counts the rollbacks: ids a kb_itemdict keeps from before are gone */
};

static void cache_clear(struct id_cache *c)
{
	size_t i;

	for (i = 0; c->subsystems && i < c->keys.nr; i++)
		free(c->subsystems[i]);
	kb_strtab_release(&c->keys);
	free(c->ids);
	free(c->subsystems);
	memset(c, 0, sizeof(*c));
}

/* The slot of key, made if new (its id then -1). */
static size_t cache_slot(struct id_cache *c, const char *key, size_t len)
{
	uint32_t k = kb_strtab_intern(&c->keys, key, len, NULL);

	if (k >= c->alloc) {
		size_t old = c->alloc;

		ALLOC_GROW(c->ids, (size_t)k + 1, c->alloc);
		c->subsystems = xreallocarray(c->subsystems, c->alloc, sizeof(*c->subsystems));
		memset(c->ids + old, 0xff, (c->alloc - old) * sizeof(*c->ids));
		memset(c->subsystems + old, 0, (c->alloc - old) * sizeof(*c->subsystems));
	}
	return k;
}

/* ---- item sets -------------------------------------------------------------------- */

static const char *set_str(struct kb_itemset *s, const char *str)
{
	const char *out;

	if (!str)
		return NULL;
	kb_strtab_intern(&s->strs, str, strlen(str), &out);
	return out;
}

void kb_itemset_add(struct kb_itemset *s, int kind, const char *name, const char *path,
		    const char *subsystem, int cls, uint64_t size)
{
	struct kb_item *it;

	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	it = &s->v[s->n++];
	it->kind = kind;
	it->name = set_str(s, name);
	it->path = set_str(s, path ? path : "");
	it->subsystem = set_str(s, subsystem);
	it->cls = cls;
	it->size = size;
}

void kb_itemset_release(struct kb_itemset *s)
{
	free(s->v);
	kb_strtab_release(&s->strs);
	memset(s, 0, sizeof(*s));
}

/*
 * The cache key of an item: "kind class path-id" then its name, without printf (this runs
 * for every item of every build) and without NUL bytes (the table compares strings).
 */
static void item_key(struct strbuf *key, int kind, int cls, int64_t path_id, const char *name)
{
	char head[32], *p = head + sizeof(head);
	uint64_t v = (uint64_t)path_id;

	*--p = '\x1f';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	*--p = (char)('a' + (cls & 15));
	*--p = (char)('a' + (kind & 15));
	strbuf_reset(key);
	strbuf_add(key, p, (size_t)(head + sizeof(head) - p));
	strbuf_addstr(key, name);
}

/* ---- plumbing ------------------------------------------------------------------------ */

int kb_store_fail(struct kb_store *s, const char *what)
{
	return kb_error_set("%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

int kb_store_prepare(struct kb_store *s, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return kb_store_fail(s, "cannot prepare a query");
	return 0;
}

const char *kb_column_text(sqlite3_stmt *st, int i, struct kb_strtab *keep)
{
	const char *v = (const char *)sqlite3_column_text(st, i), *out;

	if (!v || !keep)
		return v;
	kb_strtab_intern(keep, v, strlen(v), &out);
	return out;
}

char *kb_column_strdup(sqlite3_stmt *st, int i, const char *if_null)
{
	const char *v = kb_column_text(st, i, NULL);

	if (!v)
		v = if_null;
	return v ? xstrdup(v) : NULL;
}

static int exec(struct kb_store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		kb_error_set("%s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return KB_ERR;
	}
	return 0;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Runs st to completion (it must return no rows) and resets it. */
static int run(struct kb_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return kb_store_fail(s, what);
	return 0;
}

/* Steps st once and returns column 0 as an integer in *v: 1 found, 0 no row, <0 error. */
static int one_int(struct kb_store *s, sqlite3_stmt *st, int64_t *v, const char *what)
{
	int rc = sqlite3_step(st), found = 0;

	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return kb_store_fail(s, what);
	}
	sqlite3_reset(st);
	return found;
}

int kb_store_done(struct kb_store *s, int step, const char *what)
{
	return step == SQLITE_DONE ? 0 : kb_store_fail(s, what);
}

int kb_column_sha(struct kb_store *s, sqlite3_stmt *st, int i, int null_ok, int64_t build,
		  const char **sha)
{
	/* the type first: after sqlite3_column_text converted a value, SQLite leaves
	 * sqlite3_column_type undefined (a BLOB of 40 hex digits would pass as a sha) */
	int type = sqlite3_column_type(st, i);

	*sha = kb_column_text(st, i, NULL);
	if (!*sha && null_ok)
		return 0;
	/* 40 bytes before the NUL SQLite ends a text with: a NUL within is no hex digit */
	if (type == SQLITE_TEXT && *sha && sqlite3_column_bytes(st, i) == 40 && kb_is_hex40(*sha))
		return 0;
	*sha = NULL;
	return kb_error_set("%s: build %lld: a commit sha that is not 40 lowercase hex digits "
			    "(kbloat db check names the commit)",
			    s->path, (long long)build);
}

/* Reads the items' id range: min, max and (when max is far from the last count) count. */
static int item_range(struct kb_store *s)
{
	sqlite3_stmt *st;
	int64_t lo, hi;
	int step;

	if (kb_store_prepare(s, &st, "SELECT min(id), max(id) FROM items"))
		return KB_ERR;
	step = sqlite3_step(st);
	lo = sqlite3_column_int64(st, 0);
	hi = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	if (step != SQLITE_ROW)
		return kb_store_fail(s, "cannot read the items' ids");
	if (lo < 0)
		return kb_error_set("%s: items row %lld: a negative id", s->path, (long long)lo);
	if (hi >= 1024 + 2 * s->item_rows) {
		if (kb_store_prepare(s, &st, "SELECT count(*) FROM items"))
			return KB_ERR;
		step = sqlite3_step(st);
		s->item_rows = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (step != SQLITE_ROW)
			return kb_store_fail(s, "cannot count the items");
		if (hi >= 1024 + 2 * s->item_rows)
			return kb_error_set("%s: items row %lld: an id far beyond the %lld items "
					    "(kbloat numbers them 1..N)",
					    s->path, (long long)hi, (long long)s->item_rows);
	}
	s->item_limit = hi + 1;
	return 0;
}

int kb_store_item_ok(struct kb_store *s, int64_t id, const char *what, int64_t row)
{
	if (id >= 0 && id < s->item_limit)
		return 0;
	if (id >= 0 && item_range(s))
		return KB_ERR;
	if (id >= 0 && id < s->item_limit)
		return 0;
	return kb_error_set("%s: %s %lld: item id %lld is out of range (no such item)", s->path,
			    what, (long long)row, (long long)id);
}

int kb_store_walk_guard(struct kb_store *s, enum kb_links t, size_t steps, int64_t *rows,
			const char *row)
{
	static const char *const count[] = {
		[KB_LINKS_BUILDS] = "SELECT count(*) FROM builds",
		[KB_LINKS_COMMITS] = "SELECT count(*) FROM commits",
	};
	static const char *const links[] = {
		[KB_LINKS_BUILDS] = "builds.parent_build_id",
		[KB_LINKS_COMMITS] = "commits.parent_sha",
	};
	sqlite3_stmt *st;

	/* a true walk is short next to the table: count it only once the walk is long */
	if (steps < 4096 || (*rows >= 0 && (int64_t)steps <= *rows))
		return 0;
	if (*rows < 0) {
		if (kb_store_prepare(s, &st, count[t]))
			return KB_ERR;
		if (one_int(s, st, rows, "cannot count rows") != 1)
			*rows = 0;
		sqlite3_finalize(st);
		if ((int64_t)steps <= *rows)
			return 0;
	}
	return kb_error_set("%s: %s loops: from %s it has more links than the table has rows",
			    s->path, links[t], row);
}

/* ---- open and migrate ---------------------------------------------------------------- */

static int user_version(struct kb_store *s, int64_t *v)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) {
		if ((sqlite3_errcode(s->db) & 0xff) == SQLITE_NOTADB)
			return kb_error_set("%s: not a database", s->path);
		return kb_store_fail(s, "cannot read the schema version");
	}
	rc = one_int(s, st, v, "cannot read the schema version");
	sqlite3_finalize(st);
	return rc < 0 ? rc : 0;
}

/*
 * PRAGMA user_version says which schema files a database has. Below KB_SCHEMA_SET it is the
 * number of the last file applied, every file numbered up to it applied too (as kbloat wrote
 * it before schema 004). With KB_SCHEMA_SET it holds a bit per applied file by the number
 * its name starts with (bit n-1 for NNN-*.sql), so that migrations written side by side
 * (003 and 004 on two branches) apply in whichever order they land: a database made with
 * 004 and not 003 gets 003 once a kbloat has it.
 */
#define KB_SCHEMA_SET (INT64_C(1) << 30)

static unsigned schema_number(size_t i)
{
	return (unsigned)strtoul(kb_schema_files[i].name, NULL, 10);
}

static int schema_applied(int64_t v, unsigned number)
{
	if (v & KB_SCHEMA_SET)
		return number >= 1 && number <= 30 && (v >> (number - 1)) & 1;
	return number <= v;
}

/* How many of our files v has applied, and whether it has one we do not know. */
static size_t schema_count(int64_t v, int *unknown)
{
	int64_t known = 0;
	unsigned top = 0;
	size_t i, n = 0;

	for (i = 0; i < kb_schema_nfiles; i++) {
		unsigned k = schema_number(i);

		if (k > top)
			top = k;
		if (schema_applied(v, k)) {
			n++;
			if (k >= 1 && k <= 30)
				known |= INT64_C(1) << (k - 1);
		}
	}
	if (v & KB_SCHEMA_SET)
		*unknown = v < 0 || ((v & ~KB_SCHEMA_SET) & ~known) != 0;
	else
		*unknown = v < 0 || v > (int64_t)top;
	return n;
}

/* The schema version *v, refused when newer than ours or when a version 0 file has tables
 * of its own (not ours to migrate). */
static int schema_version(struct kb_store *s, int64_t *v)
{
	int64_t tables = 0;
	sqlite3_stmt *st;
	int rc, unknown;
	size_t n;

	*v = 0;
	if (user_version(s, v))
		return KB_ERR;
	n = schema_count(*v, &unknown);
	if (unknown)
		return kb_error_set(
			"%s: schema version %lld is newer than this kbloat's %zu; use a "
			"newer kbloat",
			s->path, (long long)(*v & KB_SCHEMA_SET ? (int64_t)n + 1 : *v),
			kb_schema_nfiles);
	if (*v)
		return 0;
	if (kb_store_prepare(s, &st, "SELECT count(*) FROM sqlite_master"))
		return KB_ERR;
	rc = one_int(s, st, &tables, "cannot list tables");
	sqlite3_finalize(st);
	if (rc < 0)
		return KB_ERR;
	if (tables)
		return kb_error_set("%s: not a kbloat database (it has tables of its own)",
				    s->path);
	return 0;
}

/* Writes build's full set z as its item_sets row. */
static int put_set(struct kb_store *s, sqlite3_stmt *ins, int64_t build, const struct kb_sizes *z,
		   struct strbuf *blob)
{
	kb_set_encode(z, blob);
	if (blob->len > INT32_MAX)
		return kb_error_set("%s: build %lld: too many items for one set", s->path,
				    (long long)build);
	sqlite3_bind_int64(ins, 1, build);
	sqlite3_bind_blob(ins, 2, blob->buf, (int)blob->len, SQLITE_STATIC);
	return run(s, ins, "cannot store a set of sizes");
}

/*
 * The second half of schema/003-blobs.sql, which SQL cannot say: each build's item_snapshot
 * rows become its item_sets blob (a snapshot build without rows, an empty set), and
 * item_snapshot goes. Sizes are carried as they are; an item id that no reader would take
 * stops the migration, and the database stays at schema 2.
 */
static int migrate_sets(struct kb_store *s)
{
	sqlite3_stmt *rows = NULL, *ins = NULL, *empty = NULL;
	struct strbuf blob = STRBUF_INIT;
	struct kb_sizes z = { 0 };
	int64_t build = 0;
	int have = 0, step, rc = KB_ERR;

	if (kb_store_prepare(s, &rows,
			     "SELECT build_id, item_id, size FROM item_snapshot ORDER BY build_id, "
			     "item_id") ||
	    kb_store_prepare(s, &ins, "INSERT INTO item_sets (build_id, sizes) VALUES (?1, ?2)") ||
	    kb_store_prepare(s, &empty,
			     "INSERT OR IGNORE INTO item_sets (build_id, sizes) SELECT id, ?1 "
			     "FROM builds WHERE snapshot = 1"))
		goto out;
	while ((step = sqlite3_step(rows)) == SQLITE_ROW) {
		int64_t b = sqlite3_column_int64(rows, 0);

		if (have && b != build) {
			if (put_set(s, ins, build, &z, &blob))
				goto out;
			if (z.n)
				memset(z.v, 0, z.n * sizeof(*z.v));
		}
		build = b;
		have = 1;
		if (kb_sizes_set(s, &z, sqlite3_column_int64(rows, 1),
				 (uint64_t)sqlite3_column_int64(rows, 2), b))
			goto out;
	}
	if (kb_store_done(s, step, "cannot read the snapshots") ||
	    (have && put_set(s, ins, build, &z, &blob)))
		goto out;
	kb_sizes_release(&z);
	kb_set_encode(&z, &blob);
	sqlite3_bind_blob(empty, 1, blob.buf, (int)blob.len, SQLITE_STATIC);
	if (run(s, empty, "cannot store the empty sets"))
		goto out;
	sqlite3_finalize(rows); /* a table cannot be dropped under a statement reading it */
	rows = NULL;
	rc = exec(s, "DROP TABLE item_snapshot");
out:
	sqlite3_finalize(rows);
	sqlite3_finalize(ins);
	sqlite3_finalize(empty);
	kb_sizes_release(&z);
	strbuf_release(&blob);
	return rc;
}

static size_t applied_count(int64_t v)
{
	int unknown;

	return schema_count(v, &unknown);
}

static int migrate(struct kb_store *s)
{
	int64_t v = 0, set = KB_SCHEMA_SET;
	int compact = 0;
	size_t i;

	if (exec(s, "BEGIN IMMEDIATE"))
		return KB_ERR;
	if (schema_version(s, &v))
		goto fail;
	for (i = 0; i < kb_schema_nfiles; i++) {
		unsigned k = schema_number(i);

		if (k < 1 || k > 30) {
			kb_error_set("schema file %s: not numbered 001 to 030",
				     kb_schema_files[i].name);
			goto fail;
		}
		if (!schema_applied(v, k)) {
			if (exec(s, kb_schema_files[i].sql))
				goto fail;
			if (!strcmp(kb_schema_files[i].name, "003-blobs.sql")) {
				if (migrate_sets(s))
					goto fail;
				/* item_snapshot's rows went: a database that had them is
				 * mostly free pages now */
				compact = v != 0;
			}
		}
		set |= INT64_C(1) << (k - 1);
	}
	if (set != v) {
		char pragma[64];

		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %lld", (long long)set);
		if (exec(s, pragma))
			goto fail;
	}
	if (exec(s, "COMMIT"))
		return KB_ERR;
	/* the file shrinks to what it holds (a 10,000-build store of schema 002: 180 MB to
	 * 41 MB); VACUUM rewrites it in one transaction of its own, all or nothing */
	return compact ? exec(s, "VACUUM") : 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return KB_ERR;
}

/*
 * A database may come from anyone (a CI artifact, a shard): its schema runs no code of its
 * own in our connection (no triggers, no views, no functions from the schema) and it cannot
 * be made to corrupt itself through us.
 */
static void distrust_schema(struct kb_store *s)
{
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
}

/* What path must be to be opened: missing only when create is set, a regular file, and (to
 * be read) not empty. With create, a file made here is remembered as s->created. */
static int check_file(struct kb_store *s, int create, int read)
{
	struct stat sb;

	if (create) {
		int fd = open(s->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

		if (fd >= 0) {
			s->created = 1;
			close(fd);
			return 0;
		}
		if (errno != EEXIST)
			return kb_error_set("%s: cannot create: %s", s->path, strerror(errno));
	}
	if (stat(s->path, &sb)) {
		if (errno == ENOENT)
			return kb_error_set("%s: no such database", s->path);
		return kb_error_set("%s: %s", s->path, strerror(errno));
	}
	if (!S_ISREG(sb.st_mode))
		return kb_error_set("%s: not a regular file, not a database", s->path);
	if (read && !sb.st_size)
		return kb_error_set("%s: an empty file, not a kbloat database", s->path);
	return 0;
}

int kb_store_open(struct kb_store **out, const char *path, int create)
{
	struct kb_store *s = xcalloc(1, sizeof(*s));

	*out = NULL;
	s->path = xstrdup(path);
	if (check_file(s, create, 0))
		goto fail;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | KB_STORE_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		kb_store_fail(s, "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 120000);
	distrust_schema(s);
	/* migrations run with foreign keys off: 002 rebuilds a table others refer to */
	if (migrate(s) || exec(s, "PRAGMA foreign_keys = ON") ||
	    exec(s, "PRAGMA journal_mode = WAL") || exec(s, "PRAGMA synchronous = NORMAL"))
		goto fail;
	*out = s;
	return 0;
fail:
	kb_store_close(s);
	return KB_ERR;
}

/* path as an SQLite URI that opens it immutable (every byte but the unreserved escaped). */
static void immutable_uri(struct strbuf *uri, const char *path)
{
	const unsigned char *p;

	strbuf_addstr(uri, "file:");
	for (p = (const unsigned char *)path; *p; p++) {
		if (strchr("-_.~/", *p) || (*p >= '0' && *p <= '9') ||
		    ((*p | 32) >= 'a' && (*p | 32) <= 'z'))
			strbuf_addch(uri, (char)*p);
		else
			strbuf_addf(uri, "%%%02X", *p);
	}
	strbuf_addstr(uri, "?immutable=1");
}

/* Opens s->path read-only in one read transaction and reads its schema version into *v. */
static int open_snapshot(struct kb_store *s, int immutable, int64_t *v)
{
	struct strbuf uri = STRBUF_INIT;
	int rc;

	if (immutable)
		immutable_uri(&uri, s->path);
	rc = sqlite3_open_v2(
		immutable ? uri.buf : s->path, &s->db,
		SQLITE_OPEN_READONLY | KB_STORE_NOMUTEX | (immutable ? SQLITE_OPEN_URI : 0), NULL);
	strbuf_release(&uri);
	if (rc != SQLITE_OK)
		return kb_store_fail(s, "cannot open");
	/* a WAL reader waits for no writer; only for a moment's recovery of the WAL index */
	sqlite3_busy_timeout(s->db, KB_STORE_READ_WAIT_MS);
	distrust_schema(s);
	/* one snapshot for the whole command: every query sees the same database */
	if (exec(s, "BEGIN") || schema_version(s, v))
		return KB_ERR;
	return 0;
}

/* 1 when a reader could not make the WAL index (DB-shm) of a WAL database beside it (a
 * read-only directory or mount) and there is no DB-wal: the file alone is the database. */
static int wal_index_unmakeable(struct kb_store *s)
{
	int code = sqlite3_extended_errcode(s->db);
	struct strbuf wal = STRBUF_INIT;
	struct stat sb;
	int none;

	if ((code & 0xff) != SQLITE_READONLY && (code & 0xff) != SQLITE_CANTOPEN)
		return 0;
	strbuf_addf(&wal, "%s-wal", s->path);
	none = stat(wal.buf, &sb) && errno == ENOENT;
	strbuf_release(&wal);
	return none;
}

int kb_store_open_read(struct kb_store **out, const char *path)
{
	struct kb_store *s = xcalloc(1, sizeof(*s));
	int64_t v;

	*out = NULL;
	s->path = xstrdup(path);
	s->readonly = 1;
	if (check_file(s, 0, 1))
		goto fail;
	if (open_snapshot(s, 0, &v)) {
		if (!s->db || !wal_index_unmakeable(s))
			goto fail;
		/* nothing but the file to read, and nowhere to write: read it as it is */
		sqlite3_close_v2(s->db);
		s->db = NULL;
		if (open_snapshot(s, 1, &v))
			goto fail;
	}
	if (!v) {
		kb_error_set("%s: not a kbloat database (no schema)", path);
		goto fail;
	}
	if (applied_count(v) < kb_schema_nfiles) {
		kb_error_set("%s: schema version %zu is older than this kbloat's %zu; a command "
			     "that writes (record, collect, or merge into it) upgrades it",
			     path, applied_count(v), kb_schema_nfiles);
		goto fail;
	}
	*out = s;
	return 0;
fail:
	kb_store_close(s);
	return KB_ERR;
}

/* 1 when the database holds no commit and no build: nothing was ever recorded in it. */
static int store_empty(struct kb_store *s)
{
	sqlite3_stmt *st;
	int64_t any = 1;

	/* no such table: the schema was never made, so nothing was recorded either */
	if (sqlite3_prepare_v2(s->db,
			       "SELECT EXISTS (SELECT 1 FROM builds) OR EXISTS (SELECT 1 FROM "
			       "commits)",
			       -1, &st, NULL) != SQLITE_OK)
		return 1;
	if (one_int(s, st, &any, "cannot count builds") != 1)
		any = 1;
	sqlite3_finalize(st);
	return !any;
}

/* A database this process made and recorded nothing in goes, with its WAL files: a first
 * run that failed leaves nothing behind. Under the write lock, taken without waiting: a
 * database another process is writing into stays. */
static void discard_new(struct kb_store *s)
{
	static const char *const ext[] = { "", "-wal", "-shm" };
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	sqlite3_busy_timeout(s->db, 0);
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return;
	if (store_empty(s)) {
		for (i = 0; i < 3; i++) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s%s", s->path, ext[i]);
			unlink(sb.buf);
		}
	}
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	strbuf_release(&sb);
}

void kb_store_close(struct kb_store *s)
{
	if (!s)
		return;
	if (s->created && !s->recorded && s->db)
		discard_new(s);
	else if (s->created && !s->db)
		unlink(s->path);
	sqlite3_close_v2(s->db);
	cache_clear(&s->items);
	cache_clear(&s->paths);
	kb_sizes_release(&s->last_sizes);
	kb_sizes_release(&s->spare);
	free(s->path);
	free(s);
}

sqlite3 *kb_store_db(struct kb_store *s)
{
	return s->db;
}

const char *kb_store_path(const struct kb_store *s)
{
	return s->path;
}

/* ---- interning ----------------------------------------------------------------------- */

/* Returns the id of the row that INSERT OR IGNORE ins and SELECT sel (same bindings) name. */
static int intern_row(struct kb_store *s, sqlite3_stmt *ins, sqlite3_stmt *sel, int64_t *id,
		      const char *what)
{
	int rc;

	/* most rows exist already: look first, insert only what is new */
	*id = 0;
	rc = one_int(s, sel, id, what);
	if (rc)
		return rc < 0 ? KB_ERR : 0;
	if (run(s, ins, what))
		return KB_ERR;
	rc = one_int(s, sel, id, what);
	if (rc < 0)
		return KB_ERR;
	if (!rc)
		return kb_error_set("%s: %s: the row vanished", s->path, what);
	return 0;
}

static int commit_id_of(struct kb_store *s, const char *sha, int64_t *id)
{
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(s, &st, "SELECT id FROM commits WHERE sha = ?1"))
		return KB_ERR;
	bind_text(st, 1, sha);
	rc = one_int(s, st, id, "cannot find a commit");
	sqlite3_finalize(st);
	if (rc == 0)
		return kb_error_set("%s: commit %s vanished", s->path, sha);
	return rc < 0 ? rc : 0;
}

static int put_commit(struct kb_store *s, sqlite3_stmt *st, const struct kb_store_commit *c)
{
	bind_text(st, 1, c->sha);
	bind_text(st, 2, c->parent && *c->parent ? c->parent : NULL);
	bind_text(st, 3, c->author_name ? c->author_name : "");
	bind_text(st, 4, c->author_email ? c->author_email : "");
	sqlite3_bind_int64(st, 5, c->author_time);
	sqlite3_bind_int64(st, 6, c->committer_time);
	bind_text(st, 7, c->subject ? c->subject : "");
	return run(s, st, "cannot store a commit");
}

static int put_commits(struct kb_store *s, const struct kb_build_rec *rec)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (kb_store_prepare(s, &st,
			     "INSERT OR IGNORE INTO commits (sha, parent_sha, author_name, "
			     "author_email, author_time, committer_time, subject) "
			     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"))
		return KB_ERR;
	rc = put_commit(s, st, rec->commit);
	for (i = 0; !rc && i < rec->nchain; i++)
		rc = put_commit(s, st, &rec->chain[i]);
	sqlite3_finalize(st);
	return rc;
}

/*
 * Fills the caches with every path and item the database has, in two queries: a process that
 * records one build (kbloat record in CI) would otherwise look each of ~80,000 items up alone.
 */
static int preload_caches(struct kb_store *s)
{
	struct strbuf key = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(s, &st,
			     "SELECT p.id, p.path, sub.name FROM paths p LEFT JOIN "
			     "subsystems sub ON sub.id = p.subsystem_id"))
		return KB_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 1);
		const char *sub = (const char *)sqlite3_column_text(st, 2);
		size_t k;

		if (!path) {
			kb_error_set("%s: paths row %lld: a NULL path", s->path,
				     (long long)sqlite3_column_int64(st, 0));
			sqlite3_finalize(st);
			return KB_ERR;
		}
		k = cache_slot(&s->paths, path, strlen(path));

		s->paths.ids[k] = sqlite3_column_int64(st, 0);
		free(s->paths.subsystems[k]);
		s->paths.subsystems[k] = sub ? xstrdup(sub) : NULL;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kb_store_fail(s, "cannot read paths");
	if (kb_store_prepare(s, &st, "SELECT id, kind, class, path_id, name FROM items"))
		return KB_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 4);
		size_t k;

		if (!name)
			break;
		item_key(&key, sqlite3_column_int(st, 1), sqlite3_column_int(st, 2),
			 sqlite3_column_int64(st, 3), name);
		k = cache_slot(&s->items, key.buf, key.len);
		s->items.ids[k] = sqlite3_column_int64(st, 0);
	}
	if (rc == SQLITE_ROW)
		kb_error_set("%s: items row %lld: a NULL name", s->path,
			     (long long)sqlite3_column_int64(st, 0));
	else if (rc != SQLITE_DONE)
		kb_store_fail(s, "cannot read items");
	sqlite3_finalize(st);
	strbuf_release(&key);
	return rc == SQLITE_DONE ? 0 : KB_ERR;
}

/* The statements that intern an item, its path and its subsystem, prepared once a record. */
struct interner {
	sqlite3_stmt *ins_sub, *sel_sub, *ins_path, *sel_path, *set_sub, *ins_item, *sel_item;
	struct strbuf key;
};

static void interner_end(struct interner *t)
{
	sqlite3_finalize(t->ins_sub);
	sqlite3_finalize(t->sel_sub);
	sqlite3_finalize(t->ins_path);
	sqlite3_finalize(t->sel_path);
	sqlite3_finalize(t->set_sub);
	sqlite3_finalize(t->ins_item);
	sqlite3_finalize(t->sel_item);
	strbuf_release(&t->key);
}

static int interner_begin(struct kb_store *s, struct interner *t)
{
	memset(t, 0, sizeof(*t));
	strbuf_init(&t->key, 0);
	if (!s->items.keys.nr && !s->paths.keys.nr && preload_caches(s))
		return KB_ERR;
	if (kb_store_prepare(s, &t->ins_sub,
			     "INSERT OR IGNORE INTO subsystems (name) VALUES (?1)") ||
	    kb_store_prepare(s, &t->sel_sub, "SELECT id FROM subsystems WHERE name = ?1") ||
	    kb_store_prepare(s, &t->ins_path, "INSERT OR IGNORE INTO paths (path) VALUES (?1)") ||
	    kb_store_prepare(s, &t->sel_path, "SELECT id FROM paths WHERE path = ?1") ||
	    kb_store_prepare(s, &t->set_sub,
			     "UPDATE paths SET subsystem_id = ?2 WHERE id = ?1 AND "
			     "subsystem_id IS NOT ?2") ||
	    kb_store_prepare(s, &t->ins_item,
			     "INSERT OR IGNORE INTO items (kind, name, path_id, "
			     "class) VALUES (?1, ?2, ?3, ?4)") ||
	    kb_store_prepare(s, &t->sel_item,
			     "SELECT id FROM items WHERE kind = ?1 AND name = ?2 "
			     "AND path_id = ?3 AND class = ?4")) {
		interner_end(t);
		return KB_ERR;
	}
	return 0;
}

/* The id of item it, interning its path and subsystem on the way. */
static int intern_item(struct kb_store *s, struct interner *t, const struct kb_item *it,
		       int64_t *id)
{
	const char *path = it->path ? it->path : "";
	size_t p = cache_slot(&s->paths, path, strlen(path)), k;
	int64_t pid, sid = 0;

	if (s->paths.ids[p] < 0) {
		bind_text(t->ins_path, 1, path);
		bind_text(t->sel_path, 1, path);
		if (intern_row(s, t->ins_path, t->sel_path, &pid, "paths"))
			return KB_ERR;
		s->paths.ids[p] = pid;
	}
	pid = s->paths.ids[p];
	/* a path's subsystem follows the latest MAINTAINERS that named it */
	if (it->subsystem &&
	    (!s->paths.subsystems[p] || strcmp(s->paths.subsystems[p], it->subsystem))) {
		bind_text(t->ins_sub, 1, it->subsystem);
		bind_text(t->sel_sub, 1, it->subsystem);
		if (intern_row(s, t->ins_sub, t->sel_sub, &sid, "subsystems"))
			return KB_ERR;
		sqlite3_bind_int64(t->set_sub, 1, pid);
		sqlite3_bind_int64(t->set_sub, 2, sid);
		if (run(s, t->set_sub, "cannot set a subsystem"))
			return KB_ERR;
		free(s->paths.subsystems[p]);
		s->paths.subsystems[p] = xstrdup(it->subsystem);
	}
	item_key(&t->key, it->kind, it->cls, pid, it->name);
	k = cache_slot(&s->items, t->key.buf, t->key.len);
	if (s->items.ids[k] < 0) {
		sqlite3_bind_int(t->ins_item, 1, it->kind);
		bind_text(t->ins_item, 2, it->name);
		sqlite3_bind_int64(t->ins_item, 3, pid);
		sqlite3_bind_int(t->ins_item, 4, it->cls);
		sqlite3_bind_int(t->sel_item, 1, it->kind);
		bind_text(t->sel_item, 2, it->name);
		sqlite3_bind_int64(t->sel_item, 3, pid);
		sqlite3_bind_int(t->sel_item, 4, it->cls);
		if (intern_row(s, t->ins_item, t->sel_item, &s->items.ids[k], "items"))
			return KB_ERR;
	}
	*id = s->items.ids[k];
	return 0;
}

/*
 * The i-th of rec's items (i below rec_nitems) and its size, or NULL when rec has none by
 * that number: a set's items are all there; a dict's are those with a size in dict_sizes.
 */
static size_t rec_nitems(const struct kb_build_rec *rec)
{
	if (rec->items)
		return rec->items->n;
	if (rec->dict && rec->dict_sizes)
		return rec->dict_sizes->n < rec->dict->n ? rec->dict_sizes->n : rec->dict->n;
	return 0;
}

static const struct kb_item *rec_item(const struct kb_build_rec *rec, size_t i, uint64_t *size)
{
	const struct kb_item *it;

	if (rec->items) {
		*size = rec->items->v[i].size;
		return &rec->items->v[i];
	}
	it = &rec->dict->v[i];
	*size = rec->dict_sizes->v[i];
	return *size && it->kind >= 0 ? it : NULL;
}

/*
 * The same asking only the kind (0: rec has no item by that number): what the passes over
 * every item of every build need, read for a dict from its kinds, a byte an item, rather
 * than from its items.
 */
#define DICT_KIND_OTHER 255 /* a kind beyond KB_ITEM_NKINDS: ask the item */

static int rec_kind(const struct kb_build_rec *rec, size_t i, int *kind, uint64_t *size)
{
	unsigned char k;

	if (rec->items) {
		*size = rec->items->v[i].size;
		*kind = rec->items->v[i].kind;
		return 1;
	}
	*size = rec->dict_sizes->v[i];
	k = rec->dict->kinds[i];
	if (!*size || !k)
		return 0;
	*kind = k == DICT_KIND_OTHER ? rec->dict->v[i].kind : k - 1;
	return 1;
}

/* A dict's kinds, made the first time it is used: kind + 1, 0 where it has no item. */
static void dict_kinds(struct kb_itemdict *d)
{
	size_t i;

	if (d->kinds)
		return;
	d->kinds = xcalloc(d->n + 1, 1);
	for (i = 0; i < d->n; i++) {
		int k = d->v[i].kind;

		d->kinds[i] = k < 0		 ? 0 :
			      k < KB_ITEM_NKINDS ? (unsigned char)(k + 1) :
						   DICT_KIND_OTHER;
	}
}

/*
 * The sizes of rec's items into mine by the store's item ids, and its bloat-o-meter sums into
 * bom, in one pass: a set's items are looked up one by one, a dict's only when no build before
 * had them (or a rolled back record forgot them), so that most builds of a dict prepare no
 * statement and look nothing up.
 */
static int item_sizes(struct kb_store *s, const struct kb_build_rec *rec, struct kb_sizes *mine,
		      uint64_t bom[3])
{
	struct kb_itemdict *d = rec->dict;
	struct interner t;
	size_t n = rec_nitems(rec), i;
	int ready = 0, rc = 0;

	if (!rec->items && (d->store != s || d->epoch != s->epoch || !d->ids)) {
		free(d->ids);
		d->ids = xreallocarray(NULL, d->n + 1, sizeof(*d->ids));
		memset(d->ids, 0xff, (d->n + 1) * sizeof(*d->ids));
		d->store = s;
		d->epoch = s->epoch;
	}
	for (i = 0; !rc && i < n; i++) {
		uint64_t size;
		int64_t id, *idp = rec->items ? &id : &d->ids[i];
		int kind;

		if (!rec_kind(rec, i, &kind, &size))
			continue;
		if (rec->items || *idp < 0) {
			if (!ready && interner_begin(s, &t))
				return KB_ERR;
			ready = 1;
			rc = intern_item(s, &t, rec_item(rec, i, &size), idp);
			if (rc)
				break;
		}
		/* an id the array holds needs no check; kb_sizes_set checks the others */
		if ((uint64_t)*idp < mine->n)
			mine->v[*idp] += size;
		else
			rc = kb_sizes_set(s, mine, *idp, size, 0);
		if (kind >= KB_ITEM_BOM_T && kind <= KB_ITEM_BOM_R)
			bom[kind - KB_ITEM_BOM_T] += size;
	}
	if (ready)
		interner_end(&t);
	return rc;
}

void kb_itemdict_release(struct kb_itemdict *d)
{
	free(d->ids);
	free(d->kinds);
	d->ids = NULL;
	d->kinds = NULL;
	d->store = NULL;
}

/* ---- sizes of a build ---------------------------------------------------------------- */

/* ids index the dense array only once they are known to be in range */
int kb_sizes_set(struct kb_store *s, struct kb_sizes *z, int64_t item, uint64_t size, int64_t build)
{
	if (kb_store_item_ok(s, item, "build", build))
		return KB_ERR;
	if ((uint64_t)item >= z->n) {
		size_t n = z->n ? z->n : 1024;

		while (n <= (uint64_t)item)
			n *= 2;
		z->v = xreallocarray(z->v, n, sizeof(*z->v));
		memset(z->v + z->n, 0, (n - z->n) * sizeof(*z->v));
		z->n = n;
	}
	z->v[item] = size;
	return 0;
}

int kb_sizes_bounded(struct kb_store *s, const struct kb_sizes *z, int64_t build)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < z->n; i++) {
		if (z->v[i] > (uint64_t)INT64_MAX - sum)
			return kb_error_set("%s: build %lld: its stored sizes add up beyond 2^63 "
					    "bytes",
					    s->path, (long long)build);
		sum += z->v[i];
	}
	return 0;
}

void kb_sizes_release(struct kb_sizes *z)
{
	free(z->v);
	memset(z, 0, sizeof(*z));
}

/*
 * build_id's sizes into out, which holds those of build known (0: none, out empty): up the
 * parent links to the nearest snapshot or to known, whichever comes first, then down again
 * applying each build's changes. out is released on error.
 */
static int sizes_walk(struct kb_store *s, int64_t build_id, int64_t known, struct kb_sizes *out)
{
	sqlite3_stmt *up = NULL, *snap = NULL, *delta = NULL;
	int64_t *chain = NULL, b = build_id, snapshot = 0, rows = -1;
	size_t n = 0, alloc = 0;
	int rc = KB_ERR, step;

	if (kb_store_prepare(s, &up,
			     "SELECT snapshot, parent_build_id FROM builds WHERE id = ?1") ||
	    kb_store_prepare(s, &snap, "SELECT sizes FROM item_sets WHERE build_id = ?1") ||
	    kb_store_prepare(s, &delta, "SELECT item_id, size FROM item_delta WHERE build_id = ?1"))
		goto out;
	for (;;) {
		char row[32];

		if (known && b == known)
			break;
		snprintf(row, sizeof(row), "build %lld", (long long)build_id);
		if (kb_store_walk_guard(s, KB_LINKS_BUILDS, n, &rows, row))
			goto out;
		ALLOC_GROW(chain, n + 1, alloc);
		chain[n++] = b;
		sqlite3_bind_int64(up, 1, b);
		step = sqlite3_step(up);
		if (step != SQLITE_ROW) {
			sqlite3_reset(up);
			if (step == SQLITE_DONE)
				kb_error_set("%s: build %lld has no stored sizes", s->path,
					     (long long)b);
			else
				kb_store_fail(s, "cannot read a build");
			goto out;
		}
		snapshot = sqlite3_column_int64(up, 0);
		b = sqlite3_column_type(up, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(up, 1);
		sqlite3_reset(up);
		if (snapshot)
			break;
		if (!b) {
			kb_error_set("%s: build %lld: no snapshot up its parent links", s->path,
				     (long long)build_id);
			goto out;
		}
	}
	if (snapshot) {
		kb_sizes_release(out);
		/* the snapshot build's own deltas are already in it; apply its descendants' */
		if (kb_set_read(s, snap, chain[--n], out))
			goto out;
	}
	while (n > 0) {
		int64_t c = chain[--n];

		sqlite3_bind_int64(delta, 1, c);
		while ((step = sqlite3_step(delta)) == SQLITE_ROW)
			if (kb_sizes_set(s, out, sqlite3_column_int64(delta, 0),
					 (uint64_t)sqlite3_column_int64(delta, 1), c))
				goto out;
		if (kb_store_done(s, step, "cannot read a build's changes"))
			goto out;
		sqlite3_reset(delta);
	}
	rc = kb_sizes_bounded(s, out, build_id);
out:
	if (rc)
		kb_sizes_release(out);
	sqlite3_finalize(up);
	sqlite3_finalize(snap);
	sqlite3_finalize(delta);
	free(chain);
	return rc;
}

int kb_store_sizes(struct kb_store *s, int64_t build_id, struct kb_sizes *out)
{
	memset(out, 0, sizeof(*out));
	return sizes_walk(s, build_id, 0, out);
}

int kb_store_sizes_next(struct kb_store *s, int64_t build_id, int64_t *from, struct kb_sizes *z)
{
	int rc = sizes_walk(s, build_id, z->v ? *from : 0, z);

	*from = rc ? 0 : build_id;
	return rc;
}

/* Writes child's delta rows against parent's sizes (both dense). */
static int write_delta(struct kb_store *s, int64_t child, const struct kb_sizes *cz,
		       const struct kb_sizes *pz)
{
	sqlite3_stmt *del = NULL, *ins = NULL;
	size_t n = cz->n > pz->n ? cz->n : pz->n, i;
	int rc = KB_ERR;

	if (kb_store_prepare(s, &del, "DELETE FROM item_delta WHERE build_id = ?1") ||
	    kb_store_prepare(s, &ins,
			     "INSERT INTO item_delta (build_id, item_id, size, prev) "
			     "VALUES (?1, ?2, ?3, ?4)"))
		goto out;
	sqlite3_bind_int64(del, 1, child);
	if (run(s, del, "cannot drop old deltas"))
		goto out;
	sqlite3_bind_int64(ins, 1, child);
	for (i = 0; i < n; i++) {
		uint64_t c = i < cz->n ? cz->v[i] : 0, p = i < pz->n ? pz->v[i] : 0;

		/* a child differs from its parent in a few items: skip equal runs at once */
		if (!(i % 64) && i + 64 <= cz->n && i + 64 <= pz->n &&
		    !memcmp(cz->v + i, pz->v + i, 64 * sizeof(*cz->v))) {
			i += 63;
			continue;
		}
		if (c == p)
			continue;
		sqlite3_bind_int64(ins, 2, (int64_t)i);
		sqlite3_bind_int64(ins, 3, (int64_t)c);
		sqlite3_bind_int64(ins, 4, (int64_t)p);
		if (run(s, ins, "cannot store a delta"))
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	return rc;
}

static int write_snapshot(struct kb_store *s, int64_t build, const struct kb_sizes *z)
{
	sqlite3_stmt *ins = NULL, *mark = NULL;
	struct strbuf blob = STRBUF_INIT;
	int rc = KB_ERR;

	if (kb_store_prepare(s, &ins,
			     "INSERT OR REPLACE INTO item_sets (build_id, sizes) VALUES (?1, ?2)") ||
	    kb_store_prepare(s, &mark, "UPDATE builds SET snapshot = 1 WHERE id = ?1"))
		goto out;
	kb_set_encode(z, &blob);
	sqlite3_bind_int64(ins, 1, build);
	sqlite3_bind_blob(ins, 2, blob.buf, (int)blob.len, SQLITE_STATIC);
	if (run(s, ins, "cannot store a snapshot"))
		goto out;
	sqlite3_bind_int64(mark, 1, build);
	rc = run(s, mark, "cannot mark a snapshot");
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(mark);
	strbuf_release(&blob);
	return rc;
}

/* Builds between build and its nearest snapshot, following parent links. */
static int chain_length(struct kb_store *s, int64_t build, int64_t *len)
{
	sqlite3_stmt *up;
	int rc = 0;

	*len = 0;
	if (kb_store_prepare(s, &up, "SELECT snapshot, parent_build_id FROM builds WHERE id = ?1"))
		return KB_ERR;
	while (build && *len <= KB_SNAPSHOT_EVERY) {
		sqlite3_bind_int64(up, 1, build);
		if (sqlite3_step(up) != SQLITE_ROW) {
			rc = kb_store_fail(s, "cannot follow parent builds");
			break;
		}
		if (sqlite3_column_int64(up, 0)) {
			sqlite3_reset(up);
			break;
		}
		build = sqlite3_column_type(up, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(up, 1);
		sqlite3_reset(up);
		++*len;
	}
	sqlite3_finalize(up);
	return rc;
}

/* ---- parent builds ------------------------------------------------------------------- */

/*
 * Follows first parents from sha (exclusive) through the commits table, up to max steps,
 * looking for an ok build of config_id; stop_sha (if not NULL) ends the walk unfound.
 * Sets *found (0 if none), *distance, and *hit_stop when stop_sha was reached.
 */
static int find_parent_build(struct kb_store *s, const char *sha, int64_t config_id,
			     const char *stop_sha, int64_t max, int64_t *found, int64_t *distance,
			     int *hit_stop)
{
	sqlite3_stmt *par = NULL, *bld = NULL;
	char *cur = xstrdup(sha), row[64];
	int64_t rows = -1;
	int rc = KB_ERR;

	*found = 0;
	*distance = 0;
	if (hit_stop)
		*hit_stop = 0;
	if (kb_store_prepare(s, &par, "SELECT parent_sha FROM commits WHERE sha = ?1") ||
	    kb_store_prepare(s, &bld,
			     "SELECT b.id FROM builds b JOIN commits c ON c.id = "
			     "b.commit_id WHERE c.sha = ?1 AND b.config_id = ?2 AND "
			     "b.status = 'ok'"))
		goto out;
	snprintf(row, sizeof(row), "commit %.40s", sha);
	while (*distance < max) {
		const unsigned char *p;
		int step;

		if (kb_store_walk_guard(s, KB_LINKS_COMMITS, (size_t)*distance, &rows, row))
			goto out;
		bind_text(par, 1, cur);
		step = sqlite3_step(par);
		if (step != SQLITE_ROW || sqlite3_column_type(par, 0) == SQLITE_NULL) {
			sqlite3_reset(par);
			if (step != SQLITE_ROW && step != SQLITE_DONE)
				goto fail;
			break; /* a root, or a commit the store does not know: the chain ends */
		}
		p = sqlite3_column_text(par, 0);
		free(cur);
		cur = xstrdup((const char *)p);
		sqlite3_reset(par);
		++*distance;
		if (stop_sha && !strcmp(cur, stop_sha)) {
			if (hit_stop)
				*hit_stop = 1;
			break;
		}
		bind_text(bld, 1, cur);
		sqlite3_bind_int64(bld, 2, config_id);
		step = one_int(s, bld, found, "cannot look for a parent build");
		if (step < 0)
			goto out;
		if (step)
			break;
		*found = 0;
	}
	rc = 0;
	goto out;
fail:
	kb_store_fail(s, "cannot follow first parents");
out:
	sqlite3_finalize(par);
	sqlite3_finalize(bld);
	free(cur);
	return rc;
}

static const char *const delta_cols =
	"d_total = total - (SELECT total FROM builds p WHERE p.id = ?2), "
	"d_text = text - (SELECT text FROM builds p WHERE p.id = ?2), "
	"d_rodata = rodata - (SELECT rodata FROM builds p WHERE p.id = ?2), "
	"d_data = data - (SELECT data FROM builds p WHERE p.id = ?2), "
	"d_bss = bss - (SELECT bss FROM builds p WHERE p.id = ?2), "
	"d_init = init - (SELECT init FROM builds p WHERE p.id = ?2), "
	"d_percpu = percpu - (SELECT percpu FROM builds p WHERE p.id = ?2), "
	"d_other = other - (SELECT other FROM builds p WHERE p.id = ?2), "
	/* NULL unless both builds were analyzed: SQL's NULL arithmetic says so */
	"d_core = m_core - (SELECT m_core FROM builds p WHERE p.id = ?2)";

/* Points build at parent (0: none) at the given distance and recomputes its class deltas
 * and its hard core's change. */
static int link_parent(struct kb_store *s, int64_t build, int64_t parent, int64_t distance)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc;

	strbuf_addf(&sql, "UPDATE builds SET parent_build_id = ?2, distance = ?3, %s WHERE id = ?1",
		    delta_cols);
	rc = kb_store_prepare(s, &st, sql.buf);
	strbuf_release(&sql);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, build);
	if (parent) {
		sqlite3_bind_int64(st, 2, parent);
		sqlite3_bind_int64(st, 3, distance);
	} else {
		sqlite3_bind_null(st, 2);
		sqlite3_bind_null(st, 3);
	}
	rc = run(s, st, "cannot link a parent build");
	sqlite3_finalize(st);
	return rc;
}

/*
 * Builds recorded before this one may have had their parent build further back than the
 * new one: re-link every ok build of the config whose first-parent line meets the new
 * commit before it meets its old parent build, and re-write its deltas against the new one.
 */
static int relink_children(struct kb_store *s, int64_t build, const char *sha, int64_t config_id,
			   int64_t old_parent, const struct kb_sizes *mine)
{
	sqlite3_stmt *st = NULL;
	struct {
		int64_t id;
		char *sha;
		int64_t distance;
	} *cand = NULL;
	size_t n = 0, alloc = 0, i;
	int rc = KB_ERR, step;

	/* by builds_by_parent: "+" keeps SQLite from scanning the config's every build in
	 * builds_line instead (0.5 s of merging 2,000 builds, growing with the square) */
	if (kb_store_prepare(s, &st,
			     "SELECT b.id, c.sha, b.distance FROM builds b JOIN commits c "
			     "ON c.id = b.commit_id WHERE +b.config_id = ?1 AND "
			     "b.status = 'ok' AND b.id != ?2 AND "
			     "b.parent_build_id IS ?3"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, config_id);
	sqlite3_bind_int64(st, 2, build);
	if (old_parent)
		sqlite3_bind_int64(st, 3, old_parent);
	else
		sqlite3_bind_null(st, 3);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *csha;

		if (kb_column_sha(s, st, 1, 0, sqlite3_column_int64(st, 0), &csha))
			break;
		ALLOC_GROW(cand, n + 1, alloc);
		cand[n].id = sqlite3_column_int64(st, 0);
		cand[n].sha = xstrdup(csha);
		cand[n].distance = sqlite3_column_type(st, 2) == SQLITE_NULL ?
					   INT64_MAX :
					   sqlite3_column_int64(st, 2);
		n++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		if (step != SQLITE_ROW)
			kb_store_fail(s, "cannot read the builds to re-link");
		goto out;
	}
	for (i = 0; i < n; i++) {
		int64_t found, dist;
		int hit = 0;
		struct kb_sizes cz;

		/* is the new commit on the child's first-parent line, nearer than its parent? */
		if (find_parent_build(s, cand[i].sha, config_id, sha, cand[i].distance, &found,
				      &dist, &hit))
			goto out;
		if (!hit)
			continue;
		if (kb_store_sizes(s, cand[i].id, &cz))
			goto out;
		if (link_parent(s, cand[i].id, build, dist) ||
		    write_delta(s, cand[i].id, &cz, mine)) {
			kb_sizes_release(&cz);
			goto out;
		}
		kb_sizes_release(&cz);
	}
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(cand[i].sha);
	free(cand);
	return rc;
}

/* ---- record -------------------------------------------------------------------------- */

static int insert_build(struct kb_store *s, const struct kb_build_rec *rec, int64_t commit_id,
			int64_t config_id, int64_t dotconfig_id, int64_t toolchain_id,
			const uint64_t *bom, int64_t *build_id)
{
	sqlite3_stmt *st;
	int ok = !strcmp(rec->status, "ok"), i, rc;

	if (kb_store_prepare(
		    s, &st,
		    "INSERT INTO builds (commit_id, config_id, status, log_tail, "
		    "dotconfig_id, toolchain_id, build_seconds, analysis_seconds, "
		    "recorded_at, total, text, rodata, data, bss, init, percpu, other, "
		    "bk_text, bk_data, bk_bss, bom_t, bom_d, bom_r, padding, m_tristate, "
		    "m_bool, m_core, m_rest, m_kallsyms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
		    "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
		    "?23, ?24, ?25, ?26, ?27, ?28, ?29)"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, commit_id);
	sqlite3_bind_int64(st, 2, config_id);
	bind_text(st, 3, rec->status);
	bind_text(st, 4, rec->log_tail);
	if (dotconfig_id)
		sqlite3_bind_int64(st, 5, dotconfig_id);
	if (toolchain_id)
		sqlite3_bind_int64(st, 6, toolchain_id);
	sqlite3_bind_double(st, 7, rec->build_seconds);
	sqlite3_bind_double(st, 8, rec->analysis_seconds);
	sqlite3_bind_int64(st, 9, (int64_t)time(NULL));
	if (ok) {
		sqlite3_bind_int64(st, 10, (int64_t)rec->total);
		for (i = 0; i < 7; i++)
			sqlite3_bind_int64(st, 11 + i, (int64_t)rec->cls[i]);
		for (i = 0; i < 3; i++)
			sqlite3_bind_int64(st, 18 + i, (int64_t)rec->bk[i]);
		for (i = 0; i < 3; i++)
			sqlite3_bind_int64(st, 21 + i, (int64_t)bom[i]);
		if (!rec->padding_unknown)
			sqlite3_bind_int64(st, 24, (int64_t)rec->padding);
	}
	if (ok && rec->has_modular) {
		sqlite3_bind_int64(st, 25, (int64_t)rec->m_tristate);
		sqlite3_bind_int64(st, 26, (int64_t)rec->m_bool);
		sqlite3_bind_int64(st, 27, (int64_t)rec->m_core);
		sqlite3_bind_int64(st, 28, (int64_t)rec->m_rest);
		if (rec->has_kallsyms)
			sqlite3_bind_int64(st, 29, rec->m_kallsyms);
	}
	rc = run(s, st, "cannot store the build");
	sqlite3_finalize(st);
	*build_id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

/* The boot image and the modules, when the collector built either (schema 008). */
static int insert_outputs(struct kb_store *s, int64_t build_id, const struct kb_build_outputs *o)
{
	sqlite3_stmt *st;
	int i, rc;

	if (!o->boot_name && !o->has_modules)
		return 0;
	if (o->boot_bytes > INT64_MAX || o->boot_payload > o->boot_bytes ||
	    o->mod_total > INT64_MAX)
		return kb_error_set("%s: the boot image or module sizes are out of range", s->path);
	if (kb_store_prepare(s, &st,
			     "INSERT INTO build_outputs (build_id, boot_name, boot_bytes, "
			     "boot_payload, mod_count, mod_total, mod_text, mod_rodata, mod_data, "
			     "mod_bss, mod_init, mod_percpu, mod_other) VALUES (?1, ?2, ?3, ?4, "
			     "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, build_id);
	if (o->boot_name) {
		bind_text(st, 2, o->boot_name);
		sqlite3_bind_int64(st, 3, (int64_t)o->boot_bytes);
		if (o->has_boot_payload)
			sqlite3_bind_int64(st, 4, (int64_t)o->boot_payload);
	}
	if (o->has_modules) {
		sqlite3_bind_int64(st, 5, (int64_t)o->mod_count);
		sqlite3_bind_int64(st, 6, (int64_t)o->mod_total);
		for (i = 0; i < 7; i++)
			sqlite3_bind_int64(st, 7 + i, (int64_t)o->mod_cls[i]);
	}
	rc = run(s, st, "cannot store the boot image and modules");
	sqlite3_finalize(st);
	return rc;
}

static int misc_ids(struct kb_store *s, const struct kb_build_rec *rec, int64_t *config_id,
		    int64_t *dotconfig_id, int64_t *toolchain_id)
{
	sqlite3_stmt *a = NULL, *b = NULL;
	int rc = KB_ERR;

	*dotconfig_id = *toolchain_id = 0;
	if (kb_store_prepare(s, &a,
			     "INSERT OR IGNORE INTO configs (name, arch, base, fragments) "
			     "VALUES (?1, ?2, ?3, ?4)") ||
	    kb_store_prepare(s, &b, "SELECT id FROM configs WHERE name = ?1 AND arch = ?2"))
		goto out;
	bind_text(a, 1, rec->config);
	bind_text(a, 2, rec->arch);
	bind_text(a, 3, rec->base);
	bind_text(a, 4, rec->fragments);
	bind_text(b, 1, rec->config);
	bind_text(b, 2, rec->arch);
	if (intern_row(s, a, b, config_id, "configs"))
		goto out;
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	a = b = NULL;
	if (rec->compiler || rec->linker) {
		if (kb_store_prepare(s, &a,
				     "INSERT OR IGNORE INTO toolchains (compiler, linker) "
				     "VALUES (?1, ?2)") ||
		    kb_store_prepare(s, &b,
				     "SELECT id FROM toolchains WHERE compiler = ?1 AND "
				     "linker = ?2"))
			goto out;
		bind_text(a, 1, rec->compiler ? rec->compiler : "");
		bind_text(a, 2, rec->linker ? rec->linker : "");
		bind_text(b, 1, rec->compiler ? rec->compiler : "");
		bind_text(b, 2, rec->linker ? rec->linker : "");
		if (intern_row(s, a, b, toolchain_id, "toolchains"))
			goto out;
	}
	if (rec->dotconfig) {
		char hash[17];
		uint64_t h = 1469598103934665603ULL;
		const char *p;

		/* FNV-1a of the sorted options: equal .configs share a row */
		for (p = rec->dotconfig; *p; p++) {
			h ^= (unsigned char)*p;
			h *= 1099511628211ULL;
		}
		snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)h);
		sqlite3_finalize(a);
		sqlite3_finalize(b);
		a = b = NULL;
		if (kb_store_prepare(s, &a,
				     "INSERT OR IGNORE INTO dotconfigs (hash, options) "
				     "VALUES (?1, ?2)") ||
		    kb_store_prepare(s, &b, "SELECT id FROM dotconfigs WHERE hash = ?1"))
			goto out;
		bind_text(a, 1, hash);
		bind_text(a, 2, rec->dotconfig);
		bind_text(b, 1, hash);
		if (intern_row(s, a, b, dotconfig_id, "dotconfigs"))
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	return rc;
}

static int existing_build(struct kb_store *s, int64_t commit_id, int64_t config_id, int64_t *id)
{
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(s, &st,
			     "SELECT id FROM builds WHERE commit_id = ?1 AND config_id = ?2"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, commit_id);
	sqlite3_bind_int64(st, 2, config_id);
	rc = one_int(s, st, id, "cannot look for the build");
	sqlite3_finalize(st);
	return rc;
}

/* Deletes build if it failed (no build names a failed one as parent, it has no items):
 * 0 when it was deleted, 1 when it stays (it is ok), KB_ERR. */
static int forget_failed(struct kb_store *s, int64_t build)
{
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(s, &st, "DELETE FROM builds WHERE id = ?1 AND status != 'ok'"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, build);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kb_store_fail(s, "cannot replace a failed build");
	return sqlite3_changes(s->db) ? 0 : 1;
}

/* A test hook: KBLOAT_TEST_CRASH=record kills the process inside the transaction. */
static void crash_point(void)
{
	const char *c = getenv("KBLOAT_TEST_CRASH");

	if (c && !strcmp(c, "record"))
		raise(SIGKILL);
}

/*
 * The M: and L: lines of each section rec's items name replace those stored before (after
 * intern_items: every section named has its subsystems row).
 */
static int store_contacts(struct kb_store *s, const struct kb_build_rec *rec)
{
	sqlite3_stmt *del = NULL, *ins = NULL;
	struct kb_strtab named = KB_STRTAB_INIT;
	const char *prev = NULL;
	int64_t seq = 0;
	size_t i;
	int rc = KB_ERR;

	if (kb_store_prepare(s, &del,
			     "DELETE FROM subsystem_contacts WHERE subsystem_id = (SELECT id FROM "
			     "subsystems WHERE name = ?1)") ||
	    kb_store_prepare(s, &ins,
			     "INSERT INTO subsystem_contacts (subsystem_id, seq, role, address) "
			     "SELECT id, ?2, ?3, ?4 FROM subsystems WHERE name = ?1"))
		goto out;
	for (i = 0; i < rec_nitems(rec); i++) {
		uint64_t size;
		const struct kb_item *it = rec_item(rec, i, &size);
		const char *sub = it ? it->subsystem : NULL;
		size_t n;

		if (!sub)
			continue;
		n = named.nr;
		kb_strtab_intern(&named, sub, strlen(sub), NULL);
		if (named.nr == n)
			continue;
		bind_text(del, 1, sub);
		if (run(s, del, "cannot replace a subsystem's maintainers"))
			goto out;
	}
	for (i = 0; i < rec->ncontacts; i++) {
		const struct kb_contact *c = &rec->contacts[i];
		char role[2] = { c->role, 0 };

		if (kb_strtab_find(&named, c->subsystem, strlen(c->subsystem)) < 0)
			continue; /* no item of this build names it */
		seq = prev && !strcmp(prev, c->subsystem) ? seq + 1 : 0;
		prev = c->subsystem;
		bind_text(ins, 1, c->subsystem);
		sqlite3_bind_int64(ins, 2, seq);
		bind_text(ins, 3, role);
		bind_text(ins, 4, c->address);
		if (run(s, ins, "cannot store a subsystem's maintainers"))
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	kb_strtab_release(&named);
	return rc;
}

static int record_locked(struct kb_store *s, const struct kb_build_rec *rec, int *already)
{
	int64_t commit_id = 0, config_id, dotconfig_id, toolchain_id, build = 0, parent, distance,
		len;
	uint64_t bom[3] = { 0 };
	struct kb_sizes mine = { 0 }, pz = { 0 };
	int ok = !strcmp(rec->status, "ok"), rc = KB_ERR, found;

	if (put_commits(s, rec) || commit_id_of(s, rec->commit->sha, &commit_id) ||
	    misc_ids(s, rec, &config_id, &dotconfig_id, &toolchain_id))
		return KB_ERR;
	found = existing_build(s, commit_id, config_id, &build);
	if (found < 0)
		return KB_ERR;
	if (found && rec->replace_failed) {
		found = forget_failed(s, build);
		if (found < 0)
			return KB_ERR;
	}
	if (found) {
		*already = 1;
		return 0;
	}
	if (ok && rec_nitems(rec)) {
		if (s->spare.v) { /* no allocation, no page faults: 73,000 items are 580 KB */
			mine = s->spare;
			memset(mine.v, 0, mine.n * sizeof(*mine.v));
			memset(&s->spare, 0, sizeof(s->spare));
		}
		if (item_sizes(s, rec, &mine, bom) || (rec->has_contacts && store_contacts(s, rec)))
			goto out;
	}
	if (insert_build(s, rec, commit_id, config_id, dotconfig_id, toolchain_id, bom, &build) ||
	    (rec->reused && kb_store_mark_reused(s, build, rec->reused)) ||
	    (ok && insert_outputs(s, build, &rec->outputs)))
		goto out;
	if (!ok) {
		rc = 0;
		goto out;
	}
	if (find_parent_build(s, rec->commit->sha, config_id, NULL, INT64_MAX, &parent, &distance,
			      NULL))
		goto out;
	if (parent) {
		const struct kb_sizes *pp = &pz;

		if (parent == s->last_build)
			pp = &s->last_sizes; /* recorded just before: no need to read it back */
		else if (kb_store_sizes(s, parent, &pz))
			goto out;
		if (link_parent(s, build, parent, distance) || write_delta(s, build, &mine, pp) ||
		    chain_length(s, build, &len))
			goto out;
		if (len >= KB_SNAPSHOT_EVERY && write_snapshot(s, build, &mine))
			goto out;
	} else if (write_snapshot(s, build, &mine)) {
		goto out;
	}
	crash_point();
	rc = relink_children(s, build, rec->commit->sha, config_id, parent, &mine);
	if (!rc) {
		kb_sizes_release(&s->spare);
		s->spare = s->last_sizes;
		s->last_sizes = mine; /* kept for the next record; valid once committed */
		s->last_build = build;
		memset(&mine, 0, sizeof(mine));
	}
out:
	kb_sizes_release(&mine);
	kb_sizes_release(&pz);
	return rc;
}

/* An ok build's sums as schema/002 says them: padding within total; the modular sums
 * adding up to the code and data; options of a known class whose candidates' sizes add up
 * to the candidate sums; no option without the analysis. `db check` tests the same. */
static int rec_modular_valid(struct kb_store *s, const struct kb_build_rec *rec)
{
	uint64_t code = rec->total - rec->padding, cls[KB_OPT_NCLASSES] = { 0 };
	size_t i, nopt = 0;

	if (!rec->padding_unknown && rec->padding > rec->total)
		return kb_error_set("%s: refusing a build of commit %.40s whose padding (%llu) "
				    "exceeds its total (%llu)",
				    s->path, rec->commit->sha, (unsigned long long)rec->padding,
				    (unsigned long long)rec->total);
	for (i = 0; i < rec_nitems(rec); i++) {
		uint64_t size;
		int kind, c;

		if (!rec_kind(rec, i, &kind, &size) || (kind >= 0 && kind < KB_ITEM_OPTION))
			continue;
		c = rec_item(rec, i, &size)->cls; /* options are few: their items are read */
		if (kind < 0 || kind >= KB_ITEM_NKINDS ||
		    (kind == KB_ITEM_OPTION && (c < 0 || c >= KB_OPT_NCLASSES)))
			return kb_error_set("%s: refusing a build of commit %.40s with an item "
					    "of kind %d and class %d",
					    s->path, rec->commit->sha, kind, c);
		cls[c] += size;
		nopt++;
	}
	if (!rec->has_modular) {
		if (nopt)
			return kb_error_set("%s: refusing a build of commit %.40s with options "
					    "but no modular sums",
					    s->path, rec->commit->sha);
		if (rec->has_kallsyms)
			return kb_error_set("%s: refusing a build of commit %.40s with a kallsyms "
					    "term but no modular sums",
					    s->path, rec->commit->sha);
		return 0;
	}
	if (rec->padding_unknown || rec->m_tristate > code || rec->m_bool > code ||
	    rec->m_core > code || rec->m_rest > code ||
	    rec->m_tristate + rec->m_bool + rec->m_core + rec->m_rest != code ||
	    cls[KB_OPT_TRI_CAND] != rec->m_tristate ||
	    cls[KB_OPT_BOOL_CAND] + cls[KB_OPT_TRI_FREED] != rec->m_bool ||
	    cls[KB_OPT_TRI_KEPT] + cls[KB_OPT_BOOL_KEPT] > rec->m_rest)
		return kb_error_set("%s: refusing a build of commit %.40s whose modular sums "
				    "(%llu + %llu + %llu + %llu) are not its code and data (%llu) "
				    "or not its options' sums",
				    s->path, rec->commit->sha, (unsigned long long)rec->m_tristate,
				    (unsigned long long)rec->m_bool,
				    (unsigned long long)rec->m_core,
				    (unsigned long long)rec->m_rest, (unsigned long long)code);
	/* the term is small and signed (positive where the tristates are already gone); it
	 * cannot change the table by more than the build's whole code and data */
	if (rec->has_kallsyms &&
	    (rec->m_kallsyms > 0 ? (uint64_t)rec->m_kallsyms : -(uint64_t)rec->m_kallsyms) > code)
		return kb_error_set("%s: refusing a build of commit %.40s whose kallsyms term "
				    "(%lld) is larger than its code and data (%llu)",
				    s->path, rec->commit->sha, (long long)rec->m_kallsyms,
				    (unsigned long long)code);
	return 0;
}

/* What the store keeps is what it can give back: shas of 40 lowercase hex digits, a known
 * status, a config and an arch. The shas themselves are not echoed: they may be anything. */
static int rec_valid(struct kb_store *s, const struct kb_build_rec *rec)
{
	const struct kb_store_commit *c = rec->commit;
	size_t i;

	for (i = 0; c; c = i < rec->nchain ? &rec->chain[i++] : NULL)
		if (!kb_is_sha(c->sha) || (c->parent && *c->parent && !kb_is_sha(c->parent)))
			return kb_error_set("%s: refusing a build whose commit (or a parent) has a "
					    "sha that is not 40 lowercase hex digits",
					    s->path);
	if (!rec->commit || !rec->config || !rec->arch || !rec->status ||
	    (strcmp(rec->status, "ok") && strcmp(rec->status, "failed") &&
	     strcmp(rec->status, "skipped")))
		return kb_error_set(
			"%s: refusing a build of commit %.40s without a config, an arch "
			"or a status of ok, failed or skipped",
			s->path, rec->commit ? rec->commit->sha : "?");
	if (rec->reused && (strcmp(rec->status, "ok") || !kb_reused_text(rec->reused)))
		return kb_error_set("%s: refusing build of commit %.40s: reused code %d on a "
				    "build that is not ok or not a known code",
				    s->path, rec->commit->sha, rec->reused);
	return strcmp(rec->status, "ok") ? 0 : rec_modular_valid(s, rec);
}

/*
 * After every build, as much of the WAL as no reader still needs goes into the database
 * file: a job killed later keeps its finished builds in DB alone (CI caches often keep only
 * DB). PASSIVE: it waits for no reader and no writer; frames a reader's older snapshot still
 * needs stay in DB-wal until the next checkpoint.
 */
static void checkpoint(struct kb_store *s)
{
	if (!s->batch)
		sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

void kb_store_batch(struct kb_store *s, int on)
{
	s->batch = on;
	checkpoint(s);
}

int kb_store_record(struct kb_store *s, const struct kb_build_rec *rec, int *already)
{
	*already = 0;
	if (s->readonly)
		return kb_error_set("%s: opened read-only, cannot record", s->path);
	if (rec->dict)
		dict_kinds(rec->dict);
	if (rec_valid(s, rec))
		return KB_ERR;
	if (exec(s, "BEGIN IMMEDIATE"))
		return KB_ERR;
	if (record_locked(s, rec, already) || exec(s, "COMMIT")) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		/* ids made inside the transaction are gone with it */
		cache_clear(&s->items);
		cache_clear(&s->paths);
		s->epoch++;
		kb_sizes_release(&s->last_sizes);
		s->last_build = 0;
		return KB_ERR;
	}
	if (!*already)
		s->recorded++;
	checkpoint(s);
	return 0;
}

/* ---- lookups ------------------------------------------------------------------------- */

/* The recorded configs' names, in order, quoted and comma-separated: the first 8 and how
 * many more. */
static int config_names(struct kb_store *s, struct strbuf *out)
{
	sqlite3_stmt *st;
	int rc, n = 0;

	if (kb_store_prepare(s, &st, "SELECT DISTINCT name FROM configs ORDER BY name"))
		return KB_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (n++ < 8)
			strbuf_addf(out, "%s'%s'", n > 1 ? ", " : "",
				    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		strbuf_release(out);
		return kb_store_fail(s, "cannot read configs");
	}
	if (n > 8)
		strbuf_addf(out, " and %d more", n - 8);
	return 0;
}

int kb_store_find_config(struct kb_store *s, const char *config, int64_t *config_id)
{
	struct strbuf names = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc, n = 0;

	if (config && *config) {
		if (kb_store_prepare(s, &st, "SELECT id FROM configs WHERE name = ?1"))
			return KB_ERR;
		bind_text(st, 1, config);
	} else if (kb_store_prepare(s, &st, "SELECT id FROM configs")) {
		return KB_ERR;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*config_id = sqlite3_column_int64(st, 0);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kb_store_fail(s, "cannot read configs");
	if (n == 1)
		return 0;
	if (config && *config && n)
		return kb_error_set("%s: config %s: recorded for several architectures", s->path,
				    config);
	if (!n && !(config && *config))
		return kb_error_set("%s: no builds recorded", s->path);
	/* the names there are, so that the one meant (tinyconfig LLVM=1?) can be given */
	if (config_names(s, &names))
		return KB_ERR;
	if (config && *config)
		kb_error_set("%s: config %s: not recorded%s%s%s", s->path, config,
			     names.len ? " (the store has " : "", names.buf, names.len ? ")" : "");
	else
		kb_error_set("%s: several configs are recorded (%s): name one with --config",
			     s->path, names.buf);
	strbuf_release(&names);
	return KB_ERR;
}

int kb_store_find_build(struct kb_store *s, const char *rev, const char *config, int64_t *build_id)
{
	struct strbuf like = STRBUF_INIT;
	sqlite3_stmt *st;
	int64_t config_id;
	int rc, n = 0;
	size_t i;

	if (kb_store_find_config(s, config, &config_id))
		return KB_ERR;
	for (i = 0; rev[i]; i++)
		if (!strchr("0123456789abcdefABCDEF", rev[i]) || i >= 40)
			return kb_error_set("%s: unknown commit (kbloat's store names commits by "
					    "sha or sha prefix)",
					    rev);
	if (i < 4)
		return kb_error_set("%s: sha prefix too short", rev);
	strbuf_addf(&like, "%s%%", rev);
	if (kb_store_prepare(s, &st,
			     "SELECT b.id FROM builds b JOIN commits c ON c.id = "
			     "b.commit_id WHERE c.sha LIKE ?1 AND b.config_id = ?2")) {
		strbuf_release(&like);
		return KB_ERR;
	}
	bind_text(st, 1, like.buf);
	sqlite3_bind_int64(st, 2, config_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*build_id = sqlite3_column_int64(st, 0);
		n++;
	}
	sqlite3_finalize(st);
	strbuf_release(&like);
	if (rc != SQLITE_DONE)
		return kb_store_fail(s, "cannot look a commit up");
	if (n == 1)
		return 0;
	return kb_error_set("%s: %s in %s", rev, n ? "ambiguous commit" : "no build of this commit",
			    s->path);
}

int kb_store_has_commit(struct kb_store *s, const char *sha)
{
	sqlite3_stmt *st;
	int64_t id;
	int rc;

	if (kb_store_prepare(s, &st, "SELECT id FROM commits WHERE sha = ?1"))
		return KB_ERR;
	bind_text(st, 1, sha);
	rc = one_int(s, st, &id, "cannot look a commit up");
	sqlite3_finalize(st);
	return rc;
}

int kb_store_read_brief(struct kb_store *s, sqlite3_stmt *st, struct kb_build_brief *b)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		const char *status = kb_column_text(st, 1, NULL);
		const char *psha;

		if (kb_column_sha(s, st, 5, 1, sqlite3_column_int64(st, 0), &psha)) {
			sqlite3_finalize(st);
			return KB_ERR;
		}
		b->id = sqlite3_column_int64(st, 0);
		snprintf(b->status, sizeof(b->status), "%s", status ? status : "");
		b->total = sqlite3_column_int64(st, 2);
		b->d_total = sqlite3_column_int64(st, 3);
		b->has_parent = sqlite3_column_type(st, 4) != SQLITE_NULL;
		snprintf(b->parent_sha, sizeof(b->parent_sha), "%s", psha ? psha : "");
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return 1;
	return kb_store_fail(s, "cannot look a build up");
}

int kb_store_build_brief(struct kb_store *s, const char *sha, const char *config, const char *arch,
			 struct kb_build_brief *b)
{
	sqlite3_stmt *st;

	memset(b, 0, sizeof(*b));
	if (kb_store_prepare(
		    s, &st,
		    "SELECT b.id, b.status, b.total, b.d_total, b.parent_build_id, "
		    "pc.sha FROM builds b JOIN commits c ON c.id = b.commit_id JOIN configs "
		    "g ON g.id = b.config_id LEFT JOIN builds pb ON pb.id = "
		    "b.parent_build_id LEFT JOIN commits pc ON pc.id = pb.commit_id WHERE "
		    "c.sha = ?1 AND g.name = ?2 AND g.arch = ?3"))
		return KB_ERR;
	bind_text(st, 1, sha);
	bind_text(st, 2, config);
	bind_text(st, 3, arch);
	return kb_store_read_brief(s, st, b);
}

int kb_store_resolve_sha(struct kb_store *s, const char *rev, char **sha)
{
	sqlite3_stmt *st;
	int n = 0, step;

	*sha = NULL;
	if (strlen(rev) < 4 || strlen(rev) > 40 || strspn(rev, "0123456789abcdef") != strlen(rev))
		return kb_error_set("%s: not a sha or sha prefix (kbloat's store names commits so)",
				    rev);
	if (kb_store_prepare(s, &st, "SELECT sha FROM commits WHERE sha LIKE ?1 || '%' LIMIT 2"))
		return KB_ERR;
	bind_text(st, 1, rev);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *full = kb_column_text(st, 0, NULL);

		if (!kb_is_sha(full)) {
			sqlite3_finalize(st);
			free(*sha);
			*sha = NULL;
			return kb_error_set("%s: %s: a commit whose sha is not 40 lowercase hex "
					    "digits (kbloat db check names it)",
					    s->path, rev);
		}
		free(*sha);
		*sha = xstrdup(full);
		n++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		free(*sha);
		*sha = NULL;
		return kb_store_fail(s, "cannot look a commit up");
	}
	if (n == 1)
		return 0;
	free(*sha);
	*sha = NULL;
	return kb_error_set("%s: %s commit in %s", rev, n ? "ambiguous" : "unknown", s->path);
}
