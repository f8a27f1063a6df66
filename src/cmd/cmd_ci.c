/*
 * cmd_ci.c - `kbloat ci`: the nightly report. The commits after a baseline on the
 * first-parent line, each config's change per commit, the ones over a threshold with the
 * symbols and subsystems that grew, and the budgets with how far each is from its limit;
 * as text, Markdown (a PR comment, a mail), JSON (schema/report.schema.json) or JUnit XML.
 * Exit 0 within budget and threshold, 1 when one is broken, 2 on error.
 */
#include "kbloat.h"

#include "store_internal.h" /* FIXME(issue 14): its SQL moves into the store */

#include "budget.h"
#include "query.h"
#include "subsystems.h"
#include "store.h"
#include "error.h"
#include "size.h"
#include "strbuf.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ci_usage[] =
	"usage: kbloat ci [--db DB] --baseline REV [--head REV] [--config C...] [--budget FILE]\n"
	"                 [--threshold SIZE] [--format text|md|json|junit]\n"
	"\n"
	"  --baseline REV    the last commit the previous report covered (a sha or prefix)\n"
	"  --head REV        the newest commit to report (default: the newest build)\n"
	"  --config C        a recorded config (repeatable; default: every one)\n"
	"  --budget FILE     budgets: targets with \"config\" hold that config's head build\n"
	"  --threshold SIZE  a commit that adds this much or more is a regression (default 4K)\n";

enum { F_TEXT, F_MD, F_JSON, F_JUNIT };

static char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return xstrdup(t ? (const char *)t : "");
}

/* A build measured as a budget needs it: its sizes from its row, its subsystems' bytes. */
struct head_measure {
	struct kb_measure m;
	struct kb_strtab names;
	uint64_t *sums;
	size_t alloc;
};

static int measure_build(struct kb_store *s, const struct kb_items *it, int64_t build,
			 struct head_measure *hm)
{
	sqlite3_stmt *st;
	struct kb_sizes z = { 0 };
	int c, rc;

