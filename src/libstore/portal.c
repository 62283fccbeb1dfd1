/* ssrwatch — the portal's entities in the store (schema 4).  Every statement is prepared with
 * parameters; nothing from a request is ever spliced into SQL text. */
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

/* ---- reports and cases --------------------------------------------------------------- */

int ssr_store_case_find_open(ssr_store_t *st, const char *domain, const char *category, int64_t *id,
                             ssr_diag_t *diag)
{
	const char *p[] = {domain, category};
	return store_query_i64(st,
	                       "SELECT id FROM abuse_case WHERE domain = $1 AND category = $2"
	                       " AND status <> 'closed'",
	                       2, p, id, diag);
}

int ssr_store_case_insert(ssr_store_t *st, const char *domain, const char *tld,
                          const char *category, int64_t now, int64_t *id, ssr_diag_t *diag)
{
	store_num_t t = store_num(now);
	const char *p[] = {domain, tld, category, t.v};
	return store_db_exec(
	    st->db,
	    "INSERT INTO abuse_case (domain, tld, category, status, opened, reports,"
	    " reporters, route_state, route_attempts, route_next)"
	    " VALUES ($1,$2,$3,'open',$4,0,0,'pending',0,$4) RETURNING id",
	    4, p, store_first_i64, id, diag);
}

int ssr_store_case_count_report(ssr_store_t *st, int64_t case_id, bool new_reporter,
                                ssr_diag_t *diag)
{
	store_num_t c = store_num(case_id);
	const char *p[] = {c.v, new_reporter ? "1" : "0"};
	return exec(st,
	            "UPDATE abuse_case SET reports = reports + 1, reporters = reporters + $2"
	            " WHERE id = $1",
	            2, p, diag);
}

int ssr_store_case_has_reporter(ssr_store_t *st, int64_t case_id, const char *email, bool *yes,
                                ssr_diag_t *diag)
{
	store_num_t c = store_num(case_id);
	const char *p[] = {c.v, email};
	int64_t n = 0;
	int rc = store_query_i64(
	    st,
	    "SELECT COUNT(*) FROM report_case rc JOIN report r ON r.id = rc.report_id"
	    " WHERE rc.case_id = $1 AND r.email = $2",
	    2, p, &n, diag);
	*yes = n > 0;
	return rc;
}

int ssr_store_case_acknowledged(ssr_store_t *st, int64_t case_id, ssr_diag_t *diag)
{
	store_num_t c = store_num(case_id);
	const char *p[] = {c.v};
	return exec(
	    st, "UPDATE abuse_case SET status = 'acknowledged' WHERE id = $1 AND status = 'open'",
	    1, p, diag);
}

int ssr_store_case_set_status(ssr_store_t *st, int64_t case_id, const char *status,
                              int64_t closed_at, ssr_diag_t *diag)
{
	store_num_t c = store_num(case_id), t = store_num(closed_at);
	const char *p[] = {c.v, status, closed_at > 0 ? t.v : NULL};
	return exec(st, "UPDATE abuse_case SET status = $2, closed = $3 WHERE id = $1", 3, p, diag);
}

int ssr_store_report_insert(ssr_store_t *st, const ssr_report_rec_t *r, int64_t *id,
                            ssr_diag_t *diag)
{
	store_num_t t = store_num(r->received);
	const char *p[] = {r->token_digest, r->category,  t.v,    r->email,
	                   r->name,         r->source_ip, r->body};
	return store_db_exec(
	    st->db,
	    "INSERT INTO report (token, category, received, email, name, source_ip,"
	    " body) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
	    7, p, store_first_i64, id, diag);
}

int ssr_store_report_link(ssr_store_t *st, int64_t report_id, int64_t case_id, ssr_diag_t *diag)
{
	store_num_t r = store_num(report_id), c = store_num(case_id);
	const char *p[] = {r.v, c.v};
	return exec(st, "INSERT INTO report_case (report_id, case_id) VALUES ($1,$2)", 2, p, diag);
}

