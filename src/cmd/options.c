/*
 * options.c - what the options several commands share parse into; see kbloat.h.
 */
#include "kbloat.h"

#include "analysis.h"
#include "builddir.h"
#include "chart.h"
#include "collect.h"
#include "error.h"
#include "image.h"
#include "maintainers.h"
#include "query.h"
#include "repo.h"
#include "resolve.h"
#include "store.h"
#include "strbuf.h"
#include "xalloc.h"

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

int kb_opt_format(const struct kb_option *opt, const char *arg)
{
	static const char *const names[] = {
		[KB_FMT_TEXT] = "text", [KB_FMT_JSON] = "json", [KB_FMT_CSV] = "csv", [KB_FMT_TSV] = "tsv"
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(arg, names[i])) {
			*(int *)opt->value = (int)i;
			return 0;
		}
	}
	kb_errorf("--format %s: not text, json, csv or tsv", arg);
	return -1;
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

int kb_open_input(struct kb_input *in, const char *arg, int no_map)
{
	if (kb_input_find(in, arg, no_map))
		return kb_report_error();
	return 0;
}

void kb_input_note(const struct kb_input *in, const char *src_given)
{
	if (in->map && in->src && !src_given)
		kb_notef("using %s beside %s, and the tree %s (--no-map: not the map)", in->map,
			 in->image, in->src);
	else if (in->map)
		kb_notef("using %s beside %s (--no-map: not)", in->map, in->image);
}

void kb_chart_markers_free(struct kb_chart_marker *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i].text);
	free(v);
}

/* REF=TEXT's commit into sha: in repo, else as the store resolves it (resolve.h). */
static int label_sha(struct kb_store *s, struct kb_repo *repo, const char *ref, char sha[41])
{
	if (repo)
		return kb_repo_resolve(repo, ref, sha);
	return kb_resolve_rev(s, NULL, ref, sha);
}

int kb_chart_markers(struct kb_store *s, const char *repo_path, const char *glob,
		     const struct kb_strlist *labels, struct kb_chart_marker **out, size_t *n)
{
	struct kb_repo *repo = NULL;
	struct kb_repo_tag *tags = NULL;
	struct kb_chart_marker *v = NULL;
	size_t ntags = 0, k, nv = 0;
	int rc = KB_ERR;

	*out = NULL;
	*n = 0;
	if (repo_path &&
	    (kb_repo_open(&repo, repo_path) || kb_repo_tags(repo, glob, &tags, &ntags)))
		goto out;
	v = xcalloc(ntags + labels->n + 1, sizeof(*v));
	for (k = 0; k < ntags; k++, nv++) {
		memcpy(v[nv].sha, tags[k].sha, sizeof(v[nv].sha));
		v[nv].text = xstrdup(tags[k].name);
	}
	for (k = 0; k < labels->n; k++, nv++) {
		const char *eq = strchr(labels->v[k], '=');
		char *ref;

		if (!eq || eq == labels->v[k] || !eq[1]) {
			kb_error_set("--label %s: not REF=TEXT", labels->v[k]);
			goto out;
		}
		ref = xstrndup(labels->v[k], (size_t)(eq - labels->v[k]));
		if (label_sha(s, repo, ref, v[nv].sha)) {
			char *why = xstrdup(kb_error_last());

			kb_error_set("--label %s: %s", labels->v[k], why);
			free(why);
			free(ref);
			goto out;
		}
		free(ref);
		v[nv].text = xstrdup(eq + 1);
	}
	*out = v;
	*n = nv;
	v = NULL;
	rc = 0;
out:
	kb_chart_markers_free(v, nv);
	kb_repo_tags_free(tags, ntags);
	kb_repo_free(repo);
	return rc;
}
