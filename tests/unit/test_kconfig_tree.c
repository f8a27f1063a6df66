/*
 * test_kconfig_tree.c - the Kconfig reader sees what scripts/kconfig sees: types, prompts,
 * defaults, dependencies inherited from if/menu/choice blocks and ORed over definitions,
 * selects and their reverse, help text skipped, macros and sources followed as kconfig
 * follows them; expressions evaluate with tristate logic and print back; bad input is
 * counted, never crashed on. With KB_REAL_LINUX=<kernel tree> it also reads a real tree.
 */
#include "check.h"

#include "kconfig_tree.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct kb_ktree *parse(const char *text)
{
	struct kb_ktree *t = NULL;

	CHECK(!kb_ktree_parse(&t, "test/Kconfig", text, strlen(text)));
	return t;
}

/* e as printed; the text lives until the next call */
static const char *str(const struct kb_kexpr *e)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	kb_kexpr_print(e, &sb);
	return sb.buf;
}

/* values from a NULL-ended list of name, value pairs */
static const char *val_fn(void *ctx, const char *name)
{
	const char *const *kv = ctx;

	for (; kv && *kv; kv += 2)
		if (!strcmp(kv[0], name))
			return kv[1];
	return NULL;
}

static const char decls[] = "config B\n\tbool\nconfig T\n\ttristate\nconfig S\n\tstring\n"
			    "config I\n\tint\nconfig H\n\thex\n";

/* expr as the dependency of a symbol declared after decls, evaluated with values kv */
static int eval_in(const char *expr, const char *const *kv)
{
	struct strbuf text = STRBUF_INIT;
	struct kb_ktree *t;
	const struct kb_ksym *s;
	int v = -1;

	strbuf_addf(&text, "%sconfig ZZ\n\tbool\n\tdepends on %s\n", decls, expr);
	t = parse(text.buf);
	s = kb_ktree_sym(t, "ZZ");
	CHECK(s && s->depends);
	if (s && s->depends)
		v = kb_kexpr_eval(t, s->depends, val_fn, (void *)kv);
	kb_ktree_free(t);
	strbuf_release(&text);
	return v;
}

/* expr parsed and printed */
static const char *reprint(const char *expr)
{
	static struct strbuf out = STRBUF_INIT;
	struct strbuf text = STRBUF_INIT;
	struct kb_ktree *t;
	const struct kb_ksym *s;

	strbuf_addf(&text, "config ZZ\n\tbool\n\tdepends on %s\n", expr);
	t = parse(text.buf);
	s = kb_ktree_sym(t, "ZZ");
	strbuf_reset(&out);
	strbuf_addstr(&out, s && s->depends ? str(s->depends) : "(none)");
	kb_ktree_free(t);
	strbuf_release(&text);
	return out.buf;
}

static void types_prompts_and_defaults_are_read(void)
{
	static const char text[] = "mainmenu \"Test $(ARCH)\"\n"
				   "\n"
				   "config A\n"
				   "\ttristate \"the A driver\"\n"
				   "\tdefault m if B\n"
				   "\tdefault y\n"
				   "\n"
				   "menuconfig B\n"
				   "\tdef_bool y\n"
				   "config C\n"
				   "\tdef_tristate A && !B if D\n"
				   "config D\n"
				   "\tprompt \"d\" if A\n"
				   "\tboolean\n"
				   "config E\n"
				   "\tstring\n"
				   "\tdefault \"a b\"\n"
				   "config F\n"
				   "\tint \"f\"\n"
				   "\trange 1 10 if A\n"
				   "\tbool\n"
				   "config G\n"
				   "\thex\n"
				   "\tdefault 0x100\n";
	struct kb_ktree *t = parse(text);
	const struct kb_ksym *s;

	CHECK(t->nfiles == 1 && t->nbad == 0 && t->nskipped == 0);
	s = kb_ktree_sym(t, "A");
	CHECK(s && s->defined && s->type == KB_KT_TRISTATE && s->has_prompt);
	CHECK_STR(s->file, "test/Kconfig");
	CHECK(s->line == 3);
	CHECK(s->ndefaults == 2);
	CHECK_STR(str(s->defaults[0].value), "m");
	CHECK_STR(str(s->defaults[0].cond), "B");
	CHECK_STR(str(s->defaults[1].value), "y");
	CHECK(s->defaults[1].cond == NULL);
	s = kb_ktree_sym(t, "B");
	CHECK(s->type == KB_KT_BOOL && !s->has_prompt && s->ndefaults == 1 && s->line == 8);
	s = kb_ktree_sym(t, "C");
	CHECK(s->type == KB_KT_TRISTATE && s->ndefaults == 1);
	CHECK_STR(str(s->defaults[0].value), "A && !B");
	CHECK_STR(str(s->defaults[0].cond), "D");
	s = kb_ktree_sym(t, "D");
	CHECK(s->type == KB_KT_BOOL && s->has_prompt);
	s = kb_ktree_sym(t, "E");
	CHECK(s->type == KB_KT_STRING && !s->has_prompt);
	CHECK_STR(str(s->defaults[0].value), "\"a b\"");
	s = kb_ktree_sym(t, "F");
	CHECK(s->type == KB_KT_INT && s->has_prompt); /* the first type stays */
	s = kb_ktree_sym(t, "G");
	CHECK(s->type == KB_KT_HEX);
	CHECK_STR(str(s->defaults[0].value), "0x100");
	CHECK(s->defaults[0].value->is_const);
	CHECK(kb_ktree_sym(t, "NOPE") == NULL);
	CHECK_STR(kb_ktype_name(KB_KT_TRISTATE), "tristate");
	CHECK_STR(kb_ktype_name(KB_KT_UNKNOWN), "unknown");
	kb_ktree_free(t);
}

