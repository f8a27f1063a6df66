/*
 * error.c - per-thread text of the last error; see error.h.
 */
#include "error.h"
#include "strbuf.h"

#include <stdarg.h>

static _Thread_local struct strbuf last_error = STRBUF_INIT;

int kb_error_set(const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(&last_error);
	va_start(ap, fmt);
	strbuf_vaddf(&last_error, fmt, ap);
	va_end(ap);
	return KB_ERR;
}

const char *kb_error_last(void)
{
	return last_error.buf;
}

void kb_error_clear(void)
{
	strbuf_release(&last_error);
}
