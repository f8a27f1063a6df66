/*
 * record.h - turning an analyzed image into what the store keeps: its items (the
 * breakdown's rows and bloat-o-meter's entries) and its .config options.
 */
#ifndef KB_RECORD_H
#define KB_RECORD_H

#include "analysis.h"
#include "store.h"
#include "util/strbuf.h"

void kb_itemset_from_analysis(struct kb_itemset *set, const struct kb_analysis *a);
/* The set options of a .config, sorted, one "CONFIG_X=v" per line. Errors name the file. */
int kb_read_dotconfig(const char *path, struct strbuf *out);

#endif
