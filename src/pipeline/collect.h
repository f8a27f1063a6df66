/*
 * collect.h - the collector's engine, as `collect`, `bisect` and `bisect-run` share it: a
 * work directory kbloat owns (a private checkout, one persistent O= build directory per
 * (config, arch), the build logs), and one build of one commit in one config, from checkout
 * to the recorded result.
 *
 * The work directory (default: DB.work beside the database):
 *   src/             the private work tree; src.commit names the commit it holds (written
 *                    once a checkout is complete: without it, src/ is checked out anew)
 *   build/KEY/       O= of config KEY (the config's name and arch, made file-name safe, and
 *                    when CROSS_COMPILE or LLVM are set, a hash of them)
 *   logs/KEY/SHA.log the build log of each commit
 *   lock             held (flock) while a collector uses the directory
 *   make.pid         the running make's process group: a make that outlived a collector
 *                    killed with SIGKILL is ended by the next one before it builds
 *
 * Promises:
 *  - A build is recorded whole or not at all: ok (analyzed image), failed (with the log
 *    tail), or failed by timeout. A stopped build (Ctrl-C, SIGTERM) records nothing.
 *  - What the commit made or holds that cannot be analyzed (MAINTAINERS without sections,
 *    a corrupt image, map or .config) is the commit's failure: recorded as failed with the
 *    reason at the end of the log tail. What the machine could not do (see kbuild.h) is an
 *    error: nothing is recorded, and the next run builds the commit again.
 *  - The repository's own work tree and index are never touched.
 */
#ifndef KB_COLLECT_H
#define KB_COLLECT_H

#include "config.h"
#include "kbuild.h"
#include "record.h"
#include "repo.h"
#include "store.h"

#include <signal.h>
#include <stdint.h>

struct kb_repo;
struct kb_inputs;
struct kb_maint;
struct kb_ktree;

struct kb_collect_opts {
	const char *db, *repo, *workdir; /* workdir NULL: DB.work */
	const char *const *configs; /* specs */
	size_t nconfigs;
	/* NULL: the environment's ARCH, CROSS_COMPILE (as kbuild takes them), else the host's
	 * arch (kb_host_arch) and none */
	const char *arch, *cross;
	/* --make-arg VAR=VALUE (kb_make_arg_check'ed), for every make */
	const char *const *make_args;
	size_t nmake_args;
	/* ccache, distcc, icecc, none; auto or NULL: ccache if it is on PATH, else none */
	const char *cc_wrapper;
	int llvm, jobs; /* llvm 0: the environment's LLVM, if any */
	double timeout;
	int retry_failed; /* rebuild builds recorded as failed */
	int dry_run; /* nothing is built: a make an earlier kbloat left is not ended either */
	int no_skip; /* run make for every commit, even one that changes no input of the build */
	int boot_image; /* build the arch's boot image too and record its size (schema 008) */
	int modules; /* make modules too, where .config has CONFIG_MODULES=y, and record them */
};

struct kb_collect_cfg {
	/* spec.name is the config's identity in the store: the spec as given, then the
	 * toolchain (LLVM=, CROSS_COMPILE= unless it is the arch's Debian triplet) and the make
	 * variables that change what is built (--make-arg, KCFLAGS and the like from the
	 * environment), " VAR=VALUE" each */
	struct kb_config_spec spec;
	int base_checked; /* the tree's kbuild was asked whether it knows spec.base */
	char *key, *obj, *logdir, *fragments; /* fragments: as the store keeps them */
	struct kb_inputs *inputs; /* the .cmd records of obj, kept between builds */
	char *stamp; /* obj/.kbloat-built: the commit make last built there, and with what */
	char *setup; /* what the stamp must say of the build besides the commit */
	/* the last analysis recorded for this config: a commit recorded again without make
	 * (nothing it builds from changed) is recorded from it, without reading the image */
	struct kb_record_memo memo;
	char memo_image[41]; /* the commit whose make made the image analyzed, "" if none */
	size_t memo_maint, memo_ktree; /* maint_parsed and ktree_parsed when it was made */
	/* the commit whose config inputs the config targets last ran with (make building it,
	 * or .config coming out unchanged): config inputs changed before it are dealt with */
	char config_at[41];
};

