/*
 * parse-options.c - the one option parser and usage writer of every command; see
 * parse-options.h.
 */
#include "parse-options.h"

#include "kbloat.h"
#include "size.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE_OPTS_WIDTH 22 /* the column the options' help starts at, less the indent */
#define USAGE_INDENT 2
#define USAGE_WIDTH 92 /* help text wraps before this column */

void kb_strlist_push(struct kb_strlist *l, const char *s)
{
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = s;
}

void kb_strlist_release(struct kb_strlist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int takes_arg(const struct kb_option *o)
{
	switch (o->type) {
	case KB_OT_BOOL:
		return 0;
	case KB_OT_CALLBACK:
		return !(o->flags & KB_OPT_NOARG);
	default:
		return 1;
	}
}

/* "--db DB" or "-j N" or "-c" as the usage names an option */
static void option_label(const struct kb_option *o, struct strbuf *sb)
{
	if (o->short_name && o->long_name)
		strbuf_addf(sb, "-%c, --%s", o->short_name, o->long_name);
	else if (o->short_name)
		strbuf_addf(sb, "-%c", o->short_name);
	else
		strbuf_addf(sb, "--%s", o->long_name);
	if (takes_arg(o))
		strbuf_addf(sb, " %s", o->argh ? o->argh : "ARG");
}

/* Writes text from column col on, wrapped at word boundaries before USAGE_WIDTH. */
static void write_wrapped(FILE *f, const char *text, int col)
{
	int at = col;

	while (*text) {
		size_t word = strcspn(text, " ");

		if (at > col && at + 1 + (int)word > USAGE_WIDTH) {
			fprintf(f, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', f);
			at++;
		}
		fwrite(text, 1, word, f);
		at += (int)word;
		text += word;
		text += strspn(text, " ");
	}
	fputc('\n', f);
}

void kb_usage_print(const struct kb_command *cmd, FILE *f)
{
	struct strbuf help = STRBUF_INIT;
	const struct kb_option *o;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; cmd->usage[i]; i++)
		fprintf(f, "%s kbloat %s\n", i ? "   or:" : "usage:", cmd->usage[i]);
	if (cmd->summary)
		fprintf(f, "\n%s.\n", cmd->summary);
	for (o = cmd->options; o && o->type != KB_OT_END; o++) {
		if (o == cmd->options || o->type == KB_OT_GROUP)
			fputc('\n', f);
		if (o->type == KB_OT_GROUP) {
			fprintf(f, "%s\n", o->help);
			continue;
		}
		strbuf_reset(&sb);
		option_label(o, &sb);
		fprintf(f, "%*s%s", USAGE_INDENT, "", sb.buf);
		if (sb.len + 1 >= USAGE_OPTS_WIDTH)
			fprintf(f, "\n%*s", USAGE_INDENT + USAGE_OPTS_WIDTH, "");
		else
			fprintf(f, "%*s", (int)(USAGE_OPTS_WIDTH - sb.len), "");
		strbuf_reset(&help);
		strbuf_addf(&help, "%s%s%s", o->help,
			    o->flags & KB_OPT_REQUIRED ? " (required)" : "",
			    o->type == KB_OT_LIST ? " (repeatable)" : "");
		write_wrapped(f, help.buf, USAGE_INDENT + USAGE_OPTS_WIDTH);
	}
	fprintf(f, "%*s%-*s%s\n", USAGE_INDENT, "", USAGE_OPTS_WIDTH, "-h, --help", "this text");
	if (cmd->epilogue)
		fprintf(f, "\n%s", cmd->epilogue);
	strbuf_release(&sb);
	strbuf_release(&help);
}

const struct kb_option *kb_option_find(const struct kb_option *opts, const char *long_name)
{
	for (; opts && opts->type != KB_OT_END; opts++)
		if (opts->long_name && !strcmp(opts->long_name, long_name))
			return opts;
	return NULL;
}

/* An error in what the user typed: printed with the usage, for a non-zero exit. */
static int opt_error(const struct kb_command *cmd, const char *fmt, const char *what)
{
	fprintf(stderr, "kbloat %s: ", cmd->name);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	kb_usage_print(cmd, stderr);
	return KB_PARSE_ERROR;
}

/* Stores arg (NULL for an option without one) into o's value. 0, or -1 (error printed). */
static int take(const struct kb_option *o, const char *arg, const char *spelt)
{
	switch (o->type) {
	case KB_OT_BOOL:
		*(int *)o->value = (int)o->defval;
		return 0;
	case KB_OT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case KB_OT_LIST:
		kb_strlist_push(o->value, arg);
		return 0;
	case KB_OT_COUNT: {
		long v = kb_parse_count(arg);

		if (v < 0 || (v < 1 && (o->flags & KB_OPT_POSITIVE))) {
			kb_errorf("%s %s: not a %scount", spelt, arg,
				  o->flags & KB_OPT_POSITIVE ? "positive " : "");
			return -1;
		}
		*(long *)o->value = v;
		return 0;
	}
	case KB_OT_SIZE: {
		uint64_t v;

		int rc = kb_parse_size(arg, &v);

		if (rc == -2) {
			kb_errorf("%s %s: too large (at most %llu bytes)", spelt, arg,
				  (unsigned long long)KB_SIZE_MAX);
			return -1;
		}
		if (rc) {
			kb_errorf("%s %s: not a size (40960, 40K, 40KB, 40KiB, 1.5M)", spelt, arg);
			return -1;
		}
		*(int64_t *)o->value = (int64_t)v;
		return 0;
	}
	case KB_OT_CALLBACK:
		return o->cb(o, arg);
	default:
		break;
	}
	return -1;
}

/* The option --name (a unique prefix will do), or NULL with the error printed. */
static const struct kb_option *find_long(const struct kb_command *cmd, const char *name, size_t len)
{
	const struct kb_option *o, *found = NULL;
	int ambiguous = 0;
	struct strbuf sb = STRBUF_INIT;

	for (o = cmd->options; o && o->type != KB_OT_END; o++) {
		if (!o->long_name || strncmp(o->long_name, name, len))
			continue;
		if (strlen(o->long_name) == len)
			return o;
		ambiguous = found != NULL;
		found = o;
	}
	strbuf_add(&sb, name, len);
	if (!found)
		opt_error(cmd, "unknown option '--%s'", sb.buf);
	else if (ambiguous)
		opt_error(cmd, "ambiguous option '--%s'", sb.buf);
	strbuf_release(&sb);
	return ambiguous ? NULL : found;
}

static const struct kb_option *find_short(const struct kb_command *cmd, int c)
{
	const struct kb_option *o;
	char name[2] = { (char)c, 0 };

	for (o = cmd->options; o && o->type != KB_OT_END; o++)
		if (o->short_name == c)
			return o;
	opt_error(cmd, "unknown option '-%s'", name);
	return NULL;
}

static int parse_long(const struct kb_command *cmd, int argc, const char **argv, int *i)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '='), *arg = NULL;
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct kb_option *o = find_long(cmd, name, len);
	struct strbuf spelt = STRBUF_INIT;
	int rc;

	if (!o)
		return KB_PARSE_ERROR;
	strbuf_addf(&spelt, "--%s", o->long_name);
	if (takes_arg(o)) {
		if (eq) {
			arg = eq + 1;
		} else if (*i + 1 < argc) {
			arg = argv[++*i];
		} else {
			rc = opt_error(cmd, "%s requires a value", spelt.buf);
			goto out;
		}
	} else if (eq) {
		rc = opt_error(cmd, "%s takes no value", spelt.buf);
		goto out;
	}
	rc = take(o, arg, spelt.buf) ? KB_PARSE_ERROR : 0;
