/*
 * budget.c - size budgets read from JSON and checked; see budget.h.
 */
#include "budget.h"

#include "error.h"
#include "escape.h"
#include "files.h"
#include "json.h"
#include "size.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A limit: a byte count below 2^63, as the used bytes and headroom it is compared with are
 * (a limit of 2^64-1 would read as -1 there).
 */
static int size_of(json_t *v, const char *path, const char *where, uint64_t *out)
{
	int rc = json_is_string(v) ? kb_parse_size(json_string_value(v), out) : -1;

	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (!rc)
		return 0;
	if (rc == -2)
		return kb_error_set("%s: %s: too large (at most %llu bytes)", path, where,
				    (unsigned long long)KB_SIZE_MAX);
	return kb_error_set("%s: %s: not a size (a byte count, or \"16K\", \"1.5M\")", path, where);
}

static struct kb_limit *add_limit(struct kb_budget_target *t, size_t *alloc, int kind,
				  const char *what, uint64_t max)
{
	struct kb_limit *l;

	ALLOC_GROW(t->limits, t->nlimits + 1, *alloc);
	l = &t->limits[t->nlimits++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->what = xstrdup(what);
	l->max = max;
	return l;
}

/* "text+rodata+data" as a mask of classes; 0 if a part is not a class or is empty
 * ("text++rodata", "+text", "text+") */
static unsigned class_mask(const char *spec)
{
	char *copy = xstrdup(spec), *part = copy, *plus;
	unsigned mask = 0;
	int c;

	do {
		plus = strchr(part, '+');
		if (plus)
			*plus = 0;
		c = *part ? kb_class_parse(part) : -1;
		if (c < 0) {
			mask = 0;
			break;
		}
		mask |= 1u << c;
		if (plus)
			part = plus + 1;
	} while (plus);
	free(copy);
	return mask;
}

static int read_target(struct kb_budget_target *t, json_t *o, const char *path, size_t i)
{
	static const char *const known[] = {
		"name",	       "config",	 "max_total",
		"max_class",   "max_subsystem",	 "max_growth_per_commit",
		"description", "max_boot_image", "max_boot_payload",
		"max_modules"
	};
	static const struct {
		const char *key, *what;
		int kind;
	} outputs[] = {
		{ "max_boot_image", "boot image", KB_LIMIT_BOOT },
		{ "max_boot_payload", "boot image payload", KB_LIMIT_PAYLOAD },
		{ "max_modules", "modules", KB_LIMIT_MODULES },
	};
	struct strbuf where = STRBUF_INIT;
	const char *key;
	json_t *v;
	size_t alloc = 0, k;
	uint64_t max;
	int rc = KB_ERR;

	if (!json_is_object(o))
		return kb_error_set("%s: targets[%zu]: not an object", path, i);
	json_object_foreach(o, key, v)
	{
		for (k = 0; k < sizeof(known) / sizeof(known[0]) && strcmp(key, known[k]); k++)
			;
		if (k == sizeof(known) / sizeof(known[0]))
			return kb_error_set("%s: targets[%zu].%s: not a budget field", path, i,
					    key);
	}
	v = json_object_get(o, "name");
	if (!json_is_string(v) || !*json_string_value(v))
		return kb_error_set("%s: targets[%zu]: no \"name\"", path, i);
	t->name = xstrdup(json_string_value(v));
	v = json_object_get(o, "config");
	if (v && !json_is_string(v))
		return kb_error_set("%s: targets[%zu].config: not a string", path, i);
	t->config = v ? xstrdup(json_string_value(v)) : NULL;
	if ((v = json_object_get(o, "max_total"))) {
		strbuf_addf(&where, "targets[%zu].max_total", i);
		if (size_of(v, path, where.buf, &max))
			goto out;
		add_limit(t, &alloc, KB_LIMIT_TOTAL, "total", max);
	}
	if ((v = json_object_get(o, "max_class"))) {
		json_t *x;

		if (!json_is_object(v)) {
			kb_error_set("%s: targets[%zu].max_class: not an object", path, i);
			goto out;
		}
		json_object_foreach(v, key, x)
		{
			unsigned mask = class_mask(key);

			strbuf_reset(&where);
			strbuf_addf(&where, "targets[%zu].max_class.%s", i, key);
			if (!mask) {
				kb_error_set(
					"%s: %s: not a class or a sum of classes (text, rodata, "
					"data, bss, init, percpu, other; text+rodata+data)",
					path, where.buf);
				goto out;
			}
			if (size_of(x, path, where.buf, &max))
				goto out;
			add_limit(t, &alloc, KB_LIMIT_CLASS, key, max)->cls_mask = mask;
		}
	}
	if ((v = json_object_get(o, "max_subsystem"))) {
		json_t *x;

		if (!json_is_object(v)) {
			kb_error_set("%s: targets[%zu].max_subsystem: not an object", path, i);
			goto out;
		}
		json_object_foreach(v, key, x)
		{
			struct strbuf what = STRBUF_INIT;

			strbuf_reset(&where);
			strbuf_addf(&where, "targets[%zu].max_subsystem.%s", i, key);
			if (size_of(x, path, where.buf, &max))
				goto out;
			strbuf_addf(&what, "subsystem %s", key);
			add_limit(t, &alloc, KB_LIMIT_SUBSYSTEM, what.buf, max)->subsystem =
				xstrdup(key);
			strbuf_release(&what);
		}
	}
	if ((v = json_object_get(o, "max_growth_per_commit"))) {
		strbuf_reset(&where);
		strbuf_addf(&where, "targets[%zu].max_growth_per_commit", i);
		if (size_of(v, path, where.buf, &max))
			goto out;
		add_limit(t, &alloc, KB_LIMIT_GROWTH, "growth per commit", max);
	}
	for (k = 0; k < sizeof(outputs) / sizeof(outputs[0]); k++) {
		if (!(v = json_object_get(o, outputs[k].key)))
			continue;
		strbuf_reset(&where);
		strbuf_addf(&where, "targets[%zu].%s", i, outputs[k].key);
		if (size_of(v, path, where.buf, &max))
			goto out;
		add_limit(t, &alloc, outputs[k].kind, outputs[k].what, max);
	}
	if (!t->nlimits) {
		kb_error_set("%s: targets[%zu] (%s): no limit", path, i, t->name);
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&where);
	return rc;
}

/* The file as JSON: read as a regular file (a FIFO is refused, never waited on). */
static json_t *load_json(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	json_error_t err;
	json_t *root;

	if (strbuf_read_file(&sb, path)) {
		kb_error_set("%s: %s", path, kb_strerror(errno));
		strbuf_release(&sb);
		return NULL;
	}
	root = json_loadb(sb.buf, sb.len, 0, &err);
	if (!root)
		kb_error_set("%s: %s (line %d)", path, err.text, err.line);
	strbuf_release(&sb);
	return root;
}

int kb_budget_read(struct kb_budget *b, const char *path)
{
	json_t *root = load_json(path), *targets;
	size_t i;
	int rc = KB_ERR;

	memset(b, 0, sizeof(*b));
	if (!root)
		return KB_ERR;
	targets = json_object_get(root, "targets");
	if (!json_is_object(root) || !json_is_array(targets) || !json_array_size(targets)) {
		kb_error_set("%s: not a budget file (no \"targets\" array)", path);
		goto out;
	}
	b->targets = xcalloc(json_array_size(targets), sizeof(*b->targets));
	for (i = 0; i < json_array_size(targets); i++) {
		b->ntargets++;
		if (read_target(&b->targets[i], json_array_get(targets, i), path, i))
			goto out;
	}
	rc = 0;
out:
	json_decref(root);
	if (rc)
		kb_budget_release(b);
	return rc;
}

void kb_budget_release(struct kb_budget *b)
{
	size_t i, k;

	for (i = 0; i < b->ntargets; i++) {
		struct kb_budget_target *t = &b->targets[i];

		for (k = 0; k < t->nlimits; k++) {
			free(t->limits[k].what);
			free(t->limits[k].subsystem);
		}
		free(t->limits);
		free(t->name);
		free(t->config);
	}
	free(b->targets);
	memset(b, 0, sizeof(*b));
}

const struct kb_budget_target *kb_budget_target(const struct kb_budget *b, const char *name,
						const char *path)
{
	size_t i;

	if (!name) {
		if (b->ntargets == 1)
			return &b->targets[0];
		kb_error_set("%s: %zu targets: name one with --target", path, b->ntargets);
		return NULL;
	}
	for (i = 0; i < b->ntargets; i++)
		if (!strcmp(b->targets[i].name, name))
			return &b->targets[i];
	kb_error_set("%s: no target named '%s'", path, name);
	return NULL;
}

size_t kb_budget_check(const struct kb_budget_target *t, const struct kb_measure *m,
		       struct kb_limit_result *res)
{
	size_t i, k, broken = 0;

	for (i = 0; i < t->nlimits; i++) {
		const struct kb_limit *l = &t->limits[i];
		struct kb_limit_result *r = &res[i];
		uint64_t used = 0;

		r->limit = l;
		r->checked = 1;
		switch (l->kind) {
		case KB_LIMIT_TOTAL:
			used = m->total < KB_SIZE_MAX ? m->total :
							KB_SIZE_MAX; /* a database may say more */
			break;
		case KB_LIMIT_CLASS:
			for (k = 0; k < KB_CLS_NR; k++)
				if (l->cls_mask & (1u << k))
					used = kb_size_add(used, m->cls[k]);
			break;
		case KB_LIMIT_SUBSYSTEM:
			for (k = 0; k < m->nsubs; k++)
				if (!strcmp(m->sub_names[k], l->subsystem))
					used = kb_size_add(used, m->sub_bytes[k]);
			break;
		case KB_LIMIT_GROWTH:
			r->checked = m->have_growth;
			used = m->have_growth && m->growth > 0 ? (uint64_t)m->growth : 0;
			break;
		case KB_LIMIT_BOOT:
			r->checked = m->have_boot;
			used = m->have_boot ? kb_size_add(m->boot_bytes, 0) : 0;
			break;
		case KB_LIMIT_PAYLOAD:
			r->checked = m->have_payload;
			used = m->have_payload ? kb_size_add(m->boot_payload, 0) : 0;
			break;
		case KB_LIMIT_MODULES:
			r->checked = m->have_modules;
			used = m->have_modules ? kb_size_add(m->mod_total, 0) : 0;
			break;
		}
		r->used = (int64_t)used;
		r->headroom = (int64_t)l->max - (int64_t)used;
		if (r->checked && r->headroom < 0)
			broken++;
	}
	return broken;
}

json_t *kb_budget_json(const struct kb_budget_target *t, const struct kb_limit_result *res)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < t->nlimits; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "limit", kb_json_str(res[i].limit->what));
		json_object_set_new(o, "max", json_integer((json_int_t)res[i].limit->max));
		json_object_set_new(o, "checked", json_boolean(res[i].checked));
		json_object_set_new(o, "used", json_integer((json_int_t)res[i].used));
		json_object_set_new(o, "headroom", json_integer((json_int_t)res[i].headroom));
		json_object_set_new(o, "ok", json_boolean(!res[i].checked || res[i].headroom >= 0));
		json_array_append_new(arr, o);
	}
	return arr;
}

