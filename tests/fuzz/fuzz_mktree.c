/*
 * fuzz_mktree.c - libFuzzer target for the kbuild Makefile reader: the input is the Makefile
 * of a few directories of a tree that has no other files (so no file system is touched);
 * fixed objects and one made of the input's own bytes are resolved, with and without a
 * .config, and every answer must be sane (resolved chains end at the top, steps bounded and
 * filled in, options NULL or non-empty) and the same when asked twice. Nothing may crash,
 * leak or read past the input, which is copied to an exact-size buffer so the sanitizer sees
 * any overrun.
 */
#include "mktree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const dirs[] = { "", "fs", "fs/ext4", "arch/x86", "arch/x86/kernel" };

static const char *const objects[] = {
	"fs/ext4/inode.o",
	"fs/ext4/ext4.o",
	"fs/open.o",
	"fs/ext4/",
	"arch/x86/kernel/head_64.o",
	"a.o",
	"lib/lib.a(sort.o)",
	"",
	"/",
	"fs//x.o",
};

static const char *config_val(void *ctx, const char *name)
{
	(void)ctx;
	if (!strcmp(name, "EXT4_FS") || !strcmp(name, "X86_64"))
		return "y";
	if (!strcmp(name, "M"))
		return "m";
	if (!strcmp(name, "X86_32"))
		return "n";
	return NULL;
}

static void check_origin(const struct kb_origin *o)
{
	size_t i;

	if (!o->object || o->nsteps > 1024 || (o->nsteps && !o->steps))
		abort();
	if (o->resolved ? o->why != NULL : o->why == NULL || !*o->why)
		abort();
	for (i = 0; i < o->nsteps; i++) {
		const struct kb_step *s = &o->steps[i];

		if (s->kind > KB_STEP_COND || (s->option && !*s->option) || !s->list || !s->name ||
		    !s->file)
			abort();
	}
	if (!o->resolved)
		return;
	/* a resolved chain starts with a link and its last link is in a top list */
	if (!o->nsteps || o->steps[0].kind == KB_STEP_COND)
		abort();
	for (i = o->nsteps; i-- > 0 && o->steps[i].kind == KB_STEP_COND;)
		;
	if (!(o->steps[i].flags & KB_STEP_TOP))
		abort();
}

static void resolve_twice(struct kb_mktree *t, const char *object)
{
	struct kb_origin a, b;

	kb_mktree_resolve(t, object, &a);
	check_origin(&a);
	kb_mktree_resolve(t, object, &b);
	if (a.resolved != b.resolved || a.nsteps != b.nsteps ||
	    (a.nsteps && memcmp(a.steps, b.steps, a.nsteps * sizeof(*a.steps))))
		abort();
}

static void run(const char *text, size_t size, const char *own, kb_kval_fn val)
{
	struct kb_mktree *t;
	size_t i;

	if (kb_mktree_open(&t, NULL, "x86", val, NULL))
		abort();
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		kb_mktree_add(t, dirs[i], text, size);
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		resolve_twice(t, objects[i]);
	resolve_twice(t, own);
	kb_mktree_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	char own[8 + 64 + 1];
	size_t i, n;

	memcpy(text, data, size);
	/* the input's last word-ish bytes as an object under fs/ext4 */
	n = size < 64 ? size : 64;
	memcpy(own, "fs/ext4/", 8);
	for (i = 0; i < n; i++) {
		char c = (char)data[size - n + i];

		own[8 + i] = c && c != '\n' ? c : '_';
	}
	own[8 + n] = '\0';
	run(text, size, own, NULL);
	run(text, size, own, config_val);
	free(text);
	return 0;
}
