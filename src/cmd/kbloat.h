/*
 * kbloat.h - what the commands share: the command table's entries, the options several
 * commands take, exit statuses, and the small helpers of the program's edge (error
 * reporting, JSON output). Only the commands print and choose an exit status.
 */
#ifndef KBLOAT_H
#define KBLOAT_H

#include "bom.h"
#include "files.h"
#include "json.h"
#include "parse-options.h"

#include <jansson.h>
#include <stdint.h>

/* Exit statuses, everywhere (the design's §8; kbloat(1) EXIT STATUS). */
enum {
	KB_EXIT_OK = 0,
	KB_EXIT_THRESHOLD = 1, /* a budget or threshold broken; "bad" in bisect */
	KB_EXIT_USAGE = 2, /* usage or input error */
	KB_EXIT_SKIP = 125, /* bisect: this commit cannot be tested */
};

/*
 * A command, as git's builtin table and tmux's cmd_entry: its name, the line `kbloat help`
 * gives it, its synopsis and option table (parse-options.h), how many arguments it takes,
 * what main() sets up before running it, and the function that runs it.
 */
struct kb_store;
struct kb_scope;

enum {
	/* main() opens the database named by *db before run (ctx->store), and closes it */
	KB_SETUP_STORE = 1 << 0,
	KB_SETUP_STORE_CREATE = 1 << 1, /* with KB_SETUP_STORE: create it if missing */
	/* with KB_SETUP_STORE: open it read-only (kb_store_open_read): no lock, no wait on a
	 * writer, no migration; every command that only reads says so */
	KB_SETUP_STORE_READ = 1 << 2,
};

struct kb_ctx {
	struct kb_store *store; /* KB_SETUP_STORE */
};

struct kb_command {
	const char *name;
	const char *summary; /* one line, for `kbloat help` */
	const char *const *usage; /* synopsis lines (without "kbloat "), NULL-terminated */
	const struct kb_option *options;
	int min_args, max_args; /* arguments after the options; max_args -1: any number */
	unsigned setup;
	const char *const *db; /* KB_SETUP_STORE: the --db option's value */
	const char *epilogue; /* text after the options in the usage, or NULL */
	/* checks the options and arguments before any setup (NULL: none); an exit status */
	int (*check)(int argc, const char **argv);
	int (*run)(struct kb_ctx *ctx, int argc, const char **argv);
	int usage_status; /* the exit status of a usage error (0: KB_EXIT_USAGE) */
};

extern const struct kb_command kb_cmd_size, kb_cmd_syms, kb_cmd_diff, kb_cmd_record, kb_cmd_blame,
	kb_cmd_history, kb_cmd_db, kb_cmd_show, kb_cmd_top, kb_cmd_merge, kb_cmd_collect,
	kb_cmd_bisect, kb_cmd_bisect_run, kb_cmd_budget, kb_cmd_ci, kb_cmd_plot, kb_cmd_site,
	kb_cmd_modular, kb_cmd_options;

/* Every command, in the order `kbloat help` lists them; NULL-terminated. */
extern const struct kb_command *const kb_commands[];

/*
 * Options several commands take, declared once so that they are spelt, defaulted and
 * explained alike everywhere.
 */
#define KB_DEFAULT_DB "kbloat.db"
#define KB_OPT_DB(v) KB_OPT_STRING(0, "db", (v), "DB", "the database (default " KB_DEFAULT_DB ")")
/*
 * What a command prints: text, or its model as JSON, or a listing's rows as CSV or TSV
 * (report/table.h). --json sets the same int as --format json, so that a command's `int
 * json` is true for JSON alone when it has no --format.
 */
enum kb_format { KB_FMT_TEXT, KB_FMT_JSON, KB_FMT_CSV, KB_FMT_TSV };
#define KB_OPT_JSON(v) KB_OPT_SET_INT(0, "json", (v), KB_FMT_JSON, "JSON instead of text")
/* --format of the commands that list rows; with it, KB_OPT_JSON says "--format json" */
#define KB_OPT_FORMAT(v)                                                              \
	KB_OPT_CALLBACK(0, "format", (v), "FMT",                                      \
			"text (default), json, or the rows as csv (RFC 4180) or tsv", \
			kb_opt_format)
