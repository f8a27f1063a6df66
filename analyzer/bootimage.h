/*
 * bootimage.h - what a kernel build makes besides vmlinux, measured: the boot image kbuild
 * builds by default for the arch (x86 bzImage, arm64 Image.gz, riscv Image or Image.gz) and
 * the modules (`make modules`).
 *
 * Boot image: bytes is the file's size, what must fit a flash partition or an EFI system
 * partition. payload is the compressed kernel inside it, the part that vmlinux's size and
 * CONFIG_KERNEL_{GZIP,XZ,ZSTD,...} decide: for a bzImage its setup header's payload_length
 * (boot protocol 2.08 and later), the rest being the real-mode setup and the decompressor;
 * for an image that is itself a gzip/xz/zstd stream (Image.gz) the whole file; for an
 * uncompressed Image there is none.
 *
 * Modules: every module modules.order names (so a .ko left over from an earlier build of
 * the directory is not counted), each read as an image (.ko, .ko.xz, .ko.zst), their
 * allocated sections summed per class, as the image's own classes are.
 */
#ifndef KB_BOOTIMAGE_H
#define KB_BOOTIMAGE_H

#include "image.h"

#include <stdint.h>

struct kb_boot_image {
	uint64_t bytes;
	int has_payload;
	uint64_t payload;
	const char *kind; /* "bzImage", "gzip", "xz", "zstd", "raw": a static string */
};

/* Measures the boot image at path. Errors name the file (a bzImage whose payload lies past
 * its end is one). */
int kb_boot_image_read(struct kb_boot_image *out, const char *path);

struct kb_modules_sum {
	uint64_t count; /* modules */
	uint64_t total; /* allocated bytes: the classes' sum */
	uint64_t cls[KB_CLS_NR];
};

/*
 * Sums the modules obj_dir/modules.order names: "drivers/net/dummy.o" (Linux 6.2 on) or
 * "kernel/drivers/net/dummy.ko" (earlier), each found as obj_dir/drivers/net/dummy.ko (or
 * .ko.xz, .ko.zst, .ko.gz). KB_ENOTFOUND if there is no modules.order; errors (a module
 * named but missing, one that does not read) name the file.
 */
int kb_modules_sum(struct kb_modules_sum *out, const char *obj_dir);

#endif
