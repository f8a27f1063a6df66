/*
 * store_check.c - integrity and consistency checks of a database; see store_check.h.
 */
#include "store_check.h"

#include "store_internal.h"
#include "error.h"
#include "sha.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

__attribute__((format(printf, 2, 3))) static void problem(struct kb_check *c, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(c->problems, c->nproblems + 1, c->problems_alloc);
	c->problems[c->nproblems++] = strbuf_detach(&sb, NULL);
}

/* SQLite's integrity check: a problem per line it says, or the error it stopped on. */
static void integrity(struct kb_store *s, struct kb_check *c)
{
	sqlite3_stmt *st;
	int step;

	if (kb_store_prepare(s, &st, "PRAGMA integrity_check")) {
		problem(c, "%s", kb_error_last());
		return;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = kb_column_text(st, 0, NULL);

		if (t && strcmp(t, "ok"))
			problem(c, "%s: %s", kb_store_path(s), t);
	}
	if (step != SQLITE_DONE)
		problem(c, "%s: integrity check: %s", kb_store_path(s),
			sqlite3_errmsg(kb_store_db(s)));
	sqlite3_finalize(st);
}

#define NOT_SHA(col) \
	"(typeof(" col ") != 'text' OR length(" col ") != 40 OR " col " GLOB '*[^0-9a-f]*')"
#define MISSING(col, table) \
	"(" col " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " table " x WHERE x.id = " col "))"

/*
 * What every reader relies on, checked whatever the file's own schema declares: each rule
 * is a query of the bad rows' ids (or rowids) and what is wrong with them.
 */
