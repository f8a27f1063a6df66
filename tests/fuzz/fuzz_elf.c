/*
 * fuzz_elf.c - libFuzzer target for the ELF reader: any bytes opened as an image, then
 * broken down and diffed against themselves. Must never crash, leak or read out of bounds,
 * and a breakdown that builds must sum to the image total.
 */
#include "bloatometer.h"
#include "breakdown.h"
#include "image.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct kb_image *img;
	struct kb_breakdown *bd;
	struct kb_bom b;
	void *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	if (kb_image_open_mem(&img, "fuzz", copy, size) == 0) {
		if (kb_breakdown_build(&bd, img) == 0) {
			kb_breakdown_finish(bd);
			if (bd->total != img->total)
				abort();
			kb_breakdown_free(bd);
		}
		kb_bom_compute(&b, img, img, KB_BOM_ALL);
		if (b.up || b.down)
			abort();
		kb_bom_release(&b);
		kb_image_free(img);
	}
	free(copy);
	return 0;
}
