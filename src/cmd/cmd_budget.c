/*
 * cmd_budget.c - `kbloat budget check BUDGET IMAGE...`: images held to a budget file without a
 * database; each limit with its use and headroom; exit 1 when one is broken.
 */
#include "kbloat.h"

#include "analysis.h"
#include "budget.h"
#include "error.h"
#include "escape.h"
#include "json.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *target, *src_arg, *map;
static int json;

static const struct kb_option options[] = {
	KB_OPT_STRING(0, "target", &target, "NAME",
		      "the budget's target to hold the images to (default: its only one)"),
	KB_OPT_STRING(0, "src", &src_arg, "TREE",
		      "the kernel tree, for subsystem limits (MAINTAINERS)"),
	KB_OPT_STRING(0, "map", &map, "FILE", "the image's linker map (one image only)"),
	KB_OPT_FORMAT(&json),
	KB_OPT_JSON(&json),
	KB_OPT_END(),
};

/* Holds each image to t: its limits printed, or appended to out (an object per image for
 * JSON, a row per limit for a table), the broken ones counted. */
static int check_images(const struct kb_budget_target *t, const struct kb_analysis_opts *ao,
			const char **images, int n, json_t *out, size_t *broken)
{
	int subsystems = kb_budget_needs_subsystems(t), i;

	for (i = 0; i < n; i++) {
		struct kb_limit_result *res = xcalloc(t->nlimits + 1, sizeof(*res));
		struct kb_image_measure im;

		if (kb_image_measure(&im, images[i], ao, subsystems)) {
			kb_image_measure_release(&im);
			free(res);
			return KB_ERR;
		}
		if (im.a->warning[0])
			kb_warnf("%s", im.a->warning);
		*broken += kb_budget_check(t, &im.m, res);
		if (json == KB_FMT_JSON) {
			json_array_append_new(out, json_pack("{s:o,s:o,s:o}", "image",
							     kb_json_str(images[i]), "target",
							     kb_json_str(t->name), "limits",
							     kb_budget_json(t, res)));
		} else if (json) { /* a row per limit, under its image and target */
			json_t *limits = kb_budget_json(t, res), *l;
			size_t k;

			json_array_foreach(limits, k, l)
			{
				json_t *r = json_pack("{s:o,s:o}", "image", kb_json_str(images[i]),
						      "target", kb_json_str(t->name));

				json_object_update(r, l);
				json_array_append_new(out, r);
			}
			json_decref(limits);
		} else {
			struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;

			/* names from the budget file and paths: no control bytes to a terminal */
			printf("%s: budget %s%s%s%s\n", kb_text(&a, images[i]),
			       kb_text(&b, t->name), t->config ? " (" : "",
			       t->config ? kb_text(&c, t->config) : "", t->config ? ")" : "");
			strbuf_release(&a);
			strbuf_release(&b);
			strbuf_release(&c);
			kb_budget_write_text(stdout, t, res);
		}
		free(res);
		kb_image_measure_release(&im);
	}
	return 0;
}

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	const char *path = argv[1];
	const struct kb_budget_target *t;
	struct kb_analysis_opts ao = { 0 };
	struct kb_budget b;
	struct kb_maint *maint = NULL;
	char *src = NULL;
	json_t *out = NULL;
	size_t broken = 0;
	int rc;

	(void)ctx;
	if (strcmp(argv[0], "check")) {
		kb_errorf("budget %s: not a budget command (check)", argv[0]);
		return KB_EXIT_USAGE;
	}
	if (map && argc != 3) {
		kb_errorf("budget check: --map FILE holds one image only");
		return KB_EXIT_USAGE;
	}
	if (kb_budget_read(&b, path))
		return kb_report_error();
	t = kb_budget_target(&b, target, path);
	if (!t) {
		kb_budget_release(&b);
		return kb_report_error();
	}
	rc = kb_open_src(src_arg, &src, &maint);
	if (rc)
		goto out;
	ao.src = src;
	ao.maint = maint;
	ao.map = map;
	if (json)
		out = json_array();
	if (check_images(t, &ao, argv + 2, argc - 2, out, &broken)) {
		rc = kb_report_error();
		goto out;
	}
	if (json == KB_FMT_JSON) {
		rc = kb_json_print(json_pack("{s:o,s:b,s:o}", "budget", kb_json_str(path), "ok",
					     !broken, "images", out));
		out = NULL;
		if (rc)
			goto out;
	} else if (json) {
		rc = kb_table_print(out, json);
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

const struct kb_command kb_cmd_budget = {
	.name = "budget",
	.summary = "hold images to a size budget",
	.usage = (const char *const[]){ "budget check BUDGET [--target NAME] [--src TREE] "
					"[--map FILE] [--json] [--format FMT]\n"
					"                           IMAGE...",
					NULL },
	.options = options,
	.min_args = 3,
	.max_args = -1,
	.run = run,
};
