/*
 * test_store_modular.c - schema 002's write side, on databases the test makes itself: an ok
 * build keeps its padding, its modular sums and its option items; d_core follows the parent
 * build when a build is recorded between two (re-link) and is NULL unless both builds were
 * analyzed; the store refuses sums that do not add up; merge keeps it all; db check names
 * each bent sum; schema 009's relearnt kallsyms term is kept beside the sums, refused and
 * named where it cannot be, lands on a database of schema 008 as NULL, and is in the
 * estimate every report takes (kb_series_modular); and a version 1 database (schema/001 alone, rows written by SQL as kbloat
 * 1 wrote them) migrates to the current version with every build, size and item as it was
 * (test_store_sets.c migrates a version 2 one).
 */
#include "check.h"
#include "item_sets_sql.h"
#include "store_util.h"

#include "error.h"
#include "query.h"
#include "store.h"
#include "store_check.h"
#include "store_merge.h"
#include "store_options.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHA(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define YEAR 31536000 /* 1971-01-01 */

/* One build's figures: code (not padding) of which tri, bool, kept are options' and core
 * the hard core; the rest is unknown objects. modular 0: the analysis did not run. has_ks:
 * the analysis relearnt the kallsyms table, its term ks (schema 009). */
struct fig {
	uint64_t code, pad, tri, boo, kept, core;
	int modular, has_ks;
	int64_t ks;
};

static void fill_rec(struct kb_build_rec *rec, struct kb_itemset *set, const struct fig *f)
{
	kb_itemset_add(set, KB_ITEM_ROW, "foo", "fs/a.c", "FS", 0, f->code);
	kb_itemset_add(set, KB_ITEM_ROW, "[padding .text]", "", NULL, 0, f->pad);
	kb_itemset_add(set, KB_ITEM_BOM_T, "foo", "", NULL, 0, f->code);
	rec->total = rec->cls[0] = f->code + f->pad;
	rec->padding = f->pad;
	rec->has_modular = f->modular;
	rec->has_kallsyms = f->has_ks;
	rec->m_kallsyms = f->ks;
	if (!f->modular)
		return;
	kb_itemset_add(set, KB_ITEM_OPTION, "FOO", "", NULL, KB_OPT_TRI_CAND, f->tri);
	kb_itemset_add(set, KB_ITEM_OPTION, "BAR", "", NULL, KB_OPT_BOOL_CAND, f->boo);
	kb_itemset_add(set, KB_ITEM_OPTION, "BAZ", "", NULL, KB_OPT_TRI_KEPT, f->kept);
	rec->m_tristate = f->tri;
	rec->m_bool = f->boo;
	rec->m_core = f->core;
	rec->m_rest = f->code - f->tri - f->boo - f->core;
}

/* What a test makes of a build's record after fill_rec, or NULL. */
typedef void (*rec_bender)(struct kb_build_rec *rec, struct kb_itemset *set);

/* Records an ok build of sha (first parent parent, whose own parent is grand) with f, bent
 * by how (or not); returns kb_store_record's result. */
static int record_bent(struct kb_store *s, const char *sha, const char *parent, const char *grand,
		       const struct fig *f, rec_bender how)
{
	struct kb_store_commit c = { sha, parent, "A U Thor", "a@u.thor", "a subject", YEAR, YEAR };
	struct kb_store_commit p = { parent, grand, "A U Thor", "a@u.thor", "a parent", YEAR, YEAR };
	struct kb_itemset set = { 0 };
	struct kb_build_rec rec = { 0 };
	int already = 0, rc;

	rec.commit = &c;
	rec.chain = &p;
	rec.nchain = parent ? 1 : 0;
	rec.config = "tiny";
	rec.arch = "x86_64";
	rec.status = "ok";
	rec.items = &set;
	fill_rec(&rec, &set, f);
	if (how)
		how(&rec, &set);
	rc = kb_store_record(s, &rec, &already);
	CHECK(!already);
	kb_itemset_release(&set);
	return rc;
}

static int record(struct kb_store *s, const char *sha, const char *parent, const char *grand,
		  const struct fig *f)
{
	return record_bent(s, sha, parent, grand, f, NULL);
}

#define BUILD_OF(c)                                                                            \
	"(SELECT b.id FROM builds b JOIN commits k ON k.id = b.commit_id WHERE k.sha = '" SHA( \
		c) "')"
