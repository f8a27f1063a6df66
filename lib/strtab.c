/*
 * strtab.c - open-addressing string interning; see strtab.h.
 */
#include "strtab.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

uint32_t kb_strhash(const char *s, size_t len)
{
	/* FNV-1a, then a final mix so that short keys spread over the table */
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	h ^= h >> 15;
	h *= 0x2c1b3c6dU;
	h ^= h >> 12;
	return h;
}

static void strtab_rehash(struct kb_strtab *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 1024, i;

	free(t->slots);
	t->slots = xcalloc(n, sizeof(*t->slots));
	t->nslots = n;
	for (i = 0; i < t->nr; i++) {
		size_t j = t->hashes[i] & (n - 1);

		while (t->slots[j])
			j = (j + 1) & (n - 1);
		t->slots[j] = (uint32_t)i + 1;
	}
}

static int slot_matches(const struct kb_strtab *t, uint32_t id, uint32_t h, const char *s,
			size_t len)
{
	const char *c = t->strs[id];

	return t->hashes[id] == h && !strncmp(c, s, len) && c[len] == '\0';
}

long kb_strtab_find(const struct kb_strtab *t, const char *s, size_t len)
{
	uint32_t h = kb_strhash(s, len);
	size_t j;

	if (!t->nslots)
		return -1;
	for (j = h & (t->nslots - 1); t->slots[j]; j = (j + 1) & (t->nslots - 1))
		if (slot_matches(t, t->slots[j] - 1, h, s, len))
			return (long)t->slots[j] - 1;
	return -1;
}

uint32_t kb_strtab_intern(struct kb_strtab *t, const char *s, size_t len, const char **out)
{
	uint32_t h = kb_strhash(s, len), id;
	size_t j;

	if ((t->nr + 1) * 2 > t->nslots)
		strtab_rehash(t);
	for (j = h & (t->nslots - 1); t->slots[j]; j = (j + 1) & (t->nslots - 1)) {
		id = t->slots[j] - 1;
		if (slot_matches(t, id, h, s, len))
			goto found;
	}
	id = (uint32_t)t->nr;
	if (t->nr + 1 > t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 256;
		t->strs = xreallocarray(t->strs, t->alloc, sizeof(*t->strs));
		t->hashes = xreallocarray(t->hashes, t->alloc, sizeof(*t->hashes));
	}
	t->strs[id] = kb_arena_strndup(&t->arena, s, len);
	t->hashes[id] = h;
	t->nr++;
	t->slots[j] = id + 1;
found:
	if (out)
		*out = t->strs[id];
	return id;
}

void kb_strtab_release(struct kb_strtab *t)
{
	kb_arena_release(&t->arena);
	free(t->slots);
	free(t->strs);
	free(t->hashes);
	memset(t, 0, sizeof(*t));
}
