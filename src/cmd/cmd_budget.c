/*
 * cmd_budget.c - `kbloat budget check BUDGET IMAGE...`: images held to a budget file without a
 * database; each limit with its use and headroom; exit 1 when one is broken.
 */
#include "kbloat.h"

#include "analysis.h"
#include "budget.h"
#include "error.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char budget_usage[] =
	"usage: kbloat budget check BUDGET [--target NAME] [--src TREE] [--map FILE] [--json]\n"
	"                           IMAGE...\n"
	"\n"
	"  --target NAME  the budget's target to hold the images to (default: its only one)\n"
	"  --src TREE     the kernel tree, for subsystem limits (MAINTAINERS)\n"
	"  --map FILE     the image's linker map (one image only)\n";

/* The sizes a budget needs of one image: classes, and subsystems when asked for. */
static int measure_image(const char *image, const char *src, struct kb_maint *maint,
			 const char *map, int subsystems, struct kb_analysis **a,
			 struct kb_groups *gs, struct kb_measure *m, const char ***names,
			 uint64_t **bytes)
{
	struct kb_analysis_opts ao = { 0 };
	size_t i;

	ao.src = src;
	ao.maint = maint;
	ao.map = map;
	ao.no_dwarf = !subsystems;
	if (kb_analysis_run(a, image, &ao))
		return KB_ERR;
	memset(m, 0, sizeof(*m));
	m->total = (*a)->img->total;
	memcpy(m->cls, (*a)->img->cls_size, sizeof(m->cls));
	if (subsystems) {
		kb_groups_build(gs, *a, KB_BY_SUBSYSTEM);
		*names = xcalloc(gs->n + 1, sizeof(**names));
		*bytes = xcalloc(gs->n + 1, sizeof(**bytes));
		for (i = 0; i < gs->n; i++) {
			(*names)[i] = gs->g[i].key;
			(*bytes)[i] = gs->g[i].bytes;
		}
		m->sub_names = *names;
		m->sub_bytes = *bytes;
		m->nsubs = gs->n;
	}
	return 0;
}

static int budget_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "target", required_argument, NULL, 't' }, { "src", required_argument, NULL, 's' },
		{ "map", required_argument, NULL, 'm' },    { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },	    { NULL, 0, NULL, 0 },
	};
	const char *target = NULL, *src_arg = NULL, *map = NULL, *path;
	const struct kb_budget_target *t;
	struct kb_budget b;
	struct kb_maint *maint = NULL;
	char *src = NULL;
	json_t *out = NULL;
	size_t broken = 0, i, k;
	int json = 0, c, rc, subsystems = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			target = optarg;
			break;
		case 's':
			src_arg = optarg;
			break;
		case 'm':
			map = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(budget_usage, stdout);
			return KB_EXIT_OK;
		default:
			return kb_usage(budget_usage);
		}
	}
	if (argc - optind < 2 || (map && argc - optind != 2))
		return kb_usage(budget_usage);
	path = argv[optind++];
	if (kb_budget_read(&b, path))
		return kb_report_error();
	t = kb_budget_target(&b, target, path);
	if (!t) {
		kb_budget_release(&b);
		return kb_report_error();
	}
	for (k = 0; k < t->nlimits; k++)
		subsystems |= t->limits[k].kind == KB_LIMIT_SUBSYSTEM;
	rc = kb_open_src(src_arg, &src, &maint);
	if (rc)
		goto out;
	if (json)
		out = json_array();
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		struct kb_analysis *a = NULL;
		struct kb_groups gs = { 0 };
		struct kb_measure m;
		struct kb_limit_result *res = xcalloc(t->nlimits, sizeof(*res));
		const char **names = NULL;
		uint64_t *bytes = NULL;

		if (measure_image(argv[i], src, maint, map, subsystems, &a, &gs, &m, &names,
				  &bytes)) {
			rc = kb_report_error();
			free(res);
			kb_analysis_free(a);
			goto out;
		}
		broken += kb_budget_check(t, &m, res);
		if (json) {
			json_array_append_new(out,
					      json_pack("{s:s,s:s,s:o}", "image", argv[i], "target",
							t->name, "limits", kb_budget_json(t, res)));
		} else {
			printf("%s: budget %s%s%s%s\n", argv[i], t->name, t->config ? " (" : "",
			       t->config ? t->config : "", t->config ? ")" : "");
			kb_budget_print(t, res);
		}
		free(res);
		free(names);
		free(bytes);
		kb_groups_release(&gs);
		kb_analysis_free(a);
	}
	if (json) {
		rc = kb_json_print(
			json_pack("{s:s,s:b,s:o}", "budget", path, "ok", !broken, "images", out));
		out = NULL;
		if (rc)
			goto out;
	} else {
		printf("%s\n", broken ? "budget broken" : "within budget");
	}
	rc = broken ? KB_EXIT_THRESHOLD : KB_EXIT_OK;
out:
	json_decref(out);
	kb_maint_free(maint);
	free(src);
	kb_budget_release(&b);
	return rc;
}

int cmd_budget(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(budget_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? KB_EXIT_USAGE : KB_EXIT_OK;
	}
	if (strcmp(argv[1], "check")) {
		kb_errorf("budget %s: not a budget command (check)", argv[1]);
		return KB_EXIT_USAGE;
	}
	return budget_check(argc - 1, argv + 1);
}

/* FIXME(issue 14): parses its own options until it moves onto the option table */
const struct kb_command kb_cmd_budget = {
	.name = "budget",
	.summary = "hold images to a size budget",
	.usage = (const char *const[]){ "budget check BUDGET [options] IMAGE...", NULL },
	.legacy = cmd_budget,
};