int ssr_store_attachment_insert(ssr_store_t *st, int64_t report_id, const char *name,
                                const char *mime, int64_t size, const char *sha256,
                                const char *data_b64, ssr_diag_t *diag)
{
	store_num_t r = store_num(report_id), s = store_num(size);
	const char *p[] = {r.v, name, mime, s.v, sha256, data_b64};
	return exec(st,
	            "INSERT INTO attachment (report_id, name, mime, size, sha256, data)"
	            " VALUES ($1,$2,$3,$4,$5,$6)",
	            6, p, diag);
}

static const store_field_t att_fields[] = {
    STORE_FIELD(STORE_F_STR, ssr_attachment_t, name),
    STORE_FIELD(STORE_F_STR, ssr_attachment_t, type),
    STORE_FIELD(STORE_F_I64, ssr_attachment_t, size),
    STORE_FIELD(STORE_F_STR, ssr_attachment_t, sha256),
    STORE_FIELD(STORE_F_STR, ssr_attachment_t, data_b64),
};
#define NATT (sizeof(att_fields) / sizeof(att_fields[0]))

int ssr_store_attachments(ssr_store_t *st, int64_t report_id, ssr_attachment_t **rows, size_t *n,
                          ssr_diag_t *diag)
{
	store_num_t r = store_num(report_id);
	const char *p[] = {r.v};
	void *out = NULL;
	int rc = store_query_structs(
	    st,
	    "SELECT name, mime, size, sha256, data FROM attachment WHERE report_id = $1"
	    " ORDER BY id",
	    1, p, att_fields, NATT, sizeof(ssr_attachment_t), &out, n, diag);
	*rows = out;
	return rc;
}

void ssr_store_attachments_free(ssr_attachment_t *rows, size_t n)
{
	store_structs_free(att_fields, NATT, rows, n, sizeof(*rows));
}

