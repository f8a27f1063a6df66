/*
 * modular.c - the modularization analysis of one build; see modular.h.
 */
#include "modular.h"

#include "dotconfig.h"
#include "map.h"
#include "error.h"
#include "size.h"
#include "strbuf.h"
#include "xalloc.h"

#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_USERS_KEPT 5

const char *kb_mod_cat_name(enum kb_mod_cat c)
{
	static const char *const names[] = { "tristate", "bool", "core", "unknown" };

	return c < KB_MOD_NCAT ? names[c] : "?";
}

const char *kb_mod_why_name(enum kb_mod_why_kind k)
{
	switch (k) {
	case KB_WHY_SELECTED:
		return "selected-by";
	case KB_WHY_NEEDS_Y:
		return "needed-y-by";
	case KB_WHY_DEFAULT_Y:
		return "no-prompt-default-y";
	case KB_WHY_MAKEFILE:
		return "built-in-by-makefile";
	case KB_WHY_USED_BY:
		return "used-by";
	case KB_WHY_LOADER:
		return "module-loader";
	case KB_WHY_BOOT_TABLE:
		return "boot-table";
	}
	return "?";
}

const char *kb_srcarch(const char *arch)
{
	if (!strcmp(arch, "x86_64") || !strcmp(arch, "i386"))
		return "x86";
	if (!strcmp(arch, "sparc64") || !strcmp(arch, "sparc32"))
		return "sparc";
	if (!strcmp(arch, "parisc64"))
		return "parisc";
	if (!strcmp(arch, "sh64"))
		return "sh";
	return arch;
}

static const char *intern(struct kb_modular *m, const char *s, size_t len)
{
	const char *out;

	kb_strtab_intern(&m->strs, s, len, &out);
	return out;
}

static const char *intern_str(struct kb_modular *m, const char *s)
{
	return intern(m, s, strlen(s));
}

static const char *config_value(void *ctx, const char *name)
{
	return kb_kconfig_get(ctx, name);
}

static int is_y(const struct kb_modular *m, const char *name)
{
	const char *v = kb_kconfig_get(&m->config, name);

	return v && !strcmp(v, "y");
}

/* The architecture: --arch, else the .config's "# Linux/x86_64 6.1.0 Kernel Configuration",
 * else the tree's only arch/ directory. */
static int find_srcarch(struct kb_modular *m, const char *arch, const char *config_path)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;
	DIR *d;
	struct dirent *e;
	int n = 0;

	if (arch) {
		m->srcarch = xstrdup(kb_srcarch(arch));
		return 0;
	}
	if (!strbuf_read_file(&sb, config_path) && (p = strstr(sb.buf, "# Linux/"))) {
		size_t len = strcspn(p + 8, " \n");
		char *a = xstrndup(p + 8, len);

		m->srcarch = xstrdup(kb_srcarch(a));
		free(a);
		strbuf_release(&sb);
		return 0;
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/arch", m->src);
	d = opendir(sb.buf);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR)
			continue;
		if (!n++)
			m->srcarch = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	strbuf_release(&sb);
	if (n == 1)
		return 0;
	free(m->srcarch);
	m->srcarch = NULL;
	return kb_error_set("%s: cannot tell the architecture (no \"# Linux/ARCH\" header); "
			    "pass --arch",
			    config_path);
}

/*
 * Tables that boot code walks before any module could be loaded: the CPU vendors
 * (cpu_dev_register), APIC drivers, early consoles, and the OF_DECLARE/ACPI_DECLARE tables
 * of early irqchips, timers and clocks. An object with an entry in one must be built in.
 */
static int boot_table(const char *insec)
{
	static const char *const exact[] = { ".x86_cpu_dev.init", ".apicdrivers",
					     "__earlycon_table",  ".con_initcall.init",
					     ".iommu_table",	  ".x86_intel_mid_dev.init" };
	size_t i, len = strlen(insec);

	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (!strcmp(insec, exact[i]))
			return 1;
	return (len > 9 && !strcmp(insec + len - 9, "_of_table")) ||
	       !strncmp(insec, "__acpi_probe_table", 18);
}

/* --- bytes per object, from the map ---------------------------------------------------- */

struct obj_index {
	struct kb_strtab ids; /* object path -> index in m->objs */
	size_t alloc;
};

static long obj_get(struct kb_modular *m, struct obj_index *ix, const char *object)
{
	uint32_t id = kb_strtab_intern(&ix->ids, object, strlen(object), NULL);

	if (id >= m->nobjs) {
		ALLOC_GROW(m->objs, (size_t)id + 1, ix->alloc);
		memset(&m->objs[id], 0, sizeof(m->objs[id]));
		m->objs[id].object = intern_str(m, object);
		m->objs[id].owner = -1;
		m->nobjs = (size_t)id + 1;
	}
	return id;
}

/* An object's input section in the image, as the map places it: padding is found in them. */
struct obj_span {
	uint64_t lo, hi;
	long obj;
};

struct obj_spans {
	struct obj_span *v;
	size_t n, alloc;
};

/* An input section of vmlinux.o that its ld -r did not make (kb_map_span.after_ld_r). */
struct late_span {
	uint64_t addr, size;
	const char *insec, *outsec;
	long obj;
};

struct late_spans {
	struct late_span *v;
	size_t n, alloc;
};

static void keep_late(struct kb_modular *m, struct late_spans *late, const struct kb_map_span *s,
		      long id)
{
	struct late_span *l;

	ALLOC_GROW(late->v, late->n + 1, late->alloc);
	l = &late->v[late->n++];
	l->addr = s->addr;
	l->size = s->size;
	l->insec = intern_str(m, s->insec ? s->insec : "");
	l->outsec = intern_str(m, s->outsec);
	l->obj = id;
}

static int add_map_bytes(struct kb_modular *m, const char *map_path, struct obj_spans *keep,
			 struct late_spans *late)
{
	struct obj_index ix = { KB_STRTAB_INIT, 0 };
	uint64_t claimed[KB_CLS_NR] = { 0 };
	struct kb_map *map;
	size_t i;
	int c;

	if (kb_map_open(&map, map_path))
		return KB_ERR;
	if (kb_map_check(map, m->img)) {
		kb_map_free(map);
		return KB_ERR;
	}
	if (map->unresolved) {
		/* vmlinux.o's bytes without a vmlinux.o.map to resolve them: no objects to sum */
		kb_error_set("%s; the modular prediction needs the object of each byte",
			     map->warning);
		kb_map_free(map);
		return KB_ERR;
	}
	memcpy(m->warning, map->warning, sizeof(m->warning));
	for (i = 0; i < map->nspans; i++) {
		const struct kb_map_span *s = &map->spans[i];
		const struct kb_section *sec = kb_image_section_by_name(m->img, s->outsec);

		if (!sec || !sec->alloc)
			continue;
		claimed[sec->cls] += s->size;
		if (s->source) {
			long id = obj_get(m, &ix, s->source); /* may move m->objs */
			struct kb_mod_obj *o = &m->objs[id];

			o->cls[sec->cls] += s->size;
			o->bytes += s->size;
			if (keep) {
				/* the map's spans are sorted by address and do not overlap */
				ALLOC_GROW(keep->v, keep->n + 1, keep->alloc);
				keep->v[keep->n].lo = s->addr;
				keep->v[keep->n].hi = s->addr + s->size;
				keep->v[keep->n++].obj = id;
			}
			if (late && s->after_ld_r && s->size)
				keep_late(m, late, s, id);
			if (!o->boot_table && s->insec && boot_table(s->insec))
				o->boot_table = intern_str(m, s->insec);
		} else {
			/* *fill* and the linker's own input sections */
			if (s->insec && !strcmp(s->insec, "*fill*"))
				m->fill[sec->cls] += s->size;
			else
				m->linker[sec->cls] += s->size;
		}
	}
	kb_map_free(map);
	kb_strtab_release(&ix.ids);
	for (c = 0; c < KB_CLS_NR; c++) {
		if (claimed[c] > m->img->cls_size[c]) /* kb_map_check makes this impossible */
			return kb_error_set("%s: claims more %s bytes than the image has", map_path,
					    kb_class_name(c));
		/* bytes between input sections that the map does not list */
		m->linker[c] += m->img->cls_size[c] - claimed[c];
		m->total_cls[c] = m->img->cls_size[c];
	}
	m->total = m->img->total;
	return 0;
}

/* --- objects: source, directory, subsystem, chain, category, owner ---------------------- */

static void name_object(struct kb_modular *m, struct kb_mod_obj *o, struct kb_maint *maint)
{
	static const char *const exts[] = { ".c", ".S", ".rs" };
	struct strbuf sb = STRBUF_INIT;
	const char *slash = strrchr(o->object, '/'), *sub = NULL;
	size_t len = strlen(o->object), i;

	o->dir = slash ? intern(m, o->object, (size_t)(slash - o->object)) : intern_str(m, ".");
	o->source = o->object;
	if (len > 2 && !strcmp(o->object + len - 2, ".o")) {
		for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%s/%.*s%s", m->src, (int)(len - 2), o->object, exts[i]);
			if (!access(sb.buf, F_OK)) {
				o->source = intern(m, sb.buf + strlen(m->src) + 1,
						   sb.len - strlen(m->src) - 1);
				break;
			}
		}
	}
	if (maint)
		sub = kb_maint_lookup(maint, o->source);
	if (sub) {
		o->subsystem = intern_str(m, sub);
	} else {
		/* the top two directories: "fs/ext4", "kernel" */
		const char *a = strchr(o->source, '/'), *b = a ? strchr(a + 1, '/') : NULL;

		o->subsystem = !a ? intern_str(m, ".") :
				    intern(m, o->source, (size_t)((b ? b : a) - o->source));
	}
	strbuf_release(&sb);
}

