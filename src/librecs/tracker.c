/* librecs: the tracker over a store: import, status moves through the workflow, the dashboard
 * with live evidence, the survey summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recs_priv.h"
#include "ssrwatch/date.h"
#include "ssrwatch/jsonout.h"
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

#define WHAT "recs"

/* The live figure as JSON: null without a measure; {measure, date: null, stale, figure} when
 * nothing is stored yet; else {measure, date, figure, values, age_days, stale}. */
static json_t *live_json(ssr_store_t *st, const ssr_rec_row_t *r, int32_t today, int *rc,
                         ssr_diag_t *diag)
{
	if (r->measure == NULL) {
		return json_null();
	}
	recs_live_t l;
	if ((*rc = recs_live(st, r->measure, r->cadence, today, &l, diag)) != SSR_EOK) {
		return NULL;
	}
	ssr_jobj_t b = ssr_jobj_new();
	ssr_jobj_str(&b, "measure", r->measure);
	if (!l.stored) {
		ssr_jobj_put(&b, "date", json_null(), SSR_ENOMEM);
		ssr_jobj_bool(&b, "stale", 1);
		ssr_jobj_str(&b, "figure", "no measurement stored yet");
	} else {
		ssr_jobj_str(&b, "date", l.m.date);
		ssr_jobj_str(&b, "figure", l.figure);
		json_t *v = json_object();
		for (size_t i = 0; v != NULL && i < l.m.nv; i++) {
			if (json_object_set_new(v, l.names[i], json_integer(l.m.v[i])) != 0) {
				json_decref(v);
				v = NULL;
			}
		}
		ssr_jobj_put(&b, "values", v, SSR_ENOMEM);
		if (l.dated) {
			ssr_jobj_int(&b, "age_days", l.age_days);
		}
		ssr_jobj_bool(&b, "stale", l.stale);
	}
	json_t *o = NULL;
	*rc = ssr_jobj_finish(&b, WHAT, &o, diag);
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

/* An open action item past its due date is overdue. */
static bool overdue(const ssr_rec_action_t *a, int32_t today)
{
	int32_t d;
	return a->due && a->status && strcmp(a->status, "open") == 0 &&
	       ssr_date_parse(a->due, strlen(a->due), &d) == SSR_EOK && d < today;
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

/* A recommendation's stored fields into b. */
static void rec_put(ssr_jobj_t *b, const ssr_rec_row_t *r)
{
	ssr_jobj_str(b, "id", r->id);
	ssr_jobj_str(b, "review", r->review);
	ssr_jobj_str(b, "parent", r->parent);
	ssr_jobj_str(b, "title", r->title);
	ssr_jobj_str(b, "summary", r->summary);
	ssr_jobj_str(b, "priority", r->priority);
	ssr_jobj_str(b, "workstream", r->workstream);
	ssr_jobj_str(b, "owner", r->owner);
	ssr_jobj_str(b, "refs", r->refs);
	ssr_jobj_str(b, "measure", r->measure);
	ssr_jobj_int(b, "cadence", r->cadence);
	ssr_jobj_str(b, "status", r->status);
	ssr_jobj_int(b, "status_at", r->status_at);
	ssr_jobj_int(b, "evidence", r->evidence);
	ssr_jobj_int(b, "last_evidence", r->last_evidence);
}

/* The action items (with overdue) that list ctx->id, or all when it is NULL. */
typedef struct {
	const char *id;
	int32_t today;
} action_sel_t;

static bool action_fill(ssr_jobj_t *b, const void *rows, size_t i, const void *ctx)
{
	const ssr_rec_action_t *a = (const ssr_rec_action_t *)rows + i;
	const action_sel_t *sel = ctx;
	if (sel->id != NULL && !lists(a->recs, sel->id)) {
		return false;
	}
	ssr_jobj_int(b, "id", a->id);
	ssr_jobj_str(b, "title", a->title);
	ssr_jobj_str(b, "owner", a->owner);
	ssr_jobj_str(b, "due", a->due);
	ssr_jobj_str(b, "status", a->status);
	ssr_jobj_str(b, "recs", a->recs);
	ssr_jobj_int(b, "created", a->created);
	ssr_jobj_str(b, "actor", a->actor);
	ssr_jobj_bool(b, "overdue", overdue(a, sel->today));
	return true;
}

static int actions_json(const ssr_rec_action_t *a, size_t n, const char *id, int32_t today,
                        json_t **out, ssr_diag_t *diag)
{
	action_sel_t sel = {id, today};
	return ssr_jarr_build(a, n, action_fill, &sel, WHAT, out, diag);
}

typedef struct {
	ssr_rec_row_t *recs;
	size_t nrecs;
	ssr_rec_review_row_t *reviews;
	size_t nreviews;
	ssr_rec_action_t *actions;
	size_t nactions;
} tracker_t;

static void tracker_release(tracker_t *t)
{
	ssr_store_recs_rows_free(t->recs, t->nrecs);
	ssr_store_recs_reviews_free(t->reviews, t->nreviews);
	ssr_store_recs_actions_free(t->actions, t->nactions);
}

/* A recommendation's entry: stored fields, live figure and, with t (the dashboard), its open
 * and overdue actions. */
static int rec_entry(ssr_store_t *st, const tracker_t *t, const ssr_rec_row_t *r, int32_t day,
                     ssr_jobj_t *b, ssr_diag_t *diag)
{
	rec_put(b, r);
	int rc = SSR_EOK;
	json_t *l = live_json(st, r, day, &rc, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	ssr_jobj_put(b, "live", l, SSR_ENOMEM);
	if (t == NULL) {
		return SSR_EOK;
	}
	unsigned open = 0, late = 0;
	for (size_t j = 0; j < t->nactions; j++) {
		const ssr_rec_action_t *a = &t->actions[j];
		if (lists(a->recs, r->id) && a->status && strcmp(a->status, "open") == 0) {
			open++;
			late += overdue(a, day);
		}
	}
	ssr_jobj_int(b, "open_actions", open);
	ssr_jobj_int(b, "overdue_actions", late);
	return SSR_EOK;
}

static int reviews_json(const tracker_t *t, json_t **out, ssr_diag_t *diag)
{
	json_t *arr = json_array();
	int rc = arr ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	for (size_t j = 0; rc == SSR_EOK && j < t->nreviews; j++) {
		const ssr_rec_review_row_t *v = &t->reviews[j];
		int64_t counts[SSR_REC_STATUS_COUNT] = {0}, total = 0;
		for (size_t i = 0; i < t->nrecs; i++) {
			const ssr_rec_row_t *r = &t->recs[i];
			ssr_rec_status_t s;
			/* sub-items are not counted twice */
			if (r->parent == NULL && r->review && strcmp(r->review, v->id) == 0 &&
			    ssr_rec_status_parse(r->status, &s) == SSR_EOK) {
				counts[s]++;
				total++;
			}
		}
		json_t *c = json_object();
		for (unsigned s = 0; c != NULL && s < SSR_REC_STATUS_COUNT; s++) {
			if (json_object_set_new(c, ssr_rec_status_name((ssr_rec_status_t)s),
			                        json_integer(counts[s])) != 0) {
				json_decref(c);
				c = NULL;
			}
		}
		ssr_jobj_t b = ssr_jobj_new();
		ssr_jobj_str(&b, "id", v->id);
		ssr_jobj_str(&b, "title", v->title);
		ssr_jobj_str(&b, "published", v->published);
		ssr_jobj_put(&b, "counts", c, SSR_ENOMEM);
		ssr_jobj_int(&b, "recommendations", total);
		rc = ssr_jobj_append(&b, WHAT, arr, diag);
	}
	if (rc != SSR_EOK) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return SSR_EOK;
}

int ssr_recs_dashboard(ssr_store_t *st, const char *today, json_t **out, ssr_diag_t *diag)
{
	int32_t day;
	tracker_t t = {0};
	int rc = day_of(today, &day, diag);
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_list(st, NULL, &t.recs, &t.nrecs, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_reviews(st, &t.reviews, &t.nreviews, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_actions(st, &t.actions, &t.nactions, diag);
	}
	json_t *recs = NULL, *reviews = NULL, *actions = NULL;
	if (rc == SSR_EOK) {
		recs = json_array();
		rc = recs ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	for (size_t i = 0; rc == SSR_EOK && i < t.nrecs; i++) {
		ssr_jobj_t b = ssr_jobj_new();
		rc = rec_entry(st, &t, &t.recs[i], day, &b, diag);
		rc = rc == SSR_EOK ? ssr_jobj_append(&b, WHAT, recs, diag) : (json_decref(b.o), rc);
	}
	if (rc == SSR_EOK) {
		rc = reviews_json(&t, &reviews, diag);
	}
	if (rc == SSR_EOK) {
		rc = actions_json(t.actions, t.nactions, NULL, day, &actions, diag);
	}
	tracker_release(&t);
	if (rc == SSR_EOK) {
		*out = json_pack("{s:s,s:o,s:o,s:o}", "date", today, "reviews", reviews,
		                 "recommendations", recs, "actions", actions);
		return *out ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	json_decref(recs);
	json_decref(reviews);
	json_decref(actions);
	return rc;
}

static bool event_fill(ssr_jobj_t *b, const void *rows, size_t i, const void *ctx)
{
	(void)ctx;
	const ssr_rec_event_t *e = (const ssr_rec_event_t *)rows + i;
	ssr_jobj_int(b, "id", e->id);
	ssr_jobj_str(b, "rec_id", e->rec_id);
	ssr_jobj_int(b, "at", e->at);
	ssr_jobj_str(b, "actor", e->actor);
	ssr_jobj_str(b, "from", e->from);
	ssr_jobj_str(b, "to", e->to);
	ssr_jobj_str(b, "reason", e->reason);
	return true;
}

static bool evidence_fill(ssr_jobj_t *b, const void *rows, size_t i, const void *ctx)
{
	(void)ctx;
	const ssr_rec_evidence_t *e = (const ssr_rec_evidence_t *)rows + i;
	ssr_jobj_int(b, "id", e->id);
	ssr_jobj_str(b, "rec_id", e->rec_id);
	ssr_jobj_int(b, "at", e->at);
	ssr_jobj_str(b, "actor", e->actor);
	ssr_jobj_str(b, "kind", e->kind);
	ssr_jobj_str(b, "ref", e->ref);
	ssr_jobj_str(b, "note", e->note);
	return true;
}

/* ctx: the parent's id; the sub-items of it */
static bool sub_fill(ssr_jobj_t *b, const void *rows, size_t i, const void *ctx)
{
	const ssr_rec_row_t *r = (const ssr_rec_row_t *)rows + i;
	if (r->parent == NULL || strcmp(r->parent, ctx) != 0) {
		return false;
	}
	ssr_jobj_str(b, "id", r->id);
	ssr_jobj_str(b, "title", r->title);
	ssr_jobj_str(b, "status", r->status);
	return true;
}

int ssr_recs_detail(ssr_store_t *st, const char *id, const char *today, json_t **out,
                    ssr_diag_t *diag)
{
	int32_t day;
	tracker_t t = {0};
	ssr_rec_row_t *one = NULL;
	size_t none = 0, nev = 0, nevid = 0;
	ssr_rec_event_t *ev = NULL;
	ssr_rec_evidence_t *evid = NULL;
	int rc = day_of(today, &day, diag);
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_list(st, id, &one, &none, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_events(st, id, &ev, &nev, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_evidence(st, id, &evid, &nevid, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_actions(st, &t.actions, &t.nactions, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_list(st, NULL, &t.recs, &t.nrecs, diag);
	}
	ssr_jobj_t b = ssr_jobj_new();
	json_t *a = NULL;
	if (rc == SSR_EOK) {
		rc = rec_entry(st, NULL, &one[0], day, &b, diag);
	}
	if (rc == SSR_EOK &&
	    (rc = ssr_jarr_build(ev, nev, event_fill, NULL, WHAT, &a, diag)) == SSR_EOK) {
		ssr_jobj_put(&b, "history", a, SSR_ENOMEM);
	}
	if (rc == SSR_EOK &&
	    (rc = ssr_jarr_build(evid, nevid, evidence_fill, NULL, WHAT, &a, diag)) == SSR_EOK) {
		ssr_jobj_put(&b, "evidence_items", a, SSR_ENOMEM);
	}
	if (rc == SSR_EOK &&
	    (rc = actions_json(t.actions, t.nactions, id, day, &a, diag)) == SSR_EOK) {
		ssr_jobj_put(&b, "actions", a, SSR_ENOMEM);
	}
	if (rc == SSR_EOK &&
	    (rc = ssr_jarr_build(t.recs, t.nrecs, sub_fill, id, WHAT, &a, diag)) == SSR_EOK) {
		ssr_jobj_put(&b, "sub_items", a, SSR_ENOMEM);
	}
	ssr_jobj_str(&b, "date", today);
	tracker_release(&t);
	ssr_store_recs_rows_free(one, none);
	ssr_store_recs_events_free(ev, nev);
	ssr_store_recs_evidence_free(evid, nevid);
	if (rc != SSR_EOK) {
		json_decref(b.o);
		return rc;
	}
	return ssr_jobj_finish(&b, WHAT, out, diag);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int ssr_recs_survey_summary(ssr_store_t *st, const char *survey, unsigned classes, json_t **out,
                            ssr_diag_t *diag)
{
	if (classes < 2 || classes > 3) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "classes: 2 (high, medium) or 3 (high, medium, low)");
	}
	ssr_rec_rating_t *ratings = NULL;
	ssr_rec_row_t *recs = NULL;
	size_t n = 0, nrecs = 0;
	int rc = ssr_store_recs_ratings(st, survey, &ratings, &n, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (n == 0) {
		ssr_store_recs_ratings_free(ratings, n);
		return ssr_diag_set(diag, SSR_ENOTFOUND, "no ratings for survey '%s'", survey);
	}
	rc = ssr_store_recs_list(st, NULL, &recs, &nrecs, diag);
	if (rc != SSR_EOK) {
		ssr_store_recs_ratings_free(ratings, n);
		return rc;
	}
	size_t nr = 0, nraters = 0;
	double *v = malloc(n * sizeof *v), *means = malloc(n * sizeof *means);
	unsigned *cls = malloc(n * sizeof *cls);
	const char **raters = malloc(n * sizeof *raters);
	const char **prios = malloc(n * sizeof *prios);
	const char **ids = malloc(n * sizeof *ids);
	ssr_recs_summary_t *sums = malloc(n * sizeof *sums);
	json_t *rows = NULL;
	if (!v || !means || !cls || !raters || !prios || !ids || !sums) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
		goto done;
	}
	/* distinct raters */
	for (size_t i = 0; i < n; i++) {
		raters[i] = ratings[i].rater ? ratings[i].rater : "";
	}
	qsort(raters, n, sizeof *raters, cmp_str);
	for (size_t i = 0; i < n; i++) {
		nraters += i == 0 || strcmp(raters[i], raters[i - 1]) != 0;
	}
	/* ratings come ordered by recommendation: one summary per run */
	for (size_t i = 0; i < n;) {
		const char *id = ratings[i].rec_id ? ratings[i].rec_id : "";
		size_t k = 0;
		for (; i < n && strcmp(ratings[i].rec_id ? ratings[i].rec_id : "", id) == 0; i++) {
			v[k++] = ratings[i].score;
		}
		ssr_recs_summarise(v, k, &sums[nr]);
		prios[nr] = NULL;
		for (size_t j = 0; j < nrecs; j++) {
			if (strcmp(recs[j].id, id) == 0) {
				prios[nr] = recs[j].priority;
			}
		}
		ids[nr] = id;
		means[nr] = sums[nr].mean;
		nr++;
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
	rows = json_array();
	rc = rows ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	for (size_t i = 0; rc == SSR_EOK && i < nr; i++) {
		const ssr_recs_summary_t *s = &sums[i];
		unsigned c = cls[i] + (classes - k); /* fewer values than classes: the top ones */
		const char *label = classes == 2 ? two[c] : three[c];
		ssr_jobj_t b = ssr_jobj_new();
		ssr_jobj_str(&b, "id", ids[i]);
		ssr_jobj_int(&b, "raters", (int64_t)s->n);
		ssr_jobj_real(&b, "mean", s->mean);
		ssr_jobj_real(&b, "median", s->median);
		ssr_jobj_real(&b, "q1", s->q1);
		ssr_jobj_real(&b, "q3", s->q3);
		ssr_jobj_real(&b, "iqr", s->iqr);
		ssr_jobj_real(&b, "min", s->min);
		ssr_jobj_real(&b, "max", s->max);
		ssr_jobj_str(&b, "published", prios[i]); /* null: no published priority */
		ssr_jobj_str(&b, "class", label);
		if (prios[i] != NULL) {
			bool same = strcmp(prios[i], label) == 0;
			compared++;
			agree += same;
			ssr_jobj_bool(&b, "agrees", same);
		}
		rc = ssr_jobj_append(&b, WHAT, rows, diag);
	}
	if (rc != SSR_EOK) {
		goto done;
	}
	*out = json_pack(
	    "{s:s,s:I,s:I,s:I,s:f,s:I,s:I,s:o?,s:o}", "survey", survey, "ratings", (json_int_t)n,
	    "raters", (json_int_t)nraters, "classes", (json_int_t)classes, "gvf", gvf, "compared",
	    (json_int_t)compared, "agree", (json_int_t)agree, "agreement",
	    compared ? json_real((double)agree / compared) : json_null(), "recommendations", rows);
	rows = NULL;
	if (!*out) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
done:
	free(v);
	free(means);
	free(cls);
	free(raters);
	free(prios);
	free(ids);
	free(sums);
	json_decref(rows);
	ssr_store_recs_ratings_free(ratings, n);
	ssr_store_recs_rows_free(recs, nrecs);
	return rc;
}