#define COL(db, col, c) sql_int(db, "SELECT " col " FROM builds WHERE id = " BUILD_OF(c))

/* a's term shrinks the table, as on a defconfig; c's grows it (its tristates gone before) */
static const struct fig fa = { 1000, 200, 100, 50, 30, 700, 1, 1, -40 };
static const struct fig fb = { 1300, 200, 100, 50, 30, 950, 1 };
static const struct fig fc = { 1400, 100, 150, 60, 40, 990, 1, 1, 25 };
static const struct fig fd = { 1500, 100, 0, 0, 0, 0, 0 };
static const struct fig fe = { 1600, 100, 150, 60, 40, 1100, 1 };

/* a, c (its parent build a), then b between them: c re-links to b, its d_core with it;
 * d without the analysis, e after it: no d_core on either. */
static void sums_and_d_core(const char *db)
{
	struct kb_store *s;

	CHECK(!kb_store_open(&s, db, 1));
	CHECK(!record(s, SHA("a"), NULL, NULL, &fa));
	CHECK(!record(s, SHA("c"), SHA("b"), SHA("a"), &fc));
	CHECK_U64(COL(db, "d_core", "c"), 990 - 700);
	CHECK(!record(s, SHA("b"), SHA("a"), NULL, &fb));
	CHECK(!record(s, SHA("d"), SHA("c"), SHA("b"), &fd));
	CHECK(!record(s, SHA("e"), SHA("d"), SHA("c"), &fe));
	kb_store_close(s);

	CHECK_U64(COL(db, "padding", "a"), 200);
	CHECK_U64(COL(db, "m_tristate", "a"), 100);
	CHECK_U64(COL(db, "m_bool", "a"), 50);
	CHECK_U64(COL(db, "m_core", "a"), 700);
	CHECK_U64(COL(db, "m_rest", "a"), 150);
	CHECK(COL(db, "d_core", "a") == -1);
	CHECK(COL(db, "m_kallsyms", "a") == -40);
	CHECK(COL(db, "m_kallsyms IS NULL", "b") == 1);
	CHECK_U64(COL(db, "m_kallsyms", "c"), 25);
	CHECK(COL(db, "m_kallsyms IS NULL", "d") == 1);
	CHECK_U64(COL(db, "d_core", "b"), 950 - 700);
	CHECK_U64(COL(db, "d_core", "c"), 990 - 950);
	CHECK_U64(COL(db, "d_total", "c"), 1500 - 1500);
	CHECK_U64(COL(db, "padding", "d"), 100);
	CHECK(COL(db, "m_core", "d") == -1);
	CHECK(COL(db, "m_rest", "d") == -1);
	CHECK(COL(db, "d_core", "d") == -1);
	CHECK_U64(COL(db, "m_core", "e"), 1100);
	CHECK(COL(db, "d_core", "e") == -1);
	/* c's options are deltas against b: FOO and BAZ changed, BAR did not */
	CHECK_U64(sql_int(db, "SELECT count(*) FROM item_delta d JOIN items i ON i.id = "
			      "d.item_id WHERE i.kind = 4 AND d.build_id = " BUILD_OF("c")),
		  3);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM item_delta d JOIN items i ON i.id = "
			      "d.item_id WHERE i.kind = 4 AND d.build_id = " BUILD_OF("d")),
		  3);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM items WHERE kind = 4"), 3);
	CHECK_U64(sql_int(db, "SELECT bom_t FROM builds WHERE id = " BUILD_OF("e")), 1600);
}

static void padding_beyond_total(struct kb_build_rec *rec, struct kb_itemset *set)
{
	(void)set;
	rec->padding = rec->total + 1;
}

static void option_of_class_9(struct kb_build_rec *rec, struct kb_itemset *set)
{
	(void)rec;
	set->v[set->n - 1].cls = 9;
}

static void options_without_sums(struct kb_build_rec *rec, struct kb_itemset *set)
{
	(void)set;
	rec->has_modular = 0;
}

static void candidates_not_m_tristate(struct kb_build_rec *rec, struct kb_itemset *set)
{
	(void)set;
	rec->m_tristate--;
	rec->m_rest++;
}

static void kallsyms_without_sums(struct kb_build_rec *rec, struct kb_itemset *set)
{
	/* no option items either: the term alone makes the record wrong */
	set->n -= 3;
	rec->has_modular = 0;
}

