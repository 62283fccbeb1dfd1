/* ssrwatch zone diff: what changed between two snapshots of a zone; --check audits every
 * changed delegation with the delegation suite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/dname.h"
#include "ssrwatch/report.h"
#include "ssrwatch/zonediff.h"

static const char diff_help[] =
    "usage: ssrwatch zone diff [options] OLD NEW\n"
    "\n"
    "What changed between two snapshots of a zone (plain, .gz or .zst; in any order): delegations\n"
    "added and removed, NS, DS and glue sets changed, the apex (SOA, NS, DNSKEY, ZONEMD, CDS,\n"
    "CDNSKEY, NSEC3PARAM); other RRsets (signatures, NSEC/NSEC3, data) counted, or listed with\n"
    "--all.  Each file is sorted externally in runs of --memory: memory does not grow with the\n"
    "zone.\n"
    "\n"
    "options:\n"
    "  --origin ZONE         the zone (default: the root)\n"
    "  --memory MIB          records held per file before a sorted run is written (256)\n"
    "  --tmp-dir DIR         where the runs go ($TMPDIR or /tmp)\n"
    "  --all                 list every other changed RRset too\n"
    "  --format F            table (default), json or csv;  --output FILE\n"
    "  --check               run every added or changed delegation through the delegation\n"
    "                        suite (delegation check), built from the new zone; exit status 1\n"
    "                        when one does not pass\n"
    "  --check-max N         at most N delegations checked (1000; more is an error)\n"
    "  with --check, as delegation check: --source ADDR --resolver ADDR --suite FILE\n"
    "  --asn-table FILE --allow-private --no-ipv4 --no-ipv6 --now T --timeout-ms N --record F\n";

typedef struct {
	const char *origin, *tmp_dir, *output;
	unsigned memory_mib, check_max;
	bool all, check;
	int format;
	cli_deleg_t dl;
	int nargs;
} zdopts_t;

static const char *const formats[] = {"table", "json", "csv", NULL};

static const ssr_opt_t diff_opts[] = {
    SSR_OPT_STR("origin", zdopts_t, origin),
    SSR_OPT_UINT("memory", zdopts_t, memory_mib, 1, 1u << 20),
    SSR_OPT_STR("tmp-dir", zdopts_t, tmp_dir),
    SSR_OPT_FLAG("all", zdopts_t, all),
    SSR_OPT_CHOICE("format", zdopts_t, format, "format", formats),
    SSR_OPT_STR("output", zdopts_t, output),
    SSR_OPT_FLAG("check", zdopts_t, check),
    SSR_OPT_UINT("check-max", zdopts_t, check_max, 1, 1000000),
    CLI_DELEG_OPTS(zdopts_t, dl),
    SSR_OPT_HELP,
};

typedef struct {
	ssr_zdiff_writer_t *w;
	bool check;
	char **names; /* delegations to check (added or changed), in diff order: distinct */
	size_t n, cap, max;
	json_t *verdicts;
	bool all_passed;
} zd_t;

static int on_change(const ssr_zdiff_change_t *c, void *ctx)
{
	zd_t *z = ctx;
	int rc = ssr_report_zdiff_change(z->w, c);
	if (rc != SSR_EOK || !z->check || c->deleg == NULL || c->kind == SSR_ZDIFF_DELEG_REMOVED ||
	    c->kind == SSR_ZDIFF_OTHER) {
		return rc;
	}
	char name[1100];
	int l = ssr_dname_to_text(c->deleg, name, sizeof name - 1, true);
	if (l < 0) {
		return SSR_EINVAL;
	}
	if (strcmp(name, ".") != 0) {
		memcpy(name + l, ".", 2); /* fully qualified, as libdeleg keeps names */
	}
	if (z->n > 0 && strcmp(z->names[z->n - 1], name) == 0) {
		return SSR_EOK; /* the changes of one delegation come together */
	}
	if (z->n == z->max) {
		return SSR_ELIMIT;
	}
	if (ssr_grow((void **)&z->names, &z->cap, z->n + 1, sizeof(char *)) != SSR_EOK ||
	    (z->names[z->n] = strdup(name)) == NULL) {
		return SSR_ENOMEM;
	}
	z->n++;
	return SSR_EOK;
}

