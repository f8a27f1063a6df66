/*
 * kallsyms.c - the kallsyms table of a linked kernel decoded, and scripts/kallsyms' token
 * learning done again (see kallsyms.h for the layout and what is promised).
 */
#include "kallsyms.h"

#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The bytes of the allocated section holding the symbol name from its address to the
 * section's end (*avail of them), or NULL: no such symbol, or no bytes in the file. */
static const unsigned char *sym_bytes(const struct kb_image *img, const char *name, size_t *avail)
{
	size_t i, len;

	for (i = 0; i < img->nsyms; i++) {
		const struct kb_sym *y = &img->syms[i];
		const struct kb_section *s;
		const unsigned char *p;

		if (strcmp(y->name, name) || !y->shndx || y->shndx >= img->nsecs)
			continue;
		s = &img->secs[y->shndx];
		if (!s->alloc || y->addr < s->addr)
			continue;
		p = kb_image_section_data(img, s, &len);
		if (!p || len > s->size)
			len = p ? s->size : 0;
		if (!p || y->addr - s->addr >= len)
			continue;
		*avail = len - (size_t)(y->addr - s->addr);
		return p + (y->addr - s->addr);
	}
	return NULL;
}

int kb_ksyms_table_symbol(const char *name)
{
	static const char *const t[] = { "kallsyms_addresses",	   "kallsyms_offsets",
					 "kallsyms_relative_base", "kallsyms_num_syms",
					 "kallsyms_names",	   "kallsyms_markers",
					 "kallsyms_token_table",   "kallsyms_token_index",
					 "kallsyms_seqs_of_names" };
	size_t i;

	if (strncmp(name, "kallsyms_", 9))
		return 0;
	for (i = 0; i < ARRAY_SIZE(t); i++)
		if (!strcmp(name, t[i]))
			return 1;
	return 0;
}

static int corrupt(const char *what)
{
	return kb_error_set("kallsyms table: %s", what);
}

static int read_tokens(struct kb_ksyms *k, const struct kb_image *img)
{
	size_t tlen, ilen, i;
	const unsigned char *tab = sym_bytes(img, "kallsyms_token_table", &tlen);
	const unsigned char *idx = sym_bytes(img, "kallsyms_token_index", &ilen);
	uint64_t end = 0;

	if (!tab || !idx)
		return corrupt("no kallsyms_token_table or kallsyms_token_index (names not "
			       "compressed)");
	if (ilen < 512)
		return corrupt("kallsyms_token_index cut short");
	for (i = 0; i < 256; i++) {
		size_t at = (size_t)kb_image_word(img, idx + 2 * i, 2);
		const unsigned char *nul;

		if (at >= tlen || !(nul = memchr(tab + at, 0, tlen - at)))
			return corrupt("a token past kallsyms_token_table's end");
		k->tokens[i] = xmalloc((size_t)(nul - tab - at) + 1);
		memcpy(k->tokens[i], tab + at, (size_t)(nul - tab - at) + 1);
		if ((uint64_t)(nul - tab) + 1 > end)
			end = (uint64_t)(nul - tab) + 1;
	}
	k->token_bytes = end;
	return 0;
}

/* Each entry's length, bytes and expanded name. */
static int read_names(struct kb_ksyms *k, const unsigned char *p, size_t avail)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, off = 0, j;

	for (i = 0; i < k->n; i++) {
		struct kb_ksyms_entry *e = &k->v[i];
		size_t len, pre = 1;

		if (off >= avail)
			goto cut;
		len = p[off];
		if (len & 0x80) {
			if (off + 1 >= avail)
				goto cut;
			len = (len & 0x7F) | ((size_t)p[off + 1] << 7);
			pre = 2;
		}
		if (!len || len > avail - off - pre)
			goto bad;
		e->off = (uint32_t)off;
		e->bytes = (uint32_t)(pre + len);
		e->name = (uint32_t)sb.len;
		for (j = 0; j < len; j++) {
			strbuf_addstr(&sb, k->tokens[p[off + pre + j]]);
			if (sb.len - e->name > KB_KSYMS_NAME_MAX || sb.len > KB_KSYMS_NAMES_MAX)
				goto bad;
		}
		e->len = (uint32_t)(sb.len - e->name);
		if (!e->len)
			goto bad;
		strbuf_addch(&sb, 0);
		k->names_bytes += e->bytes;
		off += e->bytes;
	}
	k->names_len = sb.len;
	k->names = strbuf_detach(&sb, NULL);
	k->stream = p;
	return 0;
