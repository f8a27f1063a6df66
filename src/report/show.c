/*
 * show.c - one build against its parent build; see show.h.
 */
#include "show.h"
#include "table.h"
#include "reused.h"
#include "escape.h"
#include "json.h"

#include "bom.h"
#include "query.h"
#include "trend.h"
#include "subsystems.h"
#include "error.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Old and new bytes per subsystem and per file of the breakdown items. */
static void by_subsystem(const struct kb_items *it, const struct kb_sizes *o,
			 const struct kb_sizes *n, struct kb_rollup *r, struct kb_rollup *files)
{
	size_t i;

	for (i = 0; i < it->n; i++) {
		uint64_t ov = i < o->n ? o->v[i] : 0, nv = i < n->n ? n->v[i] : 0;
		const char *path = it->v[i].path;

		if (it->v[i].kind != KB_ITEM_ROW || !(ov || nv))
			continue;
		kb_rollup_add(r, it->v[i].subsystem ? it->v[i].subsystem : "[no file]", ov, nv);
		kb_rollup_add(files, path && *path ? path : "[no file]", ov, nv);
	}
	kb_rollup_sort(r);
	kb_rollup_sort(files);
}

/* bloat-o-meter's default view: functions, data and read-only data as one */
static void bom_view(const struct kb_items *it, const struct kb_sizes *o, const struct kb_sizes *n,
		     struct kb_bom *b)
{
	size_t i;

	for (i = 0; i < it->n; i++) {
		uint64_t ov = i < o->n ? o->v[i] : 0, nv = i < n->n ? n->v[i] : 0;

		if (it->v[i].kind >= KB_ITEM_BOM_T && it->v[i].kind <= KB_ITEM_BOM_R && (ov || nv))
			kb_bom_add(b, it->v[i].name, ov, nv);
	}
	kb_bom_finish(b);
}

/* The lines of a .config's options, each once. */
static void option_lines(const char *text, struct kb_strtab *t)
{
	const char *p, *e;

	for (p = text ? text : ""; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, '\n');
		if (e > p)
			kb_strtab_intern(t, p, (size_t)(e - p), NULL);
	}
}

/* Appends the options of a not in b, marked change. */
static void options_only_in(struct kb_show *m, const struct kb_strtab *a, const struct kb_strtab *b,
			    char change, size_t *alloc)
{
	size_t i;

	for (i = 0; i < a->nr; i++) {
		struct kb_show_option *o;

		if (kb_strtab_find(b, a->strs[i], strlen(a->strs[i])) >= 0)
			continue;
		ALLOC_GROW(m->options, m->noptions + 1, *alloc);
		o = &m->options[m->noptions++];
		o->change = change;
		kb_strtab_intern(&m->strs, a->strs[i], strlen(a->strs[i]), &o->option);
	}
}

/* Options set in one .config and not the other ("-CONFIG_X=y", "+CONFIG_X=m"). */
static void option_changes(struct kb_show *m)
{
	struct kb_strtab a = KB_STRTAB_INIT, b = KB_STRTAB_INIT;
	size_t alloc = 0;

	option_lines(m->head.parent_options, &a);
	option_lines(m->head.options, &b);
	options_only_in(m, &a, &b, '-', &alloc);
	options_only_in(m, &b, &a, '+', &alloc);
	kb_strtab_release(&a);
	kb_strtab_release(&b);
}

