/*
 * subsystems.h - roll-ups the reports share: a build's bytes per MAINTAINERS subsystem, and
 * dates as the reports print them.
 */
#ifndef KB_SUBSYSTEMS_H
#define KB_SUBSYSTEMS_H

#include "query.h"
#include "store.h"
#include "strtab.h"

#include <stdint.h>

/*
 * Adds a build's breakdown bytes (its item sizes z, items it) per subsystem into sums, at
 * the id names gives each subsystem ("[no subsystem]" for rows without one); sums grows
 * (*alloc entries, zeroed) as names does.
 */
#define KB_NO_SUBSYSTEM "[no subsystem]"
void kb_subsystem_sums(const struct kb_items *it, const struct kb_sizes *z, struct kb_strtab *names,
		       uint64_t **sums, size_t *alloc);

/* The ids of names, largest sums first (n sums; ids past them count 0), ties by name; the
 * caller frees the array. */
uint32_t *kb_subsystems_by_size(const struct kb_strtab *names, const uint64_t *sums, size_t n);

/* Formats a time as YYYY-MM-DD (UTC) into buf (at least 11 bytes). */
void kb_format_date(int64_t t, char *buf);

#endif