static void dependencies_are_inherited_from_blocks(void)
{
	static const char text[] = "menu \"M\"\n"
				   "\tdepends on NET\n"
				   "\tvisible if EXPERT\n"
				   "if PCI\n"
				   "choice\n"
				   "\tprompt \"pick\"\n"
				   "\tbool\n"
				   "\tdepends on X86\n"
				   "\tdefault C1\n"
				   "config C1\n"
				   "\tbool \"c1\"\n"
				   "config C2\n"
				   "\tprompt \"c2\"\n"
				   "\tdepends on OTHER\n"
				   "endchoice\n"
				   "menuconfig MC\n"
				   "\tbool \"mc\"\n"
				   "\tdepends on FOO\n"
				   "\tdepends on BAR || BAZ\n"
				   "endif # PCI\n"
				   "comment \"a comment\"\n"
				   "\tdepends on NOTHING\n"
				   "config AFTER\n"
				   "\tbool\n"
				   "endmenu\n"
				   "config OUTSIDE\n"
				   "\tbool\n"
				   "if A\n"
				   "if B\n"
				   "config NESTED\n"
				   "\tbool\n"
				   "endif\n"
				   "config UNCLOSED\n"
				   "\tbool\n";
	struct kb_ktree *t = parse(text);
	const struct kb_ksym *s;

	s = kb_ktree_sym(t, "C1");
	CHECK(s->in_choice && s->type == KB_KT_BOOL);
	CHECK_STR(str(s->depends), "NET && PCI && X86");
	s = kb_ktree_sym(t, "C2");
	CHECK(s->in_choice && s->type == KB_KT_BOOL && s->has_prompt); /* the choice's type */
	CHECK_STR(str(s->depends), "NET && PCI && X86 && OTHER");
	s = kb_ktree_sym(t, "MC");
	CHECK(!s->in_choice);
	CHECK_STR(str(s->depends), "NET && PCI && FOO && (BAR || BAZ)");
	s = kb_ktree_sym(t, "AFTER");
	CHECK_STR(str(s->depends), "NET");
	s = kb_ktree_sym(t, "OUTSIDE");
	CHECK(s->depends == NULL);
	CHECK_STR(str(s->depends), "y");
	CHECK_STR(str(kb_ktree_sym(t, "NESTED")->depends), "A && B");
	CHECK_STR(str(kb_ktree_sym(t, "UNCLOSED")->depends), "A");
	CHECK(kb_ktree_sym(t, "NOTHING") == NULL); /* a comment's dependency is not read */
	CHECK(t->nbad == 0);
	kb_ktree_free(t);
}

static void several_definitions_or_their_dependencies(void)
{
	static const char text[] = "config MD\n\tbool\n\tdepends on A\n"
				   "if X\nconfig MD\n\tbool \"md\"\n\tdepends on B\nendif\n"
				   "config ME\n\tbool\n\tdepends on A\n"
				   "config ME\n\tbool\n"
				   "config ME\n\tbool\n\tdepends on C\n";
	struct kb_ktree *t = parse(text);
	const struct kb_ksym *s = kb_ktree_sym(t, "MD");

	CHECK_STR(str(s->depends), "A || X && B");
	CHECK(s->line == 1 && s->has_prompt);
	s = kb_ktree_sym(t, "ME");
	CHECK(s->depends == NULL); /* one definition has no dependency: always */
	kb_ktree_free(t);
}

