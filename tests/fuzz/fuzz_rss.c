/* libFuzzer target: the RSSAC047 inputs on arbitrary bytes.  The first byte selects: 0 a state
 * file (every record checked, the report built from it), 1 an RSI list, 2 an exclusions file,
 * 3 a simulation plan, 4 a response judged against the simulated root zone, 5 a zone file loaded
 * and verified whole (zone verify).  A parse error
 * always names the file; a response never crashes the correctness rules and is either correct
 * or has a reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ssrwatch/rss.h"
#include "ssrwatch/rssgen.h"
#include "ssrwatch/zonemem.h"

static ssr_rss_zones_t *zones;

static int on_iv(const ssr_rss_hdr_t *h, const ssr_rss_interval_t *iv, void *ctx)
{
	(void)ctx;
	if (h->nrsi == 0 || h->nrsi > SSR_RSS_MAX_RSI || iv->idx >= 31 * 288) {
		abort();
	}
	return SSR_EOK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 300000) {
		return 0;
	}
	int sel = data[0] % 6;
	data++;
	size--;
	ssr_diag_t d;
	if (sel == 4) {
		if (zones == NULL) {
			if (ssr_rss_zones_new(NULL, NULL, &zones, &d) != SSR_EOK) {
				abort();
			}
			bool added;
			if (ssr_rss_zones_add(zones, SSR_SIM "/root-2026110100.zone",
			                      1793491200LL * 1000000, &added, &d) != SSR_EOK) {
				abort();
			}
		}
		bool ok;
		ssr_rss_reason_t why;
		uint32_t serial;
		int rc = ssr_rss_check(zones, data, size, 1793491200LL * 1000000, &ok, &why,
		                       &serial, &d);
		if (rc != SSR_EOK || (ok != (why == SSR_RSS_R_OK)) || why >= SSR_RSS_R_COUNT) {
			abort();
		}
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/dev/shm/ssrwatch-fuzz-rss-%d", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		return 0;
	}
	fwrite(data, 1, size, f);
	fclose(f);
	int rc = SSR_EOK;
	if (sel == 0) {
		rc = ssr_rss_state_read(path, NULL, on_iv, NULL, &d);
		if (rc == SSR_EOK) {
			const char *paths[] = {path};
			ssr_rss_hdr_t h;
			(void)h;
			ssr_rss_report_opts_t o = {.month = "2026-11"};
			ssr_rss_report_t *r = NULL;
			int r2 = ssr_rss_report_build(paths, 1, &o, &r, &d);
			if (r2 != SSR_EOK && strstr(d.msg, path) == NULL && r2 != SSR_EINVAL &&
			    r2 != SSR_EUNSUPPORTED) {
				abort();
			}
			ssr_rss_report_free(r);
		}
	} else if (sel == 1) {
		ssr_rss_rsi_t rsi[SSR_RSS_MAX_RSI];
		size_t n;
		rc = ssr_rss_rsi_load(path, rsi, SSR_RSS_MAX_RSI, &n, &d);
		if (rc == SSR_EOK && (n == 0 || n > SSR_RSS_MAX_RSI)) {
			abort();
		}
	} else if (sel == 2) {
		ssr_rss_excl_t *e = NULL;
		size_t n;
		rc = ssr_rss_excl_load(path, &e, &n, &d);
		for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
			if (e[i].to_us <= e[i].from_us || e[i].reason[0] == 0) {
				abort();
			}
		}
		free(e);
	} else if (sel == 5) {
		ssr_zmem_t z;
		rc = ssr_zmem_load(&z, ".", path, 20000, &d);
		if (rc == SSR_EOK) {
			ssr_zv_opts_t o = {.now = 1793491200LL, .threads = 1, .horizon_days = 7};
			ssr_zv_result_t r;
			if (ssr_zmem_verify(&z, &o, &r, &d) != SSR_EOK) {
				abort();
			}
			if (r.nproblems > 0 && r.errors + r.warnings == 0) {
				abort();
			}
			ssr_zv_result_release(&r);
			ssr_zmem_release(&z);
		}
	} else {
		static ssr_rssgen_plan_t p;
		rc = ssr_rssgen_plan_load(path, &p, &d);
		if (rc == SSR_EOK && (p.interval_ms == 0 || p.nrsi_plan == 0)) {
			abort();
		}
	}
	if (rc != SSR_EOK && rc != SSR_ENOMEM && strstr(d.msg, path) == NULL) {
		abort();
	}
	unlink(path);
	return 0;
}