static void kallsyms_beyond_code(struct kb_build_rec *rec, struct kb_itemset *set)
{
	(void)set;
	rec->m_kallsyms = -1001; /* a's code and data is 1000 */
}

static void store_refuses_sums_that_do_not_add_up(const char *db)
{
	struct fig bad = fa;
	struct kb_store *s;

	CHECK(!kb_store_open(&s, db, 0));
	bad.code = 999; /* the four no longer make the code and data */
	bad.tri = 100;
	bad.core = 1000;
	CHECK(record(s, SHA("f"), SHA("e"), SHA("d"), &bad) == KB_ERR);
	CHECK(strstr(kb_error_last(), "modular sums (100 + 50 + 1000 + 18446744073709551465) "
				      "are not its code and data (999)") != NULL);
	CHECK(record_bent(s, SHA("f"), SHA("e"), SHA("d"), &fa, padding_beyond_total) == KB_ERR);
	CHECK(strstr(kb_error_last(), "whose padding (1201) exceeds its total (1200)") != NULL);
	CHECK(record_bent(s, SHA("f"), SHA("e"), SHA("d"), &fa, option_of_class_9) == KB_ERR);
	CHECK(strstr(kb_error_last(), "with an item of kind 4 and class 9") != NULL);
	CHECK(record_bent(s, SHA("f"), SHA("e"), SHA("d"), &fa, options_without_sums) == KB_ERR);
	CHECK(strstr(kb_error_last(), "with options but no modular sums") != NULL);
	CHECK(record_bent(s, SHA("f"), SHA("e"), SHA("d"), &fa, candidates_not_m_tristate) ==
	      KB_ERR);
	CHECK(strstr(kb_error_last(), "or not its options' sums") != NULL);
	CHECK(record_bent(s, SHA("f"), SHA("e"), SHA("d"), &fa, kallsyms_without_sums) == KB_ERR);
	CHECK(strstr(kb_error_last(), "with a kallsyms term but no modular sums") != NULL);
	CHECK(record_bent(s, SHA("f"), SHA("e"), SHA("d"), &fa, kallsyms_beyond_code) == KB_ERR);
	CHECK(strstr(kb_error_last(), "whose kallsyms term (-1001) is larger than its code and "
				      "data (1000)") != NULL);
	kb_store_close(s);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM builds"), 5);
}

/* What a check of db says: its problems joined by newlines (the caller frees it). */
static char *problems(const char *db)
{
	struct kb_store *s;
	struct kb_check c;
	char *all = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&all, &len);

	CHECK(!kb_store_open(&s, db, 0));
	CHECK(!kb_store_check(s, &c));
	for (i = 0; i < c.nproblems; i++)
		fprintf(f, "%s\n", c.problems[i]);
	kb_check_release(&c);
	kb_store_close(s);
	fclose(f);
	return all;
}

/* Bends db with sql, expects want among its problems, then unbends it with undo. */
static void check_names(const char *db, const char *sql, const char *want, const char *undo)
{
	char *p;

	bend(db, sql);
	p = problems(db);
	if (!strstr(p, want))
		fprintf(stderr, "want \"%s\" in:\n%s", want, p);
	CHECK(strstr(p, want) != NULL);
	free(p);
	bend(db, undo);
	p = problems(db);
	CHECK_STR(p, "");
	free(p);
}

