/*
 * fuzz_db.h - what the two database fuzz targets share: a small database recorded through
 * the store's API, and every read query of kbloat (the store's and the reports') run over a
 * database file, each either answering or failing with an error, never crashing, hanging or
 * leaking. A header of static functions: each target is one translation unit.
 */
#ifndef KB_FUZZ_DB_H
#define KB_FUZZ_DB_H

#include "blame.h"
#include "build_options.h"
#include "changes.h"
#include "ci.h"
#include "error.h"
#include "history.h"
#include "lineage.h"
#include "plot.h"
#include "query.h"
#include "show.h"
#include "site.h"
#include "store.h"
#include "store_check.h"
#include "top.h"
#include "trend.h"
#include "walls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *fuzz_null;

/*
 * Every query allocates its models afresh (string tables of 64 KiB blocks): with ASan's
 * default 256 MiB quarantine each run touches new pages, and runs slow to a crawl. A small
 * quarantine still catches a use after free within a run.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=16";
}

/* The sha of commit i of the synthetic history: 40 hex digits. */
static void fuzz_sha(char sha[41], unsigned i)
{
	snprintf(sha, 41, "%08x%032x", 0xc0ffee00u + i, i * 2654435761u);
}

/* Records nbuilds ok builds of one config, each commit the first parent of the next, with
 * a few items (of every kind and several classes) whose sizes change from build to build. */
__attribute__((unused)) static int fuzz_make_db(const char *path, unsigned nbuilds)
{
	static const char *const names[] = { "start_kernel", "do_one_initcall", "vfs_read",
					     "kmalloc.constprop.0", "__bss_gap" };
	static const char *const paths[] = { "init/main.c", "init/main.c", "fs/read_write.c",
					     "mm/slab.c", "" };
	struct kb_store *s;
	char shas[64][41];
	unsigned i, k;
	int rc = 0;

	if (kb_store_open(&s, path, 1))
		return KB_ERR;
	for (i = 0; i < nbuilds && i < 64 && !rc; i++) {
		struct kb_store_commit c = { 0 }, chain[1];
		struct kb_build_rec rec = { 0 };
		struct kb_itemset set = { 0 };
		int already;

		fuzz_sha(shas[i], i);
		c.sha = shas[i];
		c.parent = i ? shas[i - 1] : NULL;
		c.author_name = "A U Thor";
		c.author_email = "a@u.thor";
		c.subject = "a change";
		c.author_time = c.committer_time = 1700000000 + i;
		if (i)
			chain[0] =
				(struct kb_store_commit){ shas[i - 1],	 i > 1 ? shas[i - 2] : NULL,
							  "A U Thor",	 "a@u.thor",
							  "a change",	 1699999999 + i,
							  1699999999 + i };
		rec.commit = &c;
		rec.chain = chain;
		rec.nchain = i ? 1 : 0;
		rec.config = "fuzz";
		rec.arch = "x86_64";
		rec.status = "ok";
		rec.dotconfig = i & 1 ? "CONFIG_A=y" : "CONFIG_A=y\nCONFIG_B=m";
		rec.compiler = "cc";
		rec.linker = "ld";
		for (k = 0; k < 5; k++) {
			uint64_t size = 100 + 10 * k + (i * (k + 1)) % 7;

			kb_itemset_add(&set, 0, names[k], paths[k], k < 3 ? "INIT" : NULL,
				       (int)(k % 4), size);
			rec.total += size;
			rec.cls[k % 4] += size;
			if (k < 3)
				kb_itemset_add(&set, 1 + (int)k, names[k], "", NULL, 0, size);
		}
		/* schema 002: the last row is padding; two options share the code and data */
		rec.padding = 100 + 10 * 4 + (i * 5) % 7;
		rec.has_modular = 1;
		kb_itemset_add(&set, KB_ITEM_OPTION, "OPT_A", "", NULL, (int)(i % 4), 10 + i);
		kb_itemset_add(&set, KB_ITEM_OPTION, "OPT_B", "", NULL, KB_OPT_TRI_CAND, 5);
		rec.m_tristate = 5 + (i % 4 == KB_OPT_TRI_CAND ? 10 + i : 0);
		rec.m_bool = i % 4 == KB_OPT_BOOL_CAND ? 10 + i : 0;
		rec.m_rest = i % 2 ? 10 + i : 0;
		rec.m_core = rec.total - rec.padding - rec.m_tristate - rec.m_bool - rec.m_rest;
		rec.items = &set;
		rc = kb_store_record(s, &rec, &already);
		kb_itemset_release(&set);
	}
	kb_store_close(s);
	return rc;
}

/* A build's reports: show, top by each key, what grew. */
static void fuzz_read_build(struct kb_store *s, int64_t build)
{
	struct kb_top_changes tc;
	struct kb_show *show;
	struct kb_top *top;
	struct kb_sizes z;
	int by;

	if (!kb_show_build(&show, s, build)) {
		kb_show_write_text(fuzz_null, show);
		kb_show_free(show);
	}
	for (by = 0; by < KB_TOP_NR; by++) {
		if (!kb_top_build(&top, s, build, (enum kb_top_by)by, 3)) {
			kb_top_write_text(fuzz_null, top);
			kb_top_free(top);
		}
	}
	if (!kb_top_changes_load(&tc, s, build))
		kb_top_changes_release(&tc);
	if (!kb_store_sizes(s, build, &z))
		kb_sizes_release(&z);
}

