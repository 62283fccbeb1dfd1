/* ssrwatch abuse ingest | abuse report | abuse listings */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ssrwatch/abuse.h"
#include "ssrwatch/names.h"
#include "ssrwatch/psl.h"
#include "ssrwatch/report.h"
#include "ssrwatch/state.h"
#include "ssrwatch/store.h"

static const char ingest_help[] =
    "usage: ssrwatch abuse ingest --store DB --date YYYY-MM-DD --zone FILE...\n"
    "                             --feed CATEGORY:NAME:FILE... [options]\n"
    "\n"
    "Join reputation feeds with zone snapshots: every listed registered domain delegated in a\n"
    "measured zone counts as abuse of that TLD on that date.  Stores per domain the categories,\n"
    "feeds, age (registration data or the first-seen index) and registrar, and per TLD the zone\n"
    "size.  The same date again replaces it.  One transaction: a failure stores nothing.\n"
    "\n"
    "options:\n"
    "  --store DB             SQLite file or postgresql://... (required)\n"
    "  --date YYYY-MM-DD      the snapshot date (required; not in the future)\n"
    "  --zone FILE            a TLD zone file (repeat for several TLDs)\n"
    "  --feed CAT:NAME:FILE   a feed: category phishing, malware, botnet_cc or spam; a name;\n"
    "                         the file (domains, URLs, CSV, hosts; plain, .gz, .zst)\n"
    "  --feeds-config FILE    feeds from a file: CATEGORY NAME FILE [FORMAT] per line\n"
    "  --feed-format F        auto (default), domains, urls, csv or hosts for --feed files\n"
    "  --registrations FILE   registration data CSV: domain, registrar_id, created\n"
    "  --registrars FILE      IANA registrar list CSV (ID, Registrar Name)\n"
    "  --prices FILE          prices CSV: tld or registrar, price, currency, date\n"
    "  --index-dir DIR        first-seen index directory (default: DB.index for SQLite;\n"
    "                         required for PostgreSQL)\n"
    "  --index-mem MB         memory for delegation hashes (default 64)\n"
    "  --allow-date-mismatch  accept zones whose SOA serial names another date\n"
    "  --show-rejects N       print up to N rejected feed lines per feed\n"
    "  --psl FILE             public suffix list (default: libpsl's newest)\n"
    "  --threads N            parallel parts per zone file, reading threads per feed\n"
    "                         (default: the CPUs)\n"
    "  --format F             summary as table (default) or json\n"
    "  --output FILE          the summary to FILE (complete or not at all)\n"
    "  --brands FILE          protected names: every listed host (as the feed wrote it) is\n"
    "                         checked as `names check` does; imitations are stored with the\n"
    "                         snapshot and shown in the report, with the provider they are under\n"
    "  --brand-allow FILE     registered domains never reported as imitations (the owners')\n"
    "  --providers FILE       provider suffixes beside the PSL's private section (default: the\n"
    "                         shipped data/names/providers.txt)\n"
    "  --min-score F          imitations scoring at least F (default 0)\n"
    "  --shard I/N            one shard of the ingest on several machines: the feeds whole, a\n"
    "                         part of the zones (one plain file in byte ranges, several whole);\n"
    "                         needs --save-state; nothing is stored.  'ssrwatch merge --store DB\n"
    "                         STATE...' then stores exactly what one run stores\n"
    "  --save-state FILE      where the shard's state goes\n"
    "  --help                 this help\n";

