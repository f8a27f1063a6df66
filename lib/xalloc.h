/*
 * xalloc.h - allocation that cannot return NULL: out of memory ends the program with a
 * message, as git's xmalloc does. Library code uses these for bookkeeping; errors that a
 * caller can act on (bad input) are returned, never died on.
 */
#ifndef KB_XALLOC_H
#define KB_XALLOC_H

#include <stddef.h>

void xdie_oom(void) __attribute__((noreturn));
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * xmalloc for a block about to be written through: from XALLOC_HUGE bytes on, aligned to
 * it and advised as huge pages (transparent huge pages in "madvise" mode), a fault for each
 * 2 MiB rather than each 4 KiB (a history's 100,000 rows took 9,000 faults, a sixth of its
 * time). Freed with free(); the advice changes no byte and is ignored where the kernel has
 * no such pages.
 */
#define XALLOC_HUGE ((size_t)2 << 20)
void *xmalloc_huge(size_t n);

/* Grows array (of alloc elements) so that it holds at least nr elements. */
#define ALLOC_GROW(array, nr, alloc)                                                 \
	do {                                                                         \
		if ((nr) > (alloc)) {                                                \
			(alloc) = (alloc) ? (alloc)*2 : 16;                          \
			if ((alloc) < (nr))                                          \
				(alloc) = (nr);                                      \
			(array) = xreallocarray((array), (alloc), sizeof(*(array))); \
		}                                                                    \
	} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
