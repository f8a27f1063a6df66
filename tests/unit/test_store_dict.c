/*
 * test_store_dict.c - what merge records many builds with, on databases the test makes
 * itself: kb_store_sizes_next gives every build's sizes whatever the order the builds are
 * read in (parents, children, another config's builds, snapshots between); a build recorded
 * with a kb_itemdict is the build recorded with a kb_itemset of the same items; and the ids a
 * dict keeps do not outlive a record that was rolled back.
 */
#include "check.h"
#include "store_util.h"

#include "error.h"
#include "query.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCOMMITS 150 /* snapshots at 0, 64 and 128 (KB_SNAPSHOT_EVERY) */
#define NITEMS 12
#define NCONFIGS 2

static const char *const configs[NCONFIGS] = { "one", "two" };

static void sha_of(char sha[41], int commit)
{
	snprintf(sha, 41, "%040x", commit + 1);
}

/* The size of item k in config c at commit b: a few items change from one commit to the
 * next, some come and go (0: absent). */
static uint64_t want_size(int c, int b, int k)
{
	return (uint64_t)((k * 31 + c * 7 + b / (k + 1)) % 40);
}

static void record_line(struct kb_store *s)
{
	int b, c, k;

	for (b = 0; b < NCOMMITS; b++) {
		char sha[41], parent[41] = "", name[8];
		struct kb_store_commit commit = { sha, parent, "A", "a@b", "s", b, b };

		sha_of(sha, b);
		if (b)
			sha_of(parent, b - 1);
		for (c = 0; c < NCONFIGS; c++) {
			struct kb_itemset set = { 0 };
			struct kb_build_rec rec = { 0 };
			int already;

			rec.commit = &commit;
			rec.config = configs[c];
			rec.arch = "x86_64";
			rec.status = "ok";
			rec.items = &set;
			for (k = 0; k < NITEMS; k++) {
				snprintf(name, sizeof(name), "i%d", k);
				if (want_size(c, b, k))
					kb_itemset_add(&set, KB_ITEM_ROW, name, "f.c", NULL, 0,
						       want_size(c, b, k));
				rec.total += want_size(c, b, k);
			}
			rec.cls[0] = rec.total;
			CHECK(kb_store_record(s, &rec, &already) == 0);
			kb_itemset_release(&set);
		}
	}
}

/* z holds config c's sizes at commit b, by the items' names. */
static int sizes_right(const struct kb_items *items, const struct kb_sizes *z, int c, int b)
{
	size_t id;

	for (id = 0; id < z->n; id++) {
		uint64_t want = 0;

		if (id < items->n && items->v[id].kind == KB_ITEM_ROW)
			want = want_size(c, b, atoi(items->v[id].name + 1));
		if (z->v[id] != want)
			return 0;
	}
	return 1;
}

/* Reads the builds (config, commit) of order[0..n) one after another into one kb_sizes. */
static void read_in_order(struct kb_store *s, const struct kb_items *items, const int (*order)[2],
			  size_t n, const char *what)
{
	struct kb_sizes z = { 0 };
	int64_t from = 0;
	size_t i, wrong = 0;

	for (i = 0; i < n; i++) {
		char sha[41];
		int64_t build;

		sha_of(sha, order[i][1]);
		CHECK(kb_store_find_build(s, sha, configs[order[i][0]], &build) == 0);
		CHECK(kb_store_sizes_next(s, build, &from, &z) == 0);
		CHECK(from == build);
		wrong += !sizes_right(items, &z, order[i][0], order[i][1]);
	}
	if (wrong)
		fprintf(stderr, "%s: %zu of %zu builds read wrong\n", what, wrong, n);
	CHECK(wrong == 0);
	kb_sizes_release(&z);
}