/* An ok build's views, from its sizes and its parent build's. */
static int measure(struct kb_show *m, struct kb_store *s, const struct kb_items *items,
		   int64_t build_id)
{
	struct kb_sizes nz = { 0 }, oz = { 0 };
	struct kb_items own = { 0 };
	const struct kb_items *it = items ? items : &own;
	int rc = KB_ERR;

	if (kb_store_sizes(s, build_id, &nz) ||
	    (m->head.parent && kb_store_sizes(s, m->head.parent, &oz)) ||
	    (!items && kb_items_load(s, &own)))
		goto out;
	bom_view(it, &oz, &nz, &m->bom);
	by_subsystem(it, &oz, &nz, &m->subsystems, &m->files);
	option_changes(m);
	if (kb_store_build_outputs(s, build_id, &m->outputs, &m->strs) ||
	    (m->head.parent &&
	     kb_store_build_outputs(s, m->head.parent, &m->parent_outputs, &m->strs)))
		goto out;
	rc = 0;
out:
	kb_items_release(&own);
	kb_sizes_release(&nz);
	kb_sizes_release(&oz);
	return rc;
}

int kb_show_build(struct kb_show **out, struct kb_store *s, int64_t build_id)
{
	return kb_show_build_items(out, s, NULL, build_id);
}

/* A new model with build_id's head read, or NULL (the error kept). */
static struct kb_show *show_head(struct kb_store *s, int64_t build_id)
{
	struct kb_show *m = xcalloc(1, sizeof(*m));
	struct kb_rollup init = KB_ROLLUP_INIT;

	kb_bom_init(&m->bom);
	m->subsystems = init;
	m->files = init;
	if (kb_store_build_head(s, build_id, &m->head, &m->strs)) {
		kb_show_free(m);
		return NULL;
	}
	m->measured = m->head.status && !strcmp(m->head.status, "ok");
	return m;
}

int kb_show_build_items(struct kb_show **out, struct kb_store *s, const struct kb_items *it,
			int64_t build_id)
{
	struct kb_show *m = show_head(s, build_id);

	*out = NULL;
	if (!m)
		return KB_ERR;
	if (m->measured && measure(m, s, it, build_id)) {
		kb_show_free(m);
		return KB_ERR;
	}
	*out = m;
	return 0;
}

/*
 * The walk: each item's keys, found once (the names of bloat-o-meter's rows, each row's
 * items; the subsystem and file of each breakdown row), and the sums the build shown last
 * has under each key, kept up to date with each build's changes. A view is then built from
 * the keys the changes touch, each with its whole sums: the rows and roll-up keys that
 * changed, with the same sizes the whole views give them (the writers show only those), and
 * bloat-o-meter's totals from the running sums.
 */
#define NO_KEY UINT32_MAX

struct kb_show_walk {
	struct kb_store *s;
	const struct kb_items *it;
	struct kb_sizes_walk *zw;
	int64_t prev; /* the build whose sizes the sums are; 0: none */
	const struct kb_sizes *z; /* its sizes (the sizes walk's) */
	uint32_t *row, *sub, *file; /* by item: its bom row, subsystem, file (or NO_KEY) */
	struct kb_strtab rows, subs, files;
	uint32_t *row_start, *row_items; /* each bom row's items: row_items[row_start[r]..] */
	uint64_t *sub_sum, *file_sum, bom_total;
	uint32_t *mark; /* by item and by key: the step that saw it last */
	uint64_t *old; /* by item: its size before the step, where mark says it changed */
	uint32_t step;
};

static int bom_kind(int kind)
{
	return kind >= KB_ITEM_BOM_T && kind <= KB_ITEM_BOM_R;
}

static uint32_t key_of(struct kb_strtab *t, const char *key)
{
	return kb_strtab_intern(t, key, strlen(key), NULL);
}