static int on_verdict(const ssr_deleg_change_t *ch, const ssr_deleg_report_t *r, void *ctx)
{
	zd_t *z = ctx;
	json_t *v = ssr_report_deleg_verdict(ch, r);
	if (v == NULL || json_array_append_new(z->verdicts, v) != 0) {
		return SSR_ENOMEM;
	}
	if (r != NULL && !r->passed) {
		z->all_passed = false;
	}
	return SSR_EOK;
}

int cli_zone_diff(int argc, char **argv)
{
	zdopts_t o = {.check_max = 1000};
	int rc = cli_opts("zone diff", diff_opts, CLI_NOPTS(diff_opts), &o, argc, argv, &o.nargs,
	                  diff_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.nargs != 2) {
		return cli_usage_error("zone diff", "two zone files are needed: OLD NEW");
	}
	const char *oldp = argv[1], *newp = argv[2];
	if (o.check && (rc = cli_deleg_setup("zone diff", &o.dl)) != CLI_OK) {
		return rc;
	}
	cli_out_t out;
	if (cli_out_open("zone diff", o.output, &out) != CLI_OK) {
		(void)cli_deleg_release("zone diff", &o.dl);
		return CLI_FAIL;
	}
	zd_t z = {.check = o.check, .max = o.check_max, .all_passed = true};
	ssr_zdiff_opts_t zo = {.origin = o.origin,
	                       .memory = (size_t)(o.memory_mib ? o.memory_mib : 256) << 20,
	                       .tmp_dir = o.tmp_dir,
	                       .all = o.all};
	ssr_zdiff_stats_t st;
	ssr_diag_t d = {0};
	ssr_format_t fmt = o.format == 1   ? SSR_FORMAT_JSON
	                   : o.format == 2 ? SSR_FORMAT_CSV
	                                   : SSR_FORMAT_TABLE;
	int e = ssr_report_zdiff_open(fmt, out.f, oldp, newp, &z.w);
	if (e == SSR_EOK) {
		e = ssr_zdiff(oldp, newp, &zo, on_change, &z, &st, &d);
		if (e == SSR_ELIMIT && d.msg[0] == '\0') {
			snprintf(d.msg, sizeof d.msg,
			         "more than %u delegations changed (--check-max)", o.check_max);
		}
	}
	if (e == SSR_EOK && o.check) {
		z.verdicts = json_array();
		e = z.verdicts ? SSR_EOK : SSR_ENOMEM;
		if (e == SSR_EOK) {
			e = ssr_deleg_audit(newp, o.origin, (const char *const *)z.names, z.n,
			                    &o.dl.s, &o.dl.o, on_verdict, &z, &d);
		}
	}
	if (e != SSR_EOK) {
		cli_error("zone diff: %s", d.msg[0] ? d.msg : ssr_strerror(e));
		rc = CLI_FAIL;
	}
	if (z.w != NULL && ssr_report_zdiff_close(z.w, e == SSR_EOK ? &st : NULL,
	                                          e == SSR_EOK ? z.verdicts : NULL) != SSR_EOK) {
		rc = CLI_FAIL;
	}
	if (e != SSR_EOK) {
		json_decref(z.verdicts);
	}
	if (cli_out_close("zone diff", &out, rc == CLI_OK) != CLI_OK) {
		rc = CLI_FAIL;
	}
	if (cli_deleg_release("zone diff", &o.dl) != CLI_OK) {
		rc = CLI_FAIL;
	}
	if (rc == CLI_OK && o.check && fmt != SSR_FORMAT_JSON) {
		fprintf(stderr, "zone diff: %zu delegation%s checked: %s\n", z.n,
		        z.n == 1 ? "" : "s",
		        z.all_passed ? "all passed" : "NOT all passed (--format json for why)");
	}
	for (size_t i = 0; i < z.n; i++) {
		free(z.names[i]);
	}
	free(z.names);
	if (rc == CLI_OK && !z.all_passed) {
		rc = CLI_FAIL;
	}
	return rc;
}
