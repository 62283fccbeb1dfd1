/* ssrwatch — command-line entry point: dispatch only. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ssrwatch/version.h"

static void usage(FILE *out)
{
	fputs(
	    "usage: ssrwatch [-v|-vv] <command> [options]\n"
	    "\n"
	    "Security, stability and resiliency measurements of the DNS (ICANN SSR2).\n"
	    "\n"
	    "commands:\n"
	    "  zone stats     zone file statistics: delegations, DNSSEC, hosting concentration\n"
	    "  zone history   zone statistics over time from a store\n"
	    "  merge          shard states (--shard I/N --save-state) -> the single run's output\n"
	    "  cluster slurm  a Slurm job array of shards and the merge after it\n"
	    "  abuse ingest   join zone snapshots with reputation feeds into the store\n"
	    "  abuse report   quarterly abuse report: TLDs, registrars, outliers, prices\n"
	    "  portal serve   the central abuse report portal: intake, routing, inboxes, SLAs\n"
	    "  portal stats   SLA figures per party (time to acknowledge and to act)\n"
	    "  names scan     zone delegations that imitate protected names (homoglyphs, typos)\n"
	    "  names check    which protected names a domain imitates, and how\n"
	    "  names permute  a domain's permutations, as dnstwist's CSV\n"
	    "  traffic stats  RSSAC002 metrics from packet captures (pcap, pcapng)\n"
	    "  probe query    ask a server one question (UDP or TCP, any flags and EDNS options),\n"
	    "                 recorded for later re-reading ('probe read')\n"
	    "  regress run    the DNS regression test suite: YAML cases against servers (EDNS\n"
	    "                 compliance, Flag Days), results as a table, JSON or JUnit\n"
	    "  rss measure    RSSAC047 root server measurements from one vantage point (Rec 22)\n"
	    "  rss report     the monthly RSSAC047 report (RSI pass/fail, RSS values) from VP "
	    "states\n"
	    "  delegation check  the technical check of a delegation change: IANA's requirements\n"
	    "                 with Zonemaster and RST equivalents, against the name servers (Rec "
	    "23)\n"
	    "  czds run       zone-data access (CZDS): access, downloads, file checks per TLD (Rec "
	    "25)\n"
	    "  escrow validate  registry data escrow deposits against ICANN's RST StandardRDE "
	    "checks\n"
	    "                 (Rec 26)\n"
	    "  recs ...       the recommendation tracker: import, list, show, set, evidence,\n"
	    "                 actions, survey, report (SSR2 Rec 1; SSR1 Recs 19, 27)\n"
	    "  gen zone       generate a realistic TLD zone for tests and benchmarks\n"
	    "  gen abuse      generate a sample abuse world: zones, feeds, registrations, prices\n"
	    "  gen names      generate brands and a zone with planted look-alikes\n"
	    "  gen escrow     generate an escrow deposit (clean or with known faults) from a zone\n"
	    "\n"
	    "options:\n"
	    "  --help         this help; 'ssrwatch <command> --help' for a command\n"
	    "  --version      print the version\n"
	    "  -v, -vv        log info (phase timings), debug messages to stderr\n"
	    "\n"
	    "exit status: 0 ok, 1 failure, 2 usage error\n",
	    out);
}

/* Transparent huge pages for malloc's large blocks.  The ingest's listing tables, sort arrays
 * and hash buffers are hundreds of MB touched once each; with the kernel's THP in "madvise"
 * mode (Debian's and this project's machines) every 4 KiB of them is a page fault: 123,000 for
 * 2M feed URLs, the largest single cost of the feed phase on a virtual machine (docs/
 * PERFORMANCE.md).  glibc madvises its mapped blocks with the tunable glibc.malloc.hugetlb=1,
 * read only when a process starts: so a command that reads large inputs starts itself once
 * more with it set (~25 ms of start-up, hence not for the others; not for `zone stats` either,
 * whose one large block, the owner runs' buffer, asks for huge pages itself: ssr_mem_hugepages,
 * and which was 7-9% faster without the second start).  Not when the user set
 * GLIBC_TUNABLES, when SSR_HUGEPAGES is set (SSR_HUGEPAGES=0 turns this off), or when THP is
 * "always" or "never"; children (DNS servers the tests start) do not inherit it. */
static void hugepages(int argc, char **argv)
{
	static const char *const heavy[][2] = {
	    {"zone", "diff"},  {"zone", "verify"}, {"abuse", "ingest"},    {"names", "scan"},
	    {"traffic", NULL}, {"merge", NULL},    {"escrow", "validate"}, {"czds", "run"},
	};
	int a = 1;
	while (a < argc && argv[a][0] == '-') {
		a++; /* -v, -vv */
	}
	bool big = false;
	for (size_t k = 0; a < argc && k < sizeof heavy / sizeof heavy[0]; k++) {
		big |= strcmp(argv[a], heavy[k][0]) == 0 &&
		       (heavy[k][1] == NULL ||
		        (a + 1 < argc && strcmp(argv[a + 1], heavy[k][1]) == 0));
	}
	const char *mark = getenv("SSR_HUGEPAGES");
	if (mark != NULL) {
		if (strcmp(mark, "started") == 0) {
			unsetenv("GLIBC_TUNABLES");
			unsetenv("SSR_HUGEPAGES");
		}
		return;
	}
	if (!big || getenv("GLIBC_TUNABLES") != NULL) {
		return;
	}
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char mode[128] = "";
	if (f != NULL) {
		if (fgets(mode, sizeof mode, f) == NULL) {
			mode[0] = '\0';
		}
		fclose(f);
	}
	if (strstr(mode, "[madvise]") == NULL) {
		return;
	}
	if (setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1) == 0 &&
	    setenv("SSR_HUGEPAGES", "started", 1) == 0) {
		execv("/proc/self/exe", argv);
	}
	/* not started again: carry on as we are */
	unsetenv("GLIBC_TUNABLES");
	unsetenv("SSR_HUGEPAGES");
}

int main(int argc, char **argv)
{
	hugepages(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	/* -v: info messages (ingest phase timings and the like), -vv: debug */
	while (argc > 1 && (strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "-vv") == 0)) {
		cli_log.level = strcmp(argv[1], "-v") == 0 ? SSR_LOG_INFO : SSR_LOG_DEBUG;
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("ssrwatch %s\n", SSR_VERSION);
		return CLI_OK;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(cmd, "zone") == 0) {
		return cmd_zone(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "merge") == 0) {
		return cmd_merge(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "cluster") == 0) {
		return cmd_cluster(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "abuse") == 0) {
		return cmd_abuse(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "portal") == 0) {
		return cmd_portal(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "traffic") == 0) {
		return cmd_traffic(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "probe") == 0) {
		return cmd_probe(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "escrow") == 0) {
		return cmd_escrow(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "czds") == 0) {
		return cmd_czds(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "delegation") == 0) {
		return cmd_delegation(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "rss") == 0) {
		return cmd_rss(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "regress") == 0) {
		return cmd_regress(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "recs") == 0) {
		return cmd_recs(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "names") == 0) {
		return cmd_names(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "gen") == 0) {
		return cmd_gen(argc - 1, argv + 1);
	}
	cli_error("unknown command '%s'", cmd);
	usage(stderr);
	return CLI_USAGE;
}
