/*
 * size.c - parsing "40K"-style byte counts; see size.h.
 */
#include "size.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int kb_parse_size(const char *s, uint64_t *out)
{
	static const struct {
		const char *suffix;
		int shift;
	} units[] = {
		{ "", 0 },    { "b", 0 },    { "k", 10 }, { "kb", 10 }, { "kib", 10 }, { "m", 20 },
		{ "mb", 20 }, { "mib", 20 }, { "g", 30 }, { "gb", 30 }, { "gib", 30 },
	};
	char *end;
	double v;
	size_t i;

	size_t digits = 0, dots = 0;
	const char *p;

	/* plain decimal only: strtod would also take "0x10", "1e3" and "inf" */
	for (p = s; p && (isdigit((unsigned char)*p) || *p == '.'); p++) {
		digits += *p != '.';
		dots += *p == '.';
	}
	if (!s || !digits || dots > 1)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end != p || !isfinite(v) || v < 0)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(end, units[i].suffix))
			continue;
		v *= (double)(1ULL << units[i].shift);
		if (v >= 18446744073709551615.0)
			return -1;
		/* 1.5K is 1536; a fraction of a byte rounds to the nearest */
		*out = (uint64_t)(v + 0.5);
		return 0;
	}
	return -1;
}