static long opt_get(struct kb_modular *m, const char *name)
{
	uint32_t id = kb_strtab_intern(&m->opt_ids, name, strlen(name), NULL);

	if (id >= m->nopts) {
		struct kb_mod_opt *p;
		const char *v = kb_kconfig_get(&m->config, name);

		ALLOC_GROW(m->opts, (size_t)id + 1, m->aopts);
		p = &m->opts[id];
		memset(p, 0, sizeof(*p));
		p->name = intern_str(m, name);
		p->ks = kb_ktree_sym(m->kt, name);
		p->type = p->ks ? p->ks->type : KB_KT_UNKNOWN;
		p->value = intern_str(m, v ? v : "n");
		p->cat = KB_MOD_BOOL; /* until one of its objects is a tristate's */
		m->nopts = (size_t)id + 1;
	}
	return id;
}

/* An option's value in the .config, or "m" if mw (the (1) candidates: stays_at_m) has it. */
static const char *value_in(const struct kb_modular *m, const char *name,
			    const struct kb_strtab *mw)
{
	if (mw && kb_strtab_find(mw, name, strlen(name)) >= 0)
		return "m";
	return kb_kconfig_get(&m->config, name);
}

static int y_in(const struct kb_modular *m, const char *name, const struct kb_strtab *mw)
{
	const char *v = value_in(m, name, mw);

	return v && !strcmp(v, "y");
}

static int gate_enabled(const struct kb_modular *m, const struct kb_step *s,
			const struct kb_strtab *mw)
{
	const char *v;

	if (!s->option || (s->flags & KB_STEP_NEGATED))
		return 0;
	v = value_in(m, s->option, mw);
	/* $(subst m,y,$(CONFIG_X)) builds it in at m as well */
	return v && (!strcmp(v, "y") || (!strcmp(v, "m") && (s->flags & KB_STEP_FORCE_BUILTIN)));
}

/*
 * The owner: the innermost tristate obj/dir gate at y (not forced built in), which takes the
 * object out with it at m; else the innermost enabled gate of any kind; else none (core).
 */
static void classify(struct kb_modular *m, struct kb_mod_obj *o, const struct kb_strtab *mw)
{
	const struct kb_origin *g = &o->origin;
	const struct kb_step *owner = NULL, *forced = NULL;
	size_t i;

	if (!g->resolved) {
		o->cat = KB_MOD_UNKNOWN;
		return;
	}
	for (i = 0; i < g->nsteps && !owner; i++) {
		const struct kb_step *s = &g->steps[i];
		const struct kb_ksym *ks;

		if ((s->kind != KB_STEP_OBJ && s->kind != KB_STEP_DIR) || !gate_enabled(m, s, mw))
			continue;
		ks = kb_ktree_sym(m->kt, s->option);
		if (!ks || ks->type != KB_KT_TRISTATE)
			continue;
		if (s->flags & KB_STEP_FORCE_BUILTIN) {
			if (!forced)
				forced = s;
			continue;
		}
		owner = s;
	}
	if (owner) {
		struct strbuf sb = STRBUF_INIT;
		const char *name = owner->name, *slash = strrchr(owner->file, '/');
		size_t len = strlen(name);

		o->cat = KB_MOD_TRISTATE;
		o->owner = opt_get(m, owner->option);
		if (owner->kind == KB_STEP_OBJ && len > 2 && !strcmp(name + len - 2, ".o")) {
			if (slash)
				strbuf_add(&sb, owner->file, (size_t)(slash - owner->file + 1));
			strbuf_add(&sb, name, len - 2);
			o->module = intern(m, sb.buf, sb.len);
		}
		strbuf_release(&sb);
		return;
	}
	/*
	 * A tristate at y that builds it in at m too ($(subst m,y,...): inet6_hashtables.o of
	 * IPV6) does not take it out with it: the next gate does, or none (at m the object
	 * stays, which (1) would otherwise count as leaving with the option's other objects).
	 */
	for (i = 0; i < g->nsteps && !owner; i++)
		if (gate_enabled(m, &g->steps[i], mw) &&
		    !(&g->steps[i] == forced && y_in(m, forced->option, mw)))
			owner = &g->steps[i];
	if (forced && !owner && !y_in(m, forced->option, mw))
		owner = forced;
	if (owner) {
		o->cat = KB_MOD_BOOL;
		o->owner = opt_get(m, owner->option);
		return;
	}
	o->cat = KB_MOD_CORE;
}

static void add_why(struct kb_mod_opt *p, enum kb_mod_why_kind kind, const char *who,
		    const char *detail)
{
	ALLOC_GROW(p->why, p->nwhy + 1, p->awhy);
	p->why[p->nwhy].kind = kind;
	p->why[p->nwhy].who = who;
	p->why[p->nwhy].detail = detail;
	p->nwhy++;
}

/* Objects the kernel's link script makes, which no Makefile lists. */
static int link_script_object(struct kb_modular *m, struct kb_mod_obj *o)
{
	const char *base = strrchr(o->object, '/');

	base = base ? base + 1 : o->object;
	if (!strncmp(base, ".tmp_", 5) && strstr(base, "kallsyms") && is_y(m, "KALLSYMS")) {
		o->cat = KB_MOD_BOOL;
		o->owner = opt_get(m, "KALLSYMS");
		if (o->bytes)
			m->ks_obj = o - m->objs;
		return 1;
	}
	if (!strncmp(base, ".tmp_", 5) && strstr(base, "btf") && is_y(m, "DEBUG_INFO_BTF")) {
		o->cat = KB_MOD_BOOL;
		o->owner = opt_get(m, "DEBUG_INFO_BTF");
		return 1;
	}
	/* the exported-symbol tables modpost writes (Linux 6.2+) */
	if (!strcmp(base, ".vmlinux.export.o") && is_y(m, "MODULES")) {
		o->cat = KB_MOD_BOOL;
		o->owner = opt_get(m, "MODULES");
		return 1;
	}
	/* the banner, compiled at each link (init/version-timestamp.o since Linux 6.1) */
	if (!strcmp(o->dir, "init") && !strncmp(base, "version", 7)) {
		o->cat = KB_MOD_CORE;
		return 1;
	}
	return 0;
}

static void tally_objects(struct kb_modular *m);

static void place_objects(struct kb_modular *m, struct kb_maint *maint)
{
	size_t i;

	for (i = 0; i < m->nobjs; i++) {
		name_object(m, &m->objs[i], maint);
		kb_mktree_resolve(m->mk, m->objs[i].object, &m->objs[i].origin);
	}
	for (i = 0; i < m->nobjs; i++) {
		struct kb_mod_obj *o = &m->objs[i];

		/*
		 * Again, now that every Makefile the others needed is read: one may name this
		 * object from another directory (arch/x86/kvm's $(KVM)/kvm_main.o).
		 */
		if (!o->origin.resolved)
			kb_mktree_resolve(m->mk, o->object, &o->origin);
		if (!o->origin.resolved && link_script_object(m, o))
			continue;
		classify(m, o, NULL);
	}
	tally_objects(m);
}

/* The objects' bytes by category and by owner, and each option's subsystem. */
static void tally_objects(struct kb_modular *m)
{
	size_t i;
	uint64_t *best;
	int c;

	memset(m->cat_cls, 0, sizeof(m->cat_cls));
	for (i = 0; i < m->nopts; i++) {
		struct kb_mod_opt *p = &m->opts[i];

		memset(p->cls, 0, sizeof(p->cls));
		p->bytes = 0;
		p->nobjs = 0;
		p->subsystem = NULL;
	}
	/*
	 * An option owning both kinds (obj-$(CONFIG_MD) += md.o and, under ifeq
	 * ($(CONFIG_MD),y), obj-y += md-autodetect.o) is a tristate: at m, both leave.
	 */
	for (i = 0; i < m->nobjs; i++)
		if (m->objs[i].cat == KB_MOD_TRISTATE)
			m->opts[m->objs[i].owner].cat = KB_MOD_TRISTATE;
	for (i = 0; i < m->nobjs; i++) {
		struct kb_mod_obj *o = &m->objs[i];

		/* (but not an object kbuild builds in at m as well: stays_at_m) */
		if (o->owner >= 0 && m->opts[o->owner].cat == KB_MOD_TRISTATE && !o->stays_at_m)
			o->cat = KB_MOD_TRISTATE;
		for (c = 0; c < KB_CLS_NR; c++)
			m->cat_cls[o->cat][c] += o->cls[c];
		if (o->owner >= 0) {
			struct kb_mod_opt *p = &m->opts[o->owner];

			for (c = 0; c < KB_CLS_NR; c++)
				p->cls[c] += o->cls[c];
			p->bytes += o->bytes;
			p->nobjs++;
		}
	}
	/* an option's subsystem is its largest object's (the first of equals) */
	best = xcalloc(m->nopts + 1, sizeof(*best));
	for (i = 0; i < m->nobjs; i++) {
		const struct kb_mod_obj *o = &m->objs[i];

		if (o->owner < 0)
			continue;
		if (!m->opts[o->owner].subsystem || o->bytes > best[o->owner]) {
			best[o->owner] = o->bytes;
			m->opts[o->owner].subsystem = o->subsystem;
		}
	}
	free(best);
}

