/*
 * bootimage.c - a boot image's size and its compressed payload's, and the modules' sums;
 * see bootimage.h. The bzImage layout is the x86 boot protocol's
 * (Documentation/arch/x86/boot.rst): the setup header at 0x1f1, "HdrS" at 0x202, the
 * protocol version at 0x206, payload_offset and payload_length at 0x248 and 0x24c (2.08 on),
 * the payload's offset counted from the protected-mode code, (setup_sects + 1) * 512 bytes in.
 */
#include "bootimage.h"

#include "decompress.h"
#include "error.h"
#include "files.h"
#include "size.h"
#include "strbuf.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* 1 if head (of a file of size bytes) is a bzImage's setup header; 0 if not; KB_ERR if it
 * is one whose payload does not fit the file. */
static int bzimage(struct kb_boot_image *out, const unsigned char *head, size_t n, uint64_t size,
		   const char *path)
{
	uint64_t setup, off, len;
	unsigned version;

	if (n < 0x250 || memcmp(head + 0x202, "HdrS", 4) || head[0x1fe] != 0x55 ||
	    head[0x1ff] != 0xaa)
		return 0;
	version = (unsigned)head[0x206] | (unsigned)head[0x207] << 8;
	out->kind = "bzImage";
	if (version < 0x208) /* no payload fields: the setup header is all we know */
		return 1;
	setup = ((uint64_t)(head[0x1f1] ? head[0x1f1] : 4) + 1) * 512;
	off = le32(head + 0x248);
	len = le32(head + 0x24c);
	if (setup + off + len > size)
		return kb_error_set("%s: corrupt bzImage: its payload (%llu bytes at %llu) ends "
				    "past the end of the file (%llu bytes)",
				    path, (unsigned long long)len,
				    (unsigned long long)(setup + off), (unsigned long long)size);
	out->has_payload = 1;
	out->payload = len;
	return 1;
}

int kb_boot_image_read(struct kb_boot_image *out, const char *path)
{
	unsigned char head[0x400];
	enum kb_compression c;
	struct stat st;
	ssize_t n;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	fd = kb_open_regular(path);
	if (fd < 0)
		return kb_error_set("%s: %s", path, kb_strerror(errno));
	if (fstat(fd, &st) || (n = pread(fd, head, sizeof(head), 0)) < 0) {
		rc = kb_error_set("%s: %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	close(fd);
	out->bytes = (uint64_t)st.st_size;
	rc = bzimage(out, head, (size_t)n, out->bytes, path);
	if (rc)
		return rc < 0 ? rc : 0;
	c = kb_compression_sniff(head, (size_t)n);
	out->kind = c == KB_COMP_NONE ? "raw" : kb_compression_name(c);
	if (c != KB_COMP_NONE) { /* Image.gz and the like: the file is the payload */
		out->has_payload = 1;
		out->payload = out->bytes;
	}
	return 0;
}

/* The module a modules.order line names, as a path under obj (without its suffix). */
static void module_stem(struct strbuf *out, const char *obj, const char *line, size_t len)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/", obj);
	if (len > 7 && !strncmp(line, "kernel/", 7)) { /* before 6.2: kernel/DIR/NAME.ko */
		line += 7;
		len -= 7;
	}
	if (len > 3 && !strncmp(line + len - 3, ".ko", 3))
		len -= 3;
	else if (len > 2 && !strncmp(line + len - 2, ".o", 2))
		len -= 2;
	strbuf_add(out, line, len);
}

static int add_module(struct kb_modules_sum *out, struct strbuf *path)
{
	static const char *const suffixes[] = { ".ko", ".ko.zst", ".ko.xz", ".ko.gz" };
	struct kb_image *img;
	size_t stem = path->len, i;
	int c;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		strbuf_setlen(path, stem);
		strbuf_addstr(path, suffixes[i]);
		if (!access(path->buf, F_OK))
			break;
	}
	if (i == sizeof(suffixes) / sizeof(suffixes[0])) {
		strbuf_setlen(path, stem);
		strbuf_addstr(path, ".ko");
		return kb_error_set("%s: named in modules.order but not built", path->buf);
	}
	if (kb_image_open(&img, path->buf))
		return KB_ERR;
	out->count++;
	for (c = 0; c < KB_CLS_NR; c++) /* each below 2^63; their sums held there too */
		out->cls[c] = kb_size_add(out->cls[c], img->cls_size[c]);
	out->total = kb_size_add(out->total, img->total);
	kb_image_free(img);
	return 0;
}

int kb_modules_sum(struct kb_modules_sum *out, const char *obj_dir)
{
	struct strbuf order = STRBUF_INIT, path = STRBUF_INIT;
	const char *p, *end;
	int rc = KB_ERR;

	memset(out, 0, sizeof(*out));
	strbuf_addf(&path, "%s/modules.order", obj_dir);
	if (access(path.buf, F_OK)) {
		rc = KB_ENOTFOUND;
		goto out;
	}
	if (strbuf_read_file(&order, path.buf))
		goto out;
	for (p = order.buf; p < order.buf + order.len; p = end + 1) {
		size_t len;

		end = memchr(p, '\n', (size_t)(order.buf + order.len - p));
		if (!end)
			end = order.buf + order.len;
		len = (size_t)(end - p);
		while (len && (p[len - 1] == '\r' || p[len - 1] == ' '))
			len--;
		if (!len)
			continue;
		module_stem(&path, obj_dir, p, len);
		if (add_module(out, &path))
			goto out;
	}
	rc = 0;
out:
	strbuf_release(&order);
	strbuf_release(&path);
	return rc;
}