static const struct rule {
	const char *sql, *what;
} rules[] = {
	{ "SELECT id FROM commits WHERE " NOT_SHA("sha"),
	  "commits row %lld: its sha is not 40 lowercase hex digits" },
	{ "SELECT id FROM commits WHERE parent_sha IS NOT NULL AND " NOT_SHA("parent_sha"),
	  "commits row %lld: its parent_sha is not 40 lowercase hex digits" },
	{ "SELECT id FROM commits WHERE author_name IS NULL OR author_email IS NULL OR subject "
	  "IS NULL",
	  "commits row %lld: a NULL author or subject" },
	{ "SELECT id FROM configs WHERE name IS NULL OR arch IS NULL",
	  "configs row %lld: a NULL name or arch" },
	{ "SELECT id FROM subsystems WHERE name IS NULL", "subsystems row %lld: a NULL name" },
	{ "SELECT id FROM paths WHERE path IS NULL", "paths row %lld: a NULL path" },
	{ "SELECT id FROM paths p WHERE " MISSING("p.subsystem_id", "subsystems"),
	  "row %lld of paths names a missing row of subsystems" },
	{ "SELECT c.subsystem_id FROM subsystem_contacts c WHERE " MISSING("c.subsystem_id",
									   "subsystems"),
	  "subsystem_contacts name a missing row %lld of subsystems" },
	{ "SELECT id FROM items WHERE id < 0", "items row %lld: a negative id" },
	{ "SELECT id FROM items WHERE id >= 1024 + 2 * (SELECT count(*) FROM items)",
	  "items row %lld: an id far beyond the number of items (kbloat numbers them 1..N)" },
	{ "SELECT id FROM items WHERE name IS NULL", "items row %lld: a NULL name" },
	{ "SELECT id FROM items WHERE typeof(kind) != 'integer' OR kind NOT BETWEEN 0 AND 4 OR "
	  "typeof(class) != 'integer' OR class NOT BETWEEN 0 AND 6",
	  "items row %lld: its kind or class is out of range" },
	{ "SELECT id FROM items WHERE kind = 4 AND class NOT BETWEEN 0 AND 3",
	  "items row %lld: an option whose class is not 0..3 (tristate or bool, candidate or "
	  "kept)" },
	{ "SELECT id FROM items i WHERE i.path_id IS NULL OR " MISSING("i.path_id", "paths"),
	  "row %lld of items names a missing row of paths" },
	{ "SELECT id FROM builds WHERE status IS NULL OR status NOT IN ('ok', 'failed', "
	  "'skipped')",
	  "builds row %lld: its status is not ok, failed or skipped" },
	{ "SELECT id FROM builds WHERE typeof(reused) != 'integer' OR reused NOT BETWEEN 0 AND 2 "
	  "OR (reused != 0 AND status != 'ok')",
	  "builds row %lld: its reused code is not 0, 1 or 2, or marks a build that is not ok" },
	{ "SELECT id FROM builds b WHERE b.commit_id IS NULL OR " MISSING("b.commit_id", "commits"),
	  "row %lld of builds names a missing row of commits" },
	{ "SELECT id FROM builds b WHERE b.config_id IS NULL OR " MISSING("b.config_id", "configs"),
	  "row %lld of builds names a missing row of configs" },
	{ "SELECT id FROM builds b WHERE " MISSING("b.parent_build_id", "builds"),
	  "row %lld of builds names a missing row of builds" },
	{ "SELECT id FROM builds b WHERE " MISSING("b.dotconfig_id", "dotconfigs"),
	  "row %lld of builds names a missing row of dotconfigs" },
	{ "SELECT id FROM builds b WHERE " MISSING("b.toolchain_id", "toolchains"),
	  "row %lld of builds names a missing row of toolchains" },
	{ "SELECT id FROM dotconfigs WHERE options IS NULL", "dotconfigs row %lld: NULL options" },
	{ "SELECT id FROM toolchains WHERE compiler IS NULL OR linker IS NULL",
	  "toolchains row %lld: a NULL compiler or linker" },
	{ "SELECT DISTINCT build_id FROM item_delta d WHERE " MISSING("d.build_id", "builds"),
	  "item_delta rows of build %lld, which is missing" },
	{ "SELECT DISTINCT build_id FROM item_delta d WHERE d.item_id IS NULL OR " MISSING(
		  "d.item_id", "items"),
	  "item_delta rows of build %lld name missing items" },
	{ "SELECT build_id FROM item_sets d WHERE " MISSING("d.build_id", "builds"),
	  "item_sets row of build %lld, which is missing" },
	/* schema 009: the relearnt kallsyms term, only beside the modular sums of an ok build
	 * (kbloat modular relearns only what it analyzed); it changes the estimate by less
	 * than the build's code and data (a SQL overflow becomes a REAL here, never an error) */
	{ "SELECT id FROM builds WHERE m_kallsyms IS NOT NULL AND (typeof(m_kallsyms) != "
	  "'integer' OR status != 'ok' OR padding IS NULL OR m_tristate IS NULL OR m_bool IS NULL "
	  "OR m_core IS NULL OR m_rest IS NULL OR m_kallsyms > total - padding OR m_kallsyms < "
	  "padding - total)",
	  "builds row %lld: its m_kallsyms (the relearnt kallsyms term) is not an integer beside "
	  "the modular sums of an ok build, or is larger than its code and data" },
	/* schema 008: the boot image and the modules of ok builds */
	{ "SELECT o.build_id FROM build_outputs o WHERE NOT EXISTS (SELECT 1 FROM builds b "
	  "WHERE b.id = o.build_id AND b.status = 'ok')",
	  "build_outputs row of build %lld, which is missing or not an ok build" },
	{ "SELECT build_id FROM build_outputs WHERE (boot_name IS NULL) != (boot_bytes IS NULL) "
	  "OR (boot_name IS NULL AND boot_payload IS NOT NULL) OR typeof(boot_bytes) NOT IN "
	  "('integer', 'null') OR typeof(boot_payload) NOT IN ('integer', 'null') OR "
	  "boot_bytes < 0 OR boot_payload < 0 OR boot_payload > boot_bytes",
	  "build_outputs row of build %lld: its boot image sizes are not a size and a payload "
	  "within it" },
	{ "SELECT build_id FROM build_outputs WHERE (mod_count IS NULL) != (mod_total IS NULL) OR "
	  "(mod_count IS NOT NULL AND (typeof(mod_count) != 'integer' OR typeof(mod_total) != "
	  "'integer' OR mod_count < 0 OR mod_total < 0 OR mod_total IS NOT coalesce(mod_text, "
	  "-1) + coalesce(mod_rodata, -1) + coalesce(mod_data, -1) + coalesce(mod_bss, -1) + "
	  "coalesce(mod_init, -1) + coalesce(mod_percpu, -1) + coalesce(mod_other, -1) OR "
	  "min(mod_text, mod_rodata, mod_data, mod_bss, mod_init, mod_percpu, mod_other) < 0))",
	  "build_outputs row of build %lld: its modules' classes do not sum to their total" },
};

