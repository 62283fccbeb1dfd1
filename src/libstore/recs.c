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
#define REC_SPEC                                                                                   \
	"id:s,review:s,parent:s,title:s,summary:s,priority:s,workstream:s,owner:s,refs:s,measure:" \
	"s,"                                                                                       \
	"cadence:i,status:s,status_at:i,evidence:i,last_evidence:i"

int ssr_store_recs_list(ssr_store_t *st, const char *id, json_t **out, ssr_diag_t *diag)
{
	if (id) {
		const char *p[] = {id};
		json_t *one;
		int rc = store_query_one(st, "SELECT " REC_COLS " FROM rec r WHERE r.id = $1", 1, p,
		                         REC_SPEC, &one, diag);
		if (rc == SSR_ENOTFOUND) {
			return ssr_diag_set(diag, SSR_ENOTFOUND, "no recommendation '%s'", id);
		}
		if (rc == SSR_EOK) {
			*out = json_array();
			json_array_append_new(*out, one);
		}
		return rc;
	}
	return store_query_rows(st, "SELECT " REC_COLS " FROM rec r ORDER BY r.review, r.ord", 0,
	                        NULL, REC_SPEC, out, diag);
}

int ssr_store_recs_reviews(ssr_store_t *st, json_t **out, ssr_diag_t *diag)
{
	return store_query_rows(st, "SELECT id, title, published FROM rec_review ORDER BY id", 0,
	                        NULL, "id:s,title:s,published:s", out, diag);
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

int ssr_store_recs_events(ssr_store_t *st, const char *id, json_t **out, ssr_diag_t *diag)
{
	const char *p[] = {id};
	return store_query_rows(st,
	                        id ? "SELECT id, rec_id, at, actor, from_status, to_status, reason"
	                             " FROM rec_event WHERE rec_id = $1 ORDER BY id"
	                           : "SELECT id, rec_id, at, actor, from_status, to_status, reason"
	                             " FROM rec_event ORDER BY id",
	                        id ? 1 : 0, p, "id:i,rec_id:s,at:i,actor:s,from:s,to:s,reason:s",
	                        out, diag);
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

int ssr_store_recs_evidence(ssr_store_t *st, const char *id, json_t **out, ssr_diag_t *diag)
{
	const char *p[] = {id};
	return store_query_rows(
	    st,
	    id ? "SELECT id, rec_id, at, actor, kind, ref, note FROM rec_evidence"
	         " WHERE rec_id = $1 ORDER BY id"
	       : "SELECT id, rec_id, at, actor, kind, ref, note FROM rec_evidence"
	         " ORDER BY id",
	    id ? 1 : 0, p, "id:i,rec_id:s,at:i,actor:s,kind:s,ref:s,note:s", out, diag);
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
	json_t *cur;
	const char *p[] = {i.v};
	int rc = store_query_one(st, "SELECT status FROM rec_action WHERE id = $1", 1, p,
	                         "status:s", &cur, diag);
	if (rc == SSR_ENOTFOUND) {
		return ssr_diag_set(diag, SSR_ENOTFOUND, "no action item %" PRId64, id);
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	char from[32];
	snprintf(from, sizeof from, "%s", json_string_value(json_object_get(cur, "status")));
	json_decref(cur);
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

int ssr_store_recs_actions(ssr_store_t *st, json_t **out, ssr_diag_t *diag)
{
	return store_query_rows(
	    st,
	    "SELECT id, title, owner, due, status, recs, created, actor"
	    " FROM rec_action ORDER BY id",
	    0, NULL, "id:i,title:s,owner:s,due:s,status:s,recs:s,created:i,actor:s", out, diag);
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

int ssr_store_recs_ratings(ssr_store_t *st, const char *survey, json_t **out, ssr_diag_t *diag)
{
	const char *p[] = {survey};
	/* the score as text: both backends hand back the same digits */
	return store_query_rows(st,
	                        "SELECT rater, rec_id, score FROM rec_rating WHERE survey = $1"
	                        " ORDER BY rec_id, rater",
	                        1, p, "rater:s,rec_id:s,score:s", out, diag);
}

/* ---- live figures ---------------------------------------------------------------------- */

static int measure_row(ssr_store_t *st, const char *sql, const char *spec, json_t **row,
                       ssr_diag_t *diag)
{
	int rc = store_query_one(st, sql, 0, NULL, spec, row, diag);
	if (rc == SSR_EOK && json_is_null(json_object_get(*row, "date"))) {
		json_decref(*row);
		return SSR_ENOTFOUND;
	}
	return rc;
}

static double num_of(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (double)json_integer_value(v) : json_number_value(v);
}

int ssr_store_recs_measure(ssr_store_t *st, const char *measure, json_t **out, ssr_diag_t *diag)
{
	json_t *row = NULL;
	char fig[512];
	int rc;
	if (strcmp(measure, "abuse.report") == 0) {
		rc = measure_row(
		    st,
		    "SELECT s.snapshot_date, count(*), sum(s.zone_size), sum(s.listed_in_zone)"
		    " FROM abuse_snapshot s WHERE s.snapshot_date ="
		    " (SELECT max(snapshot_date) FROM abuse_snapshot) GROUP BY s.snapshot_date",
		    "date:s,tlds:i,domains:i,abused:i", &row, diag);
		if (rc == SSR_EOK) {
			double d = num_of(row, "domains"), a = num_of(row, "abused");
			snprintf(fig, sizeof fig,
			         "%.0f abused of %.0f domains in %.0f TLDs (%.2f per 10k)", a, d,
			         num_of(row, "tlds"), d > 0 ? 1e4 * a / d : 0.0);
		}
	} else if (strcmp(measure, "portal.sla") == 0 || strcmp(measure, "portal.cases") == 0) {
		rc = measure_row(st,
		                 "SELECT max(at), count(DISTINCT case_id),"
		                 " (SELECT count(*) FROM abuse_case WHERE status = 'closed'),"
		                 " (SELECT count(*) FROM event WHERE kind = 'acknowledged')"
		                 " FROM event",
		                 "at:i,cases:i,closed:i,acknowledged:i", &row, diag);
		if (rc == SSR_EOK) {
			if (json_integer_value(json_object_get(row, "at")) == 0) {
				json_decref(row);
				rc = SSR_ENOTFOUND;
			} else {
				char day[21];
				ssr_time_format(json_integer_value(json_object_get(row, "at")),
				                day);
				day[10] = '\0';
				json_object_set_new(row, "date", json_string(day));
				snprintf(fig, sizeof fig,
				         "%.0f cases, %.0f closed, %.0f acknowledgements",
				         num_of(row, "cases"), num_of(row, "closed"),
				         num_of(row, "acknowledged"));
			}
		}
	} else if (strcmp(measure, "names.scan") == 0) {
		rc = measure_row(st,
		                 "SELECT s.scan_date, sum(s.delegations), count(*),"
		                 " (SELECT count(DISTINCT m.domain) FROM names_match m"
		                 "  WHERE m.scan_date = s.scan_date)"
		                 " FROM names_scan s WHERE s.scan_date ="
		                 " (SELECT max(scan_date) FROM names_scan) GROUP BY s.scan_date",
		                 "date:s,delegations:i,zones:i,lookalikes:i", &row, diag);
		if (rc == SSR_EOK) {
			snprintf(fig, sizeof fig,
			         "%.0f look-alikes in %.0f delegations of %.0f zones",
			         num_of(row, "lookalikes"), num_of(row, "delegations"),
			         num_of(row, "zones"));
		}
	} else if (strcmp(measure, "zone.stats") == 0) {
		rc = measure_row(
		    st,
		    "SELECT snapshot_date, count(*), sum(delegations), sum(signed_delegations)"
		    " FROM zone_snapshot WHERE snapshot_date ="
		    " (SELECT max(snapshot_date) FROM zone_snapshot) GROUP BY snapshot_date",
		    "date:s,zones:i,delegations:i,signed:i", &row, diag);
		if (rc == SSR_EOK) {
			double d = num_of(row, "delegations"), s = num_of(row, "signed");
			snprintf(fig, sizeof fig, "%.0f zones, %.0f delegations, %.1f%% signed",
			         num_of(row, "zones"), d, d > 0 ? 100 * s / d : 0.0);
		}
	} else {
		rc = SSR_ENOTFOUND; /* traffic metrics: not stored yet */
	}
	if (rc == SSR_ENOTFOUND) {
		return rc;
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	json_t *o = json_object();
	json_object_set_new(o, "measure", json_string(measure));
	json_object_set(o, "date", json_object_get(row, "date"));
	json_object_set_new(o, "figure", json_string(fig));
	json_object_del(row, "date");
	json_object_set_new(o, "values", row);
	*out = o;
	return SSR_EOK;
}