cut:
	strbuf_release(&sb);
	return corrupt("kallsyms_names cut short");
bad:
	strbuf_release(&sb);
	return corrupt("a name in kallsyms_names that does not decode");
}

/* Checks kallsyms_markers against the names: 4-byte entries (Linux 6.2+) or pointers. */
static void read_markers(struct kb_ksyms *k, const struct kb_image *img)
{
	size_t avail, nm = (k->n + 255) / 256, i;
	const unsigned char *p = sym_bytes(img, "kallsyms_markers", &avail);
	unsigned sz, ptr = img->elfclass == ELFCLASS64 ? 8 : 4;

	for (sz = 4; p && sz <= ptr; sz += 4) {
		if (avail / sz < nm)
			break;
		for (i = 0; i < nm; i++)
			if (kb_image_word(img, p + sz * i, sz) != k->v[i * 256].off)
				break;
		if (i == nm) {
			k->marker_size = sz;
			return;
		}
	}
}

/* Each entry's address, as kallsyms_sym_address() in kernel/kallsyms.c computes it. */
static int read_addresses(struct kb_ksyms *k, const struct kb_image *img, int absolute_percpu)
{
	unsigned ptr = img->elfclass == ELFCLASS64 ? 8 : 4;
	size_t avail, bavail, i;
	const unsigned char *p = sym_bytes(img, "kallsyms_offsets", &avail), *b;

	if (p) {
		uint64_t base;

		b = sym_bytes(img, "kallsyms_relative_base", &bavail);
		if (!b || bavail < ptr)
			return corrupt("kallsyms_offsets without kallsyms_relative_base");
		if (avail / 4 < k->n)
			return corrupt("kallsyms_offsets cut short");
		base = kb_image_word(img, b, ptr);
		for (i = 0; i < k->n; i++) {
			int32_t v = (int32_t)(uint32_t)kb_image_word(img, p + 4 * i, 4);

			if (!absolute_percpu)
				k->v[i].addr = base + (uint32_t)v;
			else if (v >= 0)
				k->v[i].addr = (uint64_t)v;
			else
				k->v[i].addr = base - 1 - (uint64_t)(int64_t)v;
		}
		k->has_offsets = 1;
		return 0;
	}
	p = sym_bytes(img, "kallsyms_addresses", &avail);
	if (!p)
		return corrupt("neither kallsyms_offsets nor kallsyms_addresses");
	if (avail / ptr < k->n)
		return corrupt("kallsyms_addresses cut short");
	for (i = 0; i < k->n; i++)
		k->v[i].addr = kb_image_word(img, p + ptr * i, ptr);
	return 0;
}

int kb_ksyms_decode(struct kb_ksyms **out, const struct kb_image *img, int absolute_percpu)
{
	struct kb_ksyms *k = xcalloc(1, sizeof(*k));
	size_t avail, navail;
	const unsigned char *p = sym_bytes(img, "kallsyms_num_syms", &avail);
	const unsigned char *names = sym_bytes(img, "kallsyms_names", &navail);
	uint64_t n;

	*out = NULL;
	if (!p || !names) {
		corrupt("no kallsyms_num_syms or kallsyms_names");
		goto fail;
	}
	if (avail < 4) {
		corrupt("kallsyms_num_syms cut short");
		goto fail;
	}
	n = kb_image_word(img, p, 4);
	if (!n || n > navail / 2) {
		corrupt("kallsyms_num_syms larger than kallsyms_names can hold");
		goto fail;
	}
	k->n = (size_t)n;
	k->v = xcalloc(k->n, sizeof(*k->v));
	if (read_tokens(k, img) || read_names(k, names, navail) ||
	    read_addresses(k, img, absolute_percpu))
		goto fail;
	read_markers(k, img);
	k->has_seqs = sym_bytes(img, "kallsyms_seqs_of_names", &avail) && avail / 3 >= k->n;
	*out = k;
	return 0;
fail:
	kb_ksyms_free(k);
	return KB_ERR;
}

