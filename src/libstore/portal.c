/* ssrwatch — the portal's entities in the store (schema 4): parties, accounts, tokens and
 * sessions, the registry directory, the RDAP cache (reports and cases: cases.c).  Every
 * statement is prepared with parameters; nothing from a request is ever spliced into SQL
 * text. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/portalstore.h"
#include "store_priv.h"

static int exec(ssr_store_t *st, const char *sql, int np, const char *const *p, ssr_diag_t *diag)
{
	return store_db_exec(st->db, sql, np, p, NULL, NULL, diag);
}

/* ---- savepoints ------------------------------------------------------------------- */

int ssr_store_savepoint(ssr_store_t *st, ssr_diag_t *diag)
{
	return store_db_script(st->db, "SAVEPOINT req", diag);
}

int ssr_store_savepoint_release(ssr_store_t *st, ssr_diag_t *diag)
{
	return store_db_script(st->db, "RELEASE SAVEPOINT req", diag);
}

void ssr_store_savepoint_rollback(ssr_store_t *st)
{
	ssr_diag_t d;
	if (store_db_script(st->db, "ROLLBACK TO SAVEPOINT req", &d) == SSR_EOK) {
		store_db_script(st->db, "RELEASE SAVEPOINT req", &d);
	}
}

/* ---- parties, accounts, tokens, sessions --------------------------------------------- */

#define PARTY_COLS                                                                                 \
	"id, kind, name, iana_id, handle, email, webhook, by_email, by_webhook,"                   \
	" CASE WHEN secret IS NULL THEN 0 ELSE 1 END"
int ssr_store_party_put(ssr_store_t *st, const ssr_party_t *p, int64_t now, int64_t *id,
                        ssr_diag_t *diag)
{
	int64_t found = p->id;
	int rc = SSR_EOK;
	if (found == 0 && p->iana_id > 0 && strcmp(p->kind, "registrar") == 0) {
		rc = ssr_store_party_by_iana(st, p->iana_id, &found, diag);
	}
	if (rc == SSR_EOK && found == 0) {
		const char *k[] = {p->kind, p->name};
		rc = store_query_i64(st, "SELECT id FROM party WHERE kind = $1 AND name = $2", 2, k,
		                     &found, diag);
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	store_num_t iana = store_num(p->iana_id), t = store_num(now), pid = store_num(found);
	const char *v[] = {p->kind,
	                   p->name,
	                   p->iana_id > 0 ? iana.v : NULL,
	                   p->handle,
	                   p->email,
	                   p->webhook,
	                   p->secret,
	                   p->by_email ? "1" : "0",
	                   p->by_webhook ? "1" : "0",
	                   t.v,
	                   pid.v};
	if (found != 0) {
		*id = found;
		v[9] = pid.v;
		return exec(st,
		            "UPDATE party SET kind = $1, name = $2, iana_id = $3, handle = $4,"
		            " email = $5, webhook = $6, secret = COALESCE($7, secret),"
		            " by_email = $8, by_webhook = $9 WHERE id = $10",
		            10, v, diag);
	}
	return store_db_exec(
	    st->db,
	    "INSERT INTO party (kind, name, iana_id, handle, email, webhook, secret,"
	    " by_email, by_webhook, created) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"
	    " RETURNING id",
	    10, v, store_first_i64, id, diag);
}

static const store_field_t party_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_party_t, id),
    STORE_FIELD(STORE_F_STR, ssr_party_t, kind),
    STORE_FIELD(STORE_F_STR, ssr_party_t, name),
    STORE_FIELD(STORE_F_I64, ssr_party_t, iana_id),
    STORE_FIELD(STORE_F_STR, ssr_party_t, handle),
    STORE_FIELD(STORE_F_STR, ssr_party_t, email),
    STORE_FIELD(STORE_F_STR, ssr_party_t, webhook),
    STORE_FIELD(STORE_F_BOOL, ssr_party_t, by_email),
    STORE_FIELD(STORE_F_BOOL, ssr_party_t, by_webhook),
    STORE_FIELD(STORE_F_BOOL, ssr_party_t, has_secret),
    STORE_FIELD(STORE_F_STR, ssr_party_t, secret), /* the last: only with_secret */
};
#define NPARTY (sizeof(party_fields) / sizeof(party_fields[0]))

int ssr_store_party_get(ssr_store_t *st, int64_t id, bool with_secret, ssr_party_t *out,
                        ssr_diag_t *diag)
{
	store_num_t n = store_num(id);
	const char *p[] = {n.v};
	if (with_secret) {
		return store_query_struct(st,
		                          "SELECT " PARTY_COLS ", secret FROM party WHERE id = $1",
		                          1, p, party_fields, NPARTY, out, sizeof(*out), diag);
	}
	return store_query_struct(st, "SELECT " PARTY_COLS " FROM party WHERE id = $1", 1, p,
	                          party_fields, NPARTY - 1, out, sizeof(*out), diag);
}