	if (kb_store_prepare(s, &st,
			     "SELECT total, text, rodata, data, bss, init, percpu, other FROM "
			     "builds WHERE id = ?1"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, build);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		hm->m.total = (uint64_t)sqlite3_column_int64(st, 0);
		for (c = 0; c < KB_CLS_NR; c++)
			hm->m.cls[c] = (uint64_t)sqlite3_column_int64(st, 1 + c);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return kb_store_fail(s, "cannot read the head build");
	if (kb_store_sizes(s, build, &z))
		return KB_ERR;
	kb_subsystem_sums(it, &z, &hm->names, &hm->sums, &hm->alloc);
	kb_sizes_release(&z);
	hm->m.sub_names = hm->names.strs;
	hm->m.sub_bytes = hm->sums;
	hm->m.nsubs = hm->names.nr;
	return 0;
}

static void head_measure_release(struct head_measure *hm)
{
	kb_strtab_release(&hm->names);
	free(hm->sums);
	memset(hm, 0, sizeof(*hm));
}

/* One config's part of the report, as JSON (the other formats are printed from it). */
static int report_config(struct kb_store *s, const struct kb_items *it, const char *config,
			 int64_t config_id, const char *baseline, const char *head_rev,
			 int64_t threshold, const struct kb_budget *budget, json_t **out,
			 int *broken)
{
	sqlite3_stmt *par = NULL, *bld = NULL, *newest = NULL;
	char *head = NULL, *cur = NULL;
	json_t *commits = json_array(), *budgets = json_array();
	int64_t max_growth = 0, head_build = 0, n_new = 0;
	int rc = KB_ERR, reached = 0, over = 0, measured = 0;
	struct head_measure hm = { 0 };
	size_t t;

	*out = NULL;
	if (head_rev) {
		if (kb_store_resolve_sha(s, head_rev, &head))
			goto out;
	} else {
		/* the newest ok build no other build names as its parent */
		if (kb_store_prepare(s, &newest,
				     "SELECT c.sha FROM builds b JOIN commits c ON c.id = "
				     "b.commit_id WHERE b.config_id = ?1 AND b.status = 'ok' AND "
				     "NOT EXISTS (SELECT 1 FROM builds x WHERE x.parent_build_id = "
				     "b.id) ORDER BY c.committer_time DESC, b.id DESC LIMIT 1"))
			goto out;
		sqlite3_bind_int64(newest, 1, config_id);
		if (sqlite3_step(newest) != SQLITE_ROW) {
			kb_error_set("%s: no ok build of config %s", kb_store_path(s), config);
			goto out;
		}
		head = col(newest, 0);
	}
	if (kb_store_prepare(s, &par,
			     "SELECT parent_sha, author_name, author_email, subject, author_time "
			     "FROM commits WHERE sha = ?1") ||
	    kb_store_prepare(s, &bld,
			     "SELECT id, status, total, d_total, parent_build_id IS NOT NULL, "
			     "log_tail FROM builds b WHERE config_id = ?1 AND commit_id = (SELECT "
			     "id FROM commits WHERE sha = ?2)"))
		goto out;
	/* from the head back to the baseline along the first parents; reported oldest first */
	for (cur = xstrdup(head); cur && !(reached = !strcmp(cur, baseline));) {
		json_t *c = json_object();
		char *parent;

		sqlite3_bind_text(par, 1, cur, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(par) != SQLITE_ROW) {
			sqlite3_reset(par);
			json_decref(c);
			break;
		}
		json_object_set_new(c, "commit", json_string(cur));
		json_object_set_new(c, "author",
				    json_string((const char *)sqlite3_column_text(par, 1)));
		json_object_set_new(c, "email",
				    json_string((const char *)sqlite3_column_text(par, 2)));
		json_object_set_new(c, "subject",
				    json_string((const char *)sqlite3_column_text(par, 3)));
		json_object_set_new(c, "author_time", json_integer(sqlite3_column_int64(par, 4)));
		parent = sqlite3_column_type(par, 0) == SQLITE_NULL ? NULL : col(par, 0);
		sqlite3_reset(par);
		sqlite3_bind_int64(bld, 1, config_id);
		sqlite3_bind_text(bld, 2, cur, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(bld) == SQLITE_ROW) {
			const char *status = (const char *)sqlite3_column_text(bld, 1);
			int64_t build = sqlite3_column_int64(bld, 0);

			json_object_set_new(c, "status", json_string(status));
			if (!strcmp(status, "ok")) {
				int64_t delta = sqlite3_column_int64(bld, 3);
				int has = sqlite3_column_int(bld, 4), bad;

				if (!head_build)
					head_build = build;
				json_object_set_new(c, "size",
						    json_integer(sqlite3_column_int64(bld, 2)));
				json_object_set_new(c, "delta",
						    has ? json_integer(delta) : json_null());
				bad = has && delta >= threshold;
				json_object_set_new(c, "over_threshold", json_boolean(bad));
				if (has) {
					n_new++;
					max_growth = delta > max_growth ? delta : max_growth;
				}
				if (bad) {
					json_t *syms = json_array(), *subs = json_array();

					over++;
					if (kb_blame_top(s, build, 0, syms) ||
					    kb_blame_top(s, build, 1, subs)) {
						json_decref(syms);
						json_decref(subs);
						json_decref(c);
						free(parent);
						goto out;
					}
					json_object_set_new(c, "top_symbols", syms);
					json_object_set_new(c, "top_subsystems", subs);
				}
			}
		} else {
			json_object_set_new(c, "status", json_string("not built"));
		}
		sqlite3_reset(bld);
		json_array_insert_new(commits, 0, c);
		free(cur);
		cur = parent;
	}
	if (!reached) {
		kb_error_set("%.12s is not a first-parent ancestor of %.12s in %s (config %s)",
			     baseline, head, kb_store_path(s), config);
		goto out;
	}
	/* budgets: the targets of this config (or of every config) hold its head build */
	for (t = 0; budget && t < budget->ntargets; t++) {
		const struct kb_budget_target *bt = &budget->targets[t];
		struct kb_limit_result *res;
		size_t broke;

		if (bt->config && strcmp(bt->config, config))
			continue;
		if (!measured) {
			if (!head_build && kb_store_find_build(s, head, config, &head_build))
				goto out;
			if (measure_build(s, it, head_build, &hm))
				goto out;
			measured = 1;
			hm.m.have_growth = n_new > 0;
			hm.m.growth = max_growth;
		}
		res = xcalloc(bt->nlimits, sizeof(*res));
		broke = kb_budget_check(bt, &hm.m, res);
		*broken += broke > 0;
		json_array_append_new(budgets,
				      json_pack("{s:s,s:b,s:o}", "target", bt->name, "ok", !broke,
						"limits", kb_budget_json(bt, res)));
		free(res);
	}
	*broken += over > 0;
	*out = json_pack("{s:s,s:s,s:s,s:I,s:O,s:O}", "config", config, "baseline", baseline,
			 "head", head, "regressions", (json_int_t)over, "commits", commits,
			 "budgets", budgets);
	rc = 0;
out:
	head_measure_release(&hm);
	sqlite3_finalize(par);
	sqlite3_finalize(bld);
	sqlite3_finalize(newest);
	json_decref(commits);
	json_decref(budgets);
	free(head);
	free(cur);
	return rc;
}

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

static void print_tops(json_t *c, const char *indent, int md)
{
	json_t *syms = json_object_get(c, "top_symbols"),
	       *subs = json_object_get(c, "top_subsystems");
	size_t i;

	for (i = 0; i < json_array_size(syms); i++) {
		json_t *o = json_array_get(syms, i);

		printf(md ? "%s- `%s` %+lld (%s)\n" : "%s%s %+lld (%s)\n", indent, str(o, "name"),
		       (long long)json_integer_value(json_object_get(o, "delta")),
		       *str(o, "file") ? str(o, "file") : "no file");
	}
	if (json_array_size(subs)) {
		printf(md ? "%s- subsystems:" : "%ssubsystems:", indent);
		for (i = 0; i < json_array_size(subs); i++) {
			json_t *o = json_array_get(subs, i);

			printf("%s %s %+lld", i ? "," : "", str(o, "name"),
			       (long long)json_integer_value(json_object_get(o, "delta")));
		}
		printf("\n");
	}
}

static void print_budgets(json_t *budgets, int md)
{
	size_t i, k;

	for (i = 0; i < json_array_size(budgets); i++) {
		json_t *b = json_array_get(budgets, i), *limits = json_object_get(b, "limits");

		if (md)
			printf("\n**Budget %s**: %s\n\n| limit | used | max | headroom | |\n"
			       "|---|---:|---:|---:|---|\n",
			       str(b, "target"),
			       json_is_true(json_object_get(b, "ok")) ? "within" : "**broken**");
		else
			printf("budget %s: %s\n", str(b, "target"),
			       json_is_true(json_object_get(b, "ok")) ? "within" : "BROKEN");
		for (k = 0; k < json_array_size(limits); k++) {
			json_t *l = json_array_get(limits, k);
			int checked = json_is_true(json_object_get(l, "checked"));
			long long used = json_integer_value(json_object_get(l, "used"));
			long long max = json_integer_value(json_object_get(l, "max"));
			long long head = json_integer_value(json_object_get(l, "headroom"));
			const char *v = !checked ? "not checked" : head < 0 ? "OVER" : "ok";

			if (md)
				printf("| %s | %lld | %lld | %+lld | %s |\n", str(l, "limit"), used,
				       max, head, v);
			else
				printf("  %-32s %10lld %10lld %+10lld  %s\n", str(l, "limit"), used,
				       max, head, v);
		}
	}
}

static void print_text(json_t *report, int md)
{
	json_t *configs = json_object_get(report, "configs");
	long long threshold = json_integer_value(json_object_get(report, "threshold"));
	size_t i, k;

	if (md)
		printf("## kbloat: kernel size report\n");
	for (i = 0; i < json_array_size(configs); i++) {
		json_t *r = json_array_get(configs, i), *commits = json_object_get(r, "commits");

		printf(md ? "\n### %s: %zu commits after `%.12s`\n\n" :
			    "%s: %zu commits after %.12s\n",
		       str(r, "config"), json_array_size(commits), str(r, "baseline"));
		if (md && json_array_size(commits))
			printf("| delta | commit | author | subject |\n|---:|---|---|---|\n");
		for (k = 0; k < json_array_size(commits); k++) {
			json_t *c = json_array_get(commits, k), *d = json_object_get(c, "delta");
			char delta[32];
			int bad = json_is_true(json_object_get(c, "over_threshold"));

			if (strcmp(str(c, "status"), "ok"))
				snprintf(delta, sizeof(delta), "%s", str(c, "status"));
			else if (json_is_integer(d))
				snprintf(delta, sizeof(delta), "%+lld",
					 (long long)json_integer_value(d));
			else
				snprintf(delta, sizeof(delta), "-");
			if (md)
				printf("| %s%s%s | `%.12s` | %s | %s |\n", bad ? "**" : "", delta,
				       bad ? "**" : "", str(c, "commit"), str(c, "author"),
				       str(c, "subject"));
			else
				printf("  %9s  %.12s  %-20.20s  %.50s%s\n", delta, str(c, "commit"),
				       str(c, "author"), str(c, "subject"),
				       bad ? "  REGRESSION" : "");
			if (bad && !md)
				print_tops(c, "             ", 0);
		}
		if (md)
			for (k = 0; k < json_array_size(commits); k++) {
				json_t *c = json_array_get(commits, k);

				if (!json_is_true(json_object_get(c, "over_threshold")))
					continue;
				printf("\n`%.12s` (%s) added %lld bytes, at least %lld:\n\n",
				       str(c, "commit"), str(c, "author"),
				       (long long)json_integer_value(json_object_get(c, "delta")),
				       threshold);
				print_tops(c, "", 1);
			}
		print_budgets(json_object_get(r, "budgets"), md);
	}
	printf(md ? "\n**%s**\n" : "%s\n", json_is_true(json_object_get(report, "ok")) ?
						   "Within budget and threshold." :
						   "Budget or threshold broken.");
}

static void xml_escape(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", stdout);
			break;
		case '<':
			fputs("&lt;", stdout);
			break;
		case '>':
			fputs("&gt;", stdout);
			break;
		case '"':
			fputs("&quot;", stdout);
			break;
		case '\'':
			fputs("&apos;", stdout);
			break;
		default:
			/* XML 1.0 allows no control characters but tab and line ends */
			if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
				putchar('?');
			else
				putchar(*s);
		}
	}
}

