/*
 * cmd_size.c - `kbloat size IMAGE...`: the Berkeley split exactly as binutils size(1)
 * prints it, then the kernel split by class. Each image's classes sum to its total, and its
 * total equals size's dec column. An archive is a row per member in both ("foo.o (ex
 * lib.a)", as size(1) names them); --json gives the archive's sums and its members.
 */
#include "kbloat.h"
#include "json.h"

#include "builddir.h"
#include "image.h"
#include "error.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The name size(1) gives a row: the file's path, or for an archive's member (path
 * "lib.a(foo.o)") "foo.o (ex lib.a)"; archive is the archive holding img, or NULL.
 */
static void print_name(const struct kb_image *img, const struct kb_image *archive)
{
	size_t n = archive ? strlen(archive->path) : 0, len = strlen(img->path);

	if (archive && len > n + 1 && !strncmp(img->path, archive->path, n) &&
	    img->path[n] == '(' && img->path[len - 1] == ')')
		printf("%.*s (ex %s)\n", (int)(len - n - 2), img->path + n + 1, archive->path);
	else
		printf("%s\n", img->path);
}

/* each row: an image, or each member of an archive in the archive's order (as size(1)) */
static void each_row(struct kb_image **imgs, int n,
		     void (*row)(const struct kb_image *img, const struct kb_image *archive))
{
	size_t j;
	int i;

	for (i = 0; i < n; i++) {
		if (!imgs[i]->nmembers)
			row(imgs[i], NULL);
		for (j = 0; j < imgs[i]->nmembers; j++)
			row(imgs[i]->members[j], imgs[i]);
	}
}

static void berkeley_row(const struct kb_image *img, const struct kb_image *archive)
{
	const uint64_t *b = img->berkeley;
	uint64_t dec = b[KB_BK_TEXT] + b[KB_BK_DATA] + b[KB_BK_BSS];

	printf("%7llu\t%7llu\t%7llu\t%7llu\t%7llx\t", (unsigned long long)b[KB_BK_TEXT],
	       (unsigned long long)b[KB_BK_DATA], (unsigned long long)b[KB_BK_BSS],
	       (unsigned long long)dec, (unsigned long long)dec);
	print_name(img, archive);
}

static void classes_row(const struct kb_image *img, const struct kb_image *archive)
{
	int c;

	for (c = 0; c < KB_CLS_NR; c++)
		printf("%10llu", (unsigned long long)img->cls_size[c]);
	printf("%11llu  ", (unsigned long long)img->total);
	print_name(img, archive);
}

static void print_berkeley(struct kb_image **imgs, int n)
{
	printf("   text\t   data\t    bss\t    dec\t    hex\tfilename\n");
	each_row(imgs, n, berkeley_row);
}

static void print_classes(struct kb_image **imgs, int n)
{
	int c;

	putchar('\n');
	for (c = 0; c < KB_CLS_NR; c++)
		printf("%10s", kb_class_name(c));
	printf("%11s  filename\n", "total");
	each_row(imgs, n, classes_row);
}

static json_t *image_json(const struct kb_image *img)
{
	json_t *o = json_object(), *bk = json_object();
	json_t *secs = json_array();
	size_t i;

	json_object_set_new(o, "file", kb_json_str(img->path));
	json_object_set_new(bk, "text", kb_json_u64(img->berkeley[KB_BK_TEXT]));
	json_object_set_new(bk, "data", kb_json_u64(img->berkeley[KB_BK_DATA]));
	json_object_set_new(bk, "bss", kb_json_u64(img->berkeley[KB_BK_BSS]));
	json_object_set_new(bk, "dec", kb_json_u64(img->total));
	json_object_set_new(o, "berkeley", bk);
	json_object_set_new(o, "classes", kb_json_classes(img->cls_size));
	json_object_set_new(o, "total", kb_json_u64(img->total));
	for (i = 1; i < img->nsecs; i++) {
		const struct kb_section *s = &img->secs[i];
		json_t *js;

		if (!s->alloc)
			continue;
		js = json_object();
		json_object_set_new(js, "name", kb_json_str(s->name));
		json_object_set_new(js, "class", json_string(kb_class_name(s->cls)));
		json_object_set_new(js, "addr", kb_json_addr(s->addr));
		json_object_set_new(js, "size", kb_json_u64(s->size));
		json_array_append_new(secs, js);
	}
	json_object_set_new(o, "sections", secs);
	/* an archive: each member as an image of its own ("lib.a(foo.o)"), in the archive's
	 * order, as binutils size lists them; the archive's sums are theirs */
	if (img->nmembers) {
		json_t *members = json_array();

		for (i = 0; i < img->nmembers; i++)
			json_array_append_new(members, image_json(img->members[i]));
		json_object_set_new(o, "members", members);
	}
	return o;
}

static int json;

static const struct kb_option options[] = {
	KB_OPT_SET_INT(0, "json", &json, KB_FMT_JSON,
		       "one object per image: Berkeley split, classes and allocated sections (an "
		       "archive's members each one of its own)"),
	KB_OPT_FORMAT(&json),
	KB_OPT_END(),
};

static int run(struct kb_ctx *ctx, int n, const char **argv)
{
	struct kb_image **imgs;
	int i, rc = KB_EXIT_OK;

	(void)ctx;
	imgs = xcalloc((size_t)n, sizeof(*imgs));
	for (i = 0; i < n; i++) {
		struct kb_input in;

		/* a build directory is its vmlinux; size reads no map */
		if (kb_input_find(&in, argv[i], 1)) {
			rc = kb_report_error();
			goto out;
		}
		if (kb_image_open(&imgs[i], in.image)) {
			kb_input_release(&in);
			rc = kb_report_error();
			goto out;
		}
		kb_input_release(&in);
	}
	if (json) {
		json_t *arr = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(arr, image_json(imgs[i]));
		if (json == KB_FMT_JSON)
			rc = kb_json_print(json_pack("{s:o}", "images", arr));
		else /* a row per image, its sections a list */
			rc = kb_table_print(arr, json);
	} else {
		print_berkeley(imgs, n);
		print_classes(imgs, n);
	}
out:
	for (i = 0; i < n; i++)
		kb_image_free(imgs[i]);
	free(imgs);
	return rc;
}

const struct kb_command kb_cmd_size = {
	.name = "size",
	.summary = "Berkeley text/data/bss as size(1), then the kernel split",
	.usage = (const char *const[]){ "size [--json] [--format FMT] IMAGE|BUILD-DIR...", NULL },
	.options = options,
	.min_args = 1,
	.max_args = -1,
	.run = run,
};
