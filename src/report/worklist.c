/*
 * worklist.c - the modular analysis written as the worklist `kbloat modular` prints: (1)
 * tristate code built in that could be a module today, (2) bool code with no built-in user
 * found that could become tristate, (3) the hard core (obj-y), and the kernel proper now,
 * with (1) as modules, and with (1) and (2). Text and JSON are written from the same rows;
 * every list's bytes are the sum of the objects in it. See worklist.h.
 */
#include "worklist.h"

#include "json.h"
#include "strbuf.h"
#include "escape.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row of a list: an option, or a directory or subsystem with the options in it. */
struct mrow {
	const char *key;
	const struct kb_mod_opt *opt; /* KB_WORKLIST_BY_OPTION */
	uint64_t cls[KB_CLS_NR], bytes;
	size_t nobjs;
	const char **
		opts; /* KB_WORKLIST_BY_DIR, KB_WORKLIST_BY_SUBSYSTEM: the owners whose objects are here */
	size_t nopts;
};

struct mlist {
	struct mrow *rows;
	size_t n, alloc;
	uint64_t cls[KB_CLS_NR], bytes;
	size_t nobjs;
};

static int cmp_mrow(const void *x, const void *y)
{
	const struct mrow *a = x, *b = y;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return strcmp(a->key, b->key);
}

static struct mrow *mlist_row(struct mlist *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->rows[i].key, key))
			return &l->rows[i];
	ALLOC_GROW(l->rows, l->n + 1, l->alloc);
	memset(&l->rows[l->n], 0, sizeof(l->rows[0]));
	l->rows[l->n].key = key;
	return &l->rows[l->n++];
}

static void mrow_add_opt(struct mrow *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nopts; i++)
		if (!strcmp(r->opts[i], name))
			return;
	r->opts = xrealloc(r->opts, (r->nopts + 1) * sizeof(*r->opts));
	r->opts[r->nopts++] = name;
}

typedef int (*obj_filter)(const struct kb_modular *m, const struct kb_mod_obj *o);

static int in_tri_cand(const struct kb_modular *m, const struct kb_mod_obj *o)
{
	return o->cat == KB_MOD_TRISTATE && m->opts[o->owner].candidate == 1;
}

static int in_tri_kept(const struct kb_modular *m, const struct kb_mod_obj *o)
{
	return o->cat == KB_MOD_TRISTATE && !m->opts[o->owner].candidate;
}

static int in_tri_freed(const struct kb_modular *m, const struct kb_mod_obj *o)
{
	return o->cat == KB_MOD_TRISTATE && m->opts[o->owner].candidate == 2;
}

static int in_bool_cand(const struct kb_modular *m, const struct kb_mod_obj *o)
{
	return o->cat == KB_MOD_BOOL && m->opts[o->owner].candidate;
}

static int in_bool_kept(const struct kb_modular *m, const struct kb_mod_obj *o)
{
	return o->cat == KB_MOD_BOOL && !m->opts[o->owner].candidate;
}

static int in_core(const struct kb_modular *m, const struct kb_mod_obj *o)
{
	(void)m;
	return o->cat == KB_MOD_CORE;
}

static int in_unknown(const struct kb_modular *m, const struct kb_mod_obj *o)
{
	(void)m;
	return o->cat == KB_MOD_UNKNOWN;
}

/* The report's lists, in order: text and JSON walk the same table. */
enum list_by { LIST_BY_USER, LIST_BY_OPTION, LIST_BY_CORE, LIST_BY_OBJECT };

