/*
 * history.c - size per commit along a line of builds; see history.h.
 */
#include "history.h"
#include "escape.h"
#include "json.h"

#include "store_history.h"
#include "subsystems.h"
#include "error.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Each row's size, delta and commit, from the line's ids. */
static int fill_rows(struct kb_history *m, struct kb_store *s, const struct kb_scope *sc,
		     const int64_t *ids)
{
	struct kb_build_commit *c = xcalloc(m->n + 1, sizeof(*c));
	int64_t *size = xcalloc(m->n + 1, sizeof(*size));
	size_t i;
	int rc = KB_ERR;

	if (kb_store_line_sizes(s, sc, ids, m->n, size) ||
	    kb_store_build_commits(s, ids, m->n, c, &m->strs))
		goto out;
	for (i = 0; i < m->n; i++) {
		struct kb_history_row *r = &m->rows[i];

		r->build_id = ids[i];
		r->sha = c[i].sha;
		r->author = c[i].author;
		r->subject = c[i].subject;
		r->author_time = c[i].author_time;
		r->size = size[i];
		r->delta = i ? size[i] - size[i - 1] : 0;
		r->commits = i ? c[i].distance : 0;
	}
	rc = 0;
out:
	free(c);
	free(size);
	return rc;
}

int kb_history_build(struct kb_history **out, struct kb_store *s, int64_t config_id,
		     const struct kb_scope *sc)
{
	struct kb_history *m = xcalloc(1, sizeof(*m));
	int64_t *ids = NULL;
	int rc;

	*out = NULL;
	rc = kb_build_line(s, config_id, 0, &ids, &m->n);
	if (!rc) {
		m->rows = xcalloc(m->n + 1, sizeof(*m->rows));
		rc = fill_rows(m, s, sc, ids);
	}
	free(ids);
	if (rc) {
		kb_history_free(m);
		return KB_ERR;
	}
	*out = m;
	return 0;
}

void kb_history_free(struct kb_history *m)
{
	if (!m)
		return;
	free(m->rows);
	kb_strtab_release(&m->strs);
	free(m);
}

void kb_history_write_text(FILE *f, const struct kb_history *m)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	size_t i;

	if (!m->n) {
		fprintf(f, "no builds recorded for this config\n");
		return;
	}
	fprintf(f, "%-12s  %-10s  %10s  %9s  %-18s  %s\n", "commit", "date", "size", "delta",
		"author", "subject");
	for (i = 0; i < m->n; i++) {
		const struct kb_history_row *r = &m->rows[i];
		char date[16], d[24] = "";

		kb_format_date(r->author_time, date);
		if (i)
			snprintf(d, sizeof(d), "%+lld", (long long)r->delta);
		fprintf(f, "%s  %s  %10lld  %9s  %-18s  %s\n", kb_text_cut(&c, r->sha, 12), date,
			(long long)r->size, d, kb_text_cut(&a, r->author, 18),
			kb_text_cut(&b, r->subject, 32));
	}
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
}

json_t *kb_history_json(const struct kb_history *m)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct kb_history_row *r = &m->rows[i];

		json_array_append_new(
			arr,
			json_pack("{s:o,s:o,s:o,s:I,s:I,s:I}", "commit", kb_json_str(r->sha),
				  "author", kb_json_str(r->author), "subject",
				  kb_json_str(r->subject), "size", (json_int_t)r->size, "delta",
				  (json_int_t)r->delta, "commits", (json_int_t)r->commits));
	}
	return json_pack("{s:o}", "builds", arr);
}
