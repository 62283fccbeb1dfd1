/* librecs: the changes people make to the tracker, with their rules in one place for the CLI
 * and the portal: evidence items, action items, survey imports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/date.h"
#include "ssrwatch/lines.h"
#include "ssrwatch/recs.h"
#include "ssrwatch/recsstore.h"

/* ---- evidence ----------------------------------------------------------------------------- */

int ssr_recs_evidence_check(const char *kind, const char *ref, const char *note, ssr_diag_t *diag)
{
	if (kind == NULL || (strcmp(kind, "url") != 0 && strcmp(kind, "file") != 0 &&
	                     strcmp(kind, "metric") != 0)) {
		return ssr_diag_set(diag, SSR_EINVAL, "evidence kind: url, file or metric");
	}
	if (strcmp(kind, "metric") != 0 && (ref == NULL || *ref == '\0')) {
		return ssr_diag_set(diag, SSR_EINVAL, "the evidence needs a URL or a file name");
	}
	if (ref != NULL && strlen(ref) > SSR_RECS_MAX_REF) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "the URL or file name is longer than %d characters",
		                    SSR_RECS_MAX_REF);
	}
	if (strcmp(kind, "url") == 0 && strncmp(ref, "https://", 8) != 0 &&
	    strncmp(ref, "http://", 7) != 0) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "an evidence URL starts with https:// or http://");
	}
	if (note != NULL && strlen(note) > SSR_RECS_MAX_TEXT) {
		return ssr_diag_set(diag, SSR_EINVAL, "the note is longer than %d characters",
		                    SSR_RECS_MAX_TEXT);
	}
	return SSR_EOK;
}

int ssr_recs_add_evidence(ssr_store_t *st, const ssr_recs_evidence_t *e, int64_t *id, char *ref,
                          size_t cap, ssr_diag_t *diag)
{
	int rc = ssr_recs_evidence_check(e->kind, e->ref, e->note, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	char frozen[SSR_RECS_MAX_REF + 1];
	const char *r = e->ref;
	if (strcmp(e->kind, "metric") == 0) {
		/* the current live figure, frozen with its date */
		json_t *d = NULL;
		if ((rc = ssr_recs_detail(st, e->id, e->today, &d, diag)) != SSR_EOK) {
			return rc;
		}
		json_t *live = json_object_get(d, "live");
		const char *date = json_string_value(json_object_get(live, "date"));
		if (date == NULL) {
			json_decref(d);
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "'%s' has no stored measurement to cite", e->id);
		}
		snprintf(frozen, sizeof frozen, "%s %s: %s",
		         json_string_value(json_object_get(live, "measure")), date,
		         json_string_value(json_object_get(live, "figure")));
		json_decref(d);
		r = frozen;
	}
	rc = ssr_store_recs_add_evidence(st, e->id, e->at, e->actor, e->kind, r, e->note, id, diag);
	if (rc == SSR_EOK && ref != NULL && cap > 0) {
		snprintf(ref, cap, "%s", r);
	}
	return rc;
}

/* ---- action items ------------------------------------------------------------------------- */

int ssr_recs_add_action(ssr_store_t *st, const ssr_recs_action_t *a, int64_t *id, ssr_diag_t *diag)
{
	if (a->title == NULL || *a->title == '\0' || a->owner == NULL || *a->owner == '\0' ||
	    a->recs == NULL || a->actor == NULL) {
		return ssr_diag_set(
		    diag, SSR_EINVAL,
		    "an action item needs a title, an owner, recommendations and who");
	}
	if (strlen(a->title) > SSR_RECS_MAX_TEXT || strlen(a->owner) > SSR_RECS_MAX_TEXT ||
	    strlen(a->recs) > SSR_RECS_MAX_TEXT) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "an action item's text is longer than %d "
		                    "characters",
		                    SSR_RECS_MAX_TEXT);
	}
	int32_t day;
	if (a->due != NULL && ssr_date_parse(a->due, strlen(a->due), &day) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad due date '%s' (YYYY-MM-DD)", a->due);
	}
	/* every linked recommendation must exist: the ids space- or comma-separated, stored
	 * space-separated */
	char recs[SSR_RECS_MAX_TEXT + 1];
	size_t o = 0, nrecs = 0;
	for (const char *p = a->recs + strspn(a->recs, " ,"); *p; p += strspn(p, " ,")) {
		size_t n = strcspn(p, " ,");
		char rid[128];
		if (n >= sizeof rid) {
			return ssr_diag_set(diag, SSR_EINVAL, "no recommendation '%.40s...'", p);
		}
		memcpy(rid, p, n);
		rid[n] = '\0';
		json_t *one = NULL;
		int rc = ssr_store_recs_list(st, rid, &one, diag);
		json_decref(one);
		if (rc != SSR_EOK) {
			return rc;
		}
		o += (size_t)snprintf(recs + o, sizeof recs - o, "%s%s", o ? " " : "", rid);
		nrecs++;
		p += n;
	}
	if (nrecs == 0) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "an action item links at least one recommendation");
	}
	return ssr_store_recs_add_action(st, a->title, a->owner, a->due, recs, a->actor, a->at, id,
	                                 diag);
}

