/* ssrwatch — line reader with a hard cap. */
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/input.h"
#include "ssrwatch/lines.h"

#define LINES_BUF (1u << 20)

struct ssr_lines {
	ssr_input_t *in;
	char *buf;
	size_t cap, beg, end;
	size_t max_line;
	bool eof;
	uint64_t line, bytes;
};

int ssr_lines_open(const char *path, size_t max_line, ssr_lines_t **out, ssr_diag_t *diag)
{
	ssr_lines_t *lr = calloc(1, sizeof(*lr));
	if (lr == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "input '%s': out of memory", path);
	}
	lr->max_line = max_line ? max_line : 65536;
	lr->cap = lr->max_line + 1 > LINES_BUF ? lr->max_line + 1 : LINES_BUF;
	lr->buf = malloc(lr->cap);
	if (lr->buf == NULL) {
		free(lr);
		return ssr_diag_set(diag, SSR_ENOMEM, "input '%s': out of memory", path);
	}
	int rc = ssr_input_open(path, &lr->in, diag);
	if (rc != SSR_EOK) {
		free(lr->buf);
		free(lr);
		return rc;
	}
	*out = lr;
	return SSR_EOK;
}

void ssr_lines_free(ssr_lines_t *lr)
{
	if (lr != NULL) {
		ssr_input_free(lr->in);
		free(lr->buf);
		free(lr);
	}
}

static int fill(ssr_lines_t *lr, ssr_diag_t *diag)
{
	if (lr->beg > 0) {
		memmove(lr->buf, lr->buf + lr->beg, lr->end - lr->beg);
		lr->end -= lr->beg;
		lr->beg = 0;
	}
	size_t got = 0;
	int rc = ssr_input_read(lr->in, lr->buf + lr->end, lr->cap - lr->end, &got, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (got == 0) {
		lr->eof = true;
	}
	lr->end += got;
	lr->bytes += got;
	return SSR_EOK;
}

int ssr_lines_next(ssr_lines_t *lr, const char **p, size_t *n, bool *too_long, ssr_diag_t *diag)
{
	*too_long = false;
	for (;;) {
		char *s = lr->buf + lr->beg;
		size_t avail = lr->end - lr->beg;
		char *nl = memchr(s, '\n', avail);
		size_t len;
		if (nl != NULL) {
			len = (size_t)(nl - s);
			lr->beg += len + 1;
		} else if (lr->eof && avail > 0) {
			len = avail;
			lr->beg = lr->end;
		} else if (lr->eof) {
			return 0;
		} else if (avail > lr->max_line) {
			/* too long: skip to the next newline, hand out an empty line */
			*too_long = true;
			lr->line++;
			for (;;) {
				lr->beg = lr->end; /* drop what we have */
				int rc = fill(lr, diag);
				if (rc != SSR_EOK) {
					return rc;
				}
				char *e = memchr(lr->buf, '\n', lr->end);
				if (e != NULL) {
					lr->beg = (size_t)(e - lr->buf) + 1;
					break;
				}
				if (lr->eof) {
					lr->beg = lr->end;
					break;
				}
			}
			*p = "";
			*n = 0;
			return 1;
		} else {
			int rc = fill(lr, diag);
			if (rc != SSR_EOK) {
				return rc;
			}
			continue;
		}
		if (len > lr->max_line) {
			*too_long = true;
			len = 0;
		}
		if (len > 0 && s[len - 1] == '\r') {
			len--;
		}
		lr->line++;
		*p = s;
		*n = len;
		return 1;
	}
}

uint64_t ssr_lines_number(const ssr_lines_t *lr)
{
	return lr->line;
}

uint64_t ssr_lines_bytes(const ssr_lines_t *lr)
{
	return lr->bytes;
}
