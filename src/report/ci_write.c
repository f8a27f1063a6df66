/*
 * ci_write.c - the nightly report (ci.h) as text, Markdown and JUnit XML. Text and Markdown
 * say the verdict first, then the summary (per config: the commits, those that changed the
 * size, the bytes added and removed, the regressions) and the budgets with their headroom,
 * then the commits that changed each config's size, each once; the commits that did not
 * are counted (text) or folded into a <details> element (Markdown).
 */
#include "ci.h"

#include "error.h"
#include "escape.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const status_names[] = {
	[KB_CI_OK] = "ok",
	[KB_CI_FAILED] = "failed",
	[KB_CI_SKIPPED] = "skipped",
	[KB_CI_NOT_BUILT] = "not built",
};

/* ---- commit links -------------------------------------------------------------------- */

int kb_ci_check_url(const char *tmpl)
{
	const char *p;

	for (p = tmpl; (p = strchr(p, '%')); p += 2) {
		if (p[1] == 'H' || p[1] == 'h' || p[1] == '%')
			continue;
		if (!p[1])
			return kb_error_set(
				"--commit-url %s: a '%%' at its end (write %%%% for '%%')", tmpl);
		return kb_error_set("--commit-url %s: %%%c: not %%H, %%h or %%%%", tmpl, p[1]);
	}
	return 0;
}

static int is_sha(const char *sha)
{
	size_t n = strspn(sha, "0123456789abcdef");

	return !sha[n] && n >= 4 && n <= 64;
}

/* A byte of the template kept as it is in a URL: the unreserved and reserved characters
 * but the parentheses and brackets, which end or open a Markdown link. */
static int url_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~:/?#@!$&'*+,;=%", c));
}

int kb_ci_commit_url(struct strbuf *sb, const char *tmpl, const char *sha)
{
	const char *p;

	strbuf_reset(sb);
	if (!tmpl || !sha || !is_sha(sha))
		return -1;
	for (p = tmpl; *p; p++) {
		if (*p == '%' && (p[1] == 'H' || p[1] == 'h')) {
			strbuf_add(sb, sha, p[1] == 'H' ? strlen(sha) : strnlen(sha, 12));
			p++;
		} else if (*p == '%' && p[1] == '%') {
			strbuf_addstr(sb, "%25");
			p++;
		} else if (url_safe((unsigned char)*p)) {
			strbuf_addch(sb, *p);
		} else {
			strbuf_addf(sb, "%%%02X", (unsigned char)*p);
		}
	}
	return 0;
}

/* ---- shared -------------------------------------------------------------------------- */

/* A commit's change as the tables show it: its status unless ok, else +N, or - without a
 * parent build. */
static void delta_text(const struct kb_ci_commit *c, char *buf, size_t size)
{
	if (c->status != KB_CI_OK)
		snprintf(buf, size, "%s", status_names[c->status]);
	else if (c->has_delta)
		snprintf(buf, size, "%+lld", (long long)c->delta);
	else
		snprintf(buf, size, "-");
}

/* Listed among the commits that changed the size: all but the ok ones measured the same as
 * their parent build (a failed build, one without a parent build, say something too). */
static int listed(const struct kb_ci_commit *c)
{
	return !(c->status == KB_CI_OK && c->has_delta && !c->delta);
}

static const char *limit_verdict(const struct kb_limit_result *l)
{
	return !l->checked ? "not checked" : l->headroom < 0 ? "OVER" : "ok";
}

/* How much of a limit is used, "87%" ("-" when not checked or the limit is 0). */
static void use_text(const struct kb_limit_result *l, char *buf, size_t size)
{
	if (!l->checked || !l->limit->max)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%lld%%", (long long)(l->used * 100 / (int64_t)l->limit->max));
}

static const char *verdict(const struct kb_ci *r)
{
	return r->ok ? "within budget and threshold" : "budget or threshold broken";
}

static size_t total_regressions(const struct kb_ci *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->configs[i].regressions;
	return n;
}

static size_t broken_budgets(const struct kb_ci *r)
{
	size_t i, k, n = 0;

	for (i = 0; i < r->n; i++)
		for (k = 0; k < r->configs[i].nbudgets; k++)
			n += r->configs[i].budgets[k].broken > 0;
	return n;
}

/* ---- text ---------------------------------------------------------------------------- */