static const struct mod_section {
	const char *json; /* its key in --json */
	const char *title; /* its heading in text */
	obj_filter f;
	enum list_by by;
	int kind; /* print_list's: 0 candidates, 1 kept (with why), 2 plain */
	int always; /* printed in text when empty */
} sections[] = {
	{ "tristate_candidates", "(1) tristate code built in that could be a module today",
	  in_tri_cand, LIST_BY_USER, 0, 1 },
	{ "tristate_kept", "    tristates that must stay built in", in_tri_kept, LIST_BY_OPTION, 1,
	  0 },
	{ "bool_candidates",
	  "(2) bool code that could become tristate (no built-in-only user found)", in_bool_cand,
	  LIST_BY_USER, 0, 1 },
	{ "tristate_freed", "    tristates only (2) candidates keep built in: they go with them",
	  in_tri_freed, LIST_BY_OPTION, 1, 0 },
	{ "bool_kept", "    bool code with built-in users", in_bool_kept, LIST_BY_OPTION, 1, 0 },
	{ "core", "(3) the hard core, no option at all (obj-y, and the linker's bytes)", in_core,
	  LIST_BY_CORE, 2, 1 },
	{ "unknown", "    objects no Makefile names", in_unknown, LIST_BY_OBJECT, 2, 0 },
};

/* The grouping of a section under --by: core by dir (or subsystem), candidates as asked. */
static enum kb_worklist_by section_by(const struct mod_section *sec, enum kb_worklist_by by)
{
	switch (sec->by) {
	case LIST_BY_USER:
		return by;
	case LIST_BY_OPTION:
		return KB_WORKLIST_BY_OPTION;
	case LIST_BY_CORE:
		return by == KB_WORKLIST_BY_SUBSYSTEM ? KB_WORKLIST_BY_SUBSYSTEM :
							KB_WORKLIST_BY_DIR;
	default:
		return KB_WORKLIST_BY_DIR;
	}
}

static void add_linker_row(struct mlist *l, const char *key, const uint64_t *cls)
{
	struct mrow *r;
	uint64_t sum = 0;
	int c;

	for (c = 0; c < KB_CLS_NR; c++)
		sum += cls[c];
	if (!sum)
		return;
	r = mlist_row(l, key);
	for (c = 0; c < KB_CLS_NR; c++) {
		r->cls[c] += cls[c];
		r->bytes += cls[c];
		l->cls[c] += cls[c];
		l->bytes += cls[c];
	}
}

/*
 * The objects f accepts, grouped by; unknown objects by object. The hard core also holds
 * the bytes no object claims: the linker script's alignment fill and what the linker made.
 */
static void build_list(struct mlist *l, const struct kb_modular *m, obj_filter f,
		       enum kb_worklist_by by, int by_object)
{
	size_t i;
	int c;

	memset(l, 0, sizeof(*l));
	if (f == in_core) {
		add_linker_row(l, "[linker fill]", m->fill);
		add_linker_row(l, "[linker-made]", m->linker);
	}
	for (i = 0; i < m->nobjs; i++) {
		const struct kb_mod_obj *o = &m->objs[i];
		struct mrow *r;

		if (!f(m, o))
			continue;
		if (by_object)
			r = mlist_row(l, o->object);
		else if (by == KB_WORKLIST_BY_OPTION && o->owner >= 0)
			r = mlist_row(l, m->opts[o->owner].name);
		else
			r = mlist_row(l, by == KB_WORKLIST_BY_SUBSYSTEM ? o->subsystem : o->dir);
		if (by == KB_WORKLIST_BY_OPTION && o->owner >= 0)
			r->opt = &m->opts[o->owner];
		else if (o->owner >= 0)
			mrow_add_opt(r, m->opts[o->owner].name);
		for (c = 0; c < KB_CLS_NR; c++) {
			r->cls[c] += o->cls[c];
			l->cls[c] += o->cls[c];
		}
		r->bytes += o->bytes;
		r->nobjs++;
		l->bytes += o->bytes;
		l->nobjs++;
	}
	if (l->n)
		qsort(l->rows, l->n, sizeof(*l->rows), cmp_mrow);
}

static void mlist_release(struct mlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->rows[i].opts);
	free(l->rows);
}

/* --- text ------------------------------------------------------------------------------ */