static void junit_case(const char *cls, const char *name, const struct strbuf *failure)
{
	printf("    <testcase classname=\"");
	xml_escape(cls);
	printf("\" name=\"");
	xml_escape(name);
	if (!failure->len) {
		printf("\"/>\n");
		return;
	}
	printf("\">\n      <failure message=\"");
	xml_escape(name);
	printf(" broken\">");
	xml_escape(failure->buf);
	printf("</failure>\n    </testcase>\n");
}

/* One test suite per config: a case for the threshold, one per budget. */
static void print_junit(json_t *report)
{
	json_t *configs = json_object_get(report, "configs");
	long long threshold = json_integer_value(json_object_get(report, "threshold"));
	size_t i, k, l;

	printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kbloat ci\">\n");
	for (i = 0; i < json_array_size(configs); i++) {
		json_t *r = json_array_get(configs, i), *commits = json_object_get(r, "commits");
		json_t *budgets = json_object_get(r, "budgets");
		struct strbuf cls = STRBUF_INIT, name = STRBUF_INIT, fail = STRBUF_INIT;
		size_t failures = json_integer_value(json_object_get(r, "regressions")) > 0;

		for (k = 0; k < json_array_size(budgets); k++)
			failures +=
				!json_is_true(json_object_get(json_array_get(budgets, k), "ok"));
		strbuf_addf(&cls, "kbloat.%s", str(r, "config"));
		printf("  <testsuite name=\"");
		xml_escape(cls.buf);
		printf("\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		       1 + json_array_size(budgets), failures);
		strbuf_addf(&name, "threshold %lld bytes per commit", threshold);
		for (k = 0; k < json_array_size(commits); k++) {
			json_t *c = json_array_get(commits, k);

			if (json_is_true(json_object_get(c, "over_threshold")))
				strbuf_addf(
					&fail, "%.12s %+lld %s: %s\n", str(c, "commit"),
					(long long)json_integer_value(json_object_get(c, "delta")),
					str(c, "author"), str(c, "subject"));
		}
		junit_case(cls.buf, name.buf, &fail);
		for (k = 0; k < json_array_size(budgets); k++) {
			json_t *b = json_array_get(budgets, k),
			       *limits = json_object_get(b, "limits");

			strbuf_reset(&name);
			strbuf_reset(&fail);
			strbuf_addf(&name, "budget %s", str(b, "target"));
			for (l = 0; l < json_array_size(limits); l++) {
				json_t *x = json_array_get(limits, l);

				if (!json_is_true(json_object_get(x, "ok")))
					strbuf_addf(&fail, "%s: %lld used, %lld allowed\n",
						    str(x, "limit"),
						    (long long)json_integer_value(
							    json_object_get(x, "used")),
						    (long long)json_integer_value(
							    json_object_get(x, "max")));
			}
			junit_case(cls.buf, name.buf, &fail);
		}
		printf("  </testsuite>\n");
		strbuf_release(&cls);
		strbuf_release(&name);
		strbuf_release(&fail);
	}
	printf("</testsuites>\n");
}

