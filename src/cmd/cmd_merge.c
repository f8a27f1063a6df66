/*
 * cmd_merge.c - `kbloat merge OUT IN...`: joins databases recorded apart (shards of a range on
 * different machines) into OUT, as if one run had recorded them all (store_merge.h). A build
 * OUT already has is left alone, so merging twice changes nothing.
 */
#include "kbloat.h"

#include "store.h"
#include "store_merge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int json;

static const struct kb_option options[] = {
	KB_OPT_JSON(&json),
	KB_OPT_END(),
};

/* 1 when a and b (stat results; a may be missing) are the same file. */
static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/*
 * Each input once, and never OUT itself (by device and inode, whatever the paths say): a
 * database merged into itself would wait on its own lock. Prints why and returns
 * KB_EXIT_USAGE, or 0.
 */
static int check_inputs(int argc, const char **argv)
{
	struct stat *st = calloc((size_t)argc, sizeof(*st));
	int i, k, rc = 0;

	if (!st)
		return KB_EXIT_USAGE;
	for (i = 0; i < argc && !rc; i++) {
		if (stat(argv[i], &st[i])) {
			if (i && errno == ENOENT) {
				kb_errorf("%s: no such database", argv[i]);
				rc = KB_EXIT_USAGE;
			}
			memset(&st[i], 0, sizeof(st[i])); /* OUT may be new */
			continue;
		}
		for (k = 0; k < i && !rc; k++) {
			if (!st[k].st_ino || !same_file(&st[k], &st[i]))
				continue;
			if (k)
				kb_errorf("%s: the same database as %s, given twice", argv[i],
					  argv[k]);
			else
				kb_errorf("%s: the same database as OUT (%s): nothing to merge",
					  argv[i], argv[0]);
			rc = KB_EXIT_USAGE;
		}
	}
	free(st);
	return rc;
}

/* argv: OUT, then the inputs; OUT is made if missing. */
static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct kb_store *out;
	json_t *arr = json ? json_array() : NULL;
	int i, rc = KB_EXIT_OK;

	(void)ctx;
	rc = check_inputs(argc, argv);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	if (kb_store_open(&out, argv[0], 1)) {
		json_decref(arr);
		return kb_report_error();
	}
	for (i = 1; i < argc; i++) {
		size_t added, had;

		if (kb_store_merge(out, argv[i], &added, &had)) {
			/* what was merged before stays: each build landed in its own transaction */
			rc = kb_report_error();
			break;
		}
		if (json)
			json_array_append_new(arr, json_pack("{s:o,s:I,s:I}", "input",
							     kb_json_str(argv[i]), "added",
							     (json_int_t)added, "already",
							     (json_int_t)had));
		else
			printf("%s: %zu builds added, %zu already there\n", argv[i], added, had);
	}
	if (json && rc == KB_EXIT_OK)
		rc = kb_json_print(
			json_pack("{s:o,s:o}", "output", kb_json_str(argv[0]), "inputs", arr));
	else
		json_decref(arr);
	kb_store_close(out);
	return rc;
}

const struct kb_command kb_cmd_merge = {
	.name = "merge",
	.summary = "join databases recorded apart (shards)",
	.usage = (const char *const[]){ "merge [--json] OUT.db IN.db...", NULL },
	.options = options,
	.min_args = 2,
	.max_args = -1,
	.run = run,
};
