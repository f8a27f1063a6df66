/*
 * collect.c - one build of one commit, from the private checkout to the store; see
 * collect.h.
 */
#include "collect.h"
#include "resolve.h"

#include "dotconfig.h"
#include "files.h"
#include "inputs.h"
#include "kconfig_tree.h"
#include "maintainers.h"
#include "modular.h"
#include "record.h"
#include "repo.h"
#include "reused.h"
#include "error.h"
#include "sha.h"
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

/* FNV-1a of len bytes into h */
static uint64_t hash_bytes(uint64_t h, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

char *kb_collect_key(const char *name, const char *arch, const char *toolchain)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_filename(&sb, name);
	strbuf_addch(&sb, '-');
	strbuf_add_filename(&sb, arch);
	if (toolchain && *toolchain)
		strbuf_addf(&sb, "-%08llx",
			    (unsigned long long)(hash_bytes(14695981039346656037ULL, toolchain,
							    strlen(toolchain)) &
						 0xffffffffULL));
	return strbuf_detach(&sb, NULL);
}

/* The environment variables kbuild reads (Documentation/kbuild/kbuild.rst, llvm.rst) that
 * change the code built; CC, LD and the tools it sets itself, whatever the environment says */
const char *const kb_kbuild_env_vars[] = {
	"KCFLAGS",     "KCPPFLAGS",    "KAFLAGS",  "KRUSTFLAGS",     "HOSTCFLAGS",
	"HOSTLDFLAGS", "HOSTCXXFLAGS", "LLVM_IAS", "KBUILD_KCONFIG", NULL,
};

/* Variables kbloat sets itself, and the option (or reason) that owns each. */
static const struct {
	const char *var, *owner;
} own_vars[] = {
	{ "O", "the work directory (--workdir)" },
	{ "ARCH", "--arch (or ARCH in the environment)" },
	{ "SRCARCH", "--arch (or ARCH in the environment)" },
	{ "CROSS_COMPILE", "--cross (or CROSS_COMPILE in the environment)" },
	{ "LLVM", "--llvm (or LLVM in the environment)" },
	{ "LOCALVERSION", "kbloat (empty, so that a work tree gets no '+')" },
	{ "KCONFIG_CONFIG", "kbloat (O/.config)" },
	{ "KBUILD_OUTPUT", "the work directory (--workdir)" },
	{ "KBUILD_BUILD_TIMESTAMP", "kbloat (a reproducible build)" },
	{ "KBUILD_BUILD_USER", "kbloat (a reproducible build)" },
	{ "KBUILD_BUILD_HOST", "kbloat (a reproducible build)" },
	{ "KBUILD_BUILD_VERSION", "kbloat (a reproducible build)" },
	{ "KCONFIG_ALLCONFIG", "kbloat (the config's fragments)" },
};

int kb_make_arg_check(const char *arg)
{
	static const char first[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
	size_t n = strspn(arg, first), i;

	if (n)
		n += strspn(arg + n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
				     "0123456789");
	if (!n || arg[n] != '=')
		return kb_error_set("--make-arg %s: not VAR=VALUE with VAR a make variable's "
				    "name ([A-Za-z_][A-Za-z0-9_]*)",
				    arg);
	for (i = 0; i < sizeof(own_vars) / sizeof(own_vars[0]); i++)
		if (strlen(own_vars[i].var) == n && !strncmp(arg, own_vars[i].var, n))
			return kb_error_set("--make-arg %s: %.*s is set by %s", arg, (int)n, arg,
					    own_vars[i].owner);
	if (strchr(arg + n + 1, '\n'))
		return kb_error_set("--make-arg %.*s=...: a value with a newline", (int)n, arg);
	return 0;
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

/* The environment's value of var, or NULL when it is unset or empty (as make takes it). */
static const char *env_value(const char *var)
{
	const char *v = getenv(var);

	return v && *v ? v : NULL;
}

const char *kb_collect_arch(const char *arch)
{
	if (arch)
		return arch;
	return env_value("ARCH") ? env_value("ARCH") : kb_host_arch();
}

static const struct kb_data_where fragments_where = {
	"KBLOAT_FRAGMENTS",  KB_RELATIVE_FRAGMENTS, KB_BUILD_DIR,
	KB_SOURCE_FRAGMENTS, KB_INSTALL_FRAGMENTS,
};

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

/* FNV-1a of a file's bytes into h; a file that cannot be read hashes as its error. */
static uint64_t hash_file(uint64_t h, const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, path)) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "unreadable %s", path);
		kb_error_clear();
	}
	h = hash_bytes(h, sb.buf, sb.len);
	strbuf_release(&sb);
	return h;
}

