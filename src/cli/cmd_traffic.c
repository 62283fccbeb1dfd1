/* ssrwatch traffic stats | merge | collisions | trust-anchors */
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/report.h"
#include "ssrwatch/traffic.h"

/* The decoder's options, the same in every traffic command. */
#define DECODER_OPTIONS                                                                            \
	{"ports", required_argument, 0, 'p'}, {"verify-checksums", no_argument, 0, 'C'},           \
	    {"reassembly-memory", required_argument, 0, 'M'},                                      \
	{                                                                                          \
		"reassembly-timeout", required_argument, 0, 'T'                                    \
	}
#define DECODER_HELP                                                                               \
	"  --ports LIST        DNS ports, comma-separated (default 53)\n"                          \
	"  --verify-checksums  count and drop packets with bad IPv4, UDP or TCP checksums\n"       \
	"                      (default: not checked, as tshark; captures taken on the server\n"   \
	"                      often carry offloaded, unfilled checksums)\n"                       \
	"  --reassembly-memory MIB  memory for IP fragments and TCP streams held (default 128)\n"  \
	"  --reassembly-timeout S   seconds an idle datagram or stream is kept (default 30)\n"

static const char traffic_help[] =
    "usage: ssrwatch traffic stats [options] FILE...\n"
    "       ssrwatch traffic merge [options] STATE...  (--help)\n"
    "       ssrwatch traffic collisions --root-zone FILE [options] FILE...  (--help)\n"
    "       ssrwatch traffic trust-anchors [options] FILE...  (--help)\n"
    "\n"
    "RSSAC002 v3 metrics from packet captures (pcap or pcapng; plain, gzip, zstd; '-' stdin):\n"
    "traffic-volume (queries and responses by UDP/TCP x IPv4/IPv6), traffic-sizes (16-byte\n"
    "bins of the DNS message), rcode-volume (responses), unique-sources (IPv4, IPv6, IPv6 /64;\n"
    "exact, or estimated with --approx); in JSON also privacy signals (QNAME minimisation,\n"
    "client subnet and its prefix lengths, cookies, padding; packets on ports 853 and 443)\n"
    "and reassembly counts.  IP fragments and DNS over TCP streams are reassembled.  The\n"
    "files are read as one stream of packets.  Malformed packets are counted by reason, never\n"
    "fatal.\n"
    "\n"
    "options:\n"
    "  --format F          yaml (RSSAC002 documents, default) or json\n"
    "  --server NAME       the service named in the YAML (default a.root-servers.net)\n"
    "  --interval I        day (default) or hour\n"
    "  --zone-depth N      labels of the zone served, for QNAME minimisation (0 root, 1 TLD)\n"
    "  --approx            unique sources by HyperLogLog (2^14 registers, standard error\n"
    "                      0.81%; constant memory) instead of exact sets\n"
    "  --save-state FILE   also save the state for 'traffic merge'\n"
    "  --out DIR           YAML files, one per metric per day: "
    "DIR/a-root-20261123-traffic-volume.yaml\n"
    "  --output FILE       write to FILE instead of standard output\n" DECODER_HELP;

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

