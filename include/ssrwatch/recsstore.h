/* ssrwatch — the recommendation tracker in the store (schema 7): reviews and recommendations
 * from the catalogue, the append-only status history, evidence, action items, survey ratings,
 * and the live figures of ssrwatch's own measurements.  Same functions on SQLite and PostgreSQL;
 * times are seconds since the epoch (UTC). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

/* Errors of every function here that returns int, unless its comment adds more:
 * SSR_ESTORE (the database refused or failed; diag says how, naming the store), SSR_ENOMEM;
 * reads also SSR_ELIMIT (a stored text longer than its field) and SSR_ECORRUPT (a stored value
 * that is not what it must be).  A lookup of one thing says when it is SSR_ENOTFOUND. */

typedef struct {
	const char *id, *review, *parent, *title, *summary, *priority, *workstream, *owner, *refs,
	    *measure;
	unsigned cadence, ord;
} ssr_rec_put_t;

/* Catalogue data: insert or update (titles, summaries, bindings); statuses, events and evidence
 * are never touched by an import. */
int ssr_store_recs_put_review(ssr_store_t *st, const char *id, const char *title,
                              const char *published, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
int ssr_store_recs_put(ssr_store_t *st, const ssr_rec_put_t *r, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);

/* A recommendation as stored, with its current state.  Strings are the caller's; NULL where the
 * catalogue gives none. */
typedef struct {
	char *id, *review, *parent, *title, *summary, *priority, *workstream, *owner, *refs,
	    *measure;
	int64_t cadence;       /* days a live figure stays fresh */
	char *status;          /* the last event's, "not-started" without one */
	int64_t status_at;     /* 0 without an event */
	int64_t evidence;      /* evidence items */
	int64_t last_evidence; /* time of the newest, 0 none */
} ssr_rec_row_t;

/* Every recommendation in review then catalogue order; id non-NULL: that one only.  *rows (*n)
 * the caller's, ssr_store_recs_rows_free.  Errors: SSR_ENOTFOUND (an id that is not there; diag
 * names it), SSR_ESTORE, SSR_ENOMEM. */
int ssr_store_recs_list(ssr_store_t *st, const char *id, ssr_rec_row_t **rows, size_t *n,
                        ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3, 4);
void ssr_store_recs_rows_free(ssr_rec_row_t *rows, size_t n);

typedef struct {
	char *id, *title, *published; /* published: NULL unknown */
} ssr_rec_review_row_t;

/* Every review by id: *rows (*n), ssr_store_recs_reviews_free.  Errors: SSR_ESTORE, SSR_ENOMEM. */
int ssr_store_recs_reviews(ssr_store_t *st, ssr_rec_review_row_t **rows, size_t *n,
                           ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 3);
void ssr_store_recs_reviews_free(ssr_rec_review_row_t *rows, size_t n);

/* The status move's rule: from, to (status names), the evidence count and the reason. */
typedef int (*ssr_store_recs_check_fn)(const char *from, const char *to, uint64_t evidence,
                                       const char *reason, ssr_diag_t *diag);
/* Append a status change to id after check allows it, in one transaction (the current status
 * and the evidence are read inside it).  SSR_ENOTFOUND for an unknown id, check's error when
 * the workflow forbids the move; *from (16 bytes, may be NULL) the status before. */
int ssr_store_recs_move(ssr_store_t *st, const char *id, const char *to, const char *actor,
                        const char *reason, int64_t at, ssr_store_recs_check_fn check, char *from,
                        ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* One status change. */
typedef struct {
	int64_t id;
	char *rec_id;
	int64_t at;
	char *actor, *from, *to, *reason; /* from, reason: NULL none */
} ssr_rec_event_t;

/* Status history of id (NULL: all), oldest first: *rows (*n), ssr_store_recs_events_free.
 * Errors: SSR_ESTORE, SSR_ENOMEM. */
int ssr_store_recs_events(ssr_store_t *st, const char *id, ssr_rec_event_t **rows, size_t *n,
                          ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3, 4);
void ssr_store_recs_events_free(ssr_rec_event_t *rows, size_t n);

/* Evidence: kind "url", "file" or "metric"; ref the URL, file name or measurement.  SSR_ENOTFOUND:
 * no such recommendation. */
int ssr_store_recs_add_evidence(ssr_store_t *st, const char *rec_id, int64_t at, const char *actor,
                                const char *kind, const char *ref, const char *note, int64_t *id,
                                ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 8);
/* One evidence item. */
typedef struct {
	int64_t id;
	char *rec_id;
	int64_t at;
	char *actor, *kind, *ref, *note; /* note: NULL none */
} ssr_rec_evidence_t;

/* Evidence of id (NULL: all), oldest first: *rows (*n), ssr_store_recs_evidence_free.
 * Errors: SSR_ESTORE, SSR_ENOMEM. */
int ssr_store_recs_evidence(ssr_store_t *st, const char *id, ssr_rec_evidence_t **rows, size_t *n,
                            ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3, 4);
void ssr_store_recs_evidence_free(ssr_rec_evidence_t *rows, size_t n);

/* Action items: recs is space-separated recommendation ids; status "open", "done" or
 * "dropped"; due YYYY-MM-DD or NULL. */
int ssr_store_recs_add_action(ssr_store_t *st, const char *title, const char *owner,
                              const char *due, const char *recs, const char *actor, int64_t at,
                              int64_t *id, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 8);
/* SSR_ENOTFOUND: no such action item; SSR_EINVAL: it already has that status. */
int ssr_store_recs_set_action(ssr_store_t *st, int64_t id, const char *status, const char *actor,
                              int64_t at, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* One action item. */
typedef struct {
	int64_t id;
	char *title, *owner, *due, *status; /* owner, due: NULL none */
	char *recs;                         /* space-separated recommendation ids */
	int64_t created;
	char *actor;
} ssr_rec_action_t;

/* Every action item by id: *rows (*n), ssr_store_recs_actions_free.  Errors: SSR_ESTORE,
 * SSR_ENOMEM. */
int ssr_store_recs_actions(ssr_store_t *st, ssr_rec_action_t **rows, size_t *n,
                           ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 3);
void ssr_store_recs_actions_free(ssr_rec_action_t *rows, size_t n);

/* Survey ratings: replace the survey's ratings, then put them. */
int ssr_store_recs_clear_survey(ssr_store_t *st, const char *survey, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
int ssr_store_recs_put_rating(ssr_store_t *st, const char *survey, const char *rater,
                              const char *rec_id, double score, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
typedef struct {
	char *rater, *rec_id;
	double score;
} ssr_rec_rating_t;

/* A survey's ratings by rec_id then rater: *rows (*n), ssr_store_recs_ratings_free.  Errors:
 * SSR_ESTORE, SSR_ENOMEM. */
int ssr_store_recs_ratings(ssr_store_t *st, const char *survey, ssr_rec_rating_t **rows, size_t *n,
                           ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3, 4);
void ssr_store_recs_ratings_free(ssr_rec_rating_t *rows, size_t n);

/* The latest stored numbers of a measurement ssrwatch keeps, and their date.  The numbers, in
 * order: abuse.report: tlds, domains, abused; portal.sla and portal.cases: at (the last event's
 * time), cases, closed, acknowledged; names.scan: delegations, zones, lookalikes; zone.stats:
 * zones, delegations, signed; regress.run: targets, cases, passed. */
typedef struct {
	char date[11]; /* YYYY-MM-DD */
	int64_t v[4];
	size_t nv;
} ssr_rec_measure_t;

/* Errors: SSR_ENOTFOUND when the store has none of that measurement (or it is one ssrwatch does
 * not store), SSR_ESTORE. */
int ssr_store_recs_measure(ssr_store_t *st, const char *measure, ssr_rec_measure_t *out,
                           ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
