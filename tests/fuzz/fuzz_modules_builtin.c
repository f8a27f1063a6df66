/*
 * fuzz_modules_builtin.c - libFuzzer target for the readers of modules.builtin and
 * modules.builtin.ranges (analyzer/modular.c): the bytes read as both. Must never crash,
 * leak or read out of bounds, and every module name read is the X of a whole line
 * "kernel/X.ko" of the text.
 */
#include "modular.h"
#include "strtab.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void range(void *arg, const char *sect, uint64_t lo, uint64_t hi, char *modules)
{
	(void)arg, (void)sect, (void)lo, (void)hi, (void)modules;
}

/* 1 if text has the line "kernel/NAME.ko" */
static int has_line(const char *text, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (p = text; (p = strstr(p, "kernel/")); p++)
		if ((p == text || p[-1] == '\n') && !strncmp(p + 7, name, len) &&
		    !strncmp(p + 7 + len, ".ko", 3) && (!p[10 + len] || p[10 + len] == '\n'))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct kb_strtab mods = KB_STRTAB_INIT;
	char *text = malloc(size + 1);
	size_t i;

	memcpy(text, data, size);
	text[size] = 0; /* as strbuf_read_file hands it over */
	kb_modules_builtin_parse(&mods, text);
	for (i = 0; i < mods.nr; i++)
		if (!has_line(text, mods.strs[i]))
			abort();
	kb_builtin_ranges_parse(text, range, NULL);
	kb_strtab_release(&mods);
	free(text);
	return 0;
}
