/*
 * output.c - the program's edge: how the commands report errors and warnings (one line,
 * "kbloat: " and the thing and the problem), print JSON, and read the small values their
 * options take; see kbloat.h.
 */
#include "kbloat.h"

#include "error.h"
#include "files.h"
#include "escape.h"
#include "strbuf.h"
#include "table.h"
#include "xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *kb_make_outdir(const char *out)
{
	char *dir;

	if (!*out) {
		kb_errorf("an empty name is not a directory");
		return NULL;
	}
	if (kb_mkdirs(out)) {
		kb_report_error();
		return NULL;
	}
	dir = realpath(out, NULL);
	if (!dir)
		kb_errorf("%s: %s", out, strerror(errno));
	return dir;
}

/* A message on one line of stderr, whatever it names (a path, a config, a sha from a
 * database): its control characters and non-UTF-8 bytes as kb_escape_text writes them. */
static void say(const char *prefix, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_vaddf(&sb, fmt, ap);
	fputs(prefix, stderr);
	kb_escape_text(stderr, sb.buf);
	fputc('\n', stderr);
	strbuf_release(&sb);
}

int kb_report_error(void)
{
	kb_errorf("%s", kb_error_last());
	return KB_EXIT_USAGE;
}

void kb_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("kbloat: ", fmt, ap);
	va_end(ap);
}

void kb_warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("kbloat: warning: ", fmt, ap);
	va_end(ap);
}

void kb_notef(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("kbloat: ", fmt, ap);
	va_end(ap);
}

/* jansson's dump gathered into 64 KiB writes: json_dumpf called fwrite for every token
 * (12% of `history --json` at 100,000 builds, most of it stdout's lock) */
#define JSON_OUT_SIZE 65536

struct json_out {
	char *buf;
	size_t len;
	int failed;
	char *dump; /* json_out_nested's */
	size_t dump_size;
};

static int json_out_flush(struct json_out *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, stdout) != o->len)
		o->failed = 1;
	o->len = 0;
	return o->failed ? -1 : 0;
}

/* a token at a time: most are a few bytes */
static int json_out_add(const char *buffer, size_t size, void *data)
{
	struct json_out *o = data;

	if (size > JSON_OUT_SIZE - o->len) {
		if (json_out_flush(o))
			return -1;
		if (size > JSON_OUT_SIZE) {
			if (fwrite(buffer, 1, size, stdout) != size)
				o->failed = 1;
			return o->failed ? -1 : 0;
		}
	}
	memcpy(o->buf + o->len, buffer, size);
	o->len += size;
	return 0;
}

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* Text into o as it is. */
static int json_out_text(struct json_out *o, const char *text)
{
	return json_out_add(text, strlen(text), o);
}

/* j's dump into o, each line after its first indented as indent says (a newline and the
 * spaces): j as a value nested that deep. Dumped whole into o->dump first, then copied a
 * line at a time: jansson writes no newline but its own (a string's is "\\n"). */
static int json_out_nested(struct json_out *o, json_t *j, const char *indent)
{
	size_t n = json_dumpb(j, o->dump, o->dump_size, JSON_FLAGS | JSON_ENCODE_ANY), ilen;
	const char *p, *end, *nl;

	if (n > o->dump_size) {
		free(o->dump);
		o->dump_size = n;
		o->dump = xmalloc(n);
		n = json_dumpb(j, o->dump, o->dump_size, JSON_FLAGS | JSON_ENCODE_ANY);
	}
	if (!n || n > o->dump_size)
		return -1;
	ilen = strlen(indent);
	for (p = o->dump, end = p + n; (nl = memchr(p, '\n', (size_t)(end - p))) != NULL;
	     p = nl + 1) {
		if (json_out_add(p, (size_t)(nl - p), o) || json_out_add(indent, ilen, o))
			return -1;
	}
	return json_out_add(p, (size_t)(end - p), o);
}

