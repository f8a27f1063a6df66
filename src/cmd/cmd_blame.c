/*
 * cmd_blame.c - `kbloat blame`: the commits whose own change added the most, largest first
 * ("which commit added 40KB?"). A build's change is against its parent build; when that is
 * more than one commit back (a sampled history), the row names the range, not one commit.
 */
#include "kbloat.h"

#include "store_internal.h" /* FIXME(issue 14): its SQL moves into the store */

#include "image.h"
#include "query.h"
#include "subsystems.h"
#include "store.h"
#include "error.h"
#include "size.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char blame_usage[] =
	"usage: kbloat blame [--db DB] [--min SIZE] [--config C] [--class CLASS]\n"
	"                    [--subsystem S | --path P | --symbol NAME] [--range A..B]\n"
	"                    [--limit N] [--json]\n"
	"\n"
	"  --min SIZE     only changes that added at least SIZE bytes (40K, 40KB, 1.5M)\n"
	"  --class CLASS  count one class: text, rodata, data, bss, init, percpu, other\n"
	"  --range A..B   only builds of commits after A up to B (first parents, in the store)\n"
	"  --limit N      at most N rows (default 20)\n";

struct blame_row {
	int64_t build, delta, distance, author_time;
	char *sha, *base_sha, *author, *email, *subject;
	int64_t cls[KB_CLS_NR];
};

static const char *const class_cols[KB_CLS_NR] = {
	"b.d_text", "b.d_rodata", "b.d_data", "b.d_bss", "b.d_init", "b.d_percpu", "b.d_other",
};

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return xstrdup(t ? (const char *)t : "");
}

/* The commits after a up to b on b's first-parent line, as a set of commit ids. */
static int range_commits(struct kb_store *s, const char *range, struct strbuf *ids)
{
	const char *dots = strstr(range, "..");
	sqlite3_stmt *par = NULL;
	char *a = NULL, *cur = NULL, *end = NULL;
	int rc = KB_ERR, n = 0;

	if (!dots || dots == range || !dots[2] || strstr(dots + 2, ".."))
		return kb_error_set("%s: not a range A..B", range);
	a = xstrndup(range, (size_t)(dots - range));
	/* both ends among the commits the store knows */
	if (kb_store_resolve_sha(s, a, &end) || kb_store_resolve_sha(s, dots + 2, &cur) ||
	    kb_store_prepare(s, &par, "SELECT id, parent_sha FROM commits WHERE sha = ?1"))
		goto out;
	free(a);
	a = end;
	end = NULL;
	while (cur && strcmp(cur, a)) {
		sqlite3_bind_text(par, 1, cur, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(par) != SQLITE_ROW) {
			sqlite3_reset(par);
			break;
		}
		strbuf_addf(ids, "%s%lld", n++ ? "," : "", (long long)sqlite3_column_int64(par, 0));
		free(cur);
		cur = sqlite3_column_type(par, 1) == SQLITE_NULL ? NULL : col_dup(par, 1);
		sqlite3_reset(par);
	}
	if (!cur) {
		kb_error_set("%s: %s is not a first-parent ancestor of %s", range, a, dots + 2);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(par);
	free(end);
	free(a);
	free(cur);
	return rc;
}

static int query_rows(struct kb_store *s, int64_t config_id, const struct kb_scope *sc, int64_t min,
		      long limit, const char *in_ids, struct blame_row **rows, size_t *n)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	size_t alloc = 0;
	int c;

	strbuf_addstr(&sql, "SELECT b.id, c.sha, c.author_name, c.author_email, c.author_time, "
			    "c.subject, b.distance, pc.sha");
	for (c = 0; c < KB_CLS_NR; c++)
		strbuf_addf(&sql, ", %s", class_cols[c]);
	if (kb_scope_any(sc) && (sc->subsystem || sc->path || sc->symbol)) {
		/* the change within the scope: the sum of its items' changes */
		strbuf_addstr(&sql,
			      ", x.delta FROM (SELECT d.build_id AS build_id, "
			      "SUM(d.size - d.prev) AS delta FROM item_delta d JOIN items i ON "
			      "i.id = d.item_id JOIN paths p ON p.id = i.path_id WHERE "
			      "i.kind = 0");
		kb_scope_sql(sc, &sql, 4);
		strbuf_addstr(&sql, " GROUP BY d.build_id) x JOIN builds b ON b.id = x.build_id");
	} else {
		strbuf_addf(&sql, ", %s AS delta FROM builds b",
			    sc->cls >= 0 ? class_cols[sc->cls] : "b.d_total");
	}
	strbuf_addstr(&sql, " JOIN commits c ON c.id = b.commit_id LEFT JOIN builds pb ON "
			    "pb.id = b.parent_build_id LEFT JOIN commits pc ON pc.id = "
			    "pb.commit_id WHERE b.config_id = ?1 AND b.status = 'ok' AND "
			    "b.parent_build_id IS NOT NULL AND delta >= ?2");
	if (in_ids)
		strbuf_addf(&sql, " AND b.commit_id IN (%s)", in_ids); /* our own integers */
	strbuf_addstr(&sql, " ORDER BY delta DESC, c.committer_time, c.sha LIMIT ?3");
	if (kb_store_prepare(s, &st, sql.buf)) {
		strbuf_release(&sql);
		return KB_ERR;
	}
	strbuf_release(&sql);
	sqlite3_bind_int64(st, 1, config_id);
	sqlite3_bind_int64(st, 2, min);
	sqlite3_bind_int64(st, 3, limit);
	if (sc->subsystem || sc->path || sc->symbol)
		kb_scope_bind(sc, st, 4);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct blame_row *r;

		ALLOC_GROW(*rows, *n + 1, alloc);
		r = &(*rows)[(*n)++];
		r->build = sqlite3_column_int64(st, 0);
		r->sha = col_dup(st, 1);
		r->author = col_dup(st, 2);
		r->email = col_dup(st, 3);
		r->author_time = sqlite3_column_int64(st, 4);
		r->subject = col_dup(st, 5);
		r->distance = sqlite3_column_int64(st, 6);
		r->base_sha = col_dup(st, 7);
		for (c = 0; c < KB_CLS_NR; c++)
			r->cls[c] = sqlite3_column_int64(st, 8 + c);
		r->delta = sqlite3_column_int64(st, 8 + KB_CLS_NR);
	}
	sqlite3_finalize(st);
	return 0;
}

