/* librecs: the tracker over a store: import, status moves through the workflow, the dashboard
 * with live evidence, the survey summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/date.h"
#include "ssrwatch/recs.h"
#include "ssrwatch/recsstore.h"

int ssr_recs_import(ssr_store_t *st, const ssr_recs_catalogue_t *c, ssr_diag_t *diag)
{
	int rc = ssr_store_begin(st, diag);
	for (size_t i = 0; rc == SSR_EOK && i < c->nreviews; i++) {
		const ssr_recs_review_t *r = &c->reviews[i];
		rc = ssr_store_recs_put_review(st, r->id, r->title, r->published, diag);
	}
	for (size_t i = 0; rc == SSR_EOK && i < c->nrecs; i++) {
		const ssr_recs_rec_t *r = &c->recs[i];
		ssr_rec_put_t p = {r->id,      r->review,   r->parent,     r->title,
		                   r->summary, r->priority, r->workstream, r->owner,
		                   r->refs,    r->measure,  r->cadence,    r->ord};
		rc = ssr_store_recs_put(st, &p, diag);
	}
	if (rc == SSR_EOK) {
		return ssr_store_commit(st, diag);
	}
	ssr_store_rollback(st);
	return rc;
}

static int check(const char *from, const char *to, uint64_t evidence, const char *reason,
                 ssr_diag_t *diag)
{
	ssr_rec_status_t f, t;
	if (ssr_rec_status_parse(from, &f) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_ECORRUPT, "stored status '%s' is unknown", from);
	}
	if (ssr_rec_status_parse(to, &t) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "unknown status '%s' (not-started, in-design, in-progress, "
		                    "implemented, verified, pending, rejected, deferred)",
		                    to);
	}
	return ssr_rec_move_check(f, t, evidence > 1000000 ? 1000000 : (unsigned)evidence, reason,
	                          diag);
}

int ssr_recs_move(ssr_store_t *st, const char *id, const char *to, const char *actor,
                  const char *reason, int64_t at, char *from, ssr_diag_t *diag)
{
	if (reason != NULL && strlen(reason) > SSR_RECS_MAX_TEXT) {
		return ssr_diag_set(diag, SSR_EINVAL, "the reason is longer than %d characters",
		                    SSR_RECS_MAX_TEXT);
	}
	return ssr_store_recs_move(st, id, to, actor, reason, at, check, from, diag);
}

/* Live figure of a bound measurement, with its age and staleness as of today. */
static json_t *live(ssr_store_t *st, json_t *rec, int32_t today, ssr_diag_t *diag, int *rc)
{
	const char *m = json_string_value(json_object_get(rec, "measure"));
	if (!m) {
		return json_null();
	}
	json_t *o = NULL;
	int r = ssr_store_recs_measure(st, m, &o, diag);
	if (r == SSR_ENOTFOUND) {
		return json_pack("{s:s,s:n,s:b,s:s}", "measure", m, "date", "stale", 1, "figure",
		                 "no measurement stored yet");
	}
	if (r != SSR_EOK) {
		*rc = r;
		return json_null();
	}
	int32_t day;
	const char *d = json_string_value(json_object_get(o, "date"));
	json_int_t cad = json_integer_value(json_object_get(rec, "cadence"));
	if (d && ssr_date_parse(d, strlen(d), &day) == SSR_EOK) {
		json_object_set_new(o, "age_days", json_integer(today - day));
		json_object_set_new(o, "stale", json_boolean(today - day > cad));
	} else {
		json_object_set_new(o, "stale", json_true());
	}
	return o;
}

static int day_of(const char *today, int32_t *d, ssr_diag_t *diag)
{
	if (!today || strlen(today) != 10 || ssr_date_parse(today, 10, d) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad date '%s' (YYYY-MM-DD)",
		                    today ? today : "");
	}
	return SSR_EOK;
}

/* Open action items past their due date are overdue. */
static void flag_actions(json_t *actions, int32_t today)
{
	size_t i;
	json_t *a;
	json_array_foreach(actions, i, a)
	{
		const char *due = json_string_value(json_object_get(a, "due"));
		const char *st = json_string_value(json_object_get(a, "status"));
		int32_t d;
		bool over = due && st && strcmp(st, "open") == 0 &&
		            ssr_date_parse(due, strlen(due), &d) == SSR_EOK && d < today;
		json_object_set_new(a, "overdue", json_boolean(over));
	}
}

