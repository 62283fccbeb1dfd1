/* ssrwatch — the portal's operations endpoints: /healthz (the store answers) and /metrics
 * (Prometheus text: requests by status class, latency, reports, cases, the writer, the WAL,
 * rate limits).  No authentication; they reveal counts only. */
#include <stdio.h>
#include <stdlib.h>

#include "areas.h"
#include "writer.h"

void portal_ops_metrics(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)q;
	(void)a;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL) {
		portal_resp_error(r, 500, "out of memory");
		return;
	}
	fprintf(f, "# HELP ssrwatch_http_requests_total HTTP requests by status class.\n"
	           "# TYPE ssrwatch_http_requests_total counter\n");
	for (int i = 1; i <= 5; i++) {
		fprintf(f, "ssrwatch_http_requests_total{class=\"%dxx\"} %llu\n", i,
		        (unsigned long long)atomic_load(&p->http[i]));
	}
	fprintf(f, "# HELP ssrwatch_http_request_duration_seconds Request latency.\n"
	           "# TYPE ssrwatch_http_request_duration_seconds histogram\n");
	static const char *le[] = {"0.001", "0.005", "0.01", "0.025",
	                           "0.05",  "0.1",   "0.25", "+Inf"};
	uint64_t cum = 0;
	for (int i = 0; i < 8; i++) {
		cum += atomic_load(&p->lat_bucket[i]);
		fprintf(f, "ssrwatch_http_request_duration_seconds_bucket{le=\"%s\"} %llu\n", le[i],
		        (unsigned long long)cum);
	}
	fprintf(f, "ssrwatch_http_request_duration_seconds_sum %.6f\n",
	        (double)atomic_load(&p->lat_sum_us) / 1e6);
	fprintf(f, "ssrwatch_http_request_duration_seconds_count %llu\n", (unsigned long long)cum);
	struct {
		const char *name, *help;
		uint64_t v;
	} c[] = {
	    {"ssrwatch_reports_accepted_total", "Reports stored.", atomic_load(&p->reports_ok)},
	    {"ssrwatch_reports_rejected_total", "Reports refused as invalid.",
	     atomic_load(&p->reports_rejected)},
	    {"ssrwatch_cases_opened_total", "Cases opened.", atomic_load(&p->cases_opened)},
	    {"ssrwatch_rate_limited_total", "Requests refused by a rate limit.",
	     atomic_load(&p->rate_limited)},
	    {"ssrwatch_refused_before_body_total",
	     "Requests answered from their headers, the body unread.",
	     atomic_load(&p->refused_early)},
	    {"ssrwatch_header_timeouts_total",
	     "Connections closed for not sending a complete request in time.",
	     atomic_load(&p->header_timeouts)},
	    {"ssrwatch_stats_computed_total", "SLA figures computed.",
	     atomic_load(&p->stats_computed)},
	    {"ssrwatch_stats_cached_total", "SLA figures served from the cache.",
	     atomic_load(&p->stats_cached)},
	    {"ssrwatch_store_commits_total", "Writer transactions (group commits).",
	     atomic_load(&p->writer.batches)},
	    {"ssrwatch_store_writes_total", "Write requests committed or failed.",
	     atomic_load(&p->writer.jobs)},
	    {"ssrwatch_store_write_failures_total", "Write requests that failed.",
	     atomic_load(&p->writer.failed)},
	    {"ssrwatch_store_wal_truncations_total",
	     "Write-ahead log emptied because passive checkpoints fell behind.",
	     atomic_load(&p->writer.truncations)},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		fprintf(f, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", c[i].name, c[i].help,
		        c[i].name, c[i].name, (unsigned long long)c[i].v);
	}
	fprintf(
	    f,
	    "# HELP ssrwatch_store_wal_bytes SQLite write-ahead log after the last checkpoint.\n"
	    "# TYPE ssrwatch_store_wal_bytes gauge\nssrwatch_store_wal_bytes %llu\n",
	    (unsigned long long)atomic_load(&p->writer.wal_bytes));
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_diag_t d;
	int64_t n = 0;
	if (ssr_store_report_count(st, &n, &d) == SSR_EOK) {
		fprintf(f,
		        "# HELP ssrwatch_reports_stored Reports in the store.\n"
		        "# TYPE ssrwatch_reports_stored gauge\nssrwatch_reports_stored %lld\n",
		        (long long)n);
	}
	portal_pool_put(&p->pool, st);
	fclose(f);
	portal_resp_text(r, 200, "text/plain; version=0.0.4", buf, len);
}

void portal_ops_healthz(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)q;
	(void)a;
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_diag_t d;
	int v = 0;
	int rc = ssr_store_schema_version(st, &v, &d);
	portal_pool_put(&p->pool, st);
	json_t *j = json_object();
	json_object_set_new(j, "status", json_string(rc == SSR_EOK ? "ok" : "store failing"));
	json_object_set_new(j, "schema", json_integer(v));
	portal_resp_json(r, rc == SSR_EOK ? 200 : 503, j);
}
