/*
 * cmd_show.c - `kbloat show REV`: one build against its parent build, as `kbloat diff` would
 * print the two images (bloat-o-meter's text, from the entries the store keeps of it), then
 * rolled up by subsystem, then the config options that changed.
 */
#include "kbloat.h"

#include "store_internal.h" /* FIXME(issue 14): its SQL moves into the store */

#include "bloatometer.h"
#include "query.h"
#include "subsystems.h"
#include "rollup.h"
#include "store.h"
#include "error.h"
#include "strtab.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char show_usage[] = "usage: kbloat show [--db DB] [--config C] [--json] REV\n";

struct build_head {
	int64_t parent, distance;
	char *sha, *author, *subject, *parent_sha, *options, *parent_options, *status, *log;
	int64_t author_time;
};

static char *text_or_null(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? xstrdup((const char *)t) : NULL;
}

static int read_head(struct kb_store *s, int64_t build, struct build_head *h)
{
	sqlite3_stmt *st;
	int rc;

	memset(h, 0, sizeof(*h));
	if (kb_store_prepare(
		    s, &st,
		    "SELECT b.parent_build_id, b.distance, c.sha, c.author_name, "
		    "c.subject, c.author_time, pc.sha, dc.options, pdc.options, b.status, b.log_tail "
		    "FROM builds b JOIN commits c ON c.id = b.commit_id LEFT JOIN "
		    "builds pb ON pb.id = b.parent_build_id LEFT JOIN commits pc ON "
		    "pc.id = pb.commit_id LEFT JOIN dotconfigs dc ON dc.id = "
		    "b.dotconfig_id LEFT JOIN dotconfigs pdc ON pdc.id = "
		    "pb.dotconfig_id WHERE b.id = ?1"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, build);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		h->parent = sqlite3_column_int64(st, 0);
		h->distance = sqlite3_column_int64(st, 1);
		h->sha = text_or_null(st, 2);
		h->author = text_or_null(st, 3);
		h->subject = text_or_null(st, 4);
		h->author_time = sqlite3_column_int64(st, 5);
		h->parent_sha = text_or_null(st, 6);
		h->options = text_or_null(st, 7);
		h->parent_options = text_or_null(st, 8);
		h->status = text_or_null(st, 9);
		h->log = text_or_null(st, 10);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : kb_store_fail(s, "cannot read the build");
}

static void release_head(struct build_head *h)
{
	free(h->sha);
	free(h->author);
	free(h->subject);
	free(h->parent_sha);
	free(h->options);
	free(h->parent_options);
	free(h->status);
	free(h->log);
}

/* Old and new bytes per subsystem of the breakdown items. */
static void by_subsystem(const struct kb_items *it, const struct kb_sizes *o,
			 const struct kb_sizes *n, struct kb_rollup *r)
{
	size_t i;

	for (i = 0; i < it->n; i++) {
		uint64_t ov = i < o->n ? o->v[i] : 0, nv = i < n->n ? n->v[i] : 0;

		if (it->v[i].kind == KB_ITEM_ROW && (ov || nv))
			kb_rollup_add(r, it->v[i].subsystem ? it->v[i].subsystem : "[no file]", ov,
				      nv);
	}
	kb_rollup_sort(r);
}

/* Options set in one .config and not the other ("-CONFIG_X=y", "+CONFIG_X=m"). */
static void option_changes(const char *old, const char *new, json_t *out)
{
	struct kb_strtab a = KB_STRTAB_INIT, b = KB_STRTAB_INIT;
	const char *p, *e;
	size_t i;

	for (p = old ? old : ""; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, '\n');
		if (e > p)
			kb_strtab_intern(&a, p, (size_t)(e - p), NULL);
	}
	for (p = new ? new : ""; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, '\n');
		if (e > p)
			kb_strtab_intern(&b, p, (size_t)(e - p), NULL);
	}
	for (i = 0; i < a.nr; i++)
		if (kb_strtab_find(&b, a.strs[i], strlen(a.strs[i])) < 0)
			json_array_append_new(out, json_pack("{s:s,s:s}", "change", "-", "option",
							     a.strs[i]));
	for (i = 0; i < b.nr; i++)
		if (kb_strtab_find(&a, b.strs[i], strlen(b.strs[i])) < 0)
			json_array_append_new(out, json_pack("{s:s,s:s}", "change", "+", "option",
							     b.strs[i]));
	kb_strtab_release(&a);
	kb_strtab_release(&b);
}

