/* ssrwatch zone stats | zone history */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ssrwatch/date.h"
#include "ssrwatch/zonemem.h"
#include "ssrwatch/psl.h"
#include "ssrwatch/state.h"
#include "ssrwatch/store.h"
#include "ssrwatch/zonestore.h"
#include "ssrwatch/zonestats.h"

static const char stats_help[] =
    "usage: ssrwatch zone stats [options] FILE...\n"
    "\n"
    "Statistics of DNS zone files (RFC 1035 master format; plain, .gz or .zst; '-' is stdin):\n"
    "record counts, delegations, DNSSEC (DS, DNSKEY, NSEC/NSEC3, RRSIG), IDNs, NS hosts and\n"
    "DNS hosting concentration, glue.  SSR2 recommendations 24, 27 and 21.\n"
    "\n"
    "options:\n"
    "  --format F         table (default), json or csv (zone,metric,value rows)\n"
    "  --keep-going       skip bad records (counted and reported) and go on after a bad file\n"
    "  --store DB         append each zone's snapshot to the SQLite store DB\n"
    "  --date YYYY-MM-DD  snapshot date for --store (default: the file's modification day, UTC)\n"
    "  --origin NAME      initial $ORIGIN (default: the root)\n"
    "  --top N            NS host domains listed (default 20)\n"
    "  --psl FILE         public suffix list (default: libpsl's newest)\n"
    "  --owner-index      count owners with an in-memory index (zones not sorted by owner)\n"
    "  --no-include       refuse $INCLUDE directives\n"
    "  --engine E         auto (fast path + libzscanner, default) or zscanner (reference)\n"
    "  --simd K           the fast path's tokenizer: auto (AVX2 where the CPU has it, else\n"
    "                     SSE2; default), sse2, avx2 or scalar (the reference)\n"
    "  --threads N        read one plain file in N parallel parts (default: the CPUs, for files\n"
    "                     of 32 MiB and more; 1: never)\n"
    "  --max-errors N     bad records printed with --keep-going (default 10)\n"
    "  --progress         always show progress; --quiet never (default: on a terminal)\n"
    "  --shard I/N        count only shard I of N of the work (one plain file: its I-th byte\n"
    "                     range, split at owner boundaries; several files: whole files,\n"
    "                     balanced by size) and save it with --save-state; 'ssrwatch merge'\n"
    "                     of all N states writes what this command would have written\n"
    "  --save-state FILE  write the (shard's) state to FILE instead of a report\n"
    "  --help             this help\n";

static const char history_help[] =
    "usage: ssrwatch zone history --store DB [--zone NAME] [--format table|json|csv]\n"
    "\n"
    "Zone statistics over time from snapshots stored by 'zone stats --store': delegations,\n"
    "signed share, DS algorithm mix, top-20 hosting share and HHI.\n";

typedef struct {
	unsigned printed, max;
	uint64_t count;
	char first[512];
} errsink_t;

static void on_bad_record(const char *file, uint64_t line, const char *msg, void *ctx)
{
	(void)file;
	(void)line;
	errsink_t *e = ctx;
	if (e->count++ == 0) {
		snprintf(e->first, sizeof(e->first), "%s", msg);
	}
	if (e->printed < e->max) {
		e->printed++;
		fprintf(stderr, "ssrwatch: warning: %s (skipped)\n", msg);
	}
}

static const char *const engines[] = {"auto", "zscanner", NULL};
/* in the order of ssr_zone_simd_t */
static const char *const simds[] = {"auto", "sse2", "avx2", "scalar", NULL};

typedef struct {
	ssr_format_t fmt;
	const char *store_uri, *date, *psl_path;
	const char *shard, *save_state;
	ssr_zone_analyze_opts_t ao;
	int engine;   /* index into engines */
	int simd;     /* index into simds */
	unsigned top; /* 0: the library's default */
	unsigned max_errors;
	int progress; /* 0 auto, 1 always, -1 never */
} stats_opts_t;

