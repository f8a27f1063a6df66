/*
 * sha.c - what a full commit sha is; see sha.h.
 */
#include "sha.h"

#include <stddef.h>
#include <string.h>

/* the digits of a sha: 0-9 and a-f */
static const unsigned char sha_digit[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
};

int kb_is_sha(const char *s)
{
	unsigned ok = 1;
	size_t i;

	/* its length first, then each digit looked up without a branch: 0-9 or a-f at random
	 * was a mispredicted branch a third of the time (history checks 100,000 shas) */
	if (!s || strnlen(s, 41) != 40)
		return 0;
	for (i = 0; i < 40; i++)
		ok &= sha_digit[(unsigned char)s[i]];
	return (int)ok;
}
