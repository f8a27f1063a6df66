/*
 * record.c - what the store keeps of an analyzed image; see record.h.
 */
#include "record.h"

#include "bloatometer.h"
#include "bootimage.h"
#include "dotconfig.h"
#include "maintainers.h"
#include "modular.h"
#include "repo.h"
#include "run.h"
#include "error.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

void kb_itemset_from_analysis(struct kb_itemset *set, const struct kb_analysis *a)
{
	static const char *const bom_types[] = { KB_BOM_FUNCTION, KB_BOM_DATA_C, KB_BOM_RODATA };
	size_t i, k;

	for (i = 0; i < a->bd->nrows; i++) {
		const struct kb_row *r = &a->bd->rows[i];

		if (r->bytes)
			kb_itemset_add(set, KB_ITEM_ROW, r->name, r->file, r->subsystem,
				       r->sec->cls, r->bytes);
	}
	for (k = 0; k < 3; k++) {
		struct kb_bom b;

		kb_bom_entries(&b, a->img, bom_types[k]);
		for (i = 0; i < b.nrows; i++)
			kb_itemset_add(set, KB_ITEM_BOM_T + (int)k, b.rows[i].name, NULL, NULL, 0,
				       b.rows[i].new);
		kb_bom_release(&b);
	}
}

/* The M: and L: lines of each MAINTAINERS section set's items name, grouped by section. */
static struct kb_contact *contacts_of(const struct kb_itemset *set, struct kb_maint *maint,
				      size_t *n)
{
	struct kb_strtab seen = KB_STRTAB_INIT;
	struct kb_contact *v = NULL;
	size_t i, k, alloc = 0, nc;

	*n = 0;
	for (i = 0; i < set->n; i++) {
		const char *sub = set->v[i].subsystem;
		const struct kb_maint_contact *mc;
		size_t before = seen.nr;

		if (!sub)
			continue;
		kb_strtab_intern(&seen, sub, strlen(sub), NULL);
		if (seen.nr == before)
			continue;
		mc = kb_maint_contacts(maint, sub, &nc);
		for (k = 0; k < nc; k++) {
			ALLOC_GROW(v, *n + 1, alloc);
			v[*n].subsystem = sub; /* the set owns it */
			v[*n].role = mc[k].role;
			v[*n].address = mc[k].value; /* maint owns it */
			(*n)++;
		}
	}
	kb_strtab_release(&seen);
	return v;
}

struct chain {
	struct kb_store *store;
	struct kb_commit_info *v;
	size_t n, alloc;
};

static void to_store_commit(const struct kb_commit_info *ci, struct kb_store_commit *c)
{
	c->sha = ci->sha;
	c->parent = ci->parent;
	c->author_name = ci->author_name;
	c->author_email = ci->author_email;
	c->subject = ci->subject;
	c->author_time = ci->author_time;
	c->committer_time = ci->committer_time;
}

/* Collects first parents until one the store already knows (its line is known from there). */
static int collect_chain(const struct kb_commit_info *ci, void *arg)
{
	struct chain *c = arg;
	int known = kb_store_has_commit(c->store, ci->sha);

	if (known < 0)
		return -1;
	ALLOC_GROW(c->v, c->n + 1, c->alloc);
	memset(&c->v[c->n], 0, sizeof(c->v[c->n]));
	memcpy(c->v[c->n].sha, ci->sha, sizeof(ci->sha));
	memcpy(c->v[c->n].parent, ci->parent, sizeof(ci->parent));
	c->v[c->n].author_name = xstrdup(ci->author_name);
	c->v[c->n].author_email = xstrdup(ci->author_email);
	c->v[c->n].subject = xstrdup(ci->subject);
	c->v[c->n].author_time = ci->author_time;
	c->v[c->n].committer_time = ci->committer_time;
	c->n++;
	return known; /* stop at a known commit, after keeping it */
}

static double since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The analysis input that just failed is the commit's fault (kb_error_last() says why): kept
 * in res->fault, and the .config (when it was the one) is not stored. Returns 0. */
static int fault(struct kb_record_result *res, struct strbuf *dotconfig)
{
	snprintf(res->fault, sizeof(res->fault), "%s", kb_error_last());
	kb_error_clear();
	if (dotconfig)
		strbuf_reset(dotconfig);
	return 0;
}

/* One KB_ITEM_OPTION class: what the analysis found the option to be. */
static int opt_class(const struct kb_mod_opt *p)
{
	if (p->cat == KB_MOD_TRISTATE)
		return p->candidate == 2 ? KB_OPT_TRI_FREED :
		       p->candidate	 ? KB_OPT_TRI_CAND :
					   KB_OPT_TRI_KEPT;
	return p->candidate ? KB_OPT_BOOL_CAND : KB_OPT_BOOL_KEPT;
}

/*
 * The modular analysis of an ok build with its build directory and tree: its sums in bytes
 * of code and data, and an item per enabled option that builds code in. A failure is not the
 * build's: the build is recorded without them, and res->warning says why.
 */
