/* ssrwatch gen zone */
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/date.h"
#include "ssrwatch/abusegen.h"
#include "ssrwatch/names.h"
#include "ssrwatch/namesgen.h"
#include "ssrwatch/psl.h"
#include "ssrwatch/report.h"
#include "ssrwatch/pcapgen.h"
#include "ssrwatch/traffic.h"
#include "ssrwatch/zonegen.h"

static const char gen_zone_help[] =
    "usage: ssrwatch gen zone [options]\n"
    "\n"
    "Write a deterministic, realistic TLD zone (canonical order) for tests and benchmarks:\n"
    "Zipf-distributed sharing of NS hosts among DNS hosters, ~25% DS (algorithms 8/13/15,\n"
    "digest types 2/4), IDNs, in-zone hosters with glue, varied TTLs and record forms.\n"
    "\n"
    "options:\n"
    "  --origin TLD        the zone (default example)\n"
    "  --delegations N     delegated names (default 1000)\n"
    "  --seed S            random seed (default 1); same options, same bytes\n"
    "  --hosters N         DNS hosting providers (default 5000)\n"
    "  --ds-share F        share of signed delegations (default 0.25)\n"
    "  --idn-share F       share of IDN delegations (default 0.03)\n"
    "  --signed            DNSKEY, RRSIG and NSEC3PARAM at the apex\n"
    "  --plain             only the one-record-per-line absolute form\n"
    "  --output FILE       write to FILE instead of standard output\n";

/* A share option: a number from 0 to 1. */
static int gen_share(const char *cmd, const char *arg, double *out)
{
	if (cli_parse_double(arg, out) != 0 || *out < 0 || *out > 1) {
		return cli_usage_error(cmd, "bad share '%s' (0 to 1)", arg);
	}
	return CLI_OK;
}

static int gen_zone(int argc, char **argv)
{
	static const struct option lo[] = {{"origin", required_argument, 0, 'o'},
	                                   {"delegations", required_argument, 0, 'n'},
	                                   {"seed", required_argument, 0, 's'},
	                                   {"hosters", required_argument, 0, 'H'},
	                                   {"ds-share", required_argument, 0, 'd'},
	                                   {"idn-share", required_argument, 0, 'i'},
	                                   {"signed", no_argument, 0, 'S'},
	                                   {"plain", no_argument, 0, 'p'},
	                                   {"output", required_argument, 0, 'O'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	ssr_zonegen_opts_t o;
	ssr_zonegen_defaults(&o);
	const char *output = NULL;
	uint64_t v;
	double d;
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.origin = optarg;
			if (*optarg == '\0' || strchr(optarg, ' ') != NULL) {
				return cli_usage_error("gen zone", "bad origin '%s'", optarg);
			}
			break;
		case 'n':
			if (cli_parse_u64(optarg, &v) != 0 || v > 500000000ULL) {
				return cli_usage_error("gen zone", "bad --delegations '%s'",
				                       optarg);
			}
			o.delegations = v;
			break;
		case 's':
			if (cli_parse_u64(optarg, &v) != 0) {
				return cli_usage_error("gen zone", "bad --seed '%s'", optarg);
			}
			o.seed = v;
			break;
		case 'H':
			if (cli_parse_u64(optarg, &v) != 0 || v == 0 || v > 10000000) {
				return cli_usage_error("gen zone", "bad --hosters '%s'", optarg);
			}
			o.hosters = (unsigned)v;
			break;
		case 'd':
		case 'i':
			if ((rc = gen_share("gen zone", optarg, &d)) != CLI_OK) {
				return rc;
			}
			if (c == 'd') {
				o.ds_share = d;
			} else {
				o.idn_share = d;
			}
			break;
		case 'S':
			o.signed_apex = true;
			break;
		case 'p':
			o.plain = true;
			break;
		case 'O':
			output = optarg;
			break;
		case 'h':
			fputs(gen_zone_help, stdout);
			return CLI_OK;
		default:
			return cli_usage_error("gen zone", "bad option");
		}
	}
	if (optind < argc) {
		return cli_usage_error("gen zone", "unexpected argument '%s'", argv[optind]);
	}
	FILE *out = stdout;
	if (output != NULL && (out = fopen(output, "w")) == NULL) {
		cli_error("gen zone: cannot create '%s'", output);
		return CLI_FAIL;
	}
	static char buf[1 << 20];
	setvbuf(out, buf, _IOFBF, sizeof(buf));
	ssr_diag_t diag = {0};
	rc = ssr_zonegen_write(&o, out, &diag);
	if (rc != SSR_EOK) {
		cli_error("%s", diag.msg);
	}
	if ((out != stdout ? fclose(out) : fflush(out)) != 0 && rc == SSR_EOK) {
		cli_error("gen zone: write failed");
		rc = SSR_EIO;
	}
	return rc == SSR_EOK ? CLI_OK : CLI_FAIL;
}

