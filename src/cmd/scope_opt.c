/*
 * scope_opt.c - the scope options the store's commands share.
 */
#include "kbloat.h"

#include "image.h"
#include "query.h"

int kb_scope_opt(struct kb_scope *sc, int c, const char *arg)
{
	switch (c) {
	case 's':
		sc->subsystem = arg;
		return 1;
	case 'p':
		sc->path = arg;
		return 1;
	case 'y':
		sc->symbol = arg;
		return 1;
	case 'k':
		sc->cls = kb_class_parse(arg);
		if (sc->cls >= 0)
			return 1;
		kb_errorf("--class %s: not one of text, rodata, data, bss, init, percpu, other",
			  arg);
		return -1;
	default:
		return 0;
	}
}

int kb_scope_check(const struct kb_scope *sc)
{
	if (!!sc->subsystem + !!sc->path + !!sc->symbol <= 1)
		return 0;
	kb_errorf("--subsystem, --path and --symbol exclude each other");
	return -1;
}