void kb_ksyms_free(struct kb_ksyms *k)
{
	int i;

	if (!k)
		return;
	for (i = 0; i < 256; i++)
		free(k->tokens[i]);
	free(k->v);
	free(k->names);
	free(k);
}

/* --- the learning ------------------------------------------------------------------------
 *
 * scripts/kallsyms counts every pair of adjacent bytes in the names (its profit), marks the
 * byte values the names use, then for each unused value from 255 down takes the pair with
 * the highest count (the lowest pair index, first byte + 256 * second, among equals; none
 * left with a count above 0: stop) and rewrites every name containing it, replacing each
 * occurrence left to right and counting the name's pairs again. It scans every name for
 * each token and every pair value for the best; here each pair keeps the list of names it
 * has been seen in, so that a token touches only those (a list may hold a name that lost
 * the pair since: it is checked), and the best is sought among the pairs that occurred.
 */

struct id_list {
	uint32_t *v;
	size_t n, alloc;
};

struct learner {
	unsigned char *buf; /* the names, compressed in place */
	uint32_t *start, *len;
	uint32_t *seen; /* the token a name was last looked at for, + 1 */
	size_t n;
	int32_t profit[0x10000];
	struct id_list lists[0x10000];
	/* the pairs that have occurred, so that a small table is not 65,536 pairs a token */
	uint16_t pairs[0x10000];
	unsigned char listed[0x10000];
	size_t npairs;
	unsigned char tab[256][2], tlen[256];
};

static void note_pair(struct learner *l, unsigned pair, uint32_t id)
{
	struct id_list *s = &l->lists[pair];

	if (s->n && s->v[s->n - 1] == id)
		return;
	if (!l->listed[pair]) {
		l->listed[pair] = 1;
		l->pairs[l->npairs++] = (uint16_t)pair;
	}
	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	s->v[s->n++] = id;
}

static void count(struct learner *l, uint32_t id, int d, int token)
{
	const unsigned char *p = l->buf + l->start[id];
	uint32_t i;

	for (i = 0; i + 1 < l->len[id]; i++) {
		unsigned pair = p[i] | (unsigned)p[i + 1] << 8;

		l->profit[pair] += d;
		if (token >= 0 && (p[i] == token || p[i + 1] == token))
			note_pair(l, pair, id);
	}
}

/* Replaces pair (a, b) by token in name id, left to right; 0 if it has none. */
static int replace(struct learner *l, uint32_t id, unsigned char a, unsigned char b,
		   unsigned char token)
{
	unsigned char *p = l->buf + l->start[id];
	uint32_t i, o = 0, len = l->len[id];

	for (i = 0; i + 1 < len; i++)
		if (p[i] == a && p[i + 1] == b)
			break;
	if (i + 1 >= len)
		return 0;
	count(l, id, -1, -1);
	for (i = 0; i < len; i++) {
		if (i + 1 < len && p[i] == a && p[i + 1] == b) {
			p[o++] = token;
			i++;
		} else {
			p[o++] = p[i];
		}
	}
	l->len[id] = o;
	count(l, id, 1, token);
	return 1;
}

static void learn_tokens(struct learner *l)
{
	int slot;
	size_t i;
	uint32_t id, j;

	for (id = 0; id < l->n; id++) {
		const unsigned char *p = l->buf + l->start[id];

		for (j = 0; j < l->len[id]; j++) {
			l->tab[p[j]][0] = p[j];
			l->tlen[p[j]] = 1;
			if (j + 1 < l->len[id]) {
				unsigned pair = p[j] | (unsigned)p[j + 1] << 8;

				l->profit[pair]++;
				note_pair(l, pair, id);
			}
		}
	}
	for (slot = 255; slot >= 0; slot--) {
		unsigned best = 0, pair;
		int32_t bestp = 0;
		struct id_list *s;

		if (l->tlen[slot])
			continue;
		/* the highest count, the lowest pair among equals: scripts/kallsyms' first
		 * maximum over 0..0xffff */
		for (i = 0; i < l->npairs; i++) {
			pair = l->pairs[i];
			if (l->profit[pair] > bestp ||
			    (l->profit[pair] == bestp && bestp && pair < best))
				bestp = l->profit[best = pair];
		}
		if (bestp <= 0)
			break;
		l->tab[slot][0] = best & 0xFF;
		l->tab[slot][1] = best >> 8;
		l->tlen[slot] = 2;
		s = &l->lists[best];
		for (i = 0; i < s->n; i++) {
			id = s->v[i];
			if (l->seen[id] == (uint32_t)slot + 1)
				continue;
			l->seen[id] = (uint32_t)slot + 1;
			replace(l, id, l->tab[slot][0], l->tab[slot][1], (unsigned char)slot);
		}
		free(s->v);
		memset(s, 0, sizeof(*s));
	}
}

