/*
 * ci.c - the nightly report: built from the store once, written as text, Markdown, JUnit
 * XML and JSON; see ci.h.
 */
#include "ci.h"

#include "store_show.h"
#include "json.h"

#include "changes.h"
#include "escape.h"
#include "query.h"
#include "store_show.h"
#include "subsystems.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {
	[KB_CI_OK] = "ok",
	[KB_CI_FAILED] = "failed",
	[KB_CI_SKIPPED] = "skipped",
	[KB_CI_NOT_BUILT] = "not built",
};

/* A build measured as a budget needs it: its sizes from its row, its subsystems' bytes. */
struct head_measure {
	struct kb_measure m;
	struct kb_strtab names;
	uint64_t *sums;
	size_t alloc;
};

static int measure_build(struct kb_store *s, const struct kb_items *it, int64_t build,
			 struct head_measure *hm)
{
	struct kb_sizes z = { 0 };
	struct kb_strtab boot_name = KB_STRTAB_INIT;
	struct kb_build_outputs o;
	int rc;

	rc = kb_store_build_outputs(s, build, &o, &boot_name);
	kb_strtab_release(&boot_name); /* only whether there is one counts here */
	if (rc || kb_store_build_classes(s, build, &hm->m.total, hm->m.cls) ||
	    kb_store_sizes(s, build, &z))
		return KB_ERR;
	/* the boot image and the modules, if collect built them (else not checked) */
	hm->m.have_boot = !!o.boot_name;
	hm->m.boot_bytes = o.boot_bytes;
	hm->m.have_payload = o.has_boot_payload;
	hm->m.boot_payload = o.boot_payload;
	hm->m.have_modules = o.has_modules;
	hm->m.mod_total = o.mod_total;
	kb_subsystem_sums(it, &z, &hm->names, &hm->sums, &hm->alloc);
	kb_sizes_release(&z);
	hm->m.sub_names = hm->names.strs;
	hm->m.sub_bytes = hm->sums;
	hm->m.nsubs = hm->names.nr;
	return 0;
}

static void head_measure_release(struct head_measure *hm)
{
	kb_strtab_release(&hm->names);
	free(hm->sums);
	memset(hm, 0, sizeof(*hm));
}

static enum kb_ci_status status_of(const char *status)
{
	int i;

	for (i = KB_CI_OK; i < KB_CI_NOT_BUILT; i++)
		if (!strcmp(status, status_names[i]))
			return i;
	return KB_CI_SKIPPED; /* the schema knows no other */
}

/* The maintainers and lists of the KB_CI_CC_SUBSYSTEMS subsystems that changed most in the
 * direction of c's change (grew for a regression, shrank for a reduction). */
static int load_cc(struct kb_store *s, struct kb_ci_commit *c)
{
	const struct kb_rollup *r = &c->show->subsystems;
	size_t i, k, n, taken = 0, alloc = 0;

	for (i = 0; i < r->keys.nr && taken < KB_CI_CC_SUBSYSTEMS; i++) {
		/* the rows run from the largest growth to the largest reduction */
		const struct kb_rollup_row *w = &r->v[c->over_threshold ? i : r->keys.nr - 1 - i];
		struct kb_subsystem_contact *v;

		if (c->over_threshold ? w->new <= w->old : w->new >= w->old)
			break;
		if (kb_store_subsystem_contacts(s, w->key, &v, &n))
			return KB_ERR;
		taken++;
		for (k = 0; k < n; k++) {
			struct kb_ci_contact *cc;

			ALLOC_GROW(c->cc, c->ncc + 1, alloc);
			cc = &c->cc[c->ncc++];
			cc->role = v[k].role;
			cc->address = v[k].address; /* taken over */
			v[k].address = NULL;
			cc->subsystem = xstrdup(w->key);
		}
		kb_subsystem_contacts_free(v, n);
	}
	return 0;
}

/* What the config's build of commit c measured; its top changes when over the threshold;
 * with mail, what its mail says when over or under it. */