static const store_field_t report_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_report_t, id),
    STORE_FIELD(STORE_F_STR, ssr_report_t, category),
    STORE_FIELD(STORE_F_I64, ssr_report_t, received),
    STORE_FIELD(STORE_F_STR, ssr_report_t, body),
};
static const store_field_t report_case_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_report_case_t, id),
    STORE_FIELD(STORE_F_STR, ssr_report_case_t, domain),
    STORE_FIELD(STORE_F_STR, ssr_report_case_t, category),
    STORE_FIELD(STORE_F_STR, ssr_report_case_t, status),
    STORE_FIELD(STORE_F_I64, ssr_report_case_t, opened),
    STORE_FIELD(STORE_F_I64, ssr_report_case_t, closed),
};
int ssr_store_report_by_token(ssr_store_t *st, const char *digest, ssr_report_t *out,
                              ssr_diag_t *diag)
{
	const char *p[] = {digest};
	int rc = store_query_struct(
	    st, "SELECT id, category, received, body FROM report WHERE token = $1", 1, p,
	    report_fields, NFIELDS(report_fields), out, sizeof(*out), diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	store_num_t id = store_num(out->id);
	const char *q[] = {id.v};
	void *cases = NULL;
	rc = store_query_structs(st,
	                         "SELECT c.id, c.domain, c.category, c.status, c.opened, c.closed"
	                         " FROM report_case rc JOIN abuse_case c ON c.id = rc.case_id"
	                         " WHERE rc.report_id = $1 ORDER BY c.id",
	                         1, q, report_case_fields, NFIELDS(report_case_fields),
	                         sizeof(ssr_report_case_t), &cases, &out->ncases, diag);
	out->cases = cases;
	if (rc != SSR_EOK) {
		ssr_store_report_release(out);
	}
	return rc;
}

void ssr_store_report_release(ssr_report_t *r)
{
	store_structs_free(report_case_fields, NFIELDS(report_case_fields), r->cases, r->ncases,
	                   sizeof(*r->cases));
	r->cases = NULL;
	r->ncases = 0;
	store_struct_release(report_fields, NFIELDS(report_fields), r);
}

int ssr_store_report_count(ssr_store_t *st, int64_t *n, ssr_diag_t *diag)
{
	return store_query_i64(st, "SELECT COUNT(*) FROM report", 0, NULL, n, diag);
}

static const store_field_t case_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_case_t, id),
    STORE_FIELD(STORE_F_STR, ssr_case_t, domain),
    STORE_FIELD(STORE_F_STR, ssr_case_t, tld),
    STORE_FIELD(STORE_F_STR, ssr_case_t, category),
    STORE_FIELD(STORE_F_STR, ssr_case_t, status),
    STORE_FIELD(STORE_F_I64, ssr_case_t, opened),
    STORE_FIELD(STORE_F_I64, ssr_case_t, closed),
    STORE_FIELD(STORE_F_I64, ssr_case_t, reports),
    STORE_FIELD(STORE_F_I64, ssr_case_t, reporters),
    STORE_FIELD(STORE_F_STR, ssr_case_t, route_state),
    STORE_FIELD(STORE_F_I64, ssr_case_t, route_attempts),
    STORE_FIELD(STORE_F_STR, ssr_case_t, route_error),
};
static const store_field_t case_party_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_case_party_t, party_id),
    STORE_FIELD(STORE_F_STR, ssr_case_party_t, role),
    STORE_FIELD(STORE_F_STR, ssr_case_party_t, name),
    STORE_FIELD(STORE_F_STR, ssr_case_party_t, kind),
    STORE_FIELD(STORE_F_I64, ssr_case_party_t, iana_id),
};
static const store_field_t case_event_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_case_event_t, at),
    STORE_FIELD(STORE_F_STR, ssr_case_event_t, kind),
    STORE_FIELD(STORE_F_I64, ssr_case_event_t, party_id),
    STORE_FIELD(STORE_F_STR, ssr_case_event_t, party),
    STORE_FIELD(STORE_F_STR, ssr_case_event_t, detail),
};
static const store_field_t case_report_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_case_report_t, id),
    STORE_FIELD(STORE_F_I64, ssr_case_report_t, received),
    STORE_FIELD(STORE_F_STR, ssr_case_report_t, body),
};

