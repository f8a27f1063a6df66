/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KB_LINE_HEADER_H
#define KB_LINE_HEADER_H

#include <stddef.h>
#include <stdint.h>

/*
 * Checks the header of the .debug_line unit at off in sec (len bytes, big-endian if msb) far
 * enough to say whether libdwarf can be asked for its file names: the header lies inside the
 * section, its version is 2 to 5, every entry format uses a form whose size is known, and
 * every file
 * entry's directory index names a directory the header has (DWARF 5: 0 to count - 1;
 * earlier: 0, the compilation directory, to count).
 *
 * Why kbloat reads this itself: Debian 12's libdwarf (20210528) looks up a file's directory
 * one past the end of its array when the index equals the count, and dwarf_srcfiles then
 * reads a wild pointer (found by fuzz-dwarf). Nothing else of the line table is parsed here;
 * libdwarf still reads it when this says yes.
 *
 * Returns 0 if the header is sound, else -1 (why, a static string, in *why if not NULL).
 */
int kb_line_header_check(const unsigned char *sec, size_t len, int msb, uint64_t off,
			 const char **why);

#endif
