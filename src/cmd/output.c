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
struct json_out {
	struct strbuf buf;
	int failed;
};

#define JSON_OUT_FLUSH 65536

static int json_out_flush(struct json_out *o)
{
	if (o->buf.len && fwrite(o->buf.buf, 1, o->buf.len, stdout) != o->buf.len)
		o->failed = 1;
	strbuf_reset(&o->buf);
	return o->failed ? -1 : 0;
}

static int json_out_add(const char *buffer, size_t size, void *data)
{
	struct json_out *o = data;

	strbuf_add(&o->buf, buffer, size);
	return o->buf.len >= JSON_OUT_FLUSH ? json_out_flush(o) : 0;
}

int kb_json_print(json_t *j)
{
	struct json_out o = { STRBUF_INIT, 0 };
	int rc;

	errno = 0;
	if (!j) { /* a writer's json_pack failed: not a thing to print half of */
		kb_errorf("standard output: the JSON could not be built");
		return KB_EXIT_USAGE;
	}
	strbuf_grow(&o.buf, JSON_OUT_FLUSH + 4096);
	/* 15 digits: a share of 60.48 reads 60.48, not the double's 17 digits */
	rc = json_dump_callback(j, json_out_add, &o,
				JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(j);
	rc |= json_out_flush(&o);
	strbuf_release(&o.buf);
	fputc('\n', stdout);
	if (rc | fflush(stdout) | ferror(stdout)) {
		kb_errorf("standard output: cannot write the JSON: %s",
			  errno ? strerror(errno) : "error");
		return KB_EXIT_USAGE;
	}
	return KB_EXIT_OK;
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