int ssr_store_case_get(ssr_store_t *st, int64_t id, ssr_case_t *out, ssr_diag_t *diag)
{
	store_num_t n = store_num(id);
	const char *p[] = {n.v};
	int rc =
	    store_query_struct(st,
	                       "SELECT id, domain, tld, category, status, opened, closed,"
	                       " reports, reporters, route_state, route_attempts, route_error"
	                       " FROM abuse_case WHERE id = $1",
	                       1, p, case_fields, NFIELDS(case_fields), out, sizeof(*out), diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	void *parties = NULL, *events = NULL, *reports = NULL;
	rc = store_query_structs(st,
	                         "SELECT cp.party_id, cp.role, p.name, p.kind, p.iana_id"
	                         " FROM case_party cp JOIN party p ON p.id = cp.party_id"
	                         " WHERE cp.case_id = $1 ORDER BY cp.role, cp.party_id",
	                         1, p, case_party_fields, NFIELDS(case_party_fields),
	                         sizeof(ssr_case_party_t), &parties, &out->nparties, diag);
	out->parties = parties;
	if (rc == SSR_EOK) {
		rc = store_query_structs(
		    st,
		    "SELECT e.at, e.kind, e.party_id, p.name, e.detail FROM event e"
		    " LEFT JOIN party p ON p.id = e.party_id WHERE e.case_id = $1"
		    " ORDER BY e.at, e.id",
		    1, p, case_event_fields, NFIELDS(case_event_fields), sizeof(ssr_case_event_t),
		    &events, &out->nevents, diag);
		out->events = events;
	}
	if (rc == SSR_EOK) {
		rc = store_query_structs(
		    st,
		    "SELECT r.id, r.received, r.body FROM report_case rc"
		    " JOIN report r ON r.id = rc.report_id WHERE rc.case_id = $1"
		    " ORDER BY r.id",
		    1, p, case_report_fields, NFIELDS(case_report_fields),
		    sizeof(ssr_case_report_t), &reports, &out->nreports, diag);
		out->reports_received = reports;
	}
	if (rc != SSR_EOK) {
		ssr_store_case_release(out);
	}
	return rc;
}

void ssr_store_case_release(ssr_case_t *c)
{
	store_structs_free(case_party_fields, NFIELDS(case_party_fields), c->parties, c->nparties,
	                   sizeof(*c->parties));
	store_structs_free(case_event_fields, NFIELDS(case_event_fields), c->events, c->nevents,
	                   sizeof(*c->events));
	store_structs_free(case_report_fields, NFIELDS(case_report_fields), c->reports_received,
	                   c->nreports, sizeof(*c->reports_received));
	store_struct_release(case_fields, NFIELDS(case_fields), c);
	memset(c, 0, sizeof(*c));
}

int ssr_store_case_has_party(ssr_store_t *st, int64_t case_id, int64_t party_id, bool *yes,
                             ssr_diag_t *diag)
{
	store_num_t c = store_num(case_id), pa = store_num(party_id);
	const char *p[] = {c.v, pa.v};
	int64_t n = 0;
	int rc = store_query_i64(
	    st, "SELECT COUNT(*) FROM case_party WHERE case_id = $1 AND party_id = $2", 2, p, &n,
	    diag);
	*yes = n > 0;
	return rc;
}

static const store_field_t case_row_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_case_row_t, id),
    STORE_FIELD(STORE_F_STR, ssr_case_row_t, domain),
    STORE_FIELD(STORE_F_STR, ssr_case_row_t, tld),
    STORE_FIELD(STORE_F_STR, ssr_case_row_t, category),
    STORE_FIELD(STORE_F_STR, ssr_case_row_t, status),
    STORE_FIELD(STORE_F_I64, ssr_case_row_t, opened),
    STORE_FIELD(STORE_F_I64, ssr_case_row_t, reports),
    STORE_FIELD(STORE_F_STR, ssr_case_row_t, party_state),
};

int ssr_store_cases(ssr_store_t *st, const ssr_case_filter_t *f, ssr_case_row_t **rows, size_t *n,
                    ssr_diag_t *diag)
{
	store_num_t party = store_num(f->party_id), before = store_num(f->before_id),
	            lim = store_num(f->limit > 0 && f->limit <= 1000 ? f->limit : 100);
	const char *p[] = {f->party_id > 0 ? party.v : NULL,   f->status, f->category, f->domain,
	                   f->before_id > 0 ? before.v : NULL, lim.v};
	/* party_state: the party's own last action on the case (routed, acknowledged,
	 * resolved), so an inbox shows what is still to do */
	void *out = NULL;
	int rc = store_query_structs(
	    st,
	    "SELECT c.id, c.domain, c.tld, c.category, c.status, c.opened, c.reports,"
	    " (SELECT e.kind FROM event e WHERE e.case_id = c.id AND e.party_id = CAST($1 AS "
	    "BIGINT)"
	    "  AND e.kind IN ('routed','acknowledged','resolved') ORDER BY e.at DESC, e.id DESC"
	    "  LIMIT 1)"
	    " FROM abuse_case c"
	    " WHERE (CAST($1 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM case_party cp"
	    "  WHERE cp.case_id = c.id AND cp.party_id = CAST($1 AS BIGINT)))"
	    " AND (CAST($2 AS TEXT) IS NULL OR c.status = $2)"
	    " AND (CAST($3 AS TEXT) IS NULL OR c.category = $3)"
	    " AND (CAST($4 AS TEXT) IS NULL OR c.domain LIKE '%' || $4 || '%')"
	    " AND (CAST($5 AS BIGINT) IS NULL OR c.id < CAST($5 AS BIGINT))"
	    " ORDER BY c.id DESC LIMIT CAST($6 AS BIGINT)",
	    6, p, case_row_fields, NFIELDS(case_row_fields), sizeof(ssr_case_row_t), &out, n, diag);
	*rows = out;
	return rc;
}

