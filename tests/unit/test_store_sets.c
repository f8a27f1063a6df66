/*
 * test_store_sets.c - schema 003's full sets as blobs, on databases the test makes itself: a
 * version 2 database (schema/001 and 002, its snapshots a row per item, written by SQL as
 * kbloat 2 wrote them) migrates with every build's full set as it was, read before by the
 * test's own walk of item_snapshot and item_delta and after by kb_store_sizes; a newer
 * database is refused and left alone; and each kind of damaged blob is a one-line error
 * from the readers and from db check, never a crash.
 */
#include "check.h"
#include "item_sets_sql.h"
#include "store_util.h"

#include "error.h"
#include "store.h"
#include "store_check.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SHA(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

#define NBUILDS 6
#define NITEMS 6

/*
 * The full sets the version 2 database below says, by build and item: 1 and 3 are snapshots
 * (3 along the chain 1-2-3-4, as every 64th build is), 5 failed, 6 the snapshot of another
 * config with no item at all (an empty set, no item_snapshot row).
 */
static const uint64_t want[NBUILDS + 1][NITEMS] = {
	[1] = { 0, 100, 200, 100, 200, 0 },
	[2] = { 0, 170, 200, 120, 200, 50 },
	[3] = { 0, 170, 0, 120, 200, 50 },
	[4] = { 0, 170, 5, 120, 1, 50 },
};

#define BUILD_COLS                                                                                 \
	"INSERT INTO builds (id, commit_id, config_id, status, recorded_at, total, text, rodata, " \
	"data, bss, init, percpu, other, bk_text, bk_data, bk_bss, bom_t, bom_d, bom_r, "          \
	"parent_build_id, distance, d_total, d_text, d_rodata, d_data, d_bss, d_init, d_percpu, "  \
	"d_other, snapshot) VALUES "

