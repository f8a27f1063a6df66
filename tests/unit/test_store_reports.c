/*
 * test_store_reports.c - the store's read side and the reports built on it, on a database
 * the test records itself: history's sizes and deltas (whole and scoped), show's views and
 * option changes, top's rows and rest, merge's counts, and db check returning the problems
 * of a bent and of a broken database instead of printing them.
 */
#include "check.h"
#include "item_sets_sql.h"
#include "store_util.h"

#include "error.h"
#include "escape.h"
#include "history.h"
#include "query.h"
#include "show.h"
#include "store.h"
#include "store_check.h"
#include "store_merge.h"
#include "strbuf.h"
#include "subsystems.h"
#include "top.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SHA_C "cccccccccccccccccccccccccccccccccccccccc"
#define YEAR 31536000 /* 1971-01-01 */

static void record(struct kb_store *s, const char *sha, const char *parent, const char *status,
		   uint64_t foo, uint64_t bar, const char *dotconfig)
{
	struct kb_store_commit c = { sha, parent, "A U Thor", "a@u.thor", "a subject", YEAR, YEAR };
	struct kb_itemset set = { 0 };
	struct kb_build_rec rec = { 0 };
	int already = 1;

	rec.commit = &c;
	rec.config = "tiny";
	rec.arch = "x86_64";
	rec.status = status;
	rec.dotconfig = dotconfig;
	if (!strcmp(status, "ok")) {
		kb_itemset_add(&set, KB_ITEM_ROW, "foo", "fs/a.c", "FS", 0, foo);
		kb_itemset_add(&set, KB_ITEM_BOM_T, "foo", "", NULL, 0, foo);
		if (bar) {
			kb_itemset_add(&set, KB_ITEM_ROW, "bar", "mm/b.c", NULL, 0, bar);
			kb_itemset_add(&set, KB_ITEM_BOM_T, "bar", "", NULL, 0, bar);
		}
		rec.items = &set;
		rec.total = rec.cls[0] = foo + bar;
	} else {
		rec.log_tail = "error: x\n";
	}
	CHECK(!kb_store_record(s, &rec, &already));
	CHECK(!already);
	kb_itemset_release(&set);
}

/* The text a writer writes, into a string the caller frees. */
#define TEXT_OF(t, write, m)                            \
	do {                                            \
		size_t len_;                            \
		FILE *f_ = open_memstream(&(t), &len_); \
		write(f_, m);                           \
		fclose(f_);                             \
	} while (0)

static void history_sizes_and_deltas(struct kb_store *s, int64_t config)
{
	struct kb_scope mm = { NULL, "mm", NULL, -1 };
	struct kb_history *h;
	char *t;

	CHECK(!kb_history_build(&h, s, config, NULL));
	CHECK_U64(h->n, 2); /* the failed build is on no line */
	CHECK_U64(h->rows[0].size, 100);
	CHECK_U64(h->rows[1].size, 170);
	CHECK_U64(h->rows[1].delta, 70);
	CHECK_U64(h->rows[1].commits, 1);
	TEXT_OF(t, kb_history_write_text, h);
	CHECK_STR(
		t,
		"commit        date              size      delta  author              subject\n"
		"aaaaaaaaaaaa  1971-01-01         100             A U Thor            a subject\n"
		"              code and data        100  modularized          -  hard core          -\n"
		"bbbbbbbbbbbb  1971-01-01         170        +70  A U Thor            a subject\n"
		"              code and data        170  modularized          -  hard core          -\n");
	free(t);
	kb_history_free(h);
	CHECK(!kb_history_build(&h, s, config, &mm));
	CHECK_U64(h->rows[0].size, 0);
	CHECK_U64(h->rows[1].size, 20);
	kb_history_free(h);
}

/* A build of commit sha (its parent commit parent) in config: its commit's author, subject
 * and time as given, one item of size bytes. */
