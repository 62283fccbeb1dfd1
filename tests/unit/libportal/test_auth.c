/* tests for src/libportal/auth.c: Argon2id passwords, roles read from the typed principal, and
 * who is asking from an Authorization header or a session cookie over a real store (a bearer
 * token wins over a cookie; a session ends at its expiry; unknown or overlong secrets are
 * anonymous; a revoked account's token stops working). */
#include "auth.h"
#include "portal_fixture.h"
#include "ssrwatch/crypto.h"

static void passwords(void **state)
{
	(void)state;
	char enc[256];
	assert_int_equal(portal_auth_hash_password("correct horse", enc, sizeof enc), SSR_EOK);
	assert_true(strncmp(enc, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
	assert_true(portal_auth_verify_password(enc, "correct horse"));
	assert_false(portal_auth_verify_password(enc, "correct horse "));
	assert_false(portal_auth_verify_password(enc, ""));
	assert_false(portal_auth_verify_password(NULL, "x"));
	assert_false(portal_auth_verify_password("not an encoding", "x"));
	/* two hashes of one password differ (salted) */
	char enc2[256];
	assert_int_equal(portal_auth_hash_password("correct horse", enc2, sizeof enc2), SSR_EOK);
	assert_string_not_equal(enc, enc2);
	/* no room: an error, not a cut encoding */
	assert_int_not_equal(portal_auth_hash_password("x", enc, 20), SSR_EOK);
}

static void roles(void **state)
{
	(void)state;
	req_t q = {0};
	assert_int_equal(portal_auth_party(&q), 0);
	assert_null(portal_auth_login(&q));
	assert_false(portal_auth_admin(&q));
	assert_false(portal_auth_editor(&q));
	q.auth.known = true;
	snprintf(q.auth.who.login, sizeof q.auth.who.login, "reg1");
	q.auth.who.party_id = 7;
	assert_int_equal(portal_auth_party(&q), 7);
	assert_string_equal(portal_auth_login(&q), "reg1");
	assert_false(portal_auth_editor(&q));
	q.auth.who.editor = true;
	assert_true(portal_auth_editor(&q));
	assert_false(portal_auth_admin(&q));
	q.auth.who.editor = false;
	q.auth.who.admin = true;
	assert_true(portal_auth_admin(&q) && portal_auth_editor(&q));
	/* a principal that is not known grants nothing, whatever its fields say */
	q.auth.known = false;
	assert_false(portal_auth_admin(&q));
	assert_int_equal(portal_auth_party(&q), 0);
}

static void resolve(void **state)
{
	pfx_t *f = *state;
	ssr_store_t *st;
	ssr_diag_t d;
	assert_int_equal(ssr_store_open_existing(f->path, &st, &d), SSR_EOK);
	ssr_party_t party = {.kind = "registrar", .name = "Reg One", .iana_id = 9001};
	int64_t pid, aid, bid;
	assert_int_equal(ssr_store_party_put(st, &party, f->now, &pid, &d), SSR_EOK);
	assert_int_equal(ssr_store_account_put(st, "reg1", "h", pid, false, f->now, &aid, &d),
	                 SSR_EOK);
	assert_int_equal(ssr_store_account_put(st, "boss", "h", 0, true, f->now, &bid, &d),
	                 SSR_EOK);
	char digest[65];
	ssr_sha256_hex("token-of-reg1", digest);
	assert_int_equal(ssr_store_token_put(st, digest, aid, "ci", f->now, &d), SSR_EOK);
	ssr_sha256_hex("session-of-boss", digest);
	assert_int_equal(
	    ssr_store_session_put(st, digest, bid, "csrf-of-boss-session-0123", f->now + 60, &d),
	    SSR_EOK);
	auth_t a;
	portal_auth_resolve_with(&f->p, &a, "Bearer token-of-reg1", NULL);
	assert_true(a.known && !a.by_session);
	assert_string_equal(a.who.login, "reg1");
	assert_int_equal(a.who.party_id, pid);
	portal_auth_resolve_with(&f->p, &a, "bearer token-of-reg1", NULL); /* scheme: any case */
	assert_true(a.known);
	/* a token wins over a session cookie */
	portal_auth_resolve_with(&f->p, &a, "Bearer token-of-reg1", "session-of-boss");
	assert_string_equal(a.who.login, "reg1");
	assert_false(a.by_session);
	portal_auth_resolve_with(&f->p, &a, "Bearer wrong", NULL);
	assert_false(a.known);
	portal_auth_resolve_with(&f->p, &a, "Basic dXNlcjpwYXNz", NULL);
	assert_false(a.known);
	char longtok[200] = "Bearer ";
	memset(longtok + 7, 'a', 150);
	longtok[157] = '\0';
	portal_auth_resolve_with(&f->p, &a, longtok, NULL);
	assert_false(a.known);
	/* sessions: the cookie's principal with its CSRF token, until it expires */
	portal_auth_resolve_with(&f->p, &a, NULL, "session-of-boss");
	assert_true(a.known && a.by_session && a.who.admin);
	assert_string_equal(a.who.csrf, "csrf-of-boss-session-0123");
	assert_string_equal(a.session_digest, digest);
	f->now += 60;
	portal_auth_resolve_with(&f->p, &a, NULL, "session-of-boss");
	assert_false(a.known || a.by_session);
	portal_auth_resolve_with(&f->p, &a, NULL, NULL);
	assert_false(a.known);
	/* revoked: the token no longer resolves */
	int64_t ns, nt;
	assert_int_equal(ssr_store_account_revoke(st, aid, &ns, &nt, &d), SSR_EOK);
	assert_int_equal(nt, 1);
	portal_auth_resolve_with(&f->p, &a, "Bearer token-of-reg1", NULL);
	assert_false(a.known);
	ssr_store_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(passwords),
	    cmocka_unit_test(roles),
	    cmocka_unit_test_setup_teardown(resolve, pfx_setup, pfx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