static const ssr_opt_t stats_opts[] = {
    SSR_OPT_FN("format", stats_opts_t, fmt, cli_opt_format),
    SSR_OPT_FLAG("keep-going", stats_opts_t, ao.read.keep_going),
    SSR_OPT_STR("store", stats_opts_t, store_uri),
    SSR_OPT_FN("date", stats_opts_t, date, cli_opt_date),
    SSR_OPT_STR("origin", stats_opts_t, ao.read.origin),
    SSR_OPT_UINT("top", stats_opts_t, top, 1, 10000),
    SSR_OPT_STR("psl", stats_opts_t, psl_path),
    SSR_OPT_FLAG("owner-index", stats_opts_t, ao.stats.owner_index),
    SSR_OPT_FLAG("no-include", stats_opts_t, ao.read.no_include),
    SSR_OPT_CHOICE("engine", stats_opts_t, engine, "engine", engines),
    SSR_OPT_CHOICE("simd", stats_opts_t, simd, "tokenizer kernel", simds),
    SSR_OPT_UINT("max-errors", stats_opts_t, max_errors, 0, 1000000),
    SSR_OPT_SET("progress", stats_opts_t, progress, 1),
    SSR_OPT_SET("quiet", stats_opts_t, progress, -1),
    SSR_OPT_UINT("threads", stats_opts_t, ao.threads, 1, 16),
    SSR_OPT_STR("shard", stats_opts_t, shard),
    SSR_OPT_STR("save-state", stats_opts_t, save_state),
    SSR_OPT_HELP,
};

/* --shard I/N --save-state FILE: one shard's state, no report. */
static int zone_shard(const stats_opts_t *o, ssr_zone_analyze_opts_t *ao, char **paths, int n)
{
	uint32_t shard = 0, shards = 1;
	if (o->shard && ssr_state_shard_parse(o->shard, &shard, &shards) != SSR_EOK) {
		return cli_usage_error("zone stats", "bad --shard '%s' (I/N, 1 <= I <= N)",
		                       o->shard);
	}
	if (o->save_state == NULL) {
		return cli_usage_error("zone stats", "--shard needs --save-state FILE");
	}
	if (o->store_uri || ao->read.keep_going || ao->stats.owner_index) {
		return cli_usage_error("zone stats", "--shard and --save-state go without %s",
		                       o->store_uri          ? "--store (merge stores)"
		                       : ao->read.keep_going ? "--keep-going"
		                                             : "--owner-index");
	}
	ssr_diag_t diag = {0};
	char extra[4200];
	snprintf(extra, sizeof extra, "psl=%s", o->psl_path ? o->psl_path : "libpsl");
	ssr_state_head_t h;
	ssr_state_buf_t b = {0};
	int rc = ssr_zone_stats_state_head((const char *const *)paths, (size_t)n, ao, extra, shards,
	                                   o->date, &h, &diag);
	if (rc == SSR_EOK) {
		rc = ssr_zone_stats_shard((const char *const *)paths, (size_t)n, ao, shard, shards,
		                          &b, &diag);
		if (rc == SSR_EOK) {
			ssr_state_entry_t e = {.shard = shard, .data = b.p, .len = b.n};
			rc = ssr_state_write(o->save_state, &h, &e, 1, &diag);
		}
		ssr_state_head_release(&h);
	}
	ssr_state_buf_release(&b);
	if (rc != SSR_EOK) {
		cli_error("%s", diag.msg);
		return CLI_FAIL;
	}
	ssr_log(&cli_log, SSR_LOG_INFO, "zone", "shard %u/%u of %d input(s) saved to '%s'",
	        shard + 1, shards, n, o->save_state);
	return CLI_OK;
}

int cli_zone_store(ssr_store_t *store, json_t *z, const char *path, const char *date,
                   ssr_diag_t *diag)
{
	char day[11];
	char *text = json_dumps(z, JSON_COMPACT);
	int rc = text == NULL ? ssr_diag_set(diag, SSR_ENOMEM, "out of memory")
	                      : ssr_zone_snapshot_date(path, date, day, diag);
	if (rc == SSR_EOK) {
		const char *zn = json_string_value(json_object_get(z, "zone"));
		rc = ssr_store_zone_snapshot_put(store, zn, day, text, diag);
	}
	free(text);
	return rc;
}

