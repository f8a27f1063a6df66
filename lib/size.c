/*
 * size.c - parsing "40K"-style byte counts; see size.h.
 */
#include "size.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

uint64_t kb_size_add(uint64_t a, uint64_t b)
{
	return a > KB_SIZE_MAX || b > KB_SIZE_MAX - a ? KB_SIZE_MAX : a + b;
}

/* The multiplier a unit suffix stands for, as a shift; -1 if it is not one. */
static int unit_shift(const char *suffix)
{
	static const struct {
		const char *suffix;
		int shift;
	} units[] = {
		{ "", 0 },    { "b", 0 },    { "k", 10 }, { "kb", 10 }, { "kib", 10 }, { "m", 20 },
		{ "mb", 20 }, { "mib", 20 }, { "g", 30 }, { "gb", 30 }, { "gib", 30 },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcasecmp(suffix, units[i].suffix))
			return units[i].shift;
	return -1;
}

int kb_parse_size(const char *s, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, scale = 1;
	const char *p = s;
	int shift, digits = 0, big = 0;

	/* plain decimal only, read exactly (a double would round above 2^53) */
	for (; p && isdigit((unsigned char)*p); p++, digits++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (whole > (KB_SIZE_MAX - d) / 10)
			big = 1;
		else
			whole = whole * 10 + d;
	}
	if (p && *p == '.') {
		/* a fraction: 1.5K is 1536; nine digits are more than a byte of a G needs */
		for (p++; isdigit((unsigned char)*p); p++, digits++)
			if (scale < 1000000000) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				scale *= 10;
			}
	}
	if (!s || !digits || (shift = unit_shift(p)) < 0)
		return -1;
	if (big || whole > KB_SIZE_MAX >> shift)
		return -2;
	whole <<= shift;
	/* the fraction of a unit, rounded to the nearest byte */
	frac = ((frac << shift) + scale / 2) / scale;
	if (frac > KB_SIZE_MAX - whole)
		return -2;
	*out = whole + frac;
	return 0;
}
