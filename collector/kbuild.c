/*
 * kbuild.c - a kernel tree's own build, driven as kbuild wants; see kbuild.h.
 */
#include "kbuild.h"
#include "modular.h"

#include "error.h"
#include "xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* What a reproducible build pins (Documentation/kbuild/reproducible-builds.rst). */
static const char *const pinned_env[] = {
	"KBUILD_BUILD_TIMESTAMP=Thu Jan  1 00:00:00 UTC 1970",
	"KBUILD_BUILD_USER=kbloat",
	"KBUILD_BUILD_HOST=kbloat",
	"KBUILD_BUILD_VERSION=1",
	"LC_ALL=C",
	/* kconfig writes O/.config, where kbloat reads it, whatever the environment says */
	"KCONFIG_CONFIG=.config",
	NULL,
};

struct argv {
	char **v;
	size_t n, alloc;
};

static void arg_add(struct argv *a, const char *fmt, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, fmt, s);
	ALLOC_GROW(a->v, a->n + 2, a->alloc);
	a->v[a->n++] = strbuf_detach(&sb, NULL);
	a->v[a->n] = NULL;
}

static void argv_release(struct argv *a)
{
	while (a->n)
		free(a->v[--a->n]);
	free(a->v);
	a->v = NULL;
	a->alloc = 0;
}

/* The value of VAR=VALUE among the --make-arg assignments, or NULL. */
static const char *make_arg(const struct kb_kbuild *k, const char *var)
{
	size_t i, n = strlen(var);

	for (i = k->nmake_args; i-- > 0;)
		if (!strncmp(k->make_args[i], var, n) && k->make_args[i][n] == '=')
			return k->make_args[i] + n + 1;
	return NULL;
}

/* An LLVM tool as kbuild names it: LLVM=1, LLVM=/usr/lib/llvm-16/bin/ (a prefix), LLVM=-16
 * (a suffix). */
static void llvm_tool(const struct kb_kbuild *k, const char *tool, struct strbuf *out)
{
	size_t n = strlen(k->llvm);

	strbuf_addf(out, "%s%s%s", n && k->llvm[n - 1] == '/' ? k->llvm : "", tool,
		    k->llvm[0] == '-' ? k->llvm : "");
}

/* The C compiler as kbuild would pick it: CC= on the make line, clang with LLVM, else
 * CROSS_COMPILE's gcc. */
static void compiler(const struct kb_kbuild *k, struct strbuf *cc)
{
	const char *given = make_arg(k, "CC");

	if (given)
		strbuf_addstr(cc, given);
	else if (k->llvm)
		llvm_tool(k, "clang", cc);
	else
		strbuf_addf(cc, "%sgcc", k->cross ? k->cross : "");
}

static void make_argv(const struct kb_kbuild *k, const char *target, struct argv *a)
{
	char jobs[32];
	size_t i;

	a->n = 0;
	arg_add(a, "%s", "make");
	arg_add(a, "-C%s", k->src);
	arg_add(a, "O=%s", k->obj);
	arg_add(a, "ARCH=%s", k->arch);
	if (k->cross)
		arg_add(a, "CROSS_COMPILE=%s", k->cross);
	if (k->llvm)
		arg_add(a, "LLVM=%s", k->llvm);
	/* the user's assignments, as given; CC= is spoken below when a wrapper goes first */
	for (i = 0; i < k->nmake_args; i++)
		if (!k->cc_wrapper || strncmp(k->make_args[i], "CC=", 3))
			arg_add(a, "%s", k->make_args[i]);
	if (k->cc_wrapper) {
		struct strbuf cc = STRBUF_INIT;

		strbuf_addf(&cc, "CC=%s ", k->cc_wrapper);
		compiler(k, &cc);
		arg_add(a, "%s", cc.buf);
		strbuf_release(&cc);
	}
	arg_add(a, "%s", "LOCALVERSION=");
	snprintf(jobs, sizeof(jobs), "-j%d", k->jobs > 0 ? k->jobs : 1);
	arg_add(a, "%s", jobs);
	arg_add(a, "%s", target);
}