static int zone_stats(int argc, char **argv)
{
	stats_opts_t o = {.fmt = SSR_FORMAT_TABLE, .max_errors = 10};
	int nargs = 0;
	int rc = cli_opts("zone stats", stats_opts, CLI_NOPTS(stats_opts), &o, argc, argv, &nargs,
	                  stats_help);
	if (rc == CLI_OK && nargs == 0) {
		rc = cli_usage_error("zone stats", "no zone file given");
	}
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	char **args = argv + 1;
	ssr_zone_analyze_opts_t ao = o.ao;
	const char *store_uri = o.store_uri, *date = o.date;
	ssr_format_t fmt = o.fmt;
	int progress = o.progress;
	ssr_diag_t diag = {0};
	errsink_t sink = {.max = o.max_errors};
	if (o.top > 0) {
		ao.stats.top_n = o.top;
	}
	ao.read.engine = o.engine == 1 ? SSR_ZONE_ENGINE_ZSCANNER : SSR_ZONE_ENGINE_AUTO;
	ao.read.simd = (ssr_zone_simd_t)o.simd;
	ao.log = &cli_log;
	ao.read.on_error = on_bad_record;
	ao.read.error_ctx = &sink;
	if (o.shard || o.save_state) {
		ssr_psl_t *sp = NULL;
		if (ssr_psl_new(o.psl_path, &sp, &diag) != SSR_EOK) {
			cli_error("%s", diag.msg);
			return CLI_FAIL;
		}
		ao.stats.psl = sp;
		rc = zone_shard(&o, &ao, args, nargs);
		ssr_psl_free(sp);
		return rc;
	}

	ssr_psl_t *psl = NULL;
	ssr_store_t *store = NULL;
	if (ssr_psl_new(o.psl_path, &psl, &diag) != SSR_EOK) {
		cli_error("%s", diag.msg);
		return CLI_FAIL;
	}
	ao.stats.psl = psl;
	if (store_uri != NULL && ssr_store_open(store_uri, &store, &diag) != SSR_EOK) {
		cli_error("%s", diag.msg);
		ssr_psl_free(psl);
		return CLI_FAIL;
	}
	json_t *zones = json_array();
	int status = CLI_OK;
	for (int i = 0; i < nargs; i++) {
		const char *path = args[i];
		ssr_progress_t pr;
		uint64_t total = 0;
		struct stat sb;
		if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			total = (uint64_t)sb.st_size;
		}
		ssr_progress_init(&pr, progress >= 0 ? stderr : NULL, path, total, 8u << 20,
		                  progress > 0);
		ao.read.progress = &pr;
		sink.count = 0;
		sink.printed = 0;
		json_t *z = NULL;
		rc = ssr_zone_stats_analyze(path, &ao, &z, &diag);
		ssr_progress_finish(&pr);
		if (rc != SSR_EOK) {
			cli_error("%s", diag.msg);
			status = CLI_FAIL;
			if (!ao.read.keep_going) {
				break;
			}
			continue;
		}
		/* the count from the reader (a second pass reports nothing twice; records skipped
		 * after a bad $ORIGIN are counted, not listed one by one) */
		json_int_t bad = json_integer_value(json_object_get(z, "errors"));
		if (bad > 0) {
			cli_error("zone '%s': skipped %lld bad records; first: %s", path,
			          (long long)bad, sink.first);
		}
		if (store != NULL) {
			rc = cli_zone_store(store, z, path, date, &diag);
			if (rc != SSR_EOK) {
				cli_error("%s", diag.msg);
				json_decref(z);
				status = CLI_FAIL;
				break;
			}
		}
		json_array_append_new(zones, z);
	}
	if (json_array_size(zones) > 0 && ssr_report_zone_stats(zones, fmt, stdout) != SSR_EOK) {
		cli_error("cannot write the report");
		status = CLI_FAIL;
	}
	if (fflush(stdout) != 0) {
		status = CLI_FAIL;
	}
	json_decref(zones);
	ssr_store_free(store);
	ssr_psl_free(psl);
	return status;
}

