/* tests for src/libssr/csv.c: fields, quoting, malformed lines, header lookup */
#include "../test_common.h"
#include "ssrwatch/csv.h"

static int split(const char *line, size_t n, const char **f, size_t *fl, char *store, size_t cap)
{
	return ssr_csv_split(line, n, ',', store, cap, f, fl);
}

static void fields_and_quotes(void **state)
{
	(void)state;
	char store[256];
	const char *f[SSR_CSV_MAX_FIELDS];
	size_t fl[SSR_CSV_MAX_FIELDS];
	const char *l = "1,\"Sample Registrar, Inc.\",,\"say \"\"hi\"\"\"";
	assert_int_equal(split(l, strlen(l), f, fl, store, sizeof(store)), 4);
	assert_string_equal(f[0], "1");
	assert_string_equal(f[1], "Sample Registrar, Inc.");
	assert_int_equal(fl[2], 0);
	assert_string_equal(f[3], "say \"hi\"");
	static const char *const names[] = {"registrar name", "name", NULL};
	const char *h = "ID,Registrar Name,Status";
	int nf = split(h, strlen(h), f, fl, store, sizeof(store));
	assert_int_equal(ssr_csv_column(names, f, fl, nf), 1);
	static const char *const none[] = {"price", NULL};
	assert_int_equal(ssr_csv_column(none, f, fl, nf), -1);
	assert_int_equal(ssr_csv_delimiter("a\tb,c", 5), '\t');
	assert_int_equal(ssr_csv_delimiter("a;b", 3), ';');
	assert_int_equal(ssr_csv_delimiter("a;b,c", 5), ',');
}

static void malformed(void **state)
{
	(void)state;
	char store[64];
	const char *f[SSR_CSV_MAX_FIELDS];
	size_t fl[SSR_CSV_MAX_FIELDS];
	assert_int_equal(split("\"open,x", 7, f, fl, store, sizeof(store)), -1);
	assert_int_equal(split("\"a\"b,x", 6, f, fl, store, sizeof(store)), -1);
	/* a NUL byte inside a field (found by fuzz_abuse_inputs: an empty registrar name) */
	assert_int_equal(split("0,\0name", 7, f, fl, store, sizeof(store)), -1);
	/* too little room is an error, never an overflow */
	assert_int_equal(split("abcdefgh,ijklmnop", 17, f, fl, store, 8), -1);
	char many[3 * SSR_CSV_MAX_FIELDS + 8];
	size_t n = 0;
	for (int i = 0; i <= SSR_CSV_MAX_FIELDS; i++) {
		many[n++] = 'x';
		many[n++] = ',';
	}
	char big[512];
	assert_int_equal(split(many, n - 1, f, fl, big, sizeof(big)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fields_and_quotes),
	    cmocka_unit_test(malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