/* Each item's keys, and each bom row's items (counted, then placed). */
static void walk_keys(struct kb_show_walk *w)
{
	const struct kb_items *it = w->it;
	uint32_t *fill;
	size_t i;

	w->row = xcalloc(it->n + 1, sizeof(*w->row));
	w->sub = xcalloc(it->n + 1, sizeof(*w->sub));
	w->file = xcalloc(it->n + 1, sizeof(*w->file));
	for (i = 0; i < it->n; i++) {
		const struct kb_item_meta *v = &it->v[i];
		int row = v->kind == KB_ITEM_ROW;

		w->row[i] = bom_kind(v->kind) ? key_of(&w->rows, v->name) : NO_KEY;
		w->sub[i] = row ? key_of(&w->subs, v->subsystem ? v->subsystem : "[no file]") :
				  NO_KEY;
		w->file[i] = row ? key_of(&w->files, v->path && *v->path ? v->path : "[no file]") :
				   NO_KEY;
	}
	w->row_start = xcalloc(w->rows.nr + 2, sizeof(*w->row_start));
	for (i = 0; i < it->n; i++)
		if (w->row[i] != NO_KEY)
			w->row_start[w->row[i] + 2]++;
	for (i = 2; i < w->rows.nr + 2; i++)
		w->row_start[i] += w->row_start[i - 1];
	w->row_items = xcalloc(w->row_start[w->rows.nr + 1] + 1, sizeof(*w->row_items));
	fill = w->row_start + 1; /* fill[r] counts row r's items placed, from row_start[r] */
	for (i = 0; i < it->n; i++)
		if (w->row[i] != NO_KEY)
			w->row_items[fill[w->row[i]]++] = (uint32_t)i;
	w->sub_sum = xcalloc(w->subs.nr + 1, sizeof(*w->sub_sum));
	w->file_sum = xcalloc(w->files.nr + 1, sizeof(*w->file_sum));
	w->mark = xcalloc(it->n + w->rows.nr + w->subs.nr + w->files.nr + 1, sizeof(*w->mark));
	w->old = xcalloc(it->n + 1, sizeof(*w->old));
}

int kb_show_walk_new(struct kb_show_walk **out, struct kb_store *s, const struct kb_items *it)
{
	struct kb_show_walk *w = xcalloc(1, sizeof(*w));

	*out = NULL;
	w->s = s;
	w->it = it;
	if (kb_sizes_walk_new(&w->zw, s)) {
		free(w);
		return KB_ERR;
	}
	walk_keys(w);
	*out = w;
	return 0;
}

void kb_show_walk_free(struct kb_show_walk *w)
{
	if (!w)
		return;
	kb_sizes_walk_free(w->zw);
	free(w->row);
	free(w->sub);
	free(w->file);
	free(w->row_start);
	free(w->row_items);
	kb_strtab_release(&w->rows);
	kb_strtab_release(&w->subs);
	kb_strtab_release(&w->files);
	free(w->sub_sum);
	free(w->file_sum);
	free(w->mark);
	free(w->old);
	free(w);
}

static uint64_t size_of(const struct kb_sizes *z, size_t item)
{
	return item < z->n ? z->v[item] : 0;
}

/* The sums of build's sizes z, whole. */
static void walk_sums(struct kb_show_walk *w, const struct kb_sizes *z)
{
	size_t i;

	memset(w->sub_sum, 0, w->subs.nr * sizeof(*w->sub_sum));
	memset(w->file_sum, 0, w->files.nr * sizeof(*w->file_sum));
	w->bom_total = 0;
	for (i = 0; i < w->it->n && i < z->n; i++) {
		if (w->row[i] != NO_KEY)
			w->bom_total += z->v[i];
		if (w->sub[i] != NO_KEY) {
			w->sub_sum[w->sub[i]] += z->v[i];
			w->file_sum[w->file[i]] += z->v[i];
		}
	}
}

/* 1 the first time this step marks slot (an item, or a key after the items and keys
 * before it). */
static int first_mark(struct kb_show_walk *w, size_t slot)
{
	if (w->mark[slot] == w->step)
		return 0;
	w->mark[slot] = w->step;
	return 1;
}

/* bloat-o-meter's rows that the changes touch, each summed whole; the totals are the
 * running sums (every other row is the same in both builds). */