static void print_why(FILE *f, const struct kb_mod_why *w)
{
	const char *who = w->who ? w->who : "", *det = w->detail ? w->detail : "";

	switch (w->kind) {
	case KB_WHY_SELECTED:
		fputs("selected by ", f);
		kb_escape_text(f, who);
		fputs(" (", f);
		kb_escape_text(f, det);
		fputc(')', f);
		break;
	case KB_WHY_NEEDS_Y:
		kb_escape_text(f, who);
		fputs(" (", f);
		kb_escape_text(f, det);
		fputs(") depends on it being y", f);
		break;
	case KB_WHY_DEFAULT_Y:
		fprintf(f, "no visible prompt, default y");
		break;
	case KB_WHY_MAKEFILE:
		fprintf(f, "the Makefile builds it in at m too");
		break;
	case KB_WHY_USED_BY:
		kb_escape_text(f, who);
		fputs(" uses ", f);
		kb_escape_text(f, det);
		break;
	case KB_WHY_LOADER:
		fprintf(f, "the module loader itself");
		break;
	case KB_WHY_BOOT_TABLE:
		kb_escape_text(f, who);
		fputs(" is in the boot table ", f);
		kb_escape_text(f, det);
		break;
	}
}

static void print_names(FILE *f, const char *label, const char *const *v, size_t n, size_t max)
{
	size_t i;

	if (!n)
		return;
	fputs("  ", f);
	if (*label)
		fprintf(f, "%s ", label);
	for (i = 0; i < n && i < max; i++) {
		fputs(i ? ", " : "", f);
		kb_escape_text(f, v[i]);
	}
	if (n > max)
		fprintf(f, ", +%zu more", n - max);
}

static void print_selectors(FILE *f, const struct kb_mod_opt *p, size_t max)
{
	const char **names = xcalloc(p->nselectors + 1, sizeof(*names));
	size_t i;

	for (i = 0; i < p->nselectors; i++)
		names[i] = p->selectors[i]->name;
	print_names(f, "selected by", names, p->nselectors, max);
	free(names);
}

static const char *by_header(enum kb_worklist_by by)
{
	return by == KB_WORKLIST_BY_OPTION ? "option" :
	       by == KB_WORKLIST_BY_DIR	   ? "directory" :
					     "subsystem";
}

