/* ssrwatch traffic stats */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/report.h"
#include "ssrwatch/traffic.h"

static const char traffic_help[] =
    "usage: ssrwatch traffic stats [options] FILE...\n"
    "\n"
    "RSSAC002 v3 metrics from packet captures (pcap or pcapng; plain, gzip, zstd; '-' stdin):\n"
    "traffic-volume (queries and responses by UDP/TCP x IPv4/IPv6), traffic-sizes (16-byte\n"
    "bins of the DNS message), rcode-volume (responses), unique-sources (IPv4, IPv6, IPv6 /64;\n"
    "exact).  Malformed packets are counted by reason, never fatal.\n"
    "\n"
    "options:\n"
    "  --format F          yaml (RSSAC002 documents, default) or json\n"
    "  --server NAME       the service named in the YAML (default a.root-servers.net)\n"
    "  --interval I        day (default) or hour\n"
    "  --ports LIST        DNS ports, comma-separated (default 53)\n"
    "  --output FILE       write to FILE instead of standard output\n";

static int traffic_stats(int argc, char **argv)
{
	static const struct option lo[] = {{"format", required_argument, 0, 'f'},
	                                   {"server", required_argument, 0, 's'},
	                                   {"interval", required_argument, 0, 'i'},
	                                   {"ports", required_argument, 0, 'p'},
	                                   {"output", required_argument, 0, 'o'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	const char *format = "yaml", *server = "a.root-servers.net", *output = NULL;
	unsigned interval = 86400;
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
		case 'p': {
			size_t n = 0;
			for (const char *p = optarg; *p && n < 7;) {
				uint64_t v;
				char num[8];
				size_t l = strcspn(p, ",");
				snprintf(num, sizeof num, "%.*s", (int)(l < 7 ? l : 7), p);
				if (l == 0 || l > 5 || cli_parse_u64(num, &v) != 0 || v == 0 ||
				    v > 65535) {
					return cli_usage_error("traffic stats",
					                       "bad port list '%s'", optarg);
				}
				dec.ports[n++] = (uint16_t)v;
				p += l + (p[l] == ',');
			}
			dec.ports[n] = 0;
			break;
		}
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
	int rc = CLI_OK;
	for (int i = optind; i < argc && rc == CLI_OK; i++) {
		ssr_diag_t d = {0};
		ssr_capture_stats_t st = {0};
		int e = ssr_capture_read(argv[i], &dec, ssr_rssac_add, r, &st, &d);
		if (e == SSR_ECORRUPT) {
			ssr_log(&cli_log, SSR_LOG_WARNING, "traffic",
			        "%s (the packets before are counted)", d.msg);
		} else if (e != SSR_EOK) {
			cli_error("traffic stats: %s", d.msg);
			rc = CLI_FAIL;
		}
	}
	FILE *out = stdout;
	if (rc == CLI_OK && output && !(out = fopen(output, "w"))) {
		cli_error("traffic stats: cannot write '%s'", output);
		rc = CLI_FAIL;
	}
	if (rc == CLI_OK) {
		if (strcmp(format, "json") == 0) {
			json_t *j = ssr_rssac_json(r, &dec);
			rc = j && ssr_json_write(j, out) == SSR_EOK ? CLI_OK : CLI_FAIL;
			json_decref(j);
		} else {
			rc = ssr_rssac_yaml(r, server, out) == SSR_EOK ? CLI_OK : CLI_FAIL;
		}
		if (out != stdout && fclose(out) != 0) {
			rc = CLI_FAIL;
		}
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
	return cli_usage_error("traffic", "unknown command '%s' (stats)", argv[1]);
}