static void selects_and_implies_have_reverse_lists(void)
{
	static const char text[] = "config S1\n"
				   "\ttristate \"s1\"\n"
				   "\tselect T1 if A && B\n"
				   "\timply T2\n"
				   "config S2\n"
				   "\tbool\n"
				   "\tselect T1\n"
				   "\tselect T2 if C\n";
	struct kb_ktree *t = parse(text);
	const struct kb_ksym *s1 = kb_ktree_sym(t, "S1"), *t1 = kb_ktree_sym(t, "T1");
	const struct kb_ksym *t2 = kb_ktree_sym(t, "T2");

	CHECK(s1->nselects == 1 && s1->nimplies == 1);
	CHECK_STR(t->syms[s1->selects[0].sym].name, "T1");
	CHECK_STR(str(s1->selects[0].cond), "A && B");
	CHECK(!t1->defined && t1->nselected_by == 2);
	CHECK_STR(t->syms[t1->selected_by[0].sym].name, "S1");
	CHECK_STR(str(t1->selected_by[0].cond), "A && B");
	CHECK_STR(t1->selected_by[0].file, "test/Kconfig");
	CHECK(t1->selected_by[0].line == 3);
	CHECK_STR(t->syms[t1->selected_by[1].sym].name, "S2");
	CHECK(t1->selected_by[1].cond == NULL && t1->selected_by[1].line == 7);
	CHECK(t2->nimplied_by == 1 && t2->nselected_by == 1);
	CHECK_STR(t->syms[t2->implied_by[0].sym].name, "S1");
	CHECK(t2->implied_by[0].line == 4);
	CHECK_STR(str(t2->selected_by[0].cond), "C");
	CHECK(s1->nselected_by == 0 && s1->selected_by == NULL);
	kb_ktree_free(t);
}

static void help_text_is_skipped_by_its_indentation(void)
{
	static const char text[] = "config A\n"
				   "\tbool \"a\"\n"
				   "\thelp\n"
				   "\t  config NOT_A_SYMBOL\n"
				   "\t  depends on NOTHING\n"
				   "\n"
				   "   \n"
				   "\t    select X, more indented\n"
				   "\t  \"unterminated ' quote\n"
				   "\tdepends on D\n"
				   "config B\n"
				   "\ttristate\n"
				   "\t---help---\n"
				   "\n"
				   "          ten spaces, as deep as a tab and two\n"
				   "\t  config STILL_HELP\n"
				   "\tdefault y\n"
				   "config C\n"
				   "\tbool\n"
				   "\thelp\n"
				   "config D\n"
				   "\tbool\n"
				   "\thelp\n"
				   "\t  last, without a newline";
	struct kb_ktree *t = parse(text);
	const struct kb_ksym *s = kb_ktree_sym(t, "A");

	CHECK(kb_ktree_sym(t, "NOT_A_SYMBOL") == NULL);
	CHECK(kb_ktree_sym(t, "STILL_HELP") == NULL);
	CHECK(kb_ktree_sym(t, "X") == NULL);
	CHECK_STR(str(s->depends), "D"); /* less indented than the help: an attribute again */
	s = kb_ktree_sym(t, "B");
	CHECK(s->ndefaults == 1);
	CHECK(kb_ktree_sym(t, "C")->defined && kb_ktree_sym(t, "D")->defined);
	CHECK(kb_ktree_sym(t, "D")->line == 21);
	CHECK(t->nbad == 0);
	kb_ktree_free(t);
}

static void comments_continuations_and_strings_are_lexed(void)
{
	static const char text[] = "# a comment: config NOT_ME\n"
				   "config C  # trailing comment\n"
				   "\tbool \"has # and \\\"quotes\\\" and 'single'\" if A && \\\n"
				   "\t\tB\n"
				   "\tdepends on A || \\\n"
				   "\t\t   B # trailing\n"
				   "\tdefault 'x#y\\'z'\n"
				   "config AFTER\n"
				   "\tbool\n";
	struct kb_ktree *t = parse(text);
	const struct kb_ksym *s = kb_ktree_sym(t, "C");

	CHECK(kb_ktree_sym(t, "NOT_ME") == NULL);
	CHECK(s->has_prompt);
	CHECK_STR(str(s->depends), "A || B");
	CHECK_STR(s->defaults[0].value->text, "x#y'z");
	CHECK(kb_ktree_sym(t, "AFTER")->line == 8);
	CHECK(t->nbad == 0);
	kb_ktree_free(t);
}