/* kind: 0 candidates (with selectors), 1 kept (with the first reason), 2 plain */
static void print_list(FILE *f, const struct mlist *l, enum kb_worklist_by by, long top, int kind)
{
	struct strbuf key = STRBUF_INIT;
	size_t i, n = top > 0 && (size_t)top < l->n ? (size_t)top : l->n;
	uint64_t rest = 0;

	fprintf(f, "  %12s %12s  %-28s %5s  %s\n", "bytes", "text", by_header(by), "objs",
		by == KB_WORKLIST_BY_OPTION ? "subsystem" : "options");
	for (i = 0; i < n; i++) {
		const struct mrow *r = &l->rows[i];

		fprintf(f, "  %12llu %12llu  ", (unsigned long long)r->bytes,
			(unsigned long long)r->cls[KB_CLS_TEXT]);
		/* names from MAINTAINERS or a tree (a tab in "HPET:\tx86") padded as escaped */
		fprintf(f, "%-28s %5zu", kb_text(&key, r->key), r->nobjs);
		if (r->opt) {
			fprintf(f, "  ");
			kb_escape_text(f, r->opt->subsystem ? r->opt->subsystem : "-");
			if (kind == 0)
				print_selectors(f, r->opt, 3);
			if (kind == 1 && r->opt->nwhy) {
				size_t kept = 0, j, more;

				for (j = 0; j < r->opt->nwhy; j++)
					kept += r->opt->why[j].kind == KB_WHY_USED_BY;
				more = r->opt->nwhy - 1 + r->opt->nusers - kept;
				fprintf(f, "  kept: ");
				print_why(f, &r->opt->why[0]);
				if (more)
					fprintf(f, " (+%zu more)", more);
			}
			if (kind == 0 && r->opt->cat == KB_MOD_BOOL && r->opt->ks &&
			    !r->opt->ks->has_prompt)
				fprintf(f, "  [no prompt]");
		} else if (r->nopts) {
			print_names(f, "", r->opts, r->nopts, 4);
		}
		fputc('\n', f);
	}
	for (; i < l->n; i++)
		rest += l->rows[i].bytes;
	if (n < l->n)
		fprintf(f, "  %12llu %12s  (%zu more)\n", (unsigned long long)rest, "", l->n - n);
	fprintf(f, "  %12llu %12llu  total, %zu objects\n", (unsigned long long)l->bytes,
		(unsigned long long)l->cls[KB_CLS_TEXT], l->nobjs);
	strbuf_release(&key);
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static uint64_t sum_cls(const uint64_t *cls)
{
	uint64_t s = 0;
	int c;

	for (c = 0; c < KB_CLS_NR; c++)
		s += cls[c];
	return s;
}

/* How the kallsyms shares were made and whether the prediction relearns the table. */
static void write_kallsyms_model(FILE *f, const struct kb_modular *m)
{
	if (!m->ks_decoded) {
		if (m->ks_given)
			fprintf(f,
				"note: kallsyms shares at the table's average rate per name byte: "
				"%s\n",
				m->ks_note);
		return;
	}
	fprintf(f,
		"note: kallsyms shares read from the image's table: each of its %zu entries' "
		"exact bytes; its token table, markers and alignment stay with it\n",
		m->ks_syms);
	if (m->ks_relearnt)
		fprintf(f,
			"note: kallsyms relearnt: scripts/kallsyms' tokens, learnt again from every "
			"name, give the image's table back; learnt from the names that stay, the "
			"table changes by %lld bytes with (1) and %lld with (1) and (2), which the "
			"predictions below count\n",
			(long long)m->ks_relearn1, (long long)m->ks_relearn2);
	else
		fprintf(f, "note: %s\n", m->ks_note);
}

/* The kallsyms table the link made, or NULL: it names every symbol, so it shrinks with every
 * object that leaves the core (the analyzer gives each object its share) */
static const struct kb_mod_obj *kallsyms_table(const struct kb_modular *m)
{
	return m->ks_obj >= 0 ? &m->objs[m->ks_obj] : NULL;
}

/* The link's tables shared out by what their entries name, and how much of each was. */
static void write_tables_text(FILE *f, const struct kb_modular *m)
{
	size_t i;

	fprintf(f,
		"note: tables the link writes with an entry per function or symbol (objtool's in "
		"vmlinux.o after its ld -r, modpost's export table): in code and data each object "
		"counts the entries that name its bytes (%llu bytes given), which leave with it; "
		"the lists count them where the map puts them:",
		(unsigned long long)m->tab_given);
	for (i = 0; i < m->ntables; i++)
		fprintf(f, "%s %s %s %llu of %llu", i ? "," : "", m->objs[m->tables[i].obj].object,
			m->tables[i].section, (unsigned long long)m->tables[i].shared,
			(unsigned long long)m->tables[i].bytes);
	fputc('\n', f);
}

void kb_worklist_write_text(FILE *f, const struct kb_modular *m, const struct kb_worklist_opts *o)
{
	struct mlist l;
	uint64_t text = m->total_cls[KB_CLS_TEXT];
	uint64_t attributed = m->cat_cls[KB_MOD_TRISTATE][KB_CLS_TEXT] +
			      m->cat_cls[KB_MOD_BOOL][KB_CLS_TEXT] +
			      m->cat_cls[KB_MOD_CORE][KB_CLS_TEXT];
	uint64_t s1 = sum_cls(m->save1), s2 = sum_cls(m->save2);
	const struct kb_mod_obj *ks;
	size_t i;

	fprintf(f, "kernel proper: %llu bytes (text %llu), %zu objects; %s, ARCH %s\n",
		(unsigned long long)m->total, (unsigned long long)text, m->nobjs, m->build,
		m->srcarch);
	fprintf(f,
		"text: %llu bytes; %llu of the %llu in objects (%.1f%%) traced to an option or obj-y; "
		"linker fill %llu and linker-made %llu counted with the hard core: %.1f%% of text "
		"attributed\n",
		(unsigned long long)text, (unsigned long long)attributed,
		(unsigned long long)(attributed + m->cat_cls[KB_MOD_UNKNOWN][KB_CLS_TEXT]),
		pct(attributed, attributed + m->cat_cls[KB_MOD_UNKNOWN][KB_CLS_TEXT]),
		(unsigned long long)m->fill[KB_CLS_TEXT],
		(unsigned long long)m->linker[KB_CLS_TEXT],
		pct(attributed + m->fill[KB_CLS_TEXT] + m->linker[KB_CLS_TEXT], text));
	if (m->nbuiltin)
		fprintf(f,
			"modules.builtin: %zu built-in modules, %zu of them found as tristate "
			"objects\n",
			m->nbuiltin, m->nbuiltin_matched);
	if (m->have_ranges)
		fprintf(f,
			"modules.builtin.ranges: %llu bytes in built-in modules, %llu of them in "
			"modules kbloat found\n",
			(unsigned long long)m->ranges_bytes, (unsigned long long)m->ranges_agree);
	if (m->refs_read < m->nobjs)
		fprintf(f,
			"note: %zu of %zu object files read from the build directory: (2) cannot see "
			"the built-in users of the others\n",
			m->refs_read, m->nobjs);
	if (!m->modules_on)
		fprintf(f,
			"note: CONFIG_MODULES is not set: (1) and (2) assume it is, and what it "
			"would add is not counted (the module loader, and the export tables every "
			"EXPORT_SYMBOL then emits)\n");

	ks = kallsyms_table(m);
	if (ks && m->have_code) {
		fprintf(f,
			"note: the kallsyms table (%s, %llu bytes) names every symbol: in code and "
			"data each object counts its symbols' share of it (%llu of %llu bytes given), "
			"which leaves with it; the lists count the table whole with KALLSYMS\n",
			ks->object, (unsigned long long)ks->bytes, (unsigned long long)m->ks_given,
			(unsigned long long)m->ks_table);
		write_kallsyms_model(f, m);
	} else if (ks)
		fprintf(f,
			"note: the kallsyms table (%s, %llu bytes) names every symbol; a candidate's "
			"names leave with it, which (1) and (2) do not count: a build with them as "
			"modules is smaller than they say by the candidates' share of it\n",
			ks->object, (unsigned long long)ks->bytes);
	if (m->ntables)
		write_tables_text(f, m);
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		const struct mod_section *sec = &sections[i];
		enum kb_worklist_by by = section_by(sec, o->by);

		build_list(&l, m, sec->f, by, sec->by == LIST_BY_OBJECT);
		if (l.n || sec->always) {
			fprintf(f, "\n%s", sec->title);
			if (sec->by == LIST_BY_CORE)
				fprintf(f, ", by %s", by_header(by));
			fprintf(f, ": %zu rows, %llu bytes\n", l.n, (unsigned long long)l.bytes);
			print_list(f, &l, by, o->top, sec->kind);
		}
		mlist_release(&l);
	}

	fprintf(f, "\nkernel proper now:                    %12llu\n",
		(unsigned long long)m->total);
	fprintf(f, "with every (1) a module:              %12llu  (-%llu, %.1f%%)\n",
		(unsigned long long)(m->total - s1), (unsigned long long)s1, pct(s1, m->total));
	fprintf(f, "with (1) and (2) modules:             %12llu  (-%llu, %.1f%%)\n",
		(unsigned long long)(m->total - s1 - s2), (unsigned long long)(s1 + s2),
		pct(s1 + s2, m->total));
	if (m->have_code)
		fprintf(f,
			"code and data (padding %llu aside):   %12llu; with every (1) a module %llu; "
			"with (1) and (2) %llu; hard core %llu\n",
			(unsigned long long)m->pad_total,
			(unsigned long long)(m->total - m->pad_total),
			(unsigned long long)kb_modular_predicted(m, 1),
			(unsigned long long)kb_modular_predicted(m, 2),
			(unsigned long long)m->code_core);
	if (m->have_code && m->ks_relearnt)
		fprintf(f,
			"kallsyms relearnt:                    %12lld with every (1) a module; %lld "
			"with (1) and (2) (in the two above)\n",
			(long long)m->ks_relearn1, (long long)m->ks_relearn2);
}

