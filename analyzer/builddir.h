/*
 * builddir.h - what an image argument names: an image file, or a kernel build directory
 * (kbuild's O=, or the tree itself for an in-tree build), whose vmlinux, vmlinux.map,
 * .config and source tree are found as kbuild leaves them.
 *
 * Promises:
 *  - A directory is taken for its vmlinux: one without a regular file vmlinux is an error
 *    naming the directory ("O: no vmlinux in this directory (...)").
 *  - The map of an image is IMAGE.map beside it (kbuild's vmlinux.map with
 *    CONFIG_VMLINUX_MAP), taken only when it is a regular file; map_found says it was found,
 *    not given.
 *  - The source tree of a build directory is, in this order: its `source` link (kbuild's
 *    outputmakefile makes it), the tree its generated Makefile includes ("include
 *    /path/Makefile", scripts/mkmakefile), or the directory itself when it holds Kconfig
 *    and Makefile (an in-tree build). None of these: src is NULL.
 *  - image and map are spelt from arg ("O/vmlinux", "O/vmlinux.map"), as messages and
 *    listings name them; obj and src are absolute (realpath). All are owned by the struct.
 */
#ifndef KB_BUILDDIR_H
#define KB_BUILDDIR_H

struct kb_input {
	char *image; /* the ELF image to read */
	char *obj; /* the build directory, NULL when the argument was an image file */
	char *map; /* the image's linker map, NULL: none beside it */
	char *config; /* obj/.config, NULL: none (or not a directory) */
	char *src; /* the source tree, NULL: not found */
	int is_dir; /* the argument was a directory */
};

/*
 * Fills in what arg (an image or a build directory) names; with no_map, the map is not
 * looked for. Returns 0 (the caller releases in with kb_input_release), or KB_ERR naming
 * arg, with in zeroed.
 */
int kb_input_find(struct kb_input *in, const char *arg, int no_map);
void kb_input_release(struct kb_input *in);

#endif