/* Appends a line to the step log, as a header of what runs next. */
static int log_line(const struct kb_kbuild *k, const struct argv *a, const char *text)
{
	FILE *f = fopen(k->log, "a");
	size_t i;

	if (!f)
		return kb_error_set("%s: cannot write: %s", k->log, strerror(errno));
	if (a) {
		fputs("kbloat: running:", f);
		for (i = 0; i < a->n; i++)
			fprintf(f, " %s", a->v[i]);
		fputc('\n', f);
	}
	if (text)
		fputs(text, f);
	if (fclose(f))
		return kb_error_set("%s: cannot write: %s", k->log, strerror(errno));
	return 0;
}

/* Free space below this (MiB) in O= after a failed step blames the machine, not the commit;
 * KBLOAT_MIN_FREE_MB overrides it. */
#define MIN_FREE_MB 64

static unsigned long long min_free_mb(void)
{
	const char *v = getenv("KBLOAT_MIN_FREE_MB");
	char *end;
	unsigned long long n;

	if (!v || !*v)
		return MIN_FREE_MB;
	errno = 0;
	n = strtoull(v, &end, 10);
	return errno || *end || *v == '-' ? MIN_FREE_MB : n;
}

/*
 * 1 if dir is out of room: a write of our own fails with ENOSPC or EDQUOT (a quota statvfs
 * cannot see), or fewer than min_free_mb() MiB or no inodes are left to an unprivileged
 * writer (min: that many MiB). *mb is the free space found, *err the ENOSPC or EDQUOT our
 * write met (0 if none).
 */
static int out_of_room(const char *dir, unsigned long long min, unsigned long long *mb, int *err)
{
	static const char probe_data[4096];
	struct strbuf probe = STRBUF_INIT;
	struct statvfs vfs;
	int fd, full = 0;

	*mb = 0;
	*err = 0;
	strbuf_addf(&probe, "%s/.kbloat-space-probe", dir);
	fd = open(probe.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, probe_data, sizeof(probe_data)) != sizeof(probe_data) ||
	    fsync(fd)) {
		/* another error (EACCES, EROFS) says nothing of room: statvfs decides then */
		if (errno == ENOSPC || errno == EDQUOT)
			*err = errno;
		full = !!*err;
	}
	if (fd >= 0)
		close(fd);
	unlink(probe.buf);
	strbuf_release(&probe);
	if (!statvfs(dir, &vfs)) {
		*mb = (unsigned long long)vfs.f_bavail * vfs.f_frsize >> 20;
		full |= *mb < min || (vfs.f_files && !vfs.f_favail);
	}
	return full;
}

/*
 * A step that failed for the machine rather than the commit sets the error and returns
 * KB_ERR, so that nothing is recorded and a rerun builds the commit again: make or a program
 * it must run missing (exit 126/127 from make itself), make ended by a signal kbloat did
 * not send (the OOM killer's SIGKILL, a crash of make), the build directory out of room.
 */
static int machine_failure(const struct kb_kbuild *k, const char *target,
			   const struct kb_run_result *res)
{
	unsigned long long mb, min = min_free_mb();
	int err;

	if (res->timed_out || res->stopped || (res->exited && !res->code))
		return 0;
	if (!res->exited)
		return kb_error_set("make %s was killed by signal %d (%s), which kbloat did not "
				    "send (out of memory?): this machine's failure, not the "
				    "commit's; nothing recorded",
				    target, res->signal, strsignal(res->signal));
	if (res->code == 126 || res->code == 127)
		return kb_error_set("make %s exited with %d: a program could not be run (missing "
				    "or not executable): this machine's failure, not the commit's; "
				    "nothing recorded",
				    target, res->code);
	if (out_of_room(k->obj, min, &mb, &err)) {
		if (err)
			return kb_error_set("%s: %s: this machine's failure, not the commit's; "
					    "nothing recorded",
					    k->obj, strerror(err));
		return kb_error_set("%s: %llu MiB free (under %llu): make %s may have failed for "
				    "want of space, not for the commit; nothing recorded",
				    k->obj, mb, min, target);
	}
	return 0;
}

/* Runs `make target`, with one more environment variable if extra_env is not NULL: 0 with
 * st updated (a failure leaves st->status not OK), or KB_ERR. */
static int make_step_env(const struct kb_kbuild *k, const char *target, const char *extra_env,
			 struct kb_build_step *st)
{
	const char *env[sizeof(pinned_env) / sizeof(pinned_env[0]) + 1];
	struct argv a = { NULL, 0, 0 };
	struct kb_run r = { 0 };
	struct kb_run_result res;
	size_t i;
	int rc;

	for (i = 0; pinned_env[i]; i++)
		env[i] = pinned_env[i];
	env[i++] = extra_env;
	env[i] = NULL;

