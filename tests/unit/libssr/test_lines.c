/* tests for src/libssr/lines.c */
#include "../test_common.h"
#include "ssrwatch/lines.h"

static void lines_crlf_last_line_and_cap(void **state)
{
	(void)state;
	char path[256];
	char text[200];
	memset(text, 0, sizeof(text));
	memcpy(text, "one\r\n\ntwo\n", 10);
	memset(text + 10, 'x', 100); /* line 4: over a cap of 50 */
	memcpy(text + 110, "\nlast", 5);
	tmp_write(path, sizeof(path), ".txt", text, 115);
	ssr_lines_t *lr;
	ssr_diag_t d;
	assert_int_equal(ssr_lines_open(path, 50, &lr, &d), SSR_EOK);
	const char *p;
	size_t n;
	bool lng;
	const char *want[] = {"one", "", "two", "", "last"};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(ssr_lines_next(lr, &p, &n, &lng, &d), 1);
		assert_int_equal(n, strlen(want[i]));
		assert_memory_equal(p, want[i], n);
		assert_int_equal(lng, i == 3);
		assert_int_equal(ssr_lines_number(lr), (uint64_t)i + 1);
	}
	assert_int_equal(ssr_lines_next(lr, &p, &n, &lng, &d), 0);
	assert_int_equal(ssr_lines_bytes(lr), 115);
	ssr_lines_free(lr);
	unlink(path);
	assert_int_equal(ssr_lines_open("/nonexistent/x", 50, &lr, &d), SSR_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(lines_crlf_last_line_and_cap)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