static void check_names_each_bent_sum(const char *db)
{
	char *p = problems(db);

	CHECK_STR(p, "");
	free(p);
	check_names(db, "UPDATE builds SET padding = 3000 WHERE id = " BUILD_OF("a"),
		    "build of aaaaaaaaaaaa: its padding (3000) is not within its total (1200)",
		    "UPDATE builds SET padding = 200 WHERE id = " BUILD_OF("a"));
	check_names(db, "UPDATE builds SET m_rest = m_rest + 1 WHERE id = " BUILD_OF("a"),
		    "build of aaaaaaaaaaaa: m_tristate + m_bool + m_core + m_rest = 1001, its "
		    "total - padding is 1000",
		    "UPDATE builds SET m_rest = m_rest - 1 WHERE id = " BUILD_OF("a"));
	check_names(db, "UPDATE builds SET m_bool = NULL WHERE id = " BUILD_OF("b"),
		    "build of bbbbbbbbbbbb: some of m_tristate, m_bool, m_core and m_rest are "
		    "NULL and some are not",
		    "UPDATE builds SET m_bool = 50 WHERE id = " BUILD_OF("b"));
	check_names(db, "UPDATE builds SET d_core = 7 WHERE id = " BUILD_OF("c"),
		    "build of cccccccccccc: its d_core is not its parent's m_core difference",
		    "UPDATE builds SET d_core = 40 WHERE id = " BUILD_OF("c"));
	check_names(db, "UPDATE builds SET d_core = 7 WHERE id = " BUILD_OF("e"),
		    "build of eeeeeeeeeeee: its d_core is not its parent's m_core difference",
		    "UPDATE builds SET d_core = NULL WHERE id = " BUILD_OF("e"));
	check_names(
		db,
		"UPDATE item_sets SET sizes = set_size(sizes, (SELECT id FROM items WHERE name = 'FOO'), 101) WHERE build_id = " BUILD_OF(
			"a"),
		"build of aaaaaaaaaaaa: stored tristate candidates sum to 101, its m_tristate "
		"says 100",
		"UPDATE item_sets SET sizes = set_size(sizes, (SELECT id FROM items WHERE name = 'FOO'), 100) WHERE build_id = " BUILD_OF(
			"a"));
	check_names(
		db,
		"UPDATE item_sets SET sizes = set_size(sizes, (SELECT id FROM items WHERE name = 'BAR'), 51) WHERE build_id = " BUILD_OF(
			"a"),
		"build of aaaaaaaaaaaa: stored bool candidates (and the tristates they free) sum to 51, its m_bool says 50",
		"UPDATE item_sets SET sizes = set_size(sizes, (SELECT id FROM items WHERE name = 'BAR'), 50) WHERE build_id = " BUILD_OF(
			"a"));
	check_names(
		db,
		"UPDATE item_sets SET sizes = set_size(sizes, (SELECT id FROM items WHERE name = 'BAZ'), 151) WHERE build_id = " BUILD_OF(
			"a"),
		"build of aaaaaaaaaaaa: stored options that stay built in sum to 151, more "
		"than its m_rest (150)",
		"UPDATE item_sets SET sizes = set_size(sizes, (SELECT id FROM items WHERE name = 'BAZ'), 30) WHERE build_id = " BUILD_OF(
			"a"));
	/* schema 009: the term beyond the code and data either way, on a build without the
	 * sums, or not a number */
	check_names(db, "UPDATE builds SET m_kallsyms = 1001 WHERE id = " BUILD_OF("a"),
		    "its m_kallsyms (the relearnt kallsyms term) is not an integer beside the "
		    "modular sums of an ok build, or is larger than its code and data",
		    "UPDATE builds SET m_kallsyms = -40 WHERE id = " BUILD_OF("a"));
	check_names(db, "UPDATE builds SET m_kallsyms = -1001 WHERE id = " BUILD_OF("a"),
		    "its m_kallsyms (the relearnt kallsyms term)",
		    "UPDATE builds SET m_kallsyms = -40 WHERE id = " BUILD_OF("a"));
	check_names(db, "UPDATE builds SET m_kallsyms = 5 WHERE id = " BUILD_OF("d"),
		    "its m_kallsyms (the relearnt kallsyms term)",
		    "UPDATE builds SET m_kallsyms = NULL WHERE id = " BUILD_OF("d"));
	check_names(db, "UPDATE builds SET m_kallsyms = 'x' WHERE id = " BUILD_OF("c"),
		    "its m_kallsyms (the relearnt kallsyms term)",
		    "UPDATE builds SET m_kallsyms = 25 WHERE id = " BUILD_OF("c"));
	/* the bound itself is not a problem */
	bend(db, "UPDATE builds SET m_kallsyms = -1000 WHERE id = " BUILD_OF("a"));
	p = problems(db);
	CHECK_STR(p, "");
	free(p);
	bend(db, "UPDATE builds SET m_kallsyms = -40 WHERE id = " BUILD_OF("a"));
	check_names(db, "UPDATE items SET class = 5 WHERE name = 'BAZ'",
		    "an option whose class is not 0..3",
		    "UPDATE items SET class = 1 WHERE name = 'BAZ'");
}

