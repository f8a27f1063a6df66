/*
 * parse-options.h - one option table per command, as git's parse-options.h: each option is
 * declared once, with its value's type, its argument's name and its help; the parser, the
 * usage text and `kbloat help CMD` all come from that one table.
 *
 * A command declares
 *
 *	static const char *db = KB_DEFAULT_DB;
 *	static int json;
 *	static const struct kb_option options[] = {
 *		KB_OPT_DB(&db),
 *		KB_OPT_JSON(&json),
 *		KB_OPT_END(),
 *	};
 *
 * and its struct kb_command (command.h) points at the table. Long options may be
 * abbreviated to a unique prefix and take their argument as "--db X" or "--db=X"; short ones
 * as "-j 4" or "-j4". Arguments that are not options are kept, in order; "--" ends the
 * options.
 */
#ifndef KB_PARSE_OPTIONS_H
#define KB_PARSE_OPTIONS_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

enum kb_opt_type {
	KB_OT_END,
	KB_OT_GROUP, /* a heading in the usage text; help is the heading */
	KB_OT_BOOL, /* int *: set to defval (1 unless given) */
	KB_OT_STRING, /* const char **: the argument */
	KB_OT_LIST, /* struct kb_strlist *: each argument appended (repeatable) */
	KB_OT_COUNT, /* long *: a decimal count, >= 0 (>= 1 with KB_OPT_POSITIVE) */
	KB_OT_SIZE, /* int64_t *: a size, 40960, 40K, 40KiB, 1.5M (1024-based) */
	KB_OT_CALLBACK, /* cb(opt, arg): 0, or -1 with the error printed */
};

enum {
	KB_OPT_POSITIVE = 1 << 0, /* KB_OT_COUNT: at least 1 */
	KB_OPT_REQUIRED = 1 << 1, /* must be given (checked after parsing) */
	KB_OPT_NOARG = 1 << 2, /* KB_OT_CALLBACK: takes no argument (arg is NULL) */
};

struct kb_option {
	enum kb_opt_type type;
	int short_name; /* 0: none */
	const char *long_name; /* NULL: none */
	void *value;
	const char *argh; /* the argument's name in the usage text: "DB", "N" */
	const char *help;
	int flags;
	int (*cb)(const struct kb_option *opt, const char *arg);
	intptr_t defval;
};

/* The arguments of a repeatable option, in the order given. */
struct kb_strlist {
	const char **v;
	size_t n, alloc;
};

void kb_strlist_push(struct kb_strlist *l, const char *s);
void kb_strlist_release(struct kb_strlist *l);

#define KB_OPT_END()      \
	{                 \
		KB_OT_END \
	}
#define KB_OPT_GROUP(h)                               \
	{                                             \
		KB_OT_GROUP, 0, NULL, NULL, NULL, (h) \
	}
#define KB_OPT_BOOL(s, l, v, h)                                  \
	{                                                        \
		KB_OT_BOOL, (s), (l), (v), NULL, (h), 0, NULL, 1 \
	}
#define KB_OPT_SET_INT(s, l, v, i, h)                              \
	{                                                          \
		KB_OT_BOOL, (s), (l), (v), NULL, (h), 0, NULL, (i) \
	}
#define KB_OPT_STRING(s, l, v, a, h)                  \
	{                                             \
		KB_OT_STRING, (s), (l), (v), (a), (h) \
	}
#define KB_OPT_STRING_F(s, l, v, a, h, f)                  \
	{                                                  \
		KB_OT_STRING, (s), (l), (v), (a), (h), (f) \
	}
#define KB_OPT_LIST(s, l, v, a, h)                  \
	{                                           \
		KB_OT_LIST, (s), (l), (v), (a), (h) \
	}
#define KB_OPT_COUNT(s, l, v, a, h)                  \
	{                                            \
		KB_OT_COUNT, (s), (l), (v), (a), (h) \
	}
#define KB_OPT_POSITIVE(s, l, v, a, h)                                \
	{                                                             \
		KB_OT_COUNT, (s), (l), (v), (a), (h), KB_OPT_POSITIVE \
	}
#define KB_OPT_SIZE(s, l, v, a, h)                  \
	{                                           \
		KB_OT_SIZE, (s), (l), (v), (a), (h) \
	}
#define KB_OPT_CALLBACK(s, l, v, a, h, cb)                       \
	{                                                        \
		KB_OT_CALLBACK, (s), (l), (v), (a), (h), 0, (cb) \
	}

/* What kb_parse_options returns besides the count of arguments left. */
enum {
	KB_PARSE_HELP = -1, /* -h or --help: the usage was printed to stdout */
	KB_PARSE_ERROR = -2, /* the error and the usage were printed to stderr */
};

struct kb_command;

/*
 * Parses argv[1..argc-1] (argv[0] is the command's name) with cmd's option table. The
 * arguments that are not options are moved to argv[0..n-1] and n is returned; or
 * KB_PARSE_HELP or KB_PARSE_ERROR.
 */
int kb_parse_options(const struct kb_command *cmd, int argc, const char **argv);

/* Writes cmd's usage (synopsis, options, epilogue), generated from its table, to f. */
void kb_usage_print(const struct kb_command *cmd, FILE *f);

/* The option of cmd named long_name (for tests of the table and the manual), or NULL. */
const struct kb_option *kb_option_find(const struct kb_option *opts, const char *long_name);

#endif
