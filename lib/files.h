/*
 * files.h - where a program finds its data files.
 */
#ifndef KB_FILES_H
#define KB_FILES_H

#include <errno.h>

/* A directory of data (config fragments, gnuplot scripts): $env if set, else the source
 * tree's (a build run in place), else the installed one. */
const char *kb_data_dir(const char *env, const char *source, const char *installed);

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