static void walk_bom(struct kb_show_walk *w, struct kb_bom *b, const struct kb_sizes *z,
		     const struct kb_size_change *v, size_t n)
{
	size_t base = w->it->n, k, j;
	uint64_t before = w->bom_total;

	for (k = 0; k < n; k++) {
		uint32_t r = v[k].item < w->it->n ? w->row[v[k].item] : NO_KEY;
		uint64_t ov = 0, nv = 0;

		if (r == NO_KEY)
			continue;
		w->bom_total += v[k].new - v[k].old;
		if (!first_mark(w, base + r))
			continue;
		for (j = w->row_start[r]; j < w->row_start[r + 1]; j++) {
			size_t item = w->row_items[j];
			uint64_t now = size_of(z, item);

			ov += w->mark[item] == w->step ? w->old[item] : now;
			nv += now;
		}
		if (ov || nv)
			kb_bom_add(b, w->rows.strs[r], ov, nv);
	}
	kb_bom_finish(b);
	b->old_total = before;
	b->new_total = w->bom_total;
}

/* The subsystems and files that the changes touch, with their sums before and after. */
static void walk_rollup(struct kb_show_walk *w, struct kb_rollup *r, const uint32_t *key,
			uint64_t *sum, size_t base, const struct kb_strtab *keys,
			const struct kb_size_change *v, size_t n)
{
	uint32_t *touched = xcalloc(n + 1, sizeof(*touched));
	uint64_t *was = xcalloc(n + 1, sizeof(*was));
	size_t k, nt = 0;

	for (k = 0; k < n; k++) {
		uint32_t c = v[k].item < w->it->n ? key[v[k].item] : NO_KEY;

		if (c == NO_KEY)
			continue;
		if (first_mark(w, base + c)) {
			touched[nt] = c;
			was[nt++] = sum[c];
		}
		sum[c] += v[k].new - v[k].old;
	}
	for (k = 0; k < nt; k++)
		kb_rollup_add(r, keys->strs[touched[k]], was[k], sum[touched[k]]);
	kb_rollup_sort(r);
	free(touched);
	free(was);
}

/* An ok build's views from the changes against its parent build, the build before. */
static void measure_changes(struct kb_show_walk *w, struct kb_show *m, const struct kb_sizes *z,
			    const struct kb_size_change *v, size_t n)
{
	size_t base = w->it->n + w->rows.nr, k;

	if (!++w->step) { /* after 2^32 steps the marks start again */
		memset(w->mark, 0,
		       (w->it->n + w->rows.nr + w->subs.nr + w->files.nr) * sizeof(*w->mark));
		w->step = 1;
	}
	for (k = 0; k < n; k++) {
		if (v[k].item < w->it->n && first_mark(w, v[k].item))
			w->old[v[k].item] = v[k].old;
	}
	walk_bom(w, &m->bom, z, v, n);
	walk_rollup(w, &m->subsystems, w->sub, w->sub_sum, base, &w->subs, v, n);
	walk_rollup(w, &m->files, w->file, w->file_sum, base + w->subs.nr, &w->files, v, n);
	option_changes(m);
}

int kb_show_walk_next(struct kb_show_walk *w, int64_t build_id, struct kb_show **out)
{
	const struct kb_size_change *v;
	const struct kb_sizes *z;
	struct kb_show *m = show_head(w->s, build_id);
	int64_t prev = w->prev;
	size_t n;
	int whole;

	*out = NULL;
	if (!m)
		return KB_ERR;
	if (!m->measured) {
		*out = m;
		return 0;
	}
	w->prev = 0;
	if (kb_sizes_walk_next(w->zw, build_id, &z))
		goto fail;
	w->z = z;
	whole = kb_sizes_walk_changes(w->zw, &v, &n);
	if (whole || !prev || m->head.parent != prev) {
		if (measure(m, w->s, w->it, build_id))
			goto fail;
		walk_sums(w, z);
	} else {
		measure_changes(w, m, z, v, n);
	}
	w->prev = build_id;
	*out = m;
	return 0;
fail:
	kb_show_free(m);
	return KB_ERR;
}

