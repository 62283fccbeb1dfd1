/* ssrwatch — RSSAC047 monthly results in the store (rssstore.h). */
#include <stdio.h>

#include "ssrwatch/rssstore.h"
#include "store_priv.h"

int ssr_store_rss_put(ssr_store_t *st, const char *month, const ssr_rss_row_t *rows, size_t n,
                      ssr_diag_t *diag)
{
	int rc = store_db_begin(st->db, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *m[] = {month};
	rc =
	    store_db_exec(st->db, "DELETE FROM rss_month WHERE month = $1", 1, m, NULL, NULL, diag);
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		const ssr_rss_row_t *r = &rows[i];
		char val[64];
		snprintf(val, sizeof val, "%.6f", r->value);
		store_num_t s = store_num(r->samples);
		const char *v[] = {month,      r->subject, r->metric, r->transport,
		                   r->verdict, val,        s.v};
		rc = store_db_exec(
		    st->db,
		    "INSERT INTO rss_month (month, subject, metric, transport, verdict,"
		    " value, samples) VALUES ($1,$2,$3,$4,$5,$6,$7)",
		    7, v, NULL, NULL, diag);
	}
	if (rc != SSR_EOK) {
		store_db_rollback(st->db);
		return rc;
	}
	return store_db_commit(st->db, diag);
}
