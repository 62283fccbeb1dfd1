/* ssrwatch — who is asking: API bearer tokens and web sessions (cookie + CSRF token), both
 * stored as SHA-256 digests; passwords as Argon2id (libargon2, RFC 9106 parameters for memory
 * constrained use: t=2, m=19 MiB, p=1, as OWASP recommends). */
#include <argon2.h>
#include <string.h>

#include "portal_priv.h"
#include "ssrwatch/crypto.h"

#define A2_T    2
#define A2_M    19456
#define A2_P    1
#define A2_SALT 16
#define A2_HASH 32

int auth_hash_password(const char *password, char *out, size_t cap)
{
	uint8_t salt[A2_SALT];
	if (ssr_random(salt, sizeof(salt)) != SSR_EOK) {
		return SSR_EIO;
	}
	int rc = argon2id_hash_encoded(A2_T, A2_M, A2_P, password, strlen(password), salt,
	                               sizeof(salt), A2_HASH, out, cap);
	return rc == ARGON2_OK ? SSR_EOK : SSR_EINVAL;
}

bool auth_verify_password(const char *encoded, const char *password)
{
	return encoded != NULL && argon2id_verify(encoded, password, strlen(password)) == ARGON2_OK;
}

void auth_clear(auth_t *a)
{
	json_decref(a->account);
	memset(a, 0, sizeof(*a));
}

int64_t auth_party(const req_t *q)
{
	return q->auth.account ? json_integer_value(json_object_get(q->auth.account, "party_id"))
	                       : 0;
}

bool auth_admin(const req_t *q)
{
	return q->auth.account && json_is_true(json_object_get(q->auth.account, "admin"));
}

bool auth_editor(const req_t *q)
{
	return q->auth.account && (json_is_true(json_object_get(q->auth.account, "editor")) ||
	                           json_is_true(json_object_get(q->auth.account, "admin")));
}

void auth_resolve(ssr_portal_t *p, req_t *q, bool sessions)
{
	const char *h = req_header(q, "Authorization");
	char digest[65];
	ssr_diag_t d;
	if (h != NULL && strncasecmp(h, "Bearer ", 7) == 0) {
		const char *tok = h + 7;
		if (strlen(tok) > 128) {
			return;
		}
		ssr_sha256_hex(tok, digest);
		ssr_store_t *st = pool_get(&p->pool);
		json_t *acc = NULL;
		if (ssr_store_token_account(st, digest, &acc, &d) == SSR_EOK) {
			q->auth.account = acc;
		}
		pool_put(&p->pool, st);
		return;
	}
	const char *sid = sessions ? req_cookie(q, "ssr_session") : NULL;
	if (sid == NULL || strlen(sid) > 128) {
		return;
	}
	ssr_sha256_hex(sid, digest);
	ssr_store_t *st = pool_get(&p->pool);
	json_t *s = NULL;
	if (ssr_store_session_get(st, digest, portal_now(p), &s, &d) == SSR_EOK) {
		q->auth.account = s;
		q->auth.by_session = true;
		snprintf(q->auth.csrf, sizeof(q->auth.csrf), "%s",
		         json_string_value(json_object_get(s, "csrf")));
		memcpy(q->auth.session_digest, digest, sizeof(digest));
	}
	pool_put(&p->pool, st);
}
