/* ssrwatch — the recommendation tracker (SSR2 Rec 1; SSR1 Recs 19 and 27): the catalogue of
 * review recommendations, their status workflow, live evidence from ssrwatch's own
 * measurements, and the prioritisation survey.  Formats: docs/FORMATS.md; rules:
 * docs/METHODOLOGY.md. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

/* ---- catalogue --------------------------------------------------------------------------- */

#define SSR_RECS_MAX_LINE    4096
#define SSR_RECS_MAX_FIELD   8192 /* one field with its continuation lines */
#define SSR_RECS_MAX_ENTRIES 100000

typedef struct {
	char *id; /* "SSR1", "SSR2", "CCT", or a user's review */
	char *title;
	char *published; /* YYYY-MM-DD or NULL */
	char *file;      /* where it was defined */
} ssr_recs_review_t;

typedef struct {
	char *id;     /* "SSR2-19", sub-items "SSR2-19.a" */
	char *review; /* the review id */
	char *parent; /* the recommendation of a sub-item, else NULL */
	char *title;
	char *summary;    /* may be NULL */
	char *priority;   /* "high", "medium", "low" or NULL (not published) */
	char *workstream; /* or NULL */
	char *owner;      /* owning group, or NULL */
	char *refs;       /* space-separated ids, or NULL */
	char *measure;    /* bound measurement ("abuse.report"), or NULL */
	unsigned cadence; /* expected days between measurements (with measure) */
	unsigned ord;     /* position in the catalogue */
	char *file;
	uint64_t line;      /* of its id */
	uint64_t refs_line; /* of its refs */
} ssr_recs_rec_t;

typedef struct {
	ssr_recs_review_t *reviews;
	size_t nreviews;
	ssr_recs_rec_t *recs;
	size_t nrecs;
} ssr_recs_catalogue_t;

/* The measurements a recommendation can be bound to. */
bool ssr_recs_measure_known(const char *name);

/* Read catalogue files (all of them, then check references across them).  Errors name the file
 * and line: "catalogue 'x.recs' line 12: duplicate id 'SSR2-3' (first at 'y.recs' line 4)". */