static void add_modular(struct kb_build_rec *rec, struct kb_itemset *items,
			const struct kb_analysis *a, const struct kb_record_req *req,
			struct kb_record_result *res)
{
	struct kb_modular_opts mo = { 0 };
	struct kb_modular *m = NULL;
	size_t i, len;

	mo.src = req->src;
	mo.build = req->obj;
	mo.arch = req->arch;
	mo.maint = req->maint;
	mo.bd = a->bd;
	mo.ktree = req->ktree;
	if (kb_modular_run(&m, &mo)) {
		len = strlen(res->warning);
		snprintf(res->warning + len, sizeof(res->warning) - len, "%smodular analysis: %s",
			 len ? "; " : "", kb_error_last());
		kb_error_clear();
		return;
	}
	for (i = 0; i < m->nopts; i++) {
		const struct kb_mod_opt *p = &m->opts[i];

		/* its objects' code and data, with their shares of the kallsyms table and of
		 * the tables after vmlinux.o's ld -r */
		int64_t code = (int64_t)(p->bytes - p->pad) + p->kshare + p->tshare;

		if (p->bytes > p->pad && code > 0)
			kb_itemset_add(items, KB_ITEM_OPTION, p->name, NULL, NULL, opt_class(p),
				       (uint64_t)code);
	}
	rec->has_modular = 1;
	rec->m_tristate = m->code_save1;
	rec->m_bool = m->code_save2;
	rec->m_core = m->code_core;
	rec->m_rest = m->code_rest;
	/* the term kbloat modular adds to tristate_and_bool_as_modules, when it relearnt */
	rec->has_kallsyms = m->ks_relearnt;
	rec->m_kallsyms = m->ks_relearnt ? m->ks_relearn2 : 0;
	kb_modular_free(m);
}

void kb_record_memo_release(struct kb_record_memo *m)
{
	kb_itemset_release(&m->items);
	memset(m, 0, sizeof(*m));
}

static void rec_from_memo(struct kb_build_rec *rec, const struct kb_record_memo *m)
{
	rec->total = m->total;
	rec->padding = m->padding;
	memcpy(rec->cls, m->cls, sizeof(rec->cls));
	memcpy(rec->bk, m->bk, sizeof(rec->bk));
	rec->has_modular = m->has_modular;
	rec->m_tristate = m->m_tristate;
	rec->m_bool = m->m_bool;
	rec->m_core = m->m_core;
	rec->m_rest = m->m_rest;
	rec->has_kallsyms = m->has_kallsyms;
	rec->m_kallsyms = m->m_kallsyms;
	rec->items = &m->items;
}

/* Keeps what rec recorded in m, taking over *items. */
static void memo_from_rec(struct kb_record_memo *m, const struct kb_build_rec *rec,
			  struct kb_itemset *items, const char *warning)
{
	kb_record_memo_release(m);
	m->total = rec->total;
	m->padding = rec->padding;
	memcpy(m->cls, rec->cls, sizeof(m->cls));
	memcpy(m->bk, rec->bk, sizeof(m->bk));
	m->has_modular = rec->has_modular;
	m->m_tristate = rec->m_tristate;
	m->m_bool = rec->m_bool;
	m->m_core = rec->m_core;
	m->m_rest = rec->m_rest;
	m->has_kallsyms = rec->has_kallsyms;
	m->m_kallsyms = rec->m_kallsyms;
	m->items = *items;
	memset(items, 0, sizeof(*items));
	snprintf(m->warning, sizeof(m->warning), "%s", warning);
	m->valid = 1;
}

int kb_obj_has_modules(const char *obj)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	int yes;

	strbuf_addf(&path, "%s/.config", obj);
	yes = !strbuf_read_file(&sb, path.buf) && (!strncmp(sb.buf, "CONFIG_MODULES=y\n", 17) ||
						   strstr(sb.buf, "\nCONFIG_MODULES=y\n"));
	kb_error_clear();
	strbuf_release(&sb);
	strbuf_release(&path);
	return yes;
}

/* The boot image and the modules of req, into rec->outputs; KB_ERR names what is wrong. */
static int read_outputs(struct kb_build_rec *rec, const struct kb_record_req *req)
{
	struct kb_build_outputs *o = &rec->outputs;
	struct kb_boot_image bi;
	struct kb_modules_sum ms;
	int rc, c;

	if (req->boot_image) {
		if (kb_boot_image_read(&bi, req->boot_image))
			return KB_ERR;
		o->boot_name = req->boot_name;
		o->boot_bytes = bi.bytes;
		o->has_boot_payload = bi.has_payload;
		o->boot_payload = bi.payload;
	}
	if (req->modules && req->no_modules) {
		o->has_modules = 1; /* all zero */
	} else if (req->modules && req->obj) {
		rc = kb_modules_sum(&ms, req->obj);
		if (rc == KB_ERR)
			return KB_ERR;
		o->has_modules = 1; /* KB_ENOTFOUND: no modules.order, no modules: 0 */
		o->mod_count = ms.count;
		o->mod_total = ms.total;
		for (c = 0; c < KB_CLS_NR && c < 7; c++)
			o->mod_cls[c] = ms.cls[c];
	}
	return 0;
}

