/*
 * query.c - scopes and build lines for the store's commands; see query.h.
 */
#include "query.h"

#include "changes.h"
#include "image.h"
#include "store_internal.h"
#include "error.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

int kb_scope_narrows(const struct kb_scope *sc)
{
	return sc && (sc->subsystem || sc->path || sc->symbol);
}

/* Conditions are constant text; only their parameters carry the user's strings. */
void kb_scope_sql(const struct kb_scope *sc, struct strbuf *sql, int first)
{
	int n = first;

	if (sc->subsystem)
		strbuf_addf(sql,
			    " AND p.subsystem_id = (SELECT id FROM subsystems WHERE name = ?%d)",
			    n++);
	if (sc->path) {
		/* a file, or everything under a directory */
		strbuf_addf(sql,
			    " AND (p.path = ?%d OR substr(p.path, 1, length(?%d) + 1) = "
			    "?%d || '/')",
			    n, n, n);
		n++;
	}
	if (sc->symbol) {
		/* the symbol and its compiler clones (name.constprop.0, name.cold, ...) */
		strbuf_addf(sql,
			    " AND (i.name = ?%d OR substr(i.name, 1, length(?%d) + 1) = "
			    "?%d || '.')",
			    n, n, n);
		n++;
	}
	if (sc->cls >= 0)
		strbuf_addf(sql, " AND i.class = ?%d", n++);
}

void kb_scope_bind(const struct kb_scope *sc, sqlite3_stmt *st, int first)
{
	int n = first;

	if (sc->subsystem)
		sqlite3_bind_text(st, n++, sc->subsystem, -1, SQLITE_STATIC);
	if (sc->path) {
		size_t len = strlen(sc->path);

		/* "fs/ext4/" names the directory too */
		while (len > 1 && sc->path[len - 1] == '/')
			len--;
		sqlite3_bind_text(st, n++, sc->path, (int)len, SQLITE_STATIC);
	}
	if (sc->symbol)
		sqlite3_bind_text(st, n++, sc->symbol, -1, SQLITE_STATIC);
	if (sc->cls >= 0)
		sqlite3_bind_int(st, n++, sc->cls);
}

int kb_scope_items(struct kb_store *s, const struct kb_scope *sc, unsigned char **in, size_t *n)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	size_t alloc = 0;
	int step;

	*in = NULL;
	*n = 0;
	strbuf_addstr(&sql, "SELECT i.id FROM items i JOIN paths p ON p.id = i.path_id "
			    "WHERE i.kind = 0");
	kb_scope_sql(sc, &sql, 1);
	if (kb_store_prepare(s, &st, sql.buf)) {
		strbuf_release(&sql);
		return KB_ERR;
	}
	strbuf_release(&sql);
	kb_scope_bind(sc, st, 1);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t item = sqlite3_column_int64(st, 0);
		size_t id = (size_t)item, old = alloc;

		if (kb_store_item_ok(s, item, "items row", item))
			break;
		if (id >= alloc) {
			ALLOC_GROW(*in, id + 1, alloc);
			memset(*in + old, 0, alloc - old);
		}
		(*in)[id] = 1;
		if (id + 1 > *n)
			*n = id + 1;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		kb_store_fail(s, "cannot read the items in scope");
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		free(*in);
		*in = NULL;
		*n = 0;
		return KB_ERR;
	}
	return 0;
}

int kb_store_scope_size(struct kb_store *s, const struct kb_scope *sc, int64_t build, int64_t *size)
{
	struct kb_sizes z;
	unsigned char *in;
	size_t nin, i;

	*size = 0;
	if (kb_scope_items(s, sc, &in, &nin))
		return KB_ERR;
	if (kb_store_sizes(s, build, &z)) {
		free(in);
		return KB_ERR;
	}
	for (i = 0; i < z.n && i < nin; i++)
		if (in[i])
			*size = (int64_t)((uint64_t)*size + z.v[i]); /* wraps, never UB */
	kb_sizes_release(&z);
	free(in);
	return 0;
}