/* --- JSON ------------------------------------------------------------------------------ */

/* "FILE:LINE", FILE's bytes kept as kb_json_str keeps them */
static json_t *file_line_json(const char *file, unsigned line)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;

	strbuf_addf(&sb, "%s:%u", file, line);
	j = kb_json_str(sb.buf);
	strbuf_release(&sb);
	return j;
}

static json_t *sym_names_json(const struct kb_ksym *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, kb_json_str(v[i]->name));
	return a;
}

static json_t *names_json(const char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, kb_json_str(v[i]));
	return a;
}

static json_t *opt_json(const struct kb_mod_opt *p)
{
	json_t *o = json_object(), *why = json_array();
	size_t i;

	json_object_set_new(o, "type", kb_json_str(kb_ktype_name(p->type)));
	json_object_set_new(o, "prompt", json_boolean(p->ks && p->ks->has_prompt));
	json_object_set_new(o, "value", kb_json_str(p->value));
	json_object_set_new(o, "subsystem", p->subsystem ? kb_json_str(p->subsystem) : json_null());
	if (p->ks)
		json_object_set_new(o, "kconfig",
				    file_line_json(p->ks->file ? p->ks->file : "?", p->ks->line));
	json_object_set_new(o, "selected_by", sym_names_json(p->selectors, p->nselectors));
	if (p->cat == KB_MOD_TRISTATE)
		json_object_set_new(o, "in_modules_builtin", json_boolean(p->builtin_listed));
	for (i = 0; i < p->nwhy; i++) {
		json_t *w = json_object();

		json_object_set_new(w, "kind", kb_json_str(kb_mod_why_name(p->why[i].kind)));
		json_object_set_new(w, "who",
				    p->why[i].who ? kb_json_str(p->why[i].who) : json_null());
		json_object_set_new(w, "detail",
				    p->why[i].detail ? kb_json_str(p->why[i].detail) : json_null());
		json_array_append_new(why, w);
	}
	json_object_set_new(o, "why", why);
	json_object_set_new(o, "users_found", json_integer((json_int_t)p->nusers));
	return o;
}

