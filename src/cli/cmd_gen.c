/* ssrwatch gen zone */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/date.h"
#include "ssrwatch/abusegen.h"
#include "ssrwatch/escrowgen.h"
#include "ssrwatch/names.h"
#include "ssrwatch/namesgen.h"
#include "ssrwatch/psl.h"
#include "ssrwatch/report.h"
#include "ssrwatch/pcapgen.h"
#include "ssrwatch/rssgen.h"
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
    "  --signed-delegations  signed as .com is: the apex, an RRSIG on every DS, an opt-out\n"
    "                      NSEC3 chain (an NSEC3 and its RRSIG per signed delegation)\n"
    "  --nsec              with --signed-delegations: an NSEC chain through the apex and\n"
    "                      every delegation (as the root zone has it) instead of NSEC3\n"
    "  --plain             only the one-record-per-line absolute form\n"
    "  --unsorted          the delegations in a shuffled order (registry dumps in insertion\n"
    "                      order): the same records as the sorted zone of the seed\n"
    "  --output FILE       write to FILE instead of standard output\n";

/* A share option: a number from 0 to 1. */
static int opt_share(const char *v, void *member, ssr_diag_t *diag)
{
	double d;
	if (cli_parse_double(v, &d) != 0 || d < 0 || d > 1) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad share '%s' (0 to 1)", v);
	}
	*(double *)member = d;
	return SSR_EOK;
}

/* A zone origin: not empty, no spaces. */
static int opt_origin(const char *v, void *member, ssr_diag_t *diag)
{
	if (*v == '\0' || strchr(v, ' ') != NULL) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad origin '%s'", v);
	}
	*(const char **)member = v;
	return SSR_EOK;
}

/* Parse a gen command's options; CLI_OK, or the exit status (help, usage) in *exit. */
static bool gen_opts(const char *cmd, const ssr_opt_t *t, size_t n, void *base, int argc,
                     char **argv, const char *help, int *exit)
{
	int nargs = 0;
	int rc = cli_opts(cmd, t, n, base, argc, argv, &nargs, help);
	if (rc == CLI_OK && nargs > 0) {
		rc = cli_usage_error(cmd, "unexpected argument '%s'", argv[1]);
	}
	*exit = CLI_EXIT(rc);
	return rc == CLI_OK;
}

typedef struct {
	ssr_zonegen_opts_t o;
	const char *output;
} zone_opts_t;

static const ssr_opt_t zone_opts[] = {
    SSR_OPT_FN("origin", zone_opts_t, o.origin, opt_origin),
    SSR_OPT_U64("delegations", zone_opts_t, o.delegations, 0, 500000000),
    SSR_OPT_U64("seed", zone_opts_t, o.seed, 0, UINT64_MAX),
    SSR_OPT_UINT("hosters", zone_opts_t, o.hosters, 1, 10000000),
    SSR_OPT_FN("ds-share", zone_opts_t, o.ds_share, opt_share),
    SSR_OPT_FN("idn-share", zone_opts_t, o.idn_share, opt_share),
    SSR_OPT_FLAG("signed", zone_opts_t, o.signed_apex),
    SSR_OPT_FLAG("signed-delegations", zone_opts_t, o.signed_delegations),
    SSR_OPT_FLAG("nsec", zone_opts_t, o.nsec),
    SSR_OPT_FLAG("plain", zone_opts_t, o.plain),
    SSR_OPT_FLAG("unsorted", zone_opts_t, o.unsorted),
    SSR_OPT_STR("output", zone_opts_t, output),
    SSR_OPT_HELP,
};

