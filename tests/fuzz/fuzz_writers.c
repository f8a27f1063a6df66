/*
 * fuzz_writers.c - libFuzzer target for the reports' escapers and writers (issue 15): the
 * input is split at NUL bytes into hostile strings (sha, subject, author, config name,
 * path, symbol), which go through every escaper and, in small typed models built here,
 * through the text, Markdown, HTML, JUnit XML, JSON, chart SVG and gnuplot data writers. Each output
 * is written twice, with the hostile strings and with benign ones of the same kind; what
 * delimits the output's language (HTML's < > " ', a Markdown cell's unescaped | and line
 * ends, a data file's " and line ends, text's line ends) must occur exactly as often in
 * both: no input adds or removes one. Text holds no control byte but line ends, every
 * output is UTF-8, JSON parses and kb_json_str's escape gives back every byte. Mail
 * headers made of the strings (mail.h) are ASCII and every line end in them is a fold (a
 * blank follows it): no input adds a header. The strings as a table (table.h) read back,
 * field for field, from its CSV by RFC 4180 and from its TSV by its escapes, and every TSV
 * record is one line. A violation aborts.
 */
#include "chart.h"
#include "ci.h"
#include "escape.h"
#include "history.h"
#include "json.h"
#include "mail.h"
#include "plot.h"
#include "sha.h"
#include "site.h"
#include "table.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SHA, SUBJECT, AUTHOR, CONFIG, PATH, SYMBOL, NFIELDS };

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_writers: %s\n", what);
		abort();
	}
}

static int valid_utf8(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if (!s[i])
			return 0;
		k = kb_utf8_len(s + i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/* Bytes that are control characters: C0 but \n (and \t and \r in markup, which holds them
 * as white space), DEL, C1 (the escapers write all of them as \xNN, markup too). */
static int has_control(const char *s, size_t n, int markup)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n' && !(markup && (c == '\t' || c == '\r'))) || c == 0x7f)
			return 1;
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] < 0xa0)
			return 1;
	}
	return 0;
}

static size_t count(const char *s, size_t n, char c)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

/* c not escaped by a backslash (itself not escaped) */
static size_t bare(const char *s, size_t n, char c)
{
	size_t i, k = 0, bs = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == c && !(bs & 1))
			k++;
		bs = s[i] == '\\' ? bs + 1 : 0;
	}
	return k;
}

/* Whether s is one code span: a fence of n backticks, no run of exactly n inside, the fence. */
static int code_span_closed(const char *s, size_t len)
{
	size_t n = 0, i, run = 0;

	while (n < len && s[n] == '`')
		n++;
	if (!n || len < 2 * n + 1 || strspn(s + len - n, "`") != n || s[len - n - 1] == '`')
		return 0;
	for (i = n; i < len - n; i++) {
		if (s[i] == '`') {
			run++;
			continue;
		}
		if (run == n)
			return 0;
		run = 0;
	}
	return run != n;
}

struct out {
	char *buf;
	size_t len;
};

/* Every writer, on the strings f, into o[0..NOUT). */
enum {
	TEXT_HISTORY,
	TEXT_CI,
	MD_CI,
	JUNIT_CI,
	HTML_SITE,
	SVG_CHART,
	GP_REG,
	GP_SUBS,
	GP_COMPARE,
	GP_SCENE,
	NOUT
};

/* The size chart's links: every commit has a page, named by its sha (which may be hostile:
 * the SVG escapes the href as any attribute). */
static int href_all(struct strbuf *sb, const char *sha, void *arg)
{
	(void)arg;
	strbuf_addf(sb, "../commit/%s.html", sha);
	return 1;
}

