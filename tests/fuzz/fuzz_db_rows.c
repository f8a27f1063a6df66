/*
 * fuzz_db_rows.c - libFuzzer target for a valid database bent row by row: the target records
 * a few builds through the store's API once, drops the schema's NOT NULL and CHECK rules
 * (a hostile file declares what it likes), and each input is a list of row mutations, each
 * setting a chosen column of a chosen row to a chosen value (small, negative or huge
 * integers, NULL, text, another row's id or sha: loops and dangling links) or deleting it.
 * Then every read query and db check run over the result, as in fuzz_db_bytes.
 *
 * An input is a sequence of 4-byte records: table, column, row, how; some hows take one or
 * more bytes after the record.
 */
#include "fuzz_db.h"

#include <sqlite3.h>
#include <stdint.h>

static const struct {
	const char *name, *key; /* key: the columns naming a row */
	const char *cols[22];
} tables[] = {
	{ "commits",
	  "rowid",
	  { "id", "sha", "parent_sha", "author_name", "author_email", "author_time",
	    "committer_time", "subject" } },
	{ "configs", "rowid", { "id", "name", "arch", "base", "fragments" } },
	{ "dotconfigs", "rowid", { "id", "hash", "options" } },
	{ "toolchains", "rowid", { "id", "compiler", "linker" } },
	{ "subsystems", "rowid", { "id", "name" } },
	{ "paths", "rowid", { "id", "path", "subsystem_id" } },
	{ "items", "rowid", { "id", "kind", "name", "path_id", "class" } },
	{ "builds",
	  "rowid",
	  { "id",	    "commit_id", "config_id", "status", "log_tail",	   "dotconfig_id",
	    "toolchain_id", "total",	 "text",      "bss",	"parent_build_id", "distance",
	    "d_total",	    "d_text",	 "snapshot",  "bom_t",	"bom_d",	   "padding",
	    "m_tristate",   "m_core",	 "d_core" } },
	{ "item_delta", "build_id, item_id", { "build_id", "item_id", "size", "prev" } },
	{ "item_sets", "build_id", { "build_id", "sizes" } },
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static char pristine_path[64], work_path[64];
static unsigned char *pristine;
static size_t pristine_size;

static size_t ncols(size_t t)
{
	size_t n = 0;

	while (n < 22 && tables[t].cols[n])
		n++;
	return n;
}

/* Binds the value that how (and the bytes after the record) choose; returns bytes used. */
static size_t bind_value(sqlite3_stmt *st, unsigned how, const uint8_t *p, size_t left)
{
	static const int64_t ints[] = { 0, 1, 2, 3, -1, -5, 1LL << 40, INT64_MAX, INT64_MIN, 64 };
	char sha[41];

	switch (how % 8) {
	case 0: /* a chosen integer of the edge cases */
		sqlite3_bind_int64(st, 1, ints[(left ? p[0] : 0) % 10]);
		return left ? 1 : 0;
	case 1: /* a small signed integer: ids of other rows, or just beside them */
		sqlite3_bind_int64(st, 1, left ? (int8_t)p[0] : -1);
		return left ? 1 : 0;
	case 2:
		sqlite3_bind_null(st, 1);
		return 0;
	case 3: { /* text of up to 63 bytes, NULs and all */
		size_t len = left ? p[0] % 64 : 0;

		if (len > left - (left ? 1 : 0))
			len = left ? left - 1 : 0;
		sqlite3_bind_text(st, 1, (const char *)p + 1, (int)len, SQLITE_TRANSIENT);
		return left ? 1 + len : 0;
	}
	case 4: /* the sha of another commit: loops in the first parents */
		fuzz_sha(sha, left ? p[0] % 8 : 0);
		sqlite3_bind_text(st, 1, sha, -1, SQLITE_TRANSIENT);
		return left ? 1 : 0;
	case 5:
		sqlite3_bind_text(st, 1, "../../x\"><img src=x onerror=alert(1)>", -1,
				  SQLITE_STATIC);
		return 0;
	case 6:
		sqlite3_bind_double(st, 1, -0.5);
		return 0;
	default:
		sqlite3_bind_blob(st, 1, "\0\xff", 2, SQLITE_STATIC);
		return 0;
	}
}

/* Applies the input's mutations to the database open in db. */
static void mutate(sqlite3 *db, const uint8_t *data, size_t size)
{
	size_t i = 0;

	while (i + 4 <= size) {
		size_t t = data[i] % NTABLES, c = data[i + 1] % ncols(t);
		unsigned row = data[i + 2], how = data[i + 3];
		char sql[512];
		sqlite3_stmt *st;

		i += 4;
		if (how == 0xff)
			snprintf(
				sql, sizeof(sql),
				"DELETE FROM %s WHERE (%s) IN (SELECT %s FROM %s LIMIT 1 OFFSET ?2)",
				tables[t].name, tables[t].key, tables[t].key, tables[t].name);
		else
			snprintf(sql, sizeof(sql),
				 "UPDATE OR IGNORE %s SET %s = ?1 WHERE (%s) IN (SELECT %s FROM %s "
				 "LIMIT 1 OFFSET ?2)",
				 tables[t].name, tables[t].cols[c], tables[t].key, tables[t].key,
				 tables[t].name);
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			abort();
		if (how != 0xff)
			i += bind_value(st, how, data + i, size - i);
		sqlite3_bind_int(st, 2, (int)row);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
}

/* The pristine database: recorded once, its rules dropped, its bytes kept. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sqlite3 *db;
	FILE *f;
	long n;

	(void)argc;
	(void)argv;
	snprintf(pristine_path, sizeof(pristine_path), "/tmp/fuzz_db_rows.%d.pristine.db",
		 (int)getpid());
	snprintf(work_path, sizeof(work_path), "/tmp/fuzz_db_rows.%d.db", (int)getpid());
	fuzz_unlink_db(pristine_path);
	if (fuzz_make_db(pristine_path, 6)) {
		fprintf(stderr, "fuzz_db_rows: %s\n", kb_error_last());
		abort();
	}
	if (sqlite3_open(pristine_path, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
			 "PRAGMA journal_mode = DELETE; PRAGMA writable_schema = ON; "
			 "UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', '') WHERE type = "
			 "'table'; PRAGMA writable_schema = OFF; PRAGMA page_size = 1024; VACUUM",
			 NULL, NULL, NULL) != SQLITE_OK)
		abort();
	sqlite3_close(db);
	f = fopen(pristine_path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET))
		abort();
	pristine_size = (size_t)n;
	pristine = malloc(pristine_size);
	if (!pristine || fread(pristine, 1, pristine_size, f) != pristine_size)
		abort();
	fclose(f);
	if (getenv("KB_FUZZ_KEEP_DB"))
		fprintf(stderr, "fuzz_db_rows: the pristine database is %s\n", pristine_path);
	else
		fuzz_unlink_db(pristine_path);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sqlite3 *db;
	FILE *f;

	fuzz_unlink_db(work_path);
	f = fopen(work_path, "wb");
	if (!f || fwrite(pristine, 1, pristine_size, f) != pristine_size || fclose(f))
		abort();
	if (sqlite3_open(work_path, &db) != SQLITE_OK)
		abort();
	sqlite3_exec(db,
		     "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; PRAGMA "
		     "synchronous = OFF; PRAGMA journal_mode = MEMORY; BEGIN",
		     NULL, NULL, NULL);
	mutate(db, data, size);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	fuzz_read_everything(work_path);
	fuzz_unlink_db(work_path);
	return 0;
}