/* --- (1) tristates at y that could be m ---------------------------------------------------- */

struct tri_ctx {
	const struct kb_modular *m;
	const unsigned char *as_m; /* by symbol id: evaluate as m */
	long only; /* >= 0: only this symbol is m */
};

static const char *tri_override(void *ctx, const char *name)
{
	const struct tri_ctx *t = ctx;
	long id = kb_strtab_find(&t->m->kt->names, name, strlen(name));

	if (id < 0)
		return NULL;
	if (t->m->kt->syms[id].is_modules)
		return "y"; /* as if CONFIG_MODULES=y */
	if (t->only >= 0)
		return id == t->only ? "m" : NULL;
	return t->as_m && t->as_m[id] ? "m" : NULL;
}

static int eval(const struct kb_modular *m, const struct kb_kexpr *e, struct tri_ctx *t)
{
	if (!e)
		return KB_TRI_Y;
	return kb_kexpr_eval_with(m->kt, e, config_value, (void *)&m->config, tri_override, t);
}

static long opt_index(const struct kb_modular *m, const char *name)
{
	return kb_strtab_find(&m->opt_ids, name, strlen(name));
}

static const char *value_of(const struct kb_modular *m, const struct kb_ksym *s)
{
	const char *v = kb_kconfig_get(&m->config, s->name);

	return v ? v : "n";
}

static const char *detail(struct kb_modular *m, const struct kb_ksym *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *out;

	strbuf_addf(&sb, "%s, %s", kb_ktype_name(s->type), value_of(m, s));
	out = intern(m, sb.buf, sb.len);
	strbuf_release(&sb);
	return out;
}

/* The non-constant symbols e names (at most max; depth-limited like the parser). */
static void expr_syms(const struct kb_kexpr *e, uint32_t *out, size_t *n, size_t max, int depth)
{
	size_t i;

	if (!e || depth > 256)
		return;
	if (e->op == KB_KE_SYM) {
		if (e->is_const)
			return;
		for (i = 0; i < *n; i++)
			if (out[i] == e->sym)
				return;
		if (*n < max)
			out[(*n)++] = e->sym;
		return;
	}
	expr_syms(e->l, out, n, max, depth + 1);
	expr_syms(e->r, out, n, max, depth + 1);
}

struct tri_state {
	unsigned char *as_m; /* by symbol id: a tristate at y still taken to become m */
	struct kb_mod_why *reason; /* by symbol id: why it stays y, once known */
};

static void keep_y(struct tri_state *st, size_t id, struct kb_mod_why why)
{
	st->as_m[id] = 0;
	st->reason[id] = why;
}

/*
 * What an enabled option needs of its dependency: y for a tristate kept y because another
 * option needs it y (at m, its dependency would cap it to m); else anything but n (a bool's
 * m counts as y; a select forces its value whatever the dependency says).
 */
static int dep_needed(const struct kb_ksym *d, const struct tri_state *st, size_t id)
{
	return d->type == KB_KT_TRISTATE && !st->as_m[id] && st->reason[id].kind == KB_WHY_NEEDS_Y ?
		       KB_TRI_Y :
		       KB_TRI_M;
}

/*
 * Keeps y what enabled options' dependencies need, with the candidates at m: a symbol whose
 * being m alone breaks the dependency (depends on X=y), else the first candidate it names
 * (depends on A=y || B=y: one of them). Returns whether it kept any.
 */
static int needs_y(struct kb_modular *m, struct tri_state *st)
{
	const struct kb_ktree *kt = m->kt;
	struct tri_ctx t = { m, NULL, -1 };
	uint32_t named[64];
	size_t i, k, nnamed;
	int kept = 0;

	for (i = 0; i < kt->names.nr; i++) {
		const struct kb_ksym *d = &kt->syms[i];
		long culprit = -1;
		int need;

		if (!d->defined || !d->depends || !strcmp(value_of(m, d), "n"))
			continue;
		need = dep_needed(d, st, i);
		t.as_m = NULL;
		t.only = -1;
		if (eval(m, d->depends, &t) < need)
			continue; /* not met today either: nothing to keep for it */
		t.as_m = st->as_m;
		if (eval(m, d->depends, &t) >= need)
			continue;
		nnamed = 0;
		expr_syms(d->depends, named, &nnamed, 64, 0);
		for (k = 0; k < nnamed && culprit < 0; k++) {
			if (!st->as_m[named[k]] || named[k] == i)
				continue;
			t.only = (long)named[k];
			if (eval(m, d->depends, &t) < need)
				culprit = named[k];
		}
		for (k = 0; k < nnamed && culprit < 0; k++)
			if (st->as_m[named[k]] && named[k] != i)
				culprit = named[k];
		if (culprit < 0)
			continue;
		keep_y(st, (size_t)culprit,
		       (struct kb_mod_why){ KB_WHY_NEEDS_Y, d->name, detail(m, d) });
		kept = 1;
	}
	return kept;
}

/* Whether a user could set x: some prompt of x is visible with the candidates at m. */
static int prompt_visible(struct kb_modular *m, const struct kb_ksym *x, struct tri_ctx *t)
{
	return x->has_prompt && eval(m, x->prompt_dep, t) != KB_TRI_N;
}

/* Keeps y the candidates whose default is y without a visible prompt, or that an option
 * staying y selects. Returns whether it kept any. */
static int forced_y(struct kb_modular *m, struct tri_state *st)
{
	const struct kb_ktree *kt = m->kt;
	struct tri_ctx t = { m, st->as_m, -1 };
	size_t i, j;
	int kept = 0;

	for (i = 0; i < kt->names.nr; i++) {
		const struct kb_ksym *x = &kt->syms[i];

		if (!st->as_m[i])
			continue;
		/* without a prompt a user can see, the defaults decide; a default is capped by
		 * the dependency: y only while that stays y */
		for (j = 0; !prompt_visible(m, x, &t) && j < x->ndefaults && st->as_m[i]; j++)
			if (eval(m, x->defaults[j].cond, &t) != KB_TRI_N &&
			    eval(m, x->defaults[j].value, &t) == KB_TRI_Y &&
			    eval(m, x->depends, &t) == KB_TRI_Y)
				keep_y(st, i, (struct kb_mod_why){ KB_WHY_DEFAULT_Y, NULL, NULL });
		for (j = 0; j < x->nselected_by && st->as_m[i]; j++) {
			const struct kb_kref *r = &x->selected_by[j];
			const struct kb_ksym *s = &kt->syms[r->sym];

			/* a select is as strong as "S && its if && S's dependencies" (Kconfig's
			 * reverse dependency): a bool at y under a tristate that becomes m (or
			 * `select X if M` with M at m) selects X only as m */
			if (st->as_m[r->sym] || strcmp(value_of(m, s), "y") ||
			    eval(m, r->cond, &t) != KB_TRI_Y || eval(m, s->depends, &t) != KB_TRI_Y)
				continue;
			keep_y(st, i,
			       (struct kb_mod_why){ KB_WHY_SELECTED, s->name, detail(m, s) });
		}
		kept |= !st->as_m[i];
	}
	return kept;
}

/* Every defined tristate at y taken to become m, nothing kept yet. */
static struct tri_state tri_start(const struct kb_modular *m)
{
	const struct kb_ktree *kt = m->kt;
	size_t n = kt->names.nr, i;
	struct tri_state st = { xcalloc(n + 1, 1), xcalloc(n + 1, sizeof(*st.reason)) };

	for (i = 0; i < n; i++)
		st.as_m[i] = kt->syms[i].defined && kt->syms[i].type == KB_KT_TRISTATE &&
			     !strcmp(value_of(m, &kt->syms[i]), "y");
	return st;
}

/* Keeps y what selects, needs or defaults it there, until nothing changes. */
static void tri_settle(struct kb_modular *m, struct tri_state *st)
{
	int changed;

	do {
		changed = forced_y(m, st);
		changed |= needs_y(m, st);
	} while (changed);
}

/*
 * (1): every tristate at y starts as a candidate; what selects, needs or defaults it to y is
 * kept, until nothing changes (a select from a candidate, which becomes m, does not count).
 */
static void tristate_candidates(struct kb_modular *m)
{
	const struct kb_ktree *kt = m->kt;
	size_t n = kt->names.nr, i;
	struct tri_state st = tri_start(m);

	tri_settle(m, &st);
	for (i = 0; i < m->nopts; i++) {
		struct kb_mod_opt *p = &m->opts[i];
		long id;

		if (p->cat != KB_MOD_TRISTATE || !p->ks || strcmp(p->value, "y"))
			continue;
		id = kb_strtab_find(&kt->names, p->name, strlen(p->name));
		if (id < 0)
			continue;
		if (st.as_m[id])
			p->candidate = 1;
		else /* only keep_y takes a tristate at y out */
			add_why(p, st.reason[id].kind, st.reason[id].who, st.reason[id].detail);
	}
	m->to_m = xcalloc(n + 1, sizeof(*m->to_m));
	for (i = 0; i < n; i++)
		if (st.as_m[i])
			kb_strtab_intern(&m->strs, kt->names.strs[i], strlen(kt->names.strs[i]),
					 &m->to_m[m->nto_m++]);
	free(st.as_m);
	free(st.reason);
}

/* --- objects of (1) candidates that kbuild builds in at m as well ------------------------- */

/* The .config with the (1) candidates at m, for kb_mktree_open. */
struct mworld {
	const struct kb_modular *m;
	const struct kb_strtab *mw;
};

