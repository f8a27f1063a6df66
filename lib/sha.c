/*
 * sha.c - what a full commit sha is; see sha.h.
 */
#include "sha.h"

#include <stddef.h>

int kb_is_sha(const char *s)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; i < 40; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return !s[40];
}
