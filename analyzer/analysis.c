/*
 * analysis.c - one image through the analyzer's stages; see analysis.h.
 */
#include "analysis.h"

#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const by_names[] = { "symbol", "file", "dir", "subsystem", "section", "class" };

int kb_by_parse(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(by_names); i++)
		if (!strcmp(s, by_names[i]))
			return (int)i;
	return -1;
}

const char *kb_by_name(enum kb_by by)
{
	return by_names[by];
}

static const char *intern(struct kb_analysis *a, const char *s, size_t len)
{
	const char *out;

	kb_strtab_intern(&a->names, s, len, &out);
	return out;
}

/*
 * The source an object was built from: with a tree, the first of stem.c, .S, .s, .rs that
 * exists; else the compile unit with that stem, if DWARF named one; else the object itself.
 */
static const char *object_source(struct kb_analysis *a, const struct kb_analysis_opts *o,
				 const char *obj, const struct kb_strtab *cu_by_stem)
{
	static const char *const exts[] = { ".c", ".S", ".s", ".rs" };
	size_t len = strlen(obj), i;
	struct strbuf sb = STRBUF_INIT;
	const char *res = NULL;
	long id;

	/* an O= build directory that the link named absolutely: its objects are tree paths */
	if (o->obj && !strncmp(obj, o->obj, strlen(o->obj)) && obj[strlen(o->obj)] == '/') {
		obj += strlen(o->obj) + 1;
		len -= strlen(o->obj) + 1;
	}
	if (len < 3 || strcmp(obj + len - 2, ".o"))
		return intern(a, obj, len);
	if (o->src) {
		for (i = 0; i < ARRAY_SIZE(exts) && !res; i++) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s/%.*s%s", o->src, (int)(len - 2), obj, exts[i]);
			if (!access(sb.buf, F_OK))
				res = intern(a, sb.buf + strlen(o->src) + 1,
					     sb.len - strlen(o->src) - 1);
		}
	}
	if (!res && (id = kb_strtab_find(cu_by_stem, obj, len - 2)) >= 0) {
		/* stored as "stem\0ext": rebuild "stem.ext" */
		const char *stem = cu_by_stem->strs[id];

		strbuf_reset(&sb);
		strbuf_addstr(&sb, stem);
		strbuf_addstr(&sb, stem + strlen(stem) + 1);
		res = intern(a, sb.buf, sb.len);
	}
	strbuf_release(&sb);
	return res ? res : intern(a, obj, len);
}

/* Stems of the compile units ("kernel/fork" -> ".c"), for naming a map's objects. */
static void cu_stems(const struct kb_attr *cu, struct kb_strtab *out)
{
	size_t i;

	for (i = 0; i < cu->files.nr; i++) {
		const char *f = cu->files.strs[i], *dot = strrchr(f, '.');
		struct strbuf sb = STRBUF_INIT;

		if (!dot || strchr(dot, '/'))
			continue;
		strbuf_add(&sb, f, (size_t)(dot - f));
		if (kb_strtab_find(out, sb.buf, sb.len) < 0) {
			uint32_t id = kb_strtab_intern(out, sb.buf, sb.len, NULL);
			/* keep the extension right after the stem's NUL */
			char *copy = kb_arena_alloc(&out->arena, sb.len + strlen(dot) + 2);

			memcpy(copy, sb.buf, sb.len + 1);
			strcpy(copy + sb.len + 1, dot);
			out->strs[id] = copy;
		}
		strbuf_release(&sb);
	}
}

static int attach_map(struct kb_analysis *a, const struct kb_analysis_opts *o)
{
	struct kb_strtab stems = KB_STRTAB_INIT;
	struct kb_map *m;
	size_t i;

	if (kb_map_open(&m, o->map))
		return KB_ERR;
	if (kb_map_check(m, a->img)) {
		kb_map_free(m);
		return KB_ERR;
	}
	if (m->warning[0]) { /* vmlinux linked from vmlinux.o: see kb_map_parse_composed */
		size_t len = strlen(a->warning);

		snprintf(a->warning + len, sizeof(a->warning) - len, "%s%s", len ? "; " : "",
			 m->warning);
	}
	cu_stems(&a->cu, &stems);
	for (i = 0; i < m->nspans; i++) {
		const struct kb_map_span *s = &m->spans[i];

		if (s->after_ld_r)
			continue; /* objtool's tables in vmlinux.o: placed by what they serve */
		if (s->source)
			kb_attr_add_span(&a->map, s->addr, s->addr + s->size,
					 object_source(a, o, s->source, &stems));
		else if (s->insec && !strcmp(s->insec, "*fill*"))
			kb_attr_add_span(&a->fill, s->addr, s->addr + s->size, "");
	}
	kb_attr_sort(&a->map);
	kb_attr_sort(&a->fill);
	kb_strtab_release(&stems);
	a->map_unresolved = m->unresolved;
	kb_map_free(m);
	a->have_map = 1;
	return 0;
}

