/*
 * cmd_diff.c - `kbloat diff OLD NEW`: by default the text scripts/bloat-o-meter prints for
 * the pair, byte for byte, because kernel developers paste it into commit messages; -c, -d
 * and -t as bloat-o-meter has them. The script changed with the kernel (from 6.6 weak
 * symbols count): the text follows the script of --bom-version, else of the --src tree's
 * Makefile, else of the version NEW's (then OLD's) linux_banner says, else 6.1's.
 * --by file|dir|subsystem|class rolls the analyzer's breakdown of each image up and diffs
 * that: those totals are the images' totals.
 */
#include "kbloat.h"
#include "json.h"
#include "table.h"

#include "analysis.h"
#include "bloatometer.h"
#include "builddir.h"
#include "kversion.h"
#include "rollup.h"
#include "error.h"
#include "strtab.h"
#include "xalloc.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The script to follow: kver if given (nonzero), else NEW's banner, OLD's, or 6.1's. */
static unsigned bom_kver(unsigned kver, const struct kb_image *old, const struct kb_image *new)
{
	if (kver)
		return kver;
	if (!kb_kver_of_image(&kver, new) || !kb_kver_of_image(&kver, old))
		return kver;
	return KB_KVER(6, 1);
}

/* bloat-o-meter's blocks per mode (its last lines): a title and which of a version's sets */
#define SET(f) offsetof(struct kb_bom_sets, f)
static const struct {
	int mode;
	const char *title;
	size_t set;
} blocks[] = {
	{ 0, "Function", SET(all) },  { 'c', "Function", SET(function) },
	{ 'c', "Data", SET(data_c) }, { 'c', "RO Data", SET(rodata) },
	{ 'd', "Data", SET(data) },   { 't', "Function", SET(function) },
};

static int diff_bom(const char *oldp, const char *newp, int mode, unsigned kver, int json)
{
	struct kb_image *old = NULL, *new = NULL;
	json_t *arr = json ? json_array() : NULL, *table = json ? json_array() : NULL;
	const struct kb_bom_sets *sets;
	int rc = KB_EXIT_OK;
	size_t i;

	if (kb_image_open(&old, oldp) || kb_image_open(&new, newp)) {
		rc = kb_report_error();
		goto out;
	}
	if ((!old->nsyms && !old->is_archive) || (!new->nsyms && !new->is_archive)) {
		kb_errorf("%s: no symbol table (a stripped image cannot be diffed)",
			  !old->nsyms && !old->is_archive ? oldp : newp);
		rc = KB_EXIT_USAGE;
		goto out;
	}
	kver = bom_kver(kver, old, new);
	sets = kb_bom_sets_for(kver);
	for (i = 0; i < ARRAY_SIZE(blocks); i++) {
		const char *types = *(const char *const *)((const char *)sets + blocks[i].set);
		struct kb_bom b;

		if (blocks[i].mode != mode)
			continue;
		kb_bom_compute(&b, old, new, types);
		if (json) {
			json_array_append_new(arr, kb_bom_json(&b, blocks[i].title));
			/* as a table: each block's rows, under its type (Function, Data...) */
			kb_table_append(table, blocks[i].title, kb_bom_rows_json(&b));
		} else {
			kb_bom_write_text(stdout, &b, blocks[i].title);
		}
		kb_bom_release(&b);
	}
	if (json == KB_FMT_JSON) {
		char v[16];

		snprintf(v, sizeof(v), "%u.%u", KB_KVER_MAJOR(kver), KB_KVER_MINOR(kver));
		rc = kb_json_print(json_pack("{s:o,s:o,s:s,s:s,s:b,s:o}", "old", kb_json_str(oldp),
					     "new", kb_json_str(newp), "mode", "bloat-o-meter",
					     "bom_version", v, "weak", kver >= KB_BOM_WEAK_SINCE,
					     "blocks", arr));
		arr = NULL;
	} else if (json) {
		rc = kb_table_print(table, json);
		table = NULL;
	}
out:
	json_decref(arr);
	json_decref(table);
	kb_image_free(old);
	kb_image_free(new);
	return rc;
}

static void add_side(struct kb_rollup *r, const struct kb_analysis *a, enum kb_by by, int is_new)
{
	struct kb_groups gs;
	size_t i;

	kb_groups_build(&gs, a, by);
	for (i = 0; i < gs.n; i++)
		kb_rollup_add(r, gs.g[i].key, is_new ? 0 : gs.g[i].bytes,
			      is_new ? gs.g[i].bytes : 0);
	kb_groups_release(&gs);
}

static int diff_rollup(const char *oldp, const char *newp, enum kb_by by, int json,
		       struct kb_analysis_opts *oo, struct kb_analysis_opts *no)
{
	struct kb_analysis *old = NULL, *new = NULL;
	struct kb_rollup r = KB_ROLLUP_INIT;
	int rc = KB_EXIT_OK;

	if (kb_analysis_run(&old, oldp, oo)) {
		rc = kb_report_error();
		goto out;
	}
	if (old->warning[0])
		kb_warnf("%s", old->warning);
	if (kb_analysis_run(&new, newp, no)) {
		rc = kb_report_error();
		goto out;
	}
	if (new->warning[0])
		kb_warnf("%s", new->warning);
	add_side(&r, old, by, 0);
	add_side(&r, new, by, 1);
	kb_rollup_sort(&r);
	if (json == KB_FMT_JSON) {
		rc = kb_json_print(json_pack("{s:o,s:o,s:s,s:o,s:I,s:I}", "old", kb_json_str(oldp),
					     "new", kb_json_str(newp), "by", kb_by_name(by), "rows",
					     kb_rollup_json(&r), "total_before",
					     (json_int_t)old->bd->total, "total_after",
					     (json_int_t) new->bd->total));
		goto out;
	}
	if (json) {
		rc = kb_table_print(kb_rollup_json(&r), json);
		goto out;
	}
	kb_rollup_write_text(stdout, &r, kb_by_name(by));
	printf("Total: Before=%llu, After=%llu, chg %+.2f%%\n", (unsigned long long)old->bd->total,
	       (unsigned long long)new->bd->total,
	       kb_change_percent(old->bd->total, new->bd->total));
out:
	kb_rollup_release(&r);
	kb_analysis_free(old);
	kb_analysis_free(new);
	return rc;
}