#define KB_OPT_CONFIG(v)                     \
	KB_OPT_STRING(0, "config", (v), "C", \
		      "the recorded config to query (needed when several are)")
#define KB_OPT_SRC(v)                                                               \
	KB_OPT_STRING(0, "src", (v), "TREE",                                        \
		      "the kernel tree: paths relative to it, subsystems from its " \
		      "MAINTAINERS")
/* --arch: kbuild's ARCH; the default is the host's, as kbuild's own */
#define KB_OPT_ARCH(v) \
	KB_OPT_STRING(0, "arch", (v), "ARCH", "kbuild's ARCH (default: this machine's)")
/* --subsystem, --path, --symbol and --class into a struct kb_scope */
#define KB_OPT_SCOPE(sc)                                                                 \
	KB_OPT_CALLBACK(0, "class", &(sc)->cls, "CLASS",                                 \
			"count one class: text, rodata, data, bss, init, percpu, other", \
			kb_opt_class),                                                   \
		KB_OPT_STRING(0, "subsystem", &(sc)->subsystem, "S",                     \
			      "only subsystem S (as MAINTAINERS names it)"),             \
		KB_OPT_STRING(0, "path", &(sc)->path, "P",                               \
			      "only file P, or everything under directory P"),           \
		KB_OPT_STRING(0, "symbol", &(sc)->symbol, "NAME",                        \
			      "only symbol NAME and its compiler clones")
/* --by KEY of an image's breakdown, into an int (enum kb_by) */
#define KB_OPT_BY(v, h) KB_OPT_CALLBACK(0, "by", (v), "KEY", (h), kb_opt_by)

/* The build options of collect, bisect and bisect-run, into a struct kb_collect_opts
 * (pipeline/collect.h), a long for -j and a struct kb_strlist for --make-arg */
#define KB_OPT_BUILD(co, jobs, make_args)                                                         \
	KB_OPT_STRING(0, "workdir", &(co)->workdir, "DIR",                                        \
		      "the work directory (default: DB.work beside the database)"),               \
		KB_OPT_STRING(0, "arch", &(co)->arch, "ARCH",                                     \
			      "kbuild's ARCH (default: $ARCH, else this machine's)"),             \
		KB_OPT_STRING(0, "cross", &(co)->cross, "PREFIX",                                 \
			      "kbuild's CROSS_COMPILE (default: $CROSS_COMPILE)"),                \
		KB_OPT_BOOL(0, "llvm", &(co)->llvm,                                               \
			    "build with clang and lld (LLVM=1; default: $LLVM)"),                 \
		KB_OPT_LIST(0, "make-arg", (make_args), "VAR=VALUE",                              \
			    "a variable for every make (KCFLAGS=-Os, CC=clang): "                 \
			    "part of the config's name"),                                         \
		KB_OPT_POSITIVE('j', NULL, (jobs), "N", "make's jobs (default: the processors)"), \
		KB_OPT_CALLBACK(0, "cc-wrapper", &(co)->cc_wrapper, "W",                          \
				"auto (ccache if on PATH; the default), none, ccache, distcc or " \
				"icecc: CC=\"W gcc\"",                                            \
				kb_opt_cc_wrapper),                                               \
		KB_OPT_CALLBACK(0, "timeout", &(co)->timeout, "T",                                \
				"a build's time limit: 90s, 30m, 2h (default none)",              \
				kb_opt_duration),                                                 \
		KB_OPT_BOOL(                                                                      \
			0, "no-skip", &(co)->no_skip,                                             \
			"run make for every commit, even one that changes no input of the build")

/* Callbacks of the shared options: each parses its argument or prints why it cannot. */
int kb_opt_class(const struct kb_option *opt, const char *arg);
int kb_opt_by(const struct kb_option *opt, const char *arg);
int kb_opt_cc_wrapper(const struct kb_option *opt, const char *arg);
int kb_opt_duration(const struct kb_option *opt, const char *arg);
int kb_opt_format(const struct kb_option *opt, const char *arg);

/* Makes the output directory out (and its parents, as mkdir -p) and returns its absolute path (the caller
 * frees it), or NULL with the error printed. */
