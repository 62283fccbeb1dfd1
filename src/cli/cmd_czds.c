/* ssrwatch czds run | report: zone-data access monitoring (SSR2 Rec 25). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/czds.h"
#include "ssrwatch/report.h"
#include "ssrwatch/store.h"

static const char czds_help[] =
    "usage: ssrwatch czds <run|report> [options]\n"
    "  run     one day's run against the CZDS API: access, downloads, checks (a row per TLD)\n"
    "  report  availability per TLD over the stored days\n";

static const char run_help[] =
    "usage: ssrwatch czds run --dir DIR [options]\n"
    "\n"
    "Authenticate to ICANN's CZDS, list the account's access requests and download links,\n"
    "warn of access expiring within --warn-days (and with --extend request the extension),\n"
    "download every approved zone to DIR/DAY/TLD.zone.gz (a partial file of an earlier try is\n"
    "resumed), check it end to end (gzip and zone parse completely, the size is the announced\n"
    "one, ZONEMD verified where present, the SOA serial against the live one from\n"
    "--soa-server), and record one row per TLD.  Exit status 1 when a TLD has an error.\n"
    "\n"
    "options:\n"
    "  --dir DIR             where the zone files go (required)\n"
    "  --auth-url URL        the account API (https://account-api.icann.org)\n"
    "  --czds-url URL        the CZDS API (https://czds-api.icann.org)\n"
    "  --username U          the ICANN account (or CZDS_USERNAME)\n"
    "  --password-file F     its password, first line of F (or CZDS_PASSWORD)\n"
    "  --tld TLD             only this TLD; repeat (default: every TLD of the account)\n"
    "  --day YYYY-MM-DD      the day recorded (default: today, UTC)\n"
    "  --warn-days N         warn of access expiring within N days (30)\n"
    "  --extend              request the extension of access expiring within --warn-days\n"
    "  --request-reason TEXT request access for TLDs without it, with this reason\n"
    "  --expected-hour H     a file is on time when modified by H:00 UTC of the day (6)\n"
    "  --soa-server TLD=ADDR where to ask the TLD's live SOA serial; repeat\n"
    "  --timeout-s N         per API request (60; downloads 100x)\n"
    "  --ca-file F           trusted CAs for HTTPS\n"
    "  --store DB            keep the rows (the tracker's live evidence of Rec 25)\n"
    "  --format F            table (default) or json;  --output FILE\n";

static const char report_help[] =
    "usage: ssrwatch czds report --store DB [--from DAY] [--to DAY] [--format F] [--output F]\n"
    "\n"
    "Availability per TLD over the stored days: days, complete downloads, on time, fresh\n"
    "(serial as live), stale, without access, ZONEMD valid, the last status and error.\n"
    "Formats: table (default), json, csv, html.\n";

typedef struct {
	const char *dir, *auth_url, *czds_url, *username, *password_file, *day, *request_reason;
	const char *ca_file, *store, *output, *from, *to;
	cli_list_t tlds, soa;
	unsigned warn_days, expected_hour, timeout_s;
	bool extend;
	int format;
	int nargs;
} copts_t;

static const char *const run_formats[] = {"table", "json", NULL};
static const char *const report_formats[] = {"table", "json", "csv", "html", NULL};

static const ssr_opt_t run_opts[] = {
    SSR_OPT_STR("dir", copts_t, dir),
    SSR_OPT_STR("auth-url", copts_t, auth_url),
    SSR_OPT_STR("czds-url", copts_t, czds_url),
    SSR_OPT_STR("username", copts_t, username),
    SSR_OPT_STR("password-file", copts_t, password_file),
    SSR_OPT_FN("tld", copts_t, tlds, cli_opt_list),
    SSR_OPT_FN("day", copts_t, day, cli_opt_date),
    SSR_OPT_UINT("warn-days", copts_t, warn_days, 1, 3650),
    SSR_OPT_FLAG("extend", copts_t, extend),
    SSR_OPT_STR("request-reason", copts_t, request_reason),
    SSR_OPT_UINT("expected-hour", copts_t, expected_hour, 1, 23),
    SSR_OPT_FN("soa-server", copts_t, soa, cli_opt_list),
    SSR_OPT_UINT("timeout-s", copts_t, timeout_s, 1, 3600),
    SSR_OPT_STR("ca-file", copts_t, ca_file),
    SSR_OPT_STR("store", copts_t, store),
    SSR_OPT_CHOICE("format", copts_t, format, "format", run_formats),
    SSR_OPT_STR("output", copts_t, output),
    SSR_OPT_HELP,
};

static const ssr_opt_t report_opts[] = {
    SSR_OPT_STR("store", copts_t, store),
    SSR_OPT_FN("from", copts_t, from, cli_opt_date),
    SSR_OPT_FN("to", copts_t, to, cli_opt_date),
    SSR_OPT_CHOICE("format", copts_t, format, "format", report_formats),
    SSR_OPT_STR("output", copts_t, output),
    SSR_OPT_HELP,
};

static void log_to_cli(void *ctx, ssr_log_level_t level, const char *source, const char *msg)
{
	(void)ctx;
	ssr_log(&cli_log, level, source, "%s", msg);
}

static int do_run(int argc, char **argv)
{
	copts_t o = {0};
	int rc =
	    cli_opts("czds run", run_opts, CLI_NOPTS(run_opts), &o, argc, argv, &o.nargs, run_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.nargs > 0 || o.dir == NULL) {
		return cli_usage_error("czds run", "--dir is needed, and no arguments");
	}
	char password[1024] = "";
	const char *pw = getenv("CZDS_PASSWORD");
	if (o.password_file != NULL) {
		FILE *f = fopen(o.password_file, "r");
		if (f == NULL || fgets(password, sizeof password, f) == NULL) {
			if (f) {
				fclose(f);
			}
			cli_error("czds run: cannot read the password file '%s'", o.password_file);
			return CLI_FAIL;
		}
		fclose(f);
		password[strcspn(password, "\r\n")] = '\0';
		pw = password;
	}
	ssr_czds_opts_t co = {
	    .auth_url = o.auth_url ? o.auth_url : "https://account-api.icann.org",
	    .czds_url = o.czds_url ? o.czds_url : "https://czds-api.icann.org",
	    .username = o.username ? o.username : getenv("CZDS_USERNAME"),
	    .password = pw,
	    .dir = o.dir,
	    .day = o.day,
	    .tlds = o.tlds.n ? o.tlds.v : NULL,
	    .ntlds = o.tlds.n,
	    .warn_days = o.warn_days,
	    .extend = o.extend,
	    .request_reason = o.request_reason,
	    .expected_hour = o.expected_hour,
	    .timeout_s = o.timeout_s,
	    .soa_servers = o.soa.v,
	    .nsoa = o.soa.n,
	    .ca_file = o.ca_file,
	    .log = log_to_cli,
	};
	if (co.username == NULL || co.password == NULL) {
		return cli_usage_error("czds run",
		                       "--username and --password-file (or CZDS_USERNAME "
		                       "and CZDS_PASSWORD) are needed");
	}
	ssr_diag_t d;
	ssr_store_t *st = NULL;
	if (o.store != NULL && ssr_store_open(o.store, &st, &d) != SSR_EOK) {
		cli_error("czds run: %s", d.msg);
		return CLI_FAIL;
	}
	ssr_czds_day_t *days = NULL;
	size_t n = 0;
	int e = ssr_czds_run(&co, st, &days, &n, &d);
	if (e != SSR_EOK) {
		cli_error("czds run: %s", d.msg);
		rc = CLI_FAIL;
	}
	cli_out_t out;
	if (days != NULL && cli_out_open("czds run", o.output, &out) == CLI_OK) {
		int w = o.format == 1 ? ssr_report_czds_day_json(days, n, out.f, &d)
		                      : ssr_report_czds_day_table(days, n, out.f);
		if (cli_out_close("czds run", &out, w == SSR_EOK) != CLI_OK) {
			rc = CLI_FAIL;
		}
	} else if (days != NULL) {
		rc = CLI_FAIL;
	}
	for (size_t i = 0; i < n; i++) {
		if (days[i].row.error[0] != '\0') {
			rc = CLI_FAIL;
		}
	}
	free(days);
	ssr_store_free(st);
	return rc;
}

static int do_report(int argc, char **argv)
{
	copts_t o = {0};
	int rc = cli_opts("czds report", report_opts, CLI_NOPTS(report_opts), &o, argc, argv,
	                  &o.nargs, report_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.nargs > 0 || o.store == NULL) {
		return cli_usage_error("czds report", "--store is needed, and no arguments");
	}
	ssr_diag_t d;
	ssr_store_t *st = NULL;
	if (ssr_store_open_existing(o.store, &st, &d) != SSR_EOK) {
		cli_error("czds report: %s", d.msg);
		return CLI_FAIL;
	}
	ssr_czds_avail_t *a = NULL;
	size_t n = 0;
	if (ssr_czds_availability(st, o.from, o.to, &a, &n, &d) != SSR_EOK) {
		cli_error("czds report: %s", d.msg);
		ssr_store_free(st);
		return CLI_FAIL;
	}
	cli_out_t out;
	if (cli_out_open("czds report", o.output, &out) == CLI_OK) {
		int w = ssr_report_czds_avail(a, n, o.format, out.f, &d);
		rc = cli_out_close("czds report", &out, w == SSR_EOK);
	} else {
		rc = CLI_FAIL;
	}
	free(a);
	ssr_store_free(st);
	return rc;
}

int cmd_czds(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(czds_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "run") == 0) {
		return do_run(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "report") == 0) {
		return do_report(argc - 1, argv + 1);
	}
	return cli_usage_error("czds", "unknown command '%s'", argv[1]);
}