typedef struct {
	const char *uri, *zone;
	ssr_format_t fmt;
} history_opts_t;

static const ssr_opt_t history_opts[] = {
    SSR_OPT_STR("store", history_opts_t, uri),
    SSR_OPT_STR("zone", history_opts_t, zone),
    SSR_OPT_FN("format", history_opts_t, fmt, cli_opt_format),
    SSR_OPT_HELP,
};

static int zone_history(int argc, char **argv)
{
	history_opts_t o = {.fmt = SSR_FORMAT_TABLE};
	int nargs = 0;
	int rc = cli_opts("zone history", history_opts, CLI_NOPTS(history_opts), &o, argc, argv,
	                  &nargs, history_help);
	if (rc == CLI_OK && o.uri == NULL) {
		rc = cli_usage_error("zone history", "--store is required");
	}
	if (rc == CLI_OK && nargs > 0) {
		rc = cli_usage_error("zone history", "unexpected argument '%s'", argv[1]);
	}
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	const char *uri = o.uri, *zone = o.zone;
	ssr_format_t fmt = o.fmt;
	ssr_diag_t diag = {0};
	ssr_store_t *st;
	ssr_zone_snapshot_t *rows = NULL;
	size_t n = 0;
	if (ssr_store_open_existing(uri, &st, &diag) != SSR_EOK) {
		cli_error("%s", diag.msg);
		return CLI_FAIL;
	}
	rc = ssr_store_zone_snapshots(st, zone, &rows, &n, &diag);
	ssr_store_free(st);
	if (rc != SSR_EOK) {
		cli_error("%s", diag.msg);
		return CLI_FAIL;
	}
	rc = ssr_report_zone_history(rows, n, fmt, stdout, &diag);
	ssr_store_zone_snapshots_free(rows, n);
	if (rc != SSR_EOK) {
		cli_error("%s", diag.msg);
	}
	return rc == SSR_EOK ? CLI_OK : CLI_FAIL;
}

static const char verify_help[] =
    "usage: ssrwatch zone verify --origin ZONE [options] FILE\n"
    "\n"
    "Verify a signed zone: every authoritative RRset signed, every RRSIG valid at --now with the\n"
    "apex DNSKEY RRset (anchored with --trust-anchor), the NSEC chain complete and its bitmaps\n"
    "exact, signatures expiring within --horizon days, every ZONEMD (RFC 8976 SIMPLE, SHA-384\n"
    "and SHA-512).  One line per problem, or JSON.  Exit status 0 when the zone is valid (no\n"
    "error and nothing left unchecked), 1 otherwise.\n"
    "\n"
    "options:\n"
    "  --origin ZONE          the zone's apex (required)\n"
    "  --now YYYY-MM-DDTHH:MM:SSZ  the time signatures must be valid at (default: now)\n"
    "  --horizon DAYS         warn of signatures expiring within DAYS (7; 0: never)\n"
    "  --trust-anchor DS      the DS the DNSKEY RRset must be signed under (or a file:\n"
    "  --trust-anchor-file F  DS records one per line)\n"
    "  --threads N            signature checks in parallel (default: every core)\n"
    "  --max-records N        refuse zones of more records (4000000; ~160 bytes each in memory)\n"
    "  --format F             text (default) or json\n"
    "  --output FILE          write there (complete or not at all)\n";

typedef struct {
	const char *origin, *now, *ta, *ta_file, *output;
	unsigned horizon, threads;
	uint64_t max_records;
	int format;
	int nargs;
} vopts_t;

static const char *const verify_formats[] = {"text", "json", NULL};

