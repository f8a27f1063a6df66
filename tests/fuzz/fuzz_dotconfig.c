/*
 * fuzz_dotconfig.c - libFuzzer target for the .config readers (analyzer/dotconfig.c): any
 * bytes parsed as a .config (kb_kconfig_parse), written back and parsed again (the two
 * writes must agree), and read from a file as `record --dotconfig` and `modular` read it
 * (kb_read_dotconfig: sorted CONFIG_ lines). Must never crash or leak.
 */
#include "dotconfig.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct kb_kconfig c = KB_KCONFIG_INIT, again = KB_KCONFIG_INIT;
	struct strbuf text = STRBUF_INIT, text2 = STRBUF_INIT, out = STRBUF_INIT;
	char path[] = "/tmp/fuzz_dotconfig.XXXXXX";
	int fd;

	kb_kconfig_parse(&c, (const char *)data, size);
	kb_kconfig_write(&c, &text);
	kb_kconfig_parse(&again, text.buf, text.len);
	/* what kbloat writes, it reads back the same */
	kb_kconfig_write(&again, &text2);
	if (text.len != text2.len || memcmp(text.buf, text2.buf, text.len))
		abort();
	kb_kconfig_release(&c);
	kb_kconfig_release(&again);
	fd = mkstemp(path);
	if (fd >= 0) {
		if (write(fd, data, size) == (ssize_t)size)
			kb_read_dotconfig(path, &out);
		close(fd);
		unlink(path);
	}
	strbuf_release(&text);
	strbuf_release(&text2);
	strbuf_release(&out);
	kb_error_clear();
	return 0;
}