static const char report_help[] =
    "usage: ssrwatch abuse report --store DB --period P [options]\n"
    "\n"
    "The abuse report of a period from the store: per TLD, registrar and category the abused\n"
    "domains, rates per 10,000, shares, new and persisting listings, mitigation and its median\n"
    "time, malicious and compromised registrations, concentration (top-N share, Gini, HHI),\n"
    "outliers (exact binomial test, Benjamini-Hochberg), and prices against rates.\n"
    "\n"
    "options:\n"
    "  --store DB            SQLite file or postgresql://... (required)\n"
    "  --period P            2026-Q3, 2026-09 or 2026-07-01..2026-09-30 (required)\n"
    "  --format F            html (default), json or csv\n"
    "  --output FILE         write to FILE instead of standard output\n"
    "  --malicious-days N    age at first listing below N days: malicious (default 30)\n"
    "  --top N               entities in top lists (default 10)\n"
    "  --alpha F             outlier false discovery rate (default 0.05)\n"
    "  --min-abused N        fewest abused domains to test an entity (default 5)\n"
    "  --min-domains N       fewest domains to test an entity (default 100)\n"
    "  --help                this help\n";

typedef struct {
	uint64_t max;
	uint64_t shown[SSR_ABUSE_MAX_FEEDS];
	const ssr_abuse_feed_t *feeds;
	size_t nfeeds;
} rejects_t;

static void on_reject(const char *file, uint64_t line, ssr_feed_reject_t why, const char *text,
                      size_t len, void *ctx)
{
	rejects_t *r = ctx;
	size_t f = 0;
	while (f < r->nfeeds && strcmp(r->feeds[f].path, file) != 0) {
		f++;
	}
	if (f < r->nfeeds && r->shown[f]++ >= r->max) {
		return;
	}
	fprintf(stderr, "ssrwatch: feed '%s' line %" PRIu64 ": %s: '%.*s'\n", file, line,
	        ssr_feed_reject_name(why), (int)(len > 200 ? 200 : len), text);
}

static void print_summary(json_t *sum, FILE *f)
{
	fprintf(f, "abuse ingest %s\n\n", json_string_value(json_object_get(sum, "date")));
	fprintf(f, "%-16s %12s %10s %10s %10s %8s %8s\n", "tld", "domains", "listed", "in zone",
	        "not in z.", "tracked", "gone");
	size_t i;
	json_t *z;
	json_array_foreach(json_object_get(sum, "zones"), i, z)
	{
		fprintf(f,
		        "%-16s %12" JSON_INTEGER_FORMAT " %10" JSON_INTEGER_FORMAT
		        " %10" JSON_INTEGER_FORMAT " %10" JSON_INTEGER_FORMAT
		        " %8" JSON_INTEGER_FORMAT " %8" JSON_INTEGER_FORMAT "\n",
		        json_string_value(json_object_get(z, "tld")),
		        json_integer_value(json_object_get(z, "zone_size")),
		        json_integer_value(json_object_get(z, "listed")),
		        json_integer_value(json_object_get(z, "listed_in_zone")),
		        json_integer_value(json_object_get(z, "listed_not_in_zone")),
		        json_integer_value(json_object_get(z, "tracked_from_previous")),
		        json_integer_value(json_object_get(z, "gone_since_previous")));
	}
	fprintf(f, "\n%-20s %-10s %-8s %10s %10s %10s\n", "feed", "category", "format", "lines",
	        "accepted", "rejected");
	json_t *fd;
	json_array_foreach(json_object_get(sum, "feeds"), i, fd)
	{
		json_int_t rej = 0;
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(fd, "rejected"), k, v)
		{
			rej += json_integer_value(v);
		}
		fprintf(f,
		        "%-20s %-10s %-8s %10" JSON_INTEGER_FORMAT " %10" JSON_INTEGER_FORMAT
		        " %10" JSON_INTEGER_FORMAT "\n",
		        json_string_value(json_object_get(fd, "name")),
		        json_string_value(json_object_get(fd, "category")),
		        json_string_value(json_object_get(fd, "format")),
		        json_integer_value(json_object_get(fd, "lines")),
		        json_integer_value(json_object_get(fd, "accepted")), rej);
	}
}

/* --feed and --feeds-config in the order given, each --feed with the --feed-format before it. */
typedef struct {
	struct {
		bool config;
		const char *v;
		ssr_feed_format_t fmt;
	} item[CLI_LIST_MAX];
	size_t n;
	ssr_feed_format_t fmt;
} feed_args_t;