/*
 * What a build in g's directory was made with besides the commit: the spec, the bytes of
 * its fragments (kbloat's own files, outside the tree), the toolchain and the make line's
 * knobs. A stamp that says otherwise is not the last build's: the next commit builds.
 */
static char *build_setup(const struct kb_collector *c, const struct kb_collect_cfg *g)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t h = 14695981039346656037ULL;
	size_t k;

	h = hash_file(h, c->map_fragment);
	if (g->spec.base_file)
		h = hash_file(h, g->spec.base_file);
	for (k = 0; k < g->spec.nfragments; k++)
		h = hash_file(h, g->spec.fragments[k]);
	strbuf_addf(&sb, "spec %s; fragments %016llx; arch %s; cross %s; llvm %s; wrapper %s\n",
		    g->spec.name, (unsigned long long)h, c->kb.arch, c->kb.cross ? c->kb.cross : "",
		    c->kb.llvm ? c->kb.llvm : "", c->kb.cc_wrapper ? c->kb.cc_wrapper : "");
	strbuf_addf(&sb, "compiler %s\nlinker %s\n", c->compiler, c->linker);
	/* a directory built without the boot image or modules has none to record again */
	if (c->boot_image || c->modules)
		strbuf_addf(&sb, "boot image %d; modules %d\n", c->boot_image, c->modules);
	return strbuf_detach(&sb, NULL);
}

/* 1 if prog is an executable file in a directory of PATH. */
static int on_path(const char *prog)
{
	const char *path = getenv("PATH"), *p, *end;
	struct strbuf sb = STRBUF_INIT;
	int found = 0;

	for (p = path ? path : ""; *p && !found; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		strbuf_reset(&sb);
		strbuf_add(&sb, p, (size_t)(end - p));
		strbuf_addf(&sb, "%s%s", sb.len ? "/" : "./", prog);
		found = !access(sb.buf, X_OK);
	}
	strbuf_release(&sb);
	return found;
}

/* The wrapper to build with: auto (or none given) is ccache where it is installed. */
static const char *cc_wrapper(const char *w)
{
	if (!w || !strcmp(w, "auto"))
		return on_path("ccache") ? "ccache" : NULL;
	return strcmp(w, "none") ? w : NULL;
}

/* ccache's hit and miss counters (`ccache --print-stats`, tab-separated). */
static int ccache_counters(struct kb_collector *c, uint64_t *hits, uint64_t *misses)
{
	static const char *const argv[] = { "ccache", "--print-stats", NULL };
	struct strbuf log = STRBUF_INIT, text = STRBUF_INIT;
	struct kb_run r = { argv, NULL, NULL, NULL, 30 };
	struct kb_run_result res;
	const char *line, *end;
	int rc = KB_ERR;

	*hits = *misses = 0;
	strbuf_addf(&log, "%s/ccache.stats", c->work);
	r.log = log.buf;
	if (unlink(log.buf) && errno != ENOENT)
		goto out;
	if (kb_run(&r, &res) || !res.exited || res.code || strbuf_read_file(&text, log.buf))
		goto out;
	for (line = text.buf; *line; line = *end ? end + 1 : end) {
		unsigned long long v;
		char key[64];

		end = strchrnul(line, '\n');
		if (sscanf(line, "%63[a-z_]\t%llu", key, &v) != 2)
			continue;
		if (!strcmp(key, "direct_cache_hit") || !strcmp(key, "preprocessed_cache_hit"))
			*hits += v;
		else if (!strcmp(key, "cache_miss"))
			*misses += v;
	}
	rc = 0;
out:
	kb_error_clear(); /* the summary is for people: without it, nothing is lost */
	strbuf_release(&log);
	strbuf_release(&text);
	return rc;
}