/* At most this many rows per rule are named; the rest are counted. */
#define KB_CHECK_ROWS 20

static void rule_check(struct kb_store *s, struct kb_check *c, const struct rule *r)
{
	char fmt[160];
	sqlite3_stmt *st;
	size_t n = 0;
	int step;

	if (kb_store_prepare(s, &st, r->sql)) {
		problem(c, "%s", kb_error_last());
		return;
	}
	snprintf(fmt, sizeof(fmt), "%%s: %s", r->what);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (n++ < KB_CHECK_ROWS)
			problem(c, fmt, kb_store_path(s), (long long)sqlite3_column_int64(st, 0));
	if (n > KB_CHECK_ROWS)
		problem(c, "%s: %zu more rows like the last", kb_store_path(s), n - KB_CHECK_ROWS);
	if (step != SQLITE_DONE)
		problem(c, "%s: %s", kb_store_path(s), sqlite3_errmsg(kb_store_db(s)));
	sqlite3_finalize(st);
}

/* A row and the row its link names (when it has one), sorted by row. */
struct link {
	int64_t row, next;
	int has_next;
};

static int link_cmp(const void *a, const void *b)
{
	const struct link *x = a, *y = b;

	return x->row < y->row ? -1 : x->row > y->row;
}

static size_t link_find(const struct link *v, size_t n, int64_t row)
{
	struct link key = { row, 0, 0 };
	const struct link *hit = bsearch(&key, v, n, sizeof(*v), link_cmp);

	return hit ? (size_t)(hit - v) : n;
}

/* Each row's walk along the links, colouring rows by the walk that reached them first: a
 * walk that meets its own colour is a loop. One problem per loop, naming a row on it. */
static void loops_check(struct kb_store *s, struct kb_check *c, const char *sql, const char *what)
{
	struct link *v = NULL;
	size_t n = 0, alloc = 0, i, k;
	size_t *colour;
	sqlite3_stmt *st;
	int step;

	if (kb_store_prepare(s, &st, sql)) {
		problem(c, "%s", kb_error_last());
		return;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(v, n + 1, alloc);
		v[n].row = sqlite3_column_int64(st, 0);
		v[n].has_next = sqlite3_column_type(st, 1) != SQLITE_NULL;
		v[n++].next = sqlite3_column_int64(st, 1);
	}
	if (step != SQLITE_DONE)
		problem(c, "%s: %s", kb_store_path(s), sqlite3_errmsg(kb_store_db(s)));
	sqlite3_finalize(st);
	if (n)
		qsort(v, n, sizeof(*v), link_cmp);
	colour = xcalloc(n + 1, sizeof(*colour));
	for (i = 0; i < n; i++) {
		for (k = i; k < n && !colour[k]; k = v[k].has_next ? link_find(v, n, v[k].next) : n)
			colour[k] = i + 1;
		if (k < n && colour[k] == i + 1)
			problem(c, "%s: %s row %lld: %s loops back to it", kb_store_path(s), what,
				(long long)v[k].row,
				!strcmp(what, "builds") ? "parent_build_id" : "parent_sha");
	}
	free(colour);
	free(v);
}