static int feed_arg(feed_args_t *f, bool config, const char *v, ssr_diag_t *diag)
{
	if (f->n == CLI_LIST_MAX) {
		return ssr_diag_set(diag, SSR_EINVAL, "too many feeds (at most %d)", CLI_LIST_MAX);
	}
	f->item[f->n].config = config;
	f->item[f->n].v = v;
	f->item[f->n].fmt = f->fmt;
	f->n++;
	return SSR_EOK;
}

static int opt_feed(const char *v, void *member, ssr_diag_t *diag)
{
	return feed_arg(member, false, v, diag);
}

static int opt_feeds_config(const char *v, void *member, ssr_diag_t *diag)
{
	return feed_arg(member, true, v, diag);
}

static int opt_feed_format(const char *v, void *member, ssr_diag_t *diag)
{
	feed_args_t *f = member;
	if (ssr_feed_format_parse(v, &f->fmt) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "unknown feed format '%s'", v);
	}
	return SSR_EOK;
}

static const char *const ingest_formats[] = {"table", "json", NULL};

typedef struct {
	const char *store_uri, *psl_path, *regs, *index_dir;
	const char *brands, *brand_allow, *providers;
	const char *shard, *save_state, *output;
	cli_list_t zones;
	feed_args_t feeds;
	ssr_abuse_ingest_opts_t o;
	uint64_t index_mem_mb, show_rejects;
	int format; /* 1: json */
} ingest_opts_t;

static const ssr_opt_t ingest_opts[] = {
    SSR_OPT_STR("store", ingest_opts_t, store_uri),
    SSR_OPT_STR("date", ingest_opts_t, o.date),
    SSR_OPT_FN("zone", ingest_opts_t, zones, cli_opt_list),
    SSR_OPT_FN("feed", ingest_opts_t, feeds, opt_feed),
    SSR_OPT_FN("feeds-config", ingest_opts_t, feeds, opt_feeds_config),
    SSR_OPT_FN("feed-format", ingest_opts_t, feeds, opt_feed_format),
    SSR_OPT_STR("registrations", ingest_opts_t, regs),
    SSR_OPT_STR("registrars", ingest_opts_t, o.registrars),
    SSR_OPT_STR("prices", ingest_opts_t, o.prices),
    SSR_OPT_STR("index-dir", ingest_opts_t, index_dir),
    SSR_OPT_U64("index-mem", ingest_opts_t, index_mem_mb, 1, 1 << 20),
    SSR_OPT_FLAG("allow-date-mismatch", ingest_opts_t, o.allow_date_mismatch),
    SSR_OPT_U64("show-rejects", ingest_opts_t, show_rejects, 0, UINT64_MAX),
    SSR_OPT_STR("psl", ingest_opts_t, psl_path),
    SSR_OPT_UINT("threads", ingest_opts_t, o.zone.threads, 0, 64),
    SSR_OPT_CHOICE("format", ingest_opts_t, format, "format", ingest_formats),
    SSR_OPT_STR("brands", ingest_opts_t, brands),
    SSR_OPT_STR("brand-allow", ingest_opts_t, brand_allow),
    SSR_OPT_STR("providers", ingest_opts_t, providers),
    SSR_OPT_FN("min-score", ingest_opts_t, o.names_min_score, cli_opt_score),
    SSR_OPT_STR("shard", ingest_opts_t, shard),
    SSR_OPT_STR("save-state", ingest_opts_t, save_state),
    SSR_OPT_STR("output", ingest_opts_t, output),
    SSR_OPT_HELP,
};

/* The feeds of --feed and --feeds-config in order: CLI_OK, CLI_USAGE (a bad --feed) or
 * CLI_FAIL (a feeds config that cannot be read). */