static void sizes_next_reads_builds_in_any_order(const char *db)
{
	static int order[NCOMMITS * NCONFIGS][2];
	struct kb_store *s;
	struct kb_items items;
	size_t n = 0, i;
	int b;

	CHECK(kb_store_open(&s, db, 1) == 0);
	record_line(s);
	CHECK(kb_items_load(s, &items) == 0);
	/* merge's order: the commits oldest first, both configs at each */
	for (b = 0; b < NCOMMITS; b++) {
		order[n][0] = 0, order[n++][1] = b;
		order[n][0] = 1, order[n++][1] = b;
	}
	read_in_order(s, &items, order, n, "oldest first, configs interleaved");
	/* one config oldest first: each build a child of the one before */
	for (n = 0, b = 0; b < NCOMMITS; b++)
		order[n][0] = 1, order[n++][1] = b;
	read_in_order(s, &items, order, n, "one config oldest first");
	/* newest first: never a child of the build before */
	for (n = 0, b = NCOMMITS - 1; b >= 0; b--)
		order[n][0] = 0, order[n++][1] = b;
	read_in_order(s, &items, order, n, "newest first");
	/* jumps back and forth, across snapshots and configs */
	for (n = 0, i = 0; i < NCOMMITS * NCONFIGS; i++) {
		order[n][0] = (int)(i * 7 % NCONFIGS);
		order[n++][1] = (int)(i * 37 % NCOMMITS);
	}
	read_in_order(s, &items, order, n, "back and forth");
	kb_items_release(&items);
	kb_store_close(s);
}

/* ---- a dict records what a set records ------------------------------------------------- */

/* The dict's items: a hole at 2, as a database's items may have. */
static const struct kb_item dict_items[] = {
	{ KB_ITEM_ROW, "a", "x.c", "X", 0, 0 }, { KB_ITEM_ROW, "b", "y.c", "Y", 1, 0 },
	{ -1, NULL, NULL, NULL, 0, 0 },		{ KB_ITEM_BOM_T, "c", "", NULL, 0, 0 },
	{ KB_ITEM_BOM_D, "d", "", NULL, 0, 0 },
};
#define NDICT (sizeof(dict_items) / sizeof(dict_items[0]))

/* Records an ok build of commit n (parent n - 1) with sizes[NDICT] through dict (or, with
 * dict NULL, the same items through a set), plus with extra (a row in z.c) when not NULL; a
 * bad_outputs build fails inside its transaction, after its items were looked up. */
static int record_sizes(struct kb_store *s, struct kb_itemdict *dict, int n, const uint64_t *sizes,
			const char *extra, int bad_outputs)
{
	char sha[41], parent[41] = "";
	struct kb_store_commit commit = { sha, parent, "A", "a@b", "s", n, n };
	struct kb_itemset set = { 0 };
	struct kb_sizes z = { (uint64_t *)sizes, NDICT };
	struct kb_build_rec rec = { 0 };
	size_t i;
	int already, rc;

	sha_of(sha, n);
	if (n)
		sha_of(parent, n - 1);
	rec.commit = &commit;
	rec.config = "tiny";
	rec.arch = "x86_64";
	rec.status = "ok";
	for (i = 0; i < NDICT; i++)
		rec.total += sizes[i];
	rec.cls[0] = rec.total;
	if (dict && !extra) {
		rec.dict = dict;
		rec.dict_sizes = &z;
	} else {
		for (i = 0; i < NDICT; i++)
			if (sizes[i] && dict_items[i].kind >= 0)
				kb_itemset_add(&set, dict_items[i].kind, dict_items[i].name,
					       dict_items[i].path, dict_items[i].subsystem,
					       dict_items[i].cls, sizes[i]);
		if (extra)
			kb_itemset_add(&set, KB_ITEM_ROW, extra, "z.c", NULL, 0, 5);
		rec.items = &set;
	}
	if (bad_outputs) {
		rec.outputs.boot_name = "bzImage";
		rec.outputs.boot_bytes = 1;
		rec.outputs.has_boot_payload = 1;
		rec.outputs.boot_payload = 2; /* more than the image: refused */
	}
	rc = kb_store_record(s, &rec, &already);
	kb_itemset_release(&set);
	return rc;
}

