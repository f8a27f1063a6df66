/*
 * fuzz_maintainers.c - libFuzzer target for the MAINTAINERS reader: any bytes either parse
 * into a map (with no tree, so no file system is touched) or are refused with an error;
 * lookups of fixed paths and of a path cut from the input itself give the same answer
 * twice; nothing crashes, leaks or reads past the input (which is copied to an exact-size
 * buffer so the sanitizer sees any overrun).
 */
#include "maintainers.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const paths[] = {
	"fs/ext4/inode.c",
	"drivers/net/phy/bcm7xxx.c",
	"drivers/net/wireless/x.c",
	"arch/arm/mach-tegra/a.c",
	"Makefile",
	"include/linux/if_vlan.h",
	"",
	"/",
	"./a//b/./c/",
};

static void lookup_twice(struct kb_maint *m, const char *path)
{
	const char *a = kb_maint_lookup(m, path);

	if (kb_maint_lookup(m, path) != a)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kb_maint *m;
	char *text = malloc(size ? size : 1);
	char own[65];
	size_t i, n;

	memcpy(text, data, size);
	if (kb_maint_parse(&m, "fuzz", text, size, NULL)) {
		free(text);
		return 0;
	}
	if (!kb_maint_nsections(m))
		abort();
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		lookup_twice(m, paths[i]);
	/* the input's last bytes as a path, so that patterns meet text they were built from */
	n = size < 64 ? size : 64;
	for (i = 0; i < n; i++)
		own[i] = data[size - n + i] && data[size - n + i] != '\n' ? data[size - n + i] :
									    '/';
	own[n] = '\0';
	lookup_twice(m, own);
	kb_maint_free(m);
	free(text);
	return 0;
}