static struct learner *learner_new(const struct kb_ksyms *k, const unsigned char *keep)
{
	struct learner *l = xcalloc(1, sizeof(*l));
	size_t i, at = 0;

	l->buf = xmalloc(k->names_len + 1);
	l->start = xcalloc(k->n, sizeof(*l->start));
	l->len = xcalloc(k->n, sizeof(*l->len));
	l->seen = xcalloc(k->n, sizeof(*l->seen));
	for (i = 0; i < k->n; i++) {
		if (keep && !keep[i])
			continue;
		memcpy(l->buf + at, k->names + k->v[i].name, k->v[i].len);
		l->start[l->n] = (uint32_t)at;
		l->len[l->n++] = k->v[i].len;
		at += k->v[i].len;
	}
	learn_tokens(l);
	return l;
}

static void learner_free(struct learner *l)
{
	size_t i;

	for (i = 0; i < l->npairs; i++)
		free(l->lists[l->pairs[i]].v);
	free(l->buf);
	free(l->start);
	free(l->len);
	free(l->seen);
	free(l);
}

/* Token c expanded onto sb, as scripts/kallsyms' expand_symbol (depth: at most 256, each
 * token being made of bytes used before it was). */
static void expand(const struct learner *l, unsigned char c, struct strbuf *sb, int depth)
{
	int i;

	if (l->tlen[c] == 1 && l->tab[c][0] == c) {
		strbuf_addch(sb, (char)c);
		return;
	}
	if (depth > 256)
		return;
	for (i = 0; i < l->tlen[c]; i++)
		expand(l, l->tab[c][i], sb, depth + 1);
}

static uint64_t token_bytes(const struct learner *l, char **tokens_out)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t sum = 0;
	int i;

	for (i = 0; i < 256; i++) {
		strbuf_reset(&sb);
		expand(l, (unsigned char)i, &sb, 0);
		sum += sb.len + 1;
		if (tokens_out)
			tokens_out[i] = xstrdup(sb.buf);
	}
	strbuf_release(&sb);
	return sum;
}

void kb_ksyms_learn(const struct kb_ksyms *k, const unsigned char *keep,
		    struct kb_ksyms_learnt *out)
{
	struct learner *l = learner_new(k, keep);
	size_t i;

	memset(out, 0, sizeof(*out));
	out->n = l->n;
	for (i = 0; i < l->n; i++)
		out->names_bytes += l->len[i] + (l->len[i] > 0x7F ? 2 : 1);
	out->token_bytes = l->n ? token_bytes(l, NULL) : 0;
	learner_free(l);
}

int kb_ksyms_check(const struct kb_ksyms *k)
{
	struct learner *l = learner_new(k, NULL);
	char *tokens[256] = { 0 };
	int ret = 0, i;
	size_t j;

	token_bytes(l, tokens);
	for (i = 0; i < 256 && !ret; i++)
		if (strcmp(tokens[i], k->tokens[i]))
			ret = kb_error_set("kallsyms table: learnt again, token %d is \"%s\", "
					   "not the image's \"%s\"",
					   i, tokens[i], k->tokens[i]);
	for (j = 0; j < k->n && !ret; j++) {
		const struct kb_ksyms_entry *e = &k->v[j];
		uint32_t pre = e->bytes - l->len[j];

		if (l->len[j] >= e->bytes || pre != (l->len[j] > 0x7F ? 2u : 1u) ||
		    memcmp(l->buf + l->start[j], k->stream + e->off + pre, l->len[j]))
			ret = kb_error_set("kallsyms table: learnt again, name %zu (%s) is not "
					   "compressed as in the image",
					   j, k->names + e->name);
	}
	for (i = 0; i < 256; i++)
		free(tokens[i]);
	learner_free(l);
	return ret;
}
