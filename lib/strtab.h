/*
 * strtab.h - a string interning table: each distinct string is stored once (in the table's
 * arena) and numbered densely from 0 in order of first insertion, so callers can keep
 * per-string data in plain arrays indexed by that number.
 */
#ifndef KB_STRTAB_H
#define KB_STRTAB_H

#include "arena.h"

#include <stddef.h>
#include <stdint.h>

struct kb_strtab {
	struct kb_arena arena;
	uint64_t *slots; /* hash << 32 | (index+1 into strs), 0 = empty: one probe, one load */
	size_t nslots; /* power of two */
	const char **strs; /* interned strings by id */
	uint32_t *hashes; /* hash by id */
	size_t nr, alloc;
};

#define KB_STRTAB_INIT                                   \
	{                                                \
		KB_ARENA_INIT, NULL, 0, NULL, NULL, 0, 0 \
	}

uint32_t kb_strhash(const char *s, size_t len);
/* Interns s[0..len) and returns its id; *out (if not NULL) gets the stored copy. */
uint32_t kb_strtab_intern(struct kb_strtab *t, const char *s, size_t len, const char **out);
/* Returns the id of s, or -1 if absent. */
long kb_strtab_find(const struct kb_strtab *t, const char *s, size_t len);
void kb_strtab_release(struct kb_strtab *t);

#endif