/* kbloat options of config's newest build, written both ways. */
static void fuzz_read_options(struct kb_store *s, const char *config)
{
	struct kb_options_query q = { NULL, config, 0, 0 };
	struct kb_options_report *r;

	if (!kb_options_build(&r, s, &q)) {
		kb_options_write_text(fuzz_null, r);
		json_decref(kb_options_json(r));
		kb_options_free(r);
	}
}

/* A config's reports: history (whole and narrowed), blame, the line, walls, lineage. */
static void fuzz_read_config(struct kb_store *s, int64_t cfg)
{
	struct kb_scope whole = { NULL, NULL, NULL, -1 }, sym = { NULL, NULL, "vfs_read", -1 };
	struct kb_first_parents fp;
	struct kb_line_build *line;
	struct kb_wall_row *wall;
	struct kb_history *h;
	struct kb_blame *b;
	size_t n, i;
	char **shas;
	int w;

	if (!kb_history_build(&h, s, cfg, &whole)) {
		kb_history_write_text(fuzz_null, h);
		kb_history_free(h);
	}
	if (!kb_history_build(&h, s, cfg, &sym))
		kb_history_free(h);
	if (!kb_blame_build(&b, s, cfg, &whole, 0, 5, NULL)) {
		kb_blame_write_text(fuzz_null, b);
		kb_blame_free(b);
	}
	if (!kb_blame_build(&b, s, cfg, &sym, 1, 5, NULL))
		kb_blame_free(b);
	/* the modular analysis's: an option's line, the hard core's blame, a build's options */
	if (!kb_history_build_option(&h, s, cfg, "CONFIG_OPT_A")) {
		kb_history_write_text(fuzz_null, h);
		json_decref(kb_history_json(h));
		kb_history_free(h);
	}
	if (!kb_blame_build_core(&b, s, cfg, 1, 5, NULL)) {
		kb_blame_write_text(fuzz_null, b);
		kb_blame_free(b);
	}
	for (w = KB_WALL_REGRESSIONS; w <= KB_WALL_REDUCTIONS; w++)
		if (!kb_store_wall(s, cfg, (enum kb_wall)w, 5, &wall, &n))
			kb_wall_rows_free(wall, n);
	if (!kb_store_line_builds(s, cfg, &line, &n)) {
		for (i = 0; i < n && i < 8; i++)
			fuzz_read_build(s, line[i].id);
		if (n && !kb_store_first_parents(s, line[n - 1].sha, line[0].sha, &fp))
			kb_first_parents_release(&fp);
		else if (n)
			kb_first_parents_release(&fp);
		kb_line_builds_free(line, n);
	}
	if (!kb_store_newest_shas(s, cfg, 5, &shas, &n))
		kb_store_names_free(shas, n);
}

/* The reports over every config: plot's and site's models, ci against the oldest build. */
static void fuzz_read_all(struct kb_store *s, char **names, size_t n)
{
	struct kb_site_opts so = { 3, 3 };
	struct kb_ci_opts co = { 0 };
	struct kb_items items;
	struct kb_plot *plot;
	struct kb_site *site;
	struct kb_ci *ci;
	char sha[41];
	size_t i;

	for (i = 0; i < n; i++)
		fuzz_read_options(s, names[i]);
	if (!kb_items_load(s, &items)) {
		if (!kb_plot_build(&plot, s, &items, (const char *const *)names, n, 3))
			kb_plot_free(plot);
		if (!kb_site_build(&site, s, &items, (const char *const *)names, n, &so)) {
			kb_site_write_index(fuzz_null, site);
			kb_site_free(site);
		}
		kb_items_release(&items);
	}
	fuzz_sha(sha, 0);
	co.baseline = sha;
	co.threshold = 1;
	if (!kb_ci_build(&ci, s, &co)) {
		kb_ci_write_text(fuzz_null, ci);
		kb_ci_write_md(fuzz_null, ci);
		kb_ci_write_junit(fuzz_null, ci);
		kb_ci_free(ci);
	}
}

/* Opens the database at path read-only and runs every read query and db check over it. */
static void fuzz_read_everything(const char *path)
{
	struct kb_store *s;
	struct kb_check c;
	char **names;
	size_t n, i;
	int64_t id;

	if (!fuzz_null)
		fuzz_null = fopen("/dev/null", "w");
	if (kb_store_open_read(&s, path))
		return;
	if (!kb_store_check(s, &c))
		kb_check_release(&c);
	if (!kb_store_config_names(s, &names, &n)) {
		for (i = 0; i < n; i++)
			if (!kb_store_find_config(s, names[i], &id))
				fuzz_read_config(s, id);
		fuzz_read_all(s, names, n);
		kb_store_names_free(names, n);
	}
	/* ids that name no build, or a build off every line */
	for (id = -1; id < 2; id++)
		fuzz_read_build(s, id);
	fuzz_read_build(s, 1LL << 40);
	if (!kb_store_find_build(s, "c0ffee01", NULL, &id))
		fuzz_read_build(s, id);
	kb_store_close(s);
}

/* Removes path and its WAL files. */
static void fuzz_unlink_db(const char *path)
{
	char p[4096];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

#endif