static void macros_are_constants_and_assignments_are_skipped(void)
{
	static const char text[] = "quote := \"\n"
				   "squote := '\n"
				   "cc-opt = $(success,$(CC) -Werror $(1) -c -x c /dev/null)\n"
				   "flags += -x\n"
				   "config D\n"
				   "\tdef_bool $(cc-opt,-mfoo)\n"
				   "config E\n"
				   "\tbool\n"
				   "\tdepends on !$(success,true) && $(ARCH) != \"um\"\n";
	struct kb_ktree *t = parse(text);
	const struct kb_ksym *s = kb_ktree_sym(t, "D");

	CHECK(s->type == KB_KT_BOOL && s->ndefaults == 1);
	CHECK(s->defaults[0].value->is_const);
	CHECK_STR(str(s->defaults[0].value), "$(cc-opt,-mfoo)");
	CHECK(kb_kexpr_eval(t, s->defaults[0].value, val_fn, NULL) == KB_TRI_N);
	s = kb_ktree_sym(t, "E");
	CHECK_STR(str(s->depends), "!$(success,true) && $(ARCH)!=\"um\"");
	CHECK(kb_kexpr_eval(t, s->depends, val_fn, NULL) == KB_TRI_Y);
	CHECK(kb_ktree_sym(t, "quote") == NULL && kb_ktree_sym(t, "flags") == NULL);
	CHECK(t->nbad == 0);
	kb_ktree_free(t);
}

static void modules_attribute_and_option_mark_the_modules_symbol(void)
{
	static const char text[] = "menuconfig MODULES\n\tbool \"m\"\n\tmodules\n"
				   "config OLD\n\tbool\n\toption modules\n"
				   "config ENV\n\tstring\n\toption env=\"ARCH\"\n\ttransitional\n";
	struct kb_ktree *t = parse(text);

	CHECK(kb_ktree_sym(t, "MODULES")->is_modules);
	CHECK(kb_ktree_sym(t, "OLD")->is_modules);
	CHECK(!kb_ktree_sym(t, "ENV")->is_modules);
	kb_ktree_free(t);
}

static void tristate_logic_evaluates_as_kconfig(void)
{
	static const char *const m_y[] = { "T", "m", "B", "y", NULL };
	static const char *const m_n[] = { "T", "m", "B", "n", NULL };
	static const char *const strs[] = { "S", "y", "U", "y", "V", "foo", NULL };

	CHECK(eval_in("T", m_y) == KB_TRI_M);
	CHECK(eval_in("!T", m_y) == KB_TRI_M);
	CHECK(eval_in("T && B", m_y) == KB_TRI_M);
	CHECK(eval_in("T || B", m_y) == KB_TRI_Y);
	CHECK(eval_in("T || B", m_n) == KB_TRI_M);
	CHECK(eval_in("T && B", m_n) == KB_TRI_N);
	CHECK(eval_in("!B", NULL) == KB_TRI_Y); /* not in the .config: n */
	CHECK(eval_in("B", NULL) == KB_TRI_N);
	CHECK(eval_in("y", NULL) == KB_TRI_Y);
	CHECK(eval_in("m", NULL) == KB_TRI_M);
	CHECK(eval_in("n", NULL) == KB_TRI_N);
	CHECK(eval_in("\"y\"", NULL) == KB_TRI_Y);
	CHECK(eval_in("S", strs) == KB_TRI_N); /* a string symbol alone is n */
	CHECK(eval_in("U", strs) == KB_TRI_Y); /* an unknown symbol takes a y/m/n value */
	CHECK(eval_in("V", strs) == KB_TRI_N);
	CHECK(eval_in("1", NULL) == KB_TRI_N);
	CHECK(kb_kexpr_eval(NULL, NULL, val_fn, NULL) == KB_TRI_Y);
}

static void comparisons_compare_strings_and_numbers(void)
{
	static const char *const v[] = {
		"T",  "m", /* tristate */
		"S",  "foo", /* string */
		"I",  "11", /* int */
		"H",  "1f", /* hex */
		"J",  "-2", /* unknown */
		"K",  "0x10", /* unknown */
		"W",  "abc", /* unknown */
		NULL,
	};

	CHECK(eval_in("T = m", v) == KB_TRI_Y);
	CHECK(eval_in("T != y", v) == KB_TRI_Y);
	CHECK(eval_in("B = n", v) == KB_TRI_Y); /* an unset bool compares as "n" */
	CHECK(eval_in("B = \"\"", v) == KB_TRI_N);
	CHECK(eval_in("S = \"foo\"", v) == KB_TRI_Y);
	CHECK(eval_in("S != foo", v) == KB_TRI_Y); /* foo, an unknown symbol: "" */
	CHECK(eval_in("S2 = \"\"", v) == KB_TRI_Y); /* an unset non-tristate compares as "" */
	CHECK(eval_in("I > 10", v) == KB_TRI_Y); /* as numbers: "11" < "10" as strings */
	CHECK(eval_in("I <= 9", v) == KB_TRI_N);
	CHECK(eval_in("I = 11", v) == KB_TRI_Y);
	CHECK(eval_in("I = 011", v) == KB_TRI_Y); /* = compares numbers as numbers, as kconfig */
	CHECK(eval_in("K = 16", v) == KB_TRI_Y); /* 0x10 = 16 */
	CHECK(eval_in("K != 16", v) == KB_TRI_N);
	CHECK(eval_in("S = 0", v) == KB_TRI_N); /* a string side: compared as text */
	CHECK(eval_in("H >= 0x1F", v) == KB_TRI_Y); /* a hex symbol's value needs no 0x */
	CHECK(eval_in("H < 0x20", v) == KB_TRI_Y);
	CHECK(eval_in("J < -1", v) == KB_TRI_Y);
	CHECK(eval_in("J > -3", v) == KB_TRI_Y);
	CHECK(eval_in("K > 15", v) == KB_TRI_Y);
	CHECK(eval_in("W < 5", v) == KB_TRI_N); /* not numbers: "abc" > "5" */
	CHECK(eval_in("W > 5", v) == KB_TRI_Y);
	CHECK(eval_in("!(T = m) || S = \"foo\"", v) == KB_TRI_Y);
}