void kb_collect_ccache_summary(struct kb_collector *c, struct strbuf *line)
{
	uint64_t hits, misses, n;

	if (!c->has_ccache_stats || ccache_counters(c, &hits, &misses) || hits < c->ccache_hits ||
	    misses < c->ccache_misses)
		return;
	hits -= c->ccache_hits;
	n = hits + misses - c->ccache_misses;
	strbuf_addf(line, "ccache: %llu hits of %llu (%.0f%%)", (unsigned long long)hits,
		    (unsigned long long)n, n ? 100.0 * (double)hits / (double)n : 0.0);
}

/*
 * The CROSS_COMPILE that names no other toolchain than none does: Debian's GNU triplet of
 * arch (the prefix of its gcc-TRIPLET package, and the native gcc's own name on a machine of
 * that arch), so that an arm64 config is the same config built natively or across. NULL for
 * an arch whose triplet is not one (powerpc, mips: several ABIs).
 */
static const char *default_cross(const char *arch)
{
	static const struct {
		const char *arch, *prefix;
	} triplets[] = {
		{ "x86_64", "x86_64-linux-gnu-" }, { "x86", "i686-linux-gnu-" },
		{ "i386", "i686-linux-gnu-" },	   { "arm64", "aarch64-linux-gnu-" },
		{ "riscv", "riscv64-linux-gnu-" }, { "arm", "arm-linux-gnueabihf-" },
		{ "s390", "s390x-linux-gnu-" },	   { "loongarch", "loongarch64-linux-gnu-" },
	};
	size_t i;

	for (i = 0; i < sizeof(triplets) / sizeof(triplets[0]); i++)
		if (!strcmp(arch, triplets[i].arch))
			return triplets[i].prefix;
	return NULL;
}

/*
 * The toolchain's part of a config's name: LLVM=, and CROSS_COMPILE= unless it is the
 * arch's default (default_cross); "" for the arch's gcc.
 */
static char *toolchain_name_vars(const struct kb_kbuild *kb)
{
	struct strbuf sb = STRBUF_INIT;
	const char *def = default_cross(kb->arch);

	if (kb->cross && (!def || strcmp(kb->cross, def)))
		strbuf_addf(&sb, "CROSS_COMPILE=%s", kb->cross);
	if (kb->llvm)
		strbuf_addf(&sb, "%sLLVM=%s", sb.len ? " " : "", kb->llvm);
	return strbuf_detach(&sb, NULL);
}

/*
 * The config's identity: the spec, then the toolchain (LLVM=, a CROSS_COMPILE= not the
 * arch's own), then the make variables that change what it builds (every --make-arg, CC=
 * among them, then the environment's KCFLAGS and the like), so that a config built with
 * clang or with KCFLAGS=-Os is another config in the store and another build directory.
 */
static void name_with_vars(struct kb_config_spec *spec, const struct kb_collect_opts *o,
			   const char *toolchain, const char *env_vars)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&sb, spec->name);
	if (*toolchain)
		strbuf_addf(&sb, " %s", toolchain);
	for (i = 0; i < o->nmake_args; i++)
		strbuf_addf(&sb, " %s", o->make_args[i]);
	if (*env_vars)
		strbuf_addf(&sb, " %s", env_vars);
	free(spec->name);
	spec->name = strbuf_detach(&sb, NULL);
}