static void record_odd(struct kb_store *s, const char *config, const char *sha, const char *parent,
		       const char *author, const char *subject, int64_t time, uint64_t size)
{
	struct kb_store_commit c = { sha, parent, author, "a@u.thor", subject, time, time };
	struct kb_itemset set = { 0 };
	struct kb_build_rec rec = { 0 };
	int already = 1;

	rec.commit = &c;
	rec.config = config;
	rec.arch = "x86_64";
	rec.status = "ok";
	kb_itemset_add(&set, KB_ITEM_ROW, "foo", "fs/a.c", "FS", 0, size);
	rec.items = &set;
	rec.total = rec.cls[0] = size;
	CHECK(!kb_store_record(s, &rec, &already));
	CHECK(!already);
	kb_itemset_release(&set);
}

/* The row kb_history_write_text wrote with printf before it had a writer of its own: its
 * formats are what the columns must keep. */
static void printf_row(struct strbuf *out, const struct kb_history_row *r, int first)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	char date[16], d[24] = "";

	kb_format_date(r->c->author_time, date);
	if (!first)
		snprintf(d, sizeof(d), "%+lld", (long long)r->delta);
	strbuf_addf(out, "%s  %s  %10lld  %9s  %-18s  %s\n", kb_text_cut(&c, r->c->sha, 12), date,
		    (long long)r->size, d, kb_text_cut(&a, r->c->author, 18),
		    kb_text_cut(&b, r->c->subject, 31));
	strbuf_addf(out, "%12s  code and data %10lld  modularized %10s  hard core %10s\n", "",
		    (long long)r->size, "-", "-");
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
}

/*
 * history's table keeps printf's columns (widths in bytes, fields cut between characters,
 * escapes) for names that are not plain ASCII, long ones, shrinking builds and dates on
 * both sides of 1970; and a line whose builds were recorded out of order (the middle one
 * last, so that the last build of the line has a smaller id than its parent) comes out in
 * the line's order, as kb_build_line gives it.
 */
static void history_text_keeps_printf_columns(const char *path)
{
	static const char sha_a[] = "0123456789abcdef0123456789abcdef01234567",
			  sha_b[] = "1123456789abcdef0123456789abcdef01234567",
			  sha_c[] = "2123456789abcdef0123456789abcdef01234567";
	struct strbuf want = STRBUF_INIT;
	struct kb_history *h;
	struct kb_store *s;
	int64_t config = 0, head = 0, *ids;
	size_t i, n;
	char *t, *head_sha = NULL;

	CHECK(!kb_store_open(&s, path, 1));
	/* a UTF-8 author longer than its column, cut where a 2-byte character would be split */
	record_odd(s, "odd", sha_a, NULL,
		   "J\xc3\xb6rg R\xc3\xb6"
		   "del-\xc3\x9cnt\xc3\xa4mann",
		   "a subject longer than the thirty-one bytes its column has", -86401, 5000);
	/* sha_b's commit known (built in another config), so that sha_c, built next, has
	 * sha_a's build as its parent; then sha_b's build comes between them: the line's last
	 * build has a smaller id than its parent */
	record_odd(s, "other", sha_b, sha_a, "Eighteen-byte name", "\xe2\x82\xac\xe2\x82\xac", 0,
		   1);
	record_odd(s, "odd", sha_c, sha_b, "A", "tab\there, and a control \x01", 951782400, 4999);
	record_odd(s, "odd", sha_b, sha_a, "Eighteen-byte name", "\xe2\x82\xac\xe2\x82\xac", 0,
		   123456789012);
	CHECK(!kb_store_find_config(s, "odd", &config));
	CHECK(!kb_history_build(&h, s, config, NULL));
	CHECK(!kb_build_line(s, config, 0, &ids, &n));
	CHECK_U64(h->n, 3);
	CHECK_U64(n, 3);
	CHECK_STR(h->rows[0].c->sha, sha_a);
	CHECK_STR(h->rows[1].c->sha, sha_b);
	CHECK_STR(h->rows[2].c->sha, sha_c);
	CHECK(h->rows[1].build_id > h->rows[2].build_id);
	for (i = 0; i < n && i < h->n; i++)
		CHECK_U64((uint64_t)h->rows[i].build_id, (uint64_t)ids[i]);
	CHECK(h->rows[2].delta < 0);
	/* the head is the line's last build, though not the one with the greatest id */
	CHECK(kb_store_head_build(s, config, &head, &head_sha) == 0);
	CHECK_U64((uint64_t)head, (uint64_t)h->rows[2].build_id);
	CHECK_STR(head_sha, sha_c);
	free(head_sha);

	strbuf_addf(&want, "%-12s  %-10s  %10s  %9s  %-18s  %s\n", "commit", "date", "size",
		    "delta", "author", "subject");
	for (i = 0; i < h->n; i++)
		printf_row(&want, &h->rows[i], !i);
	TEXT_OF(t, kb_history_write_text, h);
	CHECK_STR(t, want.buf);
	/* and what the columns hold, said once without printf: the author cut before the
	 * character its 18th byte would split, and padded by bytes; escapes counted whole */
	CHECK(strstr(t, "\n0123456789ab  1969-12-30        5000             "
			"J\xc3\xb6rg R\xc3\xb6"
			"del-\xc3\x9cnt   a subject longer than the thirt\n") != NULL);
	CHECK(strstr(t, "\n1123456789ab  1970-01-01  123456789012  +123456784012  "
			"Eighteen-byte name  \xe2\x82\xac\xe2\x82\xac\n") != NULL);
	CHECK(strstr(t, "\n2123456789ab  2000-02-29        4999  -123456784013  "
			"A                   tab\\x09here, and a control \\x01\n") != NULL);
	free(t);
	free(ids);
	strbuf_release(&want);
	kb_history_free(h);
	kb_store_close(s);
}