static const char gen_abuse_help[] =
    "usage: ssrwatch gen abuse --dir DIR [options]\n"
    "\n"
    "Write a deterministic sample world for abuse reporting into DIR: TLD zones at each snapshot\n"
    "date, feeds (phishing URLs, malware CSV, spam domains, botnet hosts file, with noise),\n"
    "registration data, the IANA registrar list and prices.  The last TLD and two registrars\n"
    "are planted far above the rest (DIR/planted.json).\n"
    "\n"
    "options:\n"
    "  --dir DIR           output directory (required)\n"
    "  --domains N         initial domains over all TLDs (default 100000)\n"
    "  --tlds N            TLDs, 1-8 (default 4)\n"
    "  --registrars N      registrars (default 30)\n"
    "  --snapshots N       snapshot dates (default 7)\n"
    "  --step DAYS         days between snapshots (default 14)\n"
    "  --start YYYY-MM-DD  first snapshot (default 2026-07-06)\n"
    "  --seed S            random seed (default 1)\n";

static int gen_abuse(int argc, char **argv)
{
	static const struct option lo[] = {{"dir", required_argument, 0, 'd'},
	                                   {"domains", required_argument, 0, 'n'},
	                                   {"tlds", required_argument, 0, 't'},
	                                   {"registrars", required_argument, 0, 'r'},
	                                   {"snapshots", required_argument, 0, 's'},
	                                   {"step", required_argument, 0, 'p'},
	                                   {"start", required_argument, 0, 'a'},
	                                   {"seed", required_argument, 0, 'S'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	ssr_abusegen_opts_t o;
	ssr_abusegen_defaults(&o);
	uint64_t v;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'h') {
			fputs(gen_abuse_help, stdout);
			return CLI_OK;
		}
		if (c == 'd') {
			o.dir = optarg;
			continue;
		}
		if (c == 'a') {
			o.start = optarg;
			continue;
		}
		if (c == '?' || cli_parse_u64(optarg, &v) != 0 || v > 1000000000) {
			return c == '?' ? CLI_USAGE
			                : cli_usage_error("gen abuse", "bad number '%s'", optarg);
		}
		switch (c) {
		case 'n':
			o.domains = v;
			break;
		case 't':
			o.tlds = (unsigned)v;
			break;
		case 'r':
			o.registrars = (unsigned)v;
			break;
		case 's':
			o.snapshots = (unsigned)v;
			break;
		case 'p':
			o.step_days = (unsigned)v;
			break;
		case 'S':
			o.seed = v;
			break;
		}
	}
	if (optind < argc || o.dir == NULL) {
		return cli_usage_error("gen abuse", "--dir is required");
	}
	ssr_diag_t diag = {0};
	if (ssr_abusegen_write(&o, &diag) != SSR_EOK) {
		cli_error("%s", diag.msg);
		return CLI_FAIL;
	}
	return CLI_OK;
}

static const char gen_feed_help[] =
    "usage: ssrwatch gen feed --zone FILE... [options]\n"
    "\n"
    "Write a reputation feed that lists delegations of the given zones: a uniform sample\n"
    "(reservoir) in random order, with a share of names under the zone that are not delegated\n"
    "and of lines a feed reader must reject.  Same zones and options, same bytes.\n"
    "\n"
    "options:\n"
    "  --zone FILE         a zone file (repeatable)\n"
    "  --entries N         lines to write (default 1000)\n"
    "  --shape S           urls (default), domains, csv (domain,first_seen,category) or hosts\n"
    "  --absent F          share of names not delegated in the zone (default 0.05)\n"
    "  --noise F           share of lines to be rejected: IP literals, junk (default 0.01)\n"
    "  --category C        CSV category column (default phishing)\n"
    "  --date YYYY-MM-DD   first_seen dates lie in the 30 days up to it (default 2026-11-23)\n"
    "  --seed S            random seed (default 1)\n"
    "  --output FILE       write to FILE instead of standard output\n";