/* "key": as a member of an object one level down */
static int json_out_key(struct json_out *o, const char *key)
{
	json_t *k = json_string(key);
	int rc = !k || json_out_text(o, "\n  ") || json_out_nested(o, k, "\n  ") ||
		 json_out_text(o, ": ");

	json_decref(k);
	return rc ? -1 : 0;
}

/* Ends the output as kb_json_print does: o written out, a newline, stdout flushed; an
 * error said (unless said already: quiet) when anything failed. */
static int json_out_end(struct json_out *o, int rc, int quiet)
{
	rc |= json_out_flush(o);
	free(o->buf);
	free(o->dump);
	fputc('\n', stdout);
	if (quiet) {
		fflush(stdout);
		return KB_EXIT_USAGE;
	}
	if (rc | fflush(stdout) | ferror(stdout)) {
		kb_errorf("standard output: cannot write the JSON: %s",
			  errno ? strerror(errno) : "error");
		return KB_EXIT_USAGE;
	}
	return KB_EXIT_OK;
}

int kb_json_print(json_t *j)
{
	struct json_out o = { NULL, 0, 0, NULL, 0 };
	int rc;

	errno = 0;
	if (!j) { /* a writer's json_pack failed: not a thing to print half of */
		kb_errorf("standard output: the JSON could not be built");
		return KB_EXIT_USAGE;
	}
	o.buf = xmalloc(JSON_OUT_SIZE);
	/* 15 digits: a share of 60.48 reads 60.48, not the double's 17 digits */
	rc = json_dump_callback(j, json_out_add, &o, JSON_FLAGS);
	json_decref(j);
	return json_out_end(&o, rc, 0);
}

int kb_json_print_rows(const char *key, size_t n, json_t *(*row)(void *arg, size_t i), void *arg,
		       json_t *rest)
{
	struct json_out o = { NULL, 0, 0, NULL, 0 };
	const char *k;
	json_t *v;
	size_t i;
	int rc, unbuilt = 0;

	errno = 0;
	o.buf = xmalloc(JSON_OUT_SIZE);
	/* jansson's layout (dump.c): a newline and the depth's indent before each member or
	 * element and before the closing bracket; "[]" when empty */
	rc = json_out_text(&o, "{") || json_out_key(&o, key) || json_out_text(&o, n ? "[" : "[]");
	for (i = 0; i < n && !rc; i++) {
		json_t *r = row(arg, i);

		if (!r) { /* a writer's json_pack failed: the output ends where it was */
			kb_errorf("standard output: the JSON could not be built");
			rc = unbuilt = -1;
			break;
		}
		rc = json_out_text(&o, i ? ",\n    " : "\n    ") ||
		     json_out_nested(&o, r, "\n    ");
		json_decref(r);
	}
	if (!rc && n)
		rc = json_out_text(&o, "\n  ]");
	json_object_foreach(rest, k, v)
	{
		if (!rc)
			rc = json_out_text(&o, ",") || json_out_key(&o, k) ||
			     json_out_nested(&o, v, "\n  ");
	}
	json_decref(rest);
	if (!rc)
		rc = json_out_text(&o, "\n}");
	return json_out_end(&o, rc ? -1 : 0, unbuilt);
}

int kb_table_print(json_t *rows, int fmt)
{
	int rc;

	errno = 0;
	if (!rows) { /* a writer's json_pack failed */
		kb_errorf("standard output: the table could not be built");
		return KB_EXIT_USAGE;
	}
	rc = kb_table_write(stdout, rows, fmt == KB_FMT_TSV ? KB_TABLE_TSV : KB_TABLE_CSV);
	json_decref(rows);
	if (rc) {
		kb_errorf("standard output: the table's rows are not objects");
		return KB_EXIT_USAGE;
	}
	if (fflush(stdout) | ferror(stdout)) {
		kb_errorf("standard output: cannot write: %s", errno ? strerror(errno) : "error");
		return KB_EXIT_USAGE;
	}
	return KB_EXIT_OK;
}

long kb_parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -1;
	return v;
}