int kb_collector_open(struct kb_collector **out, const struct kb_collect_opts *o)
{
	struct kb_collector *c = xcalloc(1, sizeof(*c));
	struct strbuf sb = STRBUF_INIT, cc = STRBUF_INIT, ld = STRBUF_INIT;
	struct strbuf frag_dir = STRBUF_INIT;
	const char *dir;
	char *abs, *toolchain = NULL;
	size_t i, k;

	*out = NULL;
	kb_data_dir(&frag_dir, &fragments_where);
	dir = frag_dir.buf;
	c->lock_fd = -1;
	c->retry_failed = o->retry_failed;
	c->no_skip = o->no_skip;
	c->boot_image = o->boot_image;
	c->modules = o->modules;
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
	/* the refs as they are now, so that show v6.1 resolves without the repository */
	if (!o->dry_run && kb_refs_record(c->store, c->repo))
		goto err;
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
	/* ARCH, CROSS_COMPILE and LLVM as kbuild takes them: the make line's, else the
	 * environment's; the environment's other variables reach make as they are */
	c->kb.arch = kb_collect_arch(o->arch);
	c->kb.srcarch = kb_srcarch(c->kb.arch);
	c->kb.cross = o->cross ? o->cross : env_value("CROSS_COMPILE");
	c->kb.llvm = o->llvm ? "1" : env_value("LLVM");
	c->kb.make_args = o->make_args;
	c->kb.nmake_args = o->nmake_args;
	for (i = 0; i < o->nmake_args; i++)
		if (kb_make_arg_check(o->make_args[i]))
			goto err;
	if (c->kb.cross)
		strbuf_addf(&sb, "CROSS_COMPILE=%s", c->kb.cross);
	if (c->kb.llvm)
		strbuf_addf(&sb, "%sLLVM=%s", sb.len ? " " : "", c->kb.llvm);
	c->toolchain_vars = strbuf_detach(&sb, NULL);
	toolchain = toolchain_name_vars(&c->kb);
	for (i = 0; kb_kbuild_env_vars[i]; i++)
		if (env_value(kb_kbuild_env_vars[i]))
			strbuf_addf(&sb, "%s%s=%s", sb.len ? " " : "", kb_kbuild_env_vars[i],
				    env_value(kb_kbuild_env_vars[i]));
	c->kbuild_vars = strbuf_detach(&sb, NULL);
	c->cfgs = xcalloc(o->nconfigs ? o->nconfigs : 1, sizeof(*c->cfgs));
	for (i = 0; i < o->nconfigs; i++) {
		struct kb_collect_cfg *g = &c->cfgs[i];

		if (kb_config_spec_parse(&g->spec, o->configs[i], dir))
			goto err;
		c->ncfgs++;
		name_with_vars(&g->spec, o, toolchain, c->kbuild_vars);
		for (k = 0; k < i; k++)
			if (!strcmp(c->cfgs[k].spec.name, g->spec.name)) {
				kb_error_set("--config %s: given twice", g->spec.name);
				goto err;
			}
		g->key = kb_collect_key(g->spec.name, c->kb.arch, c->toolchain_vars);
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
	c->kb.cc_wrapper = cc_wrapper(o->cc_wrapper);
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
	if (c->kb.cc_wrapper && !strcmp(c->kb.cc_wrapper, "ccache") && !o->dry_run)
		c->has_ccache_stats = !ccache_counters(c, &c->ccache_hits, &c->ccache_misses);
	for (i = 0; i < c->ncfgs; i++) {
		struct kb_collect_cfg *g = &c->cfgs[i];

		g->inputs = kb_inputs_new(g->obj, c->src);
		strbuf_addf(&sb, "%s/.kbloat-built", g->obj);
		g->stamp = strbuf_detach(&sb, NULL);
		g->setup = build_setup(c, g);
	}
	strbuf_release(&sb);
	strbuf_release(&frag_dir);
	free(toolchain);
	*out = c;
	return 0;
err:
	free(toolchain);
	strbuf_release(&sb);
	strbuf_release(&frag_dir);
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
		kb_inputs_free(c->cfgs[i].inputs);
		kb_record_memo_release(&c->cfgs[i].memo);
		free(c->cfgs[i].stamp);
		free(c->cfgs[i].setup);
	}
	free(c->cfgs);
	if (c->lock_fd >= 0)
		close(c->lock_fd); /* drops the lock */
	kb_maint_free(c->maint);
	kb_ktree_free(c->ktree);
	kb_path_changes_release(&c->chg[0]);
	kb_path_changes_release(&c->chg[1]);
	kb_store_close(c->store);
	kb_repo_free(c->repo);
	free(c->work);
	free(c->src);
	free(c->map_fragment);
	free(c->toolchain_vars);
	free(c->kbuild_vars);
	free(c->pidfile);
	free(c->compiler);
	free(c->linker);
	free(c);
}