struct objsyms_ctx {
	struct kb_analysis *a;
	const struct kb_analysis_opts *o;
	struct kb_strtab stems;
};

static const char *objsyms_source(void *ctx, const char *object)
{
	struct objsyms_ctx *c = ctx;

	return object_source(c->a, c->o, object, &c->stems);
}

/*
 * Where no map names the objects (none, or an LTO kernel's, which names vmlinux.o), the
 * build directory's ELF objects (an LTO build's assembler ones) place their sections.
 */
static void attach_objsyms(struct kb_analysis *a, const struct kb_analysis_opts *o)
{
	struct objsyms_ctx c = { a, o, KB_STRTAB_INIT };

	if (!o->obj || (a->have_map && !a->map_unresolved))
		return;
	cu_stems(&a->cu, &c.stems);
	kb_objsyms_spans(&a->objsyms, a->img, o->obj, objsyms_source, &c, &a->objsyms_stats);
	kb_strtab_release(&c.stems);
}

/* "fs/ext4/inode.c" -> "fs/ext4", "kernel/fork.c" -> "kernel", "main.c" -> "." */
static const char *dir_subsystem(struct kb_analysis *a, const char *file)
{
	const char *slash = strchr(file, '/'), *end;

	if (!slash)
		return intern(a, ".", 1);
	end = strchr(slash + 1, '/');
	if (!end)
		end = slash;
	return intern(a, file, (size_t)(end - file));
}

/* Each file's subsystem, looked up once per file rather than once per row. */
static void assign_subsystems(struct kb_analysis *a, const struct kb_analysis_opts *o)
{
	struct kb_strtab files = KB_STRTAB_INIT;
	const char **subsys = NULL;
	size_t i, alloc = 0;

	for (i = 0; i < a->bd->nrows; i++) {
		struct kb_row *r = &a->bd->rows[i];
		uint32_t f;

		if (r->flags & KB_ROW_FILL)
			a->padding_bytes += r->bytes;
		else
			a->prov_bytes[r->prov] += r->bytes;
		if (!r->file)
			continue;
		if (r->prov ==
		    KB_PROV_GENERATED) { /* "[generated .BTF]": no tree, no MAINTAINERS */
			r->subsystem = intern(a, "[generated]", 11);
			continue;
		}
		f = kb_strtab_intern(&files, r->file, strlen(r->file), NULL);
		if (f >= alloc) {
			size_t old = alloc;

			ALLOC_GROW(subsys, (size_t)f + 1, alloc);
			memset(subsys + old, 0, (alloc - old) * sizeof(*subsys));
		}
		if (!subsys[f]) {
			const char *s = o->maint ? kb_maint_lookup(o->maint, r->file) : NULL;

			subsys[f] = s ? s : dir_subsystem(a, r->file);
		}
		r->subsystem = subsys[f];
	}
	free(subsys);
	kb_strtab_release(&files);
}

/* The stages on a->img: break down, read DWARF, attach the map, attribute. */
static int analyse(struct kb_analysis *a, const char *path, const struct kb_analysis_opts *o)
{
	int rc;

	if (kb_breakdown_build(&a->bd, a->img))
		return KB_ERR;
	if (!o->no_dwarf) {
		rc = kb_dwarf_read(a->img, o->src, &a->decl, &a->cu, &a->dwarf);
		if (rc == KB_ERR) {
			snprintf(a->warning, sizeof(a->warning), "%s; attributing by %s only",
				 kb_error_last(), o->map ? "the map and symbols" : "symbols");
			kb_attr_release(&a->decl);
			kb_attr_release(&a->cu);
			kb_attr_init(&a->decl, KB_PROV_DWARF_DECL, KB_PROV_NONE);
			kb_attr_init(&a->cu, KB_PROV_NONE, KB_PROV_DWARF_CU);
		}
		a->have_dwarf = rc == 0;
		if (rc == 0 && a->dwarf.bad_lines)
			snprintf(
				a->warning, sizeof(a->warning),
				"%s: %zu line table header%s refused (the first at .debug_line+0x%llx: "
				"%s); %s symbols lose their declaring file (code is still its unit's)",
				path, a->dwarf.bad_lines, a->dwarf.bad_lines > 1 ? "s" : "",
				(unsigned long long)a->dwarf.bad_line_off, a->dwarf.bad_line_why,
				a->dwarf.bad_lines > 1 ? "those units'" : "that unit's");
	}
	if (o->map && attach_map(a, o))
		return KB_ERR;
	kb_breakdown_attribute_points(a->bd, &a->decl);
	kb_breakdown_attribute_spans(a->bd, &a->map);
	kb_breakdown_attribute_spans(a->bd, &a->cu);
	attach_objsyms(a, o);
	kb_breakdown_attribute_spans(a->bd, &a->objsyms);
	kb_breakdown_mark_fill(a->bd, &a->fill);
	kb_derived_attribute(&a->derived, a->bd, &a->cu);
	kb_breakdown_finish(a->bd);
	return 0;
}

