/*
 * subsystems.c - a build's bytes rolled up by MAINTAINERS subsystem; see subsystems.h.
 */
#include "subsystems.h"

#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kb_subsystem_sums(const struct kb_items *it, const struct kb_sizes *z, struct kb_strtab *names,
		       uint64_t **sums, size_t *alloc)
{
	size_t i;

	for (i = 0; i < z->n && i < it->n; i++) {
		const char *sub = it->v[i].subsystem ? it->v[i].subsystem : KB_NO_SUBSYSTEM;
		uint32_t id;

		if (!z->v[i] || it->v[i].kind != KB_ITEM_ROW)
			continue;
		id = kb_strtab_intern(names, sub, strlen(sub), NULL);
		if (id >= *alloc) {
			size_t old = *alloc;

			ALLOC_GROW(*sums, (size_t)id + 1, *alloc);
			memset(*sums + old, 0, (*alloc - old) * sizeof(**sums));
		}
		(*sums)[id] += z->v[i];
	}
}

struct by_size {
	const struct kb_strtab *names;
	const uint64_t *sums;
	size_t n;
};

static int cmp_by_size(const void *a, const void *b, void *arg)
{
	const struct by_size *o = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t bx = x < o->n ? o->sums[x] : 0, by = y < o->n ? o->sums[y] : 0;

	return bx < by ? 1 : bx > by ? -1 : strcmp(o->names->strs[x], o->names->strs[y]);
}

uint32_t *kb_subsystems_by_size(const struct kb_strtab *names, const uint64_t *sums, size_t n)
{
	struct by_size o = { names, sums, n };
	uint32_t *ids = xcalloc(names->nr + 1, sizeof(*ids));
	size_t i;

	for (i = 0; i < names->nr; i++)
		ids[i] = (uint32_t)i;
	qsort_r(ids, names->nr, sizeof(*ids), cmp_by_size, &o);
	return ids;
}
/* v (0 <= v < 10^n) as n decimal digits, zero-padded. */
static void put_digits(char *p, int v, int n)
{
	while (n--) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* The seconds of 0000-01-01 and of the end of 9999-12-31, UTC: the years of four digits. */
#define DATE_FIRST INT64_C(-62167219200)
#define DATE_LAST INT64_C(253402300799)

void kb_format_date(int64_t t, char *buf)
{
	int64_t z, era, doe, yoe, doy, mp, y, m, d;

	/* a database's time may be any integer: one whose year takes more than 4 digits is
	 * shown as unknown */
	if (t < DATE_FIRST || t > DATE_LAST) {
		strcpy(buf, "\?\?\?\?-\?\?-\?\?");
		return;
	}
	/* gmtime's date without gmtime (a lock and a struct a row; a history formats 100,000):
	 * the proleptic Gregorian calendar's days from 0000-03-01 in 400-year eras, each
	 * year starting in March so that February's leap day ends it (H. Hinnant's
	 * days_from_civil, inverted) */
	z = (t - DATE_FIRST) / 86400 - 60; /* days from 0000-03-01; 0000 was a leap year */
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	/* "%04d-%02d-%02d" without printf */
	put_digits(buf, (int)y, 4);
	buf[4] = '-';
	put_digits(buf + 5, (int)m, 2);
	buf[7] = '-';
	put_digits(buf + 8, (int)d, 2);
	buf[10] = 0;
}
