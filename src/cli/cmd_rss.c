/* ssrwatch rss measure | report | merge | requirements | zone-check: RSSAC047 root server
 * system metrics (SSR2 Rec 22). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "ssrwatch/date.h"
#include "ssrwatch/report.h"
#include "ssrwatch/rss.h"
#include "ssrwatch/store.h"

static const char rss_help[] =
    "usage: ssrwatch rss <measure|report|merge|requirements|zone-check> [options]\n"
    "  measure       one vantage point's RSSAC047 measurements, every five minutes\n"
    "  report        the monthly report from any number of VP states\n"
    "  merge         several states into one file (the same report either way)\n"
    "  requirements  RSSAC047's requirements: implemented, tested, operational, out of scope\n"
    "  zone-check    verify root zone files as measure does (DNSSEC, ZONEMD)\n";

static const char measure_help[] =
    "usage: ssrwatch rss measure --rsi FILE --vp NAME --state-dir DIR [options]\n"
    "\n"
    "Every five minutes (after a random 0-60 s wait) ask each RSI '. SOA' over UDP and TCP,\n"
    "IPv4 and IPv6 (4 s timeout, no retries, NSID), and one correctness question over a\n"
    "random transport (90% a root zone RRset, 10% www.rssac047-test.<random>), check it\n"
    "against the verified root zones of the last 48 hours, and append the interval to\n"
    "DIR/VP-YYYY-MM.state.  A restart resumes: an interval is never measured twice.\n"
    "\n"
    "options:\n"
    "  --rsi FILE            root hints (named.root) or lines 'ID IPV4[:PORT] [IPV6]'\n"
    "  --vp NAME             this vantage point's name\n"
    "  --region R            its region (Africa, Asia-Pacific, Europe, LAC, North-America)\n"
    "  --state-dir DIR       the monthly state files\n"
    "  --raw-dir DIR         every exchange as libprobe records (DIR/YYYY-MM-DD/VP-HHMMSS.rec)\n"
    "  --zone-dir DIR        root zone files (*.zone) for correctness, read every interval\n"
    "  --axfr ADDR[:PORT]    transfer the root zone from this distribution server\n"
    "  --trust-anchor DS     the root KSK's DS 'TAG ALG 2 HEX' (or --trust-anchor-file)\n"
    "  --trust-anchor-file F DS records, one per line (e.g. /usr/share/dns/root.ds)\n"
    "  --src4 ADDR, --src6 ADDR  source addresses\n"
    "  --intervals N         stop after N intervals (default: run until stopped)\n"
    "  --timeout-ms N        per query (4000, RSSAC047)\n"
    "  --case-randomize      0x20 mixed case;  --cookie  DNS cookies\n"
    "  --arpa-ns             ask ARPA/NS too (RSSAC047 leaves it out while RSIs serve ARPA)\n"
    "  --no-ipv4, --no-ipv6  measure one family only\n"
    "  --repair              cut off a partial last record of the state (after a crash)\n"
    "  --sim-start T --sim-epoch-ms MS --sim-interval-ms MS\n"
    "                        a simulated clock (tests, demos): nominal time T at wall time MS,\n"
    "                        each five-minute interval lasting MS milliseconds\n"
    "  --seed N              the random choices (default: from the system)\n";

static const char report_help[] =
    "usage: ssrwatch rss report --month YYYY-MM [options] STATE...\n"
    "\n"
    "The RSSAC047 monthly report from VP states (any order or grouping gives the same\n"
    "report): per RSI pass/fail of every threshold, per RSS the values, with the data behind\n"
    "each figure.\n"
    "\n"
    "options:\n"
    "  --month YYYY-MM       the month (required)\n"
    "  --exclusions FILE     published exclusions: 'VP RSI FROM TO REASON' ('*' any)\n"
    "  --k N                 RSIs needed for the RSS to work (8)\n"
    "  --format F            text (default), json, csv or html\n"
    "  --output FILE         write there (complete or not at all)\n"
    "  --store DB            keep the figures (the tracker's live evidence of Rec 22)\n";

static const char merge_help[] =
    "usage: ssrwatch rss merge --output FILE STATE...\n"
    "\n"
    "Merge VP states into one file: sections sorted by VP, intervals by time; the checks of\n"
    "report (one month, one RSI set, no interval twice).\n";

static const char req_help[] =
    "usage: ssrwatch rss requirements [--format text|json]\n"
    "\n"
    "RSSAC047 v2's requirements by tag: implemented (with the number of places in the code\n"
    "and in the tests that cite it), operational, or out of scope with the reason.\n";

static const char zc_help[] =
    "usage: ssrwatch rss zone-check [--trust-anchor DS | --trust-anchor-file F] ZONE...\n"
    "\n"
    "Verify root zone files as 'rss measure' does before it uses one: every signature with the\n"
    "zone's DNSKEYs (the DNSKEY RRset against the trust anchor) and the ZONEMD digest.\n";

typedef struct {
	const char *rsi, *vp, *region, *state_dir, *raw_dir, *zone_dir, *axfr, *ta, *ta_file;
	const char *src4, *src6, *sim_start, *month, *excl, *output, *store;
	unsigned intervals, timeout_ms, sim_interval_ms, k;
	uint64_t sim_epoch_ms, seed;
	bool case_randomize, cookie, arpa_ns, no_ipv4, no_ipv6, repair;
	int format;
	int nargs;
} ropts_t;

static const char *const report_formats[] = {"text", "json", "csv", "html", NULL};
static const char *const req_formats[] = {"text", "json", NULL};

static const ssr_opt_t measure_opts[] = {
    SSR_OPT_STR("rsi", ropts_t, rsi),
    SSR_OPT_STR("vp", ropts_t, vp),
    SSR_OPT_STR("region", ropts_t, region),
    SSR_OPT_STR("state-dir", ropts_t, state_dir),
    SSR_OPT_STR("raw-dir", ropts_t, raw_dir),
    SSR_OPT_STR("zone-dir", ropts_t, zone_dir),
    SSR_OPT_STR("axfr", ropts_t, axfr),
    SSR_OPT_STR("trust-anchor", ropts_t, ta),
    SSR_OPT_STR("trust-anchor-file", ropts_t, ta_file),
    SSR_OPT_STR("src4", ropts_t, src4),
    SSR_OPT_STR("src6", ropts_t, src6),
    SSR_OPT_UINT("intervals", ropts_t, intervals, 1, 100000000),
    SSR_OPT_UINT("timeout-ms", ropts_t, timeout_ms, 1, 60000),
    SSR_OPT_FLAG("case-randomize", ropts_t, case_randomize),
    SSR_OPT_FLAG("cookie", ropts_t, cookie),
    SSR_OPT_FLAG("arpa-ns", ropts_t, arpa_ns),
    SSR_OPT_FLAG("no-ipv4", ropts_t, no_ipv4),
    SSR_OPT_FLAG("no-ipv6", ropts_t, no_ipv6),
    SSR_OPT_FLAG("repair", ropts_t, repair),
    SSR_OPT_STR("sim-start", ropts_t, sim_start),
    SSR_OPT_U64("sim-epoch-ms", ropts_t, sim_epoch_ms, 1, UINT64_MAX / 1000),
    SSR_OPT_UINT("sim-interval-ms", ropts_t, sim_interval_ms, 100, 300000),
    SSR_OPT_U64("seed", ropts_t, seed, 1, UINT64_MAX),
    SSR_OPT_HELP,
};

static const ssr_opt_t report_opts[] = {
    SSR_OPT_STR("month", ropts_t, month),
    SSR_OPT_STR("exclusions", ropts_t, excl),
    SSR_OPT_UINT("k", ropts_t, k, 1, SSR_RSS_MAX_RSI),
    SSR_OPT_CHOICE("format", ropts_t, format, "format", report_formats),
    SSR_OPT_STR("output", ropts_t, output),
    SSR_OPT_STR("store", ropts_t, store),
    SSR_OPT_HELP,
};

static const ssr_opt_t merge_opts[] = {
    SSR_OPT_STR("output", ropts_t, output),
    SSR_OPT_HELP,
};

static const ssr_opt_t req_opts[] = {
    SSR_OPT_CHOICE("format", ropts_t, format, "format", req_formats),
    SSR_OPT_HELP,
};

static const ssr_opt_t zc_opts[] = {
    SSR_OPT_STR("trust-anchor", ropts_t, ta),
    SSR_OPT_STR("trust-anchor-file", ropts_t, ta_file),
    SSR_OPT_HELP,
};

static bool time_arg(const char *s, int64_t *us)
{
	int64_t t;
	if (ssr_time_parse(s, &t) != SSR_EOK) {
		return false;
	}
	*us = t * 1000000;
	return true;
}

static int do_measure(int argc, char **argv)
{
	ropts_t o = {0};
	int rc = cli_opts("rss measure", measure_opts, CLI_NOPTS(measure_opts), &o, argc, argv,
	                  &o.nargs, measure_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.nargs > 0) {
		return cli_usage_error("rss measure", "unexpected argument '%s'", argv[1]);
	}
	if (o.rsi == NULL || o.vp == NULL || o.state_dir == NULL) {
		return cli_usage_error("rss measure", "--rsi, --vp and --state-dir are required");
	}
	int64_t sim_start = 0;
	if ((o.sim_start != NULL) != (o.sim_interval_ms != 0) ||
	    (o.sim_start != NULL && !time_arg(o.sim_start, &sim_start))) {
		return cli_usage_error(
		    "rss measure",
		    "--sim-start YYYY-MM-DDTHH:MM:SSZ and --sim-interval-ms go together");
	}
	char tab[16384];
	const char *ta;
	if (cli_trust_anchor("rss measure", o.ta, o.ta_file, tab, sizeof tab, &ta) != CLI_OK) {
		return CLI_FAIL;
	}
	ssr_rss_rsi_t rsi[SSR_RSS_MAX_RSI];
	size_t nrsi;
	ssr_diag_t d;
	if (ssr_rss_rsi_load(o.rsi, rsi, SSR_RSS_MAX_RSI, &nrsi, &d) != SSR_EOK) {
		cli_error("rss measure: %s", d.msg);
		return CLI_FAIL;
	}
	if ((mkdir(o.state_dir, 0755) != 0 && errno != EEXIST) ||
	    (o.raw_dir != NULL && mkdir(o.raw_dir, 0755) != 0 && errno != EEXIST)) {
		cli_error("rss measure: cannot create the state or raw directory");
		return CLI_FAIL;
	}
	ssr_rss_measure_opts_t mo = {.rsi = rsi,
	                             .nrsi = nrsi,
	                             .vp = o.vp,
	                             .region = o.region,
	                             .state_dir = o.state_dir,
	                             .raw_dir = o.raw_dir,
	                             .zone_dir = o.zone_dir,
	                             .axfr = o.axfr,
	                             .ds = ta,
	                             .src4 = o.src4,
	                             .src6 = o.src6,
	                             .intervals = o.intervals,
	                             .timeout_ms = o.timeout_ms,
	                             .case_randomize = o.case_randomize,
	                             .cookie = o.cookie,
	                             .arpa_ns = o.arpa_ns,
	                             .no_ipv4 = o.no_ipv4,
	                             .no_ipv6 = o.no_ipv6,
	                             .repair = o.repair,
	                             .sim_start_us = sim_start,
	                             .sim_epoch_us = (int64_t)o.sim_epoch_ms * 1000,
	                             .sim_interval_ms = o.sim_interval_ms,
	                             .seed = o.seed,
	                             .log = &cli_log};
	ssr_rss_measure_stats_t st;
	if (ssr_rss_measure(&mo, &st, &d) != SSR_EOK) {
		cli_error("rss measure: %s", d.msg);
		return CLI_FAIL;
	}
	fprintf(stderr,
	        "rss measure: %llu intervals, %llu queries, %llu skipped as already measured, %llu "
	        "clock jumps, %.3f s CPU (%.1f ms per interval)\n",
	        (unsigned long long)st.intervals, (unsigned long long)st.queries,
	        (unsigned long long)st.skipped, (unsigned long long)st.clock_jumps, st.cpu_s,
	        st.intervals ? 1000 * st.cpu_s / (double)st.intervals : 0.0);
	return CLI_OK;
}

static int do_report(int argc, char **argv)
{
	ropts_t o = {0};
	int rc = cli_opts("rss report", report_opts, CLI_NOPTS(report_opts), &o, argc, argv,
	                  &o.nargs, report_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.month == NULL || o.nargs == 0) {
		return cli_usage_error("rss report", "--month and at least one state are required");
	}
	ssr_diag_t d;
	ssr_rss_excl_t *ex = NULL;
	size_t nex = 0;
	if (o.excl != NULL && ssr_rss_excl_load(o.excl, &ex, &nex, &d) != SSR_EOK) {
		cli_error("rss report: %s", d.msg);
		return CLI_FAIL;
	}
	ssr_rss_report_opts_t ro = {.month = o.month, .k = o.k, .excl = ex, .nexcl = nex};
	ssr_rss_report_t *r = NULL;
	int e = ssr_rss_report_build((const char *const *)argv + 1, (size_t)o.nargs, &ro, &r, &d);
	free(ex);
	json_t *doc = NULL;
	if (e == SSR_EOK) {
		e = ssr_report_rss_json(r, &doc);
	}
	if (e == SSR_EOK && o.store != NULL) {
		ssr_store_t *st = NULL;
		e = ssr_store_open(o.store, &st, &d);
		if (e == SSR_EOK) {
			e = ssr_rss_report_store(r, st, &d);
		}
		ssr_store_free(st);
	}
	ssr_rss_report_free(r);
	if (e != SSR_EOK) {
		json_decref(doc);
		cli_error("rss report: %s", d.msg);
		return CLI_FAIL;
	}
	cli_out_t out;
	if (cli_out_open("rss report", o.output, &out) != CLI_OK) {
		json_decref(doc);
		return CLI_FAIL;
	}
	int w = o.format == 1   ? ssr_json_write(doc, out.f)
	        : o.format == 2 ? ssr_report_rss_csv(doc, out.f)
	        : o.format == 3 ? ssr_report_rss_html(doc, out.f)
	                        : ssr_report_rss_text(doc, out.f);
	json_decref(doc);
	return cli_out_close("rss report", &out, w == SSR_EOK);
}

static int do_merge(int argc, char **argv)
{
	ropts_t o = {0};
	int rc = cli_opts("rss merge", merge_opts, CLI_NOPTS(merge_opts), &o, argc, argv, &o.nargs,
	                  merge_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.output == NULL || o.nargs == 0) {
		return cli_usage_error("rss merge", "--output and at least one state are required");
	}
	ssr_diag_t d;
	if (ssr_rss_state_merge((const char *const *)argv + 1, (size_t)o.nargs, o.output, &d) !=
	    SSR_EOK) {
		cli_error("rss merge: %s", d.msg);
		return CLI_FAIL;
	}
	return CLI_OK;
}

static int do_requirements(int argc, char **argv)
{
	ropts_t o = {0};
	int rc = cli_opts("rss requirements", req_opts, CLI_NOPTS(req_opts), &o, argc, argv,
	                  &o.nargs, req_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	size_t n;
	const ssr_rss_req_t *q = ssr_rss_requirements(&n);
	if (o.format == 1) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++) {
			json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "tag",
			                                   q[i].tag, "section", q[i].section,
			                                   "status", q[i].status, "text", q[i].text,
			                                   "code", (int)q[i].code_refs, "tests",
			                                   (int)q[i].test_refs));
		}
		int w = ssr_json_write(a, stdout);
		json_decref(a);
		return w == SSR_EOK ? CLI_OK : CLI_FAIL;
	}
	unsigned counts[4] = {0};
	for (size_t i = 0; i < n; i++) {
		const char *st = q[i].status;
		bool impl = strcmp(st, "implemented") == 0;
		const char *shown = !impl                 ? st
		                    : q[i].code_refs == 0 ? "NOT CITED"
		                    : q[i].test_refs > 0  ? "implemented, tested"
		                                          : "implemented";
		counts[impl                             ? (q[i].test_refs > 0 ? 0 : 1)
		       : strcmp(st, "operational") == 0 ? 2
		                                        : 3]++;
		printf("[%s] %-5s %-20s %s\n", q[i].tag, q[i].section, shown, q[i].text);
	}
	printf("\n%zu requirements: %u implemented and tested, %u implemented, %u operational, %u "
	       "out of scope\n",
	       n, counts[0], counts[1], counts[2], counts[3]);
	return CLI_OK;
}

static int do_zone_check(int argc, char **argv)
{
	ropts_t o = {0};
	int rc = cli_opts("rss zone-check", zc_opts, CLI_NOPTS(zc_opts), &o, argc, argv, &o.nargs,
	                  zc_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.nargs == 0) {
		return cli_usage_error("rss zone-check", "no zone file given");
	}
	char tab[16384];
	const char *ta;
	if (cli_trust_anchor("rss zone-check", o.ta, o.ta_file, tab, sizeof tab, &ta) != CLI_OK) {
		return CLI_FAIL;
	}
	int64_t now = (int64_t)time(NULL) * 1000000;
	for (int i = 1; i <= o.nargs; i++) {
		/* each file on its own: a serial seen before is verified again */
		ssr_rss_zones_t *z;
		ssr_diag_t d;
		bool added = false;
		if (ssr_rss_zones_new(ta, NULL, &z, &d) != SSR_EOK ||
		    ssr_rss_zones_add(z, argv[i], now, &added, &d) != SSR_EOK) {
			cli_error("rss zone-check: %s", d.msg);
			rc = CLI_FAIL;
		} else {
			uint32_t serial = 0;
			(void)ssr_rss_zones_newest(z, &serial);
			printf("%s: serial %u verified\n", argv[i], serial);
		}
		ssr_rss_zones_free(z);
	}
	return rc;
}

int cmd_rss(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(rss_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "measure") == 0) {
		return do_measure(argc - 1, argv + 1);
	}
	if (strcmp(sub, "report") == 0) {
		return do_report(argc - 1, argv + 1);
	}
	if (strcmp(sub, "merge") == 0) {
		return do_merge(argc - 1, argv + 1);
	}
	if (strcmp(sub, "requirements") == 0) {
		return do_requirements(argc - 1, argv + 1);
	}
	if (strcmp(sub, "zone-check") == 0) {
		return do_zone_check(argc - 1, argv + 1);
	}
	return cli_usage_error("rss", "unknown command '%s'", sub);
}