static const char gen_reg_help[] =
    "usage: ssrwatch gen registrations --zone FILE... [options]\n"
    "\n"
    "Write registration data for every delegation of the given zones, as registries export it:\n"
    "CSV domain,registrar_id,created.  Domains go to registrars by a Zipf law; a domain's\n"
    "registrar and creation date depend only on its name and the seed, so the registration\n"
    "files of several snapshots of one zone agree.\n"
    "\n"
    "options:\n"
    "  --zone FILE         a zone file (repeatable)\n"
    "  --registrars N      registrars (default 50; IANA-style ids 1000, 1007, ...)\n"
    "  --registrar-list F  also write the registrar list (ID,Registrar Name,Status) to F\n"
    "  --date YYYY-MM-DD   creation dates lie up to 25 years before it (default 2026-11-23)\n"
    "  --seed S            random seed (default 1)\n"
    "  --output FILE       write to FILE instead of standard output\n";

#define MAX_GEN_ZONES 256

static int gen_feed(int argc, char **argv)
{
	static const struct option lo[] = {{"zone", required_argument, 0, 'z'},
	                                   {"entries", required_argument, 0, 'n'},
	                                   {"shape", required_argument, 0, 'S'},
	                                   {"absent", required_argument, 0, 'a'},
	                                   {"noise", required_argument, 0, 'N'},
	                                   {"category", required_argument, 0, 'c'},
	                                   {"date", required_argument, 0, 'd'},
	                                   {"seed", required_argument, 0, 's'},
	                                   {"output", required_argument, 0, 'O'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	const char *zones[MAX_GEN_ZONES];
	ssr_feedgen_opts_t o;
	ssr_feedgen_defaults(&o);
	o.zones = zones;
	uint64_t v;
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'z':
			if (o.nzones == MAX_GEN_ZONES) {
				return cli_usage_error("gen feed", "more than %d zones",
				                       MAX_GEN_ZONES);
			}
			zones[o.nzones++] = optarg;
			break;
		case 'n':
			if (cli_parse_u64(optarg, &v) != 0 || v == 0 || v > 100000000ULL) {
				return cli_usage_error("gen feed", "bad --entries '%s' (1 to 1e8)",
				                       optarg);
			}
			o.entries = v;
			break;
		case 'S':
			if (ssr_feedgen_shape_parse(optarg, &o.shape) != SSR_EOK) {
				return cli_usage_error(
				    "gen feed", "unknown shape '%s' (urls, domains, csv, hosts)",
				    optarg);
			}
			break;
		case 'a':
			if ((rc = gen_share("gen feed", optarg, &o.absent)) != CLI_OK) {
				return rc;
			}
			break;
		case 'N':
			if ((rc = gen_share("gen feed", optarg, &o.noise)) != CLI_OK) {
				return rc;
			}
			break;
		case 'c':
			o.category = optarg;
			break;
		case 'd':
			o.date = optarg;
			break;
		case 's':
			if (cli_parse_u64(optarg, &v) != 0) {
				return cli_usage_error("gen feed", "bad --seed '%s'", optarg);
			}
			o.seed = v;
			break;
		case 'O':
			o.output = optarg;
			break;
		case 'h':
			fputs(gen_feed_help, stdout);
			return CLI_OK;
		default:
			return cli_usage_error("gen feed", "bad option");
		}
	}
	if (optind < argc) {
		return cli_usage_error("gen feed", "unexpected argument '%s'", argv[optind]);
	}
	if (o.nzones == 0) {
		return cli_usage_error("gen feed", "--zone is required");
	}
	if (o.absent + o.noise > 1) {
		return cli_usage_error("gen feed", "--absent plus --noise is more than 1");
	}
	ssr_diag_t diag = {0};
	if (ssr_feedgen_write(&o, &diag) != SSR_EOK) {
		cli_error("%s", diag.msg);
		return CLI_FAIL;
	}
	return CLI_OK;
}

static int gen_registrations(int argc, char **argv)
{
	static const struct option lo[] = {{"zone", required_argument, 0, 'z'},
	                                   {"registrars", required_argument, 0, 'r'},
	                                   {"registrar-list", required_argument, 0, 'l'},
	                                   {"date", required_argument, 0, 'd'},
	                                   {"seed", required_argument, 0, 's'},
	                                   {"output", required_argument, 0, 'O'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	const char *zones[MAX_GEN_ZONES];
	ssr_reggen_opts_t o;
	ssr_reggen_defaults(&o);
	o.zones = zones;
	uint64_t v;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'z':
			if (o.nzones == MAX_GEN_ZONES) {
				return cli_usage_error("gen registrations", "more than %d zones",
				                       MAX_GEN_ZONES);
			}
			zones[o.nzones++] = optarg;
			break;
		case 'r':
			if (cli_parse_u64(optarg, &v) != 0 || v == 0 || v > 100000) {
				return cli_usage_error("gen registrations",
				                       "bad --registrars '%s' (1 to 100000)",
				                       optarg);
			}
			o.registrars = (unsigned)v;
			break;
		case 'l':
			o.registrars_output = optarg;
			break;
		case 'd':
			o.date = optarg;
			break;
		case 's':
			if (cli_parse_u64(optarg, &v) != 0) {
				return cli_usage_error("gen registrations", "bad --seed '%s'",
				                       optarg);
			}
			o.seed = v;
			break;
		case 'O':
			o.output = optarg;
			break;
		case 'h':
			fputs(gen_reg_help, stdout);
			return CLI_OK;
		default:
			return cli_usage_error("gen registrations", "bad option");
		}
	}
	if (optind < argc) {
		return cli_usage_error("gen registrations", "unexpected argument '%s'",
		                       argv[optind]);
	}
	if (o.nzones == 0) {
		return cli_usage_error("gen registrations", "--zone is required");
	}
	ssr_diag_t diag = {0};
	if (ssr_reggen_write(&o, &diag) != SSR_EOK) {
		cli_error("%s", diag.msg);
		return CLI_FAIL;
	}
	return CLI_OK;
}

