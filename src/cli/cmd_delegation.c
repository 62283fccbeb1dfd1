/* ssrwatch delegation check: the technical check of a delegation change (SSR2 Rec 23). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/deleg.h"
#include "ssrwatch/date.h"
#include "ssrwatch/report.h"

static const char deleg_help[] =
    "usage: ssrwatch delegation check --zone ZONE --ns NAME[=ADDR[,ADDR]]... [options]\n"
    "\n"
    "Check a zone's proposed delegation (its name servers and DS records) as IANA checks a\n"
    "change of a TLD's NS or DS records: the checks of data/delegation/iana.yaml (IANA's\n"
    "technical requirements with their Zonemaster and ICANN RST equivalents), every name server\n"
    "address asked from every vantage point over UDP and TCP.  Exit status 0 only when no check\n"
    "of severity error or critical failed or could not run; 1 otherwise.\n"
    "\n"
    "options:\n"
    "  --zone ZONE           the zone (required)\n"
    "  --ns NAME[=ADDRS]     a name server, with its addresses (glue) separated by commas,\n"
    "                        each 'ADDR' or 'ADDR:PORT' ('[V6]:PORT'); repeat for each\n"
    "  --ds DS               a DS record 'TAG ALG DIGESTTYPE HEX' (or 'TAG,ALG,TYPE,HEX');\n"
    "                        repeat; --ds-file FILE: DS records, one per line\n"
    "  --source ADDR         a vantage point (source address); repeat (default: the system's)\n"
    "  --resolver ADDR       looks up name servers given without addresses\n"
    "  --suite FILE          another delegation suite\n"
    "  --asn-table FILE      'PREFIX/LEN ASN' lines for the AS diversity check\n"
    "  --allow-private       private, loopback and reserved addresses pass (tests)\n"
    "  --no-ipv4, --no-ipv6  leave out the server addresses of a family\n"
    "  --now T               signature validity at T (YYYY-MM-DDTHH:MM:SSZ)\n"
    "  --timeout-ms N        per query (4000)\n"
    "  --record FILE         every exchange as libprobe records (the evidence's numbers)\n"
    "  --format F            table (default), json or html;  --output FILE\n";

typedef struct {
	const char *zone, *ds_file, *output;
	cli_list_t ns, ds;
	cli_deleg_t dl;
	int format;
	int nargs;
} dopts_t;

static const char *const formats[] = {"table", "json", "html", NULL};

static const ssr_opt_t check_opts[] = {
    SSR_OPT_STR("zone", dopts_t, zone),
    SSR_OPT_FN("ns", dopts_t, ns, cli_opt_list),
    SSR_OPT_FN("ds", dopts_t, ds, cli_opt_list),
    SSR_OPT_STR("ds-file", dopts_t, ds_file),
    CLI_DELEG_OPTS(dopts_t, dl),
    SSR_OPT_CHOICE("format", dopts_t, format, "format", formats),
    SSR_OPT_STR("output", dopts_t, output),
    SSR_OPT_HELP,
};

int cli_deleg_setup(const char *cmd, cli_deleg_t *d)
{
	if (d->sources.n > SSR_DELEG_MAX_SOURCES) {
		return cli_usage_error(cmd, "at most %d --source", SSR_DELEG_MAX_SOURCES);
	}
	for (size_t i = 0; i < d->sources.n; i++) {
		if (ssr_probe_addr_parse(d->sources.v[i], 0, &d->src[i], &d->srclen[i]) !=
		    SSR_EOK) {
			return cli_usage_error(cmd, "bad --source '%s'", d->sources.v[i]);
		}
	}
	if (d->resolver != NULL &&
	    ssr_probe_addr_parse(d->resolver, 53, &d->res, &d->reslen) != SSR_EOK) {
		return cli_usage_error(cmd, "bad --resolver '%s'", d->resolver);
	}
	int64_t now = 0;
	if (d->now != NULL && ssr_time_parse(d->now, &now) != SSR_EOK) {
		return cli_usage_error(cmd, "bad --now '%s'", d->now);
	}
	char path[4096];
	if (d->suite != NULL) {
		snprintf(path, sizeof path, "%s", d->suite);
	} else {
		ssr_deleg_suite_path(path, sizeof path);
	}
	ssr_diag_t e;
	if (ssr_regress_suite_read(path, &d->s, &e) != SSR_EOK) {
		cli_error("%s: %s", cmd, e.msg);
		return CLI_FAIL;
	}
	if (d->record != NULL && ssr_probe_rec_open(d->record, &d->rec, &e) != SSR_EOK) {
		cli_error("%s: %s", cmd, e.msg);
		ssr_regress_suite_release(&d->s);
		return CLI_FAIL;
	}
	d->o = (ssr_deleg_opts_t){.sources = d->src,
	                          .source_lens = d->srclen,
	                          .nsources = (unsigned)d->sources.n,
	                          .no_ipv4 = d->no_ipv4,
	                          .no_ipv6 = d->no_ipv6,
	                          .allow_private = d->allow_private,
	                          .timeout_ms = d->timeout_ms,
	                          .now = now,
	                          .asn_table = d->asn,
	                          .resolver = d->resolver ? &d->res : NULL,
	                          .resolver_len = d->reslen,
	                          .record = d->rec};
	d->ready = true;
	return CLI_OK;
}

int cli_deleg_release(const char *cmd, cli_deleg_t *d)
{
	int rc = CLI_OK;
	ssr_diag_t e;
	if (d->rec != NULL && ssr_probe_rec_close(d->rec, &e) != SSR_EOK) {
		cli_error("%s: %s", cmd, e.msg);
		rc = CLI_FAIL;
	}
	d->rec = NULL;
	if (d->ready) {
		ssr_regress_suite_release(&d->s);
	}
	d->ready = false;
	return rc;
}

/* The DS lines of a file into ch ('#' comments and blank lines skipped). */
static int ds_file(const char *path, ssr_deleg_change_t *ch)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		cli_error("delegation check: ds file '%s': cannot open", path);
		return CLI_FAIL;
	}
	char line[1024];
	unsigned n = 0;
	int rc = CLI_OK;
	while (rc == CLI_OK && fgets(line, sizeof line, f) != NULL) {
		n++;
		line[strcspn(line, "\r\n;")] = '\0';
		const char *p = line + strspn(line, " \t");
		if (*p == '\0' || *p == '#') {
			continue;
		}
		ssr_diag_t d;
		if (ssr_deleg_ds_add(ch, p, &d) != SSR_EOK) {
			cli_error("delegation check: ds file '%s' line %u: %s", path, n, d.msg);
			rc = CLI_FAIL;
		}
	}
	fclose(f);
	return rc;
}

