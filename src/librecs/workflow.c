/* librecs: the status workflow of a recommendation (docs/METHODOLOGY.md, "Recommendation
 * tracker"). */
#include <string.h>

#include "ssrwatch/recs.h"

static const char *const names[SSR_REC_STATUS_COUNT] = {"not-started", "in-design", "in-progress",
                                                        "implemented", "verified",  "pending",
                                                        "rejected",    "deferred"};

const char *ssr_rec_status_name(ssr_rec_status_t s)
{
	return (unsigned)s < SSR_REC_STATUS_COUNT ? names[s] : "?";
}

int ssr_rec_status_parse(const char *text, ssr_rec_status_t *out)
{
	for (unsigned i = 0; i < SSR_REC_STATUS_COUNT; i++) {
		if (strcmp(text, names[i]) == 0) {
			*out = (ssr_rec_status_t)i;
			return SSR_EOK;
		}
	}
	return SSR_EINVAL;
}

/* The main line, in order; verified is its end. */
static bool main_line(ssr_rec_status_t s)
{
	return s <= SSR_REC_VERIFIED;
}

int ssr_rec_move_check(ssr_rec_status_t from, ssr_rec_status_t to, unsigned evidence,
                       const char *reason, ssr_diag_t *diag)
{
	const char *f = ssr_rec_status_name(from), *t = ssr_rec_status_name(to);
	bool why = reason && *reason;
	if ((unsigned)to >= SSR_REC_STATUS_COUNT || (unsigned)from >= SSR_REC_STATUS_COUNT) {
		return ssr_diag_set(diag, SSR_EINVAL, "unknown status");
	}
	if (from == to) {
		return ssr_diag_set(diag, SSR_EINVAL, "already %s", t);
	}
	if (to == SSR_REC_VERIFIED) {
		if (from != SSR_REC_IMPLEMENTED) {
			return ssr_diag_set(
			    diag, SSR_EINVAL,
			    "%s -> verified: only an implemented recommendation can be verified",
			    f);
		}
		if (evidence == 0) {
			return ssr_diag_set(
			    diag, SSR_EINVAL,
			    "implemented -> verified needs at least one evidence item");
		}
		return SSR_EOK;
	}
	if (to == SSR_REC_REJECTED && from != SSR_REC_PENDING) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "%s -> rejected: only the board rejects, from pending", f);
	}
	if (from == SSR_REC_REJECTED && to != SSR_REC_PENDING) {
		return ssr_diag_set(
		    diag, SSR_EINVAL,
		    "rejected -> %s: a rejected recommendation goes back to the board "
		    "(pending) first",
		    t);
	}
	if (from == SSR_REC_VERIFIED && to != SSR_REC_IN_PROGRESS && to != SSR_REC_IMPLEMENTED) {
		return ssr_diag_set(
		    diag, SSR_EINVAL,
		    "verified -> %s: a verified recommendation can only be reopened "
		    "(in-progress or implemented)",
		    t);
	}
	/* moving back, rejecting, deferring or reopening needs a reason */
	bool back = main_line(from) && main_line(to) && to < from;
	if ((back || to == SSR_REC_REJECTED || to == SSR_REC_DEFERRED) && !why) {
		return ssr_diag_set(diag, SSR_EINVAL, "%s -> %s needs a reason", f, t);
	}
	return SSR_EOK;
}
