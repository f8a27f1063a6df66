/*
 * budget.h - size budgets: a JSON file (schema/budget.schema.json) of targets, each with
 * limits on the total, on classes or sums of classes ("text+rodata+data"), on subsystems,
 * and on the growth one commit may bring; checked against a measured image.
 *
 *   { "targets": [ { "name": "thinvisor", "config": "tinyconfig",
 *                    "max_total": "80K",
 *                    "max_class": { "text+rodata+data": "16K", "bss": "64K" },
 *                    "max_subsystem": { "PRINTK": "40K" },
 *                    "max_growth_per_commit": "4K" } ] }
 *
 * "max_boot_image", "max_boot_payload" and "max_modules" limit what collect --boot-image and
 * --modules record: ci checks them against the store; an image alone has none to check.
 *
 * Sizes are byte counts or kbloat's sizes ("16K", "1.5M", binary units). Errors name the
 * file and the place in it.
 */
#ifndef KB_BUDGET_H
#define KB_BUDGET_H

#include "analysis.h"
#include "image.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct kb_limit {
	char *what; /* "total", "text+rodata+data", "subsystem PRINTK", "growth per commit" */
	int kind; /* KB_LIMIT_* */
	unsigned cls_mask; /* KB_LIMIT_CLASS: 1 << class for each class summed */
	char *subsystem; /* KB_LIMIT_SUBSYSTEM */
	uint64_t max;
};

enum {
	KB_LIMIT_TOTAL,
	KB_LIMIT_CLASS,
	KB_LIMIT_SUBSYSTEM,
	KB_LIMIT_GROWTH,
	KB_LIMIT_BOOT, /* the boot image's file (collect --boot-image) */
	KB_LIMIT_PAYLOAD, /* its compressed kernel */
	KB_LIMIT_MODULES, /* the modules' bytes (collect --modules) */
};

struct kb_budget_target {
	char *name, *config; /* config: the recorded config it holds to (ci), or NULL */
	struct kb_limit *limits;
	size_t nlimits;
};

struct kb_budget {
	struct kb_budget_target *targets;
	size_t ntargets;
};

/* Reads a budget file. Returns 0, or KB_ERR: "FILE: targets[0].max_class.txt: not a class". */
int kb_budget_read(struct kb_budget *b, const char *path);
void kb_budget_release(struct kb_budget *b);
/* The target named name (NULL: the only one); NULL with the error set if none or several. */
const struct kb_budget_target *kb_budget_target(const struct kb_budget *b, const char *name,
						const char *path);

/* What a limit is checked against. */
struct kb_measure {
	uint64_t total, cls[KB_CLS_NR];
	/* subsystem sizes: names and bytes, n of them */
	const char *const *sub_names;
	const uint64_t *sub_bytes;
	size_t nsubs;
	int have_growth; /* the largest growth one commit brought (ci, from the store) */
	int64_t growth;
	/* what the build made besides vmlinux (ci, from the store; schema 008) */
	int have_boot, have_payload, have_modules;
	uint64_t boot_bytes, boot_payload, mod_total;
};

struct kb_limit_result {
	const struct kb_limit *limit;
	int checked; /* 0: nothing to check it against (growth without a history) */
	int64_t used, headroom; /* headroom = max - used: negative when broken */
};

/* Checks every limit of t against m into res (t->nlimits of them). Returns how many broke. */
size_t kb_budget_check(const struct kb_budget_target *t, const struct kb_measure *m,
		       struct kb_limit_result *res);

/* Writes the limits of t with their use, max and headroom, "OVER" where broken. */
void kb_budget_write_text(FILE *f, const struct kb_budget_target *t,
			  const struct kb_limit_result *res);

/* The results as JSON: [{"limit", "used", "max", "headroom", "ok"}...]. */
json_t *kb_budget_json(const struct kb_budget_target *t, const struct kb_limit_result *res);

/* 1 if a limit of t is on a subsystem: measuring an image for it needs its DWARF. */
int kb_budget_needs_subsystems(const struct kb_budget_target *t);

/* An image measured as a budget needs it (m); the rest keeps what m points to. */
struct kb_image_measure {
	struct kb_measure m;
	struct kb_analysis *a;
	struct kb_groups gs;
	const char **names;
	uint64_t *bytes;
};

/*
 * Measures the image at path (with ao's tree, MAINTAINERS and map; ao->no_dwarf is set
 * unless subsystems are asked for): its total and classes, and with subsystems its bytes
 * per subsystem. Release im with kb_image_measure_release (also after an error).
 */
int kb_image_measure(struct kb_image_measure *im, const char *path,
		     const struct kb_analysis_opts *ao, int subsystems);
void kb_image_measure_release(struct kb_image_measure *im);

#endif