void ssr_store_case_rows_free(ssr_case_row_t *rows, size_t n)
{
	store_structs_free(case_row_fields, NFIELDS(case_row_fields), rows, n, sizeof(*rows));
}

/* ---- routing and timeline ------------------------------------------------------------ */

int ssr_store_case_party_add(ssr_store_t *st, int64_t case_id, int64_t party_id, const char *role,
                             bool *added, ssr_diag_t *diag)
{
	store_num_t c = store_num(case_id), pa = store_num(party_id);
	const char *p[] = {c.v, pa.v, role};
	int64_t n = 0;
	int rc =
	    store_query_i64(st,
	                    "INSERT INTO case_party (case_id, party_id, role) VALUES ($1,$2,$3)"
	                    " ON CONFLICT DO NOTHING RETURNING 1",
	                    3, p, &n, diag);
	*added = n == 1;
	return rc;
}

int ssr_store_event_add(ssr_store_t *st, int64_t case_id, int64_t party_id, const char *kind,
                        int64_t at, const char *detail, ssr_diag_t *diag)
{
	store_num_t c = store_num(case_id), pa = store_num(party_id), t = store_num(at);
	const char *p[] = {c.v, party_id > 0 ? pa.v : NULL, kind, t.v, detail};
	return exec(
	    st, "INSERT INTO event (case_id, party_id, kind, at, detail) VALUES ($1,$2,$3,$4,$5)",
	    5, p, diag);
}

int ssr_store_case_progress(ssr_store_t *st, int64_t case_id, int64_t party_id, bool *acked,
                            bool *resolved, ssr_diag_t *diag)
{
	store_num_t c = store_num(case_id), pa = store_num(party_id);
	const char *p[] = {c.v, pa.v};
	int64_t a = 0, r = 0;
	int rc = store_query_i64(st,
	                         "SELECT COUNT(*) FROM event WHERE case_id = $1 AND party_id = $2"
	                         " AND kind = 'acknowledged'",
	                         2, p, &a, diag);
	if (rc == SSR_EOK) {
		rc = store_query_i64(
		    st,
		    "SELECT COUNT(*) FROM event WHERE case_id = $1 AND party_id = $2"
		    " AND kind = 'resolved'",
		    2, p, &r, diag);
	}
	*acked = a > 0;
	*resolved = r > 0;
	return rc;
}

int ssr_store_case_unresolved(ssr_store_t *st, int64_t case_id, int64_t *n, ssr_diag_t *diag)
{
	store_num_t c = store_num(case_id);
	const char *p[] = {c.v};
	return store_query_i64(
	    st,
	    "SELECT COUNT(*) FROM case_party cp WHERE cp.case_id = $1 AND NOT EXISTS"
	    " (SELECT 1 FROM event e WHERE e.case_id = cp.case_id"
	    " AND e.party_id = cp.party_id AND e.kind = 'resolved')",
	    1, p, n, diag);
}

int ssr_store_case_route_state(ssr_store_t *st, int64_t case_id, const char *state, int attempts,
                               int64_t next_at, const char *error, ssr_diag_t *diag)
{
	store_num_t c = store_num(case_id), a = store_num(attempts), t = store_num(next_at);
	const char *p[] = {c.v, state, a.v, t.v, error};
	return exec(st,
	            "UPDATE abuse_case SET route_state = $2, route_attempts = $3, route_next = $4,"
	            " route_error = $5 WHERE id = $1",
	            5, p, diag);
}