static json_t *list_json(const struct kb_modular *m, obj_filter f, enum kb_worklist_by by,
			 int by_object)
{
	struct mlist l;
	json_t *o = json_object(), *rows = json_array();
	size_t i;

	build_list(&l, m, f, by, by_object);
	for (i = 0; i < l.n; i++) {
		const struct mrow *r = &l.rows[i];
		json_t *j = r->opt ? opt_json(r->opt) : json_object();

		json_object_set_new(j, "key", kb_json_str(r->key));
		json_object_set_new(j, "bytes", kb_json_u64(r->bytes));
		json_object_set_new(j, "classes", kb_json_classes(r->cls));
		json_object_set_new(j, "objects", json_integer((json_int_t)r->nobjs));
		if (!r->opt && !by_object)
			json_object_set_new(j, "options", names_json(r->opts, r->nopts));
		json_array_append_new(rows, j);
	}
	json_object_set_new(o, "bytes", kb_json_u64(l.bytes));
	json_object_set_new(o, "classes", kb_json_classes(l.cls));
	json_object_set_new(o, "objects", json_integer((json_int_t)l.nobjs));
	json_object_set_new(o, "rows", rows);
	mlist_release(&l);
	return o;
}

static const char *step_kind(enum kb_step_kind k)
{
	static const char *const names[] = { "member", "obj", "dir", "cond" };

	return names[k];
}

