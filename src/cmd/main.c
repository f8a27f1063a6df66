/*
 * main.c - the kbloat program: a table of subcommands, as git's git.c.
 */
#include "kbloat.h"

#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
	"usage: kbloat <command> [<args>]\n"
	"\n"
	"  size IMAGE...        Berkeley text/data/bss as size(1), then the kernel split\n"
	"  syms IMAGE           symbols, files, directories or subsystems, largest first\n"
	"  diff OLD NEW         what grew and shrank, as scripts/bloat-o-meter prints it\n"
	"  collect              build a commit range in each config and record it\n"
	"  bisect               the first commit that grew the kernel by a threshold\n"
	"  bisect-run           the same for one commit, as a git bisect run script\n"
	"  record IMAGE         store one build of a commit in the database\n"
	"  blame                the commits that added the most (blame --min 40K)\n"
	"  history              size per commit along the first-parent line\n"
	"  show REV             a recorded build against its parent build\n"
	"  top                  where a recorded build's bytes go\n"
	"  merge OUT IN...      join databases recorded apart (shards)\n"
	"  budget check B IMG   hold images to a size budget\n"
	"  ci                   the nightly report: new commits, regressions, budgets\n"
	"  plot                 trend charts (gnuplot) per config and subsystem\n"
	"  site                 a static site: charts, walls of regressions and thanks\n"
	"  modular              what could leave the core: options, bytes, blockers\n"
	"  db check             integrity and consistency checks of a database\n"
	"\n"
	"kbloat <command> --help shows a command's options; man kbloat has them all.\n";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "size", cmd_size },
	{ "syms", cmd_syms },
	{ "diff", cmd_diff },
	{ "record", cmd_record },
	{ "blame", cmd_blame },
	{ "history", cmd_history },
	{ "db", cmd_db },
	{ "show", cmd_show },
	{ "top", cmd_top },
	{ "merge", cmd_merge },
	{ "collect", cmd_collect },
	{ "bisect", cmd_bisect },
	{ "bisect-run", cmd_bisect_run },
	{ "budget", cmd_budget },
	{ "ci", cmd_ci },
	{ "plot", cmd_plot },
	{ "site", cmd_site },
	{ "modular", cmd_modular },
};

char *kb_make_outdir(const char *out)
{
	char *dir;

	if (mkdir(out, 0777) && errno != EEXIST) {
		kb_errorf("%s: cannot create the directory: %s", out, strerror(errno));
		return NULL;
	}
	dir = realpath(out, NULL);
	if (!dir)
		kb_errorf("%s: %s", out, strerror(errno));
	return dir;
}

int kb_report_error(void)
{
	fprintf(stderr, "kbloat: %s\n", kb_error_last());
	return KB_EXIT_USAGE;
}

void kb_errorf(const char *fmt, ...)
{
	va_list ap;

	fputs("kbloat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void kb_warnf(const char *fmt, ...)
{
	va_list ap;

	fputs("kbloat: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int kb_usage(const char *usage)
{
	fputs(usage, stderr);
	return KB_EXIT_USAGE;
}

int kb_json_print(json_t *j)
{
	int rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	json_decref(j);
	fputc('\n', stdout);
	return rc ? KB_EXIT_USAGE : KB_EXIT_OK;
}

json_t *kb_json_u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

json_t *kb_json_addr(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}

long kb_parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -1;
	return v;
}

long kb_limit_arg(const char *arg)
{
	long v = kb_parse_count(arg);

	if (v < 1) {
		kb_errorf("--limit %s: not a positive count", arg);
		return -1;
	}
	return v;
}

int main(int argc, char **argv)
{
	size_t i;
	int rc;

	if (argc < 2)
		return kb_usage(usage_text);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return KB_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("kbloat %s\n", KB_VERSION);
		return KB_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		rc = commands[i].fn(argc - 1, argv + 1);
		if (fflush(stdout) && rc == KB_EXIT_OK) {
			kb_errorf("stdout: %s", strerror(errno));
			rc = KB_EXIT_USAGE;
		}
		return rc;
	}
	kb_errorf("'%s' is not a kbloat command; see 'kbloat --help'", argv[1]);
	return KB_EXIT_USAGE;
}
