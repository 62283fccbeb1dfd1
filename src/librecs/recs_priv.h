/* ssrwatch — what librecs's files share.  Private to librecs. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/recsstore.h"

#pragma GCC visibility push(hidden)

/* A bound measurement's live figure as of a day. */
typedef struct {
	bool stored;              /* the store has the measurement; the rest only then */
	ssr_rec_measure_t m;      /* its numbers and date */
	const char *const *names; /* the numbers' names (m.nv of them) */
	char figure[256];         /* one line of text */
	bool dated;               /* the date parsed: age_days is set */
	int64_t age_days;         /* today - date */
	bool stale;               /* older than the cadence, or not stored */
} recs_live_t;

/* The live figure of measure (a name from the catalogue) as of today (days since the epoch)
 * against cadence (days).  Errors: the store's. */
int recs_live(ssr_store_t *st, const char *measure, int64_t cadence, int32_t today,
              recs_live_t *out, ssr_diag_t *diag);

#pragma GCC visibility pop