/* Everything a reader relies on that the file may not hold. */
static void lint(struct kb_store *s, struct kb_check *c)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		rule_check(s, c, &rules[i]);
	loops_check(s, c, "SELECT id, parent_build_id FROM builds", "builds");
	loops_check(s, c,
		    "SELECT c.id, p.id FROM commits c LEFT JOIN commits p ON p.sha = c.parent_sha",
		    "commits");
}

/* The columns of build_checks' query, in order. */
enum {
	COL_ID,
	COL_SHA,
	COL_TOTAL,
	COL_BOM, /* bom_t, bom_d, bom_r */
	COL_DELTA_BAD = COL_BOM + 3,
	COL_PARENT_BAD,
	COL_PADDING,
	COL_M, /* m_tristate, m_bool, m_core, m_rest */
	COL_D_CORE = COL_M + 4,
	COL_PARENT_CORE,
	COL_HAS_PARENT,
};

static const char *const m_names[4] = { "m_tristate", "m_bool", "m_core", "m_rest" };

/* What a build's row says its items sum to: its total, bloat-o-meter's totals, and the
 * modular analysis's (NULL columns: has_m 0). */
struct want {
	int64_t total, bom[3], padding, m[4];
	int has_padding, has_m;
};

/* Do the option items add up to the modular sums (candidates exactly, the kept ones
 * within m_rest)? */
static void options_check(struct kb_check *c, const char *sha, const int64_t *opt,
			  const struct want *w)
{
	int64_t kept = (int64_t)((uint64_t)opt[KB_OPT_TRI_KEPT] + (uint64_t)opt[KB_OPT_BOOL_KEPT]);
	int k;

	if (!w->has_m) {
		for (k = 0; k < KB_OPT_NCLASSES; k++)
			if (opt[k]) {
				problem(c, "build of %.12s: option sizes but no modular sums", sha);
				return;
			}
		return;
	}
	if (opt[KB_OPT_TRI_CAND] != w->m[0])
		problem(c,
			"build of %.12s: stored tristate candidates sum to %lld, its m_tristate "
			"says %lld",
			sha, (long long)opt[KB_OPT_TRI_CAND], (long long)w->m[0]);
	if (opt[KB_OPT_BOOL_CAND] + opt[KB_OPT_TRI_FREED] != w->m[1])
		problem(c,
			"build of %.12s: stored bool candidates (and the tristates they free) "
			"sum to %lld, its m_bool says %lld",
			sha, (long long)(opt[KB_OPT_BOOL_CAND] + opt[KB_OPT_TRI_FREED]),
			(long long)w->m[1]);
	if (kept > w->m[3])
		problem(c,
			"build of %.12s: stored options that stay built in sum to %lld, more "
			"than its m_rest (%lld)",
			sha, (long long)kept, (long long)w->m[3]);
}

/* What a build's stored sizes add up to, per kind and option class, or why they could not
 * be read; the items with a size that do not exist. */
struct tally {
	int64_t got[KB_ITEM_OPTION], opt[KB_OPT_NCLASSES];
	size_t *missing, nmissing;
	char *error;
	int done;
};

static void tally_release(struct tally *t)
{
	free(t->missing);
	free(t->error);
	memset(t, 0, sizeof(*t));
}