/* Commit c's build; with the mail, w (a walk along the commits, oldest first) shows each
 * ok build, and a regression's or reduction's show is kept for its message. */
static int read_commit(struct kb_store *s, int64_t config_id, const struct kb_ci_opts *o,
		       struct kb_show_walk *w, struct kb_ci_commit *c)
{
	struct kb_show *sh = NULL;
	struct kb_build_brief b;
	int rc = kb_store_commit_build(s, config_id, c->c.id, &b);

	if (rc < 0)
		return KB_ERR;
	c->status = rc ? KB_CI_NOT_BUILT : status_of(b.status);
	c->build = rc ? 0 : b.id;
	if (c->build && kb_store_build_run(s, c->build, &c->run, &c->strs))
		return KB_ERR;
	if (c->status != KB_CI_OK)
		return 0;
	c->size = b.total;
	c->has_delta = b.has_parent;
	c->delta = b.d_total;
	c->over_threshold = b.has_parent && b.d_total >= o->threshold;
	c->under_threshold = b.has_parent && b.d_total <= -o->threshold;
	if (c->over_threshold && kb_top_changes_load(&c->top, s, b.id))
		return KB_ERR;
	if (w && kb_show_walk_next(w, b.id, &sh))
		return KB_ERR;
	if (w && (c->over_threshold || c->under_threshold)) {
		c->show = sh;
		return load_cc(s, c);
	}
	kb_show_free(sh);
	return 0;
}

/* The summary's figures of the commits read. */
static void sum_up(struct kb_ci_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->ncommits; i++) {
		const struct kb_ci_commit *c = &cfg->commits[i];

		cfg->regressions += c->over_threshold;
		cfg->reductions += c->under_threshold;
		cfg->failed += c->status == KB_CI_FAILED;
		if (c->build) {
			if (c->run.recorded_at > cfg->newest_run)
				cfg->newest_run = c->run.recorded_at;
			cfg->seconds += c->run.build_seconds + c->run.analysis_seconds;
		}
		if (c->status == KB_CI_OK) {
			cfg->has_size = 1;
			cfg->size = c->size;
		}
		if (!c->has_delta)
			continue;
		if (!c->delta) {
			cfg->unchanged++;
			continue;
		}
		cfg->changed++;
		if (c->delta > 0)
			cfg->grew += c->delta;
		else
			cfg->shrank += c->delta;
	}
}

/* The commits after baseline up to cfg->head, oldest first, with their builds. */
static int read_commits(struct kb_ci_config *cfg, struct kb_store *s, const struct kb_items *it,
			int64_t config_id, const char *baseline, const struct kb_ci_opts *o)
{
	struct kb_show_walk *w = NULL;
	struct kb_first_parents fp;
	size_t i;
	int rc = KB_ERR;

	if (kb_store_first_parents(s, cfg->head, baseline, &fp))
		goto out;
	if (fp.end != KB_WALK_REACHED) {
		kb_error_set("%.12s is not a first-parent ancestor of %.12s in %s (config %s)",
			     baseline, cfg->head, kb_store_path(s), cfg->name);
		goto out;
	}
	/* the commits take over the walk's rows */
	cfg->commits = xcalloc(fp.n + 1, sizeof(*cfg->commits));
	cfg->ncommits = fp.n;
	for (i = 0; i < fp.n; i++)
		cfg->commits[fp.n - 1 - i].c = fp.v[i];
	fp.n = 0;
	/* the mail's shows: each build from its changes against the one before */
	if (o->mail && kb_show_walk_new(&w, s, it))
		goto out;
	for (i = 0; i < cfg->ncommits; i++) {
		if (read_commit(s, config_id, o, w, &cfg->commits[i]))
			goto out;
	}
	sum_up(cfg);
	rc = 0;
out:
	kb_show_walk_free(w);
	kb_first_parents_release(&fp);
	return rc;
}

/* The head build's measure, as budgets hold it: the newest ok build reported (else the
 * build of head), and the largest growth one commit brought. */
