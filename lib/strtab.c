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

static uint64_t slot_of(uint32_t h, uint32_t id)
{
	return (uint64_t)h << 32 | ((uint64_t)id + 1);
}

static void strtab_resize(struct kb_strtab *t, size_t n)
{
	size_t i;

	free(t->slots);
	t->slots = xcalloc(n, sizeof(*t->slots));
	t->nslots = n;
	for (i = 0; i < t->nr; i++) {
		size_t j = t->hashes[i] & (n - 1);

		while (t->slots[j])
			j = (j + 1) & (n - 1);
		t->slots[j] = slot_of(t->hashes[i], (uint32_t)i);
	}
}

static void strtab_grow_ids(struct kb_strtab *t, size_t n)
{
	if (n <= t->alloc)
		return;
	t->alloc = t->alloc ? t->alloc * 2 : 256;
	if (t->alloc < n)
		t->alloc = n;
	t->strs = xreallocarray(t->strs, t->alloc, sizeof(*t->strs));
	t->hashes = xreallocarray(t->hashes, t->alloc, sizeof(*t->hashes));
}

/* The id in slot v if it holds s (whose hash is h), else -1; the hash is compared first. */
static long slot_matches(const struct kb_strtab *t, uint64_t v, uint32_t h, const char *s,
			 size_t len)
{
	const char *c;

	if ((uint32_t)(v >> 32) != h)
		return -1;
	c = t->strs[(uint32_t)v - 1];
	return !strncmp(c, s, len) && c[len] == '\0' ? (long)(uint32_t)v - 1 : -1;
}

long kb_strtab_find(const struct kb_strtab *t, const char *s, size_t len)
{
	uint32_t h = kb_strhash(s, len);
	size_t j;

	if (!t->nslots)
		return -1;
	for (j = h & (t->nslots - 1); t->slots[j]; j = (j + 1) & (t->nslots - 1)) {
		long id = slot_matches(t, t->slots[j], h, s, len);

		if (id >= 0)
			return id;
	}
	return -1;
}

uint32_t kb_strtab_intern(struct kb_strtab *t, const char *s, size_t len, const char **out)
{
	uint32_t h = kb_strhash(s, len), id;
	size_t j;
	long found;

	if ((t->nr + 1) * 2 > t->nslots)
		strtab_resize(t, t->nslots ? t->nslots * 2 : 1024);
	for (j = h & (t->nslots - 1); t->slots[j]; j = (j + 1) & (t->nslots - 1)) {
		found = slot_matches(t, t->slots[j], h, s, len);
		if (found >= 0) {
			id = (uint32_t)found;
			goto found;
		}
	}
	id = (uint32_t)t->nr;
	strtab_grow_ids(t, t->nr + 1);
	t->strs[id] = kb_arena_strndup(&t->arena, s, len);
	t->hashes[id] = h;
	t->nr++;
	t->slots[j] = slot_of(h, id);
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