static const store_field_t case_due_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_case_due_t, id),
    STORE_FIELD(STORE_F_STR, ssr_case_due_t, domain),
    STORE_FIELD(STORE_F_STR, ssr_case_due_t, tld),
    STORE_FIELD(STORE_F_STR, ssr_case_due_t, category),
    STORE_FIELD(STORE_F_I64, ssr_case_due_t, attempts),
};
#define NCASEDUE (sizeof(case_due_fields) / sizeof(case_due_fields[0]))

int ssr_store_cases_to_route(ssr_store_t *st, int64_t now, int limit, ssr_case_due_t **rows,
                             size_t *n, ssr_diag_t *diag)
{
	store_num_t t = store_num(now), l = store_num(limit);
	const char *p[] = {t.v, l.v};
	void *r = NULL;
	int rc = store_query_structs(
	    st,
	    "SELECT id, domain, tld, category, route_attempts FROM abuse_case"
	    " WHERE route_state IN ('pending','retry') AND route_next <= $1"
	    " ORDER BY route_next, id LIMIT CAST($2 AS BIGINT)",
	    2, p, case_due_fields, NCASEDUE, sizeof(ssr_case_due_t), &r, n, diag);
	*rows = r;
	return rc;
}

void ssr_store_cases_due_free(ssr_case_due_t *rows, size_t n)
{
	store_structs_free(case_due_fields, NCASEDUE, rows, n, sizeof(*rows));
}

typedef struct {
	ssr_store_sla_event_fn fn;
	void *ctx;
} sla_rows_t;

static int sla_row(int n, const char *const *v, void *ctx)
{
	sla_rows_t *r = ctx;
	if (n != 8) {
		return SSR_ESTORE;
	}
	ssr_sla_event_t e = {.case_id = store_to_i64(v[0]),
	                     .party_id = store_to_i64(v[1]),
	                     .role = v[2] ? v[2] : "",
	                     .name = v[3] ? v[3] : "",
	                     .kind = v[4] ? v[4] : "",
	                     .at = store_to_i64(v[5]),
	                     .detail = v[6],
	                     .closed = v[7] != NULL,
	                     .closed_at = store_to_i64(v[7])};
	return r->fn(&e, r->ctx);
}

int ssr_store_sla_events(ssr_store_t *st, ssr_store_sla_event_fn fn, void *ctx, ssr_diag_t *diag)
{
	sla_rows_t r = {fn, ctx};
	return store_db_exec(
	    st->db,
	    "SELECT e.case_id, e.party_id, cp.role, p.name, e.kind, e.at, e.detail,"
	    " c.closed FROM event e JOIN case_party cp ON cp.case_id = e.case_id"
	    " AND cp.party_id = e.party_id JOIN party p ON p.id = e.party_id"
	    " JOIN abuse_case c ON c.id = e.case_id"
	    " WHERE e.kind IN ('routed','acknowledged','resolved')"
	    " ORDER BY e.party_id, e.case_id, e.at, e.id",
	    0, NULL, sla_row, &r, diag);
}

/* ---- deliveries -------------------------------------------------------------------- */

int ssr_store_delivery_add(ssr_store_t *st, int64_t case_id, int64_t party_id, const char *channel,
                           int64_t now, ssr_diag_t *diag)
{
	store_num_t c = store_num(case_id), pa = store_num(party_id), t = store_num(now);
	const char *p[] = {c.v, pa.v, channel, t.v};
	return exec(st,
	            "INSERT INTO delivery (case_id, party_id, channel, state, attempts, next_at,"
	            " created) VALUES ($1,$2,$3,'pending',0,$4,$4)",
	            4, p, diag);
}

