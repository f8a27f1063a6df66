/*
 * error.h - the last error's text, kept for the caller (as libgit2's git_error_last()).
 *
 * Library functions return a negative value and call kb_error_set() with a message that
 * names the thing and the problem ("vmlinux: not an ELF file"). The text is per thread.
 */
#ifndef KB_ERROR_H
#define KB_ERROR_H

enum kb_error_code {
	KB_OK = 0,
	KB_ERR = -1, /* bad input or failed operation: exit status 2 at the CLI */
	KB_ENOTFOUND = -3 /* the thing asked for is absent (no DWARF, no such symbol) */
};

int kb_error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Returns the last error's text, or "" if none was set. */
const char *kb_error_last(void);
void kb_error_clear(void);

#endif
