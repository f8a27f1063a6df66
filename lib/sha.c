/*
 * sha.c - what a full commit sha is; see sha.h.
 */
#include "sha.h"

#include <stdint.h>
#include <string.h>

/*
 * 1 when each of the 8 bytes at s is 0-9 or a-f, tested all at once: once no byte has its
 * high bit, adding 0x80 - lo to every byte carries into no other, and each byte's high bit
 * then says whether it is lo or more. (A table lookup a digit, 40 a sha, was 3% of history's
 * time at 100,000 builds; a branch a digit was mispredicted a third of the time.)
 */
static unsigned hex8(const char *s)
{
	const uint64_t ones = 0x0101010101010101u, high = ones * 0x80;
	uint64_t x, digit, letter;

	memcpy(&x, s, sizeof(x));
	if (x & high)
		return 0;
	digit = ((x + ones * (0x80 - '0')) & ~(x + ones * (0x80 - '9' - 1))) & high;
	letter = ((x + ones * (0x80 - 'a')) & ~(x + ones * (0x80 - 'f' - 1))) & high;
	return (digit | letter) == high;
}

int kb_is_hex40(const char *s)
{
	return (int)(hex8(s) & hex8(s + 8) & hex8(s + 16) & hex8(s + 24) & hex8(s + 32));
}

int kb_is_sha(const char *s)
{
	/* its length first: 40 bytes are then there to read */
	return s && strnlen(s, 41) == 40 && kb_is_hex40(s);
}
