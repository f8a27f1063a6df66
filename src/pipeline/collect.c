/*
 * collect.c - one build of one commit, from the private checkout to the store; see
 * collect.h.
 */
#include "collect.h"

#include "dotconfig.h"
#include "files.h"
#include "maintainers.h"
#include "record.h"
#include "repo.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

volatile sig_atomic_t kb_collect_stop;

static void on_signal(int sig)
{
	(void)sig;
	kb_collect_stop = 1;
}

void kb_collect_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

double kb_parse_duration(const char *s)
{
	char *end;
	double v;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -1;
	if (!*end || !strcmp(end, "s"))
		return v;
	if (!strcmp(end, "m"))
		return v * 60;
	if (!strcmp(end, "h"))
		return v * 3600;
	return -1;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) ? -1 : 0;
}

static int rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st) && errno == ENOENT)
		return 0;
	if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS))
		return kb_error_set("%s: cannot remove: %s", path, strerror(errno));
	return 0;
}

char *kb_collect_key(const char *name, const char *arch)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_filename(&sb, name);
	strbuf_addch(&sb, '-');
	strbuf_add_filename(&sb, arch);
	return strbuf_detach(&sb, NULL);
}

const char *kb_host_arch(void)
{
	static struct utsname u;

	if (uname(&u))
		return "x86_64";
	if (!strcmp(u.machine, "aarch64"))
		return "arm64";
	if (!strncmp(u.machine, "riscv", 5))
		return "riscv";
	if (u.machine[0] == 'i' && !strcmp(u.machine + 2, "86"))
		return "x86";
	return u.machine;
}

static const char *fragments_dir(void)
{
	return kb_data_dir("KBLOAT_FRAGMENTS", KB_SOURCE_FRAGMENTS, KB_INSTALL_FRAGMENTS);
}