static void write_all(char *const f[NFIELDS], struct out o[NOUT])
{
	struct kb_build_commit hc = { .sha = f[SHA], .author = f[AUTHOR], .subject = f[SUBJECT] };
	struct kb_history_row hrow = { .build_id = 1, .c = &hc, .ser = &hc.ser, .size = 10 };
	struct kb_history h = { .rows = &hrow, .n = 1, .commits = &hc, .strs = KB_STRTAB_INIT };
	struct kb_change sym = { f[SYMBOL], f[PATH], 5 }, sub = { f[CONFIG], NULL, 5 };
	struct kb_ci_commit cc = { .c = { 1, f[SHA], f[AUTHOR], f[AUTHOR], f[SUBJECT], 0 },
				   .status = KB_CI_OK,
				   .has_delta = 1,
				   .delta = 9,
				   .over_threshold = 1,
				   .top = { &sym, &sub, 1, 1 } };
	struct kb_ci_config cfg = { .name = f[CONFIG],
				    .head = f[SHA],
				    .commits = &cc,
				    .ncommits = 1,
				    .regressions = 1,
				    .changed = 1,
				    .grew = 9 };
	struct kb_ci ci = { .baseline = f[SHA], .threshold = 1, .configs = &cfg, .n = 1 };
	struct kb_line_build lb[2] = {
		{ .id = 1, .author = f[AUTHOR], .subject = f[SUBJECT], .total = 1 },
		{ .id = 2,
		  .author = f[AUTHOR],
		  .subject = f[SUBJECT],
		  .total = 9,
		  .delta = 8,
		  .has_parent = 1,
		  .committer_time = 3600 }
	};
	struct kb_chart_marker marker = { "", f[SUBJECT] };
	struct kb_chart_opts co = { .annotate = 2, .markers = &marker, .nmarkers = 1 };
	struct kb_chart chart;
	char *subsys[2] = { f[SUBJECT], f[SYMBOL] }, *slug;
	uint64_t cols[6] = { 1, 2, 3, 4, 5, 6 };
	struct kb_plot_config pc = { .name = f[CONFIG],
				     .builds = lb,
				     .n = 2,
				     .subsystems = subsys,
				     .ntop = 2,
				     .cols = cols };
	struct kb_plot plot = { &pc, 1 };
	struct kb_site_row row = { .b = { 2, 9, 0, f[SHA], f[AUTHOR], f[SUBJECT] },
				   .syms = &sym,
				   .nsyms = 1,
				   .subs = &sub,
				   .nsubs = 1 };
	char *subnames[1] = { f[PATH] }, **subslugs, *toolchains[1] = { f[AUTHOR] };
	/* the about block: as the store gives it (spec "" at least, never NULL) */
	struct kb_site_config sc = { .name = f[CONFIG],
				     .about = { .arch = f[PATH],
						.spec = f[SYMBOL],
						.toolchains = toolchains,
						.ntoolchains = 1 },
				     .line = &pc,
				     .regressions = &row,
				     .nregressions = 1,
				     .reductions = &row,
				     .nreductions = 1,
				     .commits = KB_STRTAB_INIT,
				     .subsystems = subnames,
				     .nsubsystems = 1 };
	struct kb_site site = { &sc, 1, &plot };
	struct strbuf sb = STRBUF_INIT;
	FILE *m[NOUT];
	int i;

	kb_file_name(&sb, f[CONFIG]);
	slug = strbuf_detach(&sb, NULL);
	pc.slug = slug;
	sc.slug = slug;
	subslugs = kb_file_names((const char *const *)subnames, 1);
	sc.subslugs = subslugs;
	snprintf(lb[0].sha, sizeof(lb[0].sha), "%s", f[SHA]);
	snprintf(lb[1].sha, sizeof(lb[1].sha), "%s", f[SHA]);
	snprintf(marker.sha, sizeof(marker.sha), "%s", f[SHA]);
	pc.times = kb_chart_times(lb, 2);
	kb_chart_layout(&chart, f[CONFIG], lb, 2, &co);
	for (i = 0; i < NOUT; i++)
		m[i] = open_memstream(&o[i].buf, &o[i].len);
	kb_history_write_text(m[TEXT_HISTORY], &h);
	kb_ci_write_text(m[TEXT_CI], &ci);
	kb_ci_write_md(m[MD_CI], &ci);
	kb_ci_write_junit(m[JUNIT_CI], &ci);
	kb_site_write_index(m[HTML_SITE], &site);
	kb_plot_write_regressions(m[GP_REG], &pc, 3);
	kb_plot_write_subsystems(m[GP_SUBS], &pc);
	kb_plot_write_compare(m[GP_COMPARE], &plot);
	kb_chart_write_svg(m[SVG_CHART], &chart, href_all, NULL);
	kb_chart_write_texts(m[GP_SCENE], &chart);
	for (i = 0; i < NOUT; i++)
		fclose(m[i]);
	kb_chart_release(&chart);
	free(pc.times);
	free(slug);
	free(subslugs[0]);
	free(subslugs);
}

