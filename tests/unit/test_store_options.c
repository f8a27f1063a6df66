/*
 * test_store_options.c - the read side of schema 002 (store_options.h), on a line of 70
 * builds the test records itself, past a snapshot (KB_SNAPSHOT_EVERY): one option's bytes
 * and class along the line, as its items' changes give them, are what each build recorded,
 * through a class change, a gap where it is off, a build without the analysis and the
 * snapshot; a build's options against its parent build's say what changed; the series are
 * NULL where a build has no analysis; an option no build enabled is an error naming it.
 */
#include "check.h"

#include "error.h"
#include "query.h"
#include "store.h"
#include "store_options.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define NBUILDS 70
#define NO_ANALYSIS 3 /* the build whose analysis did not run */

/* What FOO is in build i: its class (-1: off) and bytes. */
static void foo_at(int i, int *cls, int64_t *size)
{
	*cls = -1;
	*size = 0;
	if (i == NO_ANALYSIS || i < 2 || (i >= 40 && i < 50))
		return;
	if (i < 30) {
		*cls = KB_OPT_TRI_CAND;
		*size = 100 + i;
	} else if (i < 40) {
		*cls = KB_OPT_TRI_KEPT;
		*size = 500;
	} else {
		*cls = KB_OPT_BOOL_CAND;
		*size = 7;
	}
}

static void sha_of(int i, char *buf)
{
	snprintf(buf, 41, "%040x", i + 1);
}

/* Records build i: code 5000 + i and 10 bytes of padding; with the analysis, BAR (a 1000
 * byte tristate candidate) and FOO as foo_at says, the hard core the rest. */
static int record(struct kb_store *s, int i)
{
	char sha[41], parent[41], grand[41];
	struct kb_store_commit c = { sha, parent, "A U Thor", "a@u.thor", "a subject", 0, 0 };
	struct kb_store_commit p = { parent, grand, "A U Thor", "a@u.thor", "a parent", 0, 0 };
	struct kb_itemset set = { 0 };
	struct kb_build_rec rec = { 0 };
	uint64_t code = 5000 + (uint64_t)i;
	int already = 0, rc, cls;
	int64_t foo;

	sha_of(i, sha);
	sha_of(i - 1, parent);
	sha_of(i - 2, grand);
	c.author_time = c.committer_time = 86400 + i;
	if (!i)
		c.parent = NULL;
	rec.commit = &c;
	rec.chain = &p;
	rec.nchain = i ? 1 : 0;
	rec.config = "tiny";
	rec.arch = "x86_64";
	rec.status = "ok";
	rec.items = &set;
	kb_itemset_add(&set, KB_ITEM_ROW, "foo", "fs/a.c", "FS", 0, code);
	kb_itemset_add(&set, KB_ITEM_ROW, "[padding .text]", "", NULL, 0, 10);
	rec.total = rec.cls[0] = code + 10;
	rec.padding = 10;
	rec.has_modular = i != NO_ANALYSIS;
	if (rec.has_modular) {
		foo_at(i, &cls, &foo);
		kb_itemset_add(&set, KB_ITEM_OPTION, "BAR", "", NULL, KB_OPT_TRI_CAND, 1000);
		if (cls >= 0)
			kb_itemset_add(&set, KB_ITEM_OPTION, "FOO", "", NULL, cls, (uint64_t)foo);
		rec.m_tristate = 1000 + (cls == KB_OPT_TRI_CAND ? (uint64_t)foo : 0);
		rec.m_bool = cls == KB_OPT_BOOL_CAND ? (uint64_t)foo : 0;
		rec.m_rest = cls == KB_OPT_TRI_KEPT ? (uint64_t)foo : 0;
		rec.m_core = code - rec.m_tristate - rec.m_bool - rec.m_rest;
	}
	rc = kb_store_record(s, &rec, &already);
	kb_itemset_release(&set);
	return rc;
}

