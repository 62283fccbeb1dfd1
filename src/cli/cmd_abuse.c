/* ssrwatch abuse ingest | abuse report */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ssrwatch/abuse.h"
#include "ssrwatch/psl.h"
#include "ssrwatch/report.h"
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
    "  --threads N            parallel parts per zone file (default: the CPUs)\n"
    "  --format F             summary as table (default) or json\n"
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

static void print_summary(json_t *sum)
{
	printf("abuse ingest %s\n\n", json_string_value(json_object_get(sum, "date")));
	printf("%-16s %12s %10s %10s %10s %8s %8s\n", "tld", "domains", "listed", "in zone",
	       "not in z.", "tracked", "gone");
	size_t i;
	json_t *z;
	json_array_foreach(json_object_get(sum, "zones"), i, z)
	{
		printf("%-16s %12" JSON_INTEGER_FORMAT " %10" JSON_INTEGER_FORMAT
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
	printf("\n%-20s %-10s %-8s %10s %10s %10s\n", "feed", "category", "format", "lines",
	       "accepted", "rejected");
	json_t *f;
	json_array_foreach(json_object_get(sum, "feeds"), i, f)
	{
		json_int_t rej = 0;
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(f, "rejected"), k, v)
		{
			rej += json_integer_value(v);
		}
		printf("%-20s %-10s %-8s %10" JSON_INTEGER_FORMAT " %10" JSON_INTEGER_FORMAT
		       " %10" JSON_INTEGER_FORMAT "\n",
		       json_string_value(json_object_get(f, "name")),
		       json_string_value(json_object_get(f, "category")),
		       json_string_value(json_object_get(f, "format")),
		       json_integer_value(json_object_get(f, "lines")),
		       json_integer_value(json_object_get(f, "accepted")), rej);
	}
}

static int ingest(int argc, char **argv)
{
	static const struct option lo[] = {{"store", required_argument, 0, 's'},
	                                   {"date", required_argument, 0, 'd'},
	                                   {"zone", required_argument, 0, 'z'},
	                                   {"feed", required_argument, 0, 'f'},
	                                   {"feeds-config", required_argument, 0, 'c'},
	                                   {"feed-format", required_argument, 0, 'F'},
	                                   {"registrations", required_argument, 0, 'r'},
	                                   {"registrars", required_argument, 0, 'R'},
	                                   {"prices", required_argument, 0, 'P'},
	                                   {"index-dir", required_argument, 0, 'i'},
	                                   {"index-mem", required_argument, 0, 'm'},
	                                   {"allow-date-mismatch", no_argument, 0, 'a'},
	                                   {"show-rejects", required_argument, 0, 'x'},
	                                   {"psl", required_argument, 0, 'p'},
	                                   {"threads", required_argument, 0, 't'},
	                                   {"format", required_argument, 0, 'o'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	const char *store_uri = NULL, *psl_path = NULL, *regs = NULL, *index_dir = NULL;
	const char *zones[256];
	size_t nzones = 0;
	ssr_abuse_feed_t *feeds = NULL;
	size_t nfeeds = 0;
	ssr_feed_format_t ffmt = SSR_FEED_AUTO;
	ssr_abuse_ingest_opts_t o = {0};
	ssr_zone_analyze_opts_t *ao = &o.zone;
	rejects_t rj = {0};
	bool json = false;
	uint64_t v;
	int c, rc = CLI_OK;
	ssr_diag_t diag = {0};
	optind = 1;
	while (rc == CLI_OK && (c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			store_uri = optarg;
			break;
		case 'd':
			o.date = optarg;
			break;
		case 'z':
			if (nzones == sizeof(zones) / sizeof(zones[0])) {
				rc = cli_usage_error("abuse ingest", "too many zones");
				break;
			}
			zones[nzones++] = optarg;
			break;
		case 'f':
		case 'c': {
			ssr_abuse_feed_t *more = NULL;
			size_t nmore = 0;
			if (c == 'f') {
				more = calloc(1, sizeof(*more));
				if (more == NULL ||
				    ssr_abuse_feed_parse(optarg, more, &diag) != SSR_EOK) {
					free(more);
					rc = cli_usage_error("abuse ingest", "%s", diag.msg);
					break;
				}
				more->format = ffmt;
				nmore = 1;
			} else if (ssr_abuse_feeds_config(optarg, &more, &nmore, &diag) !=
			           SSR_EOK) {
				cli_error("%s", diag.msg);
				rc = CLI_FAIL;
				break;
			}
			ssr_abuse_feed_t *nf = realloc(feeds, (nfeeds + nmore) * sizeof(*feeds));
			if (nf == NULL) {
				ssr_abuse_feeds_free(more, nmore);
				rc = CLI_FAIL;
				break;
			}
			feeds = nf;
			memcpy(feeds + nfeeds, more, nmore * sizeof(*more));
			nfeeds += nmore;
			free(more);
			break;
		}
		case 'F':
			if (ssr_feed_format_parse(optarg, &ffmt) != SSR_EOK) {
				rc = cli_usage_error("abuse ingest", "unknown feed format '%s'",
				                     optarg);
			}
			break;
		case 'r':
			regs = optarg;
			break;
		case 'R':
			o.registrars = optarg;
			break;
		case 'P':
			o.prices = optarg;
			break;
		case 'i':
			index_dir = optarg;
			break;
		case 'm':
			if (cli_parse_u64(optarg, &v) != 0 || v < 1 || v > 1 << 20) {
				rc =
				    cli_usage_error("abuse ingest", "bad --index-mem '%s'", optarg);
			}
			o.index_mem = (size_t)v << 20;
			break;
		case 'a':
			o.allow_date_mismatch = true;
			break;
		case 'x':
			if (cli_parse_u64(optarg, &v) != 0) {
				rc = cli_usage_error("abuse ingest", "bad --show-rejects '%s'",
				                     optarg);
			}
			rj.max = v;
			break;
		case 'p':
			psl_path = optarg;
			break;
		case 't':
			if (cli_parse_u64(optarg, &v) != 0 || v > 64) {
				rc = cli_usage_error("abuse ingest", "bad --threads '%s'", optarg);
			}
			ao->threads = (unsigned)v;
			break;
		case 'o':
			if (strcmp(optarg, "json") == 0) {
				json = true;
			} else if (strcmp(optarg, "table") != 0) {
				rc = cli_usage_error("abuse ingest",
				                     "unknown format '%s' (table or json)", optarg);
			}
			break;
		case 'h':
			fputs(ingest_help, stdout);
			ssr_abuse_feeds_free(feeds, nfeeds);
			return CLI_OK;
		default:
			rc = CLI_USAGE;
		}
	}
	if (rc == CLI_OK && optind < argc) {
		rc = cli_usage_error("abuse ingest", "unexpected argument '%s'", argv[optind]);
	}
	if (rc == CLI_OK && (store_uri == NULL || o.date == NULL || nzones == 0 || nfeeds == 0)) {
		rc = cli_usage_error("abuse ingest",
		                     "--store, --date, --zone and --feed are required");
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
	json_t *sum = NULL;
	if (ssr_psl_new(psl_path, &psl, &diag) != SSR_EOK ||
	    (regs != NULL && ssr_attrib_file_new(regs, &cli_log, &o.attrib, &diag) != SSR_EOK) ||
	    ssr_store_open(store_uri, &st, &diag) != SSR_EOK) {
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
		o.log = &cli_log;
		ao->stats.psl = psl;
		ao->read.no_include = false;
		if (rj.max > 0) {
			o.on_reject = on_reject;
			o.reject_ctx = &rj;
		}
		if (ssr_abuse_ingest(st, &o, &sum, &diag) != SSR_EOK) {
			rc = CLI_FAIL;
		}
	}
	if (rc == CLI_FAIL) {
		cli_error("%s", diag.msg);
	} else if (json) {
		json_dumpf(sum, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		fputc('\n', stdout);
	} else {
		print_summary(sum);
	}
	json_decref(sum);
	ssr_store_free(st);
	if (o.attrib != NULL) {
		o.attrib->free(o.attrib);
	}
	ssr_psl_free(psl);
	ssr_abuse_feeds_free(feeds, nfeeds);
	return rc;
}

static int report(int argc, char **argv)
{
	static const struct option lo[] = {{"store", required_argument, 0, 's'},
	                                   {"period", required_argument, 0, 'p'},
	                                   {"format", required_argument, 0, 'f'},
	                                   {"output", required_argument, 0, 'o'},
	                                   {"malicious-days", required_argument, 0, 'm'},
	                                   {"top", required_argument, 0, 't'},
	                                   {"alpha", required_argument, 0, 'a'},
	                                   {"min-abused", required_argument, 0, 'k'},
	                                   {"min-domains", required_argument, 0, 'n'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	const char *store_uri = NULL, *period = NULL, *format = "html", *output = NULL;
	ssr_abuse_report_opts_t o = {0};
	uint64_t v;
	double d;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			store_uri = optarg;
			break;
		case 'p':
			period = optarg;
			break;
		case 'f':
			format = optarg;
			if (strcmp(format, "html") && strcmp(format, "json") &&
			    strcmp(format, "csv")) {
				return cli_usage_error("abuse report",
				                       "unknown format '%s' (html, json or csv)",
				                       optarg);
			}
			break;
		case 'o':
			output = optarg;
			break;
		case 'm':
		case 't':
		case 'k':
		case 'n':
			if (cli_parse_u64(optarg, &v) != 0 || v == 0 || v > 100000000) {
				return cli_usage_error("abuse report", "bad number '%s'", optarg);
			}
			if (c == 'm') {
				o.malicious_days = (unsigned)v;
			} else if (c == 't') {
				o.top_n = (unsigned)v;
			} else if (c == 'k') {
				o.min_abused = v;
			} else {
				o.min_domains = v;
			}
			break;
		case 'a':
			if (cli_parse_double(optarg, &d) != 0 || d <= 0 || d >= 1) {
				return cli_usage_error("abuse report", "bad --alpha '%s' (0 to 1)",
				                       optarg);
			}
			o.alpha = d;
			break;
		case 'h':
			fputs(report_help, stdout);
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	if (optind < argc) {
		return cli_usage_error("abuse report", "unexpected argument '%s'", argv[optind]);
	}
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
	int rc = strcmp(format, "json") == 0  ? ssr_json_write(rep, out.f)
	         : strcmp(format, "csv") == 0 ? ssr_report_abuse_csv(rep, out.f)
	                                      : ssr_report_abuse_html(rep, out.f);
	json_decref(rep);
	return cli_out_close("abuse report", &out, rc == SSR_EOK);
}

int cmd_abuse(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(ingest_help, argc < 2 ? stderr : stdout);
		fputs("\n", argc < 2 ? stderr : stdout);
		fputs(report_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "ingest") == 0) {
		return ingest(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "report") == 0) {
		return report(argc - 1, argv + 1);
	}
	cli_error("unknown command 'abuse %s'", argv[1]);
	return CLI_USAGE;
}
