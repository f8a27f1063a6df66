/*
 * kbloat.h - what the subcommands share: their entry points, exit statuses, and the small
 * helpers of the program's edge (error reporting, JSON output).
 */
#ifndef KBLOAT_H
#define KBLOAT_H

#include "files.h"

#include <jansson.h>
#include <stdint.h>

/* Exit statuses, everywhere (the design's §8; kbloat(1) EXIT STATUS). */
enum {
	KB_EXIT_OK = 0,
	KB_EXIT_THRESHOLD = 1, /* a budget or threshold broken; "bad" in bisect */
	KB_EXIT_USAGE = 2, /* usage or input error */
	KB_EXIT_SKIP = 125, /* bisect: this commit cannot be tested */
};

int cmd_size(int argc, char **argv);
int cmd_syms(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_blame(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_collect(int argc, char **argv);
int cmd_bisect(int argc, char **argv);
int cmd_bisect_run(int argc, char **argv);
int cmd_budget(int argc, char **argv);
int cmd_ci(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_site(int argc, char **argv);
int cmd_modular(int argc, char **argv);

/* Makes the output directory out (if missing) and returns its absolute path (the caller
 * frees it), or NULL with the error printed. */
char *kb_make_outdir(const char *out);
/* Prints "kbloat: <kb_error_last()>" and returns KB_EXIT_USAGE. */
int kb_report_error(void);
/* Prints "kbloat: <formatted>" to stderr. */
void kb_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kb_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the usage text to stderr and returns KB_EXIT_USAGE. */
int kb_usage(const char *usage);
/* Writes j to stdout (indented, with a final newline) and drops the reference. */
int kb_json_print(json_t *j);
/* A JSON integer from a byte count (jansson's json_int_t is long long). */
json_t *kb_json_u64(uint64_t v);
/* An address as a JSON string "0xffffffff81000000" (JSON numbers cannot hold them all). */
json_t *kb_json_addr(uint64_t v);
struct kb_maint;
struct kb_bom;
/* bloat-o-meter's text of one block ("Function", "Data", ...), and the same as JSON */
void kb_print_bom(const struct kb_bom *b, const char *title);
json_t *kb_bom_json(const struct kb_bom *b, const char *title);
/* (after - before) * 100 / before, as bloat-o-meter computes its "chg" */
double kb_change_percent(uint64_t before, uint64_t after);
/* Resolves --src TREE (NULL: none) to an absolute path and loads TREE/MAINTAINERS. */
int kb_open_src(const char *arg, char **src, struct kb_maint **maint);
/* Parses the KEY of --by KEY; prints the error and returns -1 if it names no grouping. */
int kb_by_arg(const char *arg);
/* Parses --limit N (a positive count); prints the error and returns -1 if it is not one. */
long kb_limit_arg(const char *arg);
/* Parses a non-negative decimal count; returns -1 on error. */
long kb_parse_count(const char *s);

/* Scope options (--subsystem, --path, --symbol, --class) */
struct kb_scope;
/*
 * Takes getopt's code c of a scope option ('s' --subsystem, 'p' --path, 'y' --symbol,
 * 'k' --class): 1 if it was one, 0 if not, -1 (error printed) on
 * a class that is not one.
 */
int kb_scope_opt(struct kb_scope *sc, int c, const char *arg);
/* Prints the error and returns -1 if more than one of --subsystem, --path, --symbol is given. */
int kb_scope_check(const struct kb_scope *sc);

/* to move into the reports */
struct kb_store;
struct kb_items;
/*
 * Prints blame's answer: the builds of config_id (in range A..B if given) whose change in
 * scope sc is at least min, largest first, at most limit, with their top symbols and
 * subsystems; as text or JSON. Returns an exit status (errors printed).
 */
int kb_blame_report(struct kb_store *s, int64_t config_id, const struct kb_scope *sc, int64_t min,
		    long limit, const char *range, int json);

/* The 3 items (or, with subsystems, subsystems) of build that grew the most, appended to out
 * as {"name", "delta"[, "file"]}. */
int kb_blame_top(struct kb_store *s, int64_t build, int subsystems, json_t *out);
/*
 * Draws the charts of configs names into outdir (kbloat plot): CONFIG-size and
 * CONFIG-subsystems per config, compare for several; formats: 1 png, 2 svg, 3 both. Adds the
 * number of charts written to *written.
 */
int kb_plot_charts(struct kb_store *s, const struct kb_items *it, json_t *names, const char *outdir,
		   int formats, int top, int annotate, size_t *written);

#endif