static int load_feeds(const feed_args_t *fa, ssr_abuse_feed_t **feeds, size_t *nfeeds)
{
	ssr_diag_t diag = {0};
	for (size_t i = 0; i < fa->n; i++) {
		ssr_abuse_feed_t *more = NULL;
		size_t nmore = 0;
		if (!fa->item[i].config) {
			more = calloc(1, sizeof(*more));
			if (more == NULL ||
			    ssr_abuse_feed_parse(fa->item[i].v, more, &diag) != SSR_EOK) {
				free(more);
				return cli_usage_error("abuse ingest", "%s",
				                       more ? diag.msg : "out of memory");
			}
			more->format = fa->item[i].fmt;
			nmore = 1;
		} else if (ssr_abuse_feeds_config(fa->item[i].v, &more, &nmore, &diag) != SSR_EOK) {
			cli_error("%s", diag.msg);
			return CLI_FAIL;
		}
		ssr_abuse_feed_t *nf = realloc(*feeds, (*nfeeds + nmore) * sizeof(**feeds));
		if (nf == NULL) {
			ssr_abuse_feeds_free(more, nmore);
			cli_error("out of memory");
			return CLI_FAIL;
		}
		*feeds = nf;
		memcpy(*feeds + *nfeeds, more, nmore * sizeof(*more));
		*nfeeds += nmore;
		free(more);
	}
	return CLI_OK;
}

/* What only says how this process runs or reports: not kept in a shard's state. */
static const char *const not_kept[] = {"--shard",  "--save-state", "--threads",
                                       "--format", "--output",     "--show-rejects"};

/* The merge of abuse.ingest states ('ssrwatch merge'): set while ingest() runs for it. */
static const ssr_state_set_t *merge_set;

/* The store of a shard: read for the previous snapshot's open listings; one that does not exist
 * yet has none (shards never create it: several at once would race). */
static int shard_store(const char *uri, ssr_store_t **st, ssr_diag_t *diag)
{
	int rc = ssr_store_open_existing(uri, st, diag);
	if (rc == SSR_ENOTFOUND) {
		*st = NULL;
		ssr_diag_clear(diag);
		return SSR_EOK;
	}
	return rc;
}

/* One run: a shard's state, the merge of states, or the whole ingest. */
static int ingest_run(ssr_store_t *st, const ssr_abuse_ingest_opts_t *o, const char *shard_text,
                      const char *save, int argc, char **argv, json_t **sum, ssr_diag_t *diag)
{
	if (merge_set) {
		return ssr_abuse_ingest_merge(st, o, merge_set, sum, diag);
	}
	if (!save) {
		return ssr_abuse_ingest(st, o, sum, diag);
	}
	uint32_t shard = 0, shards = 1;
	if (shard_text && ssr_state_shard_parse(shard_text, &shard, &shards) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad --shard '%s' (I/N, 1 <= I <= N)",
		                    shard_text);
	}
	char *args = cli_state_args(argc, argv, not_kept, sizeof not_kept / sizeof not_kept[0]);
	int rc = args ? ssr_abuse_ingest_shard(st, o, args, shard, shards, save, diag)
	              : ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	free(args);
	if (rc == SSR_EOK) {
		ssr_log(&cli_log, SSR_LOG_INFO, "abuse", "shard %u/%u saved to '%s'", shard + 1,
		        shards, save);
	}
	return rc;
}