	make_argv(k, target, &a);
	if (log_line(k, &a, NULL)) {
		argv_release(&a);
		return KB_ERR;
	}
	r.argv = (const char *const *)a.v;
	r.env = env;
	r.log = k->log;
	r.stop = k->stop;
	r.pidfile = k->pidfile;
	if (k->timeout > 0) {
		r.timeout = k->timeout - st->seconds;
		if (r.timeout < 1)
			r.timeout = 1;
	}
	rc = kb_run(&r, &res);
	argv_release(&a);
	if (rc || machine_failure(k, target, &res))
		return KB_ERR;
	st->seconds += res.seconds;
	if (res.stopped) {
		st->status = KB_STEP_STOPPED;
		snprintf(st->what, sizeof(st->what), "make %s: stopped", target);
	} else if (res.timed_out) {
		st->status = KB_STEP_TIMEOUT;
		snprintf(st->what, sizeof(st->what), "make %s: killed after the %.0f s timeout",
			 target, k->timeout);
	} else if (!res.exited || res.code) {
		st->status = KB_STEP_FAILED;
		if (res.exited)
			snprintf(st->what, sizeof(st->what), "make %s exited with %d", target,
				 res.code);
		else
			snprintf(st->what, sizeof(st->what), "make %s died of signal %d", target,
				 res.signal);
	}
	if (st->status != KB_STEP_OK) {
		struct strbuf line = STRBUF_INIT;

		strbuf_addf(&line, "kbloat: %s\n", st->what);
		rc = log_line(k, NULL, line.buf);
		strbuf_release(&line);
	}
	return rc;
}

static int make_step(const struct kb_kbuild *k, const char *target, struct kb_build_step *st)
{
	return make_step_env(k, target, NULL, st);
}

static int write_config(const char *path, const struct kb_kconfig *c)
{
	struct strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT;
	FILE *f;
	int rc = 0;

	kb_kconfig_write(c, &sb);
	strbuf_addf(&tmp, "%s.kbloat-new", path);
	f = fopen(tmp.buf, "w");
	if (!f || fwrite(sb.buf, 1, sb.len, f) != sb.len || fclose(f) || rename(tmp.buf, path))
		rc = kb_error_set("%s: cannot write: %s", path, strerror(errno));
	strbuf_release(&sb);
	strbuf_release(&tmp);
	return rc;
}

/*
 * modular: every tristate the minimal config can reach becomes m, every other answer stays.
 * make allmodconfig with KCONFIG_ALLCONFIG forcing the minimal config's answers but for its
 * tristates: they, and the tristates that appear once those are m, become m. A bool that
 * appears on the way would become y: it is forced off and the round run again, so that
 * nothing but modules is added to what the minimal config builds.
 */
static int modularize(const struct kb_kbuild *k, const struct kb_kconfig *tiny,
		      struct kb_build_step *st)
{
	struct kb_strtab tri = KB_STRTAB_INIT;
	struct kb_kconfig force = KB_KCONFIG_INIT;
	struct strbuf path = STRBUF_INIT, env = STRBUF_INIT, dot = STRBUF_INIT;
	int rc = KB_ERR, round;
	size_t id;

	if (kb_kconfig_tristates(k->src, &tri))
		goto out;
	for (id = 0; id < tiny->names.nr; id++) {
		const char *name = tiny->names.strs[id];

		if (id < tiny->alloc && tiny->values[id] &&
		    kb_strtab_find(&tri, name, strlen(name)) < 0)
			kb_kconfig_set(&force, name, tiny->values[id]);
	}
	strbuf_addf(&path, "%s/.kbloat-modular.config", k->obj);
	strbuf_addf(&env, "KCONFIG_ALLCONFIG=%s", path.buf);
	strbuf_addf(&dot, "%s/.config", k->obj);
	for (round = 0; round < 8; round++) {
		struct kb_kconfig got = KB_KCONFIG_INIT;
		size_t added = 0;

		if (write_config(path.buf, &force) || make_step_env(k, "allmodconfig", env.buf, st))
			goto out;
		if (st->status != KB_STEP_OK) {
			rc = 0;
			goto out;
		}
		if (kb_kconfig_read(&got, dot.buf))
			goto out;
		for (id = 0; id < got.names.nr; id++) {
			const char *name = got.names.strs[id], *v = got.values[id];

			if (v && !strcmp(v, "y") && !kb_kconfig_get(tiny, name) &&
			    !kb_kconfig_get(&force, name) &&
			    kb_strtab_find(&tri, name, strlen(name)) < 0) {
				kb_kconfig_set(&force, name, "n");
				added++;
			}
		}
		kb_kconfig_release(&got);
		if (!added)
			break;
	}
	rc = 0;
out:
	kb_strtab_release(&tri);
	kb_kconfig_release(&force);
	strbuf_release(&path);
	strbuf_release(&env);
	strbuf_release(&dot);
	return rc;
}

