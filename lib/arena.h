/*
 * arena.h - a bump allocator for the many small, same-lifetime allocations of an image
 * (names, paths, rows). Everything is freed at once with kb_arena_release().
 */
#ifndef KB_ARENA_H
#define KB_ARENA_H

#include <stddef.h>

struct kb_arena_block;

struct kb_arena {
	struct kb_arena_block *head;
	size_t used; /* bytes used in head */
	size_t avail; /* bytes that head holds */
};

#define KB_ARENA_INIT      \
	{                  \
		NULL, 0, 0 \
	}

void *kb_arena_alloc(struct kb_arena *a, size_t n);
char *kb_arena_strndup(struct kb_arena *a, const char *s, size_t n);
char *kb_arena_strdup(struct kb_arena *a, const char *s);
void kb_arena_release(struct kb_arena *a);

#endif
