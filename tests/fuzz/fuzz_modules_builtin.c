/*
 * fuzz_modules_builtin.c - libFuzzer target for the readers of modules.builtin and
 * modules.builtin.ranges (analyzer/modular.c): the bytes read as both. Must never crash,
 * leak or read out of bounds; every module name read is a "kernel/X.ko" line's X, and every
 * range is non-empty.
 */
#include "modular.h"
#include "strtab.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void range(void *arg, const char *sect, uint64_t lo, uint64_t hi, char *modules)
{
	size_t *n = arg;

	if (hi <= lo || !*sect || strchr(sect, ' ') || strchr(modules, '\n'))
		abort();
	(*n)++;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct kb_strtab mods = KB_STRTAB_INIT;
	char *text = malloc(size + 1);
	size_t i, n = 0;

	memcpy(text, data, size);
	text[size] = 0; /* as strbuf_read_file hands it over */
	kb_modules_builtin_parse(&mods, text);
	for (i = 0; i < mods.nr; i++)
		if (strchr(mods.strs[i], '\n'))
			abort();
	if ((size_t)kb_builtin_ranges_parse(text, range, &n) != n)
		abort();
	kb_strtab_release(&mods);
	free(text);
	return 0;
}