static struct kb_analysis *analysis_new(void)
{
	struct kb_analysis *a = xcalloc(1, sizeof(*a));

	kb_attr_init(&a->decl, KB_PROV_DWARF_DECL, KB_PROV_NONE);
	kb_attr_init(&a->cu, KB_PROV_NONE, KB_PROV_DWARF_CU);
	kb_attr_init(&a->map, KB_PROV_NONE, KB_PROV_MAP);
	kb_attr_init(&a->fill, KB_PROV_NONE, KB_PROV_NONE);
	kb_attr_init(&a->objsyms, KB_PROV_NONE, KB_PROV_OBJECT_SYM);
	kb_derived_init(&a->derived);
	return a;
}

/*
 * An ar archive: each member analysed on its own (their addresses overlap, each .o starts
 * at 0), then their rows listed together, so that every grouping sums over the members.
 */
static int analyse_archive(struct kb_analysis *a, const struct kb_analysis_opts *o)
{
	struct kb_breakdown **parts;
	size_t i;

	if (o->map)
		return kb_error_set("%s: an archive has no linker map (a map belongs to a linked "
				    "image)",
				    a->img->path);
	a->members = xcalloc(a->img->nmembers + 1, sizeof(*a->members));
	parts = xcalloc(a->img->nmembers + 1, sizeof(*parts));
	for (i = 0; i < a->img->nmembers; i++) {
		struct kb_analysis *m = analysis_new();

		a->members[a->nmembers++] = m;
		m->img = a->img->members[i];
		m->borrowed_img = 1;
		if (analyse(m, m->img->path, o)) {
			free(parts);
			return KB_ERR;
		}
		parts[i] = m->bd;
		a->have_dwarf |= m->have_dwarf;
		if (m->warning[0] && !a->warning[0])
			memcpy(a->warning, m->warning, sizeof(a->warning));
	}
	a->bd = kb_breakdown_concat(a->img, parts, a->nmembers);
	free(parts);
	return 0;
}

int kb_analysis_run(struct kb_analysis **out, const char *path, const struct kb_analysis_opts *o)
{
	struct kb_analysis *a = analysis_new();

	*out = NULL;
	if (kb_image_open(&a->img, path))
		goto fail;
	if (a->img->is_archive) {
		if (analyse_archive(a, o))
			goto fail;
	} else {
		if (!a->img->nsyms) {
			kb_error_set("%s: no symbol table (a stripped image cannot be broken down)",
				     path);
			goto fail;
		}
		if (analyse(a, path, o))
			goto fail;
	}
	assign_subsystems(a, o);
	*out = a;
	return 0;
fail:
	kb_analysis_free(a);
	return KB_ERR;
}

void kb_analysis_free(struct kb_analysis *a)
{
	size_t i;

	if (!a)
		return;
	kb_breakdown_free(a->bd);
	for (i = 0; i < a->nmembers; i++)
		kb_analysis_free(a->members[i]);
	free(a->members);
	if (!a->borrowed_img)
		kb_image_free(a->img);
	kb_attr_release(&a->decl);
	kb_attr_release(&a->cu);
	kb_attr_release(&a->map);
	kb_attr_release(&a->objsyms);
	kb_attr_release(&a->fill);
	kb_derived_release(&a->derived);
	kb_strtab_release(&a->names);
	free(a);
}