void kb_budget_write_text(FILE *f, const struct kb_budget_target *t,
			  const struct kb_limit_result *res)
{
	struct strbuf what = STRBUF_INIT;
	size_t i;

	fprintf(f, "  %-32s %10s %10s %10s\n", "limit", "used", "max", "headroom");
	for (i = 0; i < t->nlimits; i++) {
		const struct kb_limit_result *r = &res[i];

		/* a limit's name comes from the budget file: no control bytes reach a terminal */
		kb_text(&what, r->limit->what);
		if (!r->checked) {
			fprintf(f, "  %-32s %10s %10llu %10s  not checked: %s\n", what.buf, "-",
				(unsigned long long)r->limit->max, "-",
				r->limit->kind == KB_LIMIT_GROWTH ?
					"needs a history (kbloat ci)" :
				r->limit->kind == KB_LIMIT_MODULES ?
					"no modules recorded (collect --modules)" :
					"no boot image or payload recorded (collect --boot-image)");
			continue;
		}
		fprintf(f, "  %-32s %10lld %10llu %+10lld  %s\n", what.buf, (long long)r->used,
			(unsigned long long)r->limit->max, (long long)r->headroom,
			r->headroom < 0 ? "OVER" : "ok");
	}
	strbuf_release(&what);
}

int kb_budget_needs_subsystems(const struct kb_budget_target *t)
{
	size_t k;

	for (k = 0; k < t->nlimits; k++)
		if (t->limits[k].kind == KB_LIMIT_SUBSYSTEM)
			return 1;
	return 0;
}