/* Merge copies the sums, the option items and d_core as they were. */
static void merge_keeps_sums_and_options(const char *db)
{
	char *out_path = path_in_dir("merged.db"), *p;
	struct kb_store *out;
	size_t added, had;
	static const char *const cols[] = { "padding", "m_tristate", "m_bool",
					    "m_core",  "m_rest",     "d_core",
					    "d_total", "m_kallsyms", "m_kallsyms IS NULL" };
	const char *shas = "abcde";
	size_t i, k;

	CHECK(!kb_store_open(&out, out_path, 1));
	CHECK(!kb_store_merge(out, db, &added, &had));
	CHECK_U64(added, 5);
	kb_store_close(out);
	for (i = 0; i < 5; i++) {
		for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
			char sha[41], sql[256];

			memset(sha, shas[i], 40);
			sha[40] = 0;
			snprintf(sql, sizeof(sql),
				 "SELECT %s FROM builds b JOIN commits c ON c.id = b.commit_id "
				 "WHERE c.sha = '%s'",
				 cols[k], sha);
			CHECK(sql_int(db, sql) == sql_int(out_path, sql));
		}
	}
	CHECK_U64(sql_int(out_path, "SELECT count(*) FROM items WHERE kind = 4"), 3);
	CHECK_U64(sql_int(out_path,
			  "SELECT size FROM item_delta d JOIN items i ON i.id = "
			  "d.item_id WHERE i.name = 'FOO' AND d.build_id = " BUILD_OF("e")),
		  150);
	p = problems(out_path);
	CHECK_STR(p, "");
	free(p);
	free(out_path);
}

/*
 * A version 1 database as kbloat 1 wrote it: schema/001 alone, two ok builds (a snapshot and
 * a delta), one failed build, items of kinds 0 to 3.
 */