static void text_budgets(FILE *f, const struct kb_ci_config *cfg)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	size_t i, k;

	for (i = 0; i < cfg->nbudgets; i++) {
		const struct kb_ci_budget *bu = &cfg->budgets[i];

		fprintf(f, "\nbudget %s (%s): %s\n", kb_text(&a, bu->target->name),
			kb_text(&b, cfg->name), bu->broken ? "BROKEN" : "within");
		fprintf(f, "  %-32s %10s %10s %10s %5s\n", "limit", "used", "max", "headroom",
			"use");
		for (k = 0; k < bu->target->nlimits; k++) {
			const struct kb_limit_result *l = &bu->res[k];
			char use[16];

			use_text(l, use, sizeof(use));
			fprintf(f, "  %-32s %10lld %10lld %+10lld %5s  %s\n",
				kb_text(&a, l->limit->what), (long long)l->used,
				(long long)l->limit->max, (long long)l->headroom, use,
				limit_verdict(l));
		}
	}
	strbuf_release(&a);
	strbuf_release(&b);
}

static void text_commits(FILE *f, const struct kb_ci *r, const struct kb_ci_config *cfg)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c_ = STRBUF_INIT;
	size_t k;

	fprintf(f, "\n%s: the %zu commits that changed its size or did not build\n",
		kb_text(&a, cfg->name), cfg->ncommits - cfg->unchanged);
	for (k = 0; k < cfg->ncommits; k++) {
		const struct kb_ci_commit *c = &cfg->commits[k];
		char delta[32];

		if (!listed(c))
			continue;
		delta_text(c, delta, sizeof(delta));
		fprintf(f, "  %9s  %s  %-20s  %s%s\n", delta, kb_text_cut(&c_, c->c.sha, 12),
			kb_text_cut(&a, c->c.author, 20), kb_text_cut(&b, c->c.subject, 50),
			c->over_threshold ? "  REGRESSION" : "");
		if (c->over_threshold)
			kb_top_changes_write(f, &c->top, "             ", 0);
		if ((c->over_threshold || c->status == KB_CI_FAILED) &&
		    !kb_ci_commit_url(&a, r->commit_url, c->c.sha))
			fprintf(f, "             %s\n", kb_text(&b, a.buf));
	}
	if (cfg->unchanged)
		fprintf(f, "  (%zu commit%s that did not change the size not listed)\n",
			cfg->unchanged, cfg->unchanged == 1 ? "" : "s");
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c_);
}

void kb_ci_write_text(FILE *f, const struct kb_ci *r)
{
	struct strbuf a = STRBUF_INIT;
	size_t i;

	fprintf(f, "kbloat: %s: %zu regression%s, %zu budget%s broken\n", verdict(r),
		total_regressions(r), total_regressions(r) == 1 ? "" : "s", broken_budgets(r),
		broken_budgets(r) == 1 ? "" : "s");
	fprintf(f, "commits after %s; a commit adding %lld bytes or more is a regression\n\n",
		kb_text_cut(&a, r->baseline, 12), (long long)r->threshold);
	fprintf(f, "%-20s %7s %7s %10s %10s %10s %12s %11s %6s\n", "config", "commits", "changed",
		"grew", "shrank", "net", "size at head", "regressions", "failed");
	for (i = 0; i < r->n; i++) {
		const struct kb_ci_config *cfg = &r->configs[i];
		char size[32];

		snprintf(size, sizeof(size), cfg->has_size ? "%lld" : "-", (long long)cfg->size);
		fprintf(f, "%-20s %7zu %7zu %+10lld %+10lld %+10lld %12s %11zu %6zu\n",
			kb_text_cut(&a, cfg->name, 20), cfg->ncommits, cfg->changed,
			(long long)cfg->grew, (long long)cfg->shrank,
			(long long)(cfg->grew + cfg->shrank), size, cfg->regressions, cfg->failed);
	}
	for (i = 0; i < r->n; i++)
		text_budgets(f, &r->configs[i]);
	for (i = 0; i < r->n; i++)
		text_commits(f, r, &r->configs[i]);
	strbuf_release(&a);
}

/* ---- Markdown ------------------------------------------------------------------------ */