/* 1 if a line of the file at path that is not a comment names yes2modconfig as a word. */
static int names_yes2modconfig(const char *path)
{
	static const char target[] = "yes2modconfig";
	struct strbuf sb = STRBUF_INIT;
	char *line, *save = NULL;
	int found = 0;

	if (strbuf_read_file(&sb, path)) {
		strbuf_release(&sb);
		return 0; /* no such file: this tree's kconfig has no such target there */
	}
	for (line = strtok_r(sb.buf, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *p = line + strspn(line, " \t");

		if (*p == '#')
			continue;
		while (!found && (p = strstr(p, target))) {
			char before = p == line ? ' ' : p[-1], after = p[sizeof(target) - 1];

			found = !isalnum((unsigned char)before) && before != '_' &&
				!isalnum((unsigned char)after) && after != '_';
			p += sizeof(target) - 1;
		}
	}
	strbuf_release(&sb);
	return found;
}

/* 1 if the tree's kconfig has `make yes2modconfig` (Linux since v5.6: scripts/kconfig/Makefile
 * lists it; a kbuild of its own may name it in the top Makefile). */
static int has_yes2modconfig(const char *src)
{
	static const char *const files[] = { "scripts/kconfig/Makefile", "Makefile" };
	struct strbuf path = STRBUF_INIT;
	size_t i;
	int found = 0;

	for (i = 0; i < sizeof(files) / sizeof(files[0]) && !found; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", src, files[i]);
		found = names_yes2modconfig(path.buf);
	}
	strbuf_release(&path);
	return found;
}

/* O/.config with name set to value (when value is not NULL) or, with tri, every tristate of
 * tri that is y made m, then `make olddefconfig`; *n: how many tristates became m. */
static int rewrite_olddefconfig(const struct kb_kbuild *k, const char *name, const char *value,
				const struct kb_strtab *tri, size_t *n, struct kb_build_step *st)
{
	struct kb_kconfig cfg = KB_KCONFIG_INIT;
	struct strbuf path = STRBUF_INIT;
	int rc = KB_ERR;

	strbuf_addf(&path, "%s/.config", k->obj);
	if (kb_kconfig_read(&cfg, path.buf))
		goto out;
	if (name)
		kb_kconfig_set(&cfg, name, value);
	if (tri)
		*n = kb_kconfig_yes2mod(&cfg, tri);
	rc = write_config(path.buf, &cfg) || make_step(k, "olddefconfig", st) ? KB_ERR : 0;
out:
	kb_kconfig_release(&cfg);
	strbuf_release(&path);
	return rc;
}

/*
 * +modular: MODULES=y and olddefconfig, then every built-in tristate m and every bool kept:
 * `make yes2modconfig`, or without it the same through the Kconfig files' tristates and
 * olddefconfig. The log says which.
 */
static int to_modules(const struct kb_kbuild *k, struct kb_build_step *st)
{
	struct kb_strtab tri = KB_STRTAB_INIT;
	struct strbuf line = STRBUF_INIT;
	size_t n = 0;
	int rc = KB_ERR;

	if (rewrite_olddefconfig(k, "MODULES", "y", NULL, NULL, st))
		goto out;
	if (st->status != KB_STEP_OK || has_yes2modconfig(k->src)) {
		rc = st->status != KB_STEP_OK ? 0 : make_step(k, "yes2modconfig", st);
		goto out;
	}
	if (kb_kconfig_tristates(k->src, &tri) || rewrite_olddefconfig(k, NULL, NULL, &tri, &n, st))
		goto out;
	strbuf_addf(&line,
		    "kbloat: +modular: this tree has no yes2modconfig: %zu built-in tristates "
		    "of its Kconfig files made m, then olddefconfig\n",
		    n);
	rc = log_line(k, NULL, line.buf);
out:
	kb_strtab_release(&tri);
	strbuf_release(&line);
	return rc;
}

/* A .config file as the base: its bytes as O/.config (olddefconfig follows). */
static int copy_base(const struct kb_kbuild *k, const char *file, const char *dotconfig)
{
	struct strbuf sb = STRBUF_INIT, line = STRBUF_INIT, tmp = STRBUF_INIT;
	FILE *f;
	int rc = KB_ERR;

	if (strbuf_read_file(&sb, file))
		goto out;
	strbuf_addf(&tmp, "%s.kbloat-new", dotconfig);
	f = fopen(tmp.buf, "w");
	if (!f || fwrite(sb.buf, 1, sb.len, f) != sb.len || fclose(f) ||
	    rename(tmp.buf, dotconfig)) {
		kb_error_set("%s: cannot write: %s", dotconfig, strerror(errno));
		goto out;
	}
	strbuf_addf(&line, "kbloat: base: %s copied in as .config\n", file);
	rc = log_line(k, NULL, line.buf);
out:
	strbuf_release(&sb);
	strbuf_release(&line);
	strbuf_release(&tmp);
	return rc;
}

/* Adds each word of text that is a config target's name ([A-Za-z0-9_-]*config). */
static void add_target_words(const char *text, struct kb_strtab *out)
{
	static const char word[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
	const char *p = text;

	while (*p) {
		size_t n = strspn(p, word);

		if (n >= 6 && !memcmp(p + n - 6, "config", 6) &&
		    (p == text || !strchr(word, p[-1])) && p[n] != '.')
			kb_strtab_intern(out, p, n, NULL);
		p += n ? n : 1;
	}
}

int kb_kbuild_config_targets(const struct kb_kbuild *k, struct kb_strtab *out)
{
	struct kb_kbuild quiet = *k;
	struct kb_build_step st = { 0 };
	struct strbuf log = STRBUF_INIT, text = STRBUF_INIT, dir = STRBUF_INIT;
	struct dirent *de;
	DIR *d;
	int rc = KB_ERR;

	if (kb_mkdirs(k->obj))
		return KB_ERR;
	strbuf_addf(&log, "%s/.kbloat-help", k->obj);
	unlink(log.buf);
	quiet.log = log.buf;
	if (make_step(&quiet, "help", &st))
		goto out;
	/* a help that fails names nothing: the caller cannot tell, and make decides */
	if (st.status == KB_STEP_OK && !strbuf_read_file(&text, log.buf))
		add_target_words(text.buf, out);
	kb_error_clear();
	if (!out->nr) {
		rc = 0;
		goto out;
	}
	/* make help lists the arch's *_defconfig files; the directory itself says it too */
	strbuf_addf(&dir, "%s/arch/%s/configs", k->src, k->srcarch ? k->srcarch : k->arch);
	d = opendir(dir.buf);
	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 10 && !strcmp(de->d_name + n - 10, "_defconfig"))
			kb_strtab_intern(out, de->d_name, n, NULL);
	}
	if (d)
		closedir(d);
	rc = 0;
out:
	unlink(log.buf);
	strbuf_release(&log);
	strbuf_release(&text);
	strbuf_release(&dir);
	return rc;
}

