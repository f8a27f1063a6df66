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

int kb_show_build_items(struct kb_show **out, struct kb_store *s, const struct kb_items *it,
			int64_t build_id)
{
	struct kb_show *m = xcalloc(1, sizeof(*m));
	struct kb_rollup init = KB_ROLLUP_INIT;

	*out = NULL;
	kb_bom_init(&m->bom);
	m->subsystems = init;
	m->files = init;
	if (kb_store_build_head(s, build_id, &m->head, &m->strs))
		goto fail;
	m->measured = m->head.status && !strcmp(m->head.status, "ok");
	if (m->measured && measure(m, s, it, build_id))
		goto fail;
	*out = m;
	return 0;
fail:
	kb_show_free(m);
	return KB_ERR;
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