/* t from build's full set z, or the error kb_store_sizes would give for it. */
static void tally_of(struct kb_store *s, int64_t build, const struct kb_sizes *z,
		     const struct kb_items *items, struct tally *t)
{
	uint64_t sum = 0;
	size_t i, alloc = 0;
	int beyond = 0;

	memset(t, 0, sizeof(*t));
	t->done = 1;
	for (i = 0; i < z->n; i++) {
		const struct kb_item_meta *m = i < items->n ? &items->v[i] : NULL;
		uint64_t v = z->v[i];

		if (!v)
			continue;
		if (v > (uint64_t)INT64_MAX - sum)
			beyond = 1;
		else
			sum += v;
		if (!m || m->kind < 0) {
			ALLOC_GROW(t->missing, t->nmissing + 1, alloc);
			t->missing[t->nmissing++] = i;
			continue;
		}
		if (m->kind == KB_ITEM_OPTION)
			t->opt[m->cls] = (int64_t)((uint64_t)t->opt[m->cls] + v);
		else
			t->got[m->kind] = (int64_t)((uint64_t)t->got[m->kind] + v);
	}
	if (beyond && kb_sizes_bounded(s, z, build))
		t->error = xstrdup(kb_error_last());
}

/* Do the build's stored sizes (tallied in t) add up to its totals (sizes, bloat-o-meter's
 * views, the options)? */
static void sums_check(struct kb_check *c, const char *sha, const struct tally *t,
		       const struct want *w)
{
	size_t i;
	int k;

	for (i = 0; i < t->nmissing; i++)
		problem(c, "build of %.12s: a size of item %zu, which does not exist", sha,
			t->missing[i]);
	for (k = 0; k < KB_ITEM_OPTION; k++)
		if (t->got[k] != (k ? w->bom[k - 1] : w->total))
			problem(c, "build of %.12s: stored %s sum to %lld, its total says %lld",
				sha, k ? "bloat-o-meter entries" : "sizes", (long long)t->got[k],
				(long long)(k ? w->bom[k - 1] : w->total));
	options_check(c, sha, t->opt, w);
}

/* The build row's own sums: padding within the total, the modular sums all there or all
 * NULL and adding up to the code and data, the hard core's change its parent's difference. */
static void row_sums_check(struct kb_check *c, const char *sha, sqlite3_stmt *st,
			   const struct want *w)
{
	/* in unsigned arithmetic: a hostile row's sums may wrap, never overflow */
	uint64_t sum =
		(uint64_t)w->m[0] + (uint64_t)w->m[1] + (uint64_t)w->m[2] + (uint64_t)w->m[3];
	uint64_t code = (uint64_t)w->total - (uint64_t)w->padding;
	int k, nm = 0;

	for (k = 0; k < 4; k++)
		nm += sqlite3_column_type(st, COL_M + k) != SQLITE_NULL;
	if (nm && nm < 4)
		problem(c,
			"build of %.12s: some of m_tristate, m_bool, m_core and m_rest are "
			"NULL and some are not",
			sha);
	if (w->has_padding && (w->padding < 0 || w->padding > w->total))
		problem(c, "build of %.12s: its padding (%lld) is not within its total (%lld)", sha,
			(long long)w->padding, (long long)w->total);
	if (w->has_m && !w->has_padding)
		problem(c, "build of %.12s: modular sums without a padding", sha);
	if (w->has_m && w->has_padding && sum != code)
		problem(c,
			"build of %.12s: m_tristate + m_bool + m_core + m_rest = %lld, its total "
			"- padding is %lld",
			sha, (long long)sum, (long long)code);
	for (k = 0; w->has_m && k < 4; k++)
		if (w->m[k] < 0)
			problem(c, "build of %.12s: a negative %s", sha, m_names[k]);
}

/* d_core is m_core minus the parent build's, NULL unless both builds have one. */
static void d_core_check(struct kb_check *c, const char *sha, sqlite3_stmt *st)
{
	int both = sqlite3_column_type(st, COL_M + 2) != SQLITE_NULL &&
		   sqlite3_column_type(st, COL_PARENT_CORE) != SQLITE_NULL &&
		   sqlite3_column_int(st, COL_HAS_PARENT);
	int has_d = sqlite3_column_type(st, COL_D_CORE) != SQLITE_NULL;

	if (both != has_d ||
	    (both && (uint64_t)sqlite3_column_int64(st, COL_D_CORE) !=
			     (uint64_t)sqlite3_column_int64(st, COL_M + 2) -
				     (uint64_t)sqlite3_column_int64(st, COL_PARENT_CORE)))
		problem(c, "build of %.12s: its d_core is not its parent's m_core difference", sha);
}