/*
 * map.config is kbloat's, not the user's: it asks for options of newer trees too
 * (BUILTIN_MODULE_RANGES, 6.12), which an older tree does not define, and an option the tree
 * does not have is not a request that went unmet. Those are taken out of want (as asked
 * "n", which an option absent from the .config meets). Only an option absent from the final
 * .config costs a look at the tree's Kconfig files; a user's fragment is never filtered (an
 * option it names that the tree lacks is worth a note: a typo, or an option since removed).
 */
static void drop_undefined_map_options(const struct kb_kbuild *k, const struct kb_kconfig *mapwant,
				       const struct kb_kconfig *done, struct kb_kconfig *want)
{
	struct kb_strtab defined = KB_STRTAB_INIT;
	int scanned = 0, readable = 1;
	size_t i;

	for (i = 0; i < mapwant->names.nr && readable; i++) {
		const char *name = mapwant->names.strs[i], *w = kb_kconfig_get(want, name);

		/* present in the .config (met or not), or since asked otherwise by a fragment */
		if (kb_kconfig_get(done, name) || !w || strcmp(w, mapwant->values[i]))
			continue;
		if (!scanned++ && kb_kconfig_defined(k->src, &defined)) {
			kb_error_clear(); /* unreadable: the note stays, as merge_config.sh's would */
			readable = 0;
		} else if (kb_strtab_find(&defined, name, strlen(name)) < 0) {
			kb_kconfig_set(want, name, "n");
		}
	}
	kb_strtab_release(&defined);
}