/* Numbers in every column at each count of digits, negative and positive, to the ends of
 * int64: the writer's columns are printf's "%10lld" and "%+lld" in "%9s" */
static void history_text_writes_numbers_as_printf(void)
{
	static const int64_t v[] = { INT64_MIN,
				     INT64_MIN + 1,
				     -1000000000000000000,
				     -999999999,
				     -100,
				     -99,
				     -10,
				     -9,
				     -1,
				     0,
				     1,
				     9,
				     10,
				     99,
				     100,
				     99999999,
				     999999999,
				     1000000000,
				     9999999999,
				     10000000000,
				     999999999999999999,
				     1000000000000000000,
				     INT64_MAX - 1,
				     INT64_MAX };
	enum { N = sizeof(v) / sizeof(v[0]) };
	struct kb_build_commit c[N];
	struct kb_history_row r[N];
	struct kb_history h;
	struct strbuf want = STRBUF_INIT;
	size_t i;
	char *t;

	memset(c, 0, sizeof(c));
	memset(r, 0, sizeof(r));
	memset(&h, 0, sizeof(h));
	strbuf_addf(&want, "%-12s  %-10s  %10s  %9s  %-18s  %s\n", "commit", "date", "size",
		    "delta", "author", "subject");
	for (i = 0; i < N; i++) {
		c[i].sha = SHA_A;
		c[i].author = "A";
		c[i].subject = "s";
		c[i].author_time = YEAR;
		c[i].ser.total = v[i];
		c[i].ser.has_padding = 1; /* code and data: the total, less no padding */
		r[i].c = &c[i];
		r[i].ser = &c[i].ser;
		r[i].size = v[i];
		r[i].delta = v[N - 1 - i];
		printf_row(&want, &r[i], !i);
	}
	h.rows = r;
	h.n = N;
	h.series = 1;
	TEXT_OF(t, kb_history_write_text, &h);
	CHECK_STR(t, want.buf);
	/* and two said without printf */
	CHECK(strstr(t, "\naaaaaaaaaaaa  1971-01-01  -9223372036854775807  "
			"+9223372036854775806  A                   s\n") != NULL);
	CHECK(strstr(t, "\naaaaaaaaaaaa  1971-01-01           9        +10  A ") != NULL);
	free(t);
	strbuf_release(&want);
}

/* A database bent so that a line's first build failed (db check's to report): history still
 * follows the links as kb_build_line does, and prints the failed build's commit. */