int ssr_recs_set_action(ssr_store_t *st, int64_t id, const char *status, const char *actor,
                        int64_t at, ssr_diag_t *diag)
{
	if (status == NULL || (strcmp(status, "open") != 0 && strcmp(status, "done") != 0 &&
	                       strcmp(status, "dropped") != 0)) {
		return ssr_diag_set(diag, SSR_EINVAL, "action status '%s': open, done or dropped",
		                    status ? status : "");
	}
	return ssr_store_recs_set_action(st, id, status, actor, at, diag);
}

/* ---- survey import ------------------------------------------------------------------------ */

typedef struct {
	json_t *recs;   /* the catalogue's recommendations */
	json_t *raters; /* object; NULL: any rater */
	ssr_store_t *st;
	const char *survey;
	ssr_diag_t *diag;
} import_t;

static bool rec_known(const char *id, void *ctx)
{
	import_t *k = ctx;
	size_t i;
	json_t *r;
	json_array_foreach(k->recs, i, r)
	{
		const char *rid = json_string_value(json_object_get(r, "id"));
		if (rid != NULL && strcmp(rid, id) == 0) {
			return true;
		}
	}
	return false;
}

static bool rater_known(const char *id, void *ctx)
{
	import_t *k = ctx;
	return json_object_get(k->raters, id) != NULL;
}

static int put_rating(const char *rater, const char *rec, double score, void *ctx)
{
	import_t *k = ctx;
	return ssr_store_recs_put_rating(k->st, k->survey, rater, rec, score, k->diag);
}

/* The raters file: one rater id a line; '#' comments and blank lines ignored. */
static int read_raters(import_t *k, const char *path)
{
	ssr_lines_t *lr;
	int rc = ssr_lines_open(path, 255, &lr, k->diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *line;
	size_t len;
	bool too_long;
	while ((rc = ssr_lines_next(lr, &line, &len, &too_long, k->diag)) == 1) {
		uint64_t no = ssr_lines_number(lr);
		if (too_long) {
			rc = ssr_diag_set(k->diag, SSR_ELIMIT,
			                  "raters '%s' line %llu: longer than 255 bytes", path,
			                  (unsigned long long)no);
			break;
		}
		while (len > 0 && line[len - 1] == ' ') {
			len--;
		}
		if (len == 0 || line[0] == '#') {
			continue;
		}
		if (json_object_setn_new(k->raters, line, len, json_true()) != 0) {
			rc = ssr_diag_set(k->diag, SSR_EPARSE, "raters '%s' line %llu: not UTF-8",
			                  path, (unsigned long long)no);
			break;
		}
	}
	ssr_lines_free(lr);
	return rc < 0 ? rc : SSR_EOK;
}

int ssr_recs_survey_import(ssr_store_t *st, const ssr_recs_survey_import_t *in,
                           ssr_recs_survey_stats_t *stats, ssr_diag_t *diag)
{
	import_t k = {.st = st, .survey = in->survey ? in->survey : "default", .diag = diag};
	int rc = ssr_store_recs_list(st, NULL, &k.recs, diag);
	if (rc == SSR_EOK && in->raters != NULL) {
		k.raters = json_object();
		rc = k.raters ? read_raters(&k, in->raters)
		              : ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	/* one transaction: the survey's old ratings replaced, or nothing changed */
	if (rc == SSR_EOK) {
		rc = ssr_store_begin(st, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_clear_survey(st, k.survey, diag);
		if (rc == SSR_EOK) {
			rc = ssr_recs_survey_read(in->path, rec_known,
			                          k.raters ? rater_known : NULL, &k, put_rating, &k,
			                          in->skip, in->skip_ctx, stats, diag);
		}
		if (rc == SSR_EOK) {
			rc = ssr_store_commit(st, diag);
		} else {
			ssr_store_rollback(st);
		}
	}
	json_decref(k.recs);
	json_decref(k.raters);
	return rc;
}