struct override {
	const char *name, *value;
};

static const char *override_fn(void *ctx, const char *name)
{
	const struct override *o = ctx;

	return !strcmp(o->name, name) ? o->value : NULL;
}

static void an_override_is_asked_first(void)
{
	static const char text[] = "config T\n\ttristate\nconfig B\n\tbool\n"
				   "config Z\n\tbool\n\tdepends on T && B\n";
	static const char *const v[] = { "T", "y", "B", "y", NULL };
	struct override o = { "T", "m" };
	struct kb_ktree *t = parse(text);
	const struct kb_kexpr *e = kb_ktree_sym(t, "Z")->depends;

	CHECK(kb_kexpr_eval(t, e, val_fn, (void *)v) == KB_TRI_Y);
	CHECK(kb_kexpr_eval_with(t, e, val_fn, (void *)v, override_fn, &o) == KB_TRI_M);
	o.name = "B";
	o.value = "n";
	CHECK(kb_kexpr_eval_with(t, e, val_fn, (void *)v, override_fn, &o) == KB_TRI_N);
	o.name = "NONE";
	CHECK(kb_kexpr_eval_with(t, e, val_fn, (void *)v, override_fn, &o) == KB_TRI_Y);
	kb_ktree_free(t);
}

static void printing_uses_minimal_parentheses_and_round_trips(void)
{
	static const char *const cases[][2] = {
		{ "A || B && C", "A || B && C" },
		{ "(A || B) && C", "(A || B) && C" },
		{ "A && (B || C) && D", "A && (B || C) && D" },
		{ "((A))", "A" },
		{ "!(A && B) || !C", "!(A && B) || !C" },
		{ "!A = y", "!(A=y)" },
		{ "!!A", "!!A" },
		{ "A != 0x10 && B <= -3 || C>D", "A!=0x10 && B<=-3 || C>D" },
		{ "S = \"a \\\"b\\\" \\\\ c\"", "S=\"a \\\"b\\\" \\\\ c\"" },
		{ "S = 'a\"b'", "S=\"a\\\"b\"" },
		{ "A || (B || C)", "A || B || C" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *once = xstrdup(reprint(cases[i][0]));

		CHECK_STR(once, cases[i][1]);
		CHECK_STR(reprint(once), once);
		free(once);
	}
}

static int bad_count(const char *text)
{
	struct kb_ktree *t = parse(text);
	int n = (int)t->nbad;

	kb_ktree_free(t);
	return n;
}

static void bad_expressions_are_dropped_and_counted(void)
{
	static const char text[] = "config A\n\tbool\n\tdepends on B &&\n\tdepends on C\n"
				   "\tdefault y if (\n"
				   "\tdefault ) if B\n"
				   "\tselect X if Y Z\n"
				   "\tselect Q if ||\n"
				   "\tdepends on D E\n"
				   "\tdepends on config\n"
				   "\tdepends on F := G\n";
	struct strbuf sb = STRBUF_INIT;
	struct kb_ktree *t = parse(text);
	const struct kb_ksym *s = kb_ktree_sym(t, "A");
	int i;

	CHECK_STR(str(s->depends), "C");
	CHECK(s->ndefaults == 1 && s->defaults[0].cond == NULL);
	/* a select whose condition is bad stays, unconditional */
	CHECK(s->nselects == 2 && !s->selects[0].cond && !s->selects[1].cond);
	CHECK_STR(t->syms[s->selects[0].sym].name, "X");
	CHECK_STR(t->syms[s->selects[1].sym].name, "Q");
	CHECK(t->nbad == 8);
	kb_ktree_free(t);

	/* 1000 nested parentheses and 300 '!' are refused, 150 are fine */
	strbuf_addstr(&sb, "config A\n\tbool\n\tdepends on ");
	strbuf_addchars(&sb, '(', 1000);
	strbuf_addch(&sb, 'B');
	strbuf_addchars(&sb, ')', 1000);
	strbuf_addstr(&sb, "\n\tdepends on ");
	strbuf_addchars(&sb, '!', 300);
	strbuf_addstr(&sb, "C\n\tdepends on ");
	strbuf_addchars(&sb, '(', 150);
	strbuf_addch(&sb, 'D');
	strbuf_addchars(&sb, ')', 150);
	strbuf_addch(&sb, '\n');
	t = parse(sb.buf);
	CHECK(t->nbad == 2);
	CHECK_STR(str(kb_ktree_sym(t, "A")->depends), "D");
	kb_ktree_free(t);

	/* a chain of 500 || is too deep to keep; 100 is not */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "config A\n\tbool\n\tdepends on A0");
	for (i = 1; i < 500; i++)
		strbuf_addf(&sb, " || A%d", i);
	strbuf_addstr(&sb, "\nconfig B\n\tbool\n\tdepends on A0");
	for (i = 1; i < 100; i++)
		strbuf_addf(&sb, " || A%d", i);
	strbuf_addch(&sb, '\n');
	CHECK(bad_count(sb.buf) == 1);

	/* 5000 nested ifs and definitions: dependencies stop growing, nothing overflows */
	strbuf_reset(&sb);
	for (i = 0; i < 5000; i++)
		strbuf_addf(&sb, "if I%d\nconfig X\n\tbool\n\tdepends on D%d\n", i, i);
	t = parse(sb.buf);
	CHECK(t->nbad > 0);
	CHECK(kb_kexpr_eval(t, kb_ktree_sym(t, "X")->depends, val_fn, NULL) == KB_TRI_N);
	strbuf_reset(&sb);
	kb_kexpr_print(kb_ktree_sym(t, "X")->depends, &sb);
	CHECK(sb.len > 0);
	kb_ktree_free(t);
	strbuf_release(&sb);
}