int kb_kbuild_configure(const struct kb_kbuild *k, const struct kb_config_spec *spec,
			struct strbuf *notes, struct kb_build_step *st)
{
	struct kb_kconfig cfg = KB_KCONFIG_INIT, want = KB_KCONFIG_INIT, done = KB_KCONFIG_INIT;
	struct kb_kconfig mapwant = KB_KCONFIG_INIT;
	struct strbuf path = STRBUF_INIT;
	int modular = !strcmp(spec->base, "modular"), rc = KB_ERR;
	size_t i;

	memset(st, 0, sizeof(*st));
	if (kb_mkdirs(k->obj))
		return KB_ERR;
	strbuf_addf(&path, "%s/.config", k->obj);
	if (spec->base_file ? copy_base(k, spec->base_file, path.buf) :
			      make_step(k, modular ? "tinyconfig" : spec->base, st))
		goto out;
	if (st->status != KB_STEP_OK) {
		rc = 0;
		goto out;
	}
	if (kb_kconfig_read(&cfg, path.buf))
		goto out;
	for (i = 0; i <= spec->nfragments; i++) {
		struct kb_kconfig frag = KB_KCONFIG_INIT;
		const char *f = i ? spec->fragments[i - 1] : k->map_fragment;

		if (!f)
			continue;
		if (kb_kconfig_read(&frag, f)) {
			kb_kconfig_release(&frag);
			goto out;
		}
		kb_kconfig_merge(&cfg, &frag, f, notes);
		kb_kconfig_merge(&want, &frag, f, NULL);
		if (!i)
			kb_kconfig_merge(&mapwant, &frag, f, NULL);
		kb_kconfig_release(&frag);
	}
	if (modular) {
		kb_kconfig_set(&cfg, "MODULES", "y");
		kb_kconfig_set(&want, "MODULES", "y");
	}
	if (write_config(path.buf, &cfg) || make_step(k, "olddefconfig", st))
		goto out;
	if (st->status != KB_STEP_OK) {
		rc = 0;
		goto out;
	}
	if (spec->to_modules) {
		kb_kconfig_set(&want, "MODULES", "y");
		if (to_modules(k, st))
			goto out;
		if (st->status != KB_STEP_OK) {
			rc = 0;
			goto out;
		}
	}
	/* what a fragment asked for and olddefconfig took back, as merge_config.sh says */
	if (kb_kconfig_read(&done, path.buf))
		goto out;
	drop_undefined_map_options(k, &mapwant, &done, &want);
	kb_kconfig_unmet(&done, &want, spec->to_modules, notes);
	rc = modular ? modularize(k, &done, st) : 0;
out:
	kb_kconfig_release(&cfg);
	kb_kconfig_release(&want);
	kb_kconfig_release(&done);
	kb_kconfig_release(&mapwant);
	strbuf_release(&path);
	return rc;
}

int kb_kbuild_vmlinux(const struct kb_kbuild *k, struct kb_build_step *st)
{
	return make_step(k, "vmlinux", st);
}

int kb_kbuild_target(const struct kb_kbuild *k, const char *target, struct kb_build_step *st)
{
	return make_step(k, target, st);
}

/* 1 if name is a path kbuild could have printed for an image: relative, no "..", plain. */
static int plain_image_path(const char *name)
{
	const char *p;

	if (!*name || *name == '/' || strstr(name, ".."))
		return 0;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/._-+", *p))
			return 0;
	return 1;
}

/* The arch Makefiles' default KBUILD_IMAGE, for trees older than `make image_name`. */
static const char *default_image(const char *srcarch)
{
	static const struct {
		const char *arch, *image;
	} images[] = {
		{ "x86", "arch/x86/boot/bzImage" },
		{ "arm64", "arch/arm64/boot/Image.gz" },
		{ "riscv", "arch/riscv/boot/Image.gz" },
		{ "arm", "arch/arm/boot/zImage" },
		{ "powerpc", "vmlinux" },
		{ "s390", "arch/s390/boot/bzImage" },
		{ "loongarch", "arch/loongarch/boot/vmlinux.efi" },
	};
	size_t i;

	for (i = 0; i < sizeof(images) / sizeof(images[0]); i++)
		if (!strcmp(srcarch, images[i].arch))
			return images[i].image;
	return NULL;
}

