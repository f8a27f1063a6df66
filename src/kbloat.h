/*
 * kbloat.h - what the subcommands share: their entry points, exit statuses, and the small
 * helpers of the program's edge (error reporting, JSON output).
 */
#ifndef KBLOAT_H
#define KBLOAT_H

#include <jansson.h>
#include <stdint.h>

/* Exit statuses, everywhere (DESIGN.md §8). */
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

/* A directory of kbloat's data (config fragments, gnuplot scripts): $env if set, else the
 * source tree's (a build run in place), else the installed one. */
const char *kb_data_dir(const char *env, const char *source, const char *installed);
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

#endif
