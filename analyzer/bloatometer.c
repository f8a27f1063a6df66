/*
 * bloatometer.c - scripts/bloat-o-meter's arithmetic over libelf's symbol table instead of
 * nm's output; see bloatometer.h. The image already holds the letter nm prints for each
 * symbol (image.c follows bfd_decode_symclass), so no process is spawned.
 */
#include "bloatometer.h"

#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

size_t kb_bom_normalise(char *dst, const char *name)
{
	const char *p = name;
	size_t n = 0;

	while (*p) {
		if (p[0] == '.' && p[1] >= '0' && p[1] <= '9') {
			p++;
			while (*p >= '0' && *p <= '9')
				p++;
			continue;
		}
		dst[n++] = *p++;
	}
	dst[n] = '\0';
	return n;
}

const struct kb_bom_sets *kb_bom_sets_for(unsigned kver)
{
	static const struct kb_bom_sets v6_1 = {
		KB_BOM_ALL, KB_BOM_FUNCTION, KB_BOM_DATA, KB_BOM_DATA_C, KB_BOM_RODATA,
	};
	static const struct kb_bom_sets v6_6 = {
		.all = "tTdDbBrRvVwW",
		.function = "tTwW",
		.data = "dDbBrRvV",
		.data_c = "dDbBvV",
		.rodata = "rR",
	};

	return kver >= KB_BOM_WEAK_SINCE ? &v6_6 : &v6_1;
}

static int has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static int bom_skips(const char *name)
{
	/* the prefixes all start with "__": most names are decided by their first byte */
	if (name[0] != '_' && name[0] != 'l' && name[0] != 'v')
		return !!strchr(name, ':');
	return strchr(name, ':') || has_prefix(name, "__mod_") || has_prefix(name, "__se_sys") ||
	       has_prefix(name, "__se_compat_sys") || has_prefix(name, "__addressable_") ||
	       !strcmp(name, "linux_banner") || !strcmp(name, "vermagic");
}

struct side {
	uint64_t *size;
	unsigned char *seen;
	size_t alloc;
};

static void sum_sizes(struct kb_bom *b, struct side *sd, const struct kb_image *img,
		      const char *types)
{
	char *buf = NULL;
	size_t bufsz = 0, i;

	/* an archive's symbols are its members' (nm lib.a lists them all, equal names sum) */
	for (i = 0; i < img->nmembers; i++)
		sum_sizes(b, sd, img->members[i], types);
	for (i = 0; i < img->nsyms; i++) {
		const struct kb_sym *s = &img->syms[i];
		size_t len;
		uint32_t id;

		if (!s->size || !s->nm || !strchr(types, s->nm) || !s->name[0] ||
		    bom_skips(s->name))
			continue;
		len = strlen(s->name);
		if (len + 1 > bufsz) {
			bufsz = len + 64;
			buf = xrealloc(buf, bufsz);
		}
		len = kb_bom_normalise(buf, s->name);
		id = kb_strtab_intern(&b->names, buf, len, NULL);
		if (id >= sd->alloc) {
			size_t n = sd->alloc ? sd->alloc * 2 : 4096;

			while (n <= id)
				n *= 2;
			sd->size = xreallocarray(sd->size, n, sizeof(*sd->size));
			sd->seen = xrealloc(sd->seen, n);
			memset(sd->size + sd->alloc, 0, (n - sd->alloc) * sizeof(*sd->size));
			memset(sd->seen + sd->alloc, 0, n - sd->alloc);
			sd->alloc = n;
		}
		sd->size[id] += s->size;
		sd->seen[id] = 1;
	}
	free(buf);
}

static int cmp_row(const void *x, const void *y)
{
	const struct kb_bom_row *a = x, *b = y;

	/* Python: sorted by (delta, name) and then reversed */
	if (a->delta != b->delta)
		return a->delta > b->delta ? -1 : 1;
	return -strcmp(a->name, b->name);
}