static const char *mworld_value(void *ctx, const char *name)
{
	const struct mworld *w = ctx;

	return value_in(w->m, name, w->mw);
}

/* Whether chain g builds its object in with the options of mw at m: it reaches the top, and
 * no obj or dir gate of it is at m there (unless $(subst m,y,...) builds it in anyway). */
static int built_in_at_m(const struct kb_modular *m, const struct kb_origin *g,
			 const struct kb_strtab *mw)
{
	size_t i;

	for (i = 0; i < g->nsteps; i++) {
		const struct kb_step *s = &g->steps[i];

		if ((s->kind == KB_STEP_OBJ || s->kind == KB_STEP_DIR) && s->option &&
		    !(s->flags & KB_STEP_NEGATED) && !gate_enabled(m, s, mw))
			return 0;
	}
	return g->resolved;
}

static void find_selectors(struct kb_modular *m, size_t first);

/*
 * The objects of (1) candidates that stay built in with every candidate at m, as kbuild
 * reads the Makefiles then: a directory that another entry at y also names (drivers/usb/,
 * obj-$(CONFIG_USB) and obj-$(CONFIG_PCI)), obj-y under a conditional that holds at m as
 * well (ifneq ($(CONFIG_IPV6),)), $(subst m,y,...). The Makefiles are read again with the
 * candidates at m (m->mk_m), and such an object takes that chain and the owner it gives
 * (the innermost gate at y there); the others leave, as their owner's.
 */
static void stays_at_m(struct kb_modular *m)
{
	struct kb_strtab mw = KB_STRTAB_INIT;
	struct mworld w = { m, &mw };
	size_t i, first = m->nopts, moved = 0;

	for (i = 0; i < m->nto_m; i++)
		kb_strtab_intern(&mw, m->to_m[i], strlen(m->to_m[i]), NULL);
	if (!m->nto_m || kb_mktree_open(&m->mk_m, m->src, m->srcarch, mworld_value, &w)) {
		kb_error_clear();
		kb_strtab_release(&mw);
		return;
	}
	for (i = 0; i < m->nobjs; i++) {
		struct kb_mod_obj *o = &m->objs[i];
		struct kb_origin g;

		if (o->cat != KB_MOD_TRISTATE || o->owner < 0 || m->opts[o->owner].candidate != 1)
			continue;
		if (kb_mktree_resolve(m->mk_m, o->object, &g) || !built_in_at_m(m, &g, &mw))
			continue;
		o->origin = g;
		o->stays_at_m = 1;
		o->module = NULL;
		o->owner = -1;
		classify(m, o, &mw);
		moved++;
	}
	kb_strtab_release(&mw);
	if (!moved)
		return;
	tally_objects(m);
	find_selectors(m, first);
}

/* --- (2) bools with no built-in-only users --------------------------------------------------- */

/* Does object o stay in vmlinux whatever becomes of bool owner b? */
static int stays_builtin(const struct kb_modular *m, const struct kb_mod_obj *o, long b)
{
	switch (o->cat) {
	case KB_MOD_TRISTATE:
		return !m->opts[o->owner].candidate;
	case KB_MOD_BOOL:
		return o->owner != b;
	default:
		return 1;
	}
}

struct symdef {
	struct kb_strtab names; /* defined global symbols */
	long *obj; /* by name id: defining object, strong definitions win */
	unsigned char *weak;
	size_t alloc;
};

static void symdef_add(struct symdef *d, const char *name, long obj, int weak)
{
	uint32_t id = kb_strtab_intern(&d->names, name, strlen(name), NULL);

	if (id >= d->alloc) {
		size_t old = d->alloc;

		ALLOC_GROW(d->obj, (size_t)id + 1, d->alloc);
		d->weak = xrealloc(d->weak, d->alloc);
		memset(d->obj + old, 0xff, (d->alloc - old) * sizeof(*d->obj));
		memset(d->weak + old, 0, d->alloc - old);
	}
	if (d->obj[id] < 0 || (d->weak[id] && !weak)) {
		d->obj[id] = obj;
		d->weak[id] = (unsigned char)weak;
	}
}

static struct kb_image **read_objects(struct kb_modular *m, struct symdef *defs)
{
	struct kb_image **imgs = xcalloc(m->nobjs + 1, sizeof(*imgs));
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < m->nobjs; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s/%s", m->build, m->objs[i].object);
		if (kb_image_open(&imgs[i], sb.buf)) {
			imgs[i] = NULL; /* a missing or unreadable object: no references known */
			continue;
		}
		m->refs_read++;
		for (j = 0; j < imgs[i]->nsyms; j++) {
			const struct kb_sym *s = &imgs[i]->syms[j];

			if (s->raw_shndx == SHN_UNDEF || !*s->name ||
			    (s->bind != STB_GLOBAL && s->bind != STB_WEAK))
				continue;
			symdef_add(defs, s->name, (long)i, s->bind == STB_WEAK);
		}
	}
	strbuf_release(&sb);
	return imgs;
}

static void bool_candidates(struct kb_modular *m)
{
	struct symdef defs = { KB_STRTAB_INIT, NULL, NULL, 0 };
	struct kb_image **imgs;
	size_t i, j;

	for (i = 0; i < m->nopts; i++) {
		struct kb_mod_opt *p = &m->opts[i];

		if (p->cat != KB_MOD_BOOL || !strcmp(p->value, "n"))
			continue;
		p->candidate = 1;
		if (p->type == KB_KT_TRISTATE) /* a tristate the Makefile builds in anyway */
			add_why(p, KB_WHY_MAKEFILE, NULL, NULL);
		if (p->ks && p->ks->is_modules) /* the module loader cannot be a module */
			add_why(p, KB_WHY_LOADER, NULL, NULL);
		for (j = 0; j < p->nselectors; j++) {
			const struct kb_ksym *s = p->selectors[j];
			long so;

			if (strcmp(value_of(m, s), "y"))
				continue;
			/* a tristate selector that could be m would select it as m */
			so = opt_index(m, s->name);
			if (s->type == KB_KT_TRISTATE && so >= 0 && m->opts[so].candidate &&
			    m->opts[so].cat == KB_MOD_TRISTATE)
				continue;
			add_why(p, KB_WHY_SELECTED, s->name, detail(m, s));
		}
	}
	for (i = 0; i < m->nobjs; i++) {
		const struct kb_mod_obj *o = &m->objs[i];
		struct kb_mod_opt *p;

		if (!o->boot_table || o->owner < 0)
			continue;
		p = &m->opts[o->owner];
		if (p->cat == KB_MOD_BOOL && p->candidate)
			add_why(p, KB_WHY_BOOT_TABLE, o->object, o->boot_table);
	}
	imgs = read_objects(m, &defs);
	for (i = 0; i < m->nobjs; i++) {
		const struct kb_mod_obj *user = &m->objs[i];

		for (j = 0; imgs[i] && j < imgs[i]->nsyms; j++) {
			const struct kb_sym *s = &imgs[i]->syms[j];
			long id, def;
			struct kb_mod_opt *p;

			if (s->raw_shndx != SHN_UNDEF || !*s->name)
				continue;
			id = kb_strtab_find(&defs.names, s->name, strlen(s->name));
			if (id < 0 || (def = defs.obj[id]) < 0 || (size_t)def == i)
				continue;
			if (m->objs[def].owner < 0)
				continue;
			p = &m->opts[m->objs[def].owner];
			if (p->cat != KB_MOD_BOOL)
				continue;
			if (!strcmp(p->value, "n") || !stays_builtin(m, user, m->objs[def].owner))
				continue;
			if (p->nusers++ < MAX_USERS_KEPT)
				add_why(p, KB_WHY_USED_BY, user->object, intern_str(m, s->name));
		}
	}
	for (i = 0; i < m->nobjs; i++)
		kb_image_free(imgs[i]);
	free(imgs);
	for (i = 0; i < m->nopts; i++)
		if (m->opts[i].cat == KB_MOD_BOOL && m->opts[i].nwhy)
			m->opts[i].candidate = 0;
	kb_strtab_release(&defs.names);
	free(defs.obj);
	free(defs.weak);
}

/*
 * The tristates at y that only (2) candidates keep there: what selects or needs them y is a
 * bool that could become a module, and with it at m (as a tristate, it would select them as
 * m) they can leave too. They go with (2): candidate 2. The same fixed point as (1), with the
 * bool candidates taken to become m beside every tristate at y.
 */
static void freed_by_bools(struct kb_modular *m)
{
	const struct kb_ktree *kt = m->kt;
	struct tri_state st = tri_start(m);
	size_t i;
	int any = 0;

	for (i = 0; i < m->nopts; i++) {
		const struct kb_mod_opt *p = &m->opts[i];
		long id;

		if (p->cat != KB_MOD_BOOL || !p->candidate || !p->ks || p->type != KB_KT_BOOL)
			continue;
		id = kb_strtab_find(&kt->names, p->name, strlen(p->name));
		if (id >= 0)
			st.as_m[id] = any = 1;
	}
	if (!any)
		goto out;
	tri_settle(m, &st);
	for (i = 0; i < m->nopts; i++) {
		struct kb_mod_opt *p = &m->opts[i];
		long id;

		if (p->cat != KB_MOD_TRISTATE || p->candidate || !p->ks || strcmp(p->value, "y"))
			continue;
		id = kb_strtab_find(&kt->names, p->name, strlen(p->name));
		if (id >= 0 && st.as_m[id])
			p->candidate = 2;
	}
out:
	free(st.as_m);
	free(st.reason);
}

