/*
 * kbuild.h - driving a kernel tree's own build as a kernel developer would: `make O=DIR
 * ARCH=... tinyconfig`, the config fragments merged as merge_config.sh merges them,
 * `olddefconfig`, then `make vmlinux`, with kbuild's spelling of every knob.
 *
 * Promises:
 *  - make runs from an argument vector (never a shell) in its own process group, with
 *    its output appended to the step log, the reproducible variables pinned
 *    (KBUILD_BUILD_TIMESTAMP, _USER, _HOST, _VERSION; LOCALVERSION= on the command line so
 *    that a git work tree gets no "+"), LC_ALL=C so that the log reads the same everywhere.
 *  - The link writes O/vmlinux.map: kernels/configs/map.config (EXPERT, VMLINUX_MAP) is
 *    merged before the spec's own fragments, never LDFLAGS_vmlinux on the make line.
 *  - A step that fails, outlives the timeout or is stopped is reported in the step
 *    result, not as an error: errors are kbloat's own (make not found, a file it cannot
 *    write), and name the thing.
 *  - A step that failed for the machine rather than the commit is an error, not a step
 *    result: make killed by a signal kbloat did not send (the OOM killer's SIGKILL, a crash),
 *    make exiting 126/127 (a program it must run is missing), O= out of room afterwards (a
 *    write of ours fails with ENOSPC/EDQUOT, or statvfs finds less than KBLOAT_MIN_FREE_MB,
 *    default 64 MiB, free). So nothing is recorded, and a rerun builds the commit again.
 */
#ifndef KB_KBUILD_H
#define KB_KBUILD_H

#include "config.h"
#include "run.h"
#include "files.h"
#include "strbuf.h"
#include "strtab.h"

struct kb_kbuild {
	const char *src; /* the kernel tree */
	const char *obj; /* O=: the build directory, made if missing */
	const char *arch; /* ARCH=, as kbuild spells it (x86_64, riscv, arm64) */
	const char *srcarch; /* arch/ARCH's directory (x86 for x86_64); NULL: arch */
	const char *cross; /* CROSS_COMPILE= prefix, or NULL */
	const char *llvm; /* LLVM=: 1, a prefix ending in '/', a suffix starting '-'; or NULL */
	/* VAR=VALUE assignments for the make line (--make-arg), after kbloat's own; CC= and
	 * LD= among them name the toolchain (kb_kbuild_toolchain) */
	const char *const *make_args;
	size_t nmake_args;
	const char *cc_wrapper; /* ccache, distcc or icecc: CC="ccache gcc"; or NULL */
	int jobs; /* -j */
	double timeout; /* seconds per build (config and vmlinux steps together); 0: none */
	const char *log; /* every step's output is appended here */
	const char *map_fragment; /* map.config, merged before the spec's fragments; or NULL */
	const volatile sig_atomic_t *stop;
	const char *pidfile; /* make's process group while it runs (see kb_run), or NULL */
};

enum kb_step_status { KB_STEP_OK, KB_STEP_FAILED, KB_STEP_TIMEOUT, KB_STEP_STOPPED };

struct kb_build_step {
	enum kb_step_status status;
	double seconds; /* of the steps run so far */
	char what[160]; /* the failed step and how: "make vmlinux exited with 2" */
};

/*
 * Makes O/.config for spec: the base target (tinyconfig for modular) or the base .config file
 * copied in, the map fragment and
 * the spec's fragments merged on top, olddefconfig; for modular, MODULES=y, then every
 * tristate that config reaches made m (allmodconfig with KCONFIG_ALLCONFIG holding every
 * other answer, new bools forced off). For a spec ending in +modular, then MODULES=y and
 * olddefconfig, and `make yes2modconfig` if the tree's scripts/kconfig/Makefile or Makefile
 * names it, else every tristate of its Kconfig files that is y written m and olddefconfig
 * (the log says so). Requested values that did not survive are noted in notes (one line
 * each), as merge_config.sh warns; a requested y that +modular made m is not one. Returns 0
 * with st filled, or KB_ERR.
 */
int kb_kbuild_configure(const struct kb_kbuild *k, const struct kb_config_spec *spec,
			struct strbuf *notes, struct kb_build_step *st);

/*
 * The config targets the tree's kbuild knows: each word of `make help` that is a target's
 * name ([A-Za-z0-9_-]*config; Linux lists the arch's *_defconfig files among them), and the
 * *_defconfig files of arch/SRCARCH/configs. None when make help fails or names no config
 * target (a make that cannot tell); KB_ERR only for the machine's failures (see above).
 */
int kb_kbuild_config_targets(const struct kb_kbuild *k, struct kb_strtab *out);

/* `make vmlinux`, with the time left of k->timeout after st's earlier steps. */
int kb_kbuild_vmlinux(const struct kb_kbuild *k, struct kb_build_step *st);

/* `make TARGET` (modules, say), with the time left of k->timeout after st's earlier steps. */
int kb_kbuild_target(const struct kb_kbuild *k, const char *target, struct kb_build_step *st);

/*
 * The boot image kbuild builds by default for k's arch, as a path relative to O= in name:
 * what `make -s image_name` prints (the top Makefile's KBUILD_IMAGE), else, in a tree without
 * that target, the arch Makefile's default (x86 arch/x86/boot/bzImage, arm64 and riscv
 * arch/ARCH/boot/Image.gz, ...). KB_ERR for an arch kbloat knows no default for.
 */
int kb_kbuild_image_name(const struct kb_kbuild *k, struct strbuf *name);
/* `make bzImage` (the file name of name, as the arch Makefiles name the target). */
int kb_kbuild_boot_image(const struct kb_kbuild *k, const char *name, struct kb_build_step *st);

/* The first lines of `CC --version` and `LD --version` for k's toolchain; KB_ERR if the
 * compiler cannot be run (every build would fail for the machine, not the commits). */
int kb_kbuild_toolchain(const struct kb_kbuild *k, struct strbuf *compiler, struct strbuf *linker);

#endif