static json_t *objects_json(const struct kb_modular *m)
{
	json_t *a = json_array();
	size_t i, j;

	for (i = 0; i < m->nobjs; i++) {
		const struct kb_mod_obj *o = &m->objs[i];
		json_t *j_o = json_object(), *chain = json_array();

		json_object_set_new(j_o, "object", kb_json_str(o->object));
		json_object_set_new(j_o, "source", kb_json_str(o->source));
		json_object_set_new(j_o, "subsystem", kb_json_str(o->subsystem));
		json_object_set_new(j_o, "bytes", kb_json_u64(o->bytes));
		json_object_set_new(j_o, "classes", kb_json_classes(o->cls));
		if (m->have_code)
			json_object_set_new(j_o, "padding", kb_json_u64(o->pad));
		/* its share of the kallsyms table (the table's own: minus what it gave): its
		 * code and data are bytes - padding + kallsyms_share */
		if (m->have_code && m->ks_obj >= 0)
			json_object_set_new(j_o, "kallsyms_share",
					    json_integer((json_int_t)o->kshare));
		/* and of the link's other tables (link_tables; a table's own object: minus
		 * what it gave): code and data are bytes - padding + kallsyms_share +
		 * table_share */
		if (m->have_code && m->ntables)
			json_object_set_new(j_o, "table_share",
					    json_integer((json_int_t)o->tshare));
		json_object_set_new(j_o, "category", kb_json_str(kb_mod_cat_name(o->cat)));
		json_object_set_new(j_o, "owner",
				    o->owner >= 0 ? kb_json_str(m->opts[o->owner].name) :
						    json_null());
		if (o->module)
			json_object_set_new(j_o, "module", kb_json_str(o->module));
		for (j = 0; j < o->origin.nsteps; j++) {
			const struct kb_step *s = &o->origin.steps[j];
			json_t *st = json_object();

			json_object_set_new(st, "kind", kb_json_str(step_kind(s->kind)));
			json_object_set_new(st, "option",
					    s->option ? kb_json_str(s->option) : json_null());
			json_object_set_new(st, "list", kb_json_str(s->list ? s->list : ""));
			json_object_set_new(st, "name", kb_json_str(s->name ? s->name : ""));
			json_object_set_new(st, "file", file_line_json(s->file, s->line));
			if (s->flags & KB_STEP_NEGATED)
				json_object_set_new(st, "negated", json_true());
			if (s->flags & KB_STEP_FORCE_BUILTIN)
				json_object_set_new(st, "force_builtin", json_true());
			json_array_append_new(chain, st);
		}
		json_object_set_new(j_o, "chain", chain);
		if (!o->origin.resolved && o->origin.why)
			json_object_set_new(j_o, "unresolved", kb_json_str(o->origin.why));
		json_array_append_new(a, j_o);
	}
	return a;
}

/* The link's tables shared out by what their entries name (kb_mod_table), with what each gave
 * ([] without such tables, or without a breakdown: they are shared in code and data only) */
static json_t *tables_json(const struct kb_modular *m)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < m->ntables; i++) {
		const struct kb_mod_table *t = &m->tables[i];

		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:I, s:o}", "section",
						   kb_json_str(t->section), "object",
						   kb_json_str(m->objs[t->obj].object), "bytes",
						   kb_json_u64(t->bytes), "entries",
						   (json_int_t)t->entries, "shared",
						   kb_json_u64(t->shared)));
	}
	return a;
}