int ssr_recs_catalogue_read(const char *const *paths, size_t n, ssr_recs_catalogue_t **out,
                            ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(3);
void ssr_recs_catalogue_free(ssr_recs_catalogue_t *c);
/* The catalogue files shipped with ssrwatch (the .recs files of data/recommendations), sorted; free
 * with ssr_recs_paths_free.
 * Errors: SSR_ENOTFOUND (no catalogue installed), SSR_ENOMEM. */
int ssr_recs_shipped(char ***paths, size_t *n, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(2);
void ssr_recs_paths_free(char **paths, size_t n);

/* ---- status workflow --------------------------------------------------------------------- */

typedef enum {
	SSR_REC_NOT_STARTED = 0,
	SSR_REC_IN_DESIGN,
	SSR_REC_IN_PROGRESS,
	SSR_REC_IMPLEMENTED,
	SSR_REC_VERIFIED,
	SSR_REC_PENDING,  /* waiting for a board decision */
	SSR_REC_REJECTED, /* rejected by the board */
	SSR_REC_DEFERRED,
	SSR_REC_STATUS_COUNT
} ssr_rec_status_t;

const char *ssr_rec_status_name(ssr_rec_status_t s);
/* Errors: SSR_EINVAL (unknown status). */
int ssr_rec_status_parse(const char *text, ssr_rec_status_t *out) SSR_CHECK;

/* May a recommendation move from -> to?  evidence: evidence items it has; reason: the why given
 * (may be empty).  SSR_EOK, or SSR_EINVAL with the rule that forbids it in diag. */
int ssr_rec_move_check(ssr_rec_status_t from, ssr_rec_status_t to, unsigned evidence,
                       const char *reason, ssr_diag_t *diag) SSR_CHECK;

/* ---- prioritisation survey --------------------------------------------------------------- */

typedef struct {
	uint64_t rows, accepted;
	uint64_t bad_score;     /* not a number from 50 to 100 */
	uint64_t unknown_rec;   /* a recommendation not in the catalogue */
	uint64_t unknown_rater; /* a rater not in the rater list (when one is given) */
	uint64_t duplicate;     /* a second score by the same rater for the same recommendation */
	uint64_t malformed;     /* not rater,recommendation,score */
} ssr_recs_survey_stats_t;

typedef int (*ssr_recs_rating_fn)(const char *rater, const char *rec, double score, void *ctx);
/* Is id a recommendation (or sub-item) of the catalogue?  Is rater known? */
typedef bool (*ssr_recs_known_fn)(const char *id, void *ctx);
/* A rejected row: "survey 'r.csv' line 7: score '120' outside 50-100". */
typedef void (*ssr_recs_skip_fn)(const char *msg, void *ctx);

/* CSV with a header naming rater, recommendation (or rec, id) and score columns.
 * Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (naming file and line), SSR_ELIMIT (a
 * line over its cap), SSR_ENOMEM, what fn returns. */
int ssr_recs_survey_read(const char *path, ssr_recs_known_fn rec_ok, ssr_recs_known_fn rater_ok,
                         void *known_ctx, ssr_recs_rating_fn fn, void *ctx, ssr_recs_skip_fn skip,
                         void *skip_ctx, ssr_recs_survey_stats_t *stats,
                         ssr_diag_t *diag) SSR_CHECK;

typedef struct {
	double mean, median, q1, q3, iqr, min, max;
	size_t n;
} ssr_recs_summary_t;

/* Summary of n scores (sorted in place): quartiles by linear interpolation (R type 7). */
void ssr_recs_summarise(double *v, size_t n, ssr_recs_summary_t *out);
/* Jenks natural breaks of n values into k classes (k <= n): class[i] in 0..k-1 by ascending
 * value, *gvf the goodness of variance fit.  SSR_EINVAL for k < 1 or k > n. */
int ssr_recs_jenks(const double *v, size_t n, unsigned k, unsigned *cls, double *gvf) SSR_CHECK;

/* ---- the tracker over a store ------------------------------------------------------------- */

/* Load a catalogue into the store in one transaction (reviews and recommendations inserted or
 * updated; history and evidence untouched).
 * Errors: the store's (SSR_ESTORE, SSR_ENOMEM); all or nothing. */
int ssr_recs_import(ssr_store_t *st, const ssr_recs_catalogue_t *c, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
/* A status change through the workflow rules (ssr_rec_move_check), appended to the history;
 * *from (16 bytes, may be NULL) the status before.  SSR_EINVAL (the reason in diag) when the
 * rules or the length caps refuse it, SSR_ENOTFOUND for an unknown id. */
int ssr_recs_move(ssr_store_t *st, const char *id, const char *to, const char *actor,
                  const char *reason, int64_t at, char *from, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);

/* The longest reference (URL, file name) and text (reason, note, title) a change carries. */
#define SSR_RECS_MAX_REF  2000
#define SSR_RECS_MAX_TEXT 2000

/* An evidence item: a URL (http:// or https://), a file name, or the recommendation's current
 * live figure (kind "metric": ref ignored, the figure frozen as "measure date: figure"). */
typedef struct {
	const char *id, *actor;
	const char *kind; /* "url", "file" or "metric" */
	const char *ref;
	const char *note;  /* may be NULL */
	int64_t at;        /* Unix time of the change */
	const char *today; /* metric: the live figure as of this day (YYYY-MM-DD) */
} ssr_recs_evidence_t;

/* The rules an evidence item must meet (kind, reference, lengths); SSR_EINVAL with the reason.
 * ssr_recs_add_evidence applies them; callers may ask first (a CLI option error). */
int ssr_recs_evidence_check(const char *kind, const char *ref, const char *note,
                            ssr_diag_t *diag) SSR_CHECK;
/* Check and store an evidence item: *id its id; ref (cap bytes; NULL: not wanted) the
 * reference stored.  SSR_EINVAL (a rule, or a metric with no stored measurement),
 * SSR_ENOTFOUND (no such recommendation). */
int ssr_recs_add_evidence(ssr_store_t *st, const ssr_recs_evidence_t *e, int64_t *id, char *ref,
                          size_t cap, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3);

/* An action item: linked to one or more recommendations (ids separated by spaces or commas;
 * each must exist), due YYYY-MM-DD or NULL. */
typedef struct {
	const char *title, *owner, *due, *recs, *actor;
	int64_t at;
} ssr_recs_action_t;

/* Errors: SSR_EINVAL (title, owner, due date or list out of bounds), SSR_ENOTFOUND (a linked
 * recommendation that does not exist), the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_recs_add_action(ssr_store_t *st, const ssr_recs_action_t *a, int64_t *id,
                        ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3);
/* status: "open", "done" or "dropped" (SSR_EINVAL otherwise); SSR_ENOTFOUND for no such item. */
int ssr_recs_set_action(ssr_store_t *st, int64_t id, const char *status, const char *actor,
                        int64_t at, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);

/* A survey import: the ratings CSV at path replace the survey's (NULL: "default") in one
 * transaction; raters (NULL: any) names a file of known rater ids, one a line.  Rows refused
 * go to skip (may be NULL) and are counted in *stats. */
typedef struct {
	const char *survey, *path, *raters;
	ssr_recs_skip_fn skip;
	void *skip_ctx;
} ssr_recs_survey_import_t;

/* Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (naming file and line), SSR_ELIMIT (a
 * line over its cap), SSR_ENOMEM, the store's (SSR_ESTORE, SSR_ENOMEM); all or nothing. */
int ssr_recs_survey_import(ssr_store_t *st, const ssr_recs_survey_import_t *in,
                           ssr_recs_survey_stats_t *stats, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);

/* The dashboard as JSON (docs/FORMATS.md): reviews with counts by status, every recommendation
 * with status, evidence and its live figure (date, age, stale against the cadence), action
 * items (overdue flagged), as of today (YYYY-MM-DD).
 * Errors: SSR_EINVAL (bad today), SSR_ECORRUPT (a stored text that is not UTF-8), SSR_ENOMEM, the
 * store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_recs_dashboard(ssr_store_t *st, const char *today, json_t **out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 3);
/* One recommendation: the dashboard entry plus its history, evidence and action items.
 * Errors: SSR_EINVAL (bad today), SSR_ENOTFOUND (no such recommendation), SSR_ECORRUPT, SSR_ENOMEM,
 * the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_recs_detail(ssr_store_t *st, const char *id, const char *today, json_t **out,
                    ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4);
/* The survey: per recommendation n, mean, median, q1, q3, iqr; natural-breaks classes of the
 * means (2: high/medium, 3: high/medium/low) and agreement with the published priorities.
 * Errors: SSR_EINVAL (classes not 2 or 3), SSR_ENOTFOUND (no ratings for the survey), SSR_ECORRUPT,
 * SSR_ENOMEM, the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_recs_survey_summary(ssr_store_t *st, const char *survey, unsigned classes, json_t **out,
                            ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4);
