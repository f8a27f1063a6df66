/*
 * fuzz_map.c - libFuzzer target for the GNU ld map reader: any bytes either parse into a
 * map whose spans keep map.h's promises (sorted, disjoint, non-empty, each found by
 * kb_map_lookup) or are refused with an error; nothing crashes, leaks or reads past the
 * input (which is copied to an exact-size buffer so the sanitizer sees any overrun).
 * An input with a line "vmlinux.o.map" is two maps: vmlinux.map before it, the vmlinux.o.map
 * of its ld -r after, composed (kb_map_parse_composed): each in a buffer of its own.
 */
#include "map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SEP "\nvmlinux.o.map\n"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memmem(data, size, SEP, strlen(SEP));
	size_t len = sep ? (size_t)(sep - data) : size, i;
	size_t rlen = sep ? size - len - strlen(SEP) : 0;
	char *text = malloc(len ? len : 1), *rtext = sep ? malloc(rlen ? rlen : 1) : NULL;
	struct kb_map *m;
	int rc;

	memcpy(text, data, len);
	if (sep)
		memcpy(rtext, sep + strlen(SEP), rlen);
	rc = kb_map_parse_composed(&m, "fuzz.map", text, len, "vmlinux.o.map", rtext, rlen);
	free(rtext);
	if (rc) {
		free(text);
		return 0;
	}
	if (strnlen(m->warning, sizeof(m->warning)) == sizeof(m->warning))
		abort();
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
