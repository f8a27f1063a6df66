/* SPDX-License-Identifier: GPL-2.0 */
/*
 * store_util.h - what the store's unit tests share: a scratch directory for their
 * databases, SQL run on a database behind the store's back (with item_sets_sql.h's
 * functions), and one integer read from one.
 */
#ifndef KB_TEST_STORE_UTIL_H
#define KB_TEST_STORE_UTIL_H

#include "check.h"
#include "item_sets_sql.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* the schema files as the store embeds them */
struct kb_schema_file {
	const char *name;
	const char *sql;
};
extern const struct kb_schema_file kb_schema_files[];
extern const size_t kb_schema_nfiles;

/* the test's directory: mkdtemp(dir) first */
static char dir[] = "/tmp/kbloat-test-XXXXXX";

static inline char *path_in_dir(const char *name)
{
	char *p = malloc(sizeof(dir) + strlen(name) + 2);

	sprintf(p, "%s/%s", dir, name);
	return p;
}

static inline void remove_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *p;

		if (e->d_name[0] == '.')
			continue;
		p = path_in_dir(e->d_name);
		unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static inline void bend(const char *db, const char *sql)
{
	sqlite3 *h;

	CHECK(sqlite3_open(db, &h) == SQLITE_OK);
	item_sets_functions(h);
	CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(h);
}

/* The integer a query of one row and column gives: -1 for NULL, -2 for no row. */
static inline int64_t sql_int(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	int64_t v = -2;

	CHECK(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	item_sets_functions(h);
	CHECK(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

#endif