out:
	strbuf_release(&spelt);
	return rc;
}

/* -x, -xVALUE, -x VALUE, and bundled flags -cd */
static int parse_short(const struct kb_command *cmd, int argc, const char **argv, int *i)
{
	const char *p = argv[*i] + 1;

	while (*p) {
		const struct kb_option *o = find_short(cmd, (unsigned char)*p);
		char spelt[3] = { '-', *p, 0 };
		const char *arg = NULL;

		if (!o)
			return KB_PARSE_ERROR;
		if (!takes_arg(o)) {
			if (take(o, NULL, spelt))
				return KB_PARSE_ERROR;
			p++;
			continue;
		}
		if (p[1])
			arg = p + 1;
		else if (*i + 1 < argc)
			arg = argv[++*i];
		else
			return opt_error(cmd, "%s requires a value", spelt);
		return take(o, arg, spelt) ? KB_PARSE_ERROR : 0;
	}
	return 0;
}

int kb_parse_options(const struct kb_command *cmd, int argc, const char **argv)
{
	const struct kb_option *o;
	int i, n = 0, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (++i < argc)
				argv[n++] = argv[i];
			break;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			kb_usage_print(cmd, stdout);
			return KB_PARSE_HELP;
		}
		if (a[0] != '-' || !a[1]) {
			argv[n++] = a; /* an argument ("-" too: standard input) */
			continue;
		}
		rc = a[1] == '-' ? parse_long(cmd, argc, argv, &i) :
				   parse_short(cmd, argc, argv, &i);
		if (rc)
			return rc;
	}
	for (o = cmd->options; o && o->type != KB_OT_END; o++)
		if ((o->flags & KB_OPT_REQUIRED) && o->type == KB_OT_STRING &&
		    !*(const char **)o->value)
			return opt_error(cmd, "--%s is required", o->long_name);
	return n;
}