static int do_check(int argc, char **argv)
{
	dopts_t o = {0};
	int rc = cli_opts("delegation check", check_opts, CLI_NOPTS(check_opts), &o, argc, argv,
	                  &o.nargs, deleg_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.nargs > 0) {
		return cli_usage_error("delegation check", "unexpected argument '%s'", argv[1]);
	}
	if (o.zone == NULL || o.ns.n == 0) {
		return cli_usage_error("delegation check",
		                       "--zone and at least one --ns are needed");
	}
	ssr_diag_t d;
	static ssr_deleg_change_t ch;
	if (ssr_deleg_change_init(&ch, o.zone, &d) != SSR_EOK) {
		cli_error("delegation check: %s", d.msg);
		return CLI_USAGE;
	}
	for (size_t i = 0; i < o.ns.n; i++) {
		if (ssr_deleg_ns_add(&ch, o.ns.v[i], &d) != SSR_EOK) {
			cli_error("delegation check: %s", d.msg);
			return CLI_USAGE;
		}
	}
	for (size_t i = 0; i < o.ds.n; i++) {
		if (ssr_deleg_ds_add(&ch, o.ds.v[i], &d) != SSR_EOK) {
			cli_error("delegation check: %s", d.msg);
			return CLI_USAGE;
		}
	}
	if (o.ds_file != NULL && ds_file(o.ds_file, &ch) != CLI_OK) {
		return CLI_FAIL;
	}
	if ((rc = cli_deleg_setup("delegation check", &o.dl)) != CLI_OK) {
		return rc;
	}
	ssr_deleg_report_t rep;
	rc = ssr_deleg_check(&o.dl.s, &ch, &o.dl.o, &rep, &d) == SSR_EOK ? CLI_OK : CLI_FAIL;
	if (rc != CLI_OK) {
		cli_error("delegation check: %s", d.msg);
	}
	cli_out_t out;
	if (rc == CLI_OK && (rc = cli_out_open("delegation check", o.output, &out)) == CLI_OK) {
		int w = o.format == 1   ? ssr_report_deleg_json(&rep, out.f, &d)
		        : o.format == 2 ? ssr_report_deleg_html(&rep, out.f)
		                        : ssr_report_deleg_table(&rep, out.f);
		if (w != SSR_EOK) {
			cli_error("delegation check: cannot write the report: %s", ssr_strerror(w));
		}
		rc = cli_out_close("delegation check", &out, w == SSR_EOK);
	}
	if (rc == CLI_OK && !rep.passed) {
		rc = CLI_FAIL;
	}
	if (rep.checks != NULL) {
		ssr_deleg_report_release(&rep);
	}
	/* the suite after the report (the checks point into it) */
	if (cli_deleg_release("delegation check", &o.dl) != CLI_OK) {
		rc = CLI_FAIL;
	}
	return rc;
}

int cmd_delegation(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(deleg_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "check") == 0) {
		return do_check(argc - 1, argv + 1);
	}
	return cli_usage_error("delegation", "unknown command '%s'", argv[1]);
}