static int show(struct kb_store *s, int64_t build, int json)
{
	struct build_head h;
	struct kb_sizes nz = { 0 }, oz = { 0 };
	struct kb_items it = { 0 };
	struct kb_bom b;
	struct kb_rollup subs = KB_ROLLUP_INIT;
	size_t i;
	json_t *opts = json_array();
	char date[16];
	int rc = KB_ERR;

	kb_bom_init(&b);
	if (read_head(s, build, &h))
		goto out;
	if (strcmp(h.status, "ok")) {
		/* nothing was measured: say how the build went */
		if (json)
			rc = kb_json_print(json_pack("{s:s,s:s,s:s,s:s?}", "commit", h.sha,
						     "subject", h.subject, "status", h.status,
						     "log", h.log));
		else
			printf("commit %s\n    %s\n\nbuild %s%s%s", h.sha, h.subject, h.status,
			       h.log ? "; the end of its log:\n" : "\n", h.log ? h.log : "");
		if (!json)
			rc = KB_EXIT_OK;
		goto out;
	}
	if (kb_store_sizes(s, build, &nz) || (h.parent && kb_store_sizes(s, h.parent, &oz)) ||
	    kb_items_load(s, &it))
		goto out;
	for (i = 0; i < it.n; i++) {
		uint64_t ov = i < oz.n ? oz.v[i] : 0, nv = i < nz.n ? nz.v[i] : 0;

		/* bloat-o-meter's default view: functions, data and read-only data as one */
		if (it.v[i].kind >= KB_ITEM_BOM_T && (ov || nv))
			kb_bom_add(&b, it.v[i].name, ov, nv);
	}
	kb_bom_finish(&b);
	by_subsystem(&it, &oz, &nz, &subs);
	option_changes(h.parent_options, h.options, opts);
	kb_format_date(h.author_time, date);
	if (json) {
		rc = kb_json_print(json_pack(
			"{s:s,s:s,s:s,s:s?,s:I,s:o,s:o,s:o}", "commit", h.sha, "author", h.author,
			"subject", h.subject, "parent", h.parent_sha, "commits",
			(json_int_t)h.distance, "bloat_o_meter", kb_bom_json(&b, "Function"),
			"subsystems", kb_rollup_json(&subs), "config_changes", opts));
		opts = NULL;
		goto out;
	}
	printf("commit %s\nAuthor: %s\nDate:   %s\n\n    %s\n\n", h.sha, h.author, date, h.subject);
	if (!h.parent) {
		printf("no parent build: the first build of this config on its line\n");
		rc = KB_EXIT_OK;
		goto out;
	}
	if (h.distance > 1)
		printf("against %.12s, %lld commits back (the ones between were not built)\n\n",
		       h.parent_sha, (long long)h.distance);
	kb_bom_write_text(stdout, &b, "Function");
	putchar('\n');
	kb_rollup_write_text(stdout, &subs, "subsystem");
	if (json_array_size(opts)) {
		printf("\nconfig options that changed:\n");
		for (i = 0; i < json_array_size(opts); i++) {
			json_t *o = json_array_get(opts, i);

			printf("  %s%s\n", json_string_value(json_object_get(o, "change")),
			       json_string_value(json_object_get(o, "option")));
		}
	}
	rc = KB_EXIT_OK;
out:
	if (rc == KB_ERR)
		rc = kb_report_error();
	json_decref(opts);
	kb_rollup_release(&subs);
	kb_bom_release(&b);
	kb_items_release(&it);
	kb_sizes_release(&nz);
	kb_sizes_release(&oz);
	release_head(&h);
	return rc;
}

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = KB_DEFAULT_DB, *config = NULL;
	struct kb_store *s = NULL;
	int64_t build;
	int c, json = 0, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'D':
			db = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(show_usage, stdout);
			return KB_EXIT_OK;
		default:
			return kb_usage(show_usage);
		}
	}
	if (argc - optind != 1)
		return kb_usage(show_usage);
	if (kb_store_open(&s, db, 0) || kb_store_find_build(s, argv[optind], config, &build)) {
		kb_store_close(s);
		return kb_report_error();
	}
	rc = show(s, build, json);
	kb_store_close(s);
	return rc;
}

/* FIXME(issue 14): parses its own options until it moves onto the option table */
const struct kb_command kb_cmd_show = {
	.name = "show",
	.summary = "a recorded build against its parent build",
	.usage = (const char *const[]){ "show [--db DB] [--config C] [--json] REV", NULL },
	.legacy = cmd_show,
};