static void make_v2(const char *db)
{
	sqlite3 *h;

	CHECK(kb_schema_nfiles == 9); /* 001 to 009 */
	CHECK(sqlite3_open(db, &h) == SQLITE_OK);
	CHECK(sqlite3_exec(h, kb_schema_files[0].sql, NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_exec(h, kb_schema_files[1].sql, NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_exec(
		      h,
		      "PRAGMA user_version = 2;"
		      "INSERT INTO commits VALUES (1, '" SHA(
			      "1") "', NULL, 'A', 'a@b', 1, 1, 's1');"
				   "INSERT INTO commits VALUES (2, '" SHA("2") "', '" SHA(
					   "1") "', 'A', 'a@b', 2, 2, 's2');"
						"INSERT INTO commits VALUES (3, '" SHA("3") "', '" SHA(
							"2") "', 'A', 'a@b', 3, 3, 's3');"
							     "INSERT INTO commits VALUES (4, '" SHA("4") "', '" SHA(
								     "3") "', 'A', 'a@b', 4, 4, 's4');"
									  "INSERT INTO commits VALUES (5, '" SHA("5") "', '" SHA(
										  "4") "', 'A', "
										       "'a@b', 5, 5, 's5');"
										       "INSERT INTO configs VALUES (1, 'tinyconfig', 'x86_64', NULL, NULL);"
										       "INSERT INTO configs VALUES (2, 'defconfig', 'x86_64', NULL, NULL);"
										       "INSERT INTO subsystems VALUES (1, 'FS');"
										       "INSERT INTO paths VALUES (1, 'fs/a.c', 1);"
										       "INSERT INTO items VALUES (1, 0, 'foo', 1, 0);"
										       "INSERT INTO items VALUES (2, 0, 'bar', 1, 2);"
										       "INSERT INTO items VALUES (3, 1, 'foo', 0, 0);"
										       "INSERT INTO items VALUES (4, 2, 'bar', 0, 0);"
										       "INSERT INTO items VALUES (5, 3, 'baz', 0, 0);" BUILD_COLS
										       "(1, 1, 1, 'ok', 5, 300, 100, 0, 200, 0, 0, 0, 0, 100, 200, 0, 100, 200, 0, "
										       "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1),"
										       "(2, 2, 1, 'ok', 6, 370, 170, 0, 200, 0, 0, 0, 0, 170, 200, 0, 120, 200, 50, "
										       "1, 1, 70, 70, 0, 0, 0, 0, 0, 0, 0),"
										       "(3, 3, 1, 'ok', 7, 170, 170, 0, 0, 0, 0, 0, 0, 170, 0, 0, 120, 200, 50, "
										       "2, 1, -200, 0, 0, -200, 0, 0, 0, 0, 1),"
										       "(4, 4, 1, 'ok', 8, 175, 170, 0, 5, 0, 0, 0, 0, 170, 5, 0, 120, 1, 50, "
										       "3, 1, 5, 0, 0, 5, 0, 0, 0, 0, 0),"
										       "(6, 5, 2, 'ok', 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "
										       "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1);"
										       "INSERT INTO builds (id, commit_id, config_id, status, recorded_at, log_tail) "
										       "VALUES (5, 5, 1, 'failed', 10, 'error: x');"
										       "INSERT INTO item_snapshot VALUES (1, 1, 100), (1, 2, 200), (1, 3, 100), "
										       "(1, 4, 200);"
										       "INSERT INTO item_delta VALUES (2, 1, 170, 100), (2, 3, 120, 100), "
										       "(2, 5, 50, 0);"
										       "INSERT INTO item_delta VALUES (3, 2, 0, 200);"
										       "INSERT INTO item_snapshot VALUES (3, 1, 170), (3, 3, 120), (3, 4, 200), "
										       "(3, 5, 50);"
										       "INSERT INTO item_delta VALUES (4, 2, 5, 0), (4, 4, 1, 200);",
		      NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(h);
}

/* Build's full set as schema 2 says it, read by the test alone: its nearest snapshot's rows
 * up the parent links, then each build's changes down from there. */
static void v2_set(const char *db, int64_t build, uint64_t *z)
{
	int64_t chain[NBUILDS + 1], b = build;
	size_t n = 0;
	sqlite3_stmt *up, *rows;
	sqlite3 *h;

	memset(z, 0, NITEMS * sizeof(*z));
	CHECK(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(h, "SELECT snapshot, parent_build_id FROM builds WHERE id = ?1",
				 -1, &up, NULL) == SQLITE_OK);
	for (;;) {
		int snap;

		chain[n++] = b;
		sqlite3_bind_int64(up, 1, b);
		CHECK(sqlite3_step(up) == SQLITE_ROW);
		snap = sqlite3_column_int(up, 0);
		b = sqlite3_column_int64(up, 1);
		sqlite3_reset(up);
		if (snap || n > NBUILDS)
			break;
	}
	CHECK(sqlite3_prepare_v2(h, "SELECT item_id, size FROM item_snapshot WHERE build_id = ?1",
				 -1, &rows, NULL) == SQLITE_OK);
	sqlite3_bind_int64(rows, 1, chain[n - 1]);
	while (sqlite3_step(rows) == SQLITE_ROW)
		z[sqlite3_column_int64(rows, 0) % NITEMS] = (uint64_t)sqlite3_column_int64(rows, 1);
	sqlite3_finalize(rows);
	CHECK(sqlite3_prepare_v2(h, "SELECT item_id, size FROM item_delta WHERE build_id = ?1", -1,
				 &rows, NULL) == SQLITE_OK);
	while (--n > 0) {
		sqlite3_bind_int64(rows, 1, chain[n - 1]);
		while (sqlite3_step(rows) == SQLITE_ROW)
			z[sqlite3_column_int64(rows, 0) % NITEMS] =
				(uint64_t)sqlite3_column_int64(rows, 1);
		sqlite3_reset(rows);
	}
	sqlite3_finalize(rows);
	sqlite3_finalize(up);
	sqlite3_close(h);
}

/* db check's problems, one a line ("" when none). */
static char *problems(const char *db)
{
	struct kb_store *s;
	struct kb_check c;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	CHECK(!kb_store_open_read(&s, db));
	if (s) {
		CHECK(!kb_store_check(s, &c));
		for (i = 0; i < c.nproblems; i++)
			fprintf(f, "%s\n", c.problems[i]);
		kb_check_release(&c);
		kb_store_close(s);
	}
	fclose(f);
	return text;
}

static void v2_database_migrates_with_every_set(const char *db)
{
	uint64_t before[NBUILDS + 1][NITEMS];
	struct kb_store *s;
	struct kb_sizes z;
	int64_t b;
	size_t k;
	char *p;

	make_v2(db);
	for (b = 1; b <= NBUILDS; b++) {
		if (b == 5)
			continue; /* failed: no sizes */
		v2_set(db, b, before[b]);
		for (k = 0; k < NITEMS; k++)
			CHECK_U64(before[b][k], want[b][k]);
	}
	CHECK(kb_store_open_read(&s, db) == KB_ERR);
	CHECK(strstr(kb_error_last(), "schema version 2 is older than this kbloat's 9") != NULL);

	CHECK(!kb_store_open(&s, db, 0));
	kb_store_close(s);
	CHECK_U64(sql_int(db, "PRAGMA user_version"), (1u << 30) | 0x1ff);
	/* the dropped item_snapshot's pages are not kept as free pages: the file was vacuumed */
	CHECK_U64(sql_int(db, "PRAGMA freelist_count"), 0);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'item_snapshot'"),
		  0);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM item_sets"), 3);
	CHECK_U64(sql_int(db, "SELECT sum(build_id) FROM item_sets"), 1 + 3 + 6);
	/* the blobs as the test reads them, byte for byte the sizes of the rows they replace */
	CHECK_U64(sql_int(db, "SELECT get_size(sizes, 2) FROM item_sets WHERE build_id = 1"), 200);
	CHECK_U64(sql_int(db, "SELECT get_size(sizes, 2) FROM item_sets WHERE build_id = 3"), 0);
	CHECK_U64(sql_int(db, "SELECT get_size(sizes, 5) FROM item_sets WHERE build_id = 3"), 50);
	CHECK_U64(sql_int(db, "SELECT length(sizes) FROM item_sets WHERE build_id = 6"), 2);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);

	CHECK(!kb_store_open_read(&s, db));
	for (b = 1; b <= NBUILDS; b++) {
		if (b == 5) {
			CHECK(kb_store_sizes(s, b, &z) == KB_ERR);
			continue;
		}
		CHECK(!kb_store_sizes(s, b, &z));
		for (k = 0; k < NITEMS; k++)
			CHECK_U64(k < z.n ? z.v[k] : 0, before[b][k]);
		CHECK(z.n <= NITEMS || z.v[NITEMS] == 0);
		kb_sizes_release(&z);
	}
	kb_store_close(s);
	p = problems(db);
	CHECK_STR(p, "");
	free(p);
}

/* What this kbloat does with a newer database: refuses it, writes nothing. */
static void newer_database_is_refused(const char *db)
{
	struct kb_store *s;

	/* numbered as before 004: past the last file this kbloat has (009) */
	bend(db, "PRAGMA user_version = 10");
	CHECK(kb_store_open(&s, db, 0) == KB_ERR);
	CHECK(strstr(kb_error_last(),
		     "schema version 10 is newer than this kbloat's 9; use a newer kbloat") !=
	      NULL);
	CHECK(kb_store_open_read(&s, db) == KB_ERR);
	CHECK(strstr(kb_error_last(),
		     "schema version 10 is newer than this kbloat's 9; use a newer kbloat") !=
	      NULL);
	CHECK_U64(sql_int(db, "PRAGMA user_version"), 10);
	bend(db, "PRAGMA user_version = 1073742335"); /* back: a bit each for 001 to 009 */
}

/* Build 1's blob bent to blob (SQL): the readers' error for build 1, and db check's for
 * builds 1 and 2 (2's chain starts at 1; 3 is a snapshot of its own). */
static void damaged(const char *db, const char *blob, const char *what)
{
	char sql[512], msg[400], line[1024];
	struct kb_store *s;
	struct kb_sizes z;
	char *p;

	snprintf(sql, sizeof(sql),
		 "CREATE TABLE IF NOT EXISTS keep AS SELECT sizes FROM item_sets WHERE build_id "
		 "= 1; UPDATE item_sets SET sizes = %s WHERE build_id = 1",
		 blob);
	bend(db, sql);
	snprintf(msg, sizeof(msg), "%s: build 1: %s", db, what);
	CHECK(!kb_store_open_read(&s, db));
	CHECK(kb_store_sizes(s, 1, &z) == KB_ERR);
	CHECK_STR(kb_error_last(), msg);
	CHECK(kb_store_sizes(s, 2, &z) == KB_ERR);
	CHECK_STR(kb_error_last(), msg);
	CHECK(!kb_store_sizes(s, 4, &z));
	CHECK_U64(z.v[4], 1);
	kb_sizes_release(&z);
	kb_store_close(s);
	p = problems(db);
	snprintf(line, sizeof(line), "build of 111111111111: %s\nbuild of 222222222222: %s\n", msg,
		 msg);
	CHECK_STR(p, line);
	free(p);
	bend(db, "UPDATE item_sets SET sizes = (SELECT sizes FROM keep) WHERE build_id = 1; DROP "
		 "TABLE keep");
	p = problems(db);
	CHECK_STR(p, "");
	free(p);
}

#define DAMAGED "its stored set of sizes is damaged: "

static void damaged_blobs_are_one_line_errors(const char *db)
{
	struct kb_store *s;
	char *p;

	damaged(db, "X''", DAMAGED "it is empty");
	damaged(db, "X'02'", DAMAGED "an unknown format");
	damaged(db, "X'01'", DAMAGED "a varint is cut short or beyond 64 bits");
	damaged(db, "X'0180'", DAMAGED "a varint is cut short or beyond 64 bits");
	damaged(db, "X'010300640164'", DAMAGED "it holds fewer items than it says");
	damaged(db, "X'010200640080'", DAMAGED "a varint is cut short or beyond 64 bits");
	damaged(db, "X'01FFFF7F0064'", DAMAGED "it holds fewer items than it says");
	damaged(db, "X'0101006464'", DAMAGED "bytes after its last item");
	/* a size of 2^63, and one of 11 bytes (beyond 64 bits) */
	damaged(db, "X'01010180808080808080808001'", DAMAGED "a size beyond 2^63 bytes");
	damaged(db, "X'0101018080808080808080808001'",
		DAMAGED "a varint is cut short or beyond 64 bits");
	/* an id past the items table, and one past 2^63 */
	damaged(db, "X'01016301'", "item id 99 is out of range (no such item)");
	damaged(db, "X'0101FFFFFFFFFFFFFFFF7F01'", DAMAGED "an item id beyond 2^63");
	damaged(db, "'text'", DAMAGED "not a blob");

	/* sizes whose sum is beyond 2^63: the sums check says so, as before blobs */
	bend(db, "CREATE TABLE keep AS SELECT sizes FROM item_sets WHERE build_id = 1; UPDATE "
		 "item_sets SET sizes = set_size(set_size(sizes, 1, 9223372036854775807), 2, 1) "
		 "WHERE build_id = 1");
	CHECK(!kb_store_open_read(&s, db));
	{
		struct kb_sizes z;

		CHECK(kb_store_sizes(s, 1, &z) == KB_ERR);
		CHECK(strstr(kb_error_last(), "build 1: its stored sizes add up beyond 2^63") !=
		      NULL);
	}
	kb_store_close(s);
	bend(db, "UPDATE item_sets SET sizes = (SELECT sizes FROM keep) WHERE build_id = 1; DROP "
		 "TABLE keep");

	/* a snapshot build without its blob */
	bend(db, "CREATE TABLE keep AS SELECT * FROM item_sets WHERE build_id = 1; DELETE FROM "
		 "item_sets WHERE build_id = 1");
	p = problems(db);
	CHECK(strstr(p, "build of 111111111111: ") != NULL);
	CHECK(strstr(p, "build 1: marked as a snapshot but its set of sizes is missing") != NULL);
	free(p);
	bend(db, "INSERT INTO item_sets SELECT * FROM keep; DROP TABLE keep");
	p = problems(db);
	CHECK_STR(p, "");
	free(p);
}

int main(void)
{
	char *db;

	if (!mkdtemp(dir)) {
		perror(dir);
		return 1;
	}
	db = path_in_dir("v2.db");
	v2_database_migrates_with_every_set(db);
	newer_database_is_refused(db);
	damaged_blobs_are_one_line_errors(db);
	free(db);
	remove_dir();
	return check_done("test_store_sets");
}
