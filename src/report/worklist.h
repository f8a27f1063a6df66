/*
 * worklist.h - the modular analysis (analyzer/modular.h: the typed model, built once) written
 * as the worklist of what could leave the kernel proper, as text or JSON. Each list is
 * grouped by option, directory or subsystem, largest first.
 */
#ifndef KB_REPORT_WORKLIST_H
#define KB_REPORT_WORKLIST_H

#include "modular.h"

#include <jansson.h>
#include <stdio.h>

enum kb_worklist_by { KB_WORKLIST_BY_OPTION, KB_WORKLIST_BY_DIR, KB_WORKLIST_BY_SUBSYSTEM };

struct kb_worklist_opts {
	enum kb_worklist_by by;
	long top; /* rows per list in text; 0: all */
};

void kb_worklist_write_text(FILE *f, const struct kb_modular *m, const struct kb_worklist_opts *o);
/*
 * The config fragment that makes (1) so: CONFIG_MODULES=y and every tristate at y the
 * analysis takes to m (m->to_m), sorted; merged into the build's .config and run through
 * olddefconfig, it gives the kernel "with every (1) a module" predicts.
 */
void kb_worklist_write_fragment(FILE *f, const struct kb_modular *m);
/* The whole model: the sums, each list, and every object with its Makefile chain. */
json_t *kb_worklist_json(const struct kb_modular *m, const struct kb_worklist_opts *o);
/* Every object with its category and Makefile chain (the JSON's objects), for
 * report/table.h. */
json_t *kb_worklist_table(const struct kb_modular *m);

#endif
