/* ssrwatch — who is asking (auth.c): bearer tokens and session cookies resolved to a
 * principal, roles, Argon2id passwords.  Private to libportal. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "portal_priv.h"

#pragma GCC visibility push(hidden)

/* Resolve the caller from a bearer token, or (sessions: pages, not the API, so that no
 * cross-site request rides on a cookie) a session cookie (auth.c). */
void portal_auth_resolve(ssr_portal_t *p, req_t *q, bool sessions);
/* The same from the Authorization header's value and the session cookie's (either NULL): a
 * bearer token wins; a session must not have expired at the portal's now. */
void portal_auth_resolve_with(ssr_portal_t *p, auth_t *a, const char *authorization,
                              const char *session);
void portal_auth_clear(auth_t *a);
int64_t portal_auth_party(const req_t *q);
/* The caller's login, or NULL when anonymous. */
const char *portal_auth_login(const req_t *q);
bool portal_auth_admin(const req_t *q);
/* May change the recommendation tracker: an account with the editor role, or an admin. */
bool portal_auth_editor(const req_t *q);
/* Argon2id. */
int portal_auth_hash_password(const char *password, char *out, size_t cap);
bool portal_auth_verify_password(const char *encoded, const char *password);

#pragma GCC visibility pop