static struct kb_analysis_opts oo, no;
static const char *src_arg, *bom_version;
static const char *nm_prefix;
static int mode, by = -1, json, no_map;

/* -c, -d, -t: bloat-o-meter's modes, one at most */
static int opt_mode(const struct kb_option *opt, const char *arg)
{
	(void)arg;
	if (mode && mode != opt->short_name) {
		kb_errorf("-c, -d and -t exclude each other");
		return -1;
	}
	mode = opt->short_name;
	return 0;
}

#define OPT_MODE(c, h)                                                              \
	{                                                                           \
		KB_OT_CALLBACK, (c), NULL, &mode, NULL, (h), KB_OPT_NOARG, opt_mode \
	}

static const struct kb_option options[] = {
	OPT_MODE('c', "categorize: functions, data and read-only data apart"),
	OPT_MODE('d', "data symbols only (bss, data, rodata)"),
	OPT_MODE('t', "text symbols only"),
	KB_OPT_BY(&by, "roll deltas up by file, dir, subsystem, class, section or symbol"),
	KB_OPT_STRING(0, "old-map", &oo.map, "FILE", "linker map of OLD (for --by without DWARF)"),
	KB_OPT_STRING(0, "new-map", &no.map, "FILE", "linker map of NEW"),
	KB_OPT_BOOL(0, "no-map", &no_map,
		    "with --by, do not use the linker maps found beside the images"),
	KB_OPT_SRC(&src_arg),
	KB_OPT_STRING(0, "bom-version", &bom_version, "V",
		      "follow the bloat-o-meter of Linux V (6.1, 6.12): from 6.6 weak symbols "
		      "count; default: --src's, else what the images' linux_banner says"),
	KB_OPT_STRING('p', NULL, &nm_prefix, "PREFIX",
		      "bloat-o-meter's cross nm prefix (aarch64-linux-gnu-): accepted, and not "
		      "needed, as kbloat reads every architecture's ELF itself"),
	KB_OPT_FORMAT(&json),
	KB_OPT_JSON(&json),
	KB_OPT_END(),
};

/* The bloat-o-meter diff: the script of --bom-version, else of the --src tree, else found. */
static int run_bom(const char *oldp, const char *newp)
{
	unsigned kver = 0;

	if (bom_version && kb_kver_parse(&kver, bom_version)) {
		kb_errorf("--bom-version %s", kb_error_last());
		return KB_EXIT_USAGE;
	}
	if (!kver && src_arg && kb_kver_of_tree(&kver, src_arg))
		return kb_report_error();
	return diff_bom(oldp, newp, mode, kver, json);
}

/* The tree of --src, else the one found with NEW's build directory, else with OLD's. */
static const char *tree_of(const struct kb_input *old, const struct kb_input *new)
{
	return src_arg ? src_arg : new->src ? new->src : old->src;
}

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct kb_input old = { 0 }, new = { 0 };
	char *src = NULL;
	int rc;

	(void)ctx;
	(void)argc;
	if (by < 0 && (oo.map || no.map)) {
		/* bloat-o-meter's diff reads the symbol tables only: a map would be ignored */
		kb_errorf("%s needs --by (the bloat-o-meter diff reads symbols only)",
			  oo.map ? "--old-map" : "--new-map");
		return KB_EXIT_USAGE;
	}
	if (by >= 0 && bom_version) {
		kb_errorf("--bom-version and --by exclude each other");
		return KB_EXIT_USAGE;
	}
	if (by >= 0 && mode) {
		kb_errorf("-%c and --by exclude each other", mode);
		return KB_EXIT_USAGE;
	}
	rc = kb_open_input(&old, argv[0], by < 0 || no_map || oo.map);
	if (!rc)
		rc = kb_open_input(&new, argv[1], by < 0 || no_map || no.map);
	if (rc)
		goto out;
	if (by < 0) {
		if (!src_arg && (new.src || old.src))
			src_arg = tree_of(&old, &new);
		rc = run_bom(old.image, new.image);
		goto out;
	}
	rc = kb_open_src(tree_of(&old, &new), &src, &oo.maint);
	if (rc)
		goto out;
	oo.src = no.src = src;
	no.maint = oo.maint;
	oo.obj = old.obj;
	no.obj = new.obj;
	if (!oo.map)
		oo.map = old.map;
	if (!no.map)
		no.map = new.map;
	rc = diff_rollup(old.image, new.image, by, json, &oo, &no);
	if (!rc) {
		kb_input_note(&old, src_arg);
		kb_input_note(&new, src_arg);
	}
	kb_maint_free(oo.maint);
out:
	kb_input_release(&old);
	kb_input_release(&new);
	free(src);
	return rc;
}

const struct kb_command kb_cmd_diff = {
	.name = "diff",
	.summary = "what grew and shrank, as scripts/bloat-o-meter prints it",
	.usage = (const char *const[]){ "diff [options] OLD NEW", NULL },
	.options = options,
	.min_args = 2,
	.max_args = 2,
	.run = run,
};