/* --- modules.builtin and modules.builtin.ranges ------------------------------------------ */

/* BUILD/name into sb; nonzero if it cannot be read (these files are optional). */
static int read_build_file(const struct kb_modular *m, const char *name, struct strbuf *sb)
{
	struct strbuf path = STRBUF_INIT;
	int rc;

	strbuf_addf(&path, "%s/%s", m->build, name);
	rc = strbuf_read_file(sb, path.buf);
	strbuf_release(&path);
	return rc;
}

void kb_modules_builtin_parse(struct kb_strtab *mods, const char *text)
{
	const char *p, *eol;

	for (p = text; *p; p = eol + (*eol != '\0')) {
		size_t len;

		eol = strchrnul(p, '\n');
		len = (size_t)(eol - p);
		if (len > 10 && !strncmp(p, "kernel/", 7) && !strncmp(eol - 3, ".ko", 3))
			kb_strtab_intern(mods, p + 7, len - 10, NULL);
	}
}

/* "kernel/fs/ext4/ext4.ko" lines; each found among the TRISTATE objects' modules is matched. */
static void read_builtin(struct kb_modular *m)
{
	struct strbuf sb = STRBUF_INIT;
	struct kb_strtab mods = KB_STRTAB_INIT;
	unsigned char *seen;
	size_t i, n_missing = 0;

	if (read_build_file(m, "modules.builtin", &sb)) {
		strbuf_release(&sb);
		return;
	}
	kb_modules_builtin_parse(&mods, sb.buf);
	m->nbuiltin = mods.nr;
	seen = xcalloc(mods.nr + 1, 1);
	for (i = 0; i < m->nobjs; i++) {
		const struct kb_mod_obj *o = &m->objs[i];
		long id;

		if (o->cat != KB_MOD_TRISTATE || !o->module)
			continue;
		id = kb_strtab_find(&mods, o->module, strlen(o->module));
		if (id < 0)
			continue;
		m->opts[o->owner].builtin_listed = 1;
		if (!seen[id]) { /* a flag: i915 alone has 248 objects */
			seen[id] = 1;
			m->nbuiltin_matched++;
		}
	}
	m->builtin_missing =
		xcalloc(m->nbuiltin - m->nbuiltin_matched + 1, sizeof(*m->builtin_missing));
	for (i = 0; i < mods.nr; i++)
		if (!seen[i])
			m->builtin_missing[n_missing++] = intern_str(m, mods.strs[i]);
	free(seen);
	kb_strtab_release(&mods);
	strbuf_release(&sb);
}

void kb_builtin_ranges_parse(const char *text, kb_range_fn fn, void *arg)
{
	const char *p, *eol;

	for (p = text; *p; p = eol + (*eol != '\0')) {
		char sect[128], rest[256];
		unsigned long long lo, hi;

		eol = strchrnul(p, '\n');
		if (eol - p >= 255 ||
		    sscanf(p, "%127s %llx-%llx %255[^\n]", sect, &lo, &hi, rest) != 4)
			continue;
		if (rest[0] == '=' || hi <= lo)
			continue;
		fn(arg, sect, lo, hi, rest);
	}
}

struct ranges_ctx {
	struct kb_modular *m;
	struct kb_strtab *mods;
};

