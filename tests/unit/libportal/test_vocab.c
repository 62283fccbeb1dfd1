/* tests for src/libportal/vocab.c: the categories and outcomes, and what an abuse mailbox is. */
#include "../test_common.h"
#include "vocab.h"

static void words(void **state)
{
	(void)state;
	assert_true(portal_is_category("phishing") && portal_is_category("misleading-name"));
	assert_false(portal_is_category("Phishing") || portal_is_category("") ||
	             portal_is_category(NULL));
	assert_true(portal_is_outcome("no-action") && portal_is_outcome("not-ours"));
	assert_false(portal_is_outcome("resolved"));
	int n = 0;
	for (; portal_categories[n] != NULL; n++) {
	}
	assert_int_equal(n, 6);
}

static void mailboxes(void **state)
{
	(void)state;
	static const char *const good[] = {"abuse@registrar.example", "a.b+c@x.co.uk",
	                                   "abuse@xn--bcher-kva.example"};
	static const char *const bad[] = {"abuse",
	                                  "@x.example",
	                                  "a@b",
	                                  "a@@b.example",
	                                  "a b@x.example",
	                                  "a@x.example.",
	                                  "a@.x.example",
	                                  "<a@x.example>",
	                                  "a@x.example,b@y.example",
	                                  "a@x.example\r\nBcc: v@z.example"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		assert_true(portal_is_email(good[i]));
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (portal_is_email(bad[i])) {
			fail_msg("accepted '%s'", bad[i]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(words),
	    cmocka_unit_test(mailboxes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
