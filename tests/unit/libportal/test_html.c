/* tests for src/libportal/html.c: every %s escaped (&, <, >, ", '), the other conversions, and
 * the CSRF rules: the anonymous token signed with the portal's key (a made-up or altered one,
 * or one from another portal, refused), the double-submit comparison, the session's token. */
#include "html.h"
#include "../test_common.h"

static void escaping(void **state)
{
	(void)state;
	html_t h;
	h.f = open_memstream(&h.buf, &h.len);
	assert_non_null(h.f);
	portal_html_out(&h, "<p title=\"%s\">%s %d %L 100%%</p>", "a\"b'c", "<script>&amp;", -7,
	                (int64_t)1234567890123);
	portal_html_esc(&h, "x<y");
	fclose(h.f);
	assert_string_equal(h.buf, "<p title=\"a&quot;b&#39;c\">&lt;script&gt;&amp;amp; -7 "
	                           "1234567890123 100%</p>x&lt;y");
	free(h.buf);
	char t[32];
	portal_html_fmt_time(1800000000, t);
	assert_string_equal(t, "2027-01-15 08:00 UTC");
	portal_html_fmt_time(0, t); /* none */
	assert_string_equal(t, "-");
}

static void csrf_tokens(void **state)
{
	(void)state;
	uint8_t key[32], other[32];
	memset(key, 1, sizeof key);
	memset(other, 2, sizeof other);
	char tok[64], tok2[64];
	assert_int_equal(portal_csrf_token_new(key, tok), SSR_EOK);
	assert_int_equal(portal_csrf_token_new(key, tok2), SSR_EOK);
	assert_int_equal(strlen(tok), 22 + 1 + 32);
	assert_string_not_equal(tok, tok2);
	assert_true(portal_csrf_token_ok(key, tok));
	assert_false(portal_csrf_token_ok(other, tok)); /* another portal's (or a restart's) */
	char bad[64];
	snprintf(bad, sizeof bad, "%s", tok);
	bad[3] = bad[3] == 'A' ? 'B' : 'A'; /* the nonce altered */
	assert_false(portal_csrf_token_ok(key, bad));
	snprintf(bad, sizeof bad, "%s", tok);
	bad[40] = bad[40] == '0' ? '1' : '0'; /* the MAC altered */
	assert_false(portal_csrf_token_ok(key, bad));
	assert_false(
	    portal_csrf_token_ok(key, "AAAAAAAAAAAAAAAAAAAAAA.00000000000000000000000000000000"));
	assert_false(portal_csrf_token_ok(key, ""));
	assert_false(portal_csrf_token_ok(key, NULL));
	/* anonymous forms: the field equals the cookie, and the cookie is this portal's */
	auth_t none = {0};
	assert_true(portal_csrf_check(key, &none, false, tok, tok));
	assert_false(portal_csrf_check(key, &none, false, tok2, tok));
	assert_false(portal_csrf_check(key, &none, false, NULL, tok));
	assert_false(portal_csrf_check(other, &none, false, tok, tok));
	const char *made_up = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefgh";
	assert_false(portal_csrf_check(key, &none, false, made_up, made_up));
	/* a session's forms carry the session's own token */
	auth_t s = {.known = true, .by_session = true};
	snprintf(s.who.csrf, sizeof s.who.csrf, "session-token-0123456789");
	assert_true(portal_csrf_check(key, &s, true, "session-token-0123456789", NULL));
	assert_false(portal_csrf_check(key, &s, true, "session-token-012345678", NULL));
	assert_false(portal_csrf_check(key, &s, true, NULL, NULL));
	assert_false(portal_csrf_check(key, &none, true, "session-token-0123456789", NULL));
	/* short tokens never match, even equal ones */
	snprintf(s.who.csrf, sizeof s.who.csrf, "short");
	assert_false(portal_csrf_check(key, &s, true, "short", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(escaping),
	    cmocka_unit_test(csrf_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