static int gen_zone(int argc, char **argv)
{
	zone_opts_t zo = {.output = NULL};
	ssr_zonegen_defaults(&zo.o);
	int rc;
	if (!gen_opts("gen zone", zone_opts, CLI_NOPTS(zone_opts), &zo, argc, argv, gen_zone_help,
	              &rc)) {
		return rc;
	}
	ssr_zonegen_opts_t o = zo.o;
	const char *output = zo.output;
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

static const ssr_opt_t abuse_opts[] = {
    SSR_OPT_STR("dir", ssr_abusegen_opts_t, dir),
    SSR_OPT_U64("domains", ssr_abusegen_opts_t, domains, 0, 1000000000),
    SSR_OPT_UINT("tlds", ssr_abusegen_opts_t, tlds, 0, 1000000000),
    SSR_OPT_UINT("registrars", ssr_abusegen_opts_t, registrars, 0, 1000000000),
    SSR_OPT_UINT("snapshots", ssr_abusegen_opts_t, snapshots, 0, 1000000000),
    SSR_OPT_UINT("step", ssr_abusegen_opts_t, step_days, 0, 1000000000),
    SSR_OPT_STR("start", ssr_abusegen_opts_t, start),
    SSR_OPT_U64("seed", ssr_abusegen_opts_t, seed, 0, 1000000000),
    SSR_OPT_HELP,
};

static int gen_abuse(int argc, char **argv)
{
	ssr_abusegen_opts_t o;
	ssr_abusegen_defaults(&o);
	int rc;
	if (!gen_opts("gen abuse", abuse_opts, CLI_NOPTS(abuse_opts), &o, argc, argv,
	              gen_abuse_help, &rc)) {
		return rc;
	}
	if (o.dir == NULL) {
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

static int opt_shape(const char *v, void *member, ssr_diag_t *diag)
{
	if (ssr_feedgen_shape_parse(v, member) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "unknown shape '%s' (urls, domains, csv, hosts)", v);
	}
	return SSR_EOK;
}

typedef struct {
	ssr_feedgen_opts_t o;
	cli_list_t zones;
} feed_opts_t;

static const ssr_opt_t feed_opts[] = {
    SSR_OPT_FN("zone", feed_opts_t, zones, cli_opt_list),
    SSR_OPT_U64("entries", feed_opts_t, o.entries, 1, 100000000),
    SSR_OPT_FN("shape", feed_opts_t, o.shape, opt_shape),
    SSR_OPT_FN("absent", feed_opts_t, o.absent, opt_share),
    SSR_OPT_FN("noise", feed_opts_t, o.noise, opt_share),
    SSR_OPT_STR("category", feed_opts_t, o.category),
    SSR_OPT_STR("date", feed_opts_t, o.date),
    SSR_OPT_U64("seed", feed_opts_t, o.seed, 0, UINT64_MAX),
    SSR_OPT_STR("output", feed_opts_t, o.output),
    SSR_OPT_HELP,
};

static int gen_feed(int argc, char **argv)
{
	static feed_opts_t fo;
	memset(&fo, 0, sizeof(fo));
	ssr_feedgen_defaults(&fo.o);
	int rc;
	if (!gen_opts("gen feed", feed_opts, CLI_NOPTS(feed_opts), &fo, argc, argv, gen_feed_help,
	              &rc)) {
		return rc;
	}
	ssr_feedgen_opts_t o = fo.o;
	o.zones = fo.zones.v;
	o.nzones = fo.zones.n;
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

typedef struct {
	ssr_reggen_opts_t o;
	cli_list_t zones;
} reg_opts_t;

static const ssr_opt_t reg_opts[] = {
    SSR_OPT_FN("zone", reg_opts_t, zones, cli_opt_list),
    SSR_OPT_UINT("registrars", reg_opts_t, o.registrars, 1, 100000),
    SSR_OPT_STR("registrar-list", reg_opts_t, o.registrars_output),
    SSR_OPT_STR("date", reg_opts_t, o.date),
    SSR_OPT_U64("seed", reg_opts_t, o.seed, 0, UINT64_MAX),
    SSR_OPT_STR("output", reg_opts_t, o.output),
    SSR_OPT_HELP,
};

static int gen_registrations(int argc, char **argv)
{
	static reg_opts_t ro;
	memset(&ro, 0, sizeof(ro));
	ssr_reggen_defaults(&ro.o);
	int rc;
	if (!gen_opts("gen registrations", reg_opts, CLI_NOPTS(reg_opts), &ro, argc, argv,
	              gen_reg_help, &rc)) {
		return rc;
	}
	ssr_reggen_opts_t o = ro.o;
	o.zones = ro.zones.v;
	o.nzones = ro.zones.n;
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
    "  --seed S            random seed (default 1)\n"
    "\n"
    "With --hosts: host names shaped the way phishing names them, for names check: DIR/brands.txt\n"
    "(the brands phishing imitates most and common-word brands), DIR/hosts.txt (one name per\n"
    "line, as written) and DIR/truth.csv (name,brand,shape,kinds,position,provider,expect):\n"
    "shapes provider-user, provider-deep, throwaway-sub, glued, leet, case, brand-tld and\n"
    "context; near-miss innocents; benign word compounds for the false-positive rate.\n"
    "  --hosts             write the host-name corpus instead of the zone\n"
    "  --per-shape N       look-alikes per shape and near-miss innocents (default 40)\n"
    "  --benign N          benign host names (default 20000)\n"
    "  --dict FILE         word list (default /usr/share/dict/words, Debian's wamerican)\n"
    "  --providers FILE    provider suffixes beside the PSL's private section (default: the\n"
    "                      shipped data/names/providers.txt)\n";

typedef struct {
	ssr_names_gen_opts_t o;
	ssr_names_hosts_opts_t h;
	const char *dir, *providers;
	bool hosts;
} names_opts_t;

static const ssr_opt_t names_opts[] = {
    SSR_OPT_STR("dir", names_opts_t, dir),
    SSR_OPT_STR("tld", names_opts_t, o.tld),
    SSR_OPT_UINT("brands", names_opts_t, o.brands, 1, 1000000),
    SSR_OPT_U64("delegations", names_opts_t, o.delegations, 0, 1000000000),
    SSR_OPT_UINT("plants", names_opts_t, o.plants, 0, 20),
    SSR_OPT_UINT("innocents", names_opts_t, o.innocents, 0, 20),
    SSR_OPT_U64("seed", names_opts_t, o.seed, 0, 1000000000),
    SSR_OPT_FLAG("hosts", names_opts_t, hosts),
    SSR_OPT_UINT("per-shape", names_opts_t, h.per_shape, 1, 100000),
    SSR_OPT_U64("benign", names_opts_t, h.benign, 0, 100000000),
    SSR_OPT_STR("dict", names_opts_t, h.dict),
    SSR_OPT_STR("providers", names_opts_t, providers),
    SSR_OPT_HELP,
};

static int gen_names(int argc, char **argv)
{
	names_opts_t no = {.o = {.tld = "com",
	                         .delegations = 10000,
	                         .brands = 100,
	                         .plants = 3,
	                         .innocents = 1,
	                         .seed = 1},
	                   .h = {.per_shape = 40, .benign = 20000}};
	int rc;
	if (!gen_opts("gen names", names_opts, CLI_NOPTS(names_opts), &no, argc, argv,
	              gen_names_help, &rc)) {
		return rc;
	}
	if (no.dir == NULL) {
		return cli_usage_error("gen names", "--dir is required");
	}
	ssr_names_gen_opts_t o = no.o;
	const char *dir = no.dir;
	ssr_diag_t diag = {0};
	ssr_psl_t *psl = NULL;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		cli_error("gen names: cannot create '%s': %s", dir, strerror(errno));
		return CLI_FAIL;
	}
	char b[4096], z[4096], t[4096];
	snprintf(b, sizeof b, "%s/brands.txt", dir);
	snprintf(z, sizeof z, "%s/%s", dir, no.hosts ? "hosts.txt" : "zone.txt");
	snprintf(t, sizeof t, "%s/truth.csv", dir);
	rc = CLI_OK;
	size_t added = 0;
	if (ssr_psl_new(NULL, &psl, &diag) != SSR_EOK) {
		rc = CLI_FAIL;
	} else if (no.hosts) {
		ssr_names_hosts_opts_t h = no.h;
		h.seed = o.seed;
		h.psl = psl;
		if (ssr_psl_load_providers(psl,
		                           no.providers ? no.providers : ssr_names_providers_path(),
		                           &added, &diag) != SSR_EOK ||
		    ssr_names_gen_hosts(&h, b, z, t, &diag) != SSR_EOK) {
			rc = CLI_FAIL;
		}
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

static const char gen_pcap_help[] =
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
    "holes in the capture (the truth counts what must be found again).\n";

/* A date YYYY-MM-DD as the time of its first second. */
static int opt_day(const char *v, void *member, ssr_diag_t *diag)
{
	int32_t day;
	if (ssr_date_parse(v, strlen(v), &day) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad date '%s'", v);
	}
	*(int64_t *)member = (int64_t)day * 86400;
	return SSR_EOK;
}

typedef struct {
	ssr_pcapgen_opts_t o;
	const char *output, *truth;
} pcap_opts_t;

static const ssr_opt_t pcap_opts[] = {
    SSR_OPT_U64("queries", pcap_opts_t, o.queries, 0, 1000000000),
    SSR_OPT_U64("seed", pcap_opts_t, o.seed, 0, 1000000000),
    SSR_OPT_STR("output", pcap_opts_t, output),
    SSR_OPT_STR("truth", pcap_opts_t, truth),
    SSR_OPT_STR("root-zone", pcap_opts_t, o.root_zone),
    SSR_OPT_FN("date", pcap_opts_t, o.start, opt_day),
    SSR_OPT_UINT("tcp-holes", pcap_opts_t, o.tcp_holes, 0, 10000),
    SSR_OPT_HELP,
};

static int gen_pcap(int argc, char **argv)
{
	pcap_opts_t po = {.o = {.queries = 10000, .seed = 1}};
	int rc;
	if (!gen_opts("gen pcap", pcap_opts, CLI_NOPTS(pcap_opts), &po, argc, argv, gen_pcap_help,
	              &rc)) {
		return rc;
	}
	if (po.output == NULL) {
		return cli_usage_error("gen pcap", "--output FILE is required");
	}
	ssr_pcapgen_opts_t o = po.o;
	const char *output = po.output, *truth = po.truth;
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

static const char rss_relay_help[] =
    "usage: ssrwatch gen rss-relay --plan FILE --rsi FILE --epoch-ms MS [options]\n"
    "\n"
    "The simulated root server system's relay: listen on every RSI's loopback addresses\n"
    "(UDP and TCP), forward each query to the RSI's authoritative server of the plan, apply\n"
    "the plan's faults per RSI and interval (down, delay, stale, alter, badsig, truncate,\n"
    "refused), run the publication command before each planned publication; stop when the\n"
    "plan's last interval has passed.  Every address must be loopback.\n"
    "\n"
    "options:\n"
    "  --plan FILE        the simulation plan (docs/FORMATS.md)\n"
    "  --rsi FILE         the RSIs' frontend addresses (as rss measure reads them)\n"
    "  --epoch-ms MS      the wall time (ms since 1970) of the plan's start\n"
    "  --on-publish CMD   run as 'CMD NEW-ZONE PREVIOUS-ZONE' for each publication\n"
    "  --log FILE         one line per query: interval, RSI, transport, fault\n";

typedef struct {
	const char *plan, *rsi, *on_publish, *log;
	uint64_t epoch_ms;
	int nargs;
} relay_opts_t;

static const ssr_opt_t relay_opts[] = {
    SSR_OPT_STR("plan", relay_opts_t, plan),
    SSR_OPT_STR("rsi", relay_opts_t, rsi),
    SSR_OPT_U64("epoch-ms", relay_opts_t, epoch_ms, 1, UINT64_MAX / 1000),
    SSR_OPT_STR("on-publish", relay_opts_t, on_publish),
    SSR_OPT_STR("log", relay_opts_t, log),
    SSR_OPT_HELP,
};

static int gen_rss_relay(int argc, char **argv)
{
	relay_opts_t o = {0};
	int rc = cli_opts("gen rss-relay", relay_opts, CLI_NOPTS(relay_opts), &o, argc, argv,
	                  &o.nargs, rss_relay_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.plan == NULL || o.rsi == NULL || o.epoch_ms == 0 || o.nargs > 0) {
		return cli_usage_error("gen rss-relay",
		                       "--plan, --rsi and --epoch-ms are required");
	}
	static ssr_rssgen_plan_t plan;
	ssr_rss_rsi_t rsi[SSR_RSS_MAX_RSI];
	size_t nrsi;
	ssr_diag_t d;
	if (ssr_rssgen_plan_load(o.plan, &plan, &d) != SSR_EOK ||
	    ssr_rss_rsi_load(o.rsi, rsi, SSR_RSS_MAX_RSI, &nrsi, &d) != SSR_EOK) {
		cli_error("gen rss-relay: %s", d.msg);
		return CLI_FAIL;
	}
	ssr_rssgen_relay_opts_t ro = {.plan = &plan,
	                              .rsi = rsi,
	                              .nrsi = nrsi,
	                              .epoch_us = (int64_t)o.epoch_ms * 1000,
	                              .on_publish = o.on_publish,
	                              .log_path = o.log,
	                              .log = &cli_log};
	if (ssr_rssgen_relay_run(&ro, &d) != SSR_EOK) {
		cli_error("gen rss-relay: %s", d.msg);
		return CLI_FAIL;
	}
	return CLI_OK;
}

static const char rss_states_help[] =
    "usage: ssrwatch gen rss-states --month YYYY-MM --out DIR [options]\n"
    "\n"
    "Generated RSSAC047 VP states (DIR/vpNN-YYYY-MM.state) for tests and benchmarks: every\n"
    "RSI answering over every transport with a spread of latencies, new serials twice a day.\n"
    "\n"
    "options:\n"
    "  --vps N             vantage points (20)\n"
    "  --rsis N            RSIs a, b, ... (13)\n"
    "  --days N            only the month's first N days (default: all of it)\n"
    "  --timeouts PERMILLE queries that time out, per thousand (5)\n"
    "  --seed N            (1)\n";

typedef struct {
	const char *month, *out;
	unsigned vps, rsis, days, timeouts;
	uint64_t seed;
	int nargs;
} states_opts_t;

static const ssr_opt_t states_opts[] = {
    SSR_OPT_STR("month", states_opts_t, month),
    SSR_OPT_STR("out", states_opts_t, out),
    SSR_OPT_UINT("vps", states_opts_t, vps, 1, 1000),
    SSR_OPT_UINT("rsis", states_opts_t, rsis, 1, 26),
    SSR_OPT_UINT("days", states_opts_t, days, 1, 31),
    SSR_OPT_UINT("timeouts", states_opts_t, timeouts, 0, 1000),
    SSR_OPT_U64("seed", states_opts_t, seed, 1, UINT64_MAX),
    SSR_OPT_HELP,
};

static int gen_rss_states(int argc, char **argv)
{
	states_opts_t o = {.vps = 20, .rsis = 13, .timeouts = 5, .seed = 1};
	int rc = cli_opts("gen rss-states", states_opts, CLI_NOPTS(states_opts), &o, argc, argv,
	                  &o.nargs, rss_states_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.month == NULL || o.out == NULL || o.nargs > 0) {
		return cli_usage_error("gen rss-states", "--month and --out are required");
	}
	if (mkdir(o.out, 0755) != 0 && errno != EEXIST) {
		cli_error("gen rss-states: cannot create '%s'", o.out);
		return CLI_FAIL;
	}
	ssr_rssgen_states_opts_t g = {.month = o.month,
	                              .vps = o.vps,
	                              .nrsi = o.rsis,
	                              .seed = o.seed,
	                              .serial_every = 144,
	                              .correctness = true,
	                              .days = o.days,
	                              .timeout_permille = o.timeouts};
	ssr_diag_t d;
	if (ssr_rssgen_states(&g, o.out, &d) != SSR_EOK) {
		cli_error("gen rss-states: %s", d.msg);
		return CLI_FAIL;
	}
	return CLI_OK;
}

static const char gen_escrow_help[] =
    "usage: ssrwatch gen escrow --zone FILE --tld TLD --dir DIR [options]\n"
    "\n"
    "Write a deterministic registry data escrow deposit (RFC 8909/9022, XML model, FULL) from a\n"
    "zone: every delegation a domain object (NS, DS), its name servers host objects (in-zone\n"
    "ones with their glue), registrars, contacts, IDN tables, NNDNs, EPP parameters, a policy\n"
    "and the header.  DIR/TLD_DATE_full_S1_R0.xml, or with --encrypt .ryde (a tar, OpenPGP-\n"
    "encrypted to a test key the keyring gets when it has none) and .sig (signed by it).\n"
    "\n"
    "options:\n"
    "  --zone FILE          the zone (sorted, as gen zone writes it)\n"
    "  --tld TLD            its origin\n"
    "  --dir DIR            where the deposit goes\n"
    "  --date YYYY-MM-DD    the watermark day (2026-01-01)\n"
    "  --registrars N       (20)   --contacts N (10)   --idn-tables N (2)   --nndn N (3)\n"
    "  --minimum            the minimum data model (no contacts)\n"
    "  --host-attributes    the host attribute model (no host objects)\n"
    "  --repo ID            the roids' repository ID (SSRW)\n"
    "  --seed S             (1)\n"
    "  --fault NAME         plant a fault that raises exactly one RST code; repeat; one of:\n"
    "                       count menu-uri registrar contact registrant host crdate exdate\n"
    "                       duplicate roid status schema host-addr host-ip email cc postalinfo\n"
    "                       gurid nndn idn epp-ext policy truncated doctype signature filename\n"
    "  --diff-from ZONE     write a DIFF deposit instead: the changes from ZONE (older) to\n"
    "                       --zone (deletes for removed delegations, changed ones in full)\n"
    "  --prev-id ID         the DIFF's prevId (default: the day before's id)\n"
    "  --encrypt            RyDE: .ryde + .sig\n"
    "  --gnupg-home DIR     the keyring for --encrypt\n";

typedef struct {
	ssr_escrowgen_opts_t o;
	cli_list_t faults;
} escrowgen_cli_t;

static const ssr_opt_t escrow_opts[] = {
    SSR_OPT_STR("zone", escrowgen_cli_t, o.zone),
    SSR_OPT_STR("tld", escrowgen_cli_t, o.tld),
    SSR_OPT_STR("dir", escrowgen_cli_t, o.dir),
    SSR_OPT_FN("date", escrowgen_cli_t, o.date, cli_opt_date),
    SSR_OPT_UINT("registrars", escrowgen_cli_t, o.registrars, 1, 100000),
    SSR_OPT_UINT("contacts", escrowgen_cli_t, o.contacts, 1, 100000000),
    SSR_OPT_UINT("idn-tables", escrowgen_cli_t, o.idn_tables, 0, 64),
    SSR_OPT_UINT("nndn", escrowgen_cli_t, o.nndn, 0, 100000000),
    SSR_OPT_FLAG("minimum", escrowgen_cli_t, o.minimum),
    SSR_OPT_FLAG("host-attributes", escrowgen_cli_t, o.host_attributes),
    SSR_OPT_STR("repo", escrowgen_cli_t, o.repo),
    SSR_OPT_U64("seed", escrowgen_cli_t, o.seed, 0, UINT64_MAX),
    SSR_OPT_FN("fault", escrowgen_cli_t, faults, cli_opt_list),
    SSR_OPT_STR("diff-from", escrowgen_cli_t, o.diff_from),
    SSR_OPT_STR("prev-id", escrowgen_cli_t, o.prev_id),
    SSR_OPT_FLAG("encrypt", escrowgen_cli_t, o.encrypt),
    SSR_OPT_STR("gnupg-home", escrowgen_cli_t, o.gnupg_home),
    SSR_OPT_HELP,
};

static int gen_escrow(int argc, char **argv)
{
	escrowgen_cli_t c = {0};
	ssr_escrowgen_defaults(&c.o);
	int rc;
	if (!gen_opts("gen escrow", escrow_opts, CLI_NOPTS(escrow_opts), &c, argc, argv,
	              gen_escrow_help, &rc)) {
		return rc;
	}
	if (!c.o.zone || !c.o.tld || !c.o.dir) {
		return cli_usage_error("gen escrow", "--zone, --tld and --dir are required");
	}
	if (c.faults.n > SSR_ESCROWGEN_MAX_FAULTS) {
		return cli_usage_error("gen escrow", "at most %d faults", SSR_ESCROWGEN_MAX_FAULTS);
	}
	for (size_t i = 0; i < c.faults.n; i++) {
		c.o.faults[c.o.nfaults++] = c.faults.v[i];
	}
	ssr_escrowgen_result_t r;
	ssr_diag_t d = {0};
	if (ssr_escrowgen_write(&c.o, &r, &d) != SSR_EOK) {
		cli_error("%s", d.msg);
		return CLI_FAIL;
	}
	printf("%s: %llu domains, %llu hosts, %llu contacts, %llu registrars, %llu XML bytes%s%s\n",
	       r.path, (unsigned long long)r.domains, (unsigned long long)r.hosts,
	       (unsigned long long)r.contacts, (unsigned long long)r.registrars,
	       (unsigned long long)r.bytes, r.sig[0] ? ", signature " : "", r.sig);
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
		    "  names          brands and a zone with planted look-alikes, and the truth\n"
		    "  escrow         an escrow deposit from a zone (clean or with known faults)\n"
		    "  rss-relay      the simulated root server system's fault-injecting relay\n"
		    "  rss-states     generated RSSAC047 VP states (tests, benchmarks)\n",
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
	if (strcmp(argv[1], "escrow") == 0) {
		return gen_escrow(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "pcap") == 0) {
		return gen_pcap(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "rss-states") == 0) {
		return gen_rss_states(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "rss-relay") == 0) {
		return gen_rss_relay(argc - 1, argv + 1);
	}
	return cli_usage_error("gen", "unknown gen command '%s'", argv[1]);
}
