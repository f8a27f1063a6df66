/*
 * bom.h - a bloat-o-meter block (analyzer/bloatometer.h) written as the kernel's
 * scripts/bloat-o-meter prints it, byte for byte, and as JSON. diff and show write it.
 */
#ifndef KB_REPORT_BOM_H
#define KB_REPORT_BOM_H

#include "bloatometer.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

/* bloat-o-meter's text of one block ("Function", "Data", ...) */
void kb_bom_write_text(FILE *f, const struct kb_bom *b, const char *title);
json_t *kb_bom_json(const struct kb_bom *b, const char *title);
/* The rows of kb_bom_json (the symbols that changed), for report/table.h. */
json_t *kb_bom_rows_json(const struct kb_bom *b);
/* (after - before) * 100 / before, as bloat-o-meter computes its "chg" */
double kb_change_percent(uint64_t before, uint64_t after);

#endif
