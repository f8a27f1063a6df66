/*
 * changes.c - what changed in a build: its top symbols and subsystems, the builds that grew
 * most, the head build of a config; see changes.h.
 */
#include "changes.h"

#include "lineage.h"
#include "store_internal.h"
#include "error.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void kb_changes_free(struct kb_change *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].file);
	}
	free(v);
}

int kb_store_top_changes(struct kb_store *s, int64_t build_id, int what, size_t limit,
			 struct kb_change **out, size_t *n)
{
	/* by what: symbols, subsystems, symbols that shrank, subsystems that shrank */
	static const char *const sql[4] = {
		"SELECT i.name, d.size - d.prev AS g, p.path FROM item_delta d JOIN items i ON "
		"i.id = d.item_id JOIN paths p ON p.id = i.path_id WHERE d.build_id = ?1 AND "
		"i.kind = 0 AND g > 0 ORDER BY g DESC, i.name LIMIT ?2",
		"SELECT coalesce(sub.name, '[no file]'), SUM(d.size - d.prev) AS g, NULL FROM "
		"item_delta d JOIN items i ON i.id = d.item_id JOIN paths p ON p.id = i.path_id "
		"LEFT JOIN subsystems sub ON sub.id = p.subsystem_id WHERE d.build_id = ?1 AND "
		"i.kind = 0 GROUP BY sub.name HAVING g > 0 ORDER BY g DESC, 1 LIMIT ?2",
		"SELECT i.name, d.size - d.prev AS g, p.path FROM item_delta d JOIN items i ON "
		"i.id = d.item_id JOIN paths p ON p.id = i.path_id WHERE d.build_id = ?1 AND "
		"i.kind = 0 AND g < 0 ORDER BY g, i.name LIMIT ?2",
		"SELECT coalesce(sub.name, '[no file]'), SUM(d.size - d.prev) AS g, NULL FROM "
		"item_delta d JOIN items i ON i.id = d.item_id JOIN paths p ON p.id = i.path_id "
		"LEFT JOIN subsystems sub ON sub.id = p.subsystem_id WHERE d.build_id = ?1 AND "
		"i.kind = 0 GROUP BY sub.name HAVING g < 0 ORDER BY g, 1 LIMIT ?2",
	};
	struct kb_change *v = NULL;
	size_t nv = 0, alloc = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (kb_store_prepare(s, &st, sql[what & 3]))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, build_id);
	sqlite3_bind_int64(st, 2, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *file = kb_column_text(st, 2, NULL);
		struct kb_change *c;

		ALLOC_GROW(v, nv + 1, alloc);
		c = &v[nv++];
		c->name = kb_column_strdup(st, 0, "");
		c->delta = sqlite3_column_int64(st, 1);
		c->file = file && *file ? xstrdup(file) : NULL;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_changes_free(v, nv);
		return kb_store_fail(s, "cannot read a build's changes");
	}
	*out = v;
	*n = nv;
	return 0;
}

int kb_store_subsystem_contacts(struct kb_store *s, const char *name,
				struct kb_subsystem_contact **out, size_t *n)
{
	struct kb_subsystem_contact *v = NULL;
	size_t nv = 0, alloc = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (kb_store_prepare(s, &st,
			     "SELECT c.role, c.address FROM subsystem_contacts c JOIN subsystems "
			     "sub ON sub.id = c.subsystem_id WHERE sub.name = ?1 ORDER BY c.seq"))
		return KB_ERR;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *role = kb_column_text(st, 0, NULL);

		ALLOC_GROW(v, nv + 1, alloc);
		v[nv].role = role && *role == 'L' ? 'L' : 'M';
		v[nv++].address = kb_column_strdup(st, 1, "");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_subsystem_contacts_free(v, nv);
		return kb_store_fail(s, "cannot read a subsystem's maintainers");
	}
	*out = v;
	*n = nv;
	return 0;
}

void kb_subsystem_contacts_free(struct kb_subsystem_contact *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].address);
	free(v);
}

static const char *const class_cols[KB_CLS_NR] = {
	"b.d_text", "b.d_rodata", "b.d_data", "b.d_bss", "b.d_init", "b.d_percpu", "b.d_other",
};

/* The query of kb_store_growths; its parameters are ?1 config, ?2 min, ?3 limit, ?4... the
 * scope's. The commit ids of q->in are our own integers, written into the text. */