/* A sha's first 12 characters as Markdown code, a link to the commit with a template. */
static const char *md_commit(struct strbuf *sb, const struct kb_ci *r, const char *sha)
{
	struct strbuf url = STRBUF_INIT, code = STRBUF_INIT;
	char s[13];

	snprintf(s, sizeof(s), "%s", sha ? sha : "");
	kb_md_code(&code, s);
	strbuf_reset(sb);
	/* the URL holds no blank, parenthesis, bracket, '<' or '>' (kb_ci_commit_url) and
	 * no '\\': nothing in it ends the link or the table cell but '|', escaped here */
	if (!kb_ci_commit_url(&url, r->commit_url, sha)) {
		const char *p;

		strbuf_addf(sb, "[%s](", code.buf);
		for (p = url.buf; *p; p++) {
			if (*p == '|' || *p == '&' || *p == '*' || *p == '_')
				strbuf_addch(sb, '\\');
			strbuf_addch(sb, *p);
		}
		strbuf_addch(sb, ')');
	} else {
		strbuf_add(sb, code.buf, code.len);
	}
	strbuf_release(&url);
	strbuf_release(&code);
	return sb->buf;
}

static void md_summary(FILE *f, const struct kb_ci *r)
{
	struct strbuf a = STRBUF_INIT;
	size_t i;

	fputs("| config | commits | changed size | grew | shrank | net | size at head | "
	      "regressions | failed builds |\n"
	      "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
	      f);
	for (i = 0; i < r->n; i++) {
		const struct kb_ci_config *cfg = &r->configs[i];
		char size[32];

		snprintf(size, sizeof(size), cfg->has_size ? "%lld" : "-", (long long)cfg->size);
		fprintf(f, "| %s | %zu | %zu | %+lld | %+lld | %+lld | %s | %s%zu%s | %zu |\n",
			kb_md(&a, cfg->name), cfg->ncommits, cfg->changed, (long long)cfg->grew,
			(long long)cfg->shrank, (long long)(cfg->grew + cfg->shrank), size,
			cfg->regressions ? "**" : "", cfg->regressions,
			cfg->regressions ? "**" : "", cfg->failed);
	}
	strbuf_release(&a);
}

static void md_budgets(FILE *f, const struct kb_ci_config *cfg)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	size_t i, k;

	for (i = 0; i < cfg->nbudgets; i++) {
		const struct kb_ci_budget *bu = &cfg->budgets[i];

		fprintf(f,
			"\n**Budget %s** (%s): %s\n\n| limit | used | max | headroom | use | |\n"
			"|---|---:|---:|---:|---:|---|\n",
			kb_md(&a, bu->target->name), kb_md(&b, cfg->name),
			bu->broken ? "**broken**" : "within");
		for (k = 0; k < bu->target->nlimits; k++) {
			const struct kb_limit_result *l = &bu->res[k];
			char use[16];

			use_text(l, use, sizeof(use));
			fprintf(f, "| %s | %lld | %lld | %+lld | %s | %s |\n",
				kb_md(&a, l->limit->what), (long long)l->used,
				(long long)l->limit->max, (long long)l->headroom, use,
				limit_verdict(l));
		}
	}
	strbuf_release(&a);
	strbuf_release(&b);
}

/* What grew in a regression, in one cell: its top symbols, then its top subsystems. */
static void md_grew(FILE *f, const struct kb_top_changes *t)
{
	struct strbuf a = STRBUF_INIT;
	size_t i;

	for (i = 0; i < t->nsyms; i++)
		fprintf(f, "%s%s %+lld", i ? ", " : "", kb_md_code(&a, t->syms[i].name),
			(long long)t->syms[i].delta);
	for (i = 0; i < t->nsubs; i++)
		fprintf(f, "%s%s %+lld",
			i	 ? ", " :
			t->nsyms ? "; " :
				   "",
			kb_md(&a, t->subs[i].name), (long long)t->subs[i].delta);
	strbuf_release(&a);
}

static void md_commits(FILE *f, const struct kb_ci *r, const struct kb_ci_config *cfg)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, sha = STRBUF_INIT;
	size_t k, n = cfg->ncommits - cfg->unchanged;

	fprintf(f, "\n### %s: %zu commit%s changed its size or did not build\n",
		kb_md(&a, cfg->name), n, n == 1 ? "" : "s");
	if (n)
		fputs("\n| delta | commit | author | subject | what grew |\n"
		      "|---:|---|---|---|---|\n",
		      f);
	for (k = 0; k < cfg->ncommits; k++) {
		const struct kb_ci_commit *c = &cfg->commits[k];
		const char *bold = c->over_threshold ? "**" : "";
		char delta[32];

		if (!listed(c))
			continue;
		delta_text(c, delta, sizeof(delta));
		fprintf(f, "| %s%s%s | %s | %s | %s | ", bold, delta, bold,
			md_commit(&sha, r, c->c.sha), kb_md(&a, c->c.author),
			kb_md(&b, c->c.subject));
		if (c->over_threshold)
			md_grew(f, &c->top);
		fputs(" |\n", f);
	}
	if (cfg->unchanged) {
		/* blank lines around the table: CommonMark ends the HTML block at the first
		 * one, and reads the table as Markdown */
		fprintf(f,
			"\n<details><summary>%zu commit%s did not change the size</summary>\n\n"
			"| commit | author | subject |\n|---|---|---|\n",
			cfg->unchanged, cfg->unchanged == 1 ? "" : "s");
		for (k = 0; k < cfg->ncommits; k++) {
			const struct kb_ci_commit *c = &cfg->commits[k];

			if (listed(c))
				continue;
			fprintf(f, "| %s | %s | %s |\n", md_commit(&sha, r, c->c.sha),
				kb_md(&a, c->c.author), kb_md(&b, c->c.subject));
		}
		fputs("\n</details>\n", f);
	}
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&sha);
}