static int measure_head(const struct kb_ci_config *cfg, struct kb_store *s,
			const struct kb_items *it, struct head_measure *hm)
{
	int64_t build = 0;
	size_t i;

	for (i = cfg->ncommits; i-- > 0;) {
		const struct kb_ci_commit *c = &cfg->commits[i];

		if (c->status == KB_CI_OK && !build)
			build = c->build;
		if (!c->has_delta)
			continue;
		hm->m.have_growth = 1;
		hm->m.growth = c->delta > hm->m.growth ? c->delta : hm->m.growth;
	}
	if (!build && kb_store_find_build(s, cfg->head, cfg->name, &build))
		return KB_ERR;
	return measure_build(s, it, build, hm);
}

/* The budget targets of this config (or of every config), held to its head build. */
static int check_budgets(struct kb_ci_config *cfg, struct kb_store *s, const struct kb_items *it,
			 const struct kb_budget *budget)
{
	struct head_measure hm = { 0 };
	int measured = 0, rc = KB_ERR;
	size_t t;

	cfg->budgets = xcalloc(budget->ntargets + 1, sizeof(*cfg->budgets));
	for (t = 0; t < budget->ntargets; t++) {
		const struct kb_budget_target *bt = &budget->targets[t];
		struct kb_ci_budget *b;

		if (bt->config && strcmp(bt->config, cfg->name))
			continue;
		if (!measured && measure_head(cfg, s, it, &hm))
			goto out;
		measured = 1;
		b = &cfg->budgets[cfg->nbudgets++];
		b->target = bt;
		b->res = xcalloc(bt->nlimits + 1, sizeof(*b->res));
		b->broken = kb_budget_check(bt, &hm.m, b->res);
	}
	rc = 0;
out:
	head_measure_release(&hm);
	return rc;
}

static int build_config(struct kb_ci_config *cfg, struct kb_store *s, const struct kb_items *it,
			const struct kb_ci_opts *o, const char *baseline)
{
	int64_t config_id, build;
	int rc;

	if (kb_store_find_config(s, cfg->name, &config_id))
		return KB_ERR;
	if (o->head) {
		if (kb_store_resolve_sha(s, o->head, &cfg->head))
			return KB_ERR;
	} else {
		rc = kb_store_head_build(s, config_id, &build, &cfg->head);
		if (rc > 0)
			return kb_error_set("%s: no ok build of config %s", kb_store_path(s),
					    cfg->name);
		if (rc)
			return KB_ERR;
	}
	if (read_commits(cfg, s, it, config_id, baseline, o))
		return KB_ERR;
	if (o->budget && check_budgets(cfg, s, it, o->budget))
		return KB_ERR;
	return 0;
}

/* The configs to report: those asked for, else every recorded one (tinyconfig first). */
static int config_names(struct kb_ci *r, struct kb_store *s, const struct kb_ci_opts *o)
{
	char **names;
	size_t i, n;

	if (o->nconfigs) {
		r->configs = xcalloc(o->nconfigs, sizeof(*r->configs));
		for (i = 0; i < o->nconfigs; i++)
			r->configs[r->n++].name = xstrdup(o->configs[i]);
		return 0;
	}
	if (kb_store_config_names(s, &names, &n))
		return KB_ERR;
	r->configs = xcalloc(n + 1, sizeof(*r->configs));
	for (i = 0; i < n; i++)
		r->configs[r->n++].name = xstrdup(names[i]);
	kb_store_names_free(names, n);
	return 0;
}