size_t kb_lower_bound_i64(const void *v, size_t n, size_t size, size_t off, int64_t key)
{
	const unsigned char *p = v;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t k;

		memcpy(&k, p + mid * size + off, sizeof(k));
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct id_pos {
	int64_t id;
	size_t pos;
};

static int by_id(const void *a, const void *b)
{
	const struct id_pos *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id ? 1 : x->pos < y->pos ? -1 : x->pos > y->pos;
}

int kb_store_each_build(struct kb_store *s, sqlite3_stmt *st, const int64_t *ids, size_t n,
			int need_all, const char *what,
			int (*fn)(void *arg, sqlite3_stmt *st, size_t pos), void *arg)
{
	struct id_pos *v;
	size_t i, lo, next = 0, seen = 0;
	int rc = 0, step = SQLITE_DONE;

	if (!n)
		return 0;
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].id = ids[i];
		v[i].pos = i;
	}
	qsort(v, n, sizeof(*v), by_id);
	sqlite3_bind_int64(st, 1, v[0].id);
	sqlite3_bind_int64(st, 2, v[n - 1].id);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		/* the first position with this id: rows come in id order, most often the line's
		 * next build's, searched for only when not */
		if (next < n && v[next].id == id && (!next || v[next - 1].id < id)) {
			lo = next;
		} else {
			lo = kb_lower_bound_i64(v, n, sizeof(*v), offsetof(struct id_pos, id), id);
		}
		for (; !rc && lo < n && v[lo].id == id; lo++, seen++)
			rc = fn(arg, st, v[lo].pos);
		next = lo;
	}
	if (!rc && step != SQLITE_DONE)
		rc = kb_store_fail(s, what);
	else if (!rc && need_all && seen < n)
		rc = kb_error_set("%s: %s: a build of the line has no row", kb_store_path(s), what);
	sqlite3_reset(st);
	free(v);
	return rc;
}

/* The parent links of config_id's builds, sorted by id: read from schema/007's index, in id
 * order within the config. */
static int config_links(struct kb_store *s, int64_t config_id, struct kb_link **v, size_t *n)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int step;

	*v = NULL;
	*n = 0;
	if (kb_store_prepare(s, &st,
			     "SELECT id, parent_build_id, status = 'ok' FROM builds INDEXED BY "
			     "builds_line WHERE config_id = ?1 ORDER BY id"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, config_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(*v, *n + 1, alloc);
		memset(&(*v)[*n], 0, sizeof(**v));
		(*v)[*n].id = sqlite3_column_int64(st, 0);
		(*v)[*n].parent = sqlite3_column_int64(st, 1);
		(*v)[(*n)++].ok = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		free(*v);
		*v = NULL;
		*n = 0;
		return kb_store_fail(s, "cannot follow parent builds");
	}
	return 0;
}

/* The position of build id's link in v, or n; looked for first at v[near] (a build's parent
 * is most often the build before it). */
static size_t find_link(const struct kb_link *v, size_t n, int64_t id, size_t near)
{
	size_t i;

	if (near < n && v[near].id == id)
		return near;
	i = kb_lower_bound_i64(v, n, sizeof(*v), offsetof(struct kb_link, id), id);
	return i < n && v[i].id == id ? i : n;
}

/* The committer time of build id's commit. */
static int commit_time(struct kb_store *s, sqlite3_stmt **st, int64_t id, int64_t *t)
{
	if (!*st && kb_store_prepare(s, st,
				     "SELECT c.committer_time FROM builds b JOIN commits c ON "
				     "c.id = b.commit_id WHERE b.id = ?1"))
		return KB_ERR;
	sqlite3_bind_int64(*st, 1, id);
	if (sqlite3_step(*st) != SQLITE_ROW) {
		sqlite3_reset(*st);
		return kb_store_fail(s, "cannot find the head build");
	}
	*t = sqlite3_column_int64(*st, 0);
	sqlite3_reset(*st);
	return 0;
}