void ssr_store_party_release(ssr_party_t *p)
{
	store_struct_release(party_fields, NPARTY, p);
}

int ssr_store_parties(ssr_store_t *st, ssr_party_t **rows, size_t *n, ssr_diag_t *diag)
{
	void *r = NULL;
	int rc = store_query_structs(st, "SELECT " PARTY_COLS " FROM party ORDER BY id", 0, NULL,
	                             party_fields, NPARTY - 1, sizeof(ssr_party_t), &r, n, diag);
	*rows = r;
	return rc;
}

void ssr_store_parties_free(ssr_party_t *rows, size_t n)
{
	store_structs_free(party_fields, NPARTY, rows, n, sizeof(*rows));
}

int ssr_store_party_by_iana(ssr_store_t *st, int64_t iana_id, int64_t *id, ssr_diag_t *diag)
{
	store_num_t n = store_num(iana_id);
	const char *p[] = {n.v};
	return store_query_i64(st,
	                       "SELECT id FROM party WHERE kind = 'registrar' AND iana_id = $1"
	                       " ORDER BY id LIMIT 1",
	                       1, p, id, diag);
}

int ssr_store_party_by_handle(ssr_store_t *st, const char *handle, int64_t *id, ssr_diag_t *diag)
{
	const char *p[] = {handle};
	return store_query_i64(st,
	                       "SELECT id FROM party WHERE kind = 'host' AND handle = $1"
	                       " ORDER BY id LIMIT 1",
	                       1, p, id, diag);
}

int ssr_store_account_put(ssr_store_t *st, const char *login, const char *pw_hash, int64_t party_id,
                          bool admin, int64_t now, int64_t *id, ssr_diag_t *diag)
{
	store_num_t party = store_num(party_id), t = store_num(now);
	const char *p[] = {login, pw_hash, party_id > 0 ? party.v : NULL, admin ? "1" : "0", t.v};
	return store_db_exec(st->db,
	                     "INSERT INTO account (login, pw_hash, party_id, admin, created)"
	                     " VALUES ($1,$2,$3,$4,$5) ON CONFLICT (login) DO UPDATE SET"
	                     " pw_hash = excluded.pw_hash, party_id = excluded.party_id,"
	                     " admin = excluded.admin RETURNING id",
	                     5, p, store_first_i64, id, diag);
}

int ssr_store_account_set_editor(ssr_store_t *st, const char *login, bool editor, ssr_diag_t *diag)
{
	const char *p[] = {login, editor ? "1" : "0"};
	int64_t n = 0;
	int rc =
	    store_db_exec(st->db, "UPDATE account SET editor = $2 WHERE login = $1 RETURNING 1", 2,
	                  p, store_first_i64, &n, diag);
	if (rc == SSR_EOK && n == 0) {
		return ssr_diag_set(diag, SSR_ENOTFOUND, "no account '%s'", login);
	}
	return rc;
}

static const store_field_t account_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_account_t, id),
    STORE_FIELD(STORE_F_TEXT, ssr_account_t, login),
    STORE_FIELD(STORE_F_TEXT, ssr_account_t, pw_hash),
    STORE_FIELD(STORE_F_I64, ssr_account_t, party_id),
    STORE_FIELD(STORE_F_BOOL, ssr_account_t, admin),
    STORE_FIELD(STORE_F_BOOL, ssr_account_t, editor),
};

int ssr_store_account_by_login(ssr_store_t *st, const char *login, ssr_account_t *out,
                               ssr_diag_t *diag)
{
	const char *p[] = {login};
	return store_query_struct(
	    st, "SELECT id, login, pw_hash, party_id, admin, editor FROM account WHERE login = $1",
	    1, p, account_fields, sizeof(account_fields) / sizeof(account_fields[0]), out,
	    sizeof(*out), diag);
}

int ssr_store_token_put(ssr_store_t *st, const char *digest, int64_t account_id, const char *label,
                        int64_t now, ssr_diag_t *diag)
{
	store_num_t a = store_num(account_id), t = store_num(now);
	const char *p[] = {digest, a.v, label, t.v};
	return exec(
	    st, "INSERT INTO api_token (digest, account_id, label, created) VALUES ($1,$2,$3,$4)",
	    4, p, diag);
}