static int ingest(int argc, char **argv)
{
	static ingest_opts_t io; /* large (the lists); one command per process */
	memset(&io, 0, sizeof(io));
	io.feeds.fmt = SSR_FEED_AUTO;
	int nargs = 0;
	int rc = cli_opts("abuse ingest", ingest_opts, CLI_NOPTS(ingest_opts), &io, argc, argv,
	                  &nargs, ingest_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	const char *store_uri = io.store_uri, *psl_path = io.psl_path, *regs = io.regs,
	           *index_dir = io.index_dir;
	const char **zones = io.zones.v;
	size_t nzones = io.zones.n;
	ssr_abuse_feed_t *feeds = NULL;
	size_t nfeeds = 0;
	ssr_abuse_ingest_opts_t o = io.o;
	ssr_zone_analyze_opts_t *ao = &o.zone;
	rejects_t rj = {.max = io.show_rejects};
	bool json = io.format == 1;
	ssr_diag_t diag = {0};
	if (io.index_mem_mb > 0) {
		o.index_mem = (size_t)io.index_mem_mb << 20;
	}
	if (nargs > 0) {
		rc = cli_usage_error("abuse ingest", "unexpected argument '%s'", argv[1]);
	}
	if (rc == CLI_OK) {
		rc = load_feeds(&io.feeds, &feeds, &nfeeds);
	}
	if (rc == CLI_OK && (store_uri == NULL || o.date == NULL || nzones == 0 || nfeeds == 0)) {
		rc = cli_usage_error("abuse ingest",
		                     "--store, --date, --zone and --feed are required");
	}
	if (rc == CLI_OK && (io.shard != NULL) != (io.save_state != NULL) && !merge_set) {
		rc = cli_usage_error("abuse ingest", "--shard and --save-state go together");
	}
	char defdir[4096];
	if (rc == CLI_OK && index_dir == NULL) {
		if (strstr(store_uri, "://") != NULL) {
			rc = cli_usage_error("abuse ingest",
			                     "--index-dir is required with a %s store",
			                     "PostgreSQL");
		} else {
			const char *path =
			    strncmp(store_uri, "sqlite:", 7) == 0 ? store_uri + 7 : store_uri;
			snprintf(defdir, sizeof(defdir), "%s.index", path);
			index_dir = defdir;
		}
	}
	if (rc != CLI_OK) {
		ssr_abuse_feeds_free(feeds, nfeeds);
		return rc;
	}
	ssr_psl_t *psl = NULL;
	ssr_store_t *st = NULL;
	ssr_names_t *nm = NULL;
	json_t *sum = NULL;
	ssr_names_files_t nf = {.brands = io.brands, .allow = io.brand_allow};
	if (ssr_psl_new(psl_path, &psl, &diag) != SSR_EOK ||
	    (io.brands &&
	     (ssr_psl_load_providers(psl, io.providers ? io.providers : ssr_names_providers_path(),
	                             NULL, &diag) != SSR_EOK ||
	      ssr_names_open(&(ssr_names_opts_t){.psl = psl}, &nf, &nm, &diag) != SSR_EOK)) ||
	    (regs != NULL && ssr_attrib_file_new(regs, &cli_log, &o.attrib, &diag) != SSR_EOK) ||
	    (io.save_state && !merge_set ? shard_store(store_uri, &st, &diag)
	                                 : ssr_store_open(store_uri, &st, &diag)) != SSR_EOK) {
		rc = CLI_FAIL;
	} else {
		rj.feeds = feeds;
		rj.nfeeds = nfeeds;
		o.zones = zones;
		o.nzones = nzones;
		o.feeds = feeds;
		o.nfeeds = nfeeds;
		o.index_dir = index_dir;
		o.psl = psl;
		o.names = nm;
		o.log = &cli_log;
		ao->stats.psl = psl;
		ao->read.no_include = false;
		if (rj.max > 0) {
			o.on_reject = on_reject;
			o.reject_ctx = &rj;
		}
		if (ingest_run(st, &o, io.shard, merge_set ? NULL : io.save_state, argc, argv, &sum,
		               &diag) != SSR_EOK) {
			rc = CLI_FAIL;
		}
	}
	if (rc == CLI_FAIL) {
		cli_error("%s", diag.msg);
	} else if (sum == NULL) {
		/* a shard: its state is its output */
	} else {
		cli_out_t out;
		rc = cli_out_open("abuse ingest", io.output, &out);
		if (rc == CLI_OK) {
			if (json) {
				json_dumpf(sum, out.f, JSON_INDENT(2) | JSON_SORT_KEYS);
				fputc('\n', out.f);
			} else {
				print_summary(sum, out.f);
			}
			rc = cli_out_close("abuse ingest", &out, true);
		}
	}
	json_decref(sum);
	ssr_store_free(st);
	ssr_names_free(nm);
	if (o.attrib != NULL) {
		o.attrib->free(o.attrib);
	}
	ssr_psl_free(psl);
	ssr_abuse_feeds_free(feeds, nfeeds);
	return rc;
}

/* A significance level: above 0 and below 1. */
static int opt_alpha(const char *v, void *member, ssr_diag_t *diag)
{
	double d;
	if (cli_parse_double(v, &d) != 0 || d <= 0 || d >= 1) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad --alpha '%s' (0 to 1)", v);
	}
	*(double *)member = d;
	return SSR_EOK;
}

