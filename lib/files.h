/*
 * files.h - where a program finds its data files.
 */
#ifndef KB_FILES_H
#define KB_FILES_H

#include "strbuf.h"

#include <errno.h>

/* Where a directory of data (config fragments, gnuplot scripts) may be. */
struct kb_data_where {
	const char *env; /* a variable that names it when set */
	const char *relative; /* from the running binary's directory: "../share/kbloat/plots" */
	/* a binary under build_dir (the build tree it was built in) uses source */
	const char *build_dir, *source;
	const char *installed; /* the configure-time path: the last resort */
};

/*
 * The directory of data into out: $env if set; else the source tree's for a binary that
 * runs from its build tree; else the one beside the binary (an installed tree moved
 * anywhere: /proc/self/exe's directory, then relative) when it is a directory; else the
 * configure-time installed path.
 */
void kb_data_dir(struct strbuf *out, const struct kb_data_where *w);

/*
 * The errno of a path that is not a regular file (a FIFO, a socket, a device, a directory):
 * EMEDIUMTYPE, which no open or read of a file gives, so that kb_strerror() can name it.
 */
#define KB_ENOTREG EMEDIUMTYPE

/*
 * Opens path read-only if it is a regular file: opened with O_NONBLOCK (a FIFO without a
 * writer cannot hang the open), checked with fstat, then made blocking again. Returns the
 * descriptor (O_CLOEXEC), or -1 with errno set (KB_ENOTREG for what is not a regular file).
 */
int kb_open_regular(const char *path);
/*
 * The same, but with allow_pipe a pipe or FIFO is taken too (a build log given as
 * `--log <(...)`): opened without blocking, then blocking reads end at EOF when it has no
 * writer, so a FIFO nobody writes to reads as empty instead of hanging.
 */
int kb_open_readable(const char *path, int allow_pipe);

/* strerror(err), but "not a regular file" for KB_ENOTREG. */
const char *kb_strerror(int err);

/* mkdir -p: makes path and its missing parents. Errors name the directory. */
int kb_mkdirs(const char *path);

#endif