static const store_field_t delivery_due_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_delivery_due_t, id),
    STORE_FIELD(STORE_F_I64, ssr_delivery_due_t, case_id),
    STORE_FIELD(STORE_F_I64, ssr_delivery_due_t, party_id),
    STORE_FIELD(STORE_F_STR, ssr_delivery_due_t, channel),
    STORE_FIELD(STORE_F_I64, ssr_delivery_due_t, attempts),
};
#define NDELIVERYDUE (sizeof(delivery_due_fields) / sizeof(delivery_due_fields[0]))

int ssr_store_deliveries_due(ssr_store_t *st, int64_t now, int limit, ssr_delivery_due_t **rows,
                             size_t *n, ssr_diag_t *diag)
{
	store_num_t t = store_num(now), l = store_num(limit);
	const char *p[] = {t.v, l.v};
	void *r = NULL;
	int rc = store_query_structs(st,
	                             "SELECT id, case_id, party_id, channel, attempts FROM delivery"
	                             " WHERE state IN ('pending','retry') AND next_at <= $1"
	                             " ORDER BY next_at, id LIMIT CAST($2 AS BIGINT)",
	                             2, p, delivery_due_fields, NDELIVERYDUE,
	                             sizeof(ssr_delivery_due_t), &r, n, diag);
	*rows = r;
	return rc;
}

void ssr_store_deliveries_due_free(ssr_delivery_due_t *rows, size_t n)
{
	store_structs_free(delivery_due_fields, NDELIVERYDUE, rows, n, sizeof(*rows));
}

int ssr_store_delivery_attempt(ssr_store_t *st, int64_t id, int attempt, int64_t at,
                               const char *state, int64_t next_at, const char *detail,
                               ssr_diag_t *diag)
{
	store_num_t d = store_num(id), a = store_num(attempt), t = store_num(at),
	            nx = store_num(next_at);
	const char *p[] = {d.v, a.v, t.v, state, detail, nx.v};
	int rc = exec(st,
	              "INSERT INTO delivery_attempt (delivery_id, attempt, at, state, detail)"
	              " VALUES ($1,$2,$3,$4,$5)",
	              5, p, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *u[] = {d.v, a.v, state, nx.v};
	return exec(st, "UPDATE delivery SET attempts = $2, state = $3, next_at = $4 WHERE id = $1",
	            4, u, diag);
}

static const store_field_t attempt_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_delivery_attempt_t, delivery_id),
    STORE_FIELD(STORE_F_I64, ssr_delivery_attempt_t, party_id),
    STORE_FIELD(STORE_F_STR, ssr_delivery_attempt_t, channel),
    STORE_FIELD(STORE_F_I64, ssr_delivery_attempt_t, attempt),
    STORE_FIELD(STORE_F_I64, ssr_delivery_attempt_t, at),
    STORE_FIELD(STORE_F_STR, ssr_delivery_attempt_t, state),
    STORE_FIELD(STORE_F_STR, ssr_delivery_attempt_t, detail),
};

int ssr_store_delivery_log(ssr_store_t *st, int64_t case_id, ssr_delivery_attempt_t **rows,
                           size_t *n, ssr_diag_t *diag)
{
	store_num_t c = store_num(case_id);
	const char *p[] = {c.v};
	void *out = NULL;
	int rc = store_query_structs(
	    st,
	    "SELECT d.id, d.party_id, d.channel, a.attempt, a.at, a.state, a.detail"
	    " FROM delivery d JOIN delivery_attempt a ON a.delivery_id = d.id"
	    " WHERE d.case_id = $1 ORDER BY d.id, a.attempt",
	    1, p, attempt_fields, NFIELDS(attempt_fields), sizeof(ssr_delivery_attempt_t), &out, n,
	    diag);
	*rows = out;
	return rc;
}

void ssr_store_delivery_log_free(ssr_delivery_attempt_t *rows, size_t n)
{
	store_structs_free(attempt_fields, NFIELDS(attempt_fields), rows, n, sizeof(*rows));
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