static void growth_sql(const struct kb_growth_query *q, struct strbuf *sql)
{
	size_t i;
	int c;

	strbuf_addstr(sql, "SELECT b.id, c.sha, c.author_name, c.author_email, c.author_time, "
			   "c.subject, b.distance, pc.sha");
	for (c = 0; c < KB_CLS_NR; c++)
		strbuf_addf(sql, ", %s", class_cols[c]);
	if (kb_scope_narrows(q->sc)) {
		/* the change within the scope: the sum of its items' changes */
		strbuf_addstr(sql,
			      ", x.delta FROM (SELECT d.build_id AS build_id, "
			      "SUM(d.size - d.prev) AS delta FROM item_delta d JOIN items i ON "
			      "i.id = d.item_id JOIN paths p ON p.id = i.path_id WHERE "
			      "i.kind = 0");
		kb_scope_sql(q->sc, sql, 4);
		strbuf_addstr(sql, " GROUP BY d.build_id) x JOIN builds b ON b.id = x.build_id");
	} else {
		strbuf_addf(sql, ", %s AS delta FROM builds b",
			    q->of == KB_GROWTH_CORE ? "b.d_core" :
			    q->sc->cls >= 0	    ? class_cols[q->sc->cls] :
						      "b.d_total");
	}
	strbuf_addstr(sql, " JOIN commits c ON c.id = b.commit_id LEFT JOIN builds pb ON "
			   "pb.id = b.parent_build_id LEFT JOIN commits pc ON pc.id = "
			   "pb.commit_id WHERE b.config_id = ?1 AND b.status = 'ok' AND "
			   "b.parent_build_id IS NOT NULL AND delta IS NOT NULL");
	strbuf_addstr(sql, q->shrink ? " AND -delta >= ?2" : " AND delta >= ?2");
	if (q->in) {
		strbuf_addstr(sql, " AND b.commit_id IN (");
		for (i = 0; i < q->in->n; i++)
			strbuf_addf(sql, "%s%lld", i ? "," : "", (long long)q->in->v[i].id);
		strbuf_addstr(sql, ")");
	}
	strbuf_addf(sql, " ORDER BY delta %s, c.committer_time, c.sha LIMIT ?3",
		    q->shrink ? "ASC" : "DESC");
}

static int growth_row(struct kb_store *s, sqlite3_stmt *st, struct kb_growth *g)
{
	const char *sha, *base;
	int c;

	g->build = sqlite3_column_int64(st, 0);
	if (kb_column_sha(s, st, 1, 0, g->build, &sha) ||
	    kb_column_sha(s, st, 7, 1, g->build, &base))
		return KB_ERR;
	g->sha = xstrdup(sha);
	g->author = kb_column_strdup(st, 2, "");
	g->email = kb_column_strdup(st, 3, "");
	g->author_time = sqlite3_column_int64(st, 4);
	g->subject = kb_column_strdup(st, 5, "");
	g->distance = sqlite3_column_int64(st, 6);
	g->base_sha = xstrdup(base ? base : "");
	for (c = 0; c < KB_CLS_NR; c++)
		g->cls[c] = sqlite3_column_int64(st, 8 + c);
	g->delta = sqlite3_column_int64(st, 8 + KB_CLS_NR);
	return 0;
}

int kb_store_growths(struct kb_store *s, const struct kb_growth_query *q, struct kb_growth **out,
		     size_t *n)
{
	struct strbuf sql = STRBUF_INIT;
	struct kb_growth *v = NULL;
	size_t nv = 0, alloc = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	growth_sql(q, &sql);
	rc = kb_store_prepare(s, &st, sql.buf);
	strbuf_release(&sql);
	if (rc)
		return KB_ERR;
	sqlite3_bind_int64(st, 1, q->config_id);
	sqlite3_bind_int64(st, 2, q->min);
	sqlite3_bind_int64(st, 3, q->limit);
	if (kb_scope_narrows(q->sc))
		kb_scope_bind(q->sc, st, 4);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(v, nv + 1, alloc);
		memset(&v[nv], 0, sizeof(v[nv]));
		if (growth_row(s, st, &v[nv++]))
			break;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		kb_store_fail(s, "cannot read the builds' changes");
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_growths_free(v, nv);
		return KB_ERR;
	}
	*out = v;
	*n = nv;
	return 0;
}

void kb_growths_free(struct kb_growth *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].sha);
		free(v[i].base_sha);
		free(v[i].author);
		free(v[i].email);
		free(v[i].subject);
	}
	free(v);
}
