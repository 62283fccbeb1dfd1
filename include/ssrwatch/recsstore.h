/* ssrwatch — the recommendation tracker in the store (schema 7): reviews and recommendations
 * from the catalogue, the append-only status history, evidence, action items, survey ratings,
 * and the live figures of ssrwatch's own measurements.  Same functions on SQLite and PostgreSQL;
 * times are seconds since the epoch (UTC). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

typedef struct {
	const char *id, *review, *parent, *title, *summary, *priority, *workstream, *owner, *refs,
	    *measure;
	unsigned cadence, ord;
} ssr_rec_put_t;

/* Catalogue data: insert or update (titles, summaries, bindings); statuses, events and evidence
 * are never touched by an import. */
int ssr_store_recs_put_review(ssr_store_t *st, const char *id, const char *title,
                              const char *published, ssr_diag_t *diag) SSR_CHECK;
int ssr_store_recs_put(ssr_store_t *st, const ssr_rec_put_t *r, ssr_diag_t *diag) SSR_CHECK;

/* Every recommendation, in review then catalogue order, with its current status (the last
 * event's, "not-started" without one), status_at (0 without one), evidence (count) and
 * last_evidence (time, 0 none): an array of objects.  id non-NULL: that one only
 * (SSR_ENOTFOUND if absent). */
int ssr_store_recs_list(ssr_store_t *st, const char *id, json_t **out, ssr_diag_t *diag) SSR_CHECK;
int ssr_store_recs_reviews(ssr_store_t *st, json_t **out, ssr_diag_t *diag) SSR_CHECK;

/* The status move's rule: from, to (status names), the evidence count and the reason. */
typedef int (*ssr_store_recs_check_fn)(const char *from, const char *to, uint64_t evidence,
                                       const char *reason, ssr_diag_t *diag);
/* Append a status change to id after check allows it, in one transaction (the current status
 * and the evidence are read inside it).  SSR_ENOTFOUND for an unknown id, check's error when
 * the workflow forbids the move; *from (16 bytes, may be NULL) the status before. */
int ssr_store_recs_move(ssr_store_t *st, const char *id, const char *to, const char *actor,
                        const char *reason, int64_t at, ssr_store_recs_check_fn check, char *from,
                        ssr_diag_t *diag) SSR_CHECK;
/* Status history of id (NULL: all), oldest first: {id, rec_id, at, actor, from, to, reason}. */
int ssr_store_recs_events(ssr_store_t *st, const char *id, json_t **out,
                          ssr_diag_t *diag) SSR_CHECK;

/* Evidence: kind "url", "file" or "metric"; ref the URL, file name or measurement. */
int ssr_store_recs_add_evidence(ssr_store_t *st, const char *rec_id, int64_t at, const char *actor,
                                const char *kind, const char *ref, const char *note, int64_t *id,
                                ssr_diag_t *diag) SSR_CHECK;
/* {id, rec_id, at, actor, kind, ref, note}, oldest first; id NULL: all. */
int ssr_store_recs_evidence(ssr_store_t *st, const char *id, json_t **out,
                            ssr_diag_t *diag) SSR_CHECK;

/* Action items: recs is space-separated recommendation ids; status "open", "done" or
 * "dropped"; due YYYY-MM-DD or NULL. */
int ssr_store_recs_add_action(ssr_store_t *st, const char *title, const char *owner,
                              const char *due, const char *recs, const char *actor, int64_t at,
                              int64_t *id, ssr_diag_t *diag) SSR_CHECK;
int ssr_store_recs_set_action(ssr_store_t *st, int64_t id, const char *status, const char *actor,
                              int64_t at, ssr_diag_t *diag) SSR_CHECK;
/* {id, title, owner, due, status, recs, created, actor}, by id. */
int ssr_store_recs_actions(ssr_store_t *st, json_t **out, ssr_diag_t *diag) SSR_CHECK;

/* Survey ratings: replace the survey's ratings, then put them. */
int ssr_store_recs_clear_survey(ssr_store_t *st, const char *survey, ssr_diag_t *diag) SSR_CHECK;
int ssr_store_recs_put_rating(ssr_store_t *st, const char *survey, const char *rater,
                              const char *rec_id, double score, ssr_diag_t *diag) SSR_CHECK;
/* {rater, rec_id, score} of a survey, by rec_id then rater. */
int ssr_store_recs_ratings(ssr_store_t *st, const char *survey, json_t **out,
                           ssr_diag_t *diag) SSR_CHECK;

/* The latest figure of a measurement ssrwatch stores: {measure, date (YYYY-MM-DD), figure
 * (one line of text), values {...}}; SSR_ENOTFOUND when the store has none. */
int ssr_store_recs_measure(ssr_store_t *st, const char *measure, json_t **out,
                           ssr_diag_t *diag) SSR_CHECK;
