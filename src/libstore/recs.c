/* ssrwatch — the recommendation tracker's entities (schema 7). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/date.h"
#include "ssrwatch/recsstore.h"
#include "store_priv.h"

int ssr_store_recs_put_review(ssr_store_t *st, const char *id, const char *title,
                              const char *published, ssr_diag_t *diag)
{
	const char *p[] = {id, title, published};
	return store_db_exec(st->db,
	                     "INSERT INTO rec_review (id, title, published) VALUES ($1,$2,$3)"
	                     " ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
	                     " published = excluded.published",
	                     3, p, NULL, NULL, diag);
}

int ssr_store_recs_put(ssr_store_t *st, const ssr_rec_put_t *r, ssr_diag_t *diag)
{
	store_num_t c = store_num(r->cadence), o = store_num(r->ord);
	const char *p[] = {r->id,         r->review, r->parent, r->title,   r->summary, r->priority,
	                   r->workstream, r->owner,  r->refs,   r->measure, c.v,        o.v};
	return store_db_exec(
	    st->db,
	    "INSERT INTO rec (id, review, parent, title, summary, priority, workstream,"
	    " owner, refs, measure, cadence, ord)"
	    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)"
	    " ON CONFLICT (id) DO UPDATE SET review = excluded.review,"
	    " parent = excluded.parent, title = excluded.title,"
	    " summary = excluded.summary, priority = excluded.priority,"
	    " workstream = excluded.workstream, owner = excluded.owner,"
	    " refs = excluded.refs, measure = excluded.measure,"
	    " cadence = excluded.cadence, ord = excluded.ord",
	    12, p, NULL, NULL, diag);
}

#define REC_COLS                                                                                   \
	"r.id, r.review, r.parent, r.title, r.summary, r.priority, r.workstream, r.owner, r.refs," \
	" r.measure, r.cadence,"                                                                   \
	" COALESCE((SELECT e.to_status FROM rec_event e WHERE e.rec_id = r.id"                     \
	" ORDER BY e.id DESC LIMIT 1), 'not-started'),"                                            \
	" COALESCE((SELECT e.at FROM rec_event e WHERE e.rec_id = r.id"                            \
	" ORDER BY e.id DESC LIMIT 1), 0),"                                                        \
	" (SELECT count(*) FROM rec_evidence v WHERE v.rec_id = r.id),"                            \
	" COALESCE((SELECT max(v.at) FROM rec_evidence v WHERE v.rec_id = r.id), 0)"
static const store_field_t rec_fields[] = {
    STORE_FIELD(STORE_F_STR, ssr_rec_row_t, id),
    STORE_FIELD(STORE_F_STR, ssr_rec_row_t, review),
    STORE_FIELD(STORE_F_STR, ssr_rec_row_t, parent),
    STORE_FIELD(STORE_F_STR, ssr_rec_row_t, title),
    STORE_FIELD(STORE_F_STR, ssr_rec_row_t, summary),
    STORE_FIELD(STORE_F_STR, ssr_rec_row_t, priority),
    STORE_FIELD(STORE_F_STR, ssr_rec_row_t, workstream),
    STORE_FIELD(STORE_F_STR, ssr_rec_row_t, owner),
    STORE_FIELD(STORE_F_STR, ssr_rec_row_t, refs),
    STORE_FIELD(STORE_F_STR, ssr_rec_row_t, measure),
    STORE_FIELD(STORE_F_I64, ssr_rec_row_t, cadence),
    STORE_FIELD(STORE_F_STR, ssr_rec_row_t, status),
    STORE_FIELD(STORE_F_I64, ssr_rec_row_t, status_at),
    STORE_FIELD(STORE_F_I64, ssr_rec_row_t, evidence),
    STORE_FIELD(STORE_F_I64, ssr_rec_row_t, last_evidence),
};

int ssr_store_recs_list(ssr_store_t *st, const char *id, ssr_rec_row_t **rows, size_t *n,
                        ssr_diag_t *diag)
{
	const char *p[] = {id};
	void *out = NULL;
	int rc = store_query_structs(st,
	                             id ? "SELECT " REC_COLS " FROM rec r WHERE r.id = $1"
	                                : "SELECT " REC_COLS " FROM rec r ORDER BY r.review, r.ord",
	                             id ? 1 : 0, p, rec_fields, NFIELDS(rec_fields),
	                             sizeof(ssr_rec_row_t), &out, n, diag);
	*rows = out;
	if (rc == SSR_EOK && id != NULL && *n == 0) {
		rc = ssr_diag_set(diag, SSR_ENOTFOUND, "no recommendation '%s'", id);
	}
	return rc;
}

void ssr_store_recs_rows_free(ssr_rec_row_t *rows, size_t n)
{
	store_structs_free(rec_fields, NFIELDS(rec_fields), rows, n, sizeof(*rows));
}

static const store_field_t review_fields[] = {
    STORE_FIELD(STORE_F_STR, ssr_rec_review_row_t, id),
    STORE_FIELD(STORE_F_STR, ssr_rec_review_row_t, title),
    STORE_FIELD(STORE_F_STR, ssr_rec_review_row_t, published),
};

int ssr_store_recs_reviews(ssr_store_t *st, ssr_rec_review_row_t **rows, size_t *n,
                           ssr_diag_t *diag)
{
	void *out = NULL;
	int rc = store_query_structs(st, "SELECT id, title, published FROM rec_review ORDER BY id",
	                             0, NULL, review_fields, NFIELDS(review_fields),
	                             sizeof(ssr_rec_review_row_t), &out, n, diag);
	*rows = out;
	return rc;
}

void ssr_store_recs_reviews_free(ssr_rec_review_row_t *rows, size_t n)
{
	store_structs_free(review_fields, NFIELDS(review_fields), rows, n, sizeof(*rows));
}

typedef struct {
	char status[32];
	int64_t evidence;
	bool found;
} cur_t;

static int cur_row(int n, const char *const *v, void *ctx)
{
	cur_t *c = ctx;
	if (n >= 2) {
		snprintf(c->status, sizeof c->status, "%s", v[0] ? v[0] : "not-started");
		c->evidence = store_to_i64(v[1]);
		c->found = true;
	}
	return SSR_EOK;
}

int ssr_store_recs_move(ssr_store_t *st, const char *id, const char *to, const char *actor,
                        const char *reason, int64_t at, ssr_store_recs_check_fn check, char *from,
                        ssr_diag_t *diag)
{
	bool own = !st->in_tx;
	int rc = own ? ssr_store_begin(st, diag) : SSR_EOK;
	if (rc != SSR_EOK) {
		return rc;
	}
	cur_t c = {0};
	const char *p[] = {id};
	rc = store_db_exec(
	    st->db,
	    "SELECT COALESCE((SELECT e.to_status FROM rec_event e WHERE e.rec_id = r.id"
	    " ORDER BY e.id DESC LIMIT 1), 'not-started'),"
	    " (SELECT count(*) FROM rec_evidence v WHERE v.rec_id = r.id)"
	    " FROM rec r WHERE r.id = $1",
	    1, p, cur_row, &c, diag);
	if (rc == SSR_EOK && !c.found) {
		rc = ssr_diag_set(diag, SSR_ENOTFOUND, "no recommendation '%s'", id);
	}
	if (rc == SSR_EOK) {
		rc = check(c.status, to, (uint64_t)c.evidence, reason, diag);
	}
	if (rc == SSR_EOK) {
		store_num_t t = store_num(at);
		const char *q[] = {id, t.v, actor, c.status, to, reason ? reason : ""};
		rc = store_db_exec(
		    st->db,
		    "INSERT INTO rec_event (rec_id, at, actor, from_status, to_status, reason)"
		    " VALUES ($1,$2,$3,$4,$5,$6)",
		    6, q, NULL, NULL, diag);
	}
	if (own) {
		if (rc == SSR_EOK) {
			rc = ssr_store_commit(st, diag);
		} else {
			ssr_store_rollback(st);
		}
	}
	if (rc == SSR_EOK && from) {
		snprintf(from, 16, "%.15s", c.status);
	}
	return rc;
}

static const store_field_t event_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_rec_event_t, id),
    STORE_FIELD(STORE_F_STR, ssr_rec_event_t, rec_id),
    STORE_FIELD(STORE_F_I64, ssr_rec_event_t, at),
    STORE_FIELD(STORE_F_STR, ssr_rec_event_t, actor),
    STORE_FIELD(STORE_F_STR, ssr_rec_event_t, from),
    STORE_FIELD(STORE_F_STR, ssr_rec_event_t, to),
    STORE_FIELD(STORE_F_STR, ssr_rec_event_t, reason),
};

int ssr_store_recs_events(ssr_store_t *st, const char *id, ssr_rec_event_t **rows, size_t *n,
                          ssr_diag_t *diag)
{
	const char *p[] = {id};
	void *out = NULL;
	int rc =
	    store_query_structs(st,
	                        id ? "SELECT id, rec_id, at, actor, from_status, to_status, reason"
	                             " FROM rec_event WHERE rec_id = $1 ORDER BY id"
	                           : "SELECT id, rec_id, at, actor, from_status, to_status, reason"
	                             " FROM rec_event ORDER BY id",
	                        id ? 1 : 0, p, event_fields, NFIELDS(event_fields),
	                        sizeof(ssr_rec_event_t), &out, n, diag);
	*rows = out;
	return rc;
}

void ssr_store_recs_events_free(ssr_rec_event_t *rows, size_t n)
{
	store_structs_free(event_fields, NFIELDS(event_fields), rows, n, sizeof(*rows));
}

int ssr_store_recs_add_evidence(ssr_store_t *st, const char *rec_id, int64_t at, const char *actor,
                                const char *kind, const char *ref, const char *note, int64_t *id,
                                ssr_diag_t *diag)
{
	int64_t exists = 0;
	const char *q[] = {rec_id};
	int rc = store_query_i64(st, "SELECT count(*) FROM rec WHERE id = $1", 1, q, &exists, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (exists == 0) {
		return ssr_diag_set(diag, SSR_ENOTFOUND, "no recommendation '%s'", rec_id);
	}
	store_num_t t = store_num(at);
	const char *p[] = {rec_id, t.v, actor, kind, ref, note ? note : ""};
	return store_db_exec(st->db,
	                     "INSERT INTO rec_evidence (rec_id, at, actor, kind, ref, note)"
	                     " VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
	                     6, p, store_first_i64, id, diag);
}

static const store_field_t evidence_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_rec_evidence_t, id),
    STORE_FIELD(STORE_F_STR, ssr_rec_evidence_t, rec_id),
    STORE_FIELD(STORE_F_I64, ssr_rec_evidence_t, at),
    STORE_FIELD(STORE_F_STR, ssr_rec_evidence_t, actor),
    STORE_FIELD(STORE_F_STR, ssr_rec_evidence_t, kind),
    STORE_FIELD(STORE_F_STR, ssr_rec_evidence_t, ref),
    STORE_FIELD(STORE_F_STR, ssr_rec_evidence_t, note),
};

int ssr_store_recs_evidence(ssr_store_t *st, const char *id, ssr_rec_evidence_t **rows, size_t *n,
                            ssr_diag_t *diag)
{
	const char *p[] = {id};
	void *out = NULL;
	int rc = store_query_structs(
	    st,
	    id ? "SELECT id, rec_id, at, actor, kind, ref, note FROM rec_evidence"
	         " WHERE rec_id = $1 ORDER BY id"
	       : "SELECT id, rec_id, at, actor, kind, ref, note FROM rec_evidence"
	         " ORDER BY id",
	    id ? 1 : 0, p, evidence_fields, NFIELDS(evidence_fields), sizeof(ssr_rec_evidence_t),
	    &out, n, diag);
	*rows = out;
	return rc;
}

void ssr_store_recs_evidence_free(ssr_rec_evidence_t *rows, size_t n)
{
	store_structs_free(evidence_fields, NFIELDS(evidence_fields), rows, n, sizeof(*rows));
}

int ssr_store_recs_add_action(ssr_store_t *st, const char *title, const char *owner,
                              const char *due, const char *recs, const char *actor, int64_t at,
                              int64_t *id, ssr_diag_t *diag)
{
	store_num_t t = store_num(at);
	const char *p[] = {title, owner, due, recs, t.v, actor};
	return store_db_exec(
	    st->db,
	    "INSERT INTO rec_action (title, owner, due, status, recs, created, actor)"
	    " VALUES ($1,$2,$3,'open',$4,$5,$6) RETURNING id",
	    6, p, store_first_i64, id, diag);
}

int ssr_store_recs_set_action(ssr_store_t *st, int64_t id, const char *status, const char *actor,
                              int64_t at, ssr_diag_t *diag)
{
	store_num_t i = store_num(id), t = store_num(at);
	typedef struct {
		char status[32];
	} cur_status_t;
	static const store_field_t f[] = {STORE_FIELD(STORE_F_TEXT, cur_status_t, status)};
	cur_status_t cur = {""};
	const char *p[] = {i.v};
	int rc = store_query_struct(st, "SELECT status FROM rec_action WHERE id = $1", 1, p, f,
	                            NFIELDS(f), &cur, sizeof(cur), diag);
	if (rc == SSR_ENOTFOUND) {
		return ssr_diag_set(diag, SSR_ENOTFOUND, "no action item %" PRId64, id);
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *from = cur.status;
	if (strcmp(from, status) == 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "action item %" PRId64 " is already %s", id,
		                    status);
	}
	const char *q[] = {i.v, status};
	rc = store_db_exec(st->db, "UPDATE rec_action SET status = $2 WHERE id = $1", 2, q, NULL,
	                   NULL, diag);
	if (rc == SSR_EOK) {
		const char *e[] = {i.v, t.v, actor, from, status};
		rc =
		    store_db_exec(st->db,
		                  "INSERT INTO rec_action_event (action_id, at, actor, from_status,"
		                  " to_status) VALUES ($1,$2,$3,$4,$5)",
		                  5, e, NULL, NULL, diag);
	}
	return rc;
}

static const store_field_t action_fields[] = {
    STORE_FIELD(STORE_F_I64, ssr_rec_action_t, id),
    STORE_FIELD(STORE_F_STR, ssr_rec_action_t, title),
    STORE_FIELD(STORE_F_STR, ssr_rec_action_t, owner),
    STORE_FIELD(STORE_F_STR, ssr_rec_action_t, due),
    STORE_FIELD(STORE_F_STR, ssr_rec_action_t, status),
    STORE_FIELD(STORE_F_STR, ssr_rec_action_t, recs),
    STORE_FIELD(STORE_F_I64, ssr_rec_action_t, created),
    STORE_FIELD(STORE_F_STR, ssr_rec_action_t, actor),
};

int ssr_store_recs_actions(ssr_store_t *st, ssr_rec_action_t **rows, size_t *n, ssr_diag_t *diag)
{
	void *out = NULL;
	int rc = store_query_structs(st,
	                             "SELECT id, title, owner, due, status, recs, created, actor"
	                             " FROM rec_action ORDER BY id",
	                             0, NULL, action_fields, NFIELDS(action_fields),
	                             sizeof(ssr_rec_action_t), &out, n, diag);
	*rows = out;
	return rc;
}

void ssr_store_recs_actions_free(ssr_rec_action_t *rows, size_t n)
{
	store_structs_free(action_fields, NFIELDS(action_fields), rows, n, sizeof(*rows));
}

int ssr_store_recs_clear_survey(ssr_store_t *st, const char *survey, ssr_diag_t *diag)
{
	const char *p[] = {survey};
	return store_db_exec(st->db, "DELETE FROM rec_rating WHERE survey = $1", 1, p, NULL, NULL,
	                     diag);
}

int ssr_store_recs_put_rating(ssr_store_t *st, const char *survey, const char *rater,
                              const char *rec_id, double score, ssr_diag_t *diag)
{
	char sc[32];
	snprintf(sc, sizeof sc, "%.17g", score);
	const char *p[] = {survey, rater, rec_id, sc};
	return store_db_exec(
	    st->db, "INSERT INTO rec_rating (survey, rater, rec_id, score) VALUES ($1,$2,$3,$4)", 4,
	    p, NULL, NULL, diag);
}

static const store_field_t rating_fields[] = {
    STORE_FIELD(STORE_F_STR, ssr_rec_rating_t, rater),
    STORE_FIELD(STORE_F_STR, ssr_rec_rating_t, rec_id),
    STORE_FIELD(STORE_F_F64, ssr_rec_rating_t, score),
};

int ssr_store_recs_ratings(ssr_store_t *st, const char *survey, ssr_rec_rating_t **rows, size_t *n,
                           ssr_diag_t *diag)
{
	const char *p[] = {survey};
	void *out = NULL;
	/* the score as text read with strtod: both backends hand back the same digits */
	int rc = store_query_structs(st,
	                             "SELECT rater, rec_id, score FROM rec_rating WHERE survey = $1"
	                             " ORDER BY rec_id, rater",
	                             1, p, rating_fields, NFIELDS(rating_fields),
	                             sizeof(ssr_rec_rating_t), &out, n, diag);
	*rows = out;
	return rc;
}

