/*
 * kversion.h - which Linux version an image or a source tree is, as far as it matters to
 * kbloat: the major and minor number (6.12), from the image's linux_banner ("Linux version
 * 6.12.48+deb13-amd64 ...", init/version.c puts it in .rodata) or from the tree's Makefile
 * (VERSION = 6, PATCHLEVEL = 12). scripts/bloat-o-meter changed with the kernel, and
 * `kbloat diff` follows the script of the version it is given or finds here.
 */
#ifndef KB_KVERSION_H
#define KB_KVERSION_H

#include <stddef.h>

struct kb_image;

/* A version as one ordered number: KB_KVER(6, 12) > KB_KVER(6, 6). */
#define KB_KVER(major, minor) ((unsigned)(major) << 16 | (unsigned)(minor))
#define KB_KVER_MAJOR(v) ((v) >> 16)
#define KB_KVER_MINOR(v) ((v)&0xffff)

/*
 * Parses "6.12", "6.12.3" or "6.12.0-rc1+" (what follows the minor number is ignored).
 * Returns 0, or KB_ERR with a message naming s, for anything that does not start with
 * MAJOR.MINOR (each at most 4 digits).
 */
int kb_kver_parse(unsigned *out, const char *s);

/*
 * The version in img's linux_banner: 0 and *out set; 1 if img has no linux_banner symbol
 * whose bytes start "Linux version MAJOR.MINOR" (not a kernel, or a stripped one).
 */
int kb_kver_of_image(unsigned *out, const struct kb_image *img);

/*
 * The version of the kernel tree at dir, from dir/Makefile's VERSION and PATCHLEVEL.
 * Returns 0, or KB_ERR with a message naming the Makefile (missing, or without both).
 */
int kb_kver_of_tree(unsigned *out, const char *dir);

/* Parses Makefile text (not NUL-terminated): 0, or 1 without VERSION and PATCHLEVEL. */
int kb_kver_of_makefile(unsigned *out, const char *text, size_t len);

#endif