/* A harmless string of the same kind: a sha stays a sha (the site links it), else "a". */
static char *benign(int field, const char *s)
{
	if (field == SHA && kb_is_sha(s))
		return strdup("0123456789abcdef0123456789abcdef01234567");
	return strdup(field == SHA ? "?" : "a");
}

static void same(const struct out *a, const struct out *b, const char *chars, const char *what)
{
	for (; *chars; chars++)
		check(count(a->buf, a->len, *chars) == count(b->buf, b->len, *chars), what);
}

static void check_writers(char *const f[NFIELDS])
{
	struct out h[NOUT], b[NOUT];
	char *g[NFIELDS];
	int i;

	for (i = 0; i < NFIELDS; i++)
		g[i] = benign(i, f[i]);
	write_all(f, h);
	write_all(g, b);
	for (i = 0; i < NOUT; i++) {
		if (!valid_utf8(h[i].buf, h[i].len))
			fprintf(stderr, "output %d:\n%.*s\n", i, (int)h[i].len, h[i].buf);
		check(valid_utf8(h[i].buf, h[i].len), "an output is not UTF-8");
	}
	for (i = TEXT_HISTORY; i <= TEXT_CI; i++) {
		check(!has_control(h[i].buf, h[i].len, 0), "text: a control byte");
		same(&h[i], &b[i], "\n", "text: a line end from the input");
	}
	check(!has_control(h[MD_CI].buf, h[MD_CI].len, 0), "md: a control byte");
	/* (a < in inline code is text: kb_md_code's fences are checked on their own) */
	same(&h[MD_CI], &b[MD_CI], "\n", "md: a line end from the input");
	check(bare(h[MD_CI].buf, h[MD_CI].len, '|') == bare(b[MD_CI].buf, b[MD_CI].len, '|'),
	      "md: a table cell's | from the input");
	check(!has_control(h[JUNIT_CI].buf, h[JUNIT_CI].len, 1), "junit: a control byte");
	same(&h[JUNIT_CI], &b[JUNIT_CI], "<>\"'", "junit: markup from the input");
	same(&h[HTML_SITE], &b[HTML_SITE], "<>\"'", "html: markup from the input");
	check(!has_control(h[SVG_CHART].buf, h[SVG_CHART].len, 1), "svg: a control byte");
	same(&h[SVG_CHART], &b[SVG_CHART], "<>\"'", "svg: markup from the input");
	for (i = GP_REG; i <= GP_SCENE; i++) {
		check(!has_control(h[i].buf, h[i].len, 0), "gnuplot data: a control byte");
		same(&h[i], &b[i], "\n\"", "gnuplot data: a quote or line end from the input");
	}
	for (i = 0; i < NOUT; i++) {
		free(h[i].buf);
		free(b[i].buf);
	}
	for (i = 0; i < NFIELDS; i++)
		free(g[i]);
}

