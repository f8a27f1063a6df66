/*
 * test_parse_options.c - the one option parser: what each kind of option stores, the
 * spellings it accepts (--opt value, --opt=value, unique prefixes, -j4, bundled flags,
 * "--"), what it refuses, and that the usage it writes names every option of the table.
 */
#include "check.h"

#include "kbloat.h"

#include <stdio.h>
#include <stdlib.h>

static const char *db, *name;
static int json, flag_c, flag_d;
static long count, positive;
static int64_t size;
static struct kb_strlist list;

static const struct kb_option options[] = {
	KB_OPT_DB(&db),
	KB_OPT_STRING(0, "name", &name, "NAME", "a name"),
	KB_OPT_STRING(0, "names-too", &name, "NAME", "a longer name with the same prefix"),
	KB_OPT_JSON(&json),
	KB_OPT_BOOL('c', NULL, &flag_c, "a flag"),
	KB_OPT_BOOL('d', NULL, &flag_d, "another flag"),
	KB_OPT_COUNT(0, "count", &count, "N", "a count"),
	KB_OPT_POSITIVE('j', NULL, &positive, "N", "a positive count"),
	KB_OPT_SIZE(0, "min", &size, "SIZE", "a size"),
	KB_OPT_LIST(0, "config", &list, "C", "repeatable"),
	KB_OPT_END(),
};

static const struct kb_command cmd = {
	.name = "test",
	.summary = "a command for the parser's test",
	.usage = (const char *const[]){ "test [options] ARG...", NULL },
	.options = options,
};

static void reset(void)
{
	db = name = NULL;
	json = flag_c = flag_d = 0;
	count = positive = 0;
	size = 0;
	kb_strlist_release(&list);
}

/* Parses the words of line (space-separated, no quoting) as argv after "test". */
static int parse(char *line, const char **argv, int max)
{
	int argc = 0;
	char *w, *save = NULL;

	argv[argc++] = "test";
	for (w = strtok_r(line, " ", &save); w && argc < max; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	return kb_parse_options(&cmd, argc, argv);
}

static void every_kind_stores_its_value(void)
{
	char line[] = "--db x.db --json -c --count 0 -j4 --min 40K --config a --config b --name n";
	const char *argv[32];

	reset();
	CHECK(parse(line, argv, 32) == 0);
	CHECK_STR(db, "x.db");
	CHECK(json == 1 && flag_c == 1 && flag_d == 0);
	CHECK(count == 0 && positive == 4);
	CHECK(size == 40960);
	CHECK(list.n == 2);
	CHECK(list.n == 2 && !strcmp(list.v[0], "a") && !strcmp(list.v[1], "b"));
	CHECK_STR(name, "n");
}

static void spellings_and_arguments(void)
{
	char line[] = "first --db=y.db -j 2 -cd second --js -- --name third";
	const char *argv[32];

	reset();
	CHECK(parse(line, argv, 32) == 4);
	CHECK_STR(argv[0], "first");
	CHECK_STR(argv[1], "second");
	CHECK_STR(argv[2], "--name"); /* after "--": arguments */
	CHECK_STR(argv[3], "third");
	CHECK_STR(db, "y.db");
	CHECK(positive == 2 && flag_c && flag_d && json);
	CHECK(name == NULL);
}

static void refusals(void)
{
	static const char *const bad[] = {
		"--nope", /* unknown */
		"--na x", /* ambiguous: --name, --names-too */
		"-x", /* unknown short */
		"--db", /* missing value */
		"--json=1", /* a flag takes no value */
		"-j 0", /* not positive */
		"--count -1", /* not a count */
		"--min 12Q", /* not a size */
		"-j", /* missing value */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char line[64];
		const char *argv[8];

		snprintf(line, sizeof(line), "%s", bad[i]);
		reset();
		CHECK(parse(line, argv, 8) == KB_PARSE_ERROR);
	}
}

static void exact_name_beats_prefix(void)
{
	char line[] = "--name a";
	const char *argv[8];

	reset();
	CHECK(parse(line, argv, 8) == 0);
	CHECK_STR(name, "a");
}

static void help_and_usage(void)
{
	char line[] = "x -h";
	const char *argv[8];
	const struct kb_option *o;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	reset();
	CHECK(parse(line, argv, 8) == KB_PARSE_HELP);
	CHECK(f != NULL);
	if (!f)
		return;
	kb_usage_print(&cmd, f);
	fclose(f);
	CHECK(text && !strncmp(text, "usage: kbloat test [options] ARG...\n", 36));
	for (o = options; o->type != KB_OT_END; o++) {
		char want[64];

		if (o->long_name)
			snprintf(want, sizeof(want), "  --%s", o->long_name);
		else
			snprintf(want, sizeof(want), "  -%c", o->short_name);
		CHECK(text && strstr(text, want));
	}
	CHECK(kb_option_find(options, "min") == &options[8]);
	CHECK(kb_option_find(options, "mi") == NULL);
	free(text);
}

int main(void)
{
	every_kind_stores_its_value();
	spellings_and_arguments();
	refusals();
	exact_name_beats_prefix();
	help_and_usage();
	reset();
	return check_done("test_parse_options");
}