static void history_follows_links_to_a_failed_build(const char *path)
{
	struct kb_history *h;
	struct kb_store *s;
	int64_t config = 0, *ids;
	size_t n;

	bend(path, "UPDATE builds SET status = 'failed', log_tail = 'x' WHERE commit_id = (SELECT "
		   "id FROM commits WHERE sha LIKE '0123%')");
	CHECK(!kb_store_open_read(&s, path));
	CHECK(!kb_store_find_config(s, "odd", &config));
	CHECK(!kb_build_line(s, config, 0, &ids, &n));
	CHECK(!kb_history_build(&h, s, config, NULL));
	CHECK_U64(n, 3);
	CHECK_U64(h->n, 3);
	if (h->n == 3 && n == 3) {
		CHECK_U64((uint64_t)h->rows[0].build_id, (uint64_t)ids[0]);
		CHECK_STR(h->rows[0].c->sha, "0123456789abcdef0123456789abcdef01234567");
	}
	free(ids);
	kb_history_free(h);
	kb_store_close(s);
}

/* The text of config's history in the database at path, and its first build's id. */
static char *history_text(const char *path, const char *config, int64_t *first_id)
{
	struct kb_history *h;
	struct kb_store *s;
	int64_t id = 0;
	char *t = NULL;

	CHECK(!kb_store_open_read(&s, path));
	CHECK(!kb_store_find_config(s, config, &id));
	CHECK(!kb_history_build(&h, s, id, NULL));
	CHECK_U64(h->n, 3);
	*first_id = h->n ? h->rows[0].build_id : 0;
	TEXT_OF(t, kb_history_write_text, h);
	kb_history_free(h);
	kb_store_close(s);
	return t;
}

/* A config's builds are read into arrays made as big as the span of its ids; ids too far
 * apart for that (a bent or merged database's) are read as well, into arrays that grow. */
static void history_reads_builds_whose_ids_are_far_apart(const char *path)
{
	int64_t first = 0, moved = 0;
	char *before = history_text(path, "odd", &first), *after;

	bend(path, "UPDATE builds SET parent_build_id = parent_build_id + 8388608 WHERE "
		   "parent_build_id = 1; UPDATE builds SET id = id + 8388608 WHERE id = 1");
	after = history_text(path, "odd", &moved);
	/* 3, 4 and 8388609: a span of over 4 million (LINE_ROOM_MAX) */
	CHECK_U64((uint64_t)sql_int(path, "SELECT max(id) - min(id) FROM builds WHERE config_id = "
					  "(SELECT id FROM configs WHERE name = 'odd')"),
		  8388606);
	CHECK_U64((uint64_t)first, 1);
	CHECK_U64((uint64_t)moved, 8388609);
	CHECK_STR(after, before);
	CHECK(strstr(after, "\n0123456789ab  1969-12-30        5000 ") != NULL);
	free(before);
	free(after);
}

/* A commit whose sha is not a text of 40 lowercase hex digits stops a history with the
 * store's one-line error, whichever way it is wrong. */
static void history_refuses_a_sha_that_is_not_one(const char *path)
{
	static const char *const bad[] = {
		"'0123456789ABCDEF0123456789abcdef01234567'", /* upper case */
		"'0123456789abcdef0123456789abcdef0123456'", /* 39 */
		"'0123456789abcdef0123456789abcdef012345678'", /* 41 */
		"'0123456789abcdef0123456789abcdef0123456g'", /* the last not a digit */
		"'0123456789abcdef0123456789abcdef0123456' || char(0)", /* a NUL within */
		"1234567890123456789", /* an integer */
		/* a BLOB of 40 hex digits: read as text it looks right; its type does not */
		"CAST('0123456789abcdef0123456789abcdef01234567' AS BLOB)",
	};
	struct strbuf sql = STRBUF_INIT;
	struct kb_history *h;
	struct kb_store *s;
	int64_t config = 0;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strbuf_reset(&sql);
		strbuf_addf(&sql, "UPDATE commits SET sha = %s WHERE sha LIKE '2123%%'", bad[i]);
		bend(path, sql.buf);
		CHECK(!kb_store_open_read(&s, path));
		CHECK(!kb_store_find_config(s, "odd", &config));
		h = NULL;
		CHECK(kb_history_build(&h, s, config, NULL) != 0);
		CHECK(h == NULL);
		CHECK(strstr(kb_error_last(), "not 40 lowercase hex digits") != NULL);
		kb_store_close(s);
		strbuf_reset(&sql);
		strbuf_addf(&sql, "UPDATE commits SET sha = '%s' WHERE sha = %s",
			    "2123456789abcdef0123456789abcdef01234567", bad[i]);
		bend(path, sql.buf);
	}
	/* and the sha put back is read again */
	CHECK(!kb_store_open_read(&s, path));
	CHECK(!kb_store_find_config(s, "odd", &config));
	CHECK(!kb_history_build(&h, s, config, NULL));
	CHECK_U64(h->n, 3);
	if (h->n == 3)
		CHECK_STR(h->rows[2].c->sha, "2123456789abcdef0123456789abcdef01234567");
	kb_history_free(h);
	kb_store_close(s);
	strbuf_release(&sql);
}