static const store_field_t principal_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_principal_t, account_id),
    STORE_FIELD(STORE_F_TEXT, ssr_principal_t, login),
    STORE_FIELD(STORE_F_I64, ssr_principal_t, party_id),
    STORE_FIELD(STORE_F_BOOL, ssr_principal_t, admin),
    STORE_FIELD(STORE_F_BOOL, ssr_principal_t, editor),
    STORE_FIELD(STORE_F_TEXT, ssr_principal_t, csrf),
    STORE_FIELD(STORE_F_I64, ssr_principal_t, expires),
};
#define NPRINCIPAL (sizeof(principal_fields) / sizeof(principal_fields[0]))

int ssr_store_token_principal(ssr_store_t *st, const char *digest, ssr_principal_t *out,
                              ssr_diag_t *diag)
{
	const char *p[] = {digest};
	return store_query_struct(st,
	                          "SELECT a.id, a.login, a.party_id, a.admin, a.editor, '', 0"
	                          " FROM api_token t JOIN account a ON a.id = t.account_id"
	                          " WHERE t.digest = $1",
	                          1, p, principal_fields, NPRINCIPAL, out, sizeof(*out), diag);
}

int ssr_store_session_put(ssr_store_t *st, const char *digest, int64_t account_id, const char *csrf,
                          int64_t expires, ssr_diag_t *diag)
{
	store_num_t a = store_num(account_id), e = store_num(expires);
	const char *p[] = {digest, a.v, csrf, e.v};
	return exec(st,
	            "INSERT INTO web_session (digest, account_id, csrf, expires)"
	            " VALUES ($1,$2,$3,$4)",
	            4, p, diag);
}

int ssr_store_session_principal(ssr_store_t *st, const char *digest, int64_t now,
                                ssr_principal_t *out, ssr_diag_t *diag)
{
	store_num_t t = store_num(now);
	const char *p[] = {digest, t.v};
	return store_query_struct(
	    st,
	    "SELECT a.id, a.login, a.party_id, a.admin, a.editor, s.csrf,"
	    " s.expires FROM web_session s JOIN account a ON a.id = s.account_id"
	    " WHERE s.digest = $1 AND s.expires > $2",
	    2, p, principal_fields, NPRINCIPAL, out, sizeof(*out), diag);
}

int ssr_store_session_delete(ssr_store_t *st, const char *digest, int64_t now, ssr_diag_t *diag)
{
	store_num_t t = store_num(now);
	const char *p[] = {digest, t.v};
	return exec(st, "DELETE FROM web_session WHERE digest = $1 OR expires <= $2", 2, p, diag);
}

static int count_row(int n, const char *const *v, void *ctx)
{
	(void)n, (void)v;
	(*(int64_t *)ctx)++;
	return SSR_EOK;
}

int ssr_store_session_purge(ssr_store_t *st, int64_t now, int64_t *n, ssr_diag_t *diag)
{
	store_num_t t = store_num(now);
	const char *p[] = {t.v};
	int64_t k = 0;
	int rc = store_db_exec(st->db, "DELETE FROM web_session WHERE expires <= $1 RETURNING 1", 1,
	                       p, count_row, &k, diag);
	if (n != NULL) {
		*n = k;
	}
	return rc;
}

int ssr_store_account_revoke(ssr_store_t *st, int64_t account_id, int64_t *sessions,
                             int64_t *tokens, ssr_diag_t *diag)
{
	store_num_t a = store_num(account_id);
	const char *p[] = {a.v};
	*sessions = *tokens = 0;
	int rc = store_db_exec(st->db, "DELETE FROM web_session WHERE account_id = $1 RETURNING 1",
	                       1, p, count_row, sessions, diag);
	if (rc == SSR_EOK) {
		rc =
		    store_db_exec(st->db, "DELETE FROM api_token WHERE account_id = $1 RETURNING 1",
		                  1, p, count_row, tokens, diag);
	}
	return rc;
}

int ssr_store_token_revoke(ssr_store_t *st, int64_t account_id, const char *label, int64_t *n,
                           ssr_diag_t *diag)
{
	store_num_t a = store_num(account_id);
	const char *p[] = {a.v, label};
	*n = 0;
	return store_db_exec(st->db,
	                     label != NULL
	                         ? "DELETE FROM api_token WHERE account_id = $1 AND label = $2"
	                           " RETURNING 1"
	                         : "DELETE FROM api_token WHERE account_id = $1 RETURNING 1",
	                     label != NULL ? 2 : 1, p, count_row, n, diag);
}

static const store_field_t token_fields[] = {
    STORE_FIELD(STORE_F_STR, ssr_token_t, label),
    STORE_FIELD(STORE_F_I64, ssr_token_t, created),
};
#define NTOKEN (sizeof(token_fields) / sizeof(token_fields[0]))