int kb_show_walk_changes(const struct kb_show_walk *w, const struct kb_sizes **z,
			 const struct kb_size_change **v, size_t *n)
{
	*z = w->z;
	return kb_sizes_walk_changes(w->zw, v, n);
}

void kb_show_free(struct kb_show *m)
{
	if (!m)
		return;
	kb_bom_release(&m->bom);
	kb_rollup_release(&m->subsystems);
	kb_rollup_release(&m->files);
	free(m->options);
	kb_strtab_release(&m->strs);
	free(m);
}

/* A build that was not measured: how it went. */
static void write_failed(FILE *f, const struct kb_build_head *h)
{
	struct strbuf sha = STRBUF_INIT, subject = STRBUF_INIT, status = STRBUF_INIT;
	const char *line, *end;

	fprintf(f, "commit %s\n    %s\n\nbuild %s%s", kb_text(&sha, h->sha),
		kb_text(&subject, h->subject), kb_text(&status, h->status),
		h->log ? "; the end of its log:\n" : "\n");
	/* the log's lines, each made safe for a terminal */
	for (line = h->log; line && *line; line = *end ? end + 1 : end) {
		end = strchrnul(line, '\n');
		strbuf_reset(&subject);
		strbuf_add(&subject, line, (size_t)(end - line));
		kb_escape_text(f, subject.buf);
		if (*end)
			fputc('\n', f);
	}
	strbuf_release(&sha);
	strbuf_release(&subject);
	strbuf_release(&status);
}

/* "", or " (+12)" against the parent build when it has the same thing */
static const char *change(char *buf, size_t len, int has_parent, uint64_t now, uint64_t then)
{
	buf[0] = 0;
	if (has_parent)
		snprintf(buf, len, " (%+lld)", (long long)(now - then));
	return buf;
}

/* The boot image and the modules, when the build made them. */
static void write_outputs(FILE *f, const struct kb_show *m)
{
	const struct kb_build_outputs *o = &m->outputs, *p = &m->parent_outputs;
	struct strbuf name = STRBUF_INIT;
	char d[32];
	int c;

	if (o->boot_name) {
		fprintf(f, "boot image %s: %llu bytes%s", kb_text(&name, o->boot_name),
			(unsigned long long)o->boot_bytes,
			change(d, sizeof(d), !!p->boot_name, o->boot_bytes, p->boot_bytes));
		if (o->has_boot_payload)
			fprintf(f, ", compressed kernel %llu bytes%s",
				(unsigned long long)o->boot_payload,
				change(d, sizeof(d), p->has_boot_payload, o->boot_payload,
				       p->boot_payload));
		fputc('\n', f);
	}
	if (o->has_modules) {
		fprintf(f, "modules: %llu, %llu bytes%s:", (unsigned long long)o->mod_count,
			(unsigned long long)o->mod_total,
			change(d, sizeof(d), p->has_modules, o->mod_total, p->mod_total));
		for (c = 0; c < KB_CLS_NR; c++)
			fprintf(f, " %s %llu", kb_class_name(c), (unsigned long long)o->mod_cls[c]);
		fputc('\n', f);
	}
	if (o->boot_name || o->has_modules)
		fputc('\n', f);
	strbuf_release(&name);
}

