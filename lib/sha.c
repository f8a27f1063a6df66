/*
 * sha.c - what a full commit sha is; see sha.h.
 */
#include "sha.h"

#include <stddef.h>

int kb_is_sha(const char *s)
{
	unsigned bad = 0;
	size_t i;

	if (!s)
		return 0;
	/* no early exit within the digits: a branch per digit, 0-9 or a-f at random, is
	 * mispredicted a third of the time (history checks 100,000 shas) */
	for (i = 0; i < 40 && s[i]; i++)
		bad |= ((unsigned)(s[i] - '0') > 9) & ((unsigned)(s[i] - 'a') > 5);
	return i == 40 && !bad && !s[40];
}
