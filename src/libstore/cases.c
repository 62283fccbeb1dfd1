/* ssrwatch — the portal's reports and cases in the store (schema 4, portalstore.h): reports
 * and their attachments, cases, routing and the case timeline, deliveries.  Every statement is
 * prepared with parameters; nothing from a request is ever spliced into SQL text. */
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

/* Claim the due rows of table (its state and next-time columns) until lease_until, in one
 * statement: the rows' next time pushed to the lease's end and the rows handed out;
 * PostgreSQL skips the rows another instance is claiming at this moment, SQLite has one writer
 * anyway. */
static int claim(ssr_store_t *st, const char *table, const char *state, const char *next,
                 const char *cols, int64_t now, int64_t lease_until, int limit,
                 const store_field_t *f, size_t nf, size_t size, void **rows, size_t *n,
                 ssr_diag_t *diag)
{
	store_num_t t = store_num(now), l = store_num(limit), u = store_num(lease_until);
	const char *p[] = {t.v, l.v, u.v};
	bool pg = store_db_kind(st->db) == STORE_DB_POSTGRES;
	char sql[768];
	snprintf(sql, sizeof sql,
	         "UPDATE %s SET %s = $3 WHERE id IN (SELECT id FROM %s WHERE %s IN"
	         " ('pending','retry') AND %s <= $1 ORDER BY %s, id LIMIT CAST($2 AS BIGINT)%s)"
	         " RETURNING %s",
	         table, next, table, state, next, next, pg ? " FOR UPDATE SKIP LOCKED" : "", cols);
	return store_query_structs(st, sql, 3, p, f, nf, size, rows, n, diag);
}

int ssr_store_cases_claim(ssr_store_t *st, int64_t now, int64_t lease_until, int limit,
                          ssr_case_due_t **rows, size_t *n, ssr_diag_t *diag)
{
	void *r = NULL;
	int rc = claim(st, "abuse_case", "route_state", "route_next",
	               "id, domain, tld, category, route_attempts", now, lease_until, limit,
	               case_due_fields, NCASEDUE, sizeof(ssr_case_due_t), &r, n, diag);
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

int ssr_store_deliveries_claim(ssr_store_t *st, int64_t now, int64_t lease_until, int limit,
                               ssr_delivery_due_t **rows, size_t *n, ssr_diag_t *diag)
{
	void *r = NULL;
	int rc = claim(st, "delivery", "state", "next_at",
	               "id, case_id, party_id, channel, attempts", now, lease_until, limit,
	               delivery_due_fields, NDELIVERYDUE, sizeof(ssr_delivery_due_t), &r, n, diag);
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
