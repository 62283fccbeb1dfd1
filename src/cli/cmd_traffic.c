/* ssrwatch traffic stats */
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/report.h"
#include "ssrwatch/traffic.h"

static const char traffic_help[] =
    "usage: ssrwatch traffic stats [options] FILE...\n"
    "       ssrwatch traffic collisions --root-zone FILE [options] FILE...  (--help)\n"
    "       ssrwatch traffic trust-anchors [options] FILE...  (--help)\n"
    "\n"
    "RSSAC002 v3 metrics from packet captures (pcap or pcapng; plain, gzip, zstd; '-' stdin):\n"
    "traffic-volume (queries and responses by UDP/TCP x IPv4/IPv6), traffic-sizes (16-byte\n"
    "bins of the DNS message), rcode-volume (responses), unique-sources (IPv4, IPv6, IPv6 /64;\n"
    "exact); in JSON also privacy signals (QNAME minimisation, client subnet and its prefix\n"
    "lengths, cookies, padding; packets on ports 853 and 443).  Malformed packets are counted\n"
    "by reason, never fatal.\n"
    "\n"
    "options:\n"
    "  --format F          yaml (RSSAC002 documents, default) or json\n"
    "  --server NAME       the service named in the YAML (default a.root-servers.net)\n"
    "  --interval I        day (default) or hour\n"
    "  --ports LIST        DNS ports, comma-separated (default 53)\n"
    "  --zone-depth N      labels of the zone served, for QNAME minimisation (0 root, 1 TLD)\n"
    "  --out DIR           YAML files, one per metric per day: "
    "DIR/a-root-20261123-traffic-volume.yaml\n"
    "  --output FILE       write to FILE instead of standard output\n";

/* "53,5353" into the decoder's port list. */
static int parse_ports(const char *cmd, const char *arg, ssr_decoder_t *dec)
{
	size_t n = 0;
	for (const char *p = arg; *p && n < 7;) {
		uint64_t v;
		char num[8];
		size_t l = strcspn(p, ",");
		snprintf(num, sizeof num, "%.*s", (int)(l < 7 ? l : 7), p);
		if (l == 0 || l > 5 || cli_parse_u64(num, &v) != 0 || v == 0 || v > 65535) {
			return cli_usage_error(cmd, "bad port list '%s'", arg);
		}
		dec->ports[n++] = (uint16_t)v;
		p += l + (p[l] == ',');
	}
	dec->ports[n] = 0;
	return CLI_OK;
}

/* Every capture argument through the decoder into fn, as one stream of packets (a TCP stream
 * or a fragmented datagram may go on in the next file); a truncated one is a warning. */
static int read_captures(const char *cmd, int argc, char **argv, ssr_decoder_t *dec,
                         ssr_dns_pkt_fn fn, void *ctx)
{
	for (int i = optind; i < argc; i++) {
		ssr_diag_t d = {0};
		ssr_capture_stats_t st = {0};
		int e = ssr_capture_read(argv[i], dec, fn, ctx, &st, &d);
		if (e == SSR_ECORRUPT) {
			ssr_log(&cli_log, SSR_LOG_WARNING, "traffic",
			        "%s (the packets before are counted)", d.msg);
		} else if (e != SSR_EOK) {
			cli_error("%s: %s", cmd, d.msg);
			ssr_decoder_release(dec);
			return CLI_FAIL;
		}
	}
	/* streams and datagrams still held: what follows a gap is delivered, the rest counted */
	ssr_decoder_finish(dec, fn, ctx);
	return CLI_OK;
}