/* Puts sha into src/: incrementally from what it holds, or anew when that is unknown. */
/*
 * The paths that differ between commits from and to, computed once for each pair asked in
 * a row (decide, tree_maint and tree_ktree ask the same one when the walk made the commit
 * before): NULL with the error set when they cannot be compared. The collector owns it.
 */
static const struct kb_path_changes *changes(struct kb_collector *c, const char *from,
					     const char *to)
{
	int k;

	for (k = 0; k < 2; k++)
		if (c->chg_from[k][0] && !strcmp(c->chg_from[k], from) && !strcmp(c->chg_to[k], to))
			return &c->chg[k];
	k = c->chg_next;
	c->chg_next = !k;
	kb_path_changes_release(&c->chg[k]);
	c->chg_from[k][0] = 0;
	if (kb_repo_changes(c->repo, from, to, &c->chg[k]))
		return NULL;
	memcpy(c->chg_from[k], from, 41);
	memcpy(c->chg_to[k], to, 41);
	return &c->chg[k];
}

static int checkout(struct kb_collector *c, const char *sha)
{
	const struct kb_path_changes *changed = NULL;
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
	if (c->checked_out[0] && !(changed = changes(c, c->checked_out, sha))) {
		c->checked_out[0] = 0;
		goto out;
	}
	if (kb_repo_checkout(c->repo, sha, c->src, c->checked_out[0] ? c->checked_out : NULL,
			     changed)) {
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

/* ---- skipping what cannot change the image (collector/inputs.h) ---------------------- */

/* The commit make last built in g's directory with g's setup, or "" if none is known. */
static void read_stamp(const struct kb_collect_cfg *g, char sha[41])
{
	struct strbuf sb = STRBUF_INIT;

	sha[0] = 0;
	if (strbuf_read_file(&sb, g->stamp))
		kb_error_clear();
	else if (sb.len > 41 && sb.buf[40] == '\n' && !strcmp(sb.buf + 41, g->setup)) {
		memcpy(sha, sb.buf, 40);
		sha[40] = 0;
		if (!kb_is_sha(sha))
			sha[0] = 0;
	}
	strbuf_release(&sb);
}

static int write_stamp(const struct kb_collect_cfg *g, const char *sha)
{
	FILE *f = fopen(g->stamp, "w");

	if (!f || fprintf(f, "%s\n%s", sha, g->setup) < 0 || fclose(f))
		return kb_error_set("%s: cannot write: %s", g->stamp, strerror(errno));
	return 0;
}

/* A build directory being changed holds no build to compare with until make is done. */
static int drop_stamp(const struct kb_collect_cfg *g)
{
	if (unlink(g->stamp) && errno != ENOENT)
		return kb_error_set("%s: cannot remove: %s", g->stamp, strerror(errno));
	return 0;
}

/*
 * Whether commit sha (checked out) needs make in g's directory: the paths it changed since
 * the commit make last built there against that build's inputs. Anything unknown (no stamp,
 * no image, records that cannot be read) builds; why says what decided, for the log, and
 * last the commit compared with. *keep_config is set when the build directory's .config is
 * what configuring this commit would make: no config input changed since last.
 */
static enum kb_decision decide(struct kb_collector *c, struct kb_collect_cfg *g, const char *sha,
			       struct strbuf *why, char last[41], int *keep_config)
{
	const struct kb_path_changes *ch;
	struct strbuf image = STRBUF_INIT;
	enum kb_decision d = KB_DECIDE_BUILD;

	last[0] = 0;
	*keep_config = 0;
	read_stamp(g, last);
	strbuf_addf(&image, "%s/vmlinux", g->obj);
	if (!last[0] || access(image.buf, R_OK)) {
		strbuf_addstr(why, "no finished build in the build directory to compare with");
		goto out;
	}
	ch = changes(c, last, sha);
	if (!ch) {
		strbuf_addf(why, "cannot compare with %.12s: %s", last, kb_error_last());
		kb_error_clear();
		goto out;
	}
	if (c->no_skip) {
		/* make runs whatever changed; configuring still waits for a config input */
		strbuf_addf(why, "--no-skip (since %.12s)", last);
	} else if (kb_inputs_refresh(g->inputs)) {
		strbuf_addf(why, "cannot read the build's records: %s", kb_error_last());
		kb_error_clear();
	} else {
		d = kb_inputs_decide(g->inputs, ch, kb_srcarch(c->kb.arch), why);
		strbuf_addf(why, " (since %.12s)", last);
	}
	*keep_config = !kb_inputs_config_touched(ch, kb_srcarch(c->kb.arch));
	/*
	 * Only config inputs changed since the last build, and .config came out as it was at
	 * config_at, after them: what changed since config_at decides (without this, every
	 * commit after a Kconfig-only change would run the config targets again until the
	 * next build)
	 */
	if (d == KB_DECIDE_CONFIG && g->config_at[0] && strcmp(g->config_at, last)) {
		char at[41];

		memcpy(at, g->config_at, sizeof(at));
		ch = changes(c, at, sha); /* ch of last..sha is gone */
		if (ch && !kb_inputs_config_touched(ch, kb_srcarch(c->kb.arch))) {
			d = KB_DECIDE_SKIP;
			strbuf_reset(why);
			strbuf_addf(why,
				    "no input changed since %.12s, and no config input since "
				    "%.12s, where .config came out unchanged",
				    last, at);
		}
		kb_error_clear();
	}
out:
	strbuf_release(&image);
	return d;
}

/* Appends a line to the build log (best effort: the log is for people). */
static void log_line(const char *log, const char *what, const char *why)
{
	FILE *f = fopen(log, "a");

	if (f) {
		fprintf(f, "kbloat: %s: %s\n", what, why);
		fclose(f);
	}
}

static int same_bytes(const struct strbuf *a, const char *path)
{
	struct strbuf b = STRBUF_INIT;
	int same = !strbuf_read_file(&b, path) && a->len == b.len && !memcmp(a->buf, b.buf, a->len);

	kb_error_clear();
	strbuf_release(&b);
	return same;
}

/*
 * The first time g configures, whether the tree's kbuild knows its base target: make would
 * fail on every commit, and each be recorded as the commit's failure, when it is not one.
 */
static int check_base(struct kb_collect_cfg *g, const struct kb_kbuild *kb)
{
	struct kb_strtab targets = KB_STRTAB_INIT;
	const char *base = g->spec.base;
	int rc = 0;

	if (g->base_checked || g->spec.base_file || !strcmp(base, "modular"))
		return 0;
	if (kb_kbuild_config_targets(kb, &targets))
		rc = KB_ERR;
	else if (!targets.nr) /* a make whose help names no target at all cannot tell */
		log_line(kb->log, "base", "make help names no config target: make decides");
	else if (kb_strtab_find(&targets, base, strlen(base)) < 0)
		rc = kb_error_set("%s: '%s' is not a config target of this tree's kbuild for "
				  "ARCH=%s (make help and arch/%s/configs list none of that "
				  "name)",
				  g->spec.name, base, kb->arch,
				  kb->srcarch ? kb->srcarch : kb->arch);
	kb_strtab_release(&targets);
	g->base_checked = !rc;
	return rc;
}

/*
 * Configures and, unless only config inputs changed and .config came out byte for byte as
 * it was (its times then put back, so that make takes nothing as changed), runs make.
 * *reused says which.
 */
static int configure_and_make(struct kb_collect_cfg *g, const struct kb_kbuild *kb,
			      enum kb_decision d, const char *last, int keep_config,
			      struct kb_build_step *st, int *reused)
{
	struct strbuf notes = STRBUF_INIT, dotconfig = STRBUF_INIT, old = STRBUF_INIT;
	struct stat sb;
	int have_old = 0, rc = KB_ERR;
	FILE *f;

	strbuf_addf(&dotconfig, "%s/.config", g->obj);
	if (d == KB_DECIDE_CONFIG && !stat(dotconfig.buf, &sb) &&
	    !strbuf_read_file(&old, dotconfig.buf))
		have_old = 1;
	kb_error_clear();
	if (drop_stamp(g))
		goto out;
	if (check_base(g, kb))
		goto out;
	if (keep_config && d == KB_DECIDE_BUILD && !access(dotconfig.buf, R_OK)) {
		/* make takes nothing of the configuration as changed, and need not */
		log_line(kb->log, ".config kept", "no config input changed");
		memset(st, 0, sizeof(*st));
		st->status = KB_STEP_OK;
	} else if (kb_kbuild_configure(kb, &g->spec, &notes, st)) {
		goto out;
	}
	if (notes.len) {
		f = fopen(kb->log, "a");
		if (f) {
			fputs(notes.buf, f);
			fclose(f);
		}
	}
	if (st->status == KB_STEP_OK && have_old && same_bytes(&old, dotconfig.buf)) {
		struct timespec times[2] = { sb.st_atim, sb.st_mtim };

		if (utimensat(AT_FDCWD, dotconfig.buf, times, 0)) {
			kb_error_set("%s: cannot restore its times: %s", dotconfig.buf,
				     strerror(errno));
			goto out;
		}
		*reused = KB_REUSED_CONFIG;
		log_line(kb->log, "not rebuilt", ".config unchanged by olddefconfig");
		/* the directory holds the last build as it was: its stamp says so again */
		rc = write_stamp(g, last);
		goto out;
	}
	if (st->status == KB_STEP_OK && kb_kbuild_vmlinux(kb, st))
		goto out;
	rc = 0;
out:
	strbuf_release(&notes);
	strbuf_release(&dotconfig);
	strbuf_release(&old);
	return rc;
}

/* 1 if the .config in obj has CONFIG_MODULES=y: `make modules` has something to build. */
/*
 * What the collector builds besides vmlinux, once make built vmlinux: the boot image whose
 * name kbuild gives, and the modules. A step that fails fails the build, as vmlinux's would.
 */
static int make_outputs(struct kb_collector *c, const struct kb_collect_cfg *g,
			const struct kb_kbuild *kb, const char *boot_name, struct kb_build_step *st)
{
	if (st->status == KB_STEP_OK && c->boot_image && kb_kbuild_boot_image(kb, boot_name, st))
		return KB_ERR;
	if (st->status == KB_STEP_OK && c->modules && kb_obj_has_modules(g->obj) &&
	    kb_kbuild_target(kb, "modules", st))
		return KB_ERR;
	return 0;
}

/*
 * The MAINTAINERS of the tree checked out at sha, parsed once per version of the tree that
 * could parse differently: the file itself, and the tree's shape (whether a pattern names
 * a directory is decided in the tree), so a commit that adds or removes a file parses
 * again. The collector owns *out.
 */
static int tree_maint(struct kb_collector *c, const char *sha, const char *log,
		      struct kb_maint **out)
{
	const struct kb_path_changes *ch = c->maint ? changes(c, c->maint_sha, sha) : NULL;
	int same = !!ch;
	size_t i;

	for (i = 0; ch && i < ch->n; i++)
		if (ch->v[i].kind != KB_CHANGE_MODIFIED || !strcmp(ch->v[i].path, "MAINTAINERS"))
			same = 0;
	kb_error_clear();
	if (!same) {
		kb_maint_free(c->maint);
		c->maint = NULL;
		if (kb_maint_open(&c->maint, c->src))
			return KB_ERR;
		c->maint_parsed++;
		log_line(log, "MAINTAINERS", "parsed for this tree");
	}
	memcpy(c->maint_sha, sha, 41);
	*out = c->maint;
	return 0;
}

/*
 * The tree's Kconfig model for the collector's arch, read again only when a Kconfig file
 * changed (or came or went) since it was read; NULL when it cannot be read, and the modular
 * analysis then reads it itself and says why in the build's warning. The collector owns it.
 */
static struct kb_ktree *tree_ktree(struct kb_collector *c, const char *sha, const char *log)
{
	const struct kb_path_changes *ch = c->ktree ? changes(c, c->ktree_sha, sha) : NULL;
	int same = !!ch;
	size_t i;

	for (i = 0; ch && i < ch->n; i++) {
		const char *b = strrchr(ch->v[i].path, '/');

		if (!strncmp(b ? b + 1 : ch->v[i].path, "Kconfig", 7))
			same = 0;
	}
	kb_error_clear();
	if (!same) {
		kb_ktree_free(c->ktree);
		c->ktree = NULL;
		if (kb_ktree_read(&c->ktree, c->src, kb_srcarch(c->kb.arch))) {
			kb_error_clear();
			c->ktree = NULL;
			return NULL;
		}
		c->ktree_parsed++;
		log_line(log, "Kconfig", "model read for this tree");
	}
	memcpy(c->ktree_sha, sha, 41);
	return c->ktree;
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
	struct kb_build_step st = { 0 };
	struct kb_record_req req = { 0 };
	struct kb_record_result res;
	struct strbuf log = STRBUF_INIT, why = STRBUF_INIT, path = STRBUF_INIT;
	struct strbuf map = STRBUF_INIT, dotconfig = STRBUF_INIT, text = STRBUF_INIT;
	struct strbuf boot = STRBUF_INIT, boot_path = STRBUF_INIT;
	enum kb_decision d;
	int found, reused = KB_REUSED_NO, keep_config, rc = KB_ERR;
	char last[41];
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
	if (*c->kbuild_vars) /* make has them from the environment: the log says which */
		log_line(log.buf, "kbuild's variables from the environment", c->kbuild_vars);
	d = decide(c, g, sha, &why, last, &keep_config);
	log_line(log.buf,
		 d == KB_DECIDE_SKIP   ? "not rebuilt" :
		 d == KB_DECIDE_CONFIG ? "configuring, then building if .config changed" :
					 "building",
		 why.buf);
	if (d == KB_DECIDE_SKIP) {
		st.status = KB_STEP_OK;
		reused = KB_REUSED_INPUTS;
	} else if (configure_and_make(g, &kb, d, last, keep_config, &st, &reused)) {
		goto out;
	}
	/* the boot image's name, as kbuild gives it for this .config; built where make ran */
	if (st.status == KB_STEP_OK && c->boot_image && kb_kbuild_image_name(&kb, &boot))
		goto out;
	if (st.status == KB_STEP_OK && reused == KB_REUSED_NO &&
	    make_outputs(c, g, &kb, boot.buf, &st))
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
	req.reused = reused;
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
		if (c->boot_image) {
			strbuf_addf(&boot_path, "%s/%s", g->obj, boot.buf);
			req.boot_name = boot.buf;
			req.boot_image = boot_path.buf;
		}
		req.modules = c->modules;
		/* a modules.order left from an earlier .config with modules is not this one's */
		req.no_modules = c->modules && !kb_obj_has_modules(g->obj);
		strbuf_addf(&text, "%s/MAINTAINERS", c->src);
		req.ktree = tree_ktree(c, sha, log.buf);
		if (!access(text.buf, R_OK) && tree_maint(c, sha, log.buf, &req.maint)) {
			strbuf_reset(&text);
			strbuf_addstr(&text, kb_error_last()); /* the tree's fault */
			kb_error_clear();
			req.fault = text.buf;
		}
		/* the image make made for memo_image, read with the same MAINTAINERS and
		 * Kconfig model: what its analysis gave is this build's too */
		req.memo = &g->memo;
		req.use_memo = reused == KB_REUSED_INPUTS && !strcmp(g->memo_image, last) &&
			       g->memo_maint == c->maint_parsed && g->memo_ktree == c->ktree_parsed;
		if (req.use_memo)
			log_line(log.buf, "analysis", "the image's, recorded for the last commit");
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
	if (req.memo && !req.use_memo) {
		/* memo holds this analysis now, or (a fault) nothing */
		if (g->memo.valid)
			memcpy(g->memo_image, reused ? last : sha, 41);
		g->memo_maint = c->maint_parsed;
		g->memo_ktree = c->ktree_parsed;
	}
	if (st.status == KB_STEP_OK && !res.fault[0]) {
		fill_from_brief(out, &brief);
		out->reused = reused;
		/* the config targets ran (or need not have) with this commit's config inputs */
		if (reused != KB_REUSED_INPUTS)
			memcpy(g->config_at, sha, 41);
		/* make built this commit here: the next one is compared with it */
		if (!reused && write_stamp(g, sha))
			goto out;
	}
	rc = 0;
out:
	strbuf_release(&log);
	strbuf_release(&why);
	strbuf_release(&path);
	strbuf_release(&map);
	strbuf_release(&dotconfig);
	strbuf_release(&text);
	strbuf_release(&boot);
	strbuf_release(&boot_path);
	return rc;
}