static bool lists(const char *recs, const char *id)
{
	size_t l = strlen(id);
	for (const char *p = recs; p && *p;) {
		size_t n = strcspn(p, " ,");
		if (n == l && strncmp(p, id, l) == 0) {
			return true;
		}
		p += n;
		p += strspn(p, " ,");
	}
	return false;
}

int ssr_recs_dashboard(ssr_store_t *st, const char *today, json_t **out, ssr_diag_t *diag)
{
	int32_t day;
	int rc = day_of(today, &day, diag);
	json_t *recs = NULL, *reviews = NULL, *actions = NULL;
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_list(st, NULL, &recs, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_reviews(st, &reviews, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_actions(st, &actions, diag);
	}
	if (rc != SSR_EOK) {
		json_decref(recs);
		json_decref(reviews);
		json_decref(actions);
		return rc;
	}
	flag_actions(actions, day);
	size_t i, j;
	json_t *r, *v;
	json_array_foreach(reviews, j, v)
	{
		json_t *counts = json_object();
		for (unsigned s = 0; s < SSR_REC_STATUS_COUNT; s++) {
			json_object_set_new(counts, ssr_rec_status_name((ssr_rec_status_t)s),
			                    json_integer(0));
		}
		json_object_set_new(v, "counts", counts);
		json_object_set_new(v, "recommendations", json_integer(0));
	}
	json_array_foreach(recs, i, r)
	{
		json_object_set_new(r, "live", live(st, r, day, diag, &rc));
		unsigned open = 0, overdue = 0;
		json_array_foreach(actions, j, v)
		{
			if (lists(json_string_value(json_object_get(v, "recs")),
			          json_string_value(json_object_get(r, "id"))) &&
			    strcmp(json_string_value(json_object_get(v, "status")), "open") == 0) {
				open++;
				overdue += json_is_true(json_object_get(v, "overdue"));
			}
		}
		json_object_set_new(r, "open_actions", json_integer(open));
		json_object_set_new(r, "overdue_actions", json_integer(overdue));
		if (!json_is_null(json_object_get(r, "parent"))) {
			continue; /* sub-items are not counted twice */
		}
		json_array_foreach(reviews, j, v)
		{
			if (strcmp(json_string_value(json_object_get(v, "id")),
			           json_string_value(json_object_get(r, "review"))) == 0) {
				json_t *c = json_object_get(v, "counts");
				const char *s = json_string_value(json_object_get(r, "status"));
				json_object_set_new(
				    c, s,
				    json_integer(json_integer_value(json_object_get(c, s)) + 1));
				json_object_set_new(v, "recommendations",
				                    json_integer(json_integer_value(json_object_get(
				                                     v, "recommendations")) +
				                                 1));
			}
		}
	}
	if (rc != SSR_EOK) {
		json_decref(recs);
		json_decref(reviews);
		json_decref(actions);
		return rc;
	}
	*out = json_pack("{s:s,s:o,s:o,s:o}", "date", today, "reviews", reviews, "recommendations",
	                 recs, "actions", actions);
	return *out ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
}

int ssr_recs_detail(ssr_store_t *st, const char *id, const char *today, json_t **out,
                    ssr_diag_t *diag)
{
	int32_t day;
	int rc = day_of(today, &day, diag);
	json_t *one = NULL, *events = NULL, *evidence = NULL, *actions = NULL, *subs = NULL;
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_list(st, id, &one, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_events(st, id, &events, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_evidence(st, id, &evidence, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_actions(st, &actions, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_list(st, NULL, &subs, diag);
	}
	if (rc != SSR_EOK) {
		json_decref(one);
		json_decref(events);
		json_decref(evidence);
		json_decref(actions);
		json_decref(subs);
		return rc;
	}
	flag_actions(actions, day);
	json_t *r = json_incref(json_array_get(one, 0));
	json_decref(one);
	json_object_set_new(r, "live", live(st, r, day, diag, &rc));
	json_t *mine = json_array(), *children = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(actions, i, v)
	{
		if (lists(json_string_value(json_object_get(v, "recs")), id)) {
			json_array_append(mine, v);
		}
	}
	json_array_foreach(subs, i, v)
	{
		const char *p = json_string_value(json_object_get(v, "parent"));
		if (p && strcmp(p, id) == 0) {
			json_array_append_new(
			    children, json_pack("{s:O,s:O,s:O}", "id", json_object_get(v, "id"),
			                        "title", json_object_get(v, "title"), "status",
			                        json_object_get(v, "status")));
		}
	}
	json_decref(actions);
	json_decref(subs);
	json_object_set_new(r, "history", events);
	json_object_set_new(r, "evidence_items", evidence);
	json_object_set_new(r, "actions", mine);
	json_object_set_new(r, "sub_items", children);
	json_object_set_new(r, "date", json_string(today));
	if (rc != SSR_EOK) {
		json_decref(r);
		return rc;
	}
	*out = r;
	return SSR_EOK;
}

int ssr_recs_survey_summary(ssr_store_t *st, const char *survey, unsigned classes, json_t **out,
                            ssr_diag_t *diag)
{
	if (classes < 2 || classes > 3) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "classes: 2 (high, medium) or 3 (high, medium, low)");
	}
	json_t *ratings, *recs;
	int rc = ssr_store_recs_ratings(st, survey, &ratings, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (json_array_size(ratings) == 0) {
		json_decref(ratings);
		return ssr_diag_set(diag, SSR_ENOTFOUND, "no ratings for survey '%s'", survey);
	}
	rc = ssr_store_recs_list(st, NULL, &recs, diag);
	if (rc != SSR_EOK) {
		json_decref(ratings);
		return rc;
	}
	size_t n = json_array_size(ratings), nr = 0;
	double *v = malloc(n * sizeof *v), *means = malloc(n * sizeof *means);
	unsigned *cls = malloc(n * sizeof *cls);
	json_t *rows = json_array(), *raters = json_object();
	if (!v || !means || !cls || !rows || !raters) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
		goto done;
	}
	/* ratings come ordered by recommendation: one summary per run */
	for (size_t i = 0; i < n;) {
		const char *id =
		    json_string_value(json_object_get(json_array_get(ratings, i), "rec_id"));
		size_t k = 0;
		for (; i < n; i++) {
			json_t *x = json_array_get(ratings, i);
			if (strcmp(json_string_value(json_object_get(x, "rec_id")), id) != 0) {
				break;
			}
			v[k++] = strtod(json_string_value(json_object_get(x, "score")), NULL);
			json_object_set_new(raters, json_string_value(json_object_get(x, "rater")),
			                    json_true());
		}
		ssr_recs_summary_t s;
		ssr_recs_summarise(v, k, &s);
		const char *prio = NULL;
		size_t j;
		json_t *r;
		json_array_foreach(recs, j, r)
		{
			if (strcmp(json_string_value(json_object_get(r, "id")), id) == 0) {
				prio = json_string_value(json_object_get(r, "priority"));
			}
		}
		json_array_append_new(rows, json_pack("{s:s,s:I,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:s?}",
		                                      "id", id, "raters", (json_int_t)s.n, "mean",
		                                      s.mean, "median", s.median, "q1", s.q1, "q3",
		                                      s.q3, "iqr", s.iqr, "min", s.min, "max",
		                                      s.max, "published", prio));
		means[nr++] = s.mean;
	}
	unsigned k = classes <= nr ? classes : (unsigned)nr;
	double gvf = 1;
	rc = ssr_recs_jenks(means, nr, k, cls, &gvf);
	if (rc != SSR_EOK) {
		rc = ssr_diag_set(diag, rc, "natural breaks failed");
		goto done;
	}
	static const char *const two[] = {"medium", "high"}, *const three[] = {"low", "medium",
	                                                                       "high"};
	unsigned agree = 0, compared = 0;
	for (size_t i = 0; i < nr; i++) {
		json_t *r = json_array_get(rows, i);
		unsigned c = cls[i] + (classes - k); /* fewer values than classes: the top ones */
		const char *label = classes == 2 ? two[c] : three[c];
		json_object_set_new(r, "class", json_string(label));
		const char *pub = json_string_value(json_object_get(r, "published"));
		if (pub) {
			compared++;
			bool same = strcmp(pub, label) == 0;
			agree += same;
			json_object_set_new(r, "agrees", json_boolean(same));
		}
	}
	*out = json_pack(
	    "{s:s,s:I,s:I,s:I,s:f,s:I,s:I,s:o?,s:o}", "survey", survey, "ratings", (json_int_t)n,
	    "raters", (json_int_t)json_object_size(raters), "classes", (json_int_t)classes, "gvf",
	    gvf, "compared", (json_int_t)compared, "agree", (json_int_t)agree, "agreement",
	    compared ? json_real((double)agree / compared) : json_null(), "recommendations", rows);
	rows = NULL;
	if (!*out) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
done:
	free(v);
	free(means);
	free(cls);
	json_decref(rows);
	json_decref(raters);
	json_decref(ratings);
	json_decref(recs);
	return rc;
}