int kb_kbuild_image_name(const struct kb_kbuild *k, struct strbuf *name)
{
	struct argv a = { NULL, 0, 0 };
	struct strbuf log = STRBUF_INIT, text = STRBUF_INIT;
	struct kb_run r = { 0 };
	struct kb_run_result res;
	const char *fallback;
	size_t len;
	int rc = 0;

	strbuf_reset(name);
	strbuf_addf(&log, "%s/.kbloat-image-name", k->obj);
	unlink(log.buf);
	make_argv(k, "-s", &a); /* then the target: make -s image_name */
	arg_add(&a, "%s", "image_name");
	r.argv = (const char *const *)a.v;
	r.env = pinned_env;
	r.log = log.buf;
	r.timeout = 120;
	r.stop = k->stop;
	if (!kb_run(&r, &res) && res.exited && !res.code && !strbuf_read_file(&text, log.buf)) {
		char *line = text.buf;

		/* the first line that is a plain path: not make's "Entering directory" */
		while (*line && !name->len) {
			len = strcspn(line, "\n");
			if (line[len])
				line[len++] = 0;
			if (plain_image_path(line))
				strbuf_addstr(name, line);
			line += len;
		}
	}
	kb_error_clear();
	unlink(log.buf);
	if (!name->len) {
		fallback = default_image(kb_srcarch(k->arch));
		if (fallback)
			strbuf_addstr(name, fallback);
		else
			rc = kb_error_set(
				"ARCH=%s: kbuild has no image_name target here and kbloat "
				"knows no default boot image for the arch",
				k->arch);
	}
	argv_release(&a);
	strbuf_release(&log);
	strbuf_release(&text);
	return rc;
}

int kb_kbuild_boot_image(const struct kb_kbuild *k, const char *name, struct kb_build_step *st)
{
	const char *base = strrchr(name, '/');

	/* the arch Makefiles name the image target by its file name: bzImage, Image.gz */
	return make_step(k, base ? base + 1 : name, st);
}

/* The first line a program prints for --version, or "" when it cannot be run. */
static int version_line(const struct kb_kbuild *k, const char *prog, struct strbuf *out)
{
	const char *argv[] = { prog, "--version", NULL };
	struct strbuf log = STRBUF_INIT, text = STRBUF_INIT;
	struct kb_run r = { 0 };
	struct kb_run_result res;
	int rc = 0;

	strbuf_addf(&log, "%s/.kbloat-version", k->obj);
	unlink(log.buf);
	r.argv = argv;
	r.env = pinned_env;
	r.log = log.buf;
	r.timeout = 60;
	if (!kb_run(&r, &res) && res.exited && !res.code && !strbuf_read_file(&text, log.buf))
		strbuf_add(out, text.buf, strcspn(text.buf, "\n"));
	else
		kb_error_clear();
	unlink(log.buf);
	strbuf_release(&log);
	strbuf_release(&text);
	return rc;
}

int kb_kbuild_toolchain(const struct kb_kbuild *k, struct strbuf *cc, struct strbuf *ld)
{
	struct strbuf prog = STRBUF_INIT;

	if (kb_mkdirs(k->obj))
		return KB_ERR;
	compiler(k, &prog);
	/* CC="ccache gcc" given: the compiler is its last word */
	if (strrchr(prog.buf, ' ')) {
		char *last = xstrdup(strrchr(prog.buf, ' ') + 1);

		strbuf_reset(&prog);
		strbuf_addstr(&prog, last);
		free(last);
	}
	version_line(k, prog.buf, cc);
	if (!cc->len) {
		/* without it every build would fail, and be recorded as the commit's failure */
		kb_error_set("%s: cannot be run (is the toolchain installed%s?)", prog.buf,
			     k->cross ? ", CROSS_COMPILE right" : "");
		strbuf_release(&prog);
		return KB_ERR;
	}
	strbuf_reset(&prog);
	if (make_arg(k, "LD"))
		strbuf_addstr(&prog, make_arg(k, "LD"));
	else if (k->llvm)
		llvm_tool(k, "ld.lld", &prog);
	else
		strbuf_addf(&prog, "%sld", k->cross ? k->cross : "");
	version_line(k, prog.buf, ld);
	strbuf_release(&prog);
	return 0;
}