static const ssr_opt_t verify_opts[] = {
    SSR_OPT_STR("origin", vopts_t, origin),
    SSR_OPT_STR("now", vopts_t, now),
    SSR_OPT_UINT("horizon", vopts_t, horizon, 0, 3650),
    SSR_OPT_STR("trust-anchor", vopts_t, ta),
    SSR_OPT_STR("trust-anchor-file", vopts_t, ta_file),
    SSR_OPT_UINT("threads", vopts_t, threads, 1, 64),
    SSR_OPT_U64("max-records", vopts_t, max_records, 1, 1000000000),
    SSR_OPT_CHOICE("format", vopts_t, format, "format", verify_formats),
    SSR_OPT_STR("output", vopts_t, output),
    SSR_OPT_HELP,
};

static int zone_verify(int argc, char **argv)
{
	vopts_t o = {.horizon = 7};
	int rc = cli_opts("zone verify", verify_opts, CLI_NOPTS(verify_opts), &o, argc, argv,
	                  &o.nargs, verify_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.origin == NULL || o.nargs != 1) {
		return cli_usage_error("zone verify", "--origin and one zone file are required");
	}
	int64_t now = (int64_t)time(NULL);
	if (o.now != NULL && ssr_time_parse(o.now, &now) != SSR_EOK) {
		return cli_usage_error("zone verify", "bad --now '%s' (YYYY-MM-DDTHH:MM:SSZ)",
		                       o.now);
	}
	char ta[16384];
	const char *ds;
	if (cli_trust_anchor("zone verify", o.ta, o.ta_file, ta, sizeof ta, &ds) != CLI_OK) {
		return CLI_FAIL;
	}
	ssr_diag_t d;
	unsigned nds;
	if (ds != NULL && ssr_zmem_ds_check(ds, &nds, &d) != SSR_EOK) {
		cli_error("zone verify: %s", d.msg);
		return CLI_FAIL;
	}
	ssr_zmem_t z;
	if (ssr_zmem_load(&z, o.origin, argv[1], (size_t)o.max_records, &d) != SSR_EOK) {
		cli_error("zone verify: %s", d.msg);
		return CLI_FAIL;
	}
	ssr_zv_opts_t vo = {.now = now, .horizon_days = o.horizon, .ds = ds, .threads = o.threads};
	ssr_zv_result_t r;
	json_t *doc = NULL;
	int e = ssr_zmem_verify(&z, &vo, &r, &d);
	if (e == SSR_EOK) {
		e = ssr_report_zone_verify_json(argv[1], &z, &r, &doc);
		ssr_zv_result_release(&r);
	}
	ssr_zmem_release(&z);
	if (e != SSR_EOK) {
		cli_error("zone verify: %s", d.msg);
		return CLI_FAIL;
	}
	bool valid = json_is_true(json_object_get(doc, "valid"));
	cli_out_t out;
	if (cli_out_open("zone verify", o.output, &out) != CLI_OK) {
		json_decref(doc);
		return CLI_FAIL;
	}
	int w =
	    o.format == 1 ? ssr_json_write(doc, out.f) : ssr_report_zone_verify_text(doc, out.f);
	json_decref(doc);
	rc = cli_out_close("zone verify", &out, w == SSR_EOK);
	return rc != CLI_OK ? rc : valid ? CLI_OK : CLI_FAIL;
}

int cmd_zone(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(
		    "usage: ssrwatch zone <stats|history|verify|diff> [options]\n"
		    "  stats     statistics of zone files (--help for options)\n"
		    "  history   statistics over time from a store\n"
		    "  verify    DNSSEC signatures, the NSEC chain and ZONEMD of a signed zone\n"
		    "  diff      what changed between two snapshots (--check: audit the changes)\n",
		    argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "stats") == 0) {
		return zone_stats(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "history") == 0) {
		return zone_history(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "verify") == 0) {
		return zone_verify(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "diff") == 0) {
		return cli_zone_diff(argc - 1, argv + 1);
	}
	return cli_usage_error("zone", "unknown zone command '%s'", argv[1]);
}