/* dates as UTC days, years of four digits or "????-??-??" (the epoch seconds of these days
 * are the proleptic Gregorian calendar's: 719,528 days from 0000-01-01 to 1970-01-01) */
static void dates_are_utc_days_of_four_digit_years(void)
{
	static const struct {
		int64_t t;
		const char *date;
	} cases[] = {
		{ 0, "1970-01-01" },
		{ -1, "1969-12-31" },
		{ 86399, "1970-01-01" },
		{ 951782400, "2000-02-29" },
		{ 253402300799, "9999-12-31" },
		{ 253402300800, "\?\?\?\?-\?\?-\?\?" },
		{ -62167219200, "0000-01-01" },
		{ -62167219201, "\?\?\?\?-\?\?-\?\?" },
		{ INT64_MIN, "\?\?\?\?-\?\?-\?\?" },
	};
	char date[16];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kb_format_date(cases[i].t, date);
		CHECK_STR(date, cases[i].date);
	}
}

static void show_views_and_options(struct kb_store *s)
{
	struct kb_show *m;
	int64_t b;
	char *t;

	CHECK(!kb_store_find_build(s, "bbbb", NULL, &b));
	CHECK(!kb_show_build(&m, s, b));
	CHECK(m->measured);
	CHECK_STR(m->head.parent_sha, SHA_A);
	CHECK_U64(m->bom.nrows, 2);
	CHECK_U64(m->noptions, 2);
	CHECK(m->options[0].change == '-');
	CHECK_STR(m->options[0].option, "CONFIG_B=y");
	CHECK(m->options[1].change == '+');
	CHECK_STR(m->options[1].option, "CONFIG_C=m");
	TEXT_OF(t, kb_show_write_text, m);
	CHECK(strstr(t, "config options that changed:\n  -CONFIG_B=y\n  +CONFIG_C=m\n") != NULL);
	free(t);
	kb_show_free(m);
	CHECK(!kb_store_find_build(s, "cccc", NULL, &b));
	CHECK(!kb_show_build(&m, s, b));
	CHECK(!m->measured);
	TEXT_OF(t, kb_show_write_text, m);
	CHECK_STR(t, "commit " SHA_C "\n    a subject\n\nbuild failed; the end of its log:\n"
		     "error: x\n");
	free(t);
	kb_show_free(m);
	CHECK(kb_show_build(&m, s, 999) == KB_ERR);
	CHECK(m == NULL);
}

static void top_rows_and_rest(struct kb_store *s)
{
	struct kb_top *m;
	int64_t b;

	CHECK(!kb_store_find_build(s, "bbbb", NULL, &b));
	CHECK(!kb_top_build(&m, s, b, KB_TOP_FILE, 1));
	CHECK_U64(m->n, 1);
	CHECK_STR(m->rows[0].key, "fs/a.c");
	CHECK_U64(m->rows[0].bytes, 150);
	CHECK_U64(m->more, 1);
	CHECK_U64(m->rest, 20);
	CHECK_U64(m->total, 170);
	kb_top_free(m);
}

