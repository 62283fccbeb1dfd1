/* Shared test helpers: cmocka includes, temporary files. */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* Write len bytes to a fresh temporary file; returns its path (static buffer per call site). */
static inline void tmp_write(char *path, size_t cap, const char *suffix, const void *data,
                             size_t len)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, cap, "%s/ssrtest-XXXXXX%s", dir ? dir : "/tmp", suffix);
	int fd = mkstemps(path, (int)strlen(suffix));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static inline void tmp_text(char *path, size_t cap, const char *text)
{
	tmp_write(path, cap, ".zone", text, strlen(text));
}