/* A decoder option (CLI_OK, CLI_USAGE), or 1: not one of them. */
static int decoder_option(const char *cmd, int c, ssr_decoder_t *dec)
{
	uint64_t v;
	switch (c) {
	case 'p':
		return parse_ports(cmd, optarg, dec) == CLI_OK ? CLI_OK : CLI_USAGE;
	case 'C':
		dec->verify_checksums = true;
		return CLI_OK;
	case 'M':
		if (cli_parse_u64(optarg, &v) != 0 || v == 0 || v > 1048576) {
			return cli_usage_error(cmd, "bad --reassembly-memory '%s' (MiB, 1-1048576)",
			                       optarg);
		}
		dec->reasm_max_bytes = (size_t)v << 20;
		return CLI_OK;
	case 'T':
		if (cli_parse_u64(optarg, &v) != 0 || v == 0 || v > 86400) {
			return cli_usage_error(cmd, "bad --reassembly-timeout '%s' (1-86400 s)",
			                       optarg);
		}
		dec->reasm_timeout = (unsigned)v;
		return CLI_OK;
	default:
		return 1;
	}
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

/* What stats and merge write: the state (--save-state), YAML files (--out DIR), or YAML/JSON. */
typedef struct {
	const char *format, *server, *output, *outdir, *save;
	unsigned interval;
	uint64_t depth;
	bool approx;
} rssac_out_t;

/* An option common to stats and merge (CLI_OK, CLI_USAGE), or 1: not one of them. */
static int rssac_option(const char *cmd, int c, rssac_out_t *o)
{
	switch (c) {
	case 'f':
		if (strcmp(optarg, "yaml") != 0 && strcmp(optarg, "json") != 0) {
			return cli_usage_error(cmd, "bad format '%s' (yaml or json)", optarg);
		}
		o->format = optarg;
		return CLI_OK;
	case 's':
		o->server = optarg;
		return CLI_OK;
	case 'i':
		if (strcmp(optarg, "day") != 0 && strcmp(optarg, "hour") != 0) {
			return cli_usage_error(cmd, "bad interval '%s' (day or hour)", optarg);
		}
		o->interval = strcmp(optarg, "day") == 0 ? 86400 : 3600;
		return CLI_OK;
	case 'D':
		o->outdir = optarg;
		return CLI_OK;
	case 'S':
		o->save = optarg;
		return CLI_OK;
	case 'a':
		o->approx = true;
		return CLI_OK;
	case 'z':
		if (cli_parse_u64(optarg, &o->depth) != 0 || o->depth > 126) {
			return cli_usage_error(cmd, "bad --zone-depth '%s'", optarg);
		}
		return CLI_OK;
	case 'o':
		o->output = optarg;
		return CLI_OK;
	default:
		return 1;
	}
}

#define RSSAC_OPTIONS                                                                              \
	{"format", required_argument, 0, 'f'}, {"server", required_argument, 0, 's'},              \
	    {"interval", required_argument, 0, 'i'}, {"output", required_argument, 0, 'o'},        \
	    {"zone-depth", required_argument, 0, 'z'}, {"out", required_argument, 0, 'D'},         \
	    {"save-state", required_argument, 0, 'S'}, {"approx", no_argument, 0, 'a'},            \
	{                                                                                          \
		"help", no_argument, 0, 'h'                                                        \
	}

static int rssac_write(const char *cmd, const ssr_rssac_t *r, const ssr_decoder_t *dec,
                       const rssac_out_t *o)
{
	ssr_diag_t d = {0};
	if (o->save && ssr_rssac_save(r, dec, o->save, &d) != SSR_EOK) {
		cli_error("%s: %s", cmd, d.msg);
		return CLI_FAIL;
	}
	if (o->outdir) {
		if (mkdir(o->outdir, 0777) != 0 && errno != EEXIST) {
			cli_error("%s: cannot create '%s': %s", cmd, o->outdir, strerror(errno));
			return CLI_FAIL;
		}
		if (ssr_rssac_yaml_dir(r, o->server, o->outdir, &d) != SSR_EOK) {
			cli_error("%s: %s", cmd, d.msg);
			return CLI_FAIL;
		}
		return CLI_OK;
	}
	cli_out_t out;
	int rc = cli_out_open(cmd, o->output, &out);
	if (rc == CLI_OK) {
		int e;
		if (strcmp(o->format, "json") == 0) {
			json_t *j = ssr_rssac_json(r, dec);
			e = j ? ssr_json_write(j, out.f) : SSR_ENOMEM;
			json_decref(j);
		} else {
			e = ssr_rssac_yaml(r, o->server, out.f);
		}
		rc = cli_out_close(cmd, &out, e == SSR_EOK);
	}
	return rc;
}

static int traffic_stats(int argc, char **argv)
{
	static const struct option lo[] = {DECODER_OPTIONS, RSSAC_OPTIONS, {0, 0, 0, 0}};
	rssac_out_t o = {.format = "yaml", .server = "a.root-servers.net", .interval = 86400};
	ssr_decoder_t dec;
	ssr_decoder_init(&dec);
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'h') {
			fputs(traffic_help, stdout);
			return CLI_OK;
		}
		int e = decoder_option("traffic stats", c, &dec);
		if (e == 1) {
			e = rssac_option("traffic stats", c, &o);
		}
		if (e != CLI_OK) {
			return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		return cli_usage_error("traffic stats", "no capture file given");
	}
	ssr_rssac_t *r;
	if (ssr_rssac_new(o.interval, &r) != SSR_EOK) {
		cli_error("traffic stats: out of memory");
		return CLI_FAIL;
	}
	ssr_rssac_set_depth(r, (unsigned)o.depth);
	ssr_rssac_set_approx(r, o.approx);
	int rc = read_captures("traffic stats", argc, argv, &dec, ssr_rssac_add, r);
	if (rc == CLI_OK) {
		rc = rssac_write("traffic stats", r, &dec, &o);
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
    "  --save-state FILE   also save the state for 'traffic merge'\n" DECODER_HELP
    "  --output FILE       write to FILE instead of standard output\n";

/* The collisions (col) or trust-anchor (a) report as JSON, the collisions also as CSV or HTML;
 * the state first when save is set. */
static int report_write(const char *cmd, const ssr_collisions_t *col, const ssr_anchors_t *a,
                        const char *format, unsigned top, const char *output, const char *save)
{
	ssr_diag_t d = {0};
	int e = !save ? SSR_EOK
	        : col ? ssr_collisions_save(col, save, &d)
	              : ssr_anchors_save(a, save, &d);
	if (e != SSR_EOK) {
		cli_error("%s: %s", cmd, d.msg);
		return CLI_FAIL;
	}
	json_t *j = col ? ssr_collisions_json(col, top) : ssr_anchors_json(a);
	if (!j) {
		cli_error("%s: out of memory", cmd);
		return CLI_FAIL;
	}
	cli_out_t out;
	int rc = cli_out_open(cmd, output, &out);
	if (rc == CLI_OK) {
		e = col && strcmp(format, "csv") == 0    ? ssr_report_collisions_csv(j, out.f)
		    : col && strcmp(format, "html") == 0 ? ssr_report_collisions_html(j, out.f)
		                                         : ssr_json_write(j, out.f);
		rc = cli_out_close(cmd, &out, e == SSR_EOK);
	}
	json_decref(j);
	return rc;
}

static int traffic_collisions(int argc, char **argv)
{
	static const struct option lo[] = {DECODER_OPTIONS,
	                                   {"root-zone", required_argument, 0, 'r'},
	                                   {"save-state", required_argument, 0, 'S'},
	                                   {"top", required_argument, 0, 't'},
	                                   {"format", required_argument, 0, 'f'},
	                                   {"output", required_argument, 0, 'o'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	const char *root = NULL, *format = "json", *output = NULL, *save = NULL;
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
		case 'S':
			save = optarg;
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
		case 'o':
			output = optarg;
			break;
		case 'h':
			fputs(collisions_help, stdout);
			return CLI_OK;
		default:
			if (decoder_option("traffic collisions", c, &dec) != CLI_OK) {
				return CLI_USAGE;
			}
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
	if (rc == CLI_OK) {
		rc = report_write("traffic collisions", col, NULL, format, (unsigned)top, output,
		                  save);
	}
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
    "options:\n" DECODER_HELP "  --save-state FILE   also save the state for 'traffic merge'\n"
    "  --output FILE       write to FILE instead of standard output\n";

static int traffic_anchors(int argc, char **argv)
{
	static const struct option lo[] = {DECODER_OPTIONS,
	                                   {"output", required_argument, 0, 'o'},
	                                   {"save-state", required_argument, 0, 'S'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	const char *output = NULL, *save = NULL;
	ssr_decoder_t dec;
	ssr_decoder_init(&dec);
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'o' || c == 'S') {
			*(c == 'o' ? &output : &save) = optarg;
		} else if (c == 'h') {
			fputs(anchors_help, stdout);
			return CLI_OK;
		} else if (decoder_option("traffic trust-anchors", c, &dec) != CLI_OK) {
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
	if (rc == CLI_OK) {
		rc = report_write("traffic trust-anchors", NULL, a, "json", 0, output, save);
	}
	ssr_anchors_free(a);
	return rc;
}

static const char merge_help[] =
    "usage: ssrwatch traffic merge [options] STATE...\n"
    "\n"
    "Combine states saved with --save-state by 'traffic stats', 'traffic collisions' or\n"
    "'traffic trust-anchors' (per hour, per capture file, per server; all of one kind) into\n"
    "one result, exactly: counters add, source and label sets unite (with --approx, sketches\n"
    "take register maxima; exact states may merge into sketches).  Hourly states merge into\n"
    "days.  Output as the command that saved them; --save-state writes the merged state.\n"
    "\n"
    "options:\n"
    "  --format F          stats: yaml (default) or json; collisions: json (default), csv,\n"
    "                      html; trust-anchors: json\n"
    "  --top N             collisions: TLDs listed (default 50; 0 all)\n"
    "  --server NAME       the service named in the YAML (default a.root-servers.net)\n"
    "  --interval I        day (default) or hour\n"
    "  --zone-depth N      the depth the states were made with (default 0)\n"
    "  --approx            merge into HyperLogLog sketches (needed for approximate states)\n"
    "  --out DIR           YAML files, one per metric per day\n"
    "  --save-state FILE   the merged state\n"
    "  --output FILE       write to FILE instead of standard output\n";

/* traffic merge of collisions or trust-anchors states */
static int merge_other(int kind, int argc, char **argv, const char *format, unsigned top,
                       const rssac_out_t *o)
{
	ssr_diag_t d = {0};
	ssr_collisions_t *col = NULL;
	ssr_anchors_t *a = NULL;
	int rc =
	    kind == SSR_STATE_COLLISIONS ? ssr_collisions_new(NULL, &col, &d) : ssr_anchors_new(&a);
	if (rc != SSR_EOK) {
		cli_error("traffic merge: out of memory");
		return CLI_FAIL;
	}
	for (int i = optind; i < argc && rc == SSR_EOK; i++) {
		rc = col ? ssr_collisions_merge(col, argv[i], &d)
		         : ssr_anchors_merge(a, argv[i], &d);
	}
	if (rc != SSR_EOK) {
		cli_error("traffic merge: %s", d.msg); /* nothing is written from a partial merge */
		rc = CLI_FAIL;
	} else {
		rc = report_write("traffic merge", col, a, format, top, o->output, o->save);
	}
	ssr_collisions_free(col);
	ssr_anchors_free(a);
	return rc;
}

static int traffic_merge(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"top", required_argument, 0, 't'}, RSSAC_OPTIONS, {0, 0, 0, 0}};
	rssac_out_t o = {.format = "yaml", .server = "a.root-servers.net", .interval = 86400};
	const char *format = NULL;
	uint64_t top = 50;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'h') {
			fputs(merge_help, stdout);
			return CLI_OK;
		}
		if (c == 'f') {
			format = optarg; /* checked once the kind of state is known */
		} else if (c == 't') {
			if (cli_parse_u64(optarg, &top) != 0 || top > 1000000) {
				return cli_usage_error("traffic merge", "bad --top '%s'", optarg);
			}
		} else if (rssac_option("traffic merge", c, &o) != CLI_OK) {
			return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		return cli_usage_error("traffic merge", "no state file given");
	}
	ssr_diag_t kd = {0};
	int kind = ssr_traffic_state_kind(argv[optind], &kd);
	if (kind < 0) {
		cli_error("traffic merge: %s", kd.msg);
		return CLI_FAIL;
	}
	static const char *const formats[4][4] = {
	    {0}, {"yaml", "json"}, {"json", "csv", "html"}, {"json"}};
	bool known = format == NULL;
	for (int i = 0; i < 4 && format && formats[kind][i]; i++) {
		known = known || strcmp(format, formats[kind][i]) == 0;
	}
	if (!known) {
		return cli_usage_error("traffic merge", "bad format '%s' for these states", format);
	}
	if (kind != SSR_STATE_RSSAC) {
		return merge_other(kind, argc, argv, format ? format : "json", (unsigned)top, &o);
	}
	o.format = format ? format : o.format;
	ssr_rssac_t *r;
	if (ssr_rssac_new(o.interval, &r) != SSR_EOK) {
		cli_error("traffic merge: out of memory");
		return CLI_FAIL;
	}
	ssr_rssac_set_depth(r, (unsigned)o.depth);
	ssr_rssac_set_approx(r, o.approx);
	ssr_decoder_t dec;
	ssr_decoder_init(&dec);
	int rc = CLI_OK;
	for (int i = optind; i < argc && rc == CLI_OK; i++) {
		ssr_diag_t d = {0};
		if (ssr_rssac_merge(r, &dec, argv[i], &d) != SSR_EOK) {
			cli_error("traffic merge: %s", d.msg);
			rc = CLI_FAIL; /* nothing is written from a partial merge */
		}
	}
	if (rc == CLI_OK) {
		rc = rssac_write("traffic merge", r, &dec, &o);
	}
	ssr_rssac_free(r);
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
	if (strcmp(argv[1], "merge") == 0) {
		return traffic_merge(argc - 1, argv + 1);
	}
	return cli_usage_error(
	    "traffic", "unknown command '%s' (stats, collisions, trust-anchors, merge)", argv[1]);
}
