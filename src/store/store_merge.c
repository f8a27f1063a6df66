/*
 * store_merge.c - one database's commits and builds recorded into another; see
 * store_merge.h.
 */
#include "store_merge.h"

#include "store_check.h"
#include "store_internal.h"
#include "error.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Copies every commit of in into out, in one transaction of out's: a failure to read names
 * in, a failure to write names out. */
static int copy_commits(struct kb_store *out, struct kb_store *in)
{
	sqlite3_stmt *rd = NULL, *wr = NULL;
	int rc = KB_ERR, step;

	if (kb_store_prepare(in, &rd,
			     "SELECT sha, parent_sha, author_name, author_email, author_time, "
			     "committer_time, subject FROM commits") ||
	    kb_store_prepare(out, &wr,
			     "INSERT OR IGNORE INTO commits (sha, parent_sha, author_name, "
			     "author_email, author_time, committer_time, subject) VALUES (?1, ?2, "
			     "?3, ?4, ?5, ?6, ?7)"))
		goto out;
	if (sqlite3_exec(kb_store_db(out), "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		kb_store_fail(out, "cannot copy commits");
		goto out;
	}
	while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
		int k;

		for (k = 0; k < 7; k++)
			sqlite3_bind_value(wr, k + 1, sqlite3_column_value(rd, k));
		k = sqlite3_step(wr);
		sqlite3_reset(wr);
		if (k != SQLITE_DONE) {
			kb_store_fail(out, "cannot copy commits");
			break;
		}
	}
	if (step == SQLITE_ROW) /* a write failed: said */
		goto rollback;
	if (kb_store_done(in, step, "cannot read commits"))
		goto rollback;
	if (sqlite3_exec(kb_store_db(out), "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		kb_store_fail(out, "cannot copy commits");
		goto rollback;
	}
	rc = 0;
	goto out;
rollback:
	sqlite3_exec(kb_store_db(out), "ROLLBACK", NULL, NULL, NULL);
out:
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	return rc;
}

/* An input is merged only when db check would find nothing that makes its rows unsafe to
 * read or to record again: its shas, ids, names, links and loops, and its full sets'
 * blobs. */
static int input_sound(struct kb_store *in)
{
	struct kb_check c;
	int rc = 0;

	if (kb_store_lint(in, &c))
		return KB_ERR;
	if (c.nproblems)
		rc = kb_error_set("%s%s; not merged (kbloat db check --db %s lists every problem)",
				  c.problems[0], c.nproblems > 1 ? ", and more" : "",
				  kb_store_path(in));
	else if (kb_sets_sound(in)) {
		char *why = xstrdup(kb_error_last()); /* kb_error_set resets the text it formats */

		rc = kb_error_set("%s; not merged (kbloat db check --db %s lists every problem)",
				  why, kb_store_path(in));
		free(why);
	}
	kb_check_release(&c);
	return rc;
}

static const char builds_sql[] =
	"SELECT b.id, c.sha, c.parent_sha, c.author_name, c.author_email, "
	"c.author_time, c.committer_time, c.subject, cf.name, cf.arch, "
	"cf.base, cf.fragments, b.status, b.log_tail, dc.options, "
	"t.compiler, t.linker, b.build_seconds, b.analysis_seconds, b.total, "
	"b.text, b.rodata, b.data, b.bss, b.init, b.percpu, b.other, "
	"b.bk_text, b.bk_data, b.bk_bss, b.padding, b.m_tristate, b.m_bool, "
	"b.m_core, b.m_rest, b.reused, o.boot_name, o.boot_bytes, o.boot_payload, "
	"o.mod_count, o.mod_total, o.mod_text, o.mod_rodata, o.mod_data, o.mod_bss, "
	"o.mod_init, o.mod_percpu, o.mod_other, b.m_kallsyms FROM builds b JOIN commits c ON "
	"c.id = b.commit_id JOIN configs cf ON cf.id = b.config_id LEFT JOIN "
	"dotconfigs dc ON dc.id = b.dotconfig_id LEFT JOIN toolchains t ON "
	"t.id = b.toolchain_id LEFT JOIN build_outputs o ON o.build_id = b.id ORDER BY c.committer_time, c.author_time, b.id";

/* A row of builds_sql as kb_store_record takes it; its strings are the row's own. */
static void read_rec(sqlite3_stmt *st, struct kb_store_commit *c, struct kb_build_rec *rec)
{
	int k;

	memset(c, 0, sizeof(*c));
	memset(rec, 0, sizeof(*rec));
	c->sha = kb_column_text(st, 1, NULL);
	c->parent = kb_column_text(st, 2, NULL);
	c->author_name = kb_column_text(st, 3, NULL);
	c->author_email = kb_column_text(st, 4, NULL);
	c->author_time = sqlite3_column_int64(st, 5);
	c->committer_time = sqlite3_column_int64(st, 6);
	c->subject = kb_column_text(st, 7, NULL);
	rec->commit = c;
	rec->config = kb_column_text(st, 8, NULL);
	rec->arch = kb_column_text(st, 9, NULL);
	rec->base = kb_column_text(st, 10, NULL);
	rec->fragments = kb_column_text(st, 11, NULL);
	rec->status = kb_column_text(st, 12, NULL);
	rec->log_tail = kb_column_text(st, 13, NULL);
	rec->dotconfig = kb_column_text(st, 14, NULL);
	rec->compiler = kb_column_text(st, 15, NULL);
	rec->linker = kb_column_text(st, 16, NULL);
	rec->build_seconds = sqlite3_column_double(st, 17);
	rec->analysis_seconds = sqlite3_column_double(st, 18);
	rec->total = (uint64_t)sqlite3_column_int64(st, 19);
	for (k = 0; k < 7; k++)
		rec->cls[k] = (uint64_t)sqlite3_column_int64(st, 20 + k);
	for (k = 0; k < 3; k++)
		rec->bk[k] = (uint64_t)sqlite3_column_int64(st, 27 + k);
	rec->padding = (uint64_t)sqlite3_column_int64(st, 30);
	rec->padding_unknown = sqlite3_column_type(st, 30) == SQLITE_NULL;
	/* all four or none, as db check says; kb_store_record refuses sums that do not add up */
	rec->has_modular = sqlite3_column_type(st, 31) != SQLITE_NULL;
	rec->m_tristate = (uint64_t)sqlite3_column_int64(st, 31);
	rec->m_bool = (uint64_t)sqlite3_column_int64(st, 32);
	rec->m_core = (uint64_t)sqlite3_column_int64(st, 33);
	rec->m_rest = (uint64_t)sqlite3_column_int64(st, 34);
	rec->reused = sqlite3_column_int(st, 35);
	/* schema 008: the boot image and the modules, when the build had them */
	rec->outputs.boot_name = kb_column_text(st, 36, NULL);
	rec->outputs.boot_bytes = (uint64_t)sqlite3_column_int64(st, 37);
	rec->outputs.has_boot_payload = sqlite3_column_type(st, 38) != SQLITE_NULL;
	rec->outputs.boot_payload = (uint64_t)sqlite3_column_int64(st, 38);
	rec->outputs.has_modules = sqlite3_column_type(st, 39) != SQLITE_NULL;
	rec->outputs.mod_count = (uint64_t)sqlite3_column_int64(st, 39);
	rec->outputs.mod_total = (uint64_t)sqlite3_column_int64(st, 40);
	for (k = 0; k < 7; k++)
		rec->outputs.mod_cls[k] = (uint64_t)sqlite3_column_int64(st, 41 + k);
	/* schema 009: the relearnt kallsyms term (NULL: not relearnt, or before 009) */
	rec->has_kallsyms = rec->has_modular && sqlite3_column_type(st, 48) != SQLITE_NULL;
	rec->m_kallsyms = sqlite3_column_int64(st, 48);
}

/*
 * What merge keeps from one build of in to the next: in's items as kb_store_record takes them
 * for many builds (by in's item ids, each found in out once), and the sizes of the ok build
 * read last, which the next build's are usually a few changes from.
 */
struct merge_state {
	struct kb_item *items;
	struct kb_itemdict dict;
	struct kb_sizes sizes;
	int64_t sizes_build;
};

static void merge_begin(struct merge_state *m, const struct kb_items *items)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->items = xcalloc(items->n + 1, sizeof(*m->items));
	for (i = 0; i < items->n; i++) {
		const struct kb_item_meta *meta = &items->v[i];

		m->items[i].kind = meta->kind;
		m->items[i].cls = meta->cls;
		m->items[i].name = meta->name;
		m->items[i].path = meta->path;
		m->items[i].subsystem = meta->subsystem;
	}
	m->dict.v = m->items;
	m->dict.n = items->n;
}