static const char gen_names_help[] =
    "usage: ssrwatch gen names --dir DIR [options]\n"
    "\n"
    "Write DIR/brands.txt (generated protected names), DIR/zone.txt (a TLD zone of filler\n"
    "delegations with planted look-alikes and near-miss innocents) and DIR/truth.csv\n"
    "(domain,brand,kind,expect) for tests and benchmarks of names scan.  Same options, same\n"
    "bytes.\n"
    "\n"
    "options:\n"
    "  --dir DIR           output directory (created if missing)\n"
    "  --tld TLD           the zone (default com)\n"
    "  --brands N          protected names (default 100)\n"
    "  --delegations N     filler delegations (default 10000)\n"
    "  --plants N          look-alikes planted per brand (default 3)\n"
    "  --innocents N       near-miss innocents per brand (default 1)\n"
    "  --seed S            random seed (default 1)\n";

static int gen_names(int argc, char **argv)
{
	static const struct option lo[] = {{"dir", required_argument, 0, 'd'},
	                                   {"tld", required_argument, 0, 't'},
	                                   {"brands", required_argument, 0, 'b'},
	                                   {"delegations", required_argument, 0, 'n'},
	                                   {"plants", required_argument, 0, 'p'},
	                                   {"innocents", required_argument, 0, 'i'},
	                                   {"seed", required_argument, 0, 's'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	ssr_names_gen_opts_t o = {.tld = "com",
	                          .delegations = 10000,
	                          .brands = 100,
	                          .plants = 3,
	                          .innocents = 1,
	                          .seed = 1};
	const char *dir = NULL;
	uint64_t v;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'h') {
			fputs(gen_names_help, stdout);
			return CLI_OK;
		}
		if (c == 'd' || c == 't') {
			*(c == 'd' ? &dir : &o.tld) = optarg;
			continue;
		}
		if (c == '?' || cli_parse_u64(optarg, &v) != 0 || v > 1000000000) {
			return c == '?' ? CLI_USAGE
			                : cli_usage_error("gen names", "bad number '%s'", optarg);
		}
		switch (c) {
		case 'b':
			if (v == 0 || v > 1000000) {
				return cli_usage_error("gen names", "--brands: 1 to 1000000");
			}
			o.brands = (unsigned)v;
			break;
		case 'n':
			o.delegations = v;
			break;
		case 'p':
			o.plants = (unsigned)(v > 20 ? 20 : v);
			break;
		case 'i':
			o.innocents = (unsigned)(v > 20 ? 20 : v);
			break;
		case 's':
			o.seed = v;
			break;
		}
	}
	if (optind < argc || dir == NULL) {
		return cli_usage_error("gen names", "--dir is required");
	}
	ssr_diag_t diag = {0};
	ssr_psl_t *psl = NULL;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		cli_error("gen names: cannot create '%s': %s", dir, strerror(errno));
		return CLI_FAIL;
	}
	char b[4096], z[4096], t[4096];
	snprintf(b, sizeof b, "%s/brands.txt", dir);
	snprintf(z, sizeof z, "%s/zone.txt", dir);
	snprintf(t, sizeof t, "%s/truth.csv", dir);
	int rc = CLI_OK;
	if (ssr_psl_new(NULL, &psl, &diag) != SSR_EOK) {
		rc = CLI_FAIL;
	} else {
		o.psl = psl;
		if (ssr_names_gen(&o, b, z, t, &diag) != SSR_EOK) {
			rc = CLI_FAIL;
		}
	}
	if (rc != CLI_OK) {
		cli_error("%s", diag.msg);
	}
	ssr_psl_free(psl);
	return rc;
}

