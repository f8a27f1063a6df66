/*
 * cmd_diff.c - `kbloat diff OLD NEW`: by default the text scripts/bloat-o-meter prints for
 * the pair, byte for byte, because kernel developers paste it into commit messages; -c, -d
 * and -t as bloat-o-meter has them. --by file|dir|subsystem|class rolls the analyzer's
 * breakdown of each image up and diffs that: those totals are the images' totals.
 */
#include "kbloat.h"

#include "analysis.h"
#include "bloatometer.h"
#include "rollup.h"
#include "error.h"
#include "strtab.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char diff_usage[] =
	"usage: kbloat diff [options] OLD NEW\n"
	"\n"
	"  -c              categorize: functions, data and read-only data apart\n"
	"  -d              data symbols only (bss, data, rodata)\n"
	"  -t              text symbols only\n"
	"  --by KEY        roll deltas up by file, dir, subsystem, class, section or symbol\n"
	"  --old-map FILE  linker map of OLD (for --by without DWARF)\n"
	"  --new-map FILE  linker map of NEW\n"
	"  --src TREE      kernel tree: paths relative to it, subsystems from its MAINTAINERS\n"
	"  --json          JSON instead of text\n";

static int diff_bom(const char *oldp, const char *newp, int mode, int json)
{
	static const struct {
		int mode;
		const char *title, *types;
	} blocks[] = {
		{ 0, "Function", KB_BOM_ALL },	{ 'c', "Function", KB_BOM_FUNCTION },
		{ 'c', "Data", KB_BOM_DATA_C }, { 'c', "RO Data", KB_BOM_RODATA },
		{ 'd', "Data", KB_BOM_DATA },	{ 't', "Function", KB_BOM_FUNCTION },
	};
	struct kb_image *old = NULL, *new = NULL;
	json_t *arr = json ? json_array() : NULL;
	int rc = KB_EXIT_OK;
	size_t i;

	if (kb_image_open(&old, oldp) || kb_image_open(&new, newp)) {
		rc = kb_report_error();
		goto out;
	}
	if (!old->nsyms || !new->nsyms) {
		kb_errorf("%s: no symbol table (a stripped image cannot be diffed)",
			  !old->nsyms ? oldp : newp);
		rc = KB_EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(blocks); i++) {
		struct kb_bom b;

		if (blocks[i].mode != mode)
			continue;
		kb_bom_compute(&b, old, new, blocks[i].types);
		if (json)
			json_array_append_new(arr, kb_bom_json(&b, blocks[i].title));
		else
			kb_bom_write_text(stdout, &b, blocks[i].title);
		kb_bom_release(&b);
	}
	if (json) {
		rc = kb_json_print(json_pack("{s:s,s:s,s:s,s:o}", "old", oldp, "new", newp, "mode",
					     "bloat-o-meter", "blocks", arr));
		arr = NULL;
	}
out:
	json_decref(arr);
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

	if (kb_analysis_run(&old, oldp, oo) || kb_analysis_run(&new, newp, no)) {
		rc = kb_report_error();
		goto out;
	}
	add_side(&r, old, by, 0);
	add_side(&r, new, by, 1);
	kb_rollup_sort(&r);
	if (json) {
		rc = kb_json_print(json_pack("{s:s,s:s,s:s,s:o,s:I,s:I}", "old", oldp, "new", newp,
					     "by", kb_by_name(by), "rows", kb_rollup_json(&r),
					     "total_before", (json_int_t)old->bd->total,
					     "total_after", (json_int_t) new->bd->total));
		goto out;
	}
	kb_rollup_print(&r, kb_by_name(by));
	printf("Total: Before=%llu, After=%llu, chg %+.2f%%\n", (unsigned long long)old->bd->total,
	       (unsigned long long)new->bd->total,
	       kb_change_percent(old->bd->total, new->bd->total));
out:
	kb_rollup_release(&r);
	kb_analysis_free(old);
	kb_analysis_free(new);
	return rc;
}

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "old-map", required_argument, NULL, 'O' },
		{ "new-map", required_argument, NULL, 'N' },
		{ "src", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kb_analysis_opts oo = { 0 }, no = { 0 };
	const char *src_arg = NULL;
	char *src = NULL;
	int c, mode = 0, by = -1, json = 0, rc;

	while ((c = getopt_long(argc, argv, "cdth", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
		case 'd':
		case 't':
			if (mode && mode != c) {
				kb_errorf("-c, -d and -t exclude each other");
				return KB_EXIT_USAGE;
			}
			mode = c;
			break;
		case 'b':
			by = kb_by_arg(optarg);
			if (by < 0)
				return KB_EXIT_USAGE;
			break;
		case 'j':
			json = 1;
			break;
		case 'O':
			oo.map = optarg;
			break;
		case 'N':
			no.map = optarg;
			break;
		case 's':
			src_arg = optarg;
			break;
		case 'h':
			fputs(diff_usage, stdout);
			return KB_EXIT_OK;
		default:
			return kb_usage(diff_usage);
		}
	}
	if (argc - optind != 2)
		return kb_usage(diff_usage);
	if (by < 0)
		return diff_bom(argv[optind], argv[optind + 1], mode, json);
	if (mode) {
		kb_errorf("-%c and --by exclude each other", mode);
		return KB_EXIT_USAGE;
	}
	rc = kb_open_src(src_arg, &src, &oo.maint);
	if (rc)
		return rc;
	oo.src = no.src = src;
	no.maint = oo.maint;
	rc = diff_rollup(argv[optind], argv[optind + 1], by, json, &oo, &no);
	kb_maint_free(oo.maint);
	free(src);
	return rc;
}

/* FIXME(issue 14): parses its own options until it moves onto the option table */
const struct kb_command kb_cmd_diff = {
	.name = "diff",
	.summary = "what grew and shrank, as scripts/bloat-o-meter prints it",
	.usage = (const char *const[]){ "diff [options] OLD NEW", NULL },
	.legacy = cmd_diff,
};