/* What db holds of commit n's build: "name=size ..." by item name, with its bom sums. */
static char *build_text(const char *db, int n)
{
	char sha[41], *buf = NULL;
	size_t len = 0, id;
	FILE *f = open_memstream(&buf, &len);
	struct kb_store *s;
	struct kb_items items;
	struct kb_sizes z;
	int64_t build;

	sha_of(sha, n);
	CHECK(kb_store_open_read(&s, db) == 0);
	CHECK(kb_store_find_build(s, sha, "tiny", &build) == 0);
	CHECK(kb_store_sizes(s, build, &z) == 0);
	CHECK(kb_items_load(s, &items) == 0);
	for (id = 0; id < z.n; id++)
		if (z.v[id])
			fprintf(f, "%s:%s:%d=%llu ", id < items.n ? items.v[id].name : "?",
				id < items.n ? items.v[id].path : "?",
				id < items.n ? items.v[id].kind : -9, (unsigned long long)z.v[id]);
	fclose(f);
	kb_sizes_release(&z);
	kb_items_release(&items);
	kb_store_close(s);
	return buf;
}

static void dict_records_what_a_set_records(const char *db_dict, const char *db_set)
{
	static const uint64_t builds[4][NDICT] = {
		{ 10, 0, 0, 7, 0 }, { 10, 20, 0, 7, 3 }, { 0, 21, 0, 7, 3 }, { 11, 21, 0, 8, 0 }
	};
	struct kb_itemdict dict = { .v = dict_items, .n = NDICT };
	struct kb_store *a, *b;
	char *text;
	int n;

	CHECK(kb_store_open(&a, db_dict, 1) == 0);
	CHECK(kb_store_open(&b, db_set, 1) == 0);
	for (n = 0; n < 4; n++) {
		CHECK(record_sizes(a, &dict, n, builds[n], NULL, 0) == 0);
		CHECK(record_sizes(b, NULL, n, builds[n], NULL, 0) == 0);
	}
	kb_store_close(a);
	kb_store_close(b);
	for (n = 0; n < 4; n++) {
		char *x = build_text(db_dict, n), *y = build_text(db_set, n);

		CHECK_STR(x, y);
		free(x);
		free(y);
	}
	text = build_text(db_dict, 1);
	CHECK_STR(text, "a:x.c:0=10 c::1=7 b:y.c:0=20 d::2=3 ");
	free(text);
	CHECK(sql_int(db_dict, "SELECT bom_t * 1000 + bom_d FROM builds WHERE id = 2") == 7003);
	CHECK(sql_int(db_dict, "SELECT count(*) FROM paths p JOIN subsystems s ON s.id = "
			       "p.subsystem_id WHERE p.path || s.name IN ('x.cX', 'y.cY')") == 2);
	kb_itemdict_release(&dict);
}

/*
 * Item b is looked up for a build whose record then fails (rolled back, b's row with it); a
 * build recorded through a set takes b's old row id for another item; the dict's next build
 * with b must store b, not that item.
 */
static void dict_forgets_ids_of_a_rolled_back_record(const char *db)
{
	static const uint64_t only_a[NDICT] = { 10, 0, 0, 0, 0 };
	static const uint64_t a_and_b[NDICT] = { 10, 20, 0, 0, 0 };
	struct kb_itemdict dict = { .v = dict_items, .n = NDICT };
	struct kb_store *s;
	char *text;

	CHECK(kb_store_open(&s, db, 1) == 0);
	CHECK(record_sizes(s, &dict, 0, only_a, NULL, 0) == 0);
	CHECK(record_sizes(s, &dict, 1, a_and_b, NULL, 1) == KB_ERR);
	CHECK(strstr(kb_error_last(), "out of range") != NULL);
	CHECK(record_sizes(s, &dict, 1, only_a, "zed", 0) == 0);
	CHECK(record_sizes(s, &dict, 2, a_and_b, NULL, 0) == 0);
	kb_store_close(s);
	text = build_text(db, 2);
	CHECK_STR(text, "a:x.c:0=10 b:y.c:0=20 ");
	free(text);
	kb_itemdict_release(&dict);
}

int main(void)
{
	char *db, *db2, *db3;

	if (!mkdtemp(dir)) {
		perror(dir);
		return 1;
	}
	db = path_in_dir("line.db");
	db2 = path_in_dir("dict.db");
	db3 = path_in_dir("set.db");
	sizes_next_reads_builds_in_any_order(db);
	dict_records_what_a_set_records(db2, db3);
	free(db2);
	db2 = path_in_dir("rollback.db");
	dict_forgets_ids_of_a_rolled_back_record(db2);
	free(db);
	free(db2);
	free(db3);
	remove_dir();
	return check_done("test_store_dict");
}