int cmd_ci(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "head", required_argument, NULL, 'H' },
		{ "config", required_argument, NULL, 'c' },
		{ "budget", required_argument, NULL, 'B' },
		{ "threshold", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = KB_DEFAULT_DB, *baseline_rev = NULL, *head = NULL, *budget_path = NULL;
	struct kb_store *s = NULL;
	struct kb_budget budget = { 0 };
	struct kb_items it = { 0 };
	json_t *names = json_array(), *configs = json_array(), *report = NULL;
	uint64_t threshold = 4096;
	char *baseline = NULL;
	int format = F_TEXT, c, rc = KB_EXIT_USAGE, broken = 0;
	size_t i;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'D':
			db = optarg;
			break;
		case 'b':
			baseline_rev = optarg;
			break;
		case 'H':
			head = optarg;
			break;
		case 'c':
			json_array_append_new(names, json_string(optarg));
			break;
		case 'B':
			budget_path = optarg;
			break;
		case 't':
			if (kb_parse_size(optarg, &threshold) || threshold > INT64_MAX) {
				kb_errorf("--threshold %s: not a size (4K, 4096, 1.5M)", optarg);
				goto out;
			}
			break;
		case 'f':
			format = !strcmp(optarg, "text")  ? F_TEXT :
				 !strcmp(optarg, "md")	  ? F_MD :
				 !strcmp(optarg, "json")  ? F_JSON :
				 !strcmp(optarg, "junit") ? F_JUNIT :
							    -1;
			if (format < 0) {
				kb_errorf("--format %s: not text, md, json or junit", optarg);
				goto out;
			}
			break;
		case 'h':
			fputs(ci_usage, stdout);
			rc = KB_EXIT_OK;
			goto out;
		default:
			rc = kb_usage(ci_usage);
			goto out;
		}
	}
	if (optind != argc || !baseline_rev) {
		rc = kb_usage(ci_usage);
		goto out;
	}
	if ((budget_path && kb_budget_read(&budget, budget_path)) || kb_store_open(&s, db, 0) ||
	    kb_store_resolve_sha(s, baseline_rev, &baseline) ||
	    (!json_array_size(names) && kb_config_names(s, names)) ||
	    (budget_path && kb_items_load(s, &it)))
		goto err;
	for (i = 0; i < json_array_size(names); i++) {
		const char *name = json_string_value(json_array_get(names, i));
		int64_t config_id;
		json_t *r;

		if (kb_store_find_config(s, name, &config_id) ||
		    report_config(s, &it, name, config_id, baseline, head, (int64_t)threshold,
				  budget_path ? &budget : NULL, &r, &broken))
			goto err;
		json_array_append_new(configs, r);
	}
	report = json_pack("{s:s,s:s,s:I,s:b,s:O}", "tool", "kbloat " KB_VERSION, "baseline",
			   baseline, "threshold", (json_int_t)threshold, "ok", !broken, "configs",
			   configs);
	if (format == F_JSON) {
		if (kb_json_print(json_incref(report)))
			goto out;
	} else if (format == F_JUNIT) {
		print_junit(report);
	} else {
		print_text(report, format == F_MD);
	}
	rc = broken ? KB_EXIT_THRESHOLD : KB_EXIT_OK;
	goto out;
err:
	rc = kb_report_error();
out:
	json_decref(report);
	json_decref(names);
	json_decref(configs);
	free(baseline);
	kb_items_release(&it);
	kb_budget_release(&budget);
	kb_store_close(s);
	return rc;
}

/* FIXME(issue 14): parses its own options until it moves onto the option table */
const struct kb_command kb_cmd_ci = {
	.name = "ci",
	.summary = "the nightly report: new commits, regressions, budgets",
	.usage = (const char *const[]){ "ci [--db DB] --baseline REV [options]", NULL },
	.legacy = cmd_ci,
};