static void parse_counts_sources_without_following_them(void)
{
	static const char text[] = "source \"foo/Kconfig\"\nrsource \"bar/Kconfig\"\n"
				   "osource \"$(X)/Kconfig\"\norsource \"*/Kconfig\"\nsource\n";
	struct kb_ktree *t = parse(text);

	CHECK(t->nskipped == 4 && t->nfiles == 1);
	kb_ktree_free(t);
}

static void garbage_does_not_crash(void)
{
	static const char *const texts[] = {
		"",
		"\n\n\n",
		"config",
		"config\n",
		"config A",
		"config A\n\tbool \"unterminated",
		"config A\n\tdepends on (((",
		"config A\n\tdepends",
		"config A\n\tselect",
		"config A\n\thelp",
		"config A\n\thelp\n",
		"endif\nendmenu\nendchoice\n",
		"choice\nconfig A\nendif\nendchoice\n",
		"if\n",
		"$(\n",
		"config A\n\tdefault $(foo\n",
		"\\",
		"config A \\",
		"#",
		"\"",
		"'\\",
		"x =",
		"menu\n\tdepends on A\n\tvisible\n",
		"config A\n\trange\n\trange 1\n\tprompt\n\tprompt \"x\" junk\n",
		"\r\nconfig A\r\n\tbool\r\n\thelp\r\n\t  x\r\n\r\n",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		struct kb_ktree *t = NULL;
		size_t len = strlen(texts[i]);
		char *copy = xmalloc(len ? len : 1); /* exact size: no NUL after the text */

		memcpy(copy, texts[i], len);
		CHECK(!kb_ktree_parse(&t, "garbage", copy, len) && t);
		kb_ktree_free(t);
		free(copy);
	}
	/* NUL bytes inside strings and words */
	{
		static const char nul[] = "config A\n\tdefault \"a\0b\"\n\tdepends on B\0C\n";
		struct kb_ktree *t = NULL;

		CHECK(!kb_ktree_parse(&t, "nul", nul, sizeof(nul) - 1));
		CHECK_STR(kb_ktree_sym(t, "A")->defaults[0].value->text, "ab");
		kb_ktree_free(t);
	}
}

/* --- reading a tree from disk ------------------------------------------------------ */

