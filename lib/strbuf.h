/*
 * strbuf.h - growable strings (after git's strbuf.h).
 *
 * A strbuf always holds a NUL-terminated buffer once initialised with STRBUF_INIT;
 * every string that grows goes through one, never a fixed buffer with snprintf truncation.
 * Allocation failure aborts the program: there is no sane way on from there.
 */
#ifndef KB_STRBUF_H
#define KB_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT                  \
	{                            \
		0, 0, strbuf_slopbuf \
	}

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Hands the buffer to the caller (who frees it) and leaves sb empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_reset(struct strbuf *sb);
void strbuf_setlen(struct strbuf *sb, size_t len);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addchars(struct strbuf *sb, int c, size_t n);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Appends s as one file name: what is not [A-Za-z0-9._-] becomes '_' (no '/', no markup). */
void strbuf_add_filename(struct strbuf *sb, const char *s);
/*
 * Reads a whole regular file; returns 0, or -1 with errno set. A FIFO, a socket, a device or
 * a directory is refused before it is read (opened without blocking, then fstat): errno is
 * KB_ENOTREG then (see kb_open_regular), and kb_strerror() says "not a regular file".
 */
int strbuf_read_file(struct strbuf *sb, const char *path);
/* strbuf_read_file, but with allow_pipe a pipe or FIFO is read too (kb_open_readable). */
int strbuf_read_path(struct strbuf *sb, const char *path, int allow_pipe);

#endif