int kb_record_build(struct kb_store *store, struct kb_repo *repo, const char *sha,
		    const struct kb_record_req *req, struct kb_record_result *res)
{
	struct kb_commit_info ci = { 0 };
	struct chain chain = { 0 };
	struct kb_store_commit commit, *links = NULL;
	struct kb_contact *contacts = NULL;
	struct kb_itemset items = { 0 };
	struct kb_analysis *a = NULL;
	struct kb_analysis_opts ao = { 0 };
	struct kb_build_rec rec = { 0 };
	struct strbuf dotconfig = STRBUF_INIT, tail = STRBUF_INIT;
	int ok = !strcmp(req->status, "ok"), rc = KB_ERR, c, memo;
	struct timespec t0;
	size_t i;

	memset(res, 0, sizeof(*res));
	if (kb_repo_commit_info(repo, sha, &ci))
		goto out;
	chain.store = store;
	/* a first record into an empty database walks back at most this far: a parent build
	 * further back is found once a later record fills the line in */
	if (ci.parent[0] &&
	    kb_repo_walk_first_parents(repo, ci.parent, 100000, collect_chain, &chain) < 0)
		goto out;
	if (req->fault)
		snprintf(res->fault, sizeof(res->fault), "%s", req->fault);
	if (req->dotconfig && kb_read_dotconfig(req->dotconfig, &dotconfig)) {
		if (!req->record_faults || fault(res, &dotconfig))
			goto out;
	}
	if (req->log && kb_log_tail(req->log, 4096, &tail))
		goto out;
	if (req->log_text)
		strbuf_addstr(&tail, req->log_text);
	memo = ok && !res->fault[0] && req->use_memo && req->memo && req->memo->valid;
	if (!memo && req->memo)
		kb_record_memo_release(req->memo); /* what is kept is of this build or nothing */
	if (ok && !res->fault[0] && !memo) {
		ao.src = req->src;
		ao.maint = req->maint;
		ao.map = req->map;
		ao.obj = req->obj;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (kb_analysis_run(&a, req->image, &ao) &&
		    (!req->record_faults || fault(res, NULL)))
			goto out;
	}
	if (ok && !res->fault[0] && read_outputs(&rec, req) &&
	    (!req->record_faults || fault(res, NULL)))
		goto out;
	if (res->fault[0]) {
		/* the log's tail, as stored, ends with the reason */
		strbuf_addf(&tail, "kbloat: the build cannot be analyzed: %s\n", res->fault);
		ok = 0;
	}
	if (ok && memo) {
		memcpy(res->warning, req->memo->warning, sizeof(res->warning));
		rec_from_memo(&rec, req->memo);
	} else if (ok) {
		memcpy(res->warning, a->warning, sizeof(res->warning));
		kb_itemset_from_analysis(&items, a);
		rec.total = a->img->total;
		rec.padding = a->padding_bytes;
		if (req->obj && req->src)
			add_modular(&rec, &items, a, req, res);
		rec.analysis_seconds = since(&t0);
		for (c = 0; c < KB_CLS_NR; c++)
			rec.cls[c] = a->img->cls_size[c];
		for (c = 0; c < KB_BK_NR; c++)
			rec.bk[c] = a->img->berkeley[c];
		rec.items = &items;
	}
	if (ok && req->maint && rec.items) {
		rec.has_contacts = 1;
		contacts = contacts_of(rec.items, req->maint, &rec.ncontacts);
		rec.contacts = contacts;
	}
	to_store_commit(&ci, &commit);
	links = xcalloc(chain.n + 1, sizeof(*links));
	for (i = 0; i < chain.n; i++)
		to_store_commit(&chain.v[i], &links[i]);
	rec.commit = &commit;
	rec.chain = links;
	rec.nchain = chain.n;
	rec.config = req->config;
	rec.arch = req->arch;
	rec.base = req->base;
	rec.fragments = req->fragments;
	rec.status = res->fault[0] ? "failed" : req->status;
	rec.log_tail = tail.len ? tail.buf : NULL;
	rec.dotconfig = dotconfig.len ? dotconfig.buf : NULL;
	rec.compiler = req->compiler;
	rec.linker = req->linker;
	rec.build_seconds = req->build_seconds;
	rec.replace_failed = req->replace_failed;
	rec.reused = ok ? req->reused : 0;
	if (kb_store_record(store, &rec, &res->already))
		goto out;
	res->total = rec.total;
	if (ok && !memo && req->memo && !res->already)
		memo_from_rec(req->memo, &rec, &items, res->warning);
	rc = 0;
out:
	for (i = 0; i < chain.n; i++)
		kb_commit_info_release(&chain.v[i]);
	free(chain.v);
	free(links);
	free(contacts);
	kb_commit_info_release(&ci);
	kb_itemset_release(&items);
	kb_analysis_free(a);
	strbuf_release(&dotconfig);
	strbuf_release(&tail);
	return rc;
}
