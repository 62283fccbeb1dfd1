/* tests for src/libreport/table.c */
#include "../test_common.h"
#include "ssrwatch/report.h"

static char *render(const ssr_table_t *t, int csv)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(csv ? ssr_table_write_csv(t, f, 1) : ssr_table_write_text(t, f), SSR_EOK);
	fclose(f);
	return buf;
}

static void text_alignment(void **state)
{
	(void)state;
	ssr_table_t t;
	assert_int_equal(ssr_table_init(&t, 3, "title"), SSR_EOK);
	const char *h[] = {"name", "count", "share"};
	const char *a[] = {"alpha", "5", "50.00%"};
	const char *b[] = {"b", "12345", "x"};
	ssr_table_add(&t, h);
	ssr_table_add(&t, a);
	ssr_table_add(&t, b);
	char *s = render(&t, 0);
	assert_string_equal(s, "title\n"
	                       "name   count  share\n"
	                       "-----  -----  ------\n"
	                       "alpha      5  50.00%\n"
	                       "b      12345  x\n");
	free(s);
	ssr_table_release(&t);
}

static void csv_quoting(void **state)
{
	(void)state;
	ssr_table_t t;
	ssr_table_init(&t, 2, NULL);
	const char *h[] = {"k", "v"};
	const char *a[] = {"a,b", "say \"hi\""};
	const char *b[] = {"plain", "line\nbreak"};
	ssr_table_add(&t, h);
	ssr_table_add(&t, a);
	ssr_table_add(&t, b);
	char *s = render(&t, 1);
	assert_string_equal(s, "k,v\r\n\"a,b\",\"say \"\"hi\"\"\"\r\nplain,\"line\nbreak\"\r\n");
	free(s);
	ssr_table_release(&t);
}

static void json_is_sorted_and_stable(void **state)
{
	(void)state;
	json_t *v = json_pack("{s:i,s:f,s:[i,s]}", "b", 2, "a", 0.25, "c", 1, "x");
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(ssr_json_write(v, f), SSR_EOK);
	fclose(f);
	assert_string_equal(
	    buf, "{\n  \"a\": 0.25,\n  \"b\": 2,\n  \"c\": [\n    1,\n    \"x\"\n  ]\n}\n");
	free(buf);
	json_decref(v);
	ssr_format_t fmt;
	assert_int_equal(ssr_format_parse("csv", &fmt), SSR_EOK);
	assert_int_equal(fmt, SSR_FORMAT_CSV);
	assert_int_equal(ssr_format_parse("yaml", &fmt), SSR_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(text_alignment),
	    cmocka_unit_test(csv_quoting),
	    cmocka_unit_test(json_is_sorted_and_stable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