static int traffic_stats(int argc, char **argv)
{
	static const struct option lo[] = {{"format", required_argument, 0, 'f'},
	                                   {"server", required_argument, 0, 's'},
	                                   {"interval", required_argument, 0, 'i'},
	                                   {"ports", required_argument, 0, 'p'},
	                                   {"output", required_argument, 0, 'o'},
	                                   {"zone-depth", required_argument, 0, 'z'},
	                                   {"out", required_argument, 0, 'D'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	const char *format = "yaml", *server = "a.root-servers.net", *output = NULL;
	unsigned interval = 86400;
	uint64_t depth = 0;
	const char *outdir = NULL;
	ssr_decoder_t dec;
	ssr_decoder_init(&dec);
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "yaml") != 0 && strcmp(optarg, "json") != 0) {
				return cli_usage_error("traffic stats",
				                       "bad format '%s' (yaml or json)", optarg);
			}
			format = optarg;
			break;
		case 's':
			server = optarg;
			break;
		case 'i':
			if (strcmp(optarg, "day") != 0 && strcmp(optarg, "hour") != 0) {
				return cli_usage_error("traffic stats",
				                       "bad interval '%s' (day or hour)", optarg);
			}
			interval = strcmp(optarg, "day") == 0 ? 86400 : 3600;
			break;
		case 'p':
			if (parse_ports("traffic stats", optarg, &dec) != CLI_OK) {
				return CLI_USAGE;
			}
			break;
		case 'D':
			outdir = optarg;
			break;
		case 'z':
			if (cli_parse_u64(optarg, &depth) != 0 || depth > 126) {
				return cli_usage_error("traffic stats", "bad --zone-depth '%s'",
				                       optarg);
			}
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			fputs(traffic_help, stdout);
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		return cli_usage_error("traffic stats", "no capture file given");
	}
	ssr_rssac_t *r;
	if (ssr_rssac_new(interval, &r) != SSR_EOK) {
		cli_error("traffic stats: out of memory");
		return CLI_FAIL;
	}
	ssr_rssac_set_depth(r, (unsigned)depth);
	int rc = read_captures("traffic stats", argc, argv, &dec, ssr_rssac_add, r);
	if (rc == CLI_OK && outdir) {
		ssr_diag_t d = {0};
		if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
			cli_error("traffic stats: cannot create '%s': %s", outdir, strerror(errno));
			rc = CLI_FAIL;
		} else if (ssr_rssac_yaml_dir(r, server, outdir, &d) != SSR_EOK) {
			cli_error("traffic stats: %s", d.msg);
			rc = CLI_FAIL;
		}
		ssr_rssac_free(r);
		return rc;
	}
	cli_out_t out;
	if (rc == CLI_OK && (rc = cli_out_open("traffic stats", output, &out)) == CLI_OK) {
		int e;
		if (strcmp(format, "json") == 0) {
			json_t *j = ssr_rssac_json(r, &dec);
			e = j ? ssr_json_write(j, out.f) : SSR_ENOMEM;
			json_decref(j);
		} else {
			e = ssr_rssac_yaml(r, server, out.f);
		}
		rc = cli_out_close("traffic stats", &out, e == SSR_EOK);
	}
	ssr_rssac_free(r);
	return rc;
}

static const char collisions_help[] =
    "usage: ssrwatch traffic collisions --root-zone FILE [options] CAPTURE...\n"
    "\n"
    "Name collisions (SSR2 Rec 28): queries whose TLD the given root zone does not delegate,\n"
    "per TLD: queries, distinct sources, distinct second-level labels and the top ones, query\n"
    "types, and whether the name is set aside (RFC 6761, 6762, 7686, 9476, ICANN's .internal\n"
    "and the .home/.corp/.mail collision set).\n"
    "\n"
    "options:\n"
    "  --root-zone FILE    the root zone (any zone file; its one-label NS owners are the TLDs)\n"
    "  --top N             TLDs listed (default 50; 0 all)\n"
    "  --format F          json (default), csv or html (ranked bar chart)\n"
    "  --ports LIST        DNS ports (default 53)\n"
    "  --output FILE       write to FILE instead of standard output\n";