void kb_ci_write_md(FILE *f, const struct kb_ci *r)
{
	struct strbuf sha = STRBUF_INIT;
	size_t i;

	fprintf(f, "## kbloat: %s\n\n", verdict(r));
	fprintf(f,
		"%zu regression%s, %zu budget%s broken. Commits after %s; a commit adding %lld "
		"bytes or more is a regression.\n\n",
		total_regressions(r), total_regressions(r) == 1 ? "" : "s", broken_budgets(r),
		broken_budgets(r) == 1 ? "" : "s", md_commit(&sha, r, r->baseline),
		(long long)r->threshold);
	md_summary(f, r);
	for (i = 0; i < r->n; i++)
		md_budgets(f, &r->configs[i]);
	for (i = 0; i < r->n; i++)
		md_commits(f, r, &r->configs[i]);
	strbuf_release(&sha);
}

/* ---- JUnit --------------------------------------------------------------------------- */

/* t as ISO 8601 in UTC: "2026-01-01T01:00:00Z" */
static void iso_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, 32, "1970-01-01T00:00:00Z");
}

struct junit_case {
	const char *cls, *name;
	double seconds;
	const char *failure_type; /* NULL: passed */
	const char *message; /* failure_type or skipped */
	const char *text; /* the failure's body, or NULL */
	int skipped;
};

static void junit_case(FILE *f, const struct junit_case *c)
{
	fputs("    <testcase classname=\"", f);
	kb_escape_xml(f, c->cls);
	fputs("\" name=\"", f);
	kb_escape_xml(f, c->name);
	fprintf(f, "\" time=\"%.3f\"", c->seconds);
	if (!c->failure_type && !c->skipped) {
		fputs("/>\n", f);
		return;
	}
	fputs(">\n", f);
	if (c->skipped) {
		fputs("      <skipped message=\"", f);
		kb_escape_xml(f, c->message);
		fputs("\"/>\n", f);
	} else {
		fprintf(f, "      <failure type=\"%s\" message=\"", c->failure_type);
		kb_escape_xml(f, c->message);
		fputs("\">", f);
		kb_escape_xml(f, c->text ? c->text : "");
		fputs("</failure>\n", f);
	}
	fputs("    </testcase>\n", f);
}

/* The counts of a suite's cases: tests, failures, skipped. */
struct junit_counts {
	size_t tests, failures, skipped;
};

static void junit_count(const struct kb_ci_config *cfg, struct junit_counts *n)
{
	size_t k, l;

	n->tests = 1 + cfg->failed;
	n->failures = (cfg->regressions > 0) + cfg->failed;
	n->skipped = 0;
	for (k = 0; k < cfg->nbudgets; k++) {
		const struct kb_ci_budget *b = &cfg->budgets[k];

		n->tests += b->target->nlimits;
		n->failures += b->broken;
		for (l = 0; l < b->target->nlimits; l++)
			n->skipped += !b->res[l].checked;
	}
}

static void junit_threshold(FILE *f, const struct kb_ci *r, const struct kb_ci_config *cfg,
			    const char *cls)
{
	struct strbuf name = STRBUF_INIT, fail = STRBUF_INIT, msg = STRBUF_INIT;
	struct junit_case jc = { .cls = cls };
	size_t k;

	strbuf_addf(&name, "threshold %lld bytes per commit", (long long)r->threshold);
	for (k = 0; k < cfg->ncommits; k++) {
		const struct kb_ci_commit *c = &cfg->commits[k];

		if (c->over_threshold)
			strbuf_addf(&fail, "%.12s %+lld %s: %s\n", c->c.sha, (long long)c->delta,
				    c->c.author, c->c.subject);
	}
	strbuf_addf(&msg, "%zu commit%s added %lld bytes or more", cfg->regressions,
		    cfg->regressions == 1 ? "" : "s", (long long)r->threshold);
	jc.name = name.buf;
	jc.failure_type = cfg->regressions ? "threshold" : NULL;
	jc.message = msg.buf;
	jc.text = fail.buf;
	junit_case(f, &jc);
	strbuf_release(&name);
	strbuf_release(&fail);
	strbuf_release(&msg);
}