/* One ok build (a row of build_checks' query): its links, then its sums. */
static void build_check(struct kb_store *s, struct kb_check *c, sqlite3_stmt *st,
			const struct kb_items *items, struct tally *t)
{
	struct kb_check_build *b;
	struct want w = { 0 };
	struct kb_sizes z;
	int k;

	ALLOC_GROW(c->builds, c->nbuilds + 1, c->builds_alloc);
	b = &c->builds[c->nbuilds++];
	snprintf(b->sha, sizeof(b->sha), "%s",
		 kb_is_sha(kb_column_text(st, COL_SHA, NULL)) ? kb_column_text(st, COL_SHA, NULL) :
								"?");
	b->sizes_read = 0;
	w.total = sqlite3_column_int64(st, COL_TOTAL);
	for (k = 0; k < 3; k++)
		w.bom[k] = sqlite3_column_int64(st, COL_BOM + k);
	w.has_padding = sqlite3_column_type(st, COL_PADDING) != SQLITE_NULL;
	w.padding = sqlite3_column_int64(st, COL_PADDING);
	w.has_m = 1;
	for (k = 0; k < 4; k++) {
		w.m[k] = sqlite3_column_int64(st, COL_M + k);
		w.has_m &= sqlite3_column_type(st, COL_M + k) != SQLITE_NULL;
	}
	if (sqlite3_column_int(st, COL_DELTA_BAD))
		problem(c, "build of %.12s: its delta is not its parent's difference", b->sha);
	if (sqlite3_column_int(st, COL_PARENT_BAD))
		problem(c, "build of %.12s: its parent build is not an ok build of its config",
			b->sha);
	row_sums_check(c, b->sha, st, &w);
	d_core_check(c, b->sha, st);
	if (!t->done) {
		/* not reached from a snapshot: read as every reader does, for the same error */
		if (kb_store_sizes(s, sqlite3_column_int64(st, COL_ID), &z)) {
			problem(c, "build of %.12s: %s", b->sha, kb_error_last());
			return;
		}
		tally_of(s, sqlite3_column_int64(st, COL_ID), &z, items, t);
		kb_sizes_release(&z);
	}
	if (t->error) {
		problem(c, "build of %.12s: %s", b->sha, t->error);
		return;
	}
	b->sizes_read = 1;
	sums_check(c, b->sha, t, &w);
}

/*
 * Every build's sizes, reached by walking each chain once: from each snapshot build down its
 * children (those that are not snapshots themselves), each child's set its parent's with
 * its changes applied, in memory. A build that no walk reaches (a missing parent, a loop, no
 * snapshot up its links) or whose set could not be made is left undone: the check reads it
 * as every reader does (kb_store_sizes), and says the same error.
 */
struct node {
	int64_t id, parent;
	int has_parent, snapshot;
};

struct kid {
	int64_t parent, id;
	size_t node; /* index in chains.v */
};

struct chains {
	struct node *v; /* by id */
	size_t n;
	struct kid *kids; /* v's builds that are not snapshots, by parent then id */
	size_t nkids;
	struct tally *t; /* by index of v */
};