int ssr_store_tokens(ssr_store_t *st, int64_t account_id, ssr_token_t **rows, size_t *n,
                     ssr_diag_t *diag)
{
	store_num_t a = store_num(account_id);
	const char *p[] = {a.v};
	void *r = NULL;
	int rc = store_query_structs(st,
	                             "SELECT label, created FROM api_token WHERE account_id = $1"
	                             " ORDER BY created, label",
	                             1, p, token_fields, NTOKEN, sizeof(ssr_token_t), &r, n, diag);
	*rows = r;
	return rc;
}

void ssr_store_tokens_free(ssr_token_t *rows, size_t n)
{
	store_structs_free(token_fields, NTOKEN, rows, n, sizeof(*rows));
}

/* ---- registry directory ---------------------------------------------------------------- */

int ssr_store_registry_put(ssr_store_t *st, const ssr_registry_t *r, ssr_diag_t *diag)
{
	store_num_t party = store_num(r->party_id);
	const char *p[] = {r->tld, r->operator_name, r->email, r->rdap_base,
	                   r->party_id > 0 ? party.v : NULL};
	return exec(st,
	            "INSERT INTO registry (tld, operator, email, rdap_base, party_id)"
	            " VALUES ($1,$2,$3,$4,$5) ON CONFLICT (tld) DO UPDATE SET"
	            " operator = excluded.operator, email = excluded.email,"
	            " rdap_base = excluded.rdap_base, party_id = excluded.party_id",
	            5, p, diag);
}

static const store_field_t registry_fields[] = {
    STORE_FIELD(STORE_F_STR, ssr_registry_t, tld),
    STORE_FIELD(STORE_F_STR, ssr_registry_t, operator_name),
    STORE_FIELD(STORE_F_STR, ssr_registry_t, email),
    STORE_FIELD(STORE_F_STR, ssr_registry_t, rdap_base),
    STORE_FIELD(STORE_F_I64, ssr_registry_t, party_id),
};
#define NREGISTRY (sizeof(registry_fields) / sizeof(registry_fields[0]))

int ssr_store_registry_get(ssr_store_t *st, const char *tld, ssr_registry_t *out, ssr_diag_t *diag)
{
	const char *p[] = {tld};
	return store_query_struct(st,
	                          "SELECT tld, operator, email, rdap_base, party_id FROM registry"
	                          " WHERE tld = $1",
	                          1, p, registry_fields, NREGISTRY, out, sizeof(*out), diag);
}

void ssr_store_registry_release(ssr_registry_t *r)
{
	store_struct_release(registry_fields, NREGISTRY, r);
}

int ssr_store_registry_count(ssr_store_t *st, int64_t *n, ssr_diag_t *diag)
{
	return store_query_i64(st, "SELECT COUNT(*) FROM registry", 0, NULL, n, diag);
}

/* ---- RDAP cache -------------------------------------------------------------------- */

int ssr_store_rdap_put(ssr_store_t *st, const char *url, int status, const char *body,
                       int64_t fetched, int64_t expires, ssr_diag_t *diag)
{
	store_num_t s = store_num(status), f = store_num(fetched), e = store_num(expires);
	const char *p[] = {url, s.v, body, f.v, e.v};
	return exec(st,
	            "INSERT INTO rdap_cache (url, status, body, fetched, expires)"
	            " VALUES ($1,$2,$3,$4,$5) ON CONFLICT (url) DO UPDATE SET"
	            " status = excluded.status, body = excluded.body,"
	            " fetched = excluded.fetched, expires = excluded.expires",
	            5, p, diag);
}

typedef struct {
	int64_t status;
	char *body;
} rdap_row_t;

static const store_field_t rdap_fields[] = {
    STORE_FIELD(STORE_F_I64, rdap_row_t, status),
    STORE_FIELD(STORE_F_STR, rdap_row_t, body),
};

int ssr_store_rdap_get(ssr_store_t *st, const char *url, int64_t now, int *status, char **body,
                       ssr_diag_t *diag)
{
	store_num_t t = store_num(now);
	const char *p[] = {url, t.v};
	rdap_row_t row = {0};
	int rc = store_query_struct(
	    st, "SELECT status, body FROM rdap_cache WHERE url = $1 AND expires > $2", 2, p,
	    rdap_fields, NFIELDS(rdap_fields), &row, sizeof(row), diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (row.body == NULL) {
		return ssr_diag_set(diag, SSR_ECORRUPT,
		                    "store '%s': a cached RDAP answer has no body",
		                    store_db_name(st->db));
	}
	*status = (int)row.status;
	*body = row.body;
	return SSR_EOK;
}
