/* librecs: the changes people make to the tracker, with their rules in one place for the CLI
 * and the portal: evidence items, action items, survey imports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recs_priv.h"
#include "ssrwatch/date.h"
#include "ssrwatch/lines.h"
#include "ssrwatch/recs.h"
#include "ssrwatch/recsstore.h"
#include "ssrwatch/utf8.h"

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
		ssr_rec_row_t *one = NULL;
		size_t n = 0;
		int32_t day;
		if (e->today == NULL || strlen(e->today) != 10 ||
		    ssr_date_parse(e->today, 10, &day) != SSR_EOK) {
			return ssr_diag_set(diag, SSR_EINVAL, "bad date '%s' (YYYY-MM-DD)",
			                    e->today ? e->today : "");
		}
		if ((rc = ssr_store_recs_list(st, e->id, &one, &n, diag)) != SSR_EOK) {
			return rc;
		}
		recs_live_t live = {0};
		if (one[0].measure != NULL) {
			rc = recs_live(st, one[0].measure, one[0].cadence, day, &live, diag);
		}
		if (rc == SSR_EOK && !live.stored) {
			rc = ssr_diag_set(diag, SSR_EINVAL,
			                  "'%s' has no stored measurement to cite", e->id);
		}
		if (rc == SSR_EOK) {
			snprintf(frozen, sizeof frozen, "%s %s: %s", one[0].measure, live.m.date,
			         live.figure);
		}
		ssr_store_recs_rows_free(one, n);
		if (rc != SSR_EOK) {
			return rc;
		}
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
		ssr_rec_row_t *one = NULL;
		size_t none = 0;
		int rc = ssr_store_recs_list(st, rid, &one, &none, diag);
		ssr_store_recs_rows_free(one, none);
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
	ssr_rec_row_t *recs; /* the catalogue's recommendations */
	size_t nrecs;
	bool check_raters; /* only the raters of the raters file */
	char **raters;     /* sorted */
	size_t nraters, cap;
	ssr_store_t *st;
	const char *survey;
	ssr_diag_t *diag;
} import_t;

static bool rec_known(const char *id, void *ctx)
{
	import_t *k = ctx;
	for (size_t i = 0; i < k->nrecs; i++) {
		if (k->recs[i].id != NULL && strcmp(k->recs[i].id, id) == 0) {
			return true;
		}
	}
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool rater_known(const char *id, void *ctx)
{
	import_t *k = ctx;
	return k->nraters > 0 &&
	       bsearch(&id, k->raters, k->nraters, sizeof(*k->raters), cmp_str) != NULL;
}

static int put_rating(const char *rater, const char *rec, double score, void *ctx)
{
	import_t *k = ctx;
	return ssr_store_recs_put_rating(k->st, k->survey, rater, rec, score, k->diag);
}

static int add_rater(import_t *k, const char *s, size_t len)
{
	if (k->nraters == k->cap) {
		size_t nc = k->cap ? 2 * k->cap : 64;
		char **nr = realloc(k->raters, nc * sizeof(*nr));
		if (nr == NULL) {
			return SSR_ENOMEM;
		}
		k->raters = nr;
		k->cap = nc;
	}
	if ((k->raters[k->nraters] = strndup(s, len)) == NULL) {
		return SSR_ENOMEM;
	}
	k->nraters++;
	return SSR_EOK;
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
		if (!ssr_utf8_valid(line, len) || memchr(line, '\0', len) != NULL) {
			rc = ssr_diag_set(k->diag, SSR_EPARSE, "raters '%s' line %llu: not UTF-8",
			                  path, (unsigned long long)no);
			break;
		}
		if (add_rater(k, line, len) != SSR_EOK) {
			rc = ssr_diag_set(k->diag, SSR_ENOMEM, "out of memory");
			break;
		}
	}
	ssr_lines_free(lr);
	if (rc >= 0 && k->nraters > 0) {
		qsort(k->raters, k->nraters, sizeof(*k->raters), cmp_str);
	}
	return rc < 0 ? rc : SSR_EOK;
}

int ssr_recs_survey_import(ssr_store_t *st, const ssr_recs_survey_import_t *in,
                           ssr_recs_survey_stats_t *stats, ssr_diag_t *diag)
{
	import_t k = {.st = st, .survey = in->survey ? in->survey : "default", .diag = diag};
	int rc = ssr_store_recs_list(st, NULL, &k.recs, &k.nrecs, diag);
	if (rc == SSR_EOK && in->raters != NULL) {
		k.check_raters = true;
		rc = read_raters(&k, in->raters);
	}
	/* one transaction: the survey's old ratings replaced, or nothing changed */
	if (rc == SSR_EOK) {
		rc = ssr_store_begin(st, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_store_recs_clear_survey(st, k.survey, diag);
		if (rc == SSR_EOK) {
			rc = ssr_recs_survey_read(
			    in->path, rec_known, k.check_raters ? rater_known : NULL, &k,
			    put_rating, &k, in->skip, in->skip_ctx, stats, diag);
		}
		if (rc == SSR_EOK) {
			rc = ssr_store_commit(st, diag);
		} else {
			ssr_store_rollback(st);
		}
	}
	ssr_store_recs_rows_free(k.recs, k.nrecs);
	for (size_t i = 0; i < k.nraters; i++) {
		free(k.raters[i]);
	}
	free(k.raters);
	return rc;
}