struct kb_collector {
	struct kb_store *store;
	struct kb_repo *repo;
	char *work, *src;
	char checked_out[41]; /* what src/ holds, "" if unknown */
	struct kb_collect_cfg *cfgs;
	size_t ncfgs;
	struct kb_kbuild kb; /* arch, toolchain, jobs, timeout, stop: the same for every config */
	char *map_fragment, *compiler, *linker, *pidfile;
	/* "CROSS_COMPILE=.. LLVM=..": the toolchain's variables (part of the build directory's
	 * key); "KCFLAGS=.. ...": the environment's variables kbuild takes (of each config's
	 * name). "" when there are none. */
	char *toolchain_vars, *kbuild_vars;
	int lock_fd, retry_failed, no_skip;
	int boot_image, modules; /* what to build besides vmlinux (kb_collect_opts) */
	int reaped_make; /* opening ended a make an earlier, killed kbloat left running */
	size_t built; /* builds run (not found recorded) since opening */
	struct kb_maint *maint; /* the tree's MAINTAINERS as of maint_sha, or NULL */
	char maint_sha[41];
	size_t maint_parsed; /* times MAINTAINERS was parsed since opening */
	struct kb_ktree *ktree; /* the tree's Kconfig model as of ktree_sha, or NULL */
	char ktree_sha[41];
	size_t ktree_parsed; /* times it was read since opening */
	/* the last two paths-changed queries, from..to: the checkout asks the one from the
	 * commit before, the decision the one from the last build, and tree_maint and
	 * tree_ktree one of these two */
	struct kb_path_changes chg[2];
	char chg_from[2][41], chg_to[2][41];
	int chg_next; /* the entry the next new query replaces */
	/* with ccache: its counters when the collector opened (has_ccache_stats 0: unknown) */
	int has_ccache_stats;
	uint64_t ccache_hits, ccache_misses;
};

enum kb_outcome_status {
	KB_OUT_OK,
	KB_OUT_FAILED,
	KB_OUT_TIMEOUT,
	KB_OUT_STOPPED,
};

struct kb_outcome {
	enum kb_outcome_status status;
	int already; /* found recorded: nothing was built */
	int reused; /* enum kb_reused: recorded without make, the build directory's last image */
	int64_t total, delta; /* ok builds; delta against the parent build when has_delta */
	int has_delta;
	double seconds; /* building */
	char what[160]; /* failed builds: the step and how */
	char warning[512]; /* the analysis's warning, "" if none */
};

/* A config's name and arch (and toolchain, when not NULL: "CROSS_COMPILE=.. LLVM=..") as one
 * file name: the KEY of build/KEY and logs/KEY. */
char *kb_collect_key(const char *name, const char *arch, const char *toolchain);

/* The variables of the environment kbuild takes and that change what is built, besides
 * ARCH, CROSS_COMPILE and LLVM (KCFLAGS, KCPPFLAGS, KAFLAGS, ...), NULL-terminated. */
extern const char *const kb_kbuild_env_vars[];

/* 0 if arg is a VAR=VALUE kbloat can put on the make line; else KB_ERR, the error naming it
 * (a bad name, or a variable kbloat sets itself and the option that sets it). */
int kb_make_arg_check(const char *arg);
/* The host's ARCH as kbuild spells it: x86_64, arm64, riscv, ... */
const char *kb_host_arch(void);
/* The ARCH to build for, as kbuild takes it: arch (the option) if not NULL, else the
 * environment's ARCH if set, else the host's. */
const char *kb_collect_arch(const char *arch);

/* The signal flag every build step watches: set it to stop the build in progress. */
extern volatile sig_atomic_t kb_collect_stop;
/* Installs handlers for SIGINT, SIGTERM and SIGHUP that set kb_collect_stop. */
void kb_collect_catch_signals(void);

/* Opens the database, the repository and the work directory (locking it), and parses the
 * config specs. *out is set only on success; on failure everything opened is closed again
 * and the error names the thing. */
int kb_collector_open(struct kb_collector **out, const struct kb_collect_opts *o);
void kb_collector_close(struct kb_collector *c);

/* 1 if commit sha (full) needs building in config cfg (not recorded, or failed and
 * retrying), 0 if not (b then holds what is recorded), KB_ERR. */
int kb_collect_needed(struct kb_collector *c, const char *sha, size_t cfg,
		      struct kb_build_brief *b);
/* Builds commit sha (full) in config cfg and records it, unless it is recorded already. */
int kb_collect_build(struct kb_collector *c, const char *sha, size_t cfg, struct kb_outcome *out);

/* With ccache as the wrapper, "ccache: H hits of N (P%)" for the compilations since the
 * collector opened, from `ccache --print-stats` (CCACHE_DIR as the user has it); else
 * nothing. */
void kb_collect_ccache_summary(struct kb_collector *c, struct strbuf *line);

/* Parses a duration: "90" or "90s", "30m", "2h". Returns -1 if it is not one. */
double kb_parse_duration(const char *s);

#endif