/*
 * The head of a config's builds (kb_store_head_build's answer) from their links in memory:
 * of the ok builds no build names as its parent, the newest commit's (then the highest id);
 * 1 when there is none.
 */
static int line_head(struct kb_store *s, struct kb_link *v, size_t n, int64_t *head)
{
	sqlite3_stmt *st = NULL;
	int64_t best_time = 0, t = 0;
	size_t i, p;
	int rc = 1;

	for (i = 0; i < n; i++)
		if (v[i].parent && (p = find_link(v, n, v[i].parent, i - 1)) < n)
			v[p].has_child = 1;
	/* tips are few: a line's head, and one per branch the walk left */
	for (i = 0; i < n; i++) {
		if (!v[i].ok || v[i].has_child)
			continue;
		if (commit_time(s, &st, v[i].id, &t)) {
			rc = KB_ERR;
			break;
		}
		if (rc || t >= best_time) { /* ids ascend: the later of equal times wins */
			best_time = t;
			*head = v[i].id;
			rc = 0;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

int kb_links_line(struct kb_store *s, struct kb_link *v, size_t n, int64_t head, size_t **pos,
		  size_t *npos)
{
	size_t alloc = 0, i, l, near = n - 1;
	int rc;

	*pos = NULL;
	*npos = 0;
	if (!head && (rc = line_head(s, v, n, &head)) != 0)
		return rc < 0 ? KB_ERR : 0;
	/* a line of the config's builds: a head or a parent of another config's ends it */
	for (; head && (l = find_link(v, n, head, near)) < n; head = v[l].parent, near = l - 1) {
		if (*npos == n) {
			long long from = (long long)v[(*pos)[0]].id; /* read before the free */

			free(*pos);
			*pos = NULL;
			*npos = 0;
			return kb_error_set("%s: builds.parent_build_id loops: from build %lld it "
					    "has more links than the table has rows",
					    kb_store_path(s), from);
		}
		ALLOC_GROW(*pos, *npos + 1, alloc);
		(*pos)[(*npos)++] = l;
	}
	for (i = 0; i < *npos / 2; i++) {
		size_t t = (*pos)[i];

		(*pos)[i] = (*pos)[*npos - 1 - i];
		(*pos)[*npos - 1 - i] = t;
	}
	return 0;
}

int kb_store_head_build(struct kb_store *s, int64_t config_id, int64_t *build_id, char **sha)
{
	struct kb_link *links;
	sqlite3_stmt *st;
	const char *full;
	size_t n;
	int rc;

	*build_id = 0;
	if (sha)
		*sha = NULL;
	if (config_links(s, config_id, &links, &n))
		return KB_ERR;
	rc = line_head(s, links, n, build_id);
	free(links);
	if (rc) {
		*build_id = 0;
		return rc;
	}
	if (!sha)
		return 0;
	if (kb_store_prepare(s, &st,
			     "SELECT b.id, c.sha FROM builds b JOIN commits c ON c.id = b.commit_id "
			     "WHERE b.id = ?1"))
		goto fail;
	sqlite3_bind_int64(st, 1, *build_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		kb_store_fail(s, "cannot find the head build");
		sqlite3_finalize(st);
		goto fail;
	}
	if (kb_column_sha(s, st, 1, 0, *build_id, &full)) {
		sqlite3_finalize(st);
		goto fail;
	}
	*sha = xstrdup(full);
	sqlite3_finalize(st);
	return 0;
fail:
	*build_id = 0;
	return KB_ERR;
}

int kb_build_line(struct kb_store *s, int64_t config_id, int64_t head, int64_t **ids, size_t *n)
{
	struct kb_link *links;
	size_t nlinks, *pos, i;

	*ids = NULL;
	*n = 0;
	if (config_links(s, config_id, &links, &nlinks))
		return KB_ERR;
	if (kb_links_line(s, links, nlinks, head, &pos, n)) {
		free(links);
		return KB_ERR;
	}
	*ids = xcalloc(*n + 1, sizeof(**ids));
	for (i = 0; i < *n; i++)
		(*ids)[i] = links[pos[i]].id;
	free(pos);
	free(links);
	return 0;
}

/* An item row that cannot be used: a kind or class out of range, or no name or path. */
static int item_row_bad(struct kb_store *s, sqlite3_stmt *st, int64_t item)
{
	int64_t kind = sqlite3_column_int64(st, 1), cls = sqlite3_column_int64(st, 2);

	if (kind < 0 || kind >= KB_ITEM_NKINDS || cls < 0 || cls >= KB_CLS_NR ||
	    (kind == KB_ITEM_OPTION && cls >= KB_OPT_NCLASSES))
		return kb_error_set("%s: items row %lld: kind %lld or class %lld out of range",
				    kb_store_path(s), (long long)item, (long long)kind,
				    (long long)cls);
	if (sqlite3_column_type(st, 3) == SQLITE_NULL || sqlite3_column_type(st, 4) == SQLITE_NULL)
		return kb_error_set("%s: items row %lld: a NULL name or path", kb_store_path(s),
				    (long long)item);
	return 0;
}

int kb_items_load(struct kb_store *s, struct kb_items *out)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (kb_store_prepare(s, &st,
			     "SELECT i.id, i.kind, i.class, i.name, p.path, sub.name FROM "
			     "items i JOIN paths p ON p.id = i.path_id LEFT JOIN subsystems "
			     "sub ON sub.id = p.subsystem_id"))
		return KB_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t item = sqlite3_column_int64(st, 0);
		size_t id = (size_t)item, old = alloc;
		struct kb_item_meta *m;

		if (kb_store_item_ok(s, item, "items row", item) || item_row_bad(s, st, item))
			break;
		if (id >= alloc) {
			ALLOC_GROW(out->v, id + 1, alloc);
			memset(out->v + old, 0, (alloc - old) * sizeof(*out->v));
			for (size_t k = old; k < alloc; k++)
				out->v[k].kind = -1;
		}
		if (id + 1 > out->n)
			out->n = id + 1;
		m = &out->v[id];
		m->kind = sqlite3_column_int(st, 1);
		m->cls = sqlite3_column_int(st, 2);
		m->name = kb_column_text(st, 3, &out->strs);
		m->path = kb_column_text(st, 4, &out->strs);
		m->subsystem = kb_column_text(st, 5, &out->strs);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		kb_store_fail(s, "cannot read items");
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_items_release(out);
		return KB_ERR;
	}
	return 0;
}

void kb_items_release(struct kb_items *it)
{
	free(it->v);
	kb_strtab_release(&it->strs);
	memset(it, 0, sizeof(*it));
}

void kb_store_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

int kb_store_config_names(struct kb_store *s, char ***names, size_t *n)
{
	char **v = NULL;
	size_t nv = 0, alloc = 0;
	sqlite3_stmt *st;
	int rc;

	*names = NULL;
	*n = 0;
	if (kb_store_prepare(s, &st,
			     "SELECT DISTINCT name FROM configs ORDER BY name = "
			     "'tinyconfig' DESC, name"))
		return KB_ERR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = kb_column_text(st, 0, NULL);

		if (!name)
			break;
		ALLOC_GROW(v, nv + 2, alloc);
		v[nv++] = xstrdup(name);
	}
	if (rc == SQLITE_ROW)
		kb_error_set("%s: a config whose name is NULL", kb_store_path(s));
	else if (rc != SQLITE_DONE)
		kb_store_fail(s, "cannot read the configs");
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_store_names_free(v, nv);
		return KB_ERR;
	}
	if (!v)
		v = xcalloc(1, sizeof(*v));
	v[nv] = NULL;
	*names = v;
	*n = nv;
	return 0;
}
