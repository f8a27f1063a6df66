/*
 * options.c - what the options several commands share parse into; see kbloat.h.
 */
#include "kbloat.h"

#include "analysis.h"
#include "collect.h"
#include "error.h"
#include "image.h"
#include "maintainers.h"
#include "query.h"
#include "strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int kb_opt_class(const struct kb_option *opt, const char *arg)
{
	int cls = kb_class_parse(arg);

	if (cls < 0) {
		kb_errorf("--class %s: not one of text, rodata, data, bss, init, percpu, other",
			  arg);
		return -1;
	}
	*(int *)opt->value = cls;
	return 0;
}

int kb_opt_by(const struct kb_option *opt, const char *arg)
{
	int by = kb_by_parse(arg);

	if (by < 0) {
		kb_errorf("--by %s: not one of symbol, file, dir, subsystem, section, class", arg);
		return -1;
	}
	*(int *)opt->value = by;
	return 0;
}

int kb_opt_cc_wrapper(const struct kb_option *opt, const char *arg)
{
	if (strcmp(arg, "ccache") && strcmp(arg, "distcc") && strcmp(arg, "icecc") &&
	    strcmp(arg, "auto") && strcmp(arg, "none")) {
		kb_errorf("--cc-wrapper %s: not auto, none, ccache, distcc or icecc", arg);
		return -1;
	}
	*(const char **)opt->value = arg;
	return 0;
}

int kb_opt_duration(const struct kb_option *opt, const char *arg)
{
	double t = kb_parse_duration(arg);

	if (t <= 0) {
		kb_errorf("--timeout %s: not a duration (90s, 30m, 2h)", arg);
		return -1;
	}
	*(double *)opt->value = t;
	return 0;
}

int kb_scope_check(const struct kb_scope *sc)
{
	if (!!sc->subsystem + !!sc->path + !!sc->symbol <= 1)
		return 0;
	kb_errorf("--subsystem, --path and --symbol exclude each other");
	return -1;
}

/* Resolves --src to an absolute tree and loads its MAINTAINERS, if it has one. */
int kb_open_src(const char *arg, char **src, struct kb_maint **maint)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;

	*src = NULL;
	*maint = NULL;
	if (!arg)
		return 0;
	*src = realpath(arg, NULL);
	if (!*src || stat(*src, &st) || !S_ISDIR(st.st_mode)) {
		kb_errorf("%s: not a directory (--src wants the kernel source tree)", arg);
		free(*src);
		*src = NULL;
		return KB_EXIT_USAGE;
	}
	strbuf_addf(&sb, "%s/MAINTAINERS", *src);
	if (stat(sb.buf, &st)) {
		kb_warnf("%s: no MAINTAINERS file; subsystems by directory", arg);
	} else if (kb_maint_open(maint, *src)) {
		strbuf_release(&sb);
		free(*src);
		*src = NULL;
		return kb_report_error();
	}
	strbuf_release(&sb);
	return 0;
}
