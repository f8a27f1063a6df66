/*
 * cmd_top.c - `kbloat top`: where a recorded build's bytes go, by symbol, file, subsystem or
 * class, largest first, from the store alone (no image needed). The rows and the "more" line
 * sum to the build's total.
 */
#include "kbloat.h"

#include "breakdown.h"
#include "image.h"
#include "query.h"
#include "store.h"
#include "error.h"
#include "strbuf.h"
#include "strtab.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char top_usage[] =
	"usage: kbloat top [--db DB] [--config C] [--commit REV]\n"
	"                  [--by symbol|file|subsystem|class] [--limit N] [--json]\n";

struct top_row {
	const char *key;
	uint64_t bytes;
};

static int cmp_top(const void *x, const void *y)
{
	const struct top_row *a = x, *b = y;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return strcmp(a->key, b->key);
}

static void item_key(const struct kb_item_meta *m, const char *by, struct strbuf *key)
{
	strbuf_reset(key);
	if (!strcmp(by, "class")) {
		strbuf_addstr(key, kb_class_name(m->cls));
	} else if (!strcmp(by, "file")) {
		strbuf_addstr(key, *m->path ? m->path : m->name);
	} else if (!strcmp(by, "subsystem")) {
		strbuf_addstr(key, m->subsystem ? m->subsystem : *m->path ? m->path : m->name);
	} else {
		/* a function with its compiler clones, within its file */
		strbuf_add(key, m->name, kb_clone_origin_len(m->name));
		if (*m->path)
			strbuf_addf(key, "  (%s)", m->path);
	}
}

static int top(struct kb_store *s, int64_t build, const char *by, long limit, int json)
{
	struct kb_strtab keys = KB_STRTAB_INIT;
	struct strbuf key = STRBUF_INIT;
	struct kb_sizes z;
	struct kb_items it;
	struct top_row *rows = NULL;
	size_t n = 0, alloc = 0, i;
	uint64_t total = 0, rest = 0;
	json_t *arr;

	if (kb_store_sizes(s, build, &z))
		return kb_report_error();
	if (kb_items_load(s, &it)) {
		kb_sizes_release(&z);
		return kb_report_error();
	}
	for (i = 0; i < z.n && i < it.n; i++) {
		uint32_t k;

		if (!z.v[i] || it.v[i].kind != KB_ITEM_ROW)
			continue;
		item_key(&it.v[i], by, &key);
		k = kb_strtab_intern(&keys, key.buf, key.len, NULL);
		if (k >= n) {
			ALLOC_GROW(rows, (size_t)k + 1, alloc);
			rows[k].key = keys.strs[k];
			rows[k].bytes = 0;
			n = (size_t)k + 1;
		}
		rows[k].bytes += z.v[i];
		total += z.v[i];
	}
	for (i = 0; i < n; i++)
		rows[i].key = keys.strs[i];
	if (n)
		qsort(rows, n, sizeof(*rows), cmp_top);
	for (i = (size_t)limit; i < n; i++)
		rest += rows[i].bytes;
	arr = json ? json_array() : NULL;
	if (!json)
		printf("%10s %6s  %s\n", "bytes", "share", by);
	for (i = 0; i < n && i < (size_t)limit; i++) {
		if (json)
			json_array_append_new(arr, json_pack("{s:s,s:I}", "key", rows[i].key,
							     "bytes", (json_int_t)rows[i].bytes));
		else
			printf("%10llu %5.1f%%  %s\n", (unsigned long long)rows[i].bytes,
			       total ? 100.0 * (double)rows[i].bytes / (double)total : 0.0,
			       rows[i].key);
	}
	if (json) {
		kb_json_print(json_pack("{s:s,s:I,s:o,s:I}", "by", by, "total", (json_int_t)total,
					"rows", arr, "rest", (json_int_t)rest));
	} else {
		if (n > (size_t)limit)
			printf("%10llu %5.1f%%  [%zu more]\n", (unsigned long long)rest,
			       total ? 100.0 * (double)rest / (double)total : 0.0,
			       n - (size_t)limit);
		printf("Total: %llu bytes\n", (unsigned long long)total);
	}
	free(rows);
	kb_strtab_release(&keys);
	strbuf_release(&key);
	kb_items_release(&it);
	kb_sizes_release(&z);
	return KB_EXIT_OK;
}

int cmd_top(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "config", required_argument, NULL, 'c' },
		{ "commit", required_argument, NULL, 'C' },
		{ "by", required_argument, NULL, 'b' },
		{ "limit", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = KB_DEFAULT_DB, *config = NULL, *commit = NULL, *by = "symbol";
	struct kb_store *s = NULL;
	int64_t build = 0, config_id, *line = NULL;
	size_t n = 0;
	long limit = 20;
	int c, json = 0, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'D':
			db = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'C':
			commit = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'b':
			by = optarg;
			if (strcmp(by, "symbol") && strcmp(by, "file") && strcmp(by, "subsystem") &&
			    strcmp(by, "class")) {
				kb_errorf("--by %s: not one of symbol, file, subsystem, class", by);
				return KB_EXIT_USAGE;
			}
			break;
		case 'l':
			limit = kb_limit_arg(optarg);
			if (limit < 1)
				return KB_EXIT_USAGE;
			break;
		case 'h':
			fputs(top_usage, stdout);
			return KB_EXIT_OK;
		default:
			return kb_usage(top_usage);
		}
	}
	if (optind != argc)
		return kb_usage(top_usage);
	if (kb_store_open(&s, db, 0) || kb_store_find_config(s, config, &config_id) ||
	    (commit ? kb_store_find_build(s, commit, config, &build) :
		      kb_build_line(s, config_id, 0, &line, &n))) {
		rc = kb_report_error();
		goto out;
	}
	if (!commit && !n) {
		printf("no ok build recorded for this config\n");
		rc = KB_EXIT_OK;
		goto out;
	}
	rc = top(s, commit ? build : line[n - 1], by, limit, json);
out:
	free(line);
	kb_store_close(s);
	return rc;
}

/* FIXME(issue 14): parses its own options until it moves onto the option table */
const struct kb_command kb_cmd_top = {
	.name = "top",
	.summary = "where a recorded build's bytes go",
	.usage = (const char *const[]){ "top [--db DB] [--config C] [--commit REV] [options]",
					NULL },
	.legacy = cmd_top,
};