void kb_bom_compute(struct kb_bom *b, const struct kb_image *old, const struct kb_image *new,
		    const char *types)
{
	struct side o = { 0 }, n = { 0 };
	size_t i;

	memset(b, 0, sizeof(*b));
	sum_sizes(b, &o, old, types);
	sum_sizes(b, &n, new, types);
	/* sizes are never 0 here (nm --size-sort lists none), so 0 can mean absent */
	b->rows = xcalloc(b->names.nr + 1, sizeof(*b->rows));
	b->nrows = b->names.nr;
	for (i = 0; i < b->names.nr; i++) {
		b->rows[i].old = i < o.alloc && o.seen[i] ? o.size[i] : 0;
		b->rows[i].new = i < n.alloc &&n.seen[i] ? n.size[i] : 0;
	}
	kb_bom_finish(b);
	free(o.size);
	free(o.seen);
	free(n.size);
	free(n.seen);
}

void kb_bom_init(struct kb_bom *b)
{
	memset(b, 0, sizeof(*b));
}

void kb_bom_add(struct kb_bom *b, const char *name, uint64_t old, uint64_t new)
{
	uint32_t id = kb_strtab_intern(&b->names, name, strlen(name), NULL);
	struct kb_bom_row *r;

	if (id >= b->nrows) {
		b->rows = xreallocarray(b->rows, (size_t)id + 1, sizeof(*b->rows));
		memset(b->rows + b->nrows, 0, ((size_t)id + 1 - b->nrows) * sizeof(*b->rows));
		b->nrows = (size_t)id + 1;
	}
	r = &b->rows[id];
	r->old += old;
	r->new += new;
}

void kb_bom_finish(struct kb_bom *b)
{
	size_t i, nz = 0;

	for (i = 0; i < b->nrows; i++) {
		struct kb_bom_row *r = &b->rows[i];

		r->name = b->names.strs[i];
		r->in_old = r->old > 0;
		r->in_new = r->new > 0;
		r->delta = (int64_t)r->new - (int64_t)r->old;
		b->old_total += r->old;
		b->new_total += r->new;
		if (r->in_old && !r->in_new) {
			b->remove++;
			b->down += r->old;
		} else if (!r->in_old && r->in_new) {
			b->add++;
			b->up += r->new;
		} else if (r->delta > 0) {
			b->grow++;
			b->up += (uint64_t)r->delta;
		} else if (r->delta < 0) {
			b->shrink++;
			b->down += (uint64_t)-r->delta;
		}
	}
	/*
	 * Nothing prints a row whose delta is 0, and most rows of a pair are: they go last, in
	 * no order, and only the others are sorted (sorting all of a 143k-symbol pair by name
	 * was a quarter of `kbloat diff`).
	 */
	for (i = 0; i < b->nrows; i++) {
		if (!b->rows[i].delta)
			continue;
		if (i != nz) {
			struct kb_bom_row t = b->rows[nz];

			b->rows[nz] = b->rows[i];
			b->rows[i] = t;
		}
		nz++;
	}
	if (nz)
		qsort(b->rows, nz, sizeof(*b->rows), cmp_row);
}

void kb_bom_entries(struct kb_bom *b, const struct kb_image *img, const char *types)
{
	struct side n = { 0 };
	size_t i;

	memset(b, 0, sizeof(*b));
	sum_sizes(b, &n, img, types);
	b->rows = xcalloc(b->names.nr + 1, sizeof(*b->rows));
	for (i = 0; i < b->names.nr; i++) {
		struct kb_bom_row *r = &b->rows[b->nrows++];

		r->name = b->names.strs[i];
		r->in_new = 1;
		r->new = n.size[i];
		r->delta = (int64_t)r->new;
		b->new_total += r->new;
	}
	free(n.size);
	free(n.seen);
}

void kb_bom_release(struct kb_bom *b)
{
	free(b->rows);
	kb_strtab_release(&b->names);
	memset(b, 0, sizeof(*b));
}