static const char *const report_formats[] = {"html", "json", "csv", NULL};

typedef struct {
	const char *store_uri, *period, *output;
	int format; /* report_formats */
	ssr_abuse_report_opts_t o;
} report_opts_t;

static const ssr_opt_t report_opts[] = {
    SSR_OPT_STR("store", report_opts_t, store_uri),
    SSR_OPT_STR("period", report_opts_t, period),
    SSR_OPT_CHOICE("format", report_opts_t, format, "format", report_formats),
    SSR_OPT_STR("output", report_opts_t, output),
    SSR_OPT_UINT("malicious-days", report_opts_t, o.malicious_days, 1, 100000000),
    SSR_OPT_UINT("top", report_opts_t, o.top_n, 1, 100000000),
    SSR_OPT_FN("alpha", report_opts_t, o.alpha, opt_alpha),
    SSR_OPT_U64("min-abused", report_opts_t, o.min_abused, 1, 100000000),
    SSR_OPT_U64("min-domains", report_opts_t, o.min_domains, 1, 100000000),
    SSR_OPT_HELP,
};

static const char listings_help[] =
    "usage: ssrwatch abuse listings --store DB [--tld TLD] [--date YYYY-MM-DD] [--output FILE]\n"
    "\n"
    "The per-domain rows the ingests stored (listed domains and those tracked from the\n"
    "previous snapshot) as CSV, ordered by TLD, domain and date: listed, in_zone, categories\n"
    "(bit per category), feeds, feed_first_seen, zone_first_seen, created, registrar.\n"
    "\n"
    "options:\n"
    "  --store DB      SQLite file or postgresql://... (required)\n"
    "  --tld TLD       only this TLD's rows\n"
    "  --date DATE     only this snapshot's rows\n"
    "  --output FILE   to FILE (complete or not at all)\n"
    "  --help          this help\n";

typedef struct {
	const char *store_uri, *tld, *date, *output;
} listings_opts_t;

static const ssr_opt_t listings_opts[] = {
    SSR_OPT_STR("store", listings_opts_t, store_uri),
    SSR_OPT_STR("tld", listings_opts_t, tld),
    SSR_OPT_STR("date", listings_opts_t, date),
    SSR_OPT_STR("output", listings_opts_t, output),
    SSR_OPT_HELP,
};