char *kb_make_outdir(const char *out);
/* Prints "kbloat: <kb_error_last()>" and returns KB_EXIT_USAGE. */
int kb_report_error(void);
/* Prints "kbloat: <formatted>" to stderr. */
void kb_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kb_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "kbloat: <formatted>" to stderr: what kbloat chose by itself (not an error). */
void kb_notef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes j to stdout (indented, with a final newline) and drops the reference. */
int kb_json_print(json_t *j);
/*
 * Writes what kb_json_print writes of an object whose first member, key, is an array of n
 * rows, then rest's members (rest may be NULL; its reference is dropped): each row made by
 * row(arg, i) when it is written and dropped after, so that 100,000 rows never are one tree
 * (history --json: 150 MB of small objects, and a fifth of its time freeing them).
 */
int kb_json_print_rows(const char *key, size_t n, json_t *(*row)(void *arg, size_t i), void *arg,
		       json_t *rest);
/* Writes rows (a report's kb_*_table, an array of objects) to stdout as fmt asks,
 * KB_FMT_CSV or KB_FMT_TSV (report/table.h), and drops the reference. */
int kb_table_print(json_t *rows, int fmt);
struct kb_maint;
/* Resolves --src TREE (NULL: none) to an absolute path and loads TREE/MAINTAINERS. */
int kb_open_src(const char *arg, char **src, struct kb_maint **maint);
/*
 * An image argument (an image, or a build directory: analyzer/builddir.h) into in; with
 * no_map no map is looked for beside the image. Returns 0 (the caller releases in), or
 * KB_EXIT_USAGE with the error printed.
 */
struct kb_input;
int kb_open_input(struct kb_input *in, const char *arg, int no_map);
/* Once the input was read: says on one line of stderr that the map found beside the image
 * was used (and the tree found with a directory, when src_given, the command's --src, is
 * NULL); nothing when no map was found. */
void kb_input_note(const struct kb_input *in, const char *src_given);
#define KB_OPT_NO_MAP(v)              \
	KB_OPT_BOOL(0, "no-map", (v), \
		    "do not use the linker map found beside the image (IMAGE.map)")

/* Parses a non-negative decimal count; returns -1 on error. */
long kb_parse_count(const char *s);

/*
 * The charts' markers of `plot` and `site`: with repo (--repo DIR, else NULL) its tags whose
 * names match glob (--tags, NULL: all), then each of labels (--label REF=TEXT), REF resolved
 * in repo when there is one, else among the store's commits (a sha or unique prefix). A
 * new array *out of *n (kb_chart_markers_free); errors name the label or the repository and
 * are kb_error_last()'s.
 */
struct kb_chart_marker;
struct kb_store;
int kb_chart_markers(struct kb_store *s, const char *repo, const char *glob,
		     const struct kb_strlist *labels, struct kb_chart_marker **out, size_t *n);
void kb_chart_markers_free(struct kb_chart_marker *v, size_t n);

/* --repo, --tags and --label of `plot` and `site` (their variables: markers_opts) */
struct kb_markers_opts {
	const char *repo, *tags;
	struct kb_strlist labels;
};
#define KB_OPT_MARKERS(mo)                                                                        \
	KB_OPT_STRING(0, "repo", &(mo)->repo, "DIR",                                              \
		      "the repository measured: its tags are marked on the x axis"),              \
		KB_OPT_STRING(0, "tags", &(mo)->tags, "GLOB",                                     \
			      "with --repo, only the tags whose names match GLOB (default all)"), \
		KB_OPT_LIST(0, "label", &(mo)->labels, "REF=TEXT",                                \
			    "a marker TEXT on the x axis at commit REF")

/* --repo of the commands that name a commit of the store (show, top, options, ci, blame) */
#define KB_OPT_REPO_REVS(v)                                                                   \
	KB_OPT_STRING(0, "repo", (v), "DIR",                                                  \
		      "the repository to resolve tags, branches and HEAD~N in (default: the " \
		      "one collect recorded, else the refs it stored)")

/* Prints the error and returns -1 if more than one of --subsystem, --path, --symbol is given. */
int kb_scope_check(const struct kb_scope *sc);

#endif
