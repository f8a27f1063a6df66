/*
 * arena.c - bump allocation in blocks of at least 64 KiB; see arena.h.
 */
#include "arena.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct kb_arena_block {
	struct kb_arena_block *next;
	max_align_t data[];
};

#define ARENA_BLOCK (64 * 1024)

void *kb_arena_alloc(struct kb_arena *a, size_t n)
{
	size_t align = sizeof(max_align_t);
	char *p;

	n = (n + align - 1) & ~(align - 1);
	if (!a->head || a->avail - a->used < n) {
		size_t sz = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		struct kb_arena_block *b = xmalloc(sizeof(*b) + sz);

		b->next = a->head;
		a->head = b;
		a->used = 0;
		a->avail = sz;
	}
	p = (char *)a->head->data + a->used;
	a->used += n;
	return p;
}

char *kb_arena_strndup(struct kb_arena *a, const char *s, size_t n)
{
	char *p = kb_arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *kb_arena_strdup(struct kb_arena *a, const char *s)
{
	return kb_arena_strndup(a, s, strlen(s));
}

void kb_arena_release(struct kb_arena *a)
{
	struct kb_arena_block *b = a->head;

	while (b) {
		struct kb_arena_block *next = b->next;

		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = a->avail = 0;
}