static int traffic_collisions(int argc, char **argv)
{
	static const struct option lo[] = {{"root-zone", required_argument, 0, 'r'},
	                                   {"top", required_argument, 0, 't'},
	                                   {"format", required_argument, 0, 'f'},
	                                   {"ports", required_argument, 0, 'p'},
	                                   {"output", required_argument, 0, 'o'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	const char *root = NULL, *format = "json", *output = NULL;
	uint64_t top = 50;
	ssr_decoder_t dec;
	ssr_decoder_init(&dec);
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'r':
			root = optarg;
			break;
		case 't':
			if (cli_parse_u64(optarg, &top) != 0 || top > 1000000) {
				return cli_usage_error("traffic collisions", "bad --top '%s'",
				                       optarg);
			}
			break;
		case 'f':
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "csv") != 0 &&
			    strcmp(optarg, "html") != 0) {
				return cli_usage_error("traffic collisions",
				                       "bad format '%s' (json, csv, html)", optarg);
			}
			format = optarg;
			break;
		case 'p':
			if (parse_ports("traffic collisions", optarg, &dec) != CLI_OK) {
				return CLI_USAGE;
			}
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			fputs(collisions_help, stdout);
			return CLI_OK;
		default:
			return CLI_USAGE;
		}
	}
	if (!root || optind >= argc) {
		return cli_usage_error("traffic collisions",
		                       "--root-zone and a capture are required");
	}
	ssr_diag_t d = {0};
	ssr_collisions_t *col;
	if (ssr_collisions_new(root, &col, &d) != SSR_EOK) {
		cli_error("traffic collisions: %s", d.msg);
		return CLI_FAIL;
	}
	int rc = read_captures("traffic collisions", argc, argv, &dec, ssr_collisions_add, col);
	json_t *j = rc == CLI_OK ? ssr_collisions_json(col, (unsigned)top) : NULL;
	if (rc == CLI_OK && !j) {
		cli_error("traffic collisions: out of memory");
		rc = CLI_FAIL;
	}
	cli_out_t out;
	if (rc == CLI_OK && (rc = cli_out_open("traffic collisions", output, &out)) == CLI_OK) {
		int e = strcmp(format, "csv") == 0    ? ssr_report_collisions_csv(j, out.f)
		        : strcmp(format, "html") == 0 ? ssr_report_collisions_html(j, out.f)
		                                      : ssr_json_write(j, out.f);
		rc = cli_out_close("traffic collisions", &out, e == SSR_EOK);
	}
	json_decref(j);
	ssr_collisions_free(col);
	return rc;
}

static const char anchors_help[] =
    "usage: ssrwatch traffic trust-anchors [options] CAPTURE...\n"
    "\n"
    "Trust anchor telemetry (SSR2 Rec 21, 27): RFC 8145 key tag queries (_ta-XXXX) and EDNS\n"
    "key tag options, RFC 8509 root-key-sentinel queries, the share of queries with the DO\n"
    "bit, and RFC 6975 DAU algorithm signals; per key tag the queries and the distinct\n"
    "resolvers (source addresses) signalling it.  JSON.\n"
    "\n"
    "options:\n"
    "  --ports LIST        DNS ports (default 53)\n"
    "  --output FILE       write to FILE instead of standard output\n";

static int traffic_anchors(int argc, char **argv)
{
	static const struct option lo[] = {{"ports", required_argument, 0, 'p'},
	                                   {"output", required_argument, 0, 'o'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	const char *output = NULL;
	ssr_decoder_t dec;
	ssr_decoder_init(&dec);
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'p') {
			if (parse_ports("traffic trust-anchors", optarg, &dec) != CLI_OK) {
				return CLI_USAGE;
			}
		} else if (c == 'o') {
			output = optarg;
		} else if (c == 'h') {
			fputs(anchors_help, stdout);
			return CLI_OK;
		} else {
			return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		return cli_usage_error("traffic trust-anchors", "no capture file given");
	}
	ssr_anchors_t *a;
	if (ssr_anchors_new(&a) != SSR_EOK) {
		cli_error("traffic trust-anchors: out of memory");
		return CLI_FAIL;
	}
	int rc = read_captures("traffic trust-anchors", argc, argv, &dec, ssr_anchors_add, a);
	json_t *j = rc == CLI_OK ? ssr_anchors_json(a) : NULL;
	if (rc == CLI_OK && !j) {
		cli_error("traffic trust-anchors: out of memory");
		rc = CLI_FAIL;
	}
	cli_out_t out;
	if (rc == CLI_OK && (rc = cli_out_open("traffic trust-anchors", output, &out)) == CLI_OK) {
		rc = cli_out_close("traffic trust-anchors", &out,
		                   ssr_json_write(j, out.f) == SSR_EOK);
	}
	json_decref(j);
	ssr_anchors_free(a);
	return rc;
}

int cmd_traffic(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argc, argv)) {
		fputs(traffic_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "stats") == 0) {
		return traffic_stats(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "collisions") == 0) {
		return traffic_collisions(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "trust-anchors") == 0) {
		return traffic_anchors(argc - 1, argv + 1);
	}
	return cli_usage_error("traffic", "unknown command '%s' (stats, collisions, trust-anchors)",
	                       argv[1]);
}