const char *kb_row_key(const struct kb_row *r, enum kb_by by, struct strbuf *tmp)
{
	const char *slash;

	strbuf_reset(tmp);
	switch (by) {
	case KB_BY_SYMBOL:
		return r->origin;
	case KB_BY_SECTION:
		return r->sec->name;
	case KB_BY_CLASS:
		return kb_class_name(r->sec->cls);
	case KB_BY_FILE:
	case KB_BY_DIR:
	case KB_BY_SUBSYSTEM:
		break;
	}
	if (!r->file) {
		/* bytes of no file keep their kind: "[padding .text]", "[section .BTF]" */
		if (r->flags & KB_ROW_GAP)
			return r->name;
		strbuf_addf(tmp, "[unknown %s]", r->sec->name);
		return tmp->buf;
	}
	if (by == KB_BY_FILE)
		return r->file;
	if (by == KB_BY_SUBSYSTEM || r->prov == KB_PROV_GENERATED)
		return r->subsystem;
	/* the directory as dirname(1) names it: "." for a file at the tree's top ("x.c"), "/"
	 * for one at the file system's root ("/x.c", a -fdebug-prefix-map=DIR= build's) */
	slash = strrchr(r->file, '/');
	if (!slash)
		return ".";
	if (slash == r->file)
		return "/";
	strbuf_add(tmp, r->file, (size_t)(slash - r->file));
	return tmp->buf;
}

static int cmp_group(const void *x, const void *y)
{
	const struct kb_group *a = x, *b = y;
	int c;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	c = strcmp(a->key, b->key);
	if (c)
		return c;
	if (a->file != b->file)
		return !a->file ? -1 : !b->file ? 1 : strcmp(a->file, b->file);
	return 0;
}

/* Row r's group under by in out (a new one if r is its first row); its index in out->g. */
static size_t groups_add(struct kb_groups *out, const struct kb_row *r, enum kb_by by,
			 struct strbuf *tmp, struct strbuf *id)
{
	const char *key = kb_row_key(r, by, tmp);
	struct kb_group *g;
	uint32_t k;

	/* a symbol is its origin name within its file: statics of one name stay apart */
	strbuf_reset(id);
	strbuf_addstr(id, key);
	if (by == KB_BY_SYMBOL) {
		strbuf_addch(id, '\t');
		strbuf_addstr(id, r->file ? r->file : "");
	}
	k = kb_strtab_intern(&out->ids, id->buf, id->len, NULL);
	if (k == out->n) {
		ALLOC_GROW(out->g, out->n + 1, out->alloc);
		g = &out->g[out->n++];
		memset(g, 0, sizeof(*g));
		g->key = kb_arena_strdup(&out->ids.arena, key);
		g->file = by == KB_BY_SYMBOL ? r->file : NULL;
	}
	g = &out->g[k];
	g->bytes += r->bytes;
	g->cls[r->sec->cls] += r->bytes;
	g->rows++;
	return k;
}

void kb_groups_build(struct kb_groups *out, const struct kb_analysis *a, enum kb_by by)
{
	struct strbuf tmp = STRBUF_INIT, id = STRBUF_INIT;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < a->bd->nrows; i++)
		groups_add(out, &a->bd->rows[i], by, &tmp, &id);
	if (out->n)
		qsort(out->g, out->n, sizeof(*out->g), cmp_group);
	strbuf_release(&tmp);
	strbuf_release(&id);
}

/* An outer group and its inner groups, sorted together */
struct nest_pair {
	struct kb_group g;
	struct kb_groups in;
};

static int cmp_pair(const void *x, const void *y)
{
	return cmp_group(&((const struct nest_pair *)x)->g, &((const struct nest_pair *)y)->g);
}

void kb_nest_build(struct kb_nest *out, const struct kb_analysis *a, enum kb_by outer,
		   enum kb_by inner)
{
	struct strbuf tmp = STRBUF_INIT, id = STRBUF_INIT;
	struct nest_pair *p = NULL;
	size_t i, k, alloc = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < a->bd->nrows; i++) {
		const struct kb_row *r = &a->bd->rows[i];

		k = groups_add(&out->outer, r, outer, &tmp, &id);
		if (k >= alloc) {
			size_t was = alloc;

			ALLOC_GROW(p, k + 1, alloc);
			memset(p + was, 0, (alloc - was) * sizeof(*p));
		}
		groups_add(&p[k].in, r, inner, &tmp, &id);
	}
	/* the outer groups largest first, each one's inner groups moved along with it */
	for (i = 0; i < out->outer.n; i++)
		p[i].g = out->outer.g[i];
	if (out->outer.n)
		qsort(p, out->outer.n, sizeof(*p), cmp_pair);
	out->inner = xcalloc(out->outer.n + 1, sizeof(*out->inner));
	for (i = 0; i < out->outer.n; i++) {
		out->outer.g[i] = p[i].g;
		out->inner[i] = p[i].in;
		if (out->inner[i].n)
			qsort(out->inner[i].g, out->inner[i].n, sizeof(struct kb_group), cmp_group);
	}
	free(p);
	strbuf_release(&tmp);
	strbuf_release(&id);
}