static void merge_counts_and_is_idempotent(const char *in)
{
	char *out_path = path_in_dir("merged.db");
	struct kb_store *out;
	size_t added, had;

	CHECK(!kb_store_open(&out, out_path, 1));
	CHECK(!kb_store_merge(out, in, &added, &had));
	CHECK_U64(added, 3);
	CHECK_U64(had, 0);
	CHECK(!kb_store_merge(out, in, &added, &had));
	CHECK_U64(added, 0);
	CHECK_U64(had, 3);
	CHECK(kb_store_merge(out, "/nonexistent.db", &added, &had) == KB_ERR);
	kb_store_close(out);
	free(out_path);
}

/* db check finds a bent size and a dangling parent, and returns them as lines: the broken
 * link is a foreign-key problem, a delta against no parent and sizes that cannot be read. */
static void check_returns_problems(const char *db)
{
	struct kb_store *s;
	struct kb_check c;

	CHECK(!kb_store_open(&s, db, 0));
	CHECK(!kb_store_check(s, &c));
	CHECK_U64(c.nproblems, 0);
	CHECK_U64(c.nbuilds, 2);
	kb_check_release(&c);
	kb_store_close(s);

	bend(db,
	     "UPDATE item_sets SET sizes = set_size(sizes, (SELECT id FROM items WHERE kind = 0 "
	     "AND name = 'foo'), get_size(sizes, (SELECT id FROM items WHERE kind = 0 AND "
	     "name = 'foo')) + 1) WHERE build_id = 1");
	CHECK(!kb_store_open(&s, db, 0));
	CHECK(!kb_store_check(s, &c));
	CHECK_U64(c.nproblems, 1);
	if (c.nproblems)
		CHECK_STR(c.problems[0],
			  "build of aaaaaaaaaaaa: stored sizes sum to 101, its total says 100");
	kb_check_release(&c);
	kb_store_close(s);

	bend(db, "PRAGMA foreign_keys = OFF; UPDATE builds SET parent_build_id = 999 WHERE id = 2");
	CHECK(!kb_store_open(&s, db, 0));
	CHECK(!kb_store_check(s, &c));
	CHECK_U64(c.nproblems, 4);
	if (c.nproblems == 4) {
		CHECK(strstr(c.problems[0], "row 2 of builds names a missing row of builds") !=
		      NULL);
		CHECK(strstr(c.problems[1], "build of aaaaaaaaaaaa: stored sizes") != NULL);
		CHECK_STR(c.problems[2],
			  "build of bbbbbbbbbbbb: its delta is not its parent's difference");
		CHECK(strstr(c.problems[3], "build of bbbbbbbbbbbb: ") != NULL);
		CHECK(strstr(c.problems[3], "build 999 has no stored sizes") != NULL);
	}
	CHECK(!c.builds[1].sizes_read);
	kb_check_release(&c);
	kb_store_close(s);
}

int main(void)
{
	struct kb_store *s;
	int64_t config = 0;
	char *db, *odd;

	if (!mkdtemp(dir)) {
		perror(dir);
		return 1;
	}
	db = path_in_dir("k.db");
	odd = path_in_dir("odd.db");
	CHECK(!kb_store_open(&s, db, 1));
	record(s, SHA_A, NULL, "ok", 100, 0, "CONFIG_A=y\nCONFIG_B=y");
	record(s, SHA_B, SHA_A, "ok", 150, 20, "CONFIG_A=y\nCONFIG_C=m");
	record(s, SHA_C, SHA_B, "failed", 0, 0, NULL);
	CHECK(!kb_store_find_config(s, NULL, &config));
	history_sizes_and_deltas(s, config);
	show_views_and_options(s);
	top_rows_and_rest(s);
	kb_store_close(s);
	history_text_keeps_printf_columns(odd);
	history_follows_links_to_a_failed_build(odd);
	history_reads_builds_whose_ids_are_far_apart(odd);
	history_refuses_a_sha_that_is_not_one(odd);
	dates_are_utc_days_of_four_digit_years();
	history_text_writes_numbers_as_printf();
	merge_counts_and_is_idempotent(db);
	check_returns_problems(db);
	free(db);
	free(odd);
	remove_dir();
	return check_done("test_store_reports");
}