static void make_v1(const char *db)
{
	sqlite3 *h;

	CHECK(kb_schema_nfiles == 9); /* 001 to 009 */
	CHECK(sqlite3_open(db, &h) == SQLITE_OK);
	CHECK(sqlite3_exec(h, kb_schema_files[0].sql, NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_exec(
		      h,
		      "PRAGMA user_version = 1;"
		      "INSERT INTO commits VALUES (1, '" SHA(
			      "1") "', NULL, 'A', 'a@b', 1, 1, 's1');"
				   "INSERT INTO commits VALUES (2, '" SHA("2") "', '" SHA(
					   "1") "', 'A', 'a@b', 2, 2, 's2');"
						"INSERT INTO commits VALUES (3, '" SHA("3") "', '" SHA(
							"2") "', 'A', 'a@b', 3, 3, 's3');"
							     "INSERT INTO configs VALUES (1, 'tinyconfig', 'x86_64', NULL, NULL);"
							     "INSERT INTO subsystems VALUES (1, 'FS');"
							     "INSERT INTO paths VALUES (1, 'fs/a.c', 1);"
							     "INSERT INTO items VALUES (1, 0, 'foo', 1, 0);"
							     "INSERT INTO items VALUES (2, 0, 'bar', 1, 2);"
							     "INSERT INTO items VALUES (3, 1, 'foo', 0, 0);"
							     "INSERT INTO items VALUES (4, 2, 'bar', 0, 0);"
							     "INSERT INTO items VALUES (5, 3, 'baz', 0, 0);"
							     "INSERT INTO builds (id, commit_id, config_id, status, recorded_at, total, "
							     "text, rodata, data, bss, init, percpu, other, bk_text, bk_data, bk_bss, "
							     "bom_t, bom_d, bom_r, snapshot) VALUES (1, 1, 1, 'ok', 5, 300, 100, 0, 200, "
							     "0, 0, 0, 0, 100, 200, 0, 100, 200, 0, 1);"
							     "INSERT INTO item_snapshot VALUES (1, 1, 100), (1, 2, 200), (1, 3, 100), "
							     "(1, 4, 200);"
							     "INSERT INTO builds (id, commit_id, config_id, status, recorded_at, total, "
							     "text, rodata, data, bss, init, percpu, other, bk_text, bk_data, bk_bss, "
							     "bom_t, bom_d, bom_r, parent_build_id, distance, d_total, d_text, d_rodata, "
							     "d_data, d_bss, d_init, d_percpu, d_other) VALUES (2, 2, 1, 'ok', 6, 370, 170, "
							     "0, 200, 0, 0, 0, 0, 170, 200, 0, 120, 200, 50, 1, 1, 70, 70, 0, 0, 0, 0, 0, 0);"
							     "INSERT INTO item_delta VALUES (2, 1, 170, 100), (2, 3, 120, 100), "
							     "(2, 5, 50, 0);"
							     "INSERT INTO builds (id, commit_id, config_id, status, recorded_at, log_tail) "
							     "VALUES (3, 3, 1, 'failed', 7, 'error: x');",
		      NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(h);
}

/*
 * A database as kbloat wrote it before 004 (user_version 3: files numbered up to 3) gets
 * 004 to 008; one whose bits name a file this kbloat lacks (009) is newer, and refused.
 * 007 and 008 need nothing of each other: either lands on a database that has the other.
 */
static void migrations_land_in_either_order(const char *db)
{
	struct kb_store *s;

	/* 007's index first: it holds the column 004 added */
	bend(db,
	     "DROP INDEX builds_line; ALTER TABLE builds DROP COLUMN m_kallsyms; DROP TABLE "
	     "subsystem_contacts; ALTER TABLE builds DROP COLUMN reused; DROP TABLE refs; DROP TABLE repository; DROP TABLE build_outputs; "
	     "PRAGMA user_version = 3;");
	CHECK(kb_store_open_read(&s, db) == KB_ERR);
	CHECK(strstr(kb_error_last(), "schema version 3 is older than this kbloat's 9") != NULL);
	CHECK(!kb_store_open(&s, db, 0));
	kb_store_close(s);
	CHECK_U64(sql_int(db, "PRAGMA user_version"), (1u << 30) | 0x1ff);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM builds WHERE reused = 0"), 4);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM refs"), 0);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'builds_line'"), 1);
	/* as a kbloat with a 010 leaves it */
	bend(db, "PRAGMA user_version = 1073742847;");
	CHECK(kb_store_open(&s, db, 0) == KB_ERR);
	CHECK(strstr(kb_error_last(), "is newer than this kbloat's 9; use a newer kbloat") != NULL);
	kb_error_clear();
	/* 001 to 006, 008 and 009 applied, as a kbloat without 007 leaves it: 007 lands alone */
	bend(db, "DROP INDEX builds_line; PRAGMA user_version = 1073742271;");
	CHECK(!kb_store_open(&s, db, 0));
	kb_store_close(s);
	CHECK_U64(sql_int(db, "PRAGMA user_version"), (1u << 30) | 0x1ff);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'builds_line'"), 1);
	/* 001 to 007 applied, as a kbloat without 008 leaves it: 008 lands alone */
	bend(db, "DROP TABLE build_outputs; PRAGMA user_version = 1073742207;");
	CHECK(!kb_store_open(&s, db, 0));
	kb_store_close(s);
	CHECK_U64(sql_int(db, "PRAGMA user_version"), (1u << 30) | 0x1ff);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM build_outputs"), 0);
}

static void v1_database_migrates_with_everything(const char *db)
{
	struct kb_store *s;
	struct kb_sizes z;
	struct kb_build_brief b;
	static const uint64_t want[2][6] = { { 0, 100, 200, 100, 200, 0 },
					     { 0, 170, 200, 120, 200, 50 } };
	struct fig f = { 300, 100, 40, 0, 0, 200, 1 };
	char *p;
	size_t i, k;

	make_v1(db);
	/* a reader does not migrate: it says what does */
	CHECK(kb_store_open_read(&s, db) == KB_ERR);
	CHECK(strstr(kb_error_last(), "schema version 1 is older than this kbloat's 9; a command "
				      "that writes (record, collect, or merge into it) upgrades "
				      "it") != NULL);
	CHECK_U64(sql_int(db, "PRAGMA user_version"), 1);

	CHECK(!kb_store_open(&s, db, 0));
	kb_store_close(s);
	/* a bit per applied file: 001 to 009 */
	CHECK_U64(sql_int(db, "PRAGMA user_version"), (1u << 30) | 0x1ff);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM builds WHERE reused = 0"), 3);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM builds"), 3);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM items"), 5);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM items WHERE id = 5 AND kind = 3 AND name = "
			      "'baz' AND path_id = 0 AND class = 0"),
		  1);
	CHECK(sql_int(db, "SELECT padding FROM builds WHERE id = 2") == -1);
	CHECK(sql_int(db, "SELECT m_core FROM builds WHERE id = 2") == -1);
	CHECK(sql_int(db, "SELECT d_core FROM builds WHERE id = 2") == -1);

	CHECK(!kb_store_open_read(&s, db));
	for (i = 0; i < 2; i++) {
		CHECK(!kb_store_sizes(s, (int64_t)i + 1, &z));
		for (k = 1; k < 6; k++)
			CHECK_U64(k < z.n ? z.v[k] : 0, want[i][k]);
		kb_sizes_release(&z);
	}
	CHECK(kb_store_build_brief(s, SHA("2"), "tinyconfig", "x86_64", &b) == 0);
	CHECK_U64(b.total, 370);
	CHECK_U64(b.d_total, 70);
	CHECK_STR(b.parent_sha, SHA("1"));
	CHECK(kb_store_build_brief(s, SHA("3"), "tinyconfig", "x86_64", &b) == 0);
	CHECK_STR(b.status, "failed");
	kb_store_close(s);
	p = problems(db);
	CHECK_STR(p, "");
	free(p);

	/* a build recorded after it has its sums; no d_core: its parent has no m_core */
	CHECK(!kb_store_open(&s, db, 0));
	{
		struct kb_store_commit c = { SHA("4"), SHA("3"), "A", "a@b", "s4", 8, 8 };
		struct kb_itemset set = { 0 };
		struct kb_build_rec rec = { 0 };
		int already = 0;

		rec.commit = &c;
		rec.config = "tinyconfig";
		rec.arch = "x86_64";
		rec.status = "ok";
		rec.items = &set;
		fill_rec(&rec, &set, &f);
		CHECK(!kb_store_record(s, &rec, &already));
		kb_itemset_release(&set);
	}
	kb_store_close(s);
	CHECK_U64(sql_int(db, "SELECT parent_build_id FROM builds WHERE id = 4"), 2);
	CHECK_U64(sql_int(db, "SELECT m_core FROM builds WHERE id = 4"), 200);
	CHECK(sql_int(db, "SELECT d_core FROM builds WHERE id = 4") == -1);
	CHECK_U64(sql_int(db, "SELECT d_total FROM builds WHERE id = 4"), 400 - 370);
	p = problems(db);
	CHECK_STR(p, "");
	free(p);
}

