/* ssrwatch — who is asking: API bearer tokens and web sessions (cookie + CSRF token), both
 * stored as SHA-256 digests; passwords as Argon2id (libargon2, RFC 9106 parameters for memory
 * constrained use: t=2, m=19 MiB, p=1, as OWASP recommends). */
#include <argon2.h>
#include <string.h>

#include "auth.h"
#include "ssrwatch/crypto.h"

#define A2_T    2
#define A2_M    19456
#define A2_P    1
#define A2_SALT 16
#define A2_HASH 32

int portal_auth_hash_password(const char *password, char *out, size_t cap)
{
	uint8_t salt[A2_SALT];
	if (ssr_random(salt, sizeof(salt)) != SSR_EOK) {
		return SSR_EIO;
	}
	int rc = argon2id_hash_encoded(A2_T, A2_M, A2_P, password, strlen(password), salt,
	                               sizeof(salt), A2_HASH, out, cap);
	return rc == ARGON2_OK ? SSR_EOK : SSR_EINVAL;
}

bool portal_auth_verify_password(const char *encoded, const char *password)
{
	return encoded != NULL && argon2id_verify(encoded, password, strlen(password)) == ARGON2_OK;
}

void portal_auth_clear(auth_t *a)
{
	memset(a, 0, sizeof(*a));
}

int64_t portal_auth_party(const req_t *q)
{
	return q->auth.known ? q->auth.who.party_id : 0;
}

const char *portal_auth_login(const req_t *q)
{
	return q->auth.known ? q->auth.who.login : NULL;
}

bool portal_auth_admin(const req_t *q)
{
	return q->auth.known && q->auth.who.admin;
}

bool portal_auth_editor(const req_t *q)
{
	return q->auth.known && (q->auth.who.editor || q->auth.who.admin);
}

void portal_auth_resolve(ssr_portal_t *p, req_t *q, bool sessions)
{
	portal_auth_resolve_with(p, &q->auth, portal_req_header(q, "Authorization"),
	                         sessions ? portal_req_cookie(q, "ssr_session") : NULL);
}

void portal_auth_resolve_with(ssr_portal_t *p, auth_t *a, const char *authorization,
                              const char *session)
{
	char digest[65];
	ssr_diag_t d;
	portal_auth_clear(a);
	if (authorization != NULL && strncasecmp(authorization, "Bearer ", 7) == 0) {
		const char *tok = authorization + 7;
		if (strlen(tok) > 128) {
			return;
		}
		ssr_sha256_hex(tok, digest);
		ssr_store_t *st = portal_pool_get(&p->pool);
		a->known = ssr_store_token_principal(st, digest, &a->who, &d) == SSR_EOK;
		portal_pool_put(&p->pool, st);
		return;
	}
	if (session == NULL || strlen(session) > 128) {
		return;
	}
	ssr_sha256_hex(session, digest);
	ssr_store_t *st = portal_pool_get(&p->pool);
	if (ssr_store_session_principal(st, digest, portal_now(p), &a->who, &d) == SSR_EOK) {
		a->known = true;
		a->by_session = true;
		memcpy(a->session_digest, digest, sizeof(digest));
	}
	portal_pool_put(&p->pool, st);
}
