/*
 * inputs.h - what a kernel build in an O= directory read, and whether a commit's changes
 * can change its image: the collector skips make when they cannot ("when in doubt, build").
 *
 * A build's inputs are:
 *  - every file kbuild's dependency records in O= name: the `.*.cmd` files, which fixdep
 *    writes for each target (source_T, the source; deps_T, the headers the compiler read;
 *    `$(wildcard include/config/SYM)` entries are config dependencies, not files) and
 *    if_changed writes for every other one (savedcmd_T, the command line: every word of it
 *    that names a file, so the linker script, the syscall tables, a script's data files);
 *  - what make and Kconfig read without a record: Kconfig*, Makefile*, Kbuild*, scripts/,
 *    tools/ (objtool and other host tools), linker scripts (*.lds*), localversion* (read by
 *    setlocalversion), and the config targets' fragments (kernel/configs/, arch/x/configs/);
 *  - a file ADDED under an include directory or named *.h: a new header can shadow one on
 *    the include path without any record naming it.
 * A change to anything else that is not a known non-input (Documentation/, MAINTAINERS,
 * README, COPYING, CREDITS, LICENSES/, .gitignore, .mailmap, ...) or a C, assembly or Rust
 * source or header absent from the records is a doubt, and a doubt builds.
 *
 * Promises:
 *  - The parsed records are kept per build directory and only the `.cmd` files whose size or
 *    time changed since the last refresh are parsed again.
 *  - A record that cannot be parsed is an error naming the file and line; the collector
 *    then builds.
 */
#ifndef KB_INPUTS_H
#define KB_INPUTS_H

#include "repo.h"
#include "strbuf.h"

#include <stddef.h>

/* The files one `.cmd` text names, relative to src where they are under it (absolute paths
 * outside src are kept as they are; they never match a path of the tree). */
struct kb_cmd_deps {
	char **v;
	size_t n;
};

/*
 * Parses the text of one `.cmd` file (name, for messages: "O/init/.main.o.cmd"), taking
 * absolute paths under src (NULL: none) relative to it. Returns 0 and out (the caller
 * releases it with kb_cmd_deps_release), or KB_ERR: "NAME:LINE: PROBLEM".
 */
int kb_cmd_parse(struct kb_cmd_deps *out, const char *text, size_t len, const char *src,
		 const char *name);
void kb_cmd_deps_release(struct kb_cmd_deps *d);

struct kb_inputs; /* the parsed records of one build directory */

/* A new, empty set for build directory obj of tree src; freed with kb_inputs_free. */
struct kb_inputs *kb_inputs_new(const char *obj, const char *src);
void kb_inputs_free(struct kb_inputs *in);

/* Reads the `.cmd` files of obj that are new or changed since the last call and forgets the
 * ones that are gone. KB_ERR names the first that cannot be read or parsed. */
int kb_inputs_refresh(struct kb_inputs *in);
/* 1 if a record names path (relative to src), else 0. */
int kb_inputs_has(const struct kb_inputs *in, const char *path);
/* The number of `.cmd` files held, and of them parsed by the last refresh. */
size_t kb_inputs_files(const struct kb_inputs *in, size_t *parsed);

enum kb_decision {
	KB_DECIDE_SKIP, /* no input changed: the image is the last build's */
	KB_DECIDE_CONFIG, /* only config inputs: configure, and build if .config changed */
	KB_DECIDE_BUILD,
};

/*
 * What changes (from the commit last built in in's directory to the one to build) call
 * for, in a tree whose architecture directory is arch/srcarch. why gets the first path that
 * decided (and why) for the build log: "fs/ext4/Kconfig: a Kconfig file".
 */
enum kb_decision kb_inputs_decide(const struct kb_inputs *in, const struct kb_path_changes *changes,
				  const char *srcarch, struct strbuf *why);

/*
 * 1 if a change may change what the config targets make of the tree: a config input
 * (above), a Makefile (targets, defaults) or anything under scripts/ (conf itself and the
 * scripts Kconfig runs). 0: the build directory's .config is what configuring would make.
 */
int kb_inputs_config_touched(const struct kb_path_changes *changes, const char *srcarch);

#endif
