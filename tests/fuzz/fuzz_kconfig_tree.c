/*
 * fuzz_kconfig_tree.c - libFuzzer target for the Kconfig reader: any bytes parse into a tree
 * (source lines are counted, never followed, so no file system is touched); every
 * symbol's dependency, defaults, selects, implies and their reverse evaluate to n, m or y,
 * with and without an override, and print; an expression printed without macros reads
 * back to the same text; each symbol is found by its name; nothing crashes, leaks or
 * reads past the input (copied to an exact-size buffer so the sanitizer sees any overrun).
 */
#include "kconfig_tree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ROUND_TRIPS 32 /* reparsing is the slow part: a few per input */

/* A value that depends on the name only: y, m, n, unset, numbers, strings. */
static const char *val(void *ctx, const char *name)
{
	static const char *const vals[] = { "y", "m", "n", NULL, "16", "0x1f", "-3", "foo", "" };

	(void)ctx;
	return vals[kb_strhash(name, strlen(name)) % (sizeof(vals) / sizeof(vals[0]))];
}

static const char *override_fn(void *ctx, const char *name)
{
	(void)ctx;
	return name[0] == 'A' ? "m" : NULL;
}

/* The printed text, parsed again as a dependency, prints the same (when it parses). */
static void round_trip(const char *printed, int *budget)
{
	static const char head[] = "config Z\n\tbool\n\tdepends on ";
	struct strbuf text = STRBUF_INIT, again = STRBUF_INIT;
	const struct kb_ksym *z;
	struct kb_ktree *t;

	if (*budget <= 0 || strchr(printed, '$'))
		return;
	--*budget;
	strbuf_addstr(&text, head);
	strbuf_addstr(&text, printed);
	strbuf_addch(&text, '\n');
	if (kb_ktree_parse(&t, "again", text.buf, text.len))
		abort();
	z = kb_ktree_sym(t, "Z");
	if (!t->nbad) {
		if (!z || !z->depends)
			abort();
		kb_kexpr_print(z->depends, &again);
		if (strcmp(again.buf, printed))
			abort();
	}
	kb_ktree_free(t);
	strbuf_release(&again);
	strbuf_release(&text);
}

static void check(const struct kb_ktree *t, const struct kb_kexpr *e, struct strbuf *sb,
		  int *budget)
{
	int v = kb_kexpr_eval(t, e, val, NULL);
	int w = kb_kexpr_eval_with(t, e, val, NULL, override_fn, NULL);

	if (v < KB_TRI_N || v > KB_TRI_Y || w < KB_TRI_N || w > KB_TRI_Y)
		abort();
	strbuf_reset(sb);
	kb_kexpr_print(e, sb);
	if (!sb->len)
		abort();
	if (e)
		round_trip(sb->buf, budget);
}

static void check_refs(const struct kb_ktree *t, const struct kb_kref *r, size_t n,
		       struct strbuf *sb, int *budget)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (r[i].sym >= t->names.nr || !r[i].file)
			abort();
		check(t, r[i].cond, sb, budget);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	struct kb_ktree *t;
	char *text = malloc(size ? size : 1);
	int budget = ROUND_TRIPS;
	size_t i, j;

	memcpy(text, data, size);
	if (kb_ktree_parse(&t, "fuzz/Kconfig", text, size))
		abort();
	for (i = 0; i < t->names.nr; i++) {
		const struct kb_ksym *s = &t->syms[i];

		if (kb_ktree_sym(t, s->name) != s)
			abort();
		check(t, s->depends, &sb, &budget);
		for (j = 0; j < s->ndefaults; j++) {
			check(t, s->defaults[j].value, &sb, &budget);
			check(t, s->defaults[j].cond, &sb, &budget);
		}
		check_refs(t, s->selects, s->nselects, &sb, &budget);
		check_refs(t, s->implies, s->nimplies, &sb, &budget);
		check_refs(t, s->selected_by, s->nselected_by, &sb, &budget);
		check_refs(t, s->implied_by, s->nimplied_by, &sb, &budget);
		kb_ktype_name(s->type);
	}
	kb_ktree_free(t);
	strbuf_release(&sb);
	free(text);
	return 0;
}