static int gen_pcap(int argc, char **argv)
{
	static const struct option lo[] = {{"queries", required_argument, 0, 'n'},
	                                   {"seed", required_argument, 0, 's'},
	                                   {"output", required_argument, 0, 'o'},
	                                   {"truth", required_argument, 0, 't'},
	                                   {"root-zone", required_argument, 0, 'r'},
	                                   {"date", required_argument, 0, 'd'},
	                                   {"tcp-holes", required_argument, 0, 'H'},
	                                   {"help", no_argument, 0, 'h'},
	                                   {0, 0, 0, 0}};
	ssr_pcapgen_opts_t o = {.queries = 10000, .seed = 1};
	const char *output = NULL, *truth = NULL;
	uint64_t v;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'h') {
			fputs(
			    "usage: ssrwatch gen pcap --output FILE [--queries N] [--seed S] "
			    "[--date YYYY-MM-DD]\n"
			    "                        [--truth FILE] [--root-zone FILE] "
			    "[--tcp-holes N]\n"
			    "\n"
			    "A deterministic root-server-like capture of one day (pcap, Ethernet; "
			    "default\n"
			    "2026-11-23): IPv4 and IPv6, UDP and TCP (handshakes or not, messages "
			    "split over\n"
			    "segments, reordered and repeated segments), Zipf TLD popularity with "
			    "undelegated\n"
			    "TLDs (.home, .corp, .local), EDNS with and without DO, DNSSEC-sized "
			    "answers\n"
			    "fragmented (a few fragments lost), referrals and NXDOMAINs, one in "
			    "ten "
			    "queries\n"
			    "unanswered, a few malformed messages.  --truth writes the figures it "
			    "must give\n"
			    "(JSON); --root-zone the root zone delegating its TLDs.  --tcp-holes N "
			    "adds N\n"
			    "connections whose client sends each length prefix in a segment of its "
			    "own, with\n"
			    "holes in the capture (the truth counts what must be found again).\n",
			    stdout);
			return CLI_OK;
		}
		if (c == 'o' || c == 't') {
			*(c == 'o' ? &output : &truth) = optarg;
			continue;
		}
		if (c == 'r') {
			o.root_zone = optarg;
			continue;
		}
		if (c == 'd') {
			int32_t day;
			if (ssr_date_parse(optarg, strlen(optarg), &day) != SSR_EOK) {
				return cli_usage_error("gen pcap", "bad date '%s'", optarg);
			}
			o.start = (int64_t)day * 86400;
			continue;
		}
		if (c == '?' || cli_parse_u64(optarg, &v) != 0 || v > 1000000000 ||
		    (c == 'H' && v > 10000)) {
			return c == '?' ? CLI_USAGE
			                : cli_usage_error("gen pcap", "bad number '%s'", optarg);
		}
		if (c == 'H') {
			o.tcp_holes = (unsigned)v;
			continue;
		}
		*(c == 'n' ? &o.queries : &o.seed) = v;
	}
	if (!output || optind < argc) {
		return cli_usage_error("gen pcap", "--output FILE is required");
	}
	ssr_diag_t d = {0};
	json_t *t = NULL;
	if (ssr_pcapgen_write(&o, output, truth ? &t : NULL, &d) != SSR_EOK) {
		cli_error("%s", d.msg);
		return CLI_FAIL;
	}
	if (truth) {
		FILE *f = fopen(truth, "w");
		if (!f || ssr_json_write(t, f) != SSR_EOK || fclose(f) != 0) {
			cli_error("gen pcap: cannot write '%s'", truth);
			json_decref(t);
			return CLI_FAIL;
		}
	}
	json_decref(t);
	return CLI_OK;
}

int cmd_gen(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(
		    "usage: ssrwatch gen zone|abuse|feed|registrations|names [options]\n"
		    "  zone           a realistic TLD zone (--help for options)\n"
		    "  abuse          a sample world for abuse reporting: zones, feeds, "
		    "registrations\n"
		    "  feed           a reputation feed listing delegations of given zones\n"
		    "  registrations  registration data (domain, registrar, created) for given "
		    "zones\n"
		    "  names          brands and a zone with planted look-alikes, and the truth\n",
		    argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "zone") == 0) {
		return gen_zone(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "abuse") == 0) {
		return gen_abuse(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "feed") == 0) {
		return gen_feed(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "registrations") == 0) {
		return gen_registrations(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "names") == 0) {
		return gen_names(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "pcap") == 0) {
		return gen_pcap(argc - 1, argv + 1);
	}
	return cli_usage_error("gen", "unknown gen command '%s'", argv[1]);
}
