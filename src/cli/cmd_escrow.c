/* ssrwatch escrow validate: registry data escrow deposits against ICANN's RST StandardRDE checks
 * (SSR2 Rec 26). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/escrow.h"
#include "ssrwatch/report.h"

static const char escrow_help[] =
    "usage: ssrwatch escrow <validate> [options]\n"
    "  validate   deposits against every RST StandardRDE check (rde-01 .. rde-15)\n";

static const char validate_help[] =
    "usage: ssrwatch escrow validate DEPOSIT... [options]\n"
    "\n"
    "Validate registry data escrow deposits (RFC 8909/9022, XML model) with every check of\n"
    "ICANN's RST v2.0 StandardRDE suite and its error codes: file name, OpenPGP signature\n"
    "(DEPOSIT.sig or --signature), decryption (.ryde, with the keyring's secret key), XML\n"
    "well-formedness and XML Schema (the RFC schemas in data/escrow), header and menu URIs,\n"
    "header counts, domain, host, contact, registrar, IDN table, NNDN, EPP parameter and policy\n"
    "objects, references between them, dates against the watermark.  The deposit is streamed\n"
    "(decrypted in memory, never to disk).  Exit status 0 only when every deposit is valid:\n"
    "no code raised and every check ran.\n"
    "\n"
    "options:\n"
    "  --tld TLD               a TLD of the test (rde-01); repeat\n"
    "  --model M               data model: auto (default: from the menu), minimum, maximum,\n"
    "                          per-registrar\n"
    "  --host-model M          auto (default), objects, attributes\n"
    "  --idn-table ID          an IDN table of the TLD (rde-11); repeat\n"
    "  --no-idn-tables         the TLD has no IDN tables\n"
    "  --rst                   the RST test's rules: the deposit must be FULL\n"
    "  --gnupg-home DIR        the keyring: the escrow agent's secret key, the registry's key\n"
    "  --signature FILE        the detached signature (default DEPOSIT with .sig)\n"
    "  --signer FPR            the registry's key (fingerprint); default any key of the keyring\n"
    "  --repo-ids FILE         registered EPP repository IDs, one per line (roid checks)\n"
    "  --registrar-ids FILE    IANA registrar IDs, one per line (gurid checks)\n"
    "  --epp-extensions FILE   EPP extension registry namespace URIs, one per line\n"
    "  --schema FILE           the XML Schema (default data/escrow/escrow.xsd)\n"
    "  --no-schema             skip XML Schema validation (rde-04 then did not run)\n"
    "  --examples N            examples kept per code (5)\n"
    "  --format F              table (default), json, html;  --output FILE\n";

typedef struct {
	cli_list_t tlds, idn;
	int model, hosts, format;
	bool no_idn, rst, no_schema;
	const char *gnupg_home, *signature, *signer, *repo_ids, *registrar_ids, *epp_ext, *schema;
	const char *output;
	unsigned examples;
	int nargs;
} vopts_t;

static const char *const models[] = {"auto", "minimum", "maximum", "per-registrar", NULL};
static const char *const hostmodels[] = {"auto", "objects", "attributes", NULL};
static const char *const formats[] = {"table", "json", "html", NULL};

static const ssr_opt_t validate_opts[] = {
    SSR_OPT_FN("tld", vopts_t, tlds, cli_opt_list),
    SSR_OPT_CHOICE("model", vopts_t, model, "data model", models),
    SSR_OPT_CHOICE("host-model", vopts_t, hosts, "host model", hostmodels),
    SSR_OPT_FN("idn-table", vopts_t, idn, cli_opt_list),
    SSR_OPT_FLAG("no-idn-tables", vopts_t, no_idn),
    SSR_OPT_FLAG("rst", vopts_t, rst),
    SSR_OPT_STR("gnupg-home", vopts_t, gnupg_home),
    SSR_OPT_STR("signature", vopts_t, signature),
    SSR_OPT_STR("signer", vopts_t, signer),
    SSR_OPT_STR("repo-ids", vopts_t, repo_ids),
    SSR_OPT_STR("registrar-ids", vopts_t, registrar_ids),
    SSR_OPT_STR("epp-extensions", vopts_t, epp_ext),
    SSR_OPT_STR("schema", vopts_t, schema),
    SSR_OPT_FLAG("no-schema", vopts_t, no_schema),
    SSR_OPT_UINT("examples", vopts_t, examples, 1, 1000),
    SSR_OPT_CHOICE("format", vopts_t, format, "format", formats),
    SSR_OPT_STR("output", vopts_t, output),
    SSR_OPT_HELP,
};

static int do_validate(int argc, char **argv)
{
	vopts_t o = {0};
	int rc = cli_opts("escrow validate", validate_opts, CLI_NOPTS(validate_opts), &o, argc,
	                  argv, &o.nargs, validate_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.nargs == 0) {
		return cli_usage_error("escrow validate", "give at least one deposit");
	}
	if (o.tlds.n > SSR_RDE_MAX_TLDS || o.idn.n > SSR_ESCROW_MAX_LIST) {
		return cli_usage_error("escrow validate", "too many --tld or --idn-table values");
	}
	if (o.signature && o.nargs > 1) {
		return cli_usage_error("escrow validate", "--signature goes with one deposit");
	}
	ssr_rde_opts_t vo;
	ssr_rde_opts_init(&vo);
	for (size_t i = 0; i < o.tlds.n; i++) {
		vo.tlds[vo.ntlds++] = o.tlds.v[i];
	}
	for (size_t i = 0; i < o.idn.n; i++) {
		vo.idn_tables[vo.nidn_tables++] = o.idn.v[i];
	}
	vo.idn_tables_given = o.idn.n > 0 || o.no_idn;
	vo.model = (ssr_rde_model_t)o.model;
	vo.hosts = (ssr_rde_hosts_t)o.hosts;
	vo.require_full = o.rst;
	vo.gnupg_home = o.gnupg_home;
	vo.signature = o.signature;
	vo.signer = o.signer;
	vo.repo_ids = o.repo_ids;
	vo.registrar_ids = o.registrar_ids;
	vo.epp_extensions = o.epp_ext;
	vo.schema = o.schema;
	vo.no_schema = o.no_schema;
	if (o.examples) {
		vo.examples = o.examples;
	}
	ssr_rde_result_t *res = calloc((size_t)o.nargs, sizeof *res);
	if (!res) {
		cli_error("escrow validate: out of memory");
		return CLI_FAIL;
	}
	rc = CLI_OK;
	size_t done = 0;
	for (int i = 0; i < o.nargs; i++) {
		ssr_diag_t d = {0};
		int e = ssr_rde_validate(argv[1 + i], &vo, &res[done], &d);
		done++;
		if (e != SSR_EOK) {
			cli_error("escrow validate: %s", d.msg);
			rc = CLI_FAIL;
		}
		if (!res[done - 1].valid) {
			rc = CLI_FAIL;
		}
	}
	cli_out_t out;
	if (cli_out_open("escrow validate", o.output, &out) != CLI_OK) {
		rc = CLI_FAIL;
	} else {
		ssr_diag_t d = {0};
		int w = o.format == 1   ? ssr_report_rde_json(res, done, out.f, &d)
		        : o.format == 2 ? ssr_report_rde_html(res, done, out.f)
		                        : ssr_report_rde_table(res, done, out.f);
		if (cli_out_close("escrow validate", &out, w == SSR_EOK) != CLI_OK) {
			rc = CLI_FAIL;
		}
	}
	for (size_t i = 0; i < done; i++) {
		ssr_rde_result_release(&res[i]);
	}
	free(res);
	return rc;
}

int cmd_escrow(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fputs(escrow_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "validate") == 0) {
		return do_validate(argc - 1, argv + 1);
	}
	return cli_usage_error("escrow", "unknown subcommand '%s'", argv[1]);
}
