/* tests for src/libportal/form.c: fields and files collected in pieces as libmicrohttpd hands
 * them over, the last value of a repeated field, every cap (field size, field count, files,
 * file size, name length) refusing the form with its status and reason, and the check after
 * the last piece (NUL bytes, invalid UTF-8 in a field or a file name: refused, never dropped). */
#include "../test_common.h"
#include "form.h"
#include "ssrwatch/error.h"

static void pieces(form_t *f, const char *key, const char *fn, const char *data, size_t step)
{
	size_t n = strlen(data);
	for (size_t off = 0; off < n || off == 0; off += step) {
		size_t k = n - off < step ? n - off : step;
		assert_int_equal(portal_form_piece(f, key, fn, "text/plain", data + off, off, k),
		                 SSR_EOK);
		if (n == 0) {
			break;
		}
	}
}

static void fields_in_pieces(void **state)
{
	(void)state;
	form_t f;
	assert_int_equal(portal_form_init(&f, 2, 1000), SSR_EOK);
	pieces(&f, "description", NULL, "a phishing kit under /login, seen twice", 3);
	pieces(&f, "category", NULL, "phishing", 100);
	pieces(&f, "category", NULL, "malware", 2); /* the same name again: the last value */
	pieces(&f, "empty", NULL, "", 1);
	pieces(&f, "attachments", "shot.txt", "hello world", 4);
	portal_form_check(&f);
	assert_int_equal(f.status, 0);
	size_t len = 0;
	assert_string_equal(portal_form_get(&f, "description", &len),
	                    "a phishing kit under /login, seen twice");
	assert_int_equal(len, 39);
	assert_string_equal(portal_form_get(&f, "category", NULL), "malware");
	assert_string_equal(portal_form_get(&f, "empty", NULL), "");
	assert_null(portal_form_get(&f, "missing", NULL));
	assert_int_equal(f.nfiles, 1);
	assert_string_equal(f.files[0].name, "shot.txt");
	assert_int_equal(f.files[0].len, 11);
	assert_memory_equal(f.files[0].data, "hello world", 11);
	assert_null(portal_form_get(NULL, "x", NULL));
	portal_form_release(&f);
}

static void caps(void **state)
{
	(void)state;
	form_t f;
	/* a field over FORM_FIELD_MAX: 413, named; later pieces ignored */
	assert_int_equal(portal_form_init(&f, 1, 10), SSR_EOK);
	char *big = malloc(FORM_FIELD_MAX + 2);
	memset(big, 'x', FORM_FIELD_MAX + 1);
	big[FORM_FIELD_MAX + 1] = '\0';
	pieces(&f, "description", NULL, big, 65536);
	assert_int_equal(f.status, 413);
	assert_string_equal(f.error_field, "description");
	assert_non_null(strstr(f.error, "longer than"));
	pieces(&f, "category", NULL, "phishing", 100);
	assert_null(portal_form_get(&f, "category", NULL));
	portal_form_release(&f);
	/* exactly the cap is fine */
	assert_int_equal(portal_form_init(&f, 1, 10), SSR_EOK);
	big[FORM_FIELD_MAX] = '\0';
	pieces(&f, "description", NULL, big, 65536);
	assert_int_equal(f.status, 0);
	portal_form_release(&f);
	free(big);
	/* too many files, a file too large, a long field name, too many fields */
	assert_int_equal(portal_form_init(&f, 1, 10), SSR_EOK);
	pieces(&f, "attachments", "a.txt", "0123456789", 5);
	assert_int_equal(f.status, 0);
	pieces(&f, "attachments", "b.txt", "x", 5);
	assert_int_equal(f.status, 413);
	assert_non_null(strstr(f.error, "more than 1 files"));
	portal_form_release(&f);
	assert_int_equal(portal_form_init(&f, 1, 10), SSR_EOK);
	pieces(&f, "attachments", "a.txt", "0123456789A", 5);
	assert_int_equal(f.status, 413);
	assert_non_null(strstr(f.error, "larger than 10 bytes"));
	portal_form_release(&f);
	assert_int_equal(portal_form_init(&f, 1, 10), SSR_EOK);
	char key[FORM_KEY_MAX + 1];
	memset(key, 'k', FORM_KEY_MAX);
	key[FORM_KEY_MAX] = '\0';
	pieces(&f, key, NULL, "v", 1);
	assert_int_equal(f.status, 413);
	portal_form_release(&f);
	assert_int_equal(portal_form_init(&f, 1, 10), SSR_EOK);
	for (int i = 0; i <= FORM_MAX_FIELDS; i++) {
		char k[16];
		snprintf(k, sizeof k, "f%d", i);
		pieces(&f, k, NULL, "v", 1);
	}
	assert_int_equal(f.status, 413);
	assert_string_equal(f.error_field, "f64");
	portal_form_release(&f);
}

static void refused_bytes(void **state)
{
	(void)state;
	form_t f;
	/* a field that is not UTF-8 is refused with a field error, never dropped */
	assert_int_equal(portal_form_init(&f, 1, 100), SSR_EOK);
	pieces(&f, "category", NULL, "phishing", 100);
	pieces(&f, "description", NULL, "caf\xe9 au lait", 100);
	portal_form_check(&f);
	assert_int_equal(f.status, 422);
	assert_string_equal(f.error_field, "description");
	assert_non_null(strstr(f.error, "not valid UTF-8"));
	portal_form_release(&f);
	/* a NUL byte inside a field */
	assert_int_equal(portal_form_init(&f, 1, 100), SSR_EOK);
	assert_int_equal(portal_form_piece(&f, "note", NULL, NULL, "a\0b", 0, 3), SSR_EOK);
	portal_form_check(&f);
	assert_int_equal(f.status, 422);
	assert_non_null(strstr(f.error, "NUL"));
	portal_form_release(&f);
	/* file names: control characters refused at once, invalid UTF-8 at the check */
	assert_int_equal(portal_form_init(&f, 2, 100), SSR_EOK);
	pieces(&f, "attachments", "a\nb.txt", "x", 1);
	assert_int_equal(f.status, 422);
	portal_form_release(&f);
	assert_int_equal(portal_form_init(&f, 2, 100), SSR_EOK);
	pieces(&f, "attachments", "\xff.txt", "x", 1);
	assert_int_equal(f.status, 0);
	portal_form_check(&f);
	assert_int_equal(f.status, 422);
	portal_form_release(&f);
	/* an attachment part whose file name did not parse: refused, not taken as a field */
	assert_int_equal(portal_form_init(&f, 2, 100), SSR_EOK);
	pieces(&f, "attachments", NULL, "data", 4);
	assert_int_equal(f.status, 422);
	portal_form_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fields_in_pieces),
	    cmocka_unit_test(caps),
	    cmocka_unit_test(refused_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
