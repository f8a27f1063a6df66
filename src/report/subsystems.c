/*
 * subsystems.c - a build's bytes rolled up by MAINTAINERS subsystem; see subsystems.h.
 */
#include "subsystems.h"

#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

void kb_format_date(int64_t t, char *buf)
{
	time_t tt = (time_t)t;
	struct tm tm;

	/* a database's time may be any integer: one gmtime cannot place, or whose year takes
	 * more than 4 digits, is shown as unknown rather than as whatever was in tm */
	if (t != (int64_t)tt || !gmtime_r(&tt, &tm) || tm.tm_year < -1900 ||
	    tm.tm_year > 9999 - 1900) {
		strcpy(buf, "\?\?\?\?-\?\?-\?\?");
		return;
	}
	/* "%04d-%02d-%02d" without printf: a history formats one a row */
	put_digits(buf, tm.tm_year + 1900, 4);
	buf[4] = '-';
	put_digits(buf + 5, tm.tm_mon + 1, 2);
	buf[7] = '-';
	put_digits(buf + 8, tm.tm_mday, 2);
	buf[10] = 0;
}