/* a range of a section of the image: its bytes, and again if one of its modules agrees */
static void range_seen(void *arg, const char *sect, uint64_t lo, uint64_t hi, char *modules)
{
	struct ranges_ctx *c = arg;
	const struct kb_section *s = kb_image_section_by_name(c->m->img, sect);
	char *w, *save = NULL;

	if (!s || hi > s->size) /* not of this image: a range past its section's end */
		return;
	c->m->ranges_bytes = kb_size_add(c->m->ranges_bytes, hi - lo);
	for (w = strtok_r(modules, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (kb_strtab_find(c->mods, w, strlen(w)) >= 0) {
			c->m->ranges_agree = kb_size_add(c->m->ranges_agree, hi - lo);
			return;
		}
	}
}

/*
 * modules.builtin.ranges (Linux 6.12+, CONFIG_BUILTIN_MODULE_RANGES): "SECTION START-END
 * MODULE..." with offsets from the section's start ("= SYMBOL" lines are anchors). Each
 * range's bytes are compared with the modules kbloat found: bytes of a range whose module is
 * the basename of a TRISTATE object's module agree.
 */
static void read_ranges(struct kb_modular *m)
{
	struct strbuf sb = STRBUF_INIT;
	struct kb_strtab mods = KB_STRTAB_INIT;
	struct ranges_ctx c = { m, &mods };
	size_t i;

	if (read_build_file(m, "modules.builtin.ranges", &sb)) {
		strbuf_release(&sb);
		return;
	}
	m->have_ranges = 1;
	/* the module names kbloat found, spelled as the ranges spell them */
	for (i = 0; i < m->nobjs; i++) {
		const char *mod = m->objs[i].module, *base;
		struct strbuf name = STRBUF_INIT;
		size_t k;

		if (m->objs[i].cat != KB_MOD_TRISTATE || !mod)
			continue;
		base = strrchr(mod, '/');
		strbuf_addstr(&name, base ? base + 1 : mod);
		for (k = 0; k < name.len; k++)
			if (name.buf[k] == '-')
				name.buf[k] = '_';
		kb_strtab_intern(&mods, name.buf, name.len, NULL);
		strbuf_release(&name);
	}
	kb_builtin_ranges_parse(sb.buf, range_seen, &c);
	kb_strtab_release(&mods);
	strbuf_release(&sb);
}

/* Who selects each owner: enabled options whose select condition holds. */
/* The enabled options that select each option from first on. */
static void find_selectors(struct kb_modular *m, size_t first)
{
	struct tri_ctx t = { m, NULL, -1 };
	size_t i, j;

	for (i = first; i < m->nopts; i++) {
		struct kb_mod_opt *p = &m->opts[i];

		for (j = 0; p->ks && j < p->ks->nselected_by; j++) {
			const struct kb_kref *r = &p->ks->selected_by[j];
			const struct kb_ksym *s = &m->kt->syms[r->sym];

			if (!strcmp(value_of(m, s), "n") || eval(m, r->cond, &t) == KB_TRI_N)
				continue;
			p->selectors =
				xrealloc(p->selectors, (p->nselectors + 1) * sizeof(*p->selectors));
			p->selectors[p->nselectors++] = s;
		}
	}
}

static void sum_candidates(struct kb_modular *m)
{
	size_t i;
	int c;

	for (i = 0; i < m->nobjs; i++) {
		const struct kb_mod_obj *o = &m->objs[i];

		if (o->owner < 0 || !m->opts[o->owner].candidate)
			continue;
		for (c = 0; c < KB_CLS_NR; c++) {
			if (o->cat == KB_MOD_TRISTATE && m->opts[o->owner].candidate == 1)
				m->save1[c] += o->cls[c];
			else
				m->save2[c] += o->cls[c];
		}
	}
}

/* --- the same in bytes of code and data: the breakdown's padding left out ---------------- */

/* The first of v's spans that ends after addr. */
static size_t span_after(const struct obj_spans *v, uint64_t addr)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v->v[mid].hi <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Each object's padding: the bytes of the breakdown's fill ranges inside its spans (a range
 * may straddle several); the rest is outside every object. */
static void place_padding(struct kb_modular *m, const struct kb_breakdown *bd,
			  const struct obj_spans *spans)
{
	uint64_t inside = 0;
	size_t i, k;

	for (i = 0; i < bd->nfills; i++) {
		const struct kb_fill_range *f = &bd->fills[i];

		m->pad_total += f->hi - f->lo;
		for (k = span_after(spans, f->lo); k < spans->n && spans->v[k].lo < f->hi; k++) {
			uint64_t lo = f->lo > spans->v[k].lo ? f->lo : spans->v[k].lo;
			uint64_t hi = f->hi < spans->v[k].hi ? f->hi : spans->v[k].hi;

			m->objs[spans->v[k].obj].pad += hi - lo;
			inside += hi - lo;
		}
	}
	m->pad_outside = m->pad_total - inside;
}

/* An entry of the export table modpost writes, and the object it was given to (share_exports). */
struct exp_entry {
	uint64_t addr; /* of its struct kernel_symbol */
	long obj;
};

struct exp_entries {
	struct exp_entry *v; /* by address */
	size_t n, alloc;
};

static int cmp_exp_entry(const void *a, const void *b)
{
	const struct exp_entry *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static long exp_entry_obj(const struct exp_entries *ents, uint64_t addr);

/* 1 if scripts/kallsyms keeps sym (its filters, as far as the symbol table shows them) */
static int kallsyms_keeps(const struct kb_sym *y, int all)
{
	static const char *const skip[] = { "__crc_", "__kstrtab", "__efistub_", ".L", "$" };
	size_t i;

	if (!y->name[0] || !y->shndx || y->type == STT_SECTION || y->type == STT_FILE)
		return 0;
	if (!all && y->type != STT_FUNC)
		return 0;
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strncmp(y->name, skip[i], strlen(skip[i])))
			return 0;
	/* the table's own symbols, which it leaves out (KALLSYMS_ALL would keep them: they
	 * are data), so that every pass of the link has the same symbols */
	return !kb_ksyms_table_symbol(y->name);
}

/* The object symbol address addr's kallsyms entry goes to, or -1 (the table's own, or no
 * object's): the object holding it, or for an export entry's symbol (__ksymtab_NAME) the
 * object the entry went to (ents, from share_exports). */
static long kallsyms_obj(const struct kb_modular *m, const struct obj_spans *spans,
			 const struct exp_entries *ents, uint64_t addr)
{
	size_t k = span_after(spans, addr);
	long o;

	if (k >= spans->n || spans->v[k].lo > addr || spans->v[k].obj == m->ks_obj)
		return -1;
	o = ents->n ? exp_entry_obj(ents, addr) : -1;
	return o >= 0 ? o : spans->v[k].obj;
}

/*
 * The average model, where the image's table does not decode: per symbol scripts/kallsyms
 * keeps (as far as the symbol table shows them), the fixed bytes read off which tables the
 * image has, plus a rate per name byte that makes the shares add up to the table.
 */
static void share_kallsyms_average(struct kb_modular *m, const struct obj_spans *spans,
				   const struct exp_entries *ents, uint64_t table)
{
	const struct kb_image *img = m->img;
	uint64_t n = 0, len = 0, given = 0;
	double fixed = 1, r, *w;
	int all = is_y(m, "KALLSYMS_ALL"), offsets = 0, seqs = 0;
	size_t i;

	for (i = 0; i < img->nsyms; i++) {
		const struct kb_sym *y = &img->syms[i];

		offsets |= !strcmp(y->name, "kallsyms_offsets");
		seqs |= !strcmp(y->name, "kallsyms_seqs_of_names");
		if (kallsyms_keeps(y, all)) {
			n++;
			len += strlen(y->name) + 1; /* with its type letter */
		}
	}
	fixed += (offsets ? 4 : img->elfclass == ELFCLASS64 ? 8 : 4) + (seqs ? 3 : 0);
	if (!n || !len)
		return;
	r = ((double)table - fixed * (double)n) / (double)len;
	if (r < 0)
		r = 0;
	w = xcalloc(m->nobjs, sizeof(*w));
	for (i = 0; i < img->nsyms; i++) {
		const struct kb_sym *y = &img->syms[i];
		long o;

		if (kallsyms_keeps(y, all) && (o = kallsyms_obj(m, spans, ents, y->addr)) >= 0)
			w[o] += fixed + r * (double)(strlen(y->name) + 1);
	}
	/* scaled so that all symbols' weights, had they all an object, would be the table */
	r = (double)table / (fixed * (double)n + r * (double)len);
	for (i = 0; i < m->nobjs; i++) {
		uint64_t share = (uint64_t)(w[i] * r);

		if (share > table - given)
			share = table - given;
		m->objs[i].kshare = (int64_t)share;
		given += share;
	}
	m->objs[m->ks_obj].kshare = -(int64_t)given;
	m->ks_table = table;
	m->ks_given = given;
	free(w);
}

/* The exact model: each entry of the decoded table gives its object its bytes. 0, or
 * KB_ERR (nothing changed) when the decoded entries claim more than the table holds. */
static int share_kallsyms_decoded(struct kb_modular *m, const struct obj_spans *spans,
				  const struct exp_entries *ents, uint64_t table)
{
	const struct kb_ksyms *k = m->ks;
	/* its offset (or address) and, with kallsyms_seqs_of_names, its 3-byte name index */
	unsigned addr = k->has_offsets ? 4 : m->img->elfclass == ELFCLASS64 ? 8 : 4;
	unsigned fixed = addr + (k->has_seqs ? 3 : 0);
	uint64_t *w = xcalloc(m->nobjs, sizeof(*w)), given = 0, all = 0;
	size_t i;

	m->ks_eobj = xcalloc(k->n, sizeof(*m->ks_eobj));
	for (i = 0; i < k->n; i++) {
		long o = kallsyms_obj(m, spans, ents, k->v[i].addr);

		m->ks_eobj[i] = o;
		all += fixed + k->v[i].bytes;
		if (o >= 0) {
			w[o] += fixed + k->v[i].bytes;
			given += fixed + k->v[i].bytes;
		}
	}
	if (all > table) {
		snprintf(
			m->ks_note, sizeof(m->ks_note),
			"kallsyms table: its %zu entries take %llu bytes, more than the %llu of %s",
			k->n, (unsigned long long)all, (unsigned long long)table,
			m->objs[m->ks_obj].object);
		free(w);
		free(m->ks_eobj);
		m->ks_eobj = NULL;
		return KB_ERR;
	}
	for (i = 0; i < m->nobjs; i++)
		m->objs[i].kshare = (int64_t)w[i];
	m->objs[m->ks_obj].kshare = -(int64_t)given;
	m->ks_table = table;
	m->ks_given = given;
	m->ks_syms = k->n;
	m->ks_decoded = 1;
	free(w);
	return 0;
}

/* 1 if object o leaves with (1) (set 1) or with (1) and (2) (set 2): code_sums' split and the
 * relearnt kallsyms terms both ask this */
static int leaves_with(const struct kb_modular *m, size_t o, int set)
{
	const struct kb_mod_obj *ob = &m->objs[o];
	const struct kb_mod_opt *p = ob->owner >= 0 ? &m->opts[ob->owner] : NULL;

	if (!p || !p->candidate)
		return 0;
	return set == 2 || (ob->cat == KB_MOD_TRISTATE && p->candidate == 1);
}

int kb_modular_kallsyms_relearn(const struct kb_modular *m, const unsigned char *leaves,
				int64_t *delta)
{
	const struct kb_ksyms *k = m->ks;
	struct kb_ksyms_learnt lt;
	unsigned char *keep;
	uint64_t old = 0, nkept = 0;
	size_t i;

	*delta = 0;
	if (!m->ks_relearnt)
		return kb_error_set("%s/vmlinux: the kallsyms table cannot be relearnt: %s",
				    m->build, m->ks_note[0] ? m->ks_note : "no table decoded");
	keep = xmalloc(k->n);
	for (i = 0; i < k->n; i++) {
		keep[i] = m->ks_eobj[i] < 0 || !leaves[m->ks_eobj[i]];
		if (keep[i]) {
			old += k->v[i].bytes;
			nkept++;
		}
	}
	kb_ksyms_learn(k, keep, &lt);
	free(keep);
	*delta = (int64_t)(lt.names_bytes + lt.token_bytes) - (int64_t)(old + k->token_bytes) +
		 (int64_t)k->marker_size *
			 ((int64_t)(nkept + 255) / 256 - (int64_t)(k->n + 255) / 256);
	return 0;
}

uint64_t kb_modular_predicted(const struct kb_modular *m, int set)
{
	uint64_t code = m->total - m->pad_total - m->code_save1;

	if (set == 1)
		return code + (uint64_t)m->ks_relearn1;
	return code - m->code_save2 + (uint64_t)m->ks_relearn2;
}

/* The relearnt terms of (1) and of (1) and (2), when the learning gives the image's table. */
static void relearn_kallsyms(struct kb_modular *m)
{
	unsigned char *leaves = xcalloc(m->nobjs, 1);
	int set;
	size_t i;

	if (kb_ksyms_check(m->ks)) {
		snprintf(m->ks_note, sizeof(m->ks_note),
			 "%s (another kernel's scripts/kallsyms?): predicted without relearning it",
			 kb_error_last());
		kb_error_clear();
		free(leaves);
		return;
	}
	m->ks_relearnt = 1;
	for (set = 1; set <= 2; set++) {
		for (i = 0; i < m->nobjs; i++)
			leaves[i] = (unsigned char)leaves_with(m, i, set);
		kb_modular_kallsyms_relearn(m, leaves,
					    set == 1 ? &m->ks_relearn1 : &m->ks_relearn2);
	}
	free(leaves);
}

/*
 * Gives each object its share of the kallsyms table: the table holds, per symbol, its
 * offset (or address), its name compressed with a length prefix and (Linux 6.2+, and 6.1
 * stable) a 3-byte index in name order, so an object that leaves the core takes its
 * symbols' entries with it. Read from the image's table where it decodes (each entry's
 * exact bytes; the token table, markers and alignment stay with the table's object), else
 * the average model. Symbols in no object (the linker's) leave their share with the table;
 * the symbol of an entry of modpost's export table goes with the entry (ents).
 */
static void share_kallsyms(struct kb_modular *m, const struct obj_spans *spans,
			   const struct exp_entries *ents)
{
	long t = m->ks_obj;
	uint64_t table;

	if (t < 0 || !is_y(m, "KALLSYMS") || m->objs[t].bytes <= m->objs[t].pad)
		return;
	table = m->objs[t].bytes - m->objs[t].pad;
	if (kb_ksyms_decode(&m->ks, m->img, is_y(m, "KALLSYMS_ABSOLUTE_PERCPU"))) {
		snprintf(m->ks_note, sizeof(m->ks_note), "%s", kb_error_last());
		kb_error_clear();
	} else if (share_kallsyms_decoded(m, spans, ents, table)) {
		kb_ksyms_free(m->ks);
		m->ks = NULL;
	} else {
		return;
	}
	share_kallsyms_average(m, spans, ents, table);
}

/* --- the tables written into vmlinux.o after its ld -r ------------------------------------ */

/*
 * The tables a step after the ld -r writes (objtool on vmlinux.o), as the kernel defines
 * them: every entry names one code address. .orc_unwind_ip's entry i (a 32-bit offset to
 * the code) describes .orc_unwind's entry i (6 bytes, struct orc_entry); the site lists are
 * 32-bit offsets to an instruction; a static call site is { s32 addr; s32 key; }; ftrace's
 * __mcount_loc holds pointers. (derived.c reads the same tables for `syms`.)
 */
static const struct late_table {
	const char *sec;
	unsigned esz; /* entry size; 0: a pointer */
	int abs; /* the entry's first field is a pointer, not a 32-bit offset from itself */
	const char *pair; /* a table whose entry i goes with entry i of this one */
	unsigned pair_esz;
} late_tables[] = {
	{ ".orc_unwind_ip", 4, 0, ".orc_unwind", 6 },
	{ ".call_sites", 4, 0, NULL, 0 },
	{ ".return_sites", 4, 0, NULL, 0 },
	{ ".retpoline_sites", 4, 0, NULL, 0 },
	{ ".ibt_endbr_seal", 4, 0, NULL, 0 },
	{ ".cfi_sites", 4, 0, NULL, 0 },
	{ ".smp_locks", 4, 0, NULL, 0 },
	{ ".static_call_sites", 8, 0, NULL, 0 },
	{ "__mcount_loc", 0, 1, NULL, 0 },
};

/* The address entry p at addr names. */
static uint64_t late_target(const struct kb_image *img, const unsigned char *p, uint64_t addr,
			    int abs)
{
	if (abs)
		return kb_image_word(img, p, img->elfclass == ELFCLASS64 ? 8 : 4);
	return kb_prel32(addr, (uint32_t)kb_image_word(img, p, 4));
}

/* The bytes of the image at span l, or NULL. */
static const unsigned char *late_bytes(const struct kb_image *img, const struct late_span *l)
{
	const struct kb_section *s = kb_image_section_by_name(img, l->outsec);
	const unsigned char *p;
	size_t len = 0;

	if (!s || s->type == SHT_NOBITS || l->addr < s->addr || l->addr - s->addr > s->size ||
	    l->size > s->size - (l->addr - s->addr))
		return NULL;
	p = kb_image_section_data(img, s, &len);
	if (!p || l->addr - s->addr + l->size > len)
		return NULL;
	return p + (l->addr - s->addr);
}

static int all_zero(const unsigned char *p, unsigned n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/* The object whose input sections hold addr (or, for the end of a function, addr - 1). */
static long obj_at(const struct obj_spans *spans, uint64_t addr)
{
	size_t k = span_after(spans, addr);

	if (k < spans->n && spans->v[k].lo <= addr)
		return spans->v[k].obj;
	if (addr && (k = span_after(spans, addr - 1)) < spans->n && spans->v[k].lo <= addr - 1)
		return spans->v[k].obj;
	return -1;
}

static const struct late_span *late_find(const struct late_spans *late, const char *sec)
{
	size_t i;

	for (i = 0; i < late->n; i++)
		if (!strcmp(late->v[i].insec, sec))
			return &late->v[i];
	return NULL;
}

/* Entries of the table at l: 0 if it does not divide, its pair does not match, or an entry
 * that is not all zero names no code. */
static size_t late_entries(const struct kb_image *img, const struct late_table *t,
			   const struct late_span *l, const unsigned char *p, unsigned esz,
			   const struct late_span *pl)
{
	size_t n, i;

	if (!p || !esz || l->size % esz)
		return 0;
	n = l->size / esz;
	if (t->pair && (!pl || pl->size != (uint64_t)n * t->pair_esz || !late_bytes(img, pl)))
		return 0;
	for (i = 0; i < n; i++)
		if (!all_zero(p + esz * i, esz) &&
		    !kb_image_in_code(img,
				      late_target(img, p + esz * i, l->addr + esz * i, t->abs)))
			return 0;
	return n;
}

/* One table: each entry's bytes (and its pair's) to the object of the code it names. */
static void share_table(struct kb_modular *m, const struct obj_spans *spans,
			const struct late_spans *late, const struct late_table *t,
			const struct late_span *l)
{
	const struct kb_image *img = m->img;
	const struct late_span *pl = t->pair ? late_find(late, t->pair) : NULL;
	unsigned esz = t->esz ? t->esz : (img->elfclass == ELFCLASS64 ? 8 : 4);
	const unsigned char *p = late_bytes(img, l);
	struct kb_mod_table *tab;
	size_t n, i;

	ALLOC_GROW(m->tables, m->ntables + 1, m->atables);
	tab = &m->tables[m->ntables++];
	memset(tab, 0, sizeof(*tab));
	tab->section = l->insec;
	tab->obj = l->obj;
	tab->bytes = l->size + (pl ? pl->size : 0);
	n = late_entries(img, t, l, p, esz, pl);
	tab->entries = n;
	for (i = 0; i < n; i++) {
		const unsigned char *e = p + esz * i;
		unsigned share = esz + (t->pair ? t->pair_esz : 0);
		long o;

		if (all_zero(e, esz))
			continue;
		o = obj_at(spans, late_target(img, e, l->addr + esz * i, t->abs));
		if (o < 0 || o == l->obj)
			continue;
		m->objs[o].tshare += share;
		m->objs[l->obj].tshare -= share;
		tab->shared += share;
	}
	m->tab_given += tab->shared;
}

/*
 * Gives each object its share of the tables written into vmlinux.o after its ld -r: they
 * shrink with the code that leaves (objtool writes no entry for code that is not there),
 * so an entry leaves with the object that holds the code it names. What names no object's
 * code (an all-zero entry, the linker's code) stays vmlinux.o's, as do tables of a layout
 * kbloat does not know (listed with no entries; notes, the build id, are no table).
 */
static void share_tables(struct kb_modular *m, const struct obj_spans *spans,
			 const struct late_spans *late)
{
	size_t i, k;

	for (i = 0; i < late->n; i++) {
		const struct late_span *l = &late->v[i];
		const struct late_table *t = NULL;
		int paired = 0;

		for (k = 0; k < ARRAY_SIZE(late_tables); k++) {
			if (!strcmp(l->insec, late_tables[k].sec))
				t = &late_tables[k];
			else if (late_tables[k].pair && !strcmp(l->insec, late_tables[k].pair))
				paired = late_find(late, late_tables[k].sec) != NULL;
		}
		if (paired)
			continue; /* shared with the table it pairs with */
		if (t) {
			share_table(m, spans, late, t, l);
			continue;
		}
		if (!strncmp(l->insec, ".note", 5))
			continue; /* the final link's build id, which the map puts in vmlinux.o */
		ALLOC_GROW(m->tables, m->ntables + 1, m->atables);
		memset(&m->tables[m->ntables], 0, sizeof(m->tables[0]));
		m->tables[m->ntables].section = l->insec;
		m->tables[m->ntables].obj = l->obj;
		m->tables[m->ntables++].bytes = l->size;
	}
}

/* --- the export table modpost writes for vmlinux ----------------------------------------- */

/* The length with its NUL of the string at addr in s (bytes p), or 0 if it is not one. */
static uint64_t str_at(const struct kb_section *s, const unsigned char *p, uint64_t addr)
{
	uint64_t off = addr - s->addr, k;

	if (addr < s->addr || off >= s->size)
		return 0;
	for (k = off; k < s->size; k++)
		if (!p[k])
			return k - off + 1;
	return 0;
}

/* The struct kernel_symbol i of s: { value, name, namespace } as 32-bit offsets from each
 * field (prel) or as pointers. */
static void ksym_at(const struct kb_image *img, const struct kb_section *s, const unsigned char *p,
		    size_t i, int prel, uint64_t *value, uint64_t *name)
{
	unsigned psz = img->elfclass == ELFCLASS64 ? 8 : 4;

	if (prel) {
		*value = late_target(img, p + 12 * i, s->addr + 12 * i, 0);
		*name = late_target(img, p + 12 * i + 4, s->addr + 12 * i + 4, 0);
		return;
	}
	*value = kb_image_word(img, p + 3 * psz * i, psz);
	*name = kb_image_word(img, p + 3 * psz * i + psz, psz);
}

/* The entries of the export table s (bytes p) if every name is a string of ss, else 0. */
static size_t ksym_count(const struct kb_image *img, const struct kb_section *s,
			 const unsigned char *p, int prel, const struct kb_section *ss,
			 const unsigned char *strs)
{
	unsigned esz = prel ? 12 : 3 * (img->elfclass == ELFCLASS64 ? 8 : 4);
	uint64_t value, name;
	size_t i, n;

	if (s->size % esz)
		return 0;
	n = s->size / esz;
	for (i = 0; i < n; i++) {
		ksym_at(img, s, p, i, prel, &value, &name);
		if (str_at(ss, strs, name) < 2)
			return 0;
	}
	return n;
}

static long object_named(const struct kb_modular *m, const char *base)
{
	size_t i;

	for (i = 0; i < m->nobjs; i++) {
		const char *b = strrchr(m->objs[i].object, '/');

		if (!strcmp(b ? b + 1 : m->objs[i].object, base) && m->objs[i].bytes)
			return (long)i;
	}
	return -1;
}

/* An entry of the export table that goes to an object, and its name string. */
struct exp_name {
	uint64_t name, len; /* the string's address and length with its NUL */
	long obj;
};

static int cmp_exp_name(const void *a, const void *b)
{
	const struct exp_name *x = a, *y = b;

	return x->name < y->name ? -1 : x->name > y->name;
}

/*
 * The name strings of the entries given away (v, n), each byte to one object: the linker
 * merges __ksymtab_strings ("aMS"), so a name that is the tail of another ("free" of
 * "kfree") has no bytes of its own: it rides on the longer one, whose object gets them.
 */
static void share_export_names(struct kb_modular *m, struct kb_mod_table *tab, struct exp_name *v,
			       size_t n)
{
	uint64_t end = 0;
	size_t i;

	qsort(v, n, sizeof(*v), cmp_exp_name);
	for (i = 0; i < n; i++) {
		if (v[i].name < end)
			continue; /* inside the string before: merged into its tail */
		end = v[i].name + v[i].len;
		m->objs[v[i].obj].tshare += (int64_t)v[i].len;
		m->objs[tab->obj].tshare -= (int64_t)v[i].len;
		tab->shared += v[i].len;
	}
}

/*
 * Gives each object the entries of the export table modpost writes for vmlinux
 * (.vmlinux.export.o, Linux 6.2+: before, each object held its own) that export its
 * symbols: the struct kernel_symbol, its name in __ksymtab_strings and its CRC, all of which
 * leave with the object (a module exports its own). Namespace strings, which exports
 * share, stay. Each entry's address and object go to ents, for the kallsyms share of the
 * entry's symbol (__ksymtab_NAME) to follow it.
 */
static void share_exports(struct kb_modular *m, const struct obj_spans *spans,
			  struct exp_entries *ents)
{
	static const char *const tabs[][2] = { { "__ksymtab", "__kcrctab" },
					       { "__ksymtab_gpl", "__kcrctab_gpl" } };
	const struct kb_image *img = m->img;
	const struct kb_section *ss = NULL;
	const unsigned char *strs = kb_image_alloc_bytes(img, "__ksymtab_strings", &ss);
	long x = object_named(m, ".vmlinux.export.o");
	struct exp_name *names = NULL;
	size_t t, i, n, nnames = 0, anames = 0;
	struct kb_mod_table *tab;

	if (x < 0 || !strs)
		return;
	ALLOC_GROW(m->tables, m->ntables + 1, m->atables);
	tab = &m->tables[m->ntables++];
	memset(tab, 0, sizeof(*tab));
	tab->section = "__ksymtab";
	tab->obj = x;
	tab->bytes = m->objs[x].bytes - m->objs[x].pad;
	for (t = 0; t < ARRAY_SIZE(tabs); t++) {
		const struct kb_section *s = NULL, *cs = NULL;
		const unsigned char *p = kb_image_alloc_bytes(img, tabs[t][0], &s), *crc;
		unsigned esz;
		int prel = 1;

		if (!p)
			continue;
		n = ksym_count(img, s, p, prel, ss, strs);
		if (!n)
			n = ksym_count(img, s, p, prel = 0, ss, strs);
		esz = prel ? 12 : 3 * (img->elfclass == ELFCLASS64 ? 8 : 4);
		crc = kb_image_alloc_bytes(img, tabs[t][1], &cs);
		if (crc && cs->size != 4 * n)
			crc = NULL;
		for (i = 0; i < n; i++) {
			uint64_t at = s->addr + esz * i, value, name, share = esz;
			long o;

			if (obj_at(spans, at) != x)
				continue; /* an object's own entry (Linux before 6.2) */
			tab->entries++;
			ksym_at(img, s, p, i, prel, &value, &name);
			o = obj_at(spans, value);
			if (o < 0 || o == x)
				continue;
			if (obj_at(spans, name) == x) {
				ALLOC_GROW(names, nnames + 1, anames);
				names[nnames].name = name;
				names[nnames].len = str_at(ss, strs, name);
				names[nnames++].obj = o;
			}
			if (crc && obj_at(spans, cs->addr + 4 * i) == x)
				share += 4;
			m->objs[o].tshare += (int64_t)share;
			m->objs[x].tshare -= (int64_t)share;
			tab->shared += share;
			ALLOC_GROW(ents->v, ents->n + 1, ents->alloc);
			ents->v[ents->n].addr = at;
			ents->v[ents->n++].obj = o;
		}
	}
	share_export_names(m, tab, names, nnames);
	free(names);
	m->tab_given += tab->shared;
	if (ents->n)
		qsort(ents->v, ents->n, sizeof(*ents->v), cmp_exp_entry);
}

/* The object an export entry at addr went to, or -1. */
static long exp_entry_obj(const struct exp_entries *ents, uint64_t addr)
{
	size_t lo = 0, hi = ents->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ents->v[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ents->n && ents->v[lo].addr == addr ? ents->v[lo].obj : -1;
}

/* The code-and-data sums of what sum_candidates and the categories split in bytes. */
static int code_sums(struct kb_modular *m, const struct kb_breakdown *bd,
		     const struct obj_spans *spans, const struct late_spans *late)
{
	struct exp_entries ents = { 0 };
	uint64_t unclaimed = 0, sum;
	size_t i;
	int c;

	if (bd->total != m->total)
		return kb_error_set("%s/vmlinux: the breakdown given is of another image (%llu "
				    "bytes, not %llu)",
				    m->build, (unsigned long long)bd->total,
				    (unsigned long long)m->total);
	place_padding(m, bd, spans);
	for (c = 0; c < KB_CLS_NR; c++)
		unclaimed += m->fill[c] + m->linker[c];
	if (m->pad_outside > unclaimed)
		return kb_error_set("%s/vmlinux.map: %llu bytes of padding outside every object, "
				    "but only %llu bytes are no object's",
				    m->build, (unsigned long long)m->pad_outside,
				    (unsigned long long)unclaimed);
	m->code_core = unclaimed - m->pad_outside;
	share_exports(m, spans, &ents);
	share_kallsyms(m, spans, &ents);
	share_tables(m, spans, late);
	free(ents.v);
	for (i = 0; i < m->nobjs; i++) {
		const struct kb_mod_obj *o = &m->objs[i];
		uint64_t code = o->bytes - o->pad + (uint64_t)o->kshare + (uint64_t)o->tshare;

		if (o->owner >= 0) {
			struct kb_mod_opt *p = &m->opts[o->owner];

			p->pad += o->pad;
			p->kshare += o->kshare;
			p->tshare += o->tshare;
			if (!leaves_with(m, i, 2))
				m->code_rest += code;
			else if (leaves_with(m, i, 1))
				m->code_save1 += code;
			else
				m->code_save2 += code;
		} else if (o->cat == KB_MOD_CORE) {
			m->code_core += code;
		} else {
			m->code_rest += code;
		}
	}
	sum = m->code_save1 + m->code_save2 + m->code_core + m->code_rest;
	if (sum != m->total - m->pad_total)
		return kb_error_set("%s/vmlinux: the code-and-data sums (%llu) are not the image's "
				    "%llu bytes less %llu of padding (a kbloat bug)",
				    m->build, (unsigned long long)sum, (unsigned long long)m->total,
				    (unsigned long long)m->pad_total);
	m->have_code = 1;
	return 0;
}

int kb_modular_run(struct kb_modular **out, const struct kb_modular_opts *o)
{
	struct obj_spans spans = { 0 };
	struct late_spans late = { 0 };
	struct kb_modular *m = xcalloc(1, sizeof(*m));
	struct strbuf sb = STRBUF_INIT;

	*out = NULL;
	m->src = xstrdup(o->src);
	m->ks_obj = -1;
	m->build = xstrdup(o->build);
	strbuf_addf(&sb, "%s/.config", m->build);
	/* the .config as record takes it: a kernel .config, not any file of that name */
	if (kb_kconfig_read_dotconfig(&m->config, sb.buf) || find_srcarch(m, o->arch, sb.buf))
		goto fail;
	m->modules_on = is_y(m, "MODULES");
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/vmlinux", m->build);
	if (kb_image_open(&m->img, sb.buf))
		goto fail;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/vmlinux.map", m->build);
	if (access(sb.buf, R_OK)) {
		kb_error_set("%s: %s (build with CONFIG_VMLINUX_MAP=y: kernels/configs/map.config)",
			     sb.buf, strerror(errno));
		goto fail;
	}
	if (add_map_bytes(m, sb.buf, o->bd ? &spans : NULL, o->bd ? &late : NULL))
		goto fail;
	if (o->ktree) {
		m->kt = o->ktree;
		m->kt_borrowed = 1;
	} else if (kb_ktree_read(&m->kt, m->src, m->srcarch)) {
		goto fail;
	}
	if (kb_mktree_open(&m->mk, m->src, m->srcarch, config_value, &m->config))
		goto fail;
	place_objects(m, o->maint);
	find_selectors(m, 0);
	tristate_candidates(m);
	stays_at_m(m);
	bool_candidates(m);
	freed_by_bools(m);
	read_builtin(m);
	read_ranges(m);
	sum_candidates(m);
	if (o->bd && code_sums(m, o->bd, &spans, &late))
		goto fail;
	if (m->ks) /* the table decoded and shared entry by entry */
		relearn_kallsyms(m);
	strbuf_release(&sb);
	free(spans.v);
	free(late.v);
	*out = m;
	return 0;
fail:
	strbuf_release(&sb);
	free(spans.v);
	free(late.v);
	kb_modular_free(m);
	return KB_ERR;
}

void kb_modular_free(struct kb_modular *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nopts; i++) {
		free(m->opts[i].why);
		free(m->opts[i].selectors);
	}
	free(m->opts);
	kb_strtab_release(&m->opt_ids);
	free(m->objs);
	free(m->builtin_missing);
	free(m->to_m);
	free(m->tables);
	kb_ksyms_free(m->ks);
	free(m->ks_eobj);
	kb_mktree_free(m->mk);
	kb_mktree_free(m->mk_m);
	if (!m->kt_borrowed)
		kb_ktree_free(m->kt);
	kb_image_free(m->img);
	kb_kconfig_release(&m->config);
	kb_strtab_release(&m->strs);
	free(m->src);
	free(m->build);
	free(m->srcarch);
	free(m);
}