/* kb_json_str: JSON that Jansson reads back, and the bytes back from it. */
static void check_json(const char *s)
{
	struct strbuf back = STRBUF_INIT;
	json_t *j = kb_json_str(s), *r;
	char *text = json_dumps(j, JSON_ENCODE_ANY);
	json_error_t err;

	check(text != NULL, "json: not written");
	r = json_loads(text, JSON_DECODE_ANY, &err);
	check(r && json_is_string(r), "json: does not parse");
	check(!kb_json_str_bytes(json_string_value(r), json_string_length(r), &back),
	      "json: not the escape's UTF-8");
	check(back.len == strlen(s) && !memcmp(back.buf ? back.buf : "", s, back.len),
	      "json: the bytes do not come back");
	strbuf_release(&back);
	json_decref(r);
	json_decref(j);
	free(text);
}

static void check_escapers(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	char *buf;
	size_t len;
	FILE *f;

	kb_text(&sb, s);
	check(!has_control(sb.buf, sb.len, 0) && !count(sb.buf, sb.len, '\n'),
	      "kb_text: a control byte");
	check(valid_utf8(sb.buf, sb.len), "kb_text: not UTF-8");
	kb_md(&sb, s);
	check(!bare(sb.buf, sb.len, '|') && !count(sb.buf, sb.len, '\n') &&
		      !bare(sb.buf, sb.len, '<'),
	      "kb_md: a bare | or a line end");
	kb_md_code(&sb, s);
	check(!bare(sb.buf, sb.len, '|') && !count(sb.buf, sb.len, '\n'),
	      "kb_md_code: a bare | or a line end");
	check(code_span_closed(sb.buf, sb.len), "kb_md_code: the span ends early or never");
	strbuf_reset(&sb);
	kb_file_name(&sb, s);
	check(sb.len && !strchr(sb.buf, '/') && strcmp(sb.buf, ".") && strcmp(sb.buf, ".."),
	      "kb_file_name: not a file name");
	f = open_memstream(&buf, &len);
	kb_escape_html(f, s);
	kb_escape_xml(f, s);
	fclose(f);
	check(!strpbrk(buf, "<>\"'"), "html/xml: markup passes");
	check(!has_control(buf, len, 1) && valid_utf8(buf, len), "html/xml: a control byte");
	free(buf);
	strbuf_release(&sb);
}

/* Reads one RFC 4180 CSV field at *p into sb; returns its delimiter (',', '\r' of CRLF, or
 * 0 at the end). */
static int csv_field(const char **p, const char *end, struct strbuf *sb)
{
	const char *q = *p;

	strbuf_reset(sb);
	if (q < end && *q == '"') {
		for (q++;; q++) {
			check(q < end, "csv: an unclosed quote");
			if (*q == '"' && q + 1 < end && q[1] == '"') {
				strbuf_addch(sb, '"');
				q++;
			} else if (*q == '"') {
				q++;
				break;
			} else {
				strbuf_addch(sb, *q);
			}
		}
	} else {
		for (; q < end && *q != ',' && *q != '\r'; q++) {
			check(*q != '"' && *q != '\n', "csv: a bare quote or line end");
			strbuf_addch(sb, *q);
		}
	}
	check(q == end || *q == ',' || (*q == '\r' && q + 1 < end && q[1] == '\n'),
	      "csv: a field not followed by a comma or CRLF");
	*p = q == end ? q : q + (*q == '\r' ? 2 : 1);
	return q == end ? 0 : *q;
}

/* The strings as a table of two rows (each string a column), as CSV and as TSV: each field
 * comes back. */