static int file_text(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

int kb_collector_open(struct kb_collector **out, const struct kb_collect_opts *o)
{
	struct kb_collector *c = xcalloc(1, sizeof(*c));
	struct strbuf sb = STRBUF_INIT, cc = STRBUF_INIT, ld = STRBUF_INIT;
	const char *dir = fragments_dir();
	char *abs;
	size_t i, k;

	*out = NULL;
	c->lock_fd = -1;
	c->retry_failed = o->retry_failed;
	if (kb_store_open(&c->store, o->db, 1) || kb_repo_open(&c->repo, o->repo))
		goto err;
	if (o->workdir)
		strbuf_addstr(&sb, o->workdir);
	else
		strbuf_addf(&sb, "%s.work", o->db);
	if (kb_mkdirs(sb.buf))
		goto err;
	abs = realpath(sb.buf, NULL);
	if (!abs) {
		kb_error_set("%s: %s", sb.buf, strerror(errno));
		goto err;
	}
	c->work = abs;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/lock", c->work);
	c->lock_fd = open(sb.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (c->lock_fd < 0) {
		kb_error_set("%s: %s", sb.buf, strerror(errno));
		goto err;
	}
	if (flock(c->lock_fd, LOCK_EX | LOCK_NB)) {
		kb_error_set("%s: another kbloat is collecting in this work directory", c->work);
		goto err;
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/make.pid", c->work);
	c->pidfile = strbuf_detach(&sb, NULL);
	strbuf_addf(&sb, "O=%s/build/", c->work);
	if (!o->dry_run) /* a dry run ends nothing and leaves the file */
		c->reaped_make = kb_run_reap(c->pidfile, "make", sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/src", c->work);
	c->src = strbuf_detach(&sb, NULL);
	strbuf_addf(&sb, "%s/src.commit", c->work);
	if (file_text(sb.buf, c->checked_out, sizeof(c->checked_out)) ||
	    strlen(c->checked_out) != 40)
		c->checked_out[0] = 0;

	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/map.config", dir);
	c->map_fragment = strbuf_detach(&sb, NULL);
	if (access(c->map_fragment, R_OK)) {
		kb_error_set("%s: %s (set KBLOAT_FRAGMENTS to kbloat's kernels/configs)",
			     c->map_fragment, strerror(errno));
		goto err;
	}
	c->cfgs = xcalloc(o->nconfigs ? o->nconfigs : 1, sizeof(*c->cfgs));
	for (i = 0; i < o->nconfigs; i++) {
		struct kb_collect_cfg *g = &c->cfgs[i];

		if (kb_config_spec_parse(&g->spec, o->configs[i], dir))
			goto err;
		c->ncfgs++;
		for (k = 0; k < i; k++)
			if (!strcmp(c->cfgs[k].spec.name, g->spec.name)) {
				kb_error_set("--config %s: given twice", g->spec.name);
				goto err;
			}
		g->key = kb_collect_key(g->spec.name, o->arch ? o->arch : kb_host_arch());
		strbuf_addf(&sb, "%s/build/%s", c->work, g->key);
		g->obj = strbuf_detach(&sb, NULL);
		strbuf_addf(&sb, "%s/logs/%s", c->work, g->key);
		g->logdir = strbuf_detach(&sb, NULL);
		if (kb_mkdirs(g->obj) || kb_mkdirs(g->logdir))
			goto err;
		for (k = 0; k < g->spec.nfragments; k++)
			strbuf_addf(&sb, "%s%s", k ? " " : "", g->spec.fragments[k]);
		/* the modifier too, so that the store tells defconfig+modular from defconfig */
		if (g->spec.to_modules)
			strbuf_addf(&sb, "%s+modular", k ? " " : "");
		g->fragments = strbuf_detach(&sb, NULL);
	}
	c->kb.src = c->src;
	c->kb.arch = o->arch ? o->arch : kb_host_arch();
	c->kb.cross = o->cross;
	c->kb.llvm = o->llvm;
	c->kb.cc_wrapper = o->cc_wrapper;
	c->kb.jobs = o->jobs;
	c->kb.timeout = o->timeout;
	c->kb.map_fragment = c->map_fragment;
	c->kb.stop = &kb_collect_stop;
	c->kb.pidfile = c->pidfile;
	/* a dry run builds nothing: it needs no compiler */
	if (c->ncfgs && !o->dry_run) {
		c->kb.obj = c->cfgs[0].obj;
		if (kb_kbuild_toolchain(&c->kb, &cc, &ld))
			goto err;
	}
	c->compiler = strbuf_detach(&cc, NULL);
	c->linker = strbuf_detach(&ld, NULL);
	strbuf_release(&sb);
	*out = c;
	return 0;
err:
	strbuf_release(&sb);
	strbuf_release(&cc);
	strbuf_release(&ld);
	kb_collector_close(c);
	return KB_ERR;
}

void kb_collector_close(struct kb_collector *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->ncfgs; i++) {
		kb_config_spec_release(&c->cfgs[i].spec);
		free(c->cfgs[i].key);
		free(c->cfgs[i].obj);
		free(c->cfgs[i].logdir);
		free(c->cfgs[i].fragments);
	}
	free(c->cfgs);
	if (c->lock_fd >= 0)
		close(c->lock_fd); /* drops the lock */
	kb_store_close(c->store);
	kb_repo_free(c->repo);
	free(c->work);
	free(c->src);
	free(c->map_fragment);
	free(c->pidfile);
	free(c->compiler);
	free(c->linker);
	free(c);
}

/* Puts sha into src/: incrementally from what it holds, or anew when that is unknown. */
static int checkout(struct kb_collector *c, const char *sha)
{
	struct strbuf marker = STRBUF_INIT;
	FILE *f;
	int rc = KB_ERR;

	if (!strcmp(c->checked_out, sha))
		return 0;
	strbuf_addf(&marker, "%s/src.commit", c->work);
	/* an interrupted checkout leaves src/ neither here nor there: no marker, start anew */
	if (unlink(marker.buf) && errno != ENOENT) {
		kb_error_set("%s: cannot remove: %s", marker.buf, strerror(errno));
		goto out;
	}
	if (!c->checked_out[0] && (rm_rf(c->src) || kb_mkdirs(c->src)))
		goto out;
	if (kb_repo_checkout(c->repo, sha, c->src, c->checked_out[0] ? c->checked_out : NULL)) {
		c->checked_out[0] = 0;
		goto out;
	}
	f = fopen(marker.buf, "w");
	if (!f || fprintf(f, "%s\n", sha) < 0 || fclose(f)) {
		kb_error_set("%s: cannot write: %s", marker.buf, strerror(errno));
		c->checked_out[0] = 0;
		goto out;
	}
	memcpy(c->checked_out, sha, 41);
	rc = 0;
out:
	strbuf_release(&marker);
	return rc;
}

/* 1 if the .config asks for the map, so O/vmlinux.map is this link's and not a stale one */
static int config_has_map(const char *obj)
{
	struct kb_kconfig cfg = KB_KCONFIG_INIT;
	struct strbuf path = STRBUF_INIT;
	const char *v;
	int yes;

	strbuf_addf(&path, "%s/.config", obj);
	yes = !kb_kconfig_read(&cfg, path.buf) && (v = kb_kconfig_get(&cfg, "VMLINUX_MAP")) &&
	      !strcmp(v, "y");
	kb_error_clear();
	kb_kconfig_release(&cfg);
	strbuf_release(&path);
	return yes;
}

static void fill_from_brief(struct kb_outcome *out, const struct kb_build_brief *b)
{
	out->status = !strcmp(b->status, "ok") ? KB_OUT_OK : KB_OUT_FAILED;
	out->total = b->total;
	out->delta = b->d_total;
	out->has_delta = b->has_parent;
}

int kb_collect_needed(struct kb_collector *c, const char *sha, size_t cfg, struct kb_build_brief *b)
{
	int found = kb_store_build_brief(c->store, sha, c->cfgs[cfg].spec.name, c->kb.arch, b);

	if (found < 0)
		return KB_ERR;
	return found || (c->retry_failed && strcmp(b->status, "ok"));
}

int kb_collect_build(struct kb_collector *c, const char *sha, size_t cfg, struct kb_outcome *out)
{
	struct kb_collect_cfg *g = &c->cfgs[cfg];
	struct kb_build_brief brief;
	struct kb_kbuild kb = c->kb;
	struct kb_build_step st;
	struct kb_record_req req = { 0 };
	struct kb_record_result res;
	struct strbuf log = STRBUF_INIT, notes = STRBUF_INIT, path = STRBUF_INIT;
	struct strbuf map = STRBUF_INIT, dotconfig = STRBUF_INIT, text = STRBUF_INIT;
	int found, rc = KB_ERR;
	FILE *f;

	memset(out, 0, sizeof(*out));
	found = kb_collect_needed(c, sha, cfg, &brief);
	if (found < 0)
		return KB_ERR;
	if (!found) {
		fill_from_brief(out, &brief);
		out->already = 1;
		return 0;
	}
	if (checkout(c, sha))
		return KB_ERR;
	strbuf_addf(&log, "%s/%s.log", g->logdir, sha);
	f = fopen(log.buf, "w");
	if (!f || fclose(f)) {
		kb_error_set("%s: cannot write: %s", log.buf, strerror(errno));
		goto out;
	}
	kb.obj = g->obj;
	kb.log = log.buf;
	c->built++;
	if (kb_kbuild_configure(&kb, &g->spec, &notes, &st))
		goto out;
	if (notes.len) {
		f = fopen(log.buf, "a");
		if (f) {
			fputs(notes.buf, f);
			fclose(f);
		}
	}
	if (st.status == KB_STEP_OK && kb_kbuild_vmlinux(&kb, &st))
		goto out;
	out->seconds = st.seconds;
	memcpy(out->what, st.what, sizeof(out->what));
	if (st.status == KB_STEP_STOPPED) {
		out->status = KB_OUT_STOPPED;
		rc = 0;
		goto out;
	}
	req.config = g->spec.name;
	req.arch = c->kb.arch;
	req.base = g->spec.base;
	req.fragments = g->fragments;
	req.compiler = c->compiler;
	req.linker = c->linker;
	req.build_seconds = st.seconds;
	req.replace_failed = 1; /* only reached for a failed build when retrying */
	req.log = log.buf;
	strbuf_addf(&dotconfig, "%s/.config", g->obj);
	if (!access(dotconfig.buf, R_OK))
		req.dotconfig = dotconfig.buf;
	if (st.status == KB_STEP_OK) {
		strbuf_addf(&path, "%s/vmlinux", g->obj);
		strbuf_addf(&map, "%s/vmlinux.map", g->obj);
		req.status = "ok";
		req.image = path.buf;
		req.map = config_has_map(g->obj) && !access(map.buf, R_OK) ? map.buf : NULL;
		req.src = c->src;
		req.obj = g->obj;
		strbuf_addf(&text, "%s/MAINTAINERS", c->src);
		if (!access(text.buf, R_OK) && kb_maint_open(&req.maint, c->src)) {
			strbuf_reset(&text);
			strbuf_addstr(&text, kb_error_last()); /* the tree's fault */
			kb_error_clear();
			req.fault = text.buf;
		}
	} else {
		req.status = "failed"; /* the log ends with the step that failed and how */
		out->status = st.status == KB_STEP_TIMEOUT ? KB_OUT_TIMEOUT : KB_OUT_FAILED;
	}
	req.record_faults = 1;
	if (kb_record_build(c->store, c->repo, sha, &req, &res))
		goto out;
	if (res.fault[0]) {
		out->status = KB_OUT_FAILED;
		snprintf(out->what, sizeof(out->what), "cannot be analyzed: %.*s",
			 (int)sizeof(out->what) - 21, res.fault);
	}
	memcpy(out->warning, res.warning, sizeof(out->warning));
	found = kb_store_build_brief(c->store, sha, g->spec.name, c->kb.arch, &brief);
	if (found) {
		if (found > 0)
			kb_error_set("%.12s %s: the build just recorded is not in %s", sha,
				     g->spec.name, kb_store_path(c->store));
		goto out;
	}
	if (st.status == KB_STEP_OK && !res.fault[0])
		fill_from_brief(out, &brief);
	rc = 0;
out:
	kb_maint_free(req.maint);
	strbuf_release(&log);
	strbuf_release(&notes);
	strbuf_release(&path);
	strbuf_release(&map);
	strbuf_release(&dotconfig);
	strbuf_release(&text);
	return rc;
}