/* The items (or subsystems) of a build that grew the most: "name +N" pairs. */
int kb_blame_top(struct kb_store *s, int64_t build, int subsystems, json_t *out)
{
	sqlite3_stmt *st;
	const char *sql =
		subsystems ?
			"SELECT coalesce(sub.name, '[no file]'), SUM(d.size - d.prev) AS g, '' "
			"FROM item_delta d JOIN items i ON i.id = d.item_id JOIN paths p ON "
			"p.id = i.path_id LEFT JOIN subsystems sub ON sub.id = p.subsystem_id "
			"WHERE d.build_id = ?1 AND i.kind = 0 GROUP BY sub.name HAVING g > 0 "
			"ORDER BY g DESC, 1 LIMIT 3" :
			"SELECT i.name, d.size - d.prev AS g, p.path FROM item_delta d JOIN items "
			"i ON i.id = d.item_id JOIN paths p ON p.id = i.path_id WHERE "
			"d.build_id = ?1 AND i.kind = 0 AND g > 0 ORDER BY g DESC, i.name "
			"LIMIT 3";

	if (kb_store_prepare(s, &st, sql))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, build);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *o = json_pack("{s:s,s:I}", "name", (const char *)sqlite3_column_text(st, 0),
				      "delta", (json_int_t)sqlite3_column_int64(st, 1));

		if (!subsystems)
			json_object_set_new(o, "file",
					    json_string((const char *)sqlite3_column_text(st, 2)));
		json_array_append_new(out, o);
	}
	sqlite3_finalize(st);
	return 0;
}

static void print_row(const struct blame_row *r, json_t *syms, json_t *subs, int scoped)
{
	char date[16];
	const char *sep = "";
	size_t i;
	int c;

	kb_format_date(r->author_time, date);
	printf("%+9lld  %.12s  %s  %-20.20s  %.40s\n", (long long)r->delta, r->sha, date, r->author,
	       r->subject);
	if (r->distance > 1)
		printf("%11s range %.12s..%.12s: %lld commits, not built one by one\n", "",
		       r->base_sha, r->sha, (long long)r->distance);
	/* the classes are the whole image's change, which a scoped delta is only part of */
	printf("%11s%s", "", scoped ? "whole image: " : "");
	for (c = 0; c < KB_CLS_NR; c++) {
		if (!r->cls[c])
			continue;
		printf("%s%s %+lld", sep, kb_class_name(c), (long long)r->cls[c]);
		sep = ", ";
	}
	printf("\n");
	for (i = 0; i < json_array_size(syms); i++) {
		json_t *o = json_array_get(syms, i);

		printf("%11s %s %+lld (%s)\n", "", json_string_value(json_object_get(o, "name")),
		       (long long)json_integer_value(json_object_get(o, "delta")),
		       *json_string_value(json_object_get(o, "file")) ?
			       json_string_value(json_object_get(o, "file")) :
			       "no file");
	}
	if (json_array_size(subs)) {
		printf("%11s subsystems:", "");
		for (i = 0; i < json_array_size(subs); i++) {
			json_t *o = json_array_get(subs, i);

			printf("%s %s %+lld", i ? "," : "",
			       json_string_value(json_object_get(o, "name")),
			       (long long)json_integer_value(json_object_get(o, "delta")));
		}
		printf("\n");
	}
}

