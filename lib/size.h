/*
 * size.h - byte counts as people write them: 40960, 40K, 40KB, 40KiB, 1.5M, 2G. K, M and G
 * are binary (1024-based) whichever spelling is used, as the kernel's own sizes are.
 */
#ifndef KB_SIZE_H
#define KB_SIZE_H

#include <stdint.h>

/* The largest size: sizes are summed and subtracted as int64_t (deltas, headroom). */
#define KB_SIZE_MAX ((uint64_t)INT64_MAX)

/* a + b, at most KB_SIZE_MAX: for sums of sizes read from outside (a budget's classes, a
 * modules.builtin.ranges file) that must never wrap, whatever the input says. */
uint64_t kb_size_add(uint64_t a, uint64_t b);

/* Parses s into *out exactly; returns 0, -1 if s is not a size (negative, junk) or -2 if it
 * is one above KB_SIZE_MAX. */
int kb_parse_size(const char *s, uint64_t *out);

#endif
