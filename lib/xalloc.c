/*
 * xalloc.c - allocation wrappers that end the program on out-of-memory.
 */
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void xdie_oom(void)
{
	fputs("kbloat: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		xdie_oom();
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		xdie_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		xdie_oom();
	return p;
}

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		xdie_oom();
	return xrealloc(p, nmemb * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *xmalloc_huge(size_t n)
{
	void *p;

	if (n < XALLOC_HUGE)
		return xmalloc(n);
	/* aligned and rounded up, so that every 2 MiB of it, its tail too, can be one page */
	if (n > SIZE_MAX - XALLOC_HUGE)
		xdie_oom();
	n = (n + XALLOC_HUGE - 1) & ~(XALLOC_HUGE - 1);
	if (posix_memalign(&p, XALLOC_HUGE, n))
		xdie_oom();
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE); /* its tail to the end of its last page */
#endif
	return p;
}