static int node_cmp(const void *a, const void *b)
{
	const struct node *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static size_t node_find(const struct chains *w, int64_t id)
{
	struct node key = { .id = id };
	const struct node *hit = bsearch(&key, w->v, w->n, sizeof(*w->v), node_cmp);

	return hit ? (size_t)(hit - w->v) : w->n;
}

static int kid_cmp(const void *a, const void *b)
{
	const struct kid *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The first of parent's children in w->kids (w->nkids if none). */
static size_t kids_of(const struct chains *w, int64_t parent)
{
	return kb_lower_bound_i64(w->kids, w->nkids, sizeof(*w->kids), offsetof(struct kid, parent),
				  parent);
}

static int chains_load(struct kb_store *s, struct chains *w)
{
	sqlite3_stmt *st;
	size_t alloc = 0, i;
	int step;

	memset(w, 0, sizeof(*w));
	if (kb_store_prepare(s, &st, "SELECT id, parent_build_id, snapshot FROM builds"))
		return KB_ERR;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(w->v, w->n + 1, alloc);
		w->v[w->n].id = sqlite3_column_int64(st, 0);
		w->v[w->n].has_parent = sqlite3_column_type(st, 1) != SQLITE_NULL;
		w->v[w->n].parent = sqlite3_column_int64(st, 1);
		w->v[w->n++].snapshot = sqlite3_column_int64(st, 2) != 0;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return kb_store_fail(s, "cannot read builds");
	if (w->n)
		qsort(w->v, w->n, sizeof(*w->v), node_cmp);
	w->kids = xcalloc(w->n + 1, sizeof(*w->kids));
	w->t = xcalloc(w->n + 1, sizeof(*w->t));
	for (i = 0; i < w->n; i++)
		if (w->v[i].has_parent && !w->v[i].snapshot)
			w->kids[w->nkids++] = (struct kid){ w->v[i].parent, w->v[i].id, i };
	if (w->nkids)
		qsort(w->kids, w->nkids, sizeof(*w->kids), kid_cmp);
	return 0;
}

static void chains_release(struct chains *w)
{
	size_t i;

	for (i = 0; w->t && i < w->n; i++)
		tally_release(&w->t[i]);
	free(w->t);
	free(w->kids);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

struct frame {
	size_t node;
	struct kb_sizes z;
};

/* z plus build's changes; 0 or KB_ERR (z is then released). */
static int apply_delta(struct kb_store *s, sqlite3_stmt *delta, int64_t build, struct kb_sizes *z)
{
	int step;

	sqlite3_bind_int64(delta, 1, build);
	while ((step = sqlite3_step(delta)) == SQLITE_ROW)
		if (kb_sizes_set(s, z, sqlite3_column_int64(delta, 0),
				 (uint64_t)sqlite3_column_int64(delta, 1), build))
			break;
	sqlite3_reset(delta);
	if (step != SQLITE_DONE) {
		kb_sizes_release(z);
		return KB_ERR;
	}
	return 0;
}

static void sizes_copy(struct kb_sizes *to, const struct kb_sizes *from)
{
	to->n = from->n;
	to->v = NULL;
	if (to->n) {
		to->v = xreallocarray(NULL, to->n, sizeof(*to->v));
		memcpy(to->v, from->v, to->n * sizeof(*to->v));
	}
}

/* Walks the chains down from snapshot build root, tallying each build's sizes. */
static void walk_from(struct kb_store *s, struct chains *w, size_t root, sqlite3_stmt *set,
		      sqlite3_stmt *delta, const struct kb_items *items)
{
	struct frame *stack = NULL, f;
	size_t n = 0, alloc = 0, k, last;

	f.node = root;
	memset(&f.z, 0, sizeof(f.z));
	if (kb_set_read(s, set, w->v[root].id, &f.z)) {
		kb_sizes_release(&f.z);
		return;
	}
	ALLOC_GROW(stack, n + 1, alloc);
	stack[n++] = f;
	while (n) {
		int64_t id;

		f = stack[--n];
		id = w->v[f.node].id;
		tally_of(s, id, &f.z, items, &w->t[f.node]);
		k = kids_of(w, id);
		for (last = k; last < w->nkids && w->kids[last].parent == id; last++)
			;
		for (; k < last; k++) {
			struct frame child = { w->kids[k].node, { NULL, 0 } };

			if (k + 1 == last) {
				child.z = f.z; /* the last child takes the parent's set */
				memset(&f.z, 0, sizeof(f.z));
			} else {
				sizes_copy(&child.z, &f.z);
			}
			if (apply_delta(s, delta, w->v[child.node].id, &child.z))
				continue;
			ALLOC_GROW(stack, n + 1, alloc);
			stack[n++] = child;
		}
		kb_sizes_release(&f.z);
	}
	free(stack);
}

static int chains_walk(struct kb_store *s, struct chains *w, const struct kb_items *items)
{
	sqlite3_stmt *set = NULL, *delta = NULL;
	size_t i;
	int rc = KB_ERR;

	if (kb_store_prepare(s, &set, "SELECT sizes FROM item_sets WHERE build_id = ?1") ||
	    kb_store_prepare(s, &delta, "SELECT item_id, size FROM item_delta WHERE build_id = ?1"))
		goto out;
	for (i = 0; i < w->n; i++)
		if (w->v[i].snapshot)
			walk_from(s, w, i, set, delta, items);
	rc = 0;
out:
	sqlite3_finalize(set);
	sqlite3_finalize(delta);
	return rc;
}

/* Sizes of each ok build against its totals, and its class deltas against its parent's. */
static int build_checks(struct kb_store *s, struct kb_check *c)
{
	struct kb_items items;
	struct chains w;
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(s, &st,
			     "SELECT b.id, c.sha, b.total, b.bom_t, b.bom_d, b.bom_r, "
			     "b.d_total IS NOT (b.total - p.total), p.status IS NOT NULL AND "
			     "(p.status != 'ok' OR p.config_id != b.config_id), b.padding, "
			     "b.m_tristate, b.m_bool, b.m_core, b.m_rest, b.d_core, p.m_core, "
			     "p.id IS NOT NULL FROM builds b JOIN "
			     "commits c ON c.id = b.commit_id LEFT JOIN builds p ON p.id = "
			     "b.parent_build_id WHERE b.status = 'ok' ORDER BY b.id"))
		return KB_ERR;
	if (kb_items_load(s, &items)) {
		/* the rows that make it so are problems of their own, said above */
		problem(c, "%s; the builds' sums were not checked", kb_error_last());
		sqlite3_finalize(st);
		return 0;
	}
	if (chains_load(s, &w) || chains_walk(s, &w, &items)) {
		problem(c, "%s; the builds' sums were not checked", kb_error_last());
		chains_release(&w);
		kb_items_release(&items);
		sqlite3_finalize(st);
		return 0;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t i = node_find(&w, sqlite3_column_int64(st, COL_ID));
		struct tally mine = { 0 }; /* a build no walk saw: read alone */

		build_check(s, c, st, &items, i < w.n ? &w.t[i] : &mine);
		tally_release(&mine);
	}
	if (rc != SQLITE_DONE)
		problem(c, "%s: cannot read builds: %s", kb_store_path(s),
			sqlite3_errmsg(kb_store_db(s)));
	chains_release(&w);
	kb_items_release(&items);
	sqlite3_finalize(st);
	return 0;
}

int kb_store_lint(struct kb_store *s, struct kb_check *out)
{
	memset(out, 0, sizeof(*out));
	lint(s, out);
	return 0;
}

int kb_store_check(struct kb_store *s, struct kb_check *out)
{
	memset(out, 0, sizeof(*out));
	integrity(s, out);
	lint(s, out);
	if (build_checks(s, out)) {
		kb_check_release(out);
		return KB_ERR;
	}
	return 0;
}

void kb_check_release(struct kb_check *c)
{
	size_t i;

	for (i = 0; i < c->nproblems; i++)
		free(c->problems[i]);
	free(c->problems);
	free(c->builds);
	memset(c, 0, sizeof(*c));
}