/* The node of path[0..len) in t, made (under parent) if it is new. */
static size_t dir_node(struct kb_dirtree *t, const char *path, size_t len, size_t parent)
{
	const char *stored;
	uint32_t k = kb_strtab_intern(&t->paths, path, len, &stored);
	struct kb_dirnode *d;

	if (k < t->n)
		return k;
	ALLOC_GROW(t->v, t->n + 1, t->alloc);
	d = &t->v[t->n++];
	memset(d, 0, sizeof(*d));
	d->path = stored;
	d->parent = parent;
	if (parent == SIZE_MAX) {
		d->name = stored;
	} else {
		d->name = stored + strlen(t->v[parent].path) + 1;
		d->depth = t->v[parent].depth + 1;
	}
	return k;
}

static void dir_add(struct kb_dirnode *d, const struct kb_group *g)
{
	int c;

	d->bytes += g->bytes;
	for (c = 0; c < KB_CLS_NR; c++)
		d->cls[c] += g->cls[c];
	d->rows += g->rows;
}

static int cmp_dirnode(const void *x, const void *y)
{
	const struct kb_dirnode *a = *(const struct kb_dirnode *const *)x;
	const struct kb_dirnode *b = *(const struct kb_dirnode *const *)y;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* Sorts the indices v[0..n) of t's nodes, largest first (by pointers to the nodes, which
 * qsort's comparison can follow without the array). */
static void sort_nodes(const struct kb_dirtree *t, size_t *v, size_t n)
{
	const struct kb_dirnode **p;
	size_t i;

	if (n < 2)
		return;
	p = xcalloc(n, sizeof(*p));
	for (i = 0; i < n; i++)
		p[i] = &t->v[v[i]];
	qsort(p, n, sizeof(*p), cmp_dirnode);
	for (i = 0; i < n; i++)
		v[i] = (size_t)(p[i] - t->v);
	free(p);
}

void kb_dirtree_build(struct kb_dirtree *out, const struct kb_analysis *a)
{
	struct kb_groups gs;
	size_t i, k, *fill;

	memset(out, 0, sizeof(*out));
	kb_groups_build(&gs, a, KB_BY_DIR);
	for (i = 0; i < gs.n; i++) {
		const struct kb_group *g = &gs.g[i];
		const char *key = g->key, *p;
		size_t parent = SIZE_MAX, len = strlen(key);

		/* "." and "/" hold the files at the tree's top and at the root ("x.c", "/x.c"):
		 * the directories below are roots of their own, as kernel, /usr */
		if (!len || key[0] == '[' || !strcmp(key, ".") || !strcmp(key, "/")) {
			k = dir_node(out, key, len, SIZE_MAX);
			dir_add(&out->v[k], g);
			out->v[k].own += g->bytes;
			continue;
		}
		/* kernel, kernel/printk, ...: each prefix ending before a '/' (an absolute
		 * path's first is "/usr") */
		for (p = key + 1; p <= key + len; p++) {
			if (*p && *p != '/')
				continue;
			k = dir_node(out, key, (size_t)(p - key), parent);
			dir_add(&out->v[k], g);
			parent = k;
		}
		out->v[parent].own += g->bytes;
	}
	for (i = 0; i < out->n; i++)
		if (out->v[i].parent != SIZE_MAX)
			out->v[out->v[i].parent].nkids++;
		else
			out->nroots++;
	out->roots = xcalloc(out->nroots + 1, sizeof(*out->roots));
	for (i = 0; i < out->n; i++)
		out->v[i].kids = xcalloc(out->v[i].nkids + 1, sizeof(size_t));
	fill = xcalloc(out->n + 1, sizeof(*fill));
	for (i = 0, k = 0; i < out->n; i++) {
		size_t up = out->v[i].parent;

		if (up == SIZE_MAX)
			out->roots[k++] = i;
		else
			out->v[up].kids[fill[up]++] = i;
	}
	free(fill);
	sort_nodes(out, out->roots, out->nroots);
	for (i = 0; i < out->n; i++)
		sort_nodes(out, out->v[i].kids, out->v[i].nkids);
	kb_groups_release(&gs);
}

void kb_dirtree_release(struct kb_dirtree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].kids);
	free(t->v);
	free(t->roots);
	kb_strtab_release(&t->paths);
	memset(t, 0, sizeof(*t));
}

void kb_nest_release(struct kb_nest *n)
{
	size_t i;

	for (i = 0; i < n->outer.n; i++)
		kb_groups_release(&n->inner[i]);
	free(n->inner);
	kb_groups_release(&n->outer);
}

void kb_groups_release(struct kb_groups *g)
{
	free(g->g);
	kb_strtab_release(&g->ids);
	memset(g, 0, sizeof(*g));
}
