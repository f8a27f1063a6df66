/*
 * fuzz_map.c - libFuzzer target for the GNU ld map reader: any bytes either parse into a
 * map whose spans keep map.h's promises (sorted, disjoint, non-empty, each found by
 * kb_map_lookup) or are refused with an error; nothing crashes, leaks or reads past the
 * input (which is copied to an exact-size buffer so the sanitizer sees any overrun).
 */
#include "map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kb_map *m;
	char *text = malloc(size ? size : 1);
	size_t i;

	memcpy(text, data, size);
	if (kb_map_parse(&m, "fuzz.map", text, size)) {
		free(text);
		return 0;
	}
	for (i = 0; i < m->nspans; i++) {
		const struct kb_map_span *s = &m->spans[i];

		if (!s->size || !s->insec || !s->outsec || (s->source && !s->object))
			abort();
		if (i && m->spans[i - 1].addr + m->spans[i - 1].size > s->addr)
			abort();
		if (kb_map_lookup(m, s->addr) != s || kb_map_lookup(m, s->addr + s->size - 1) != s)
			abort();
		if (s->addr && kb_map_lookup(m, s->addr - 1) == s)
			abort();
	}
	kb_map_lookup(m, 0);
	kb_map_lookup(m, UINT64_MAX);
	kb_map_lookup(m, size);
	kb_map_free(m);
	free(text);
	return 0;
}