static void option_line_follows_each_build(struct kb_store *s, const int64_t *ids, size_t n)
{
	struct kb_option_point *p = calloc(n, sizeof(*p));
	size_t i, same = 0;

	CHECK(!kb_store_option_line(s, "FOO", ids, n, p));
	for (i = 0; i < n; i++) {
		int cls;
		int64_t size;

		foo_at((int)i, &cls, &size);
		same += p[i].cls == cls && p[i].size == size;
	}
	CHECK_U64(same, n);
	CHECK(!kb_store_option_line(s, "BAR", ids, n, p));
	for (i = same = 0; i < n; i++)
		same += p[i].size == (i == NO_ANALYSIS ? 0 : 1000) &&
			p[i].cls == (i == NO_ANALYSIS ? -1 : KB_OPT_TRI_CAND);
	CHECK_U64(same, n);
	/* from the middle of the line: its first build is read whole */
	CHECK(!kb_store_option_line(s, "FOO", ids + 35, n - 35, p));
	CHECK(p[0].cls == KB_OPT_TRI_KEPT && p[0].size == 500);
	CHECK(p[n - 36].cls == KB_OPT_BOOL_CAND && p[n - 36].size == 7);
	/* a stretch where it never changes: no change to apply */
	CHECK(!kb_store_option_line(s, "BAR", ids + 10, 20, p));
	CHECK(p[0].size == 1000 && p[19].size == 1000 && p[19].cls == KB_OPT_TRI_CAND);
	CHECK(kb_store_option_line(s, "NOPE", ids, n, p) == KB_ERR);
	CHECK(strstr(kb_error_last(), "CONFIG_NOPE") != NULL);
	free(p);
}

/* The option name in o, or NULL. */
static const struct kb_build_option *find(const struct kb_build_options *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->v[i].name, name))
			return &o->v[i];
	return NULL;
}

static void build_options_against_the_parent(struct kb_store *s, const int64_t *ids)
{
	struct kb_build_options o;
	const struct kb_build_option *f;

	CHECK(!kb_store_build_options(s, ids[30], &o));
	CHECK(o.parent == ids[29] && o.n == 2);
	f = find(&o, "FOO");
	CHECK(f && f->cls == KB_OPT_TRI_KEPT && f->prev_cls == KB_OPT_TRI_CAND);
	CHECK(f && f->size == 500 && f->prev == 129);
	f = find(&o, "BAR");
	CHECK(f && f->size == 1000 && f->prev == 1000 && f->cls == f->prev_cls);
	kb_build_options_release(&o);

	CHECK(!kb_store_build_options(s, ids[40], &o));
	f = find(&o, "FOO");
	CHECK(f && f->cls == -1 && f->size == 0 && f->prev == 500);
	kb_build_options_release(&o);

	/* the parent build has no analysis: nothing to compare with */
	CHECK(!kb_store_build_options(s, ids[NO_ANALYSIS + 1], &o));
	CHECK(o.parent == 0 && o.n == 2);
	f = find(&o, "FOO");
	CHECK(f && f->prev_cls == -1 && f->size == 104);
	kb_build_options_release(&o);
}

static void series_are_null_without_the_analysis(struct kb_store *s, const int64_t *ids)
{
	struct kb_build_series b[2];

	CHECK(!kb_store_line_series(s, ids + NO_ANALYSIS, 2, b));
	CHECK(b[0].has_padding && !b[0].has_modular && b[0].padding == 10);
	CHECK(b[0].m_core == 0 && b[0].total == 5000 + NO_ANALYSIS + 10);
	CHECK(b[1].has_modular && b[1].m_tristate == 1000 + 104 && b[1].m_bool == 0);
	CHECK(b[1].m_tristate + b[1].m_bool + b[1].m_core + b[1].m_rest ==
	      b[1].total - b[1].padding);
}

int main(void)
{
	char dir[] = "/tmp/kbloat-test-XXXXXX", path[64];
	struct kb_store *s;
	int64_t config, *ids = NULL;
	size_t n = 0;
	int i, rc = 0;

	if (!mkdtemp(dir)) {
		perror(dir);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/k.db", dir);
	CHECK(!kb_store_open(&s, path, 1));
	for (i = 0; i < NBUILDS && !rc; i++)
		rc = record(s, i);
	CHECK(!rc);
	if (rc)
		fprintf(stderr, "%s\n", kb_error_last());
	CHECK(!kb_store_find_config(s, "tiny", &config));
	CHECK(!kb_build_line(s, config, 0, &ids, &n));
	CHECK_U64(n, NBUILDS);
	if (n == NBUILDS) {
		option_line_follows_each_build(s, ids, n);
		build_options_against_the_parent(s, ids);
		series_are_null_without_the_analysis(s, ids);
	}
	free(ids);
	kb_store_close(s);
	unlink(path);
	snprintf(path, sizeof(path), "%s/k.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/k.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return check_done("test_store_options");
}