int kb_image_measure(struct kb_image_measure *im, const char *path,
		     const struct kb_analysis_opts *ao, int subsystems)
{
	struct kb_analysis_opts o = *ao;
	size_t i;

	memset(im, 0, sizeof(*im));
	o.no_dwarf = !subsystems;
	if (kb_analysis_run(&im->a, path, &o))
		return KB_ERR;
	im->m.total = im->a->img->total;
	memcpy(im->m.cls, im->a->img->cls_size, sizeof(im->m.cls));
	if (!subsystems)
		return 0;
	kb_groups_build(&im->gs, im->a, KB_BY_SUBSYSTEM);
	im->names = xcalloc(im->gs.n + 1, sizeof(*im->names));
	im->bytes = xcalloc(im->gs.n + 1, sizeof(*im->bytes));
	for (i = 0; i < im->gs.n; i++) {
		im->names[i] = im->gs.g[i].key;
		im->bytes[i] = im->gs.g[i].bytes;
	}
	im->m.sub_names = im->names;
	im->m.sub_bytes = im->bytes;
	im->m.nsubs = im->gs.n;
	return 0;
}

void kb_image_measure_release(struct kb_image_measure *im)
{
	free(im->names);
	free(im->bytes);
	kb_groups_release(&im->gs);
	kb_analysis_free(im->a);
	memset(im, 0, sizeof(*im));
}