int kb_ci_build(struct kb_ci **out, struct kb_store *s, const struct kb_ci_opts *o)
{
	struct kb_ci *r = xcalloc(1, sizeof(*r));
	struct kb_items it = { 0 };
	size_t i;
	int rc = KB_ERR, broken = 0;

	*out = NULL;
	r->threshold = o->threshold;
	if (o->commit_url) {
		if (kb_ci_check_url(o->commit_url))
			goto out;
		r->commit_url = xstrdup(o->commit_url);
	}
	if (kb_store_resolve_sha(s, o->baseline, &r->baseline) || config_names(r, s, o) ||
	    ((o->budget || o->mail) && kb_items_load(s, &it)))
		goto out;
	for (i = 0; i < r->n; i++) {
		struct kb_ci_config *cfg = &r->configs[i];
		size_t k;

		if (build_config(cfg, s, &it, o, r->baseline))
			goto out;
		broken += cfg->regressions > 0;
		for (k = 0; k < cfg->nbudgets; k++)
			broken += cfg->budgets[k].broken > 0;
	}
	r->ok = !broken;
	rc = 0;
out:
	kb_items_release(&it);
	if (rc)
		kb_ci_free(r);
	else
		*out = r;
	return rc;
}

static void config_free(struct kb_ci_config *cfg)
{
	size_t i, k;

	for (i = 0; i < cfg->ncommits; i++) {
		struct kb_ci_commit *c = &cfg->commits[i];

		kb_top_changes_release(&c->top);
		kb_strtab_release(&c->strs);
		kb_show_free(c->show);
		for (k = 0; k < c->ncc; k++) {
			free(c->cc[k].address);
			free(c->cc[k].subsystem);
		}
		free(c->cc);
		free(c->c.sha);
		free(c->c.author);
		free(c->c.email);
		free(c->c.subject);
	}
	for (i = 0; i < cfg->nbudgets; i++)
		free(cfg->budgets[i].res);
	free(cfg->commits);
	free(cfg->budgets);
	free(cfg->name);
	free(cfg->head);
}

void kb_ci_free(struct kb_ci *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		config_free(&r->configs[i]);
	free(r->configs);
	free(r->baseline);
	free(r->commit_url);
	free(r);
}

static json_t *commit_json(const struct kb_ci_commit *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "commit", kb_json_str(c->c.sha));
	json_object_set_new(o, "author", kb_json_str(c->c.author));
	json_object_set_new(o, "email", kb_json_str(c->c.email));
	json_object_set_new(o, "subject", kb_json_str(c->c.subject));
	json_object_set_new(o, "author_time", json_integer((json_int_t)c->c.author_time));
	json_object_set_new(o, "status", kb_json_str(status_names[c->status]));
	if (c->status != KB_CI_OK)
		return o;
	json_object_set_new(o, "size", json_integer((json_int_t)c->size));
	json_object_set_new(o, "delta",
			    c->has_delta ? json_integer((json_int_t)c->delta) : json_null());
	json_object_set_new(o, "over_threshold", json_boolean(c->over_threshold));
	if (c->over_threshold)
		kb_top_changes_json(o, &c->top);
	return o;
}

static json_t *config_json(const struct kb_ci *r, const struct kb_ci_config *cfg)
{
	json_t *commits = json_array(), *budgets = json_array();
	size_t k;

	for (k = 0; k < cfg->ncommits; k++)
		json_array_append_new(commits, commit_json(&cfg->commits[k]));
	for (k = 0; k < cfg->nbudgets; k++) {
		const struct kb_ci_budget *b = &cfg->budgets[k];

		json_array_append_new(budgets,
				      json_pack("{s:o,s:b,s:o}", "target",
						kb_json_str(b->target->name), "ok", !b->broken,
						"limits", kb_budget_json(b->target, b->res)));
	}
	return json_pack("{s:o,s:o,s:o,s:I,s:o,s:o}", "config", kb_json_str(cfg->name), "baseline",
			 kb_json_str(r->baseline), "head", kb_json_str(cfg->head), "regressions",
			 (json_int_t)cfg->regressions, "commits", commits, "budgets", budgets);
}

json_t *kb_ci_json(const struct kb_ci *r)
{
	json_t *configs = json_array();
	size_t i;

	for (i = 0; i < r->n; i++)
		json_array_append_new(configs, config_json(r, &r->configs[i]));
	return json_pack("{s:s,s:o,s:I,s:b,s:o}", "tool", "kbloat " KB_VERSION, "baseline",
			 kb_json_str(r->baseline), "threshold", (json_int_t)r->threshold, "ok",
			 r->ok, "configs", configs);
}