static void put(const char *tree, const char *rel, const char *text)
{
	struct strbuf path = STRBUF_INIT;
	char *slash;
	FILE *f;

	strbuf_addf(&path, "%s/%s", tree, rel);
	for (slash = strchr(path.buf + strlen(tree) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path.buf, 0755);
		*slash = '/';
	}
	f = fopen(path.buf, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	strbuf_release(&path);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void read_follows_sources_as_kconfig_does(void)
{
	char tmpl[] = "/tmp/kb-kconfig-XXXXXX";
	char *tree = mkdtemp(tmpl);
	struct strbuf sb = STRBUF_INIT;
	struct kb_ktree *t = NULL;
	const struct kb_ksym *s;

	CHECK(tree != NULL);
	if (!tree)
		return;
	put(tree, "Kconfig",
	    "mainmenu \"test\"\n"
	    "source \"arch/$(SRCARCH)/Kconfig\"\n"
	    "source \"fs/Kconfig\"\n"
	    "osource \"missing/Kconfig\"\n"
	    "source \"$(UNKNOWN)/Kconfig\"\n"
	    "if BLOCK\n"
	    "source \"drivers/*/Kconfig\"\n"
	    "endif\n"
	    "config LAST\n\tbool\n");
	put(tree, "arch/foo/Kconfig", "config ARCH_FOO\n\tdef_bool y\nrsource \"sub/Kconfig\"\n");
	put(tree, "arch/foo/sub/Kconfig",
	    "config SUB\n\tbool\norsource \"nothere/Kconfig\"\n"
	    "source \"$(srctree)/lib/Kconfig\"\nrsource \"../../../lib/Kconfig.more\"\n");
	put(tree, "fs/Kconfig", "config EXT4_FS\n\ttristate \"ext4\"\n\tselect CRC32\n");
	put(tree, "lib/Kconfig", "config CRC32\n\ttristate\n");
	put(tree, "lib/Kconfig.more", "config MORE\n\tbool\n");
	put(tree, "drivers/a/Kconfig", "config DA\n\tbool\n");
	put(tree, "drivers/b/Kconfig", "config DB\n\tbool\n\tdepends on PCI\n");

	strbuf_addf(&sb, "%s/", tree); /* a trailing '/' is fine */
	CHECK(!kb_ktree_read(&t, sb.buf, "foo"));
	if (t) {
		CHECK(t->nfiles == 8);
		CHECK(t->nskipped == 3);
		CHECK(t->nbad == 0);
		CHECK_STR(kb_ktree_sym(t, "ARCH_FOO")->file, "arch/foo/Kconfig");
		CHECK_STR(kb_ktree_sym(t, "SUB")->file, "arch/foo/sub/Kconfig");
		CHECK_STR(kb_ktree_sym(t, "CRC32")->file, "lib/Kconfig");
		CHECK_STR(kb_ktree_sym(t, "MORE")->file, "lib/Kconfig.more");
		s = kb_ktree_sym(t, "CRC32");
		CHECK(s->nselected_by == 1);
		CHECK_STR(s->selected_by[0].file, "fs/Kconfig");
		CHECK_STR(str(kb_ktree_sym(t, "DA")->depends), "BLOCK");
		CHECK_STR(str(kb_ktree_sym(t, "DB")->depends), "BLOCK && PCI");
		CHECK_STR(kb_ktree_sym(t, "DB")->file, "drivers/b/Kconfig");
		CHECK(kb_ktree_sym(t, "LAST")->depends == NULL);
		kb_ktree_free(t);
	}

	/* a missing source is an error that names the file and line */
	put(tree, "Kconfig", "config A\n\tbool\n\nsource \"nope/Kconfig\"\n");
	t = (struct kb_ktree *)1;
	CHECK(kb_ktree_read(&t, tree, "foo") == KB_ERR && t == NULL);
	CHECK_STR(kb_error_last(), "Kconfig:4: source \"nope/Kconfig\": no such file");

	/* so is a file that sources itself */
	put(tree, "Kconfig", "rsource \"Kconfig\"\n");
	CHECK(kb_ktree_read(&t, tree, "foo") == KB_ERR);
	CHECK(strstr(kb_error_last(), "nested deeper than 64") != NULL);

	/* and a tree without a Kconfig */
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/Kconfig", tree);
	remove(sb.buf);
	CHECK(kb_ktree_read(&t, tree, "foo") == KB_ERR);
	strbuf_addstr(&sb, ": no such file");
	CHECK_STR(kb_error_last(), sb.buf);

	nftw(tree, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	strbuf_release(&sb);
}

/* With KB_REAL_LINUX=<a Linux 6.1 source tree>, its x86 Kconfig as the kernel reads it. */
static void a_real_tree_reads_fast_and_whole(void)
{
	const char *tree = getenv("KB_REAL_LINUX");
	struct timespec a, b;
	struct kb_ktree *t = NULL;
	const struct kb_ksym *s;
	double secs;
	size_t i;
	int found = 0;

	if (!tree || !*tree) {
		printf("test_kconfig_tree: note: real-tree case skipped; set KB_REAL_LINUX to a "
		       "Linux 6.1 source tree to run it\n");
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK(!kb_ktree_read(&t, tree, "x86"));
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (!t) {
		fprintf(stderr, "%s\n", kb_error_last());
		return;
	}
	secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("test_kconfig_tree: %s: %zu files, %zu names, %zu skipped, %zu bad, %.3f s\n", tree,
	       t->nfiles, (size_t)t->names.nr, t->nskipped, t->nbad, secs);
	CHECK(secs < 5.0);
	CHECK(t->nfiles > 1000);
	CHECK(t->names.nr > 15000);
	CHECK(t->nbad == 0);
	CHECK(t->nskipped == 0);

	s = kb_ktree_sym(t, "EXT4_FS");
	CHECK(s && s->type == KB_KT_TRISTATE && s->has_prompt);
	CHECK_STR(s->file, "fs/ext4/Kconfig");
	CHECK_STR(str(s->depends), "BLOCK");
	CHECK(s->nselected_by == 1);
	CHECK_STR(t->syms[s->selected_by[0].sym].name, "EXT3_FS");

	s = kb_ktree_sym(t, "CRC32");
	CHECK(s && s->type == KB_KT_TRISTATE && s->depends == NULL);
	for (i = 0; s && i < s->nselected_by; i++) {
		const struct kb_kref *r = &s->selected_by[i];

		if (!strcmp(t->syms[r->sym].name, "ZONEFS_FS") &&
		    !strcmp(r->file, "fs/zonefs/Kconfig") && r->line == 6)
			found |= 1;
		if (!strcmp(t->syms[r->sym].name, "TUN") && r->line == 363)
			found |= 2;
	}
	CHECK(found == 3);

	CHECK(kb_ktree_sym(t, "MODULES")->is_modules);
	CHECK(kb_ktree_sym(t, "HZ_250")->in_choice);
	CHECK_STR(str(kb_ktree_sym(t, "X86_EXTENDED_PLATFORM")->depends), "X86_32 || X86_64");
	CHECK_STR(str(kb_ktree_sym(t, "64BIT")->defaults[0].value), "$(ARCH)!=\"i386\"");
	kb_ktree_free(t);
}

/* A prompt is visible where its definition's blocks, its `depends on` and its own `if` hold;
 * the OR over definitions, as net/ipv4/Kconfig's TCP_CONG_CUBIC (a prompt inside `if
 * TCP_CONG_ADVANCED`, and a second, prompt-less definition defaulting to y). */
static void prompt_visibility_is_kept_per_definition(void)
{
	static const char text[] = "menuconfig ADV\n"
				   "\tbool \"advanced\"\n"
				   "if ADV\n"
				   "config CUBIC\n"
				   "\ttristate \"cubic\"\n"
				   "\tdefault y\n"
				   "endif\n"
				   "config CUBIC\n"
				   "\ttristate\n"
				   "\tdepends on !ADV\n"
				   "\tdefault y\n"
				   "config P\n"
				   "\ttristate \"p\" if A\n"
				   "\tdepends on B\n"
				   "config Q\n"
				   "\tbool\n"
				   "\tprompt \"q\" if A || C\n"
				   "config Q\n"
				   "\tbool \"q again\"\n"
				   "\tdepends on D\n"
				   "config R\n"
				   "\ttristate \"r\"\n"
				   "config R\n"
				   "\ttristate \"r\" if E\n";
	struct kb_ktree *t = parse(text);
	const struct kb_ksym *s;

	s = kb_ktree_sym(t, "CUBIC");
	CHECK(s->has_prompt);
	CHECK_STR(str(s->prompt_dep), "ADV");
	CHECK_STR(str(s->depends), "ADV || !ADV");
	s = kb_ktree_sym(t, "P");
	CHECK_STR(str(s->prompt_dep), "B && A");
	s = kb_ktree_sym(t, "Q");
	CHECK_STR(str(s->prompt_dep), "A || C || D");
	s = kb_ktree_sym(t, "R"); /* one prompt always visible: always */
	CHECK(s->has_prompt && s->prompt_dep == NULL);
	s = kb_ktree_sym(t, "ADV");
	CHECK(s->has_prompt && s->prompt_dep == NULL);
	CHECK(t->nbad == 0);
	kb_ktree_free(t);
}

int main(void)
{
	types_prompts_and_defaults_are_read();
	dependencies_are_inherited_from_blocks();
	several_definitions_or_their_dependencies();
	selects_and_implies_have_reverse_lists();
	help_text_is_skipped_by_its_indentation();
	comments_continuations_and_strings_are_lexed();
	prompt_visibility_is_kept_per_definition();
	macros_are_constants_and_assignments_are_skipped();
	modules_attribute_and_option_mark_the_modules_symbol();
	tristate_logic_evaluates_as_kconfig();
	comparisons_compare_strings_and_numbers();
	an_override_is_asked_first();
	printing_uses_minimal_parentheses_and_round_trips();
	bad_expressions_are_dropped_and_counted();
	parse_counts_sources_without_following_them();
	garbage_does_not_crash();
	read_follows_sources_as_kconfig_does();
	a_real_tree_reads_fast_and_whole();
	return check_done("test_kconfig_tree");
}