/* The sums in bytes of code and data (padding aside), or null without a breakdown. */
static json_t *code_json(const struct kb_modular *m)
{
	json_t *j;
	uint64_t code = m->total - m->pad_total;

	if (!m->have_code)
		return json_null();
	j = json_object();
	json_object_set_new(j, "padding", kb_json_u64(m->pad_total));
	json_object_set_new(j, "padding_outside_objects", kb_json_u64(m->pad_outside));
	json_object_set_new(j, "now", kb_json_u64(code));
	json_object_set_new(j, "tristate_as_modules", kb_json_u64(kb_modular_predicted(m, 1)));
	json_object_set_new(j, "tristate_and_bool_as_modules",
			    kb_json_u64(kb_modular_predicted(m, 2)));
	json_object_set_new(j, "kallsyms_relearnt_tristate", json_integer(m->ks_relearn1));
	json_object_set_new(j, "kallsyms_relearnt_tristate_and_bool", json_integer(m->ks_relearn2));
	json_object_set_new(j, "tristate_savings", kb_json_u64(m->code_save1));
	json_object_set_new(j, "bool_savings", kb_json_u64(m->code_save2));
	json_object_set_new(j, "hard_core", kb_json_u64(m->code_core));
	json_object_set_new(j, "rest", kb_json_u64(m->code_rest));
	return j;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void kb_worklist_write_fragment(FILE *f, const struct kb_modular *m)
{
	const char **v = xcalloc(m->nto_m + 1, sizeof(*v));
	size_t i;

	memcpy(v, m->to_m, m->nto_m * sizeof(*v));
	qsort(v, m->nto_m, sizeof(*v), by_name);
	fprintf(f,
		"# kbloat modular: the %zu tristates at y that can leave the core (1), as "
		"modules.\n",
		m->nto_m);
	fprintf(f, "# scripts/kconfig/merge_config.sh -m -O O O/.config THIS; make O=O "
		   "olddefconfig\n");
	fprintf(f, "CONFIG_MODULES=y\n");
	for (i = 0; i < m->nto_m; i++)
		fprintf(f, "CONFIG_%s=m\n", v[i]);
	free(v);
}

json_t *kb_worklist_table(const struct kb_modular *m)
{
	return objects_json(m);
}

json_t *kb_worklist_json(const struct kb_modular *m, const struct kb_worklist_opts *o)
{
	json_t *j = json_object(), *att = json_object(), *sums = json_object();
	uint64_t s1 = sum_cls(m->save1), s2 = sum_cls(m->save2);
	size_t i;
	int c;

	json_object_set_new(j, "src", kb_json_str(m->src));
	json_object_set_new(j, "build", kb_json_str(m->build));
	json_object_set_new(j, "srcarch", kb_json_str(m->srcarch));
	json_object_set_new(j, "by", kb_json_str(by_header(o->by)));
	json_object_set_new(j, "modules_enabled", json_boolean(m->modules_on));
	json_object_set_new(j, "kallsyms_table",
			    kallsyms_table(m) ? kb_json_u64(kallsyms_table(m)->bytes) :
						json_null());
	json_object_set_new(j, "kallsyms_shared", kb_json_u64(m->ks_given));
	json_object_set_new(j, "kallsyms_model",
			    m->ks_decoded ? json_string("decoded") :
			    m->ks_given	  ? json_string("average") :
					    json_null());
	json_object_set_new(j, "kallsyms_entries",
			    m->ks_decoded ? json_integer((json_int_t)m->ks_syms) : json_null());
	json_object_set_new(j, "kallsyms_relearnt", json_boolean(m->ks_relearnt));
	json_object_set_new(j, "kallsyms_note",
			    m->ks_note[0] ? kb_json_str(m->ks_note) : json_null());
	json_object_set_new(j, "link_tables", tables_json(m));
	json_object_set_new(j, "link_tables_shared", kb_json_u64(m->tab_given));
	json_object_set_new(j, "object_files_read", json_integer((json_int_t)m->refs_read));
	json_object_set_new(j, "total", kb_json_u64(m->total));
	json_object_set_new(j, "classes", kb_json_classes(m->total_cls));
	for (c = 0; c < KB_MOD_NCAT; c++)
		json_object_set_new(att, kb_mod_cat_name(c), kb_json_classes(m->cat_cls[c]));
	json_object_set_new(att, "fill", kb_json_classes(m->fill));
	json_object_set_new(att, "linker", kb_json_classes(m->linker));
	json_object_set_new(j, "attribution", att);
	json_object_set_new(
		j, "modules_builtin",
		json_pack("{s:I, s:I, s:o}", "entries", (json_int_t)m->nbuiltin, "found",
			  (json_int_t)m->nbuiltin_matched, "not_found",
			  names_json(m->builtin_missing, m->nbuiltin - m->nbuiltin_matched)));
	json_object_set_new(j, "modules_builtin_ranges",
			    m->have_ranges ?
				    json_pack("{s:o, s:o}", "bytes", kb_json_u64(m->ranges_bytes),
					      "found", kb_json_u64(m->ranges_agree)) :
				    json_null());
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		json_object_set_new(j, sections[i].json,
				    list_json(m, sections[i].f, section_by(&sections[i], o->by),
					      sections[i].by == LIST_BY_OBJECT));
	json_object_set_new(sums, "now", kb_json_u64(m->total));
	json_object_set_new(sums, "tristate_as_modules", kb_json_u64(m->total - s1));
	json_object_set_new(sums, "tristate_and_bool_as_modules", kb_json_u64(m->total - s1 - s2));
	json_object_set_new(sums, "tristate_savings", kb_json_classes(m->save1));
	json_object_set_new(sums, "bool_savings", kb_json_classes(m->save2));
	json_object_set_new(j, "sums", sums);
	json_object_set_new(j, "code_and_data", code_json(m));
	json_object_set_new(j, "objects", objects_json(m));
	return j;
}