static void merge_end(struct merge_state *m)
{
	kb_itemdict_release(&m->dict);
	kb_sizes_release(&m->sizes);
	free(m->items);
	memset(m, 0, sizeof(*m));
}

/* Records the build on st's current row (of in) into out. */
static int merge_build(struct kb_store *out, struct kb_store *in, sqlite3_stmt *st,
		       struct merge_state *m, int *already)
{
	struct kb_store_commit c;
	struct kb_build_rec rec;

	read_rec(st, &c, &rec);
	if (rec.status && !strcmp(rec.status, "ok")) {
		if (kb_store_sizes_next(in, sqlite3_column_int64(st, 0), &m->sizes_build,
					&m->sizes))
			return KB_ERR;
		rec.dict = &m->dict;
		rec.dict_sizes = &m->sizes;
	}
	return kb_store_record(out, &rec, already);
}

/*
 * The M: and L: lines in keeps of the subsystems out names (after its builds are merged),
 * for each subsystem out keeps none of: as a build out already has is left alone.
 */
static int copy_contacts(struct kb_store *out, struct kb_store *in)
{
	sqlite3_stmt *rows = NULL, *has = NULL, *ins = NULL;
	char *group = NULL;
	int skip = 0, step, rc = KB_ERR;

	if (kb_store_prepare(in, &rows,
			     "SELECT s.name, c.seq, c.role, c.address FROM subsystem_contacts c "
			     "JOIN subsystems s ON s.id = c.subsystem_id ORDER BY s.name, c.seq") ||
	    kb_store_prepare(out, &has,
			     "SELECT 1 FROM subsystem_contacts c JOIN subsystems s ON s.id = "
			     "c.subsystem_id WHERE s.name = ?1") ||
	    kb_store_prepare(out, &ins,
			     "INSERT INTO subsystem_contacts (subsystem_id, seq, role, address) "
			     "SELECT id, ?2, ?3, ?4 FROM subsystems WHERE name = ?1"))
		goto out;
	while ((step = sqlite3_step(rows)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(rows, 0);

		if (!name)
			continue;
		if (!group || strcmp(group, name)) {
			free(group);
			group = xstrdup(name);
			sqlite3_bind_text(has, 1, group, -1, SQLITE_STATIC);
			step = sqlite3_step(has);
			sqlite3_reset(has);
			if (step != SQLITE_ROW && step != SQLITE_DONE) {
				kb_store_fail(out, "cannot read a subsystem's maintainers");
				goto out;
			}
			skip = step == SQLITE_ROW;
		}
		if (skip)
			continue;
		sqlite3_bind_text(ins, 1, group, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 2, sqlite3_column_int64(rows, 1));
		sqlite3_bind_value(ins, 3, sqlite3_column_value(rows, 2));
		sqlite3_bind_value(ins, 4, sqlite3_column_value(rows, 3));
		step = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (step != SQLITE_DONE) {
			kb_store_fail(out, "cannot store a subsystem's maintainers");
			goto out;
		}
	}
	rc = kb_store_done(in, step, "cannot read the subsystems' maintainers");
out:
	free(group);
	sqlite3_finalize(rows);
	sqlite3_finalize(has);
	sqlite3_finalize(ins);
	return rc;
}

int kb_store_merge(struct kb_store *out, const char *in_path, size_t *added, size_t *had)
{
	struct kb_store *in = NULL;
	struct kb_items items = { 0 };
	struct merge_state m = { 0 };
	sqlite3_stmt *st = NULL;
	int rc = KB_ERR, step;

	*added = *had = 0;
	if (kb_store_open_read(&in, in_path) || input_sound(in) || copy_commits(out, in) ||
	    kb_items_load(in, &items) || kb_store_prepare(in, &st, builds_sql))
		goto out;
	merge_begin(&m, &items);
	kb_store_batch(out, 1);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int already = 0;

		if (merge_build(out, in, st, &m, &already))
			goto out;
		++*(already ? had : added);
	}
	if (kb_store_done(in, step, "cannot read builds") || copy_contacts(out, in))
		goto out;
	rc = 0;
out:
	kb_store_batch(out, 0);
	sqlite3_finalize(st);
	merge_end(&m);
	kb_items_release(&items);
	kb_store_close(in);
	return rc;
}