void kb_show_write_text(FILE *f, const struct kb_show *m)
{
	const struct kb_build_head *h = &m->head;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	char date[16];
	size_t i;

	if (!m->measured) {
		write_failed(f, h);
		return;
	}
	kb_format_date(h->author_time, date);
	fprintf(f, "commit %s\nAuthor: %s\nDate:   %s\n\n    %s\n\n", kb_text(&a, h->sha),
		kb_text(&b, h->author), date, kb_text(&c, h->subject));
	if (kb_reused_text(h->reused))
		fprintf(f, "%s: the image is the build directory's last one\n\n",
			kb_reused_text(h->reused));
	write_outputs(f, m);
	if (!h->parent) {
		fprintf(f, "no parent build: the first build of this config on its line\n");
		goto out;
	}
	if (h->distance > 1)
		fprintf(f, "against %s, %lld commits back (the ones between were not built)\n\n",
			kb_text_cut(&a, h->parent_sha, 12), (long long)h->distance);
	kb_bom_write_text(f, &m->bom, "Function");
	fputc('\n', f);
	kb_rollup_write_text(f, &m->subsystems, "subsystem");
	if (!m->noptions)
		goto out;
	fprintf(f, "\nconfig options that changed:\n");
	for (i = 0; i < m->noptions; i++)
		fprintf(f, "  %c%s\n", m->options[i].change, kb_text(&a, m->options[i].option));
out:
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
}

static json_t *options_json(const struct kb_show *m)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < m->noptions; i++) {
		char change[2] = { m->options[i].change, 0 };

		json_array_append_new(arr, json_pack("{s:s,s:o}", "change", change, "option",
						     kb_json_str(m->options[i].option)));
	}
	return arr;
}

json_t *kb_show_table(const struct kb_show *m)
{
	json_t *t = json_array();

	if (!m->measured)
		return t;
	kb_table_append(t, "symbols", kb_bom_rows_json(&m->bom));
	kb_table_append(t, "subsystems", kb_rollup_json(&m->subsystems));
	kb_table_append(t, "config", options_json(m));
	return t;
}

/* "boot_image": {name, bytes, payload, d_bytes, d_payload}; "modules": {count, total,
 * classes, d_total}: only for a build that has them; the changes null without a parent's */
static void outputs_json(json_t *o, const struct kb_show *m)
{
	const struct kb_build_outputs *b = &m->outputs, *p = &m->parent_outputs;

	if (b->boot_name)
		json_object_set_new(
			o, "boot_image",
			json_pack("{s:o,s:I,s:o,s:o,s:o}", "name", kb_json_str(b->boot_name),
				  "bytes", (json_int_t)b->boot_bytes, "payload",
				  b->has_boot_payload ? json_integer((json_int_t)b->boot_payload) :
							json_null(),
				  "d_bytes",
				  p->boot_name ? json_integer((json_int_t)(b->boot_bytes -
									   p->boot_bytes)) :
						 json_null(),
				  "d_payload",
				  b->has_boot_payload && p->has_boot_payload ?
					  json_integer(
						  (json_int_t)(b->boot_payload - p->boot_payload)) :
					  json_null()));
	if (b->has_modules)
		json_object_set_new(
			o, "modules",
			json_pack("{s:I,s:I,s:o,s:o}", "count", (json_int_t)b->mod_count, "total",
				  (json_int_t)b->mod_total, "classes", kb_json_classes(b->mod_cls),
				  "d_total",
				  p->has_modules ?
					  json_integer((json_int_t)(b->mod_total - p->mod_total)) :
					  json_null()));
}

json_t *kb_show_json(const struct kb_show *m)
{
	const struct kb_build_head *h = &m->head;
	json_t *o;

	if (!m->measured)
		return json_pack("{s:o,s:o,s:o,s:o}", "commit", kb_json_str(h->sha), "subject",
				 kb_json_str(h->subject), "status", kb_json_str(h->status), "log",
				 kb_json_str(h->log));
	o = json_pack("{s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:o,s:o}", "commit", kb_json_str(h->sha),
		      "author", kb_json_str(h->author), "subject", kb_json_str(h->subject),
		      "parent", kb_json_str(h->parent_sha), "commits", (json_int_t)h->distance,
		      "bloat_o_meter", kb_bom_json(&m->bom, "Function"), "subsystems",
		      kb_rollup_json(&m->subsystems), "config_changes", options_json(m),
		      "not_rebuilt", kb_json_str(kb_reused_text(h->reused)));
	outputs_json(o, m);
	return o;
}
