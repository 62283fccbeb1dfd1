/* librecs: the live figure of a measurement a recommendation is bound to: the store's latest
 * numbers written as one line, with their age against the recommendation's cadence. */
#include <stdio.h>
#include <string.h>

#include "recs_priv.h"
#include "ssrwatch/date.h"

static const char *const abuse_names[] = {"tlds", "domains", "abused"};
static const char *const portal_names[] = {"at", "cases", "closed", "acknowledged"};
static const char *const names_names[] = {"delegations", "zones", "lookalikes"};
static const char *const zone_names[] = {"zones", "delegations", "signed"};
static const char *const regress_names[] = {"targets", "cases", "passed"};
static const char *const rss_names[] = {"rsis", "rsis_failing", "rss_failing"};
static const char *const czds_names[] = {"tlds", "downloaded", "on_time", "fresh"};
static const char *const escrow_names[] = {"answering_s", "checked", "matched", "passed"};

/* The figure of each measurement: how its numbers read as one line. */
static const char *const *figure(const char *measure, const int64_t *v, char *out, size_t cap)
{
	double a = (double)v[0], b = (double)v[1], c = (double)v[2], d = (double)v[3];
	if (strcmp(measure, "abuse.report") == 0) { /* tlds, domains, abused */
		snprintf(out, cap, "%.0f abused of %.0f domains in %.0f TLDs (%.2f per 10k)", c, b,
		         a, b > 0 ? 1e4 * c / b : 0.0);
		return abuse_names;
	}
	if (strcmp(measure, "portal.sla") == 0 || strcmp(measure, "portal.cases") == 0) {
		snprintf(out, cap, "%.0f cases, %.0f closed, %.0f acknowledgements", b, c, d);
		return portal_names;
	}
	if (strcmp(measure, "names.scan") == 0) { /* delegations, zones, lookalikes */
		snprintf(out, cap, "%.0f look-alikes in %.0f delegations of %.0f zones", c, a, b);
		return names_names;
	}
	if (strcmp(measure, "regress.run") == 0) { /* targets, cases, passed */
		snprintf(out, cap, "%.0f of %.0f regression cases pass on %.0f targets", c, b, a);
		return regress_names;
	}
	if (strcmp(measure, "rss.report") == 0) { /* RSIs, RSIs failing a threshold, RSS fails */
		snprintf(
		    out, cap,
		    "RSSAC047: %.0f of %.0f RSIs pass every threshold; %.0f RSS thresholds missed",
		    a - b, a, c);
		return rss_names;
	}
	if (strcmp(measure, "czds.day") == 0) { /* TLDs, downloaded, on time, fresh */
		snprintf(
		    out, cap,
		    "zone files: %.0f of %.0f TLDs downloaded complete, %.0f on time, %.0f fresh",
		    b, a, c, d);
		return czds_names;
	}
	if (strcmp(measure, "escrow.drill") == 0) { /* seconds, checked, matched, passed */
		snprintf(out, cap,
		         "last EBERO drill: a correctly answering server %.0f s after the deposit "
		         "(4 h threshold), %.0f of %.0f delegations as the original%s",
		         a, c, b, d > 0 ? "" : " (FAILED)");
		return escrow_names;
	}
	/* zone.stats: zones, delegations, signed */
	snprintf(out, cap, "%.0f zones, %.0f delegations, %.1f%% signed", a, b,
	         b > 0 ? 100 * c / b : 0.0);
	return zone_names;
}

int recs_live(ssr_store_t *st, const char *measure, int64_t cadence, int32_t today,
              recs_live_t *out, ssr_diag_t *diag)
{
	memset(out, 0, sizeof(*out));
	out->stale = true;
	int rc = ssr_store_recs_measure(st, measure, &out->m, diag);
	if (rc == SSR_ENOTFOUND) {
		return SSR_EOK;
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	out->stored = true;
	out->names = figure(measure, out->m.v, out->figure, sizeof(out->figure));
	int32_t day;
	if (ssr_date_parse(out->m.date, strlen(out->m.date), &day) == SSR_EOK) {
		out->dated = true;
		out->age_days = today - day;
		out->stale = today - day > cadence;
	}
	return SSR_EOK;
}