static void check_table(char *const f[NFIELDS])
{
	static const char *const cols[NFIELDS] = { "sha",    "subject", "author",
						   "config", "path",	"symbol" };
	struct strbuf sb = STRBUF_INIT;
	json_t *rows = json_array();
	int fmt, r, k;

	for (r = 0; r < 2; r++) {
		json_t *o = json_object();

		for (k = 0; k < NFIELDS; k++)
			json_object_set_new(o, cols[k], kb_json_str(f[(k + r) % NFIELDS]));
		json_array_append_new(rows, o);
	}
	for (fmt = KB_TABLE_CSV; fmt <= KB_TABLE_TSV; fmt++) {
		const char *p, *end;
		char *buf;
		size_t len;
		FILE *out = open_memstream(&buf, &len);

		check(!kb_table_write(out, rows, fmt), "table: not written");
		fclose(out);
		p = buf;
		end = buf + len;
		if (fmt == KB_TABLE_TSV)
			check(count(buf, len, '\n') == 3 && !count(buf, len, '\r'),
			      "tsv: a record is not one line");
		for (r = -1; r < 2; r++) {
			for (k = 0; k < NFIELDS; k++) {
				const char *want = r < 0 ? cols[k] : f[(k + r) % NFIELDS];
				int delim;

				if (fmt == KB_TABLE_CSV) {
					delim = csv_field(&p, end, &sb);
				} else {
					strbuf_reset(&sb);
					for (; p < end && *p != '\t' && *p != '\n'; p++) {
						if (*p != '\\') {
							strbuf_addch(&sb, *p);
							continue;
						}
						p++;
						check(p < end && *p && strchr("\\tnr", *p),
						      "tsv: a lone \\");
						strbuf_addch(&sb, *p == 't' ? '\t' :
								  *p == 'n' ? '\n' :
								  *p == 'r' ? '\r' :
									      '\\');
					}
					check(p < end, "tsv: a record without its LF");
					delim = *p++ == '\t' ? ',' : '\r';
				}
				check(sb.len == strlen(want) && !memcmp(sb.buf, want, sb.len),
				      fmt == KB_TABLE_CSV ? "csv: a field does not come back" :
							    "tsv: a field does not come back");
				check(delim == (k + 1 < NFIELDS ? ',' : '\r'),
				      "table: a record of the wrong length");
			}
		}
		check(p == end, "table: more than the header and the rows");
		free(buf);
	}
	json_decref(rows);
	strbuf_release(&sb);
}

/* A header of s: ASCII, and every line end but the last followed by a blank (a fold). */
static void check_mail(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	char *buf;
	size_t len, i;
	FILE *f = open_memstream(&buf, &len);

	kb_mail_header(f, "Subject", s);
	kb_mail_add_mailbox(&sb, s, "a@b.example");
	kb_mail_address_header(f, "To", sb.buf);
	fclose(f);
	for (i = 0; i < len; i++) {
		check((unsigned char)buf[i] < 0x80 && (buf[i] >= 0x20 || buf[i] == '\n'),
		      "mail: a header byte that is not printable ASCII");
		check(buf[i] != '\n' || i + 1 == len || buf[i + 1] == ' ' ||
			      !memcmp(buf + i + 1, "To: ", 4),
		      "mail: a line end that is not a fold");
	}
	free(buf);
	strbuf_release(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *f[NFIELDS], **names;
	size_t start = 0, i;
	int k;

	for (k = 0; k < NFIELDS; k++) {
		size_t end = start;

		while (end < size && data[end])
			end++;
		f[k] = strndup(start < size ? (const char *)data + start : "",
			       start < size ? end - start : 0);
		start = end + 1;
	}
	for (k = 0; k < NFIELDS; k++) {
		check_escapers(f[k]);
		check_json(f[k]);
		check_mail(f[k]);
	}
	names = kb_file_names((const char *const *)f, NFIELDS);
	for (k = 0; k < NFIELDS; k++)
		for (i = 0; i < (size_t)k; i++)
			check(strcmp(names[i], names[k]), "kb_file_names: a name twice");
	for (k = 0; k < NFIELDS; k++)
		free(names[k]);
	free(names);
	check_writers(f);
	check_table(f);
	for (k = 0; k < NFIELDS; k++)
		free(f[k]);
	return 0;
}
