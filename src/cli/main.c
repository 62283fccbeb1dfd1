/* ssrwatch — command-line entry point: dispatch only. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ssrwatch/version.h"

static void log_stderr(void *ctx, ssr_log_level_t level, const char *source, const char *msg)
{
	(void)ctx;
	(void)source;
	if (level == SSR_LOG_ERROR) {
		fprintf(stderr, "ssrwatch: %s\n", msg);
	} else {
		fprintf(stderr, "ssrwatch: %s: %s\n", ssr_log_level_name(level), msg);
	}
}

ssr_log_t cli_log = {log_stderr, NULL, SSR_LOG_NOTICE};

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("ssrwatch: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("ssrwatch: ", stderr);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'ssrwatch %s --help'.\n", cmd);
	va_end(ap);
	return CLI_USAGE;
}

int cli_out_open(const char *cmd, const char *path, cli_out_t *o)
{
	o->path = path;
	o->f = stdout;
	if (path == NULL) {
		return CLI_OK;
	}
	struct stat st;
	o->direct = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
	snprintf(o->tmp, sizeof o->tmp, "%s%s", path, o->direct ? "" : ".tmp");
	if ((o->f = fopen(o->tmp, "w")) == NULL) {
		cli_error("%s: cannot write '%s'", cmd, o->tmp);
		return CLI_FAIL;
	}
	return CLI_OK;
}

int cli_out_close(const char *cmd, cli_out_t *o, bool ok)
{
	if (o->f == NULL) {
		return ok ? CLI_OK : CLI_FAIL;
	}
	bool good = !ferror(o->f);
	if (o->path == NULL) {
		good &= fflush(o->f) == 0;
	} else {
		good &= fclose(o->f) == 0;
		if (!o->direct) {
			good = good && ok && rename(o->tmp, o->path) == 0;
			if (!good) {
				unlink(o->tmp);
			}
		}
	}
	o->f = NULL;
	if (ok && !good) {
		cli_error("%s: write failed on '%s'", cmd, o->path ? o->path : "standard output");
	}
	return ok && good ? CLI_OK : CLI_FAIL;
}

int cli_parse_u64(const char *s, uint64_t *out)
{
	if (s == NULL || *s < '0' || *s > '9') {
		return -1;
	}
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0') {
		return -1;
	}
	*out = v;
	return 0;
}

int cli_parse_double(const char *s, double *out)
{
	errno = 0;
	char *end;
	double v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0') {
		return -1;
	}
	*out = v;
	return 0;
}

int cli_parse_format(const char *cmd, const char *s, ssr_format_t *out)
{
	if (ssr_format_parse(s, out) != SSR_EOK) {
		return cli_usage_error(cmd, "unknown format '%s' (table, json or csv)", s);
	}
	return CLI_OK;
}

bool cli_is_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			return true;
		}
	}
	return false;
}

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
	    "  abuse ingest   join zone snapshots with reputation feeds into the store\n"
	    "  abuse report   quarterly abuse report: TLDs, registrars, outliers, prices\n"
	    "  portal serve   the central abuse report portal: intake, routing, inboxes, SLAs\n"
	    "  portal stats   SLA figures per party (time to acknowledge and to act)\n"
	    "  names scan     zone delegations that imitate protected names (homoglyphs, typos)\n"
	    "  names check    which protected names a domain imitates, and how\n"
	    "  names permute  a domain's permutations, as dnstwist's CSV\n"
	    "  traffic stats  RSSAC002 metrics from packet captures (pcap, pcapng)\n"
	    "  recs ...       the recommendation tracker: import, list, show, set, evidence,\n"
	    "                 actions, survey, report (SSR2 Rec 1; SSR1 Recs 19, 27)\n"
	    "  gen zone       generate a realistic TLD zone for tests and benchmarks\n"
	    "  gen abuse      generate a sample abuse world: zones, feeds, registrations, prices\n"
	    "  gen names      generate brands and a zone with planted look-alikes\n"
	    "\n"
	    "options:\n"
	    "  --help         this help; 'ssrwatch <command> --help' for a command\n"
	    "  --version      print the version\n"
	    "  -v, -vv        log info (phase timings), debug messages to stderr\n"
	    "\n"
	    "exit status: 0 ok, 1 failure, 2 usage error\n",
	    out);
}

int main(int argc, char **argv)
{
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
	if (strcmp(cmd, "abuse") == 0) {
		return cmd_abuse(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "portal") == 0) {
		return cmd_portal(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "traffic") == 0) {
		return cmd_traffic(argc - 1, argv + 1);
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