static json_t *row_json(const struct blame_row *r, json_t *syms, json_t *subs)
{
	json_t *o = json_object(), *cls = json_object();
	int c;

	json_object_set_new(o, "commit", json_string(r->sha));
	json_object_set_new(o, "base", json_string(r->base_sha));
	json_object_set_new(o, "commits", json_integer((json_int_t)r->distance));
	json_object_set_new(o, "author", json_string(r->author));
	json_object_set_new(o, "email", json_string(r->email));
	json_object_set_new(o, "author_time", json_integer((json_int_t)r->author_time));
	json_object_set_new(o, "subject", json_string(r->subject));
	json_object_set_new(o, "delta", json_integer((json_int_t)r->delta));
	for (c = 0; c < KB_CLS_NR; c++)
		json_object_set_new(cls, kb_class_name(c), json_integer((json_int_t)r->cls[c]));
	json_object_set_new(o, "classes", cls);
	json_object_set_new(o, "top_symbols", json_incref(syms));
	json_object_set_new(o, "top_subsystems", json_incref(subs));
	return o;
}

int kb_blame_report(struct kb_store *s, int64_t config_id, const struct kb_scope *sc, int64_t min,
		    long limit, const char *range, int json)
{
	struct blame_row *rows = NULL;
	struct strbuf ids = STRBUF_INIT;
	json_t *arr = NULL;
	size_t n = 0, i;
	int rc = KB_EXIT_USAGE;

	if ((range && range_commits(s, range, &ids)) ||
	    query_rows(s, config_id, sc, min, limit, range ? ids.buf : NULL, &rows, &n)) {
		rc = kb_report_error();
		goto out;
	}
	if (json)
		arr = json_array();
	if (!n && !json)
		printf("no commit added %lld bytes or more\n", (long long)min);
	else if (!json)
		printf("%9s  %-12s  %-10s  %-20s  %s\n", "delta", "commit", "date", "author",
		       "subject");
	for (i = 0; i < n; i++) {
		json_t *syms = json_array(), *subs = json_array();

		if (kb_blame_top(s, rows[i].build, 0, syms) ||
		    kb_blame_top(s, rows[i].build, 1, subs)) {
			json_decref(syms);
			json_decref(subs);
			rc = kb_report_error();
			goto out;
		}
		if (json)
			json_array_append_new(arr, row_json(&rows[i], syms, subs));
		else
			print_row(&rows[i], syms, subs,
				  !!(sc->subsystem || sc->path || sc->symbol));
		json_decref(syms);
		json_decref(subs);
	}
	rc = json ? kb_json_print(json_pack("{s:I,s:o}", "min", (json_int_t)min, "rows", arr)) :
		    KB_EXIT_OK;
	arr = NULL;
out:
	json_decref(arr);
	for (i = 0; i < n; i++) {
		free(rows[i].sha);
		free(rows[i].base_sha);
		free(rows[i].author);
		free(rows[i].email);
		free(rows[i].subject);
	}
	free(rows);
	strbuf_release(&ids);
	return rc;
}

int cmd_blame(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "min", required_argument, NULL, 'm' },
		{ "config", required_argument, NULL, 'c' },
		{ "class", required_argument, NULL, 'k' },
		{ "subsystem", required_argument, NULL, 's' },
		{ "path", required_argument, NULL, 'p' },
		{ "symbol", required_argument, NULL, 'y' },
		{ "range", required_argument, NULL, 'r' },
		{ "limit", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = KB_DEFAULT_DB, *config = NULL, *range = NULL;
	struct kb_scope sc = { NULL, NULL, NULL, -1 };
	struct kb_store *s = NULL;
	uint64_t min = 1;
	long limit = 20;
	int json = 0, c, rc;
	int64_t config_id;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int scope = kb_scope_opt(&sc, c, optarg);

		if (scope < 0)
			return KB_EXIT_USAGE;
		if (scope)
			continue;
		switch (c) {
		case 'D':
			db = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'r':
			range = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'm':
			if (kb_parse_size(optarg, &min) || min > INT64_MAX) {
				kb_errorf("--min %s: not a size (40K, 40KB, 40KiB, 1.5M)", optarg);
				return KB_EXIT_USAGE;
			}
			break;
		case 'l':
			limit = kb_limit_arg(optarg);
			if (limit < 1)
				return KB_EXIT_USAGE;
			break;
		case 'h':
			fputs(blame_usage, stdout);
			return KB_EXIT_OK;
		default:
			return kb_usage(blame_usage);
		}
	}
	if (optind != argc)
		return kb_usage(blame_usage);
	if (kb_scope_check(&sc))
		return KB_EXIT_USAGE;
	if (kb_store_open(&s, db, 0) || kb_store_find_config(s, config, &config_id)) {
		rc = kb_report_error();
		goto out;
	}
	rc = kb_blame_report(s, config_id, &sc, (int64_t)min, limit, range, json);
out:
	kb_store_close(s);
	return rc;
}

/* FIXME(issue 14): parses its own options until it moves onto the option table */
const struct kb_command kb_cmd_blame = {
	.name = "blame",
	.summary = "the commits that added the most (blame --min 40K)",
	.usage = (const char *const[]){ "blame [--db DB] [--min SIZE] [options]", NULL },
	.legacy = cmd_blame,
};