static int listings(int argc, char **argv)
{
	listings_opts_t lo = {0};
	int nargs = 0;
	int rc = cli_opts("abuse listings", listings_opts, CLI_NOPTS(listings_opts), &lo, argc,
	                  argv, &nargs, listings_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (nargs > 0) {
		return cli_usage_error("abuse listings", "unexpected argument '%s'", argv[1]);
	}
	if (lo.store_uri == NULL) {
		return cli_usage_error("abuse listings", "--store is required");
	}
	ssr_diag_t diag = {0};
	ssr_store_t *st = NULL;
	if (ssr_store_open_existing(lo.store_uri, &st, &diag) != SSR_EOK) {
		cli_error("%s", diag.msg);
		return CLI_FAIL;
	}
	cli_out_t out;
	if (cli_out_open("abuse listings", lo.output, &out) != CLI_OK) {
		ssr_store_free(st);
		return CLI_FAIL;
	}
	rc = ssr_abuse_listings_write(st, lo.tld, lo.date, out.f, NULL, &diag);
	ssr_store_free(st);
	if (rc != SSR_EOK) {
		cli_error("%s", diag.msg);
	}
	return cli_out_close("abuse listings", &out, rc == SSR_EOK);
}

static int report(int argc, char **argv)
{
	report_opts_t ro = {0};
	int nargs = 0;
	int rc = cli_opts("abuse report", report_opts, CLI_NOPTS(report_opts), &ro, argc, argv,
	                  &nargs, report_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (nargs > 0) {
		return cli_usage_error("abuse report", "unexpected argument '%s'", argv[1]);
	}
	const char *store_uri = ro.store_uri, *period = ro.period, *output = ro.output;
	const char *format = report_formats[ro.format];
	ssr_abuse_report_opts_t o = ro.o;
	if (store_uri == NULL || period == NULL) {
		return cli_usage_error("abuse report", "--store and --period are required");
	}
	char from[11], to[11];
	ssr_diag_t diag = {0};
	if (ssr_abuse_period_parse(period, from, to, &diag) != SSR_EOK) {
		return cli_usage_error("abuse report", "%s", diag.msg);
	}
	o.from = from;
	o.to = to;
	o.label = period;
	ssr_store_t *st = NULL;
	json_t *rep = NULL;
	if (ssr_store_open_existing(store_uri, &st, &diag) != SSR_EOK ||
	    ssr_abuse_report(st, &o, &rep, &diag) != SSR_EOK) {
		cli_error("%s", diag.msg);
		ssr_store_free(st);
		return CLI_FAIL;
	}
	ssr_store_free(st);
	cli_out_t out;
	if (cli_out_open("abuse report", output, &out) != CLI_OK) {
		json_decref(rep);
		return CLI_FAIL;
	}
	rc = strcmp(format, "json") == 0  ? ssr_json_write(rep, out.f)
	     : strcmp(format, "csv") == 0 ? ssr_report_abuse_csv(rep, out.f)
	                                  : ssr_report_abuse_html(rep, out.f);
	json_decref(rep);
	return cli_out_close("abuse report", &out, rc == SSR_EOK);
}

int cli_abuse_ingest_merge(const ssr_state_set_t *set, const char *store, const char *format,
                           const char *output)
{
	ssr_diag_t diag = {0};
	char *args = NULL;
	if (ssr_abuse_state_args(&set->head, &args, &diag) != SSR_EOK) {
		cli_error("merge: %s", diag.msg);
		return CLI_FAIL;
	}
	/* the arguments the shards ran with, then what the merge adds (later options win) */
	const char *extra[6];
	size_t ne = 0;
	const char *kv[][2] = {{"--store", store}, {"--format", format}, {"--output", output}};
	for (size_t k = 0; k < 3; k++) {
		if (kv[k][1]) {
			extra[ne++] = kv[k][0];
			extra[ne++] = kv[k][1];
		}
	}
	merge_set = set;
	int rc = cli_state_rerun(args, "ingest", extra, ne, ingest);
	merge_set = NULL;
	free(args);
	return rc;
}

int cmd_abuse(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(ingest_help, argc < 2 ? stderr : stdout);
		fputs("\n", argc < 2 ? stderr : stdout);
		fputs(report_help, argc < 2 ? stderr : stdout);
		fputs("\n", argc < 2 ? stderr : stdout);
		fputs(listings_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "ingest") == 0) {
		return ingest(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "report") == 0) {
		return report(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "listings") == 0) {
		return listings(argc - 1, argv + 1);
	}
	cli_error("unknown command 'abuse %s'", argv[1]);
	return CLI_USAGE;
}