static void junit_budget(FILE *f, const char *config, const struct kb_ci_budget *b)
{
	struct strbuf cls = STRBUF_INIT, msg = STRBUF_INIT;
	size_t l;

	strbuf_addf(&cls, "kbloat.%s.budget.%s", config, b->target->name);
	for (l = 0; l < b->target->nlimits; l++) {
		const struct kb_limit_result *x = &b->res[l];
		struct junit_case jc = { .cls = cls.buf, .name = x->limit->what };

		strbuf_reset(&msg);
		if (!x->checked) {
			jc.skipped = 1;
			strbuf_addstr(&msg,
				      "not checked: no commit of the report has a parent build");
		} else {
			strbuf_addf(&msg, "%s: %lld used of %llu allowed (headroom %+lld)",
				    x->limit->what, (long long)x->used,
				    (unsigned long long)x->limit->max, (long long)x->headroom);
			jc.failure_type = x->headroom < 0 ? "budget" : NULL;
		}
		jc.message = msg.buf;
		jc.text = msg.buf;
		junit_case(f, &jc);
	}
	strbuf_release(&cls);
	strbuf_release(&msg);
}

static void junit_builds(FILE *f, const struct kb_ci_config *cfg)
{
	struct strbuf cls = STRBUF_INIT, name = STRBUF_INIT;
	size_t k;

	strbuf_addf(&cls, "kbloat.%s.build", cfg->name);
	for (k = 0; k < cfg->ncommits; k++) {
		const struct kb_ci_commit *c = &cfg->commits[k];
		struct junit_case jc = { .cls = cls.buf,
					 .failure_type = "build",
					 .message = "the build failed" };

		if (c->status != KB_CI_FAILED)
			continue;
		strbuf_reset(&name);
		strbuf_addf(&name, "%.12s %s", c->c.sha, c->c.subject);
		jc.name = name.buf;
		jc.seconds = c->run.build_seconds;
		jc.text = c->run.log ? c->run.log : "(no log recorded)";
		junit_case(f, &jc);
	}
	strbuf_release(&cls);
	strbuf_release(&name);
}

static void junit_suite(FILE *f, const struct kb_ci *r, const struct kb_ci_config *cfg)
{
	struct strbuf cls = STRBUF_INIT;
	struct junit_counts n;
	char when[32];
	size_t k;

	junit_count(cfg, &n);
	iso_time(cfg->newest_run, when);
	strbuf_addf(&cls, "kbloat.%s", cfg->name);
	fputs("  <testsuite name=\"", f);
	kb_escape_xml(f, cls.buf);
	fprintf(f,
		"\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" "
		"timestamp=\"%s\" time=\"%.3f\">\n    <properties>\n",
		n.tests, n.failures, n.skipped, when, cfg->seconds);
	fputs("      <property name=\"baseline\" value=\"", f);
	kb_escape_xml(f, r->baseline);
	fputs("\"/>\n      <property name=\"head\" value=\"", f);
	kb_escape_xml(f, cfg->head);
	fprintf(f, "\"/>\n      <property name=\"threshold\" value=\"%lld\"/>\n    </properties>\n",
		(long long)r->threshold);
	junit_threshold(f, r, cfg, cls.buf);
	for (k = 0; k < cfg->nbudgets; k++)
		junit_budget(f, cfg->name, &cfg->budgets[k]);
	junit_builds(f, cfg);
	fputs("  </testsuite>\n", f);
	strbuf_release(&cls);
}

void kb_ci_write_junit(FILE *f, const struct kb_ci *r)
{
	struct junit_counts n, all = { 0 };
	double seconds = 0;
	size_t i;

	for (i = 0; i < r->n; i++) {
		junit_count(&r->configs[i], &n);
		all.tests += n.tests;
		all.failures += n.failures;
		seconds += r->configs[i].seconds;
	}
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kbloat ci\" "
		"tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"%.3f\">\n",
		all.tests, all.failures, seconds);
	for (i = 0; i < r->n; i++)
		junit_suite(f, r, &r->configs[i]);
	fputs("</testsuites>\n", f);
}