void ssr_store_recs_ratings_free(ssr_rec_rating_t *rows, size_t n)
{
	store_structs_free(rating_fields, NFIELDS(rating_fields), rows, n, sizeof(*rows));
}

/* ---- live figures ---------------------------------------------------------------------- */

/* The measurement's row: its date as text (or, date_from_time, the first column a time whose
 * day is the date and which is also the first number) and up to four numbers. */
typedef struct {
	char date[24];
	int64_t v[4];
} measure_row_t;

static const store_field_t measure_fields[] = {
    STORE_FIELD(STORE_F_TEXT, measure_row_t, date), STORE_FIELD(STORE_F_I64, measure_row_t, v[0]),
    STORE_FIELD(STORE_F_I64, measure_row_t, v[1]), STORE_FIELD(STORE_F_I64, measure_row_t, v[2]),
    STORE_FIELD(STORE_F_I64, measure_row_t, v[3])};

int ssr_store_recs_measure(ssr_store_t *st, const char *measure, ssr_rec_measure_t *out,
                           ssr_diag_t *diag)
{
	static const struct {
		const char *name;
		const char *sql;
		size_t nv;
		bool by_time;
	} q[] = {
	    {"abuse.report",
	     "SELECT s.snapshot_date, count(*), sum(s.zone_size), sum(s.listed_in_zone)"
	     " FROM abuse_snapshot s WHERE s.snapshot_date ="
	     " (SELECT max(snapshot_date) FROM abuse_snapshot) GROUP BY s.snapshot_date",
	     3, false},
	    {"portal.sla",
	     "SELECT max(at), max(at), count(DISTINCT case_id),"
	     " (SELECT count(*) FROM abuse_case WHERE status = 'closed'),"
	     " (SELECT count(*) FROM event WHERE kind = 'acknowledged') FROM event",
	     4, true},
	    {"portal.cases",
	     "SELECT max(at), max(at), count(DISTINCT case_id),"
	     " (SELECT count(*) FROM abuse_case WHERE status = 'closed'),"
	     " (SELECT count(*) FROM event WHERE kind = 'acknowledged') FROM event",
	     4, true},
	    {"names.scan",
	     "SELECT s.scan_date, sum(s.delegations), count(*),"
	     " (SELECT count(DISTINCT m.domain) FROM names_match m"
	     "  WHERE m.scan_date = s.scan_date)"
	     " FROM names_scan s WHERE s.scan_date ="
	     " (SELECT max(scan_date) FROM names_scan) GROUP BY s.scan_date",
	     3, false},
	    {"regress.run",
	     "SELECT r.run_date, count(DISTINCT r.target), sum(r.cases), sum(r.passed)"
	     " FROM regress_run r WHERE r.run_date ="
	     " (SELECT max(run_date) FROM regress_run) GROUP BY r.run_date",
	     3, false},
	    {"rss.report",
	     "SELECT r.month || '-01', count(DISTINCT CASE WHEN r.subject <> 'rss' THEN r.subject "
	     "END),"
	     " count(DISTINCT CASE WHEN r.subject <> 'rss' AND r.verdict = 'fail'"
	     "  THEN r.subject END),"
	     " sum(CASE WHEN r.subject = 'rss' AND r.verdict = 'fail' THEN 1 ELSE 0 END)"
	     " FROM rss_month r WHERE r.month = (SELECT max(month) FROM rss_month)"
	     " GROUP BY r.month",
	     3, false},
	    {"czds.day",
	     "SELECT c.day, count(*), sum(CASE WHEN c.downloaded = 1 THEN 1 ELSE 0 END),"
	     " sum(CASE WHEN c.on_time = 1 THEN 1 ELSE 0 END),"
	     " sum(CASE WHEN c.fresh = 1 THEN 1 ELSE 0 END)"
	     " FROM czds_day c WHERE c.day = (SELECT max(day) FROM czds_day) GROUP BY c.day",
	     4, false},
	    {"escrow.drill", /* the last drill: seconds to a correct server, checked, matched */
	     "SELECT substr(d.drilled, 1, 10), CAST(round(d.answering_s) AS BIGINT), d.checked,"
	     " d.matched, d.passed FROM escrow_drill d ORDER BY d.drilled DESC LIMIT 1",
	     4, false},
	    {"zone.stats",
	     "SELECT snapshot_date, count(*), sum(delegations), sum(signed_delegations)"
	     " FROM zone_snapshot WHERE snapshot_date ="
	     " (SELECT max(snapshot_date) FROM zone_snapshot) GROUP BY snapshot_date",
	     3, false},
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		if (strcmp(measure, q[i].name) != 0) {
			continue;
		}
		measure_row_t row;
		int rc = store_query_struct(st, q[i].sql, 0, NULL, measure_fields, q[i].nv + 1,
		                            &row, sizeof(row), diag);
		if (rc != SSR_EOK) {
			return rc;
		}
		memset(out, 0, sizeof(*out));
		out->nv = q[i].nv;
		memcpy(out->v, row.v, sizeof(out->v));
		if (q[i].by_time) {
			if (row.v[0] <= 0) {
				return SSR_ENOTFOUND; /* no event yet */
			}
			char day[21];
			ssr_time_format(row.v[0], day);
			memcpy(out->date, day, 10);
		} else if (row.date[0] == '\0') {
			return SSR_ENOTFOUND;
		} else {
			snprintf(out->date, sizeof(out->date), "%.10s", row.date);
		}
		return SSR_EOK;
	}
	return SSR_ENOTFOUND; /* traffic metrics: not stored yet */
}