/*
 * A database of schema 006 (a bit each for 001 to 006) gets 007's index of the line, and
 * reads as it did: its line of ok builds (1, 2 and 4 in make_v1's history and the build
 * recorded after it; 3 failed) and a db check without problems.
 */
static void line_index_lands_on_a_006_database(const char *db)
{
	struct kb_store *s;
	int64_t config = 0, *ids = NULL;
	size_t n = 0;
	char *p;

	bend(db, "DROP INDEX builds_line; ALTER TABLE builds DROP COLUMN m_kallsyms; DROP TABLE "
		 "build_outputs; PRAGMA user_version = 1073741887;");
	CHECK_U64(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'builds_line'"), 0);
	CHECK(kb_store_open_read(&s, db) == KB_ERR);
	CHECK(strstr(kb_error_last(), "schema version 6 is older than this kbloat's 9") != NULL);
	CHECK(!kb_store_open(&s, db, 0));
	kb_store_close(s);
	CHECK_U64(sql_int(db, "PRAGMA user_version"), (1u << 30) | 0x1ff);
	CHECK_U64(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'builds_line'"), 1);
	CHECK(!kb_store_open_read(&s, db));
	CHECK(!kb_store_find_config(s, "tinyconfig", &config));
	CHECK(!kb_build_line(s, config, 0, &ids, &n));
	CHECK_U64(n, 3);
	if (n == 3) {
		CHECK_U64((uint64_t)ids[0], 1);
		CHECK_U64((uint64_t)ids[1], 2);
		CHECK_U64((uint64_t)ids[2], 4);
	}
	free(ids);
	kb_store_close(s);
	p = problems(db);
	CHECK_STR(p, "");
	free(p);
}

/* The estimate every report takes: a's with its term, b's (none) the sums alone. */
static void series_estimate_has_the_term(const char *db)
{
	struct kb_store *s;
	struct kb_build_series ser[2];
	int64_t ids[2];

	ids[0] = sql_int(db, "SELECT id FROM builds WHERE id = " BUILD_OF("a"));
	ids[1] = sql_int(db, "SELECT id FROM builds WHERE id = " BUILD_OF("b"));
	CHECK(!kb_store_open_read(&s, db));
	CHECK(!kb_store_line_series(s, ids, 2, ser));
	kb_store_close(s);
	CHECK(ser[0].has_modular && ser[0].has_kallsyms);
	CHECK(ser[0].m_kallsyms == -40);
	CHECK_U64(kb_series_modular(&ser[0]), 1000 - 100 - 50 - 40);
	CHECK(ser[1].has_modular && !ser[1].has_kallsyms);
	CHECK_U64(kb_series_modular(&ser[1]), 1300 - 100 - 50);
}

/*
 * A database of schema 008 (a bit each for 001 to 008; builds without m_kallsyms, 007's
 * index as 007 made it) is refused by a reader, migrated by a writer: every build's term
 * NULL, the index covering the new column, db check clean; and it merges into a new one.
 */
static void kallsyms_term_lands_on_a_008_database(const char *db)
{
	char *old = path_in_dir("k008.db"), *out_path = path_in_dir("k008-merged.db");
	char sql[256], *p;
	struct kb_store *s;
	size_t added, had;

	snprintf(sql, sizeof(sql), "VACUUM INTO '%s'", old);
	bend(db, sql);
	bend(old, "DROP INDEX builds_line; ALTER TABLE builds DROP COLUMN m_kallsyms; CREATE "
		  "INDEX builds_line ON builds (config_id, id, parent_build_id, status, commit_id, "
		  "distance, reused, total, padding, m_tristate, m_bool, m_core, m_rest); PRAGMA "
		  "user_version = 1073742079;");
	CHECK(kb_store_open_read(&s, old) == KB_ERR);
	CHECK(strstr(kb_error_last(), "schema version 8 is older than this kbloat's 9") != NULL);
	CHECK(!kb_store_open(&s, old, 0));
	kb_store_close(s);
	CHECK_U64(sql_int(old, "PRAGMA user_version"), (1u << 30) | 0x1ff);
	CHECK_U64(sql_int(old, "SELECT count(*) FROM builds WHERE m_kallsyms IS NULL"), 5);
	CHECK_U64(sql_int(old, "SELECT count(*) FROM pragma_index_info('builds_line') WHERE "
			       "name = 'm_kallsyms'"),
		  1);
	p = problems(old);
	CHECK_STR(p, "");
	free(p);
	/* its builds read with the sums alone: a's estimate without its term now */
	CHECK(!kb_store_open_read(&s, old));
	{
		struct kb_build_series ser;
		int64_t id = sql_int(old, "SELECT id FROM builds WHERE id = " BUILD_OF("a"));

		CHECK(!kb_store_line_series(s, &id, 1, &ser));
		CHECK(ser.has_modular && !ser.has_kallsyms);
		CHECK_U64(kb_series_modular(&ser), 1000 - 100 - 50);
	}
	kb_store_close(s);
	CHECK(!kb_store_open(&s, out_path, 1));
	CHECK(!kb_store_merge(s, old, &added, &had));
	kb_store_close(s);
	CHECK_U64(added, 5);
	CHECK_U64(sql_int(out_path, "SELECT count(*) FROM builds WHERE m_kallsyms IS NULL"), 5);
	CHECK_U64(sql_int(out_path, "SELECT count(*) FROM builds WHERE m_core IS NOT NULL"), 4);
	p = problems(out_path);
	CHECK_STR(p, "");
	free(p);
	free(old);
	free(out_path);
}

int main(void)
{
	char *db, *v1;

	if (!mkdtemp(dir)) {
		perror(dir);
		return 1;
	}
	db = path_in_dir("k.db");
	v1 = path_in_dir("v1.db");
	sums_and_d_core(db);
	store_refuses_sums_that_do_not_add_up(db);
	check_names_each_bent_sum(db);
	merge_keeps_sums_and_options(db);
	series_estimate_has_the_term(db);
	kallsyms_term_lands_on_a_008_database(db);
	v1_database_migrates_with_everything(v1);
	migrations_land_in_either_order(v1);
	line_index_lands_on_a_006_database(v1);
	free(db);
	free(v1);
	remove_dir();
	return check_done("test_store_modular");
}
