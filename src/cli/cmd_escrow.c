/* ssrwatch escrow validate: registry data escrow deposits against ICANN's RST StandardRDE checks
 * (SSR2 Rec 26). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/escrow.h"
#include "ssrwatch/escrowrestore.h"
#include "ssrwatch/escrowstore.h"
#include "ssrwatch/date.h"
#include "ssrwatch/store.h"
#include <time.h>
#include "ssrwatch/jsonout.h"
#include "ssrwatch/report.h"

static const char escrow_help[] =
    "usage: ssrwatch escrow <validate|restore|reconcile|drill> [options]\n"
    "  validate   deposits against every RST StandardRDE check (rde-01 .. rde-15)\n"
    "  restore    the TLD zone from the last FULL deposit and the later DIFF/INCR deposits\n"
    "  reconcile  the discrepancies between deposits and a zone file (the EBERO listing)\n"
    "  drill      the timed restore drill: restore, sign, serve on loopback, verify\n";

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
    "  --schema-inline         validate the schema in the parsing thread (default: a second\n"
    "                          thread runs the schema pass beside the parse)\n"
    "  --examples N            examples kept per code (5)\n"
    "  --store DB              keep a row per deposit (date, codes, valid)\n"
    "  --format F              table (default), json, html;  --output FILE\n";

typedef struct {
	cli_list_t tlds, idn;
	int model, hosts, format;
	bool no_idn, rst, no_schema, schema_inline;
	const char *gnupg_home, *signature, *signer, *repo_ids, *registrar_ids, *epp_ext, *schema;
	const char *output, *store;
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
    SSR_OPT_FLAG("schema-inline", vopts_t, schema_inline),
    SSR_OPT_UINT("examples", vopts_t, examples, 1, 1000),
    SSR_OPT_STR("store", vopts_t, store),
    SSR_OPT_CHOICE("format", vopts_t, format, "format", formats),
    SSR_OPT_STR("output", vopts_t, output),
    SSR_OPT_HELP,
};

static void now_text(char out[21])
{
	ssr_time_format((int64_t)time(NULL), out);
}

static int store_checks(const char *path, const ssr_rde_result_t *res, size_t n)
{
	ssr_store_t *st = NULL;
	ssr_diag_t d = {0};
	if (ssr_store_open(path, &st, &d) != SSR_EOK) {
		cli_error("escrow validate: %s", d.msg);
		return CLI_FAIL;
	}
	int rc = CLI_OK;
	char when[21];
	now_text(when);
	for (size_t i = 0; i < n && rc == CLI_OK; i++) {
		ssr_escrow_check_row_t row;
		ssr_rde_result_row(&res[i], when, &row);
		if (ssr_store_escrow_check_put(st, &row, &d) != SSR_EOK) {
			cli_error("escrow validate: %s", d.msg);
			rc = CLI_FAIL;
		}
	}
	ssr_store_free(st);
	return rc;
}

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
	vo.schema_inline = o.schema_inline;
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
	if (o.store && store_checks(o.store, res, done) != CLI_OK) {
		rc = CLI_FAIL;
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

static const char restore_help[] =
    "usage: ssrwatch escrow restore --deposit FILE... --apex ZONE --out FILE [options]\n"
    "\n"
    "Rebuild the TLD zone from escrow deposits: the last FULL deposit plus the DIFF/INCR\n"
    "deposits after it (in watermark order; a later resend replaces an earlier one; a DIFF\n"
    "whose prevId does not chain is an error).  Delegations (NS), DS and the glue of in-zone\n"
    "hosts under delegated domains come from the deposits; domains on clientHold/serverHold or\n"
    "without name servers stay out; the apex (SOA, NS, ... without DNSSEC records) and the\n"
    "addresses of in-zone apex name servers come from --apex.\n"
    "\n"
    "options:\n"
    "  --deposit FILE      a deposit (.xml, .tar, .ryde); repeat\n"
    "  --apex ZONE         the zone file the apex is taken from (the last zone file)\n"
    "  --out FILE          the zone written\n"
    "  --held FILE         also write the names kept out for their status\n"
    "  --serial N          the SOA serial (default: the apex file's)\n"
    "  --ttl N             TTL of NS and glue (172800; DS at most 86400)\n"
    "  --allow-gaps        apply DIFFs that do not chain\n"
    "  --gnupg-home DIR    the keyring for .ryde deposits\n"
    "  --format F          table (default) or json;  --output FILE (the summary)\n";

static const char reconcile_help[] =
    "usage: ssrwatch escrow reconcile --deposit FILE... --zone ZONE [options]\n"
    "\n"
    "The EBERO's discrepancy listing between the deposits and the last zone file, by category\n"
    "with counts and examples: delegated in the zone and not in the deposit, the reverse,\n"
    "delegated in the zone though the deposit's status keeps it out (clientHold, serverHold),\n"
    "NS sets, DS sets and host addresses (glue) that differ.  Both sides are streamed (the\n"
    "zone diff's external sort).  Exit status 1 when there is a discrepancy.\n"
    "\n"
    "options:\n"
    "  --deposit FILE      a deposit; repeat (FULL + later DIFF/INCR)\n"
    "  --zone ZONE         the zone file\n"
    "  --memory MiB        sort memory per side (256)\n"
    "  --tmp-dir DIR       for the sort runs and the restored zone\n"
    "  --allow-gaps, --gnupg-home DIR as for restore\n"
    "  --format F          table (default) or json;  --output FILE\n";

static const char drill_help[] =
    "usage: ssrwatch escrow drill --deposit FILE... --apex ZONE --dir DIR\n"
    "                             (--compare-zone ZONE | --compare-server ADDR[#PORT]) [options]\n"
    "\n"
    "The EBERO restore drill, timed: restore the zone from the deposits (decrypt, parse,\n"
    "build), sign it when keys are given (ldns-signzone, NSEC3), serve it on loopback with\n"
    "Knot DNS or NSD (load), ask every delegation its NS referral and DS (verify) and compare\n"
    "with the original zone or the original server.  Reports each phase and the time from\n"
    "deposit to a correctly answering server against the 4-hour DNS threshold.  Exit status 0\n"
    "when every delegation answers like the original within the threshold.\n"
    "\n"
    "options:\n"
    "  --deposit FILE        a deposit; repeat\n"
    "  --apex ZONE           where the apex comes from\n"
    "  --dir DIR             working directory (the restored zone, the server's files)\n"
    "  --compare-zone ZONE   expected answers from this zone file\n"
    "  --compare-server A    or from the original server at A[#PORT]\n"
    "  --server S            knot (default) or nsd\n"
    "  --listen ADDR         loopback address to serve on (127.0.0.1)\n"
    "  --port N              (5353)\n"
    "  --sign-key K          an ldns-signzone key (K<zone>.+<alg>+<tag>); repeat\n"
    "  --max-delegations N   check only the first N delegations (default every one)\n"
    "  --timeout-ms N        per query (2000)\n"
    "  --load-timeout-s N    for the server to answer (600)\n"
    "  --threshold-s N       the DNS availability threshold (14400: 4 hours)\n"
    "  --serial N, --allow-gaps, --gnupg-home DIR as for restore\n"
    "  --store DB            keep the drill (the tracker's live figure of Rec 26)\n"
    "  --format F            table (default) or json;  --output FILE\n";

typedef struct {
	cli_list_t deposits, keys;
	const char *apex, *out, *held, *gnupg_home, *zone, *tmp_dir, *dir, *compare_zone,
	    *compare_server, *server, *listen, *output, *store;
	unsigned serial, ttl, memory, port, max_deleg, timeout_ms, load_timeout_s, threshold_s;
	bool allow_gaps;
	int format;
	int nargs;
} ropts_t;

static const char *const rformats[] = {"table", "json", NULL};

#define RESTORE_COMMON                                                                             \
	SSR_OPT_FN("deposit", ropts_t, deposits, cli_opt_list),                                    \
	    SSR_OPT_STR("gnupg-home", ropts_t, gnupg_home),                                        \
	    SSR_OPT_FLAG("allow-gaps", ropts_t, allow_gaps),                                       \
	    SSR_OPT_CHOICE("format", ropts_t, format, "format", rformats),                         \
	    SSR_OPT_STR("output", ropts_t, output), SSR_OPT_HELP

static const ssr_opt_t restore_opts[] = {
    SSR_OPT_STR("apex", ropts_t, apex),
    SSR_OPT_STR("out", ropts_t, out),
    SSR_OPT_STR("held", ropts_t, held),
    SSR_OPT_UINT("serial", ropts_t, serial, 1, 4294967295u),
    SSR_OPT_UINT("ttl", ropts_t, ttl, 1, 2147483647u),
    RESTORE_COMMON,
};

static const ssr_opt_t reconcile_opts[] = {
    SSR_OPT_STR("zone", ropts_t, zone),
    SSR_OPT_UINT("memory", ropts_t, memory, 1, 1048576),
    SSR_OPT_STR("tmp-dir", ropts_t, tmp_dir),
    RESTORE_COMMON,
};

static const ssr_opt_t drill_opts[] = {
    SSR_OPT_STR("apex", ropts_t, apex),
    SSR_OPT_STR("dir", ropts_t, dir),
    SSR_OPT_STR("compare-zone", ropts_t, compare_zone),
    SSR_OPT_STR("compare-server", ropts_t, compare_server),
    SSR_OPT_STR("server", ropts_t, server),
    SSR_OPT_STR("listen", ropts_t, listen),
    SSR_OPT_UINT("port", ropts_t, port, 1, 65535),
    SSR_OPT_FN("sign-key", ropts_t, keys, cli_opt_list),
    SSR_OPT_UINT("max-delegations", ropts_t, max_deleg, 1, 4294967295u),
    SSR_OPT_UINT("timeout-ms", ropts_t, timeout_ms, 1, 60000),
    SSR_OPT_UINT("load-timeout-s", ropts_t, load_timeout_s, 1, 86400),
    SSR_OPT_UINT("threshold-s", ropts_t, threshold_s, 1, 2592000),
    SSR_OPT_UINT("serial", ropts_t, serial, 1, 4294967295u),
    SSR_OPT_STR("store", ropts_t, store),
    RESTORE_COMMON,
};

static int restore_common(const char *cmd, const ropts_t *o, ssr_escrow_restore_opts_t *ro)
{
	memset(ro, 0, sizeof *ro);
	if (o->deposits.n == 0) {
		return cli_usage_error(cmd, "give at least one --deposit");
	}
	if (o->deposits.n > SSR_ESCROW_MAX_DEPOSITS) {
		return cli_usage_error(cmd, "at most %d deposits", SSR_ESCROW_MAX_DEPOSITS);
	}
	for (size_t i = 0; i < o->deposits.n; i++) {
		ro->deposits[ro->ndeposits++] = o->deposits.v[i];
	}
	ro->gnupg_home = o->gnupg_home;
	ro->allow_gaps = o->allow_gaps;
	ro->serial = o->serial;
	ro->ttl = o->ttl;
	return CLI_OK;
}

/* The report (table or JSON) to --output, written whole or not at all. */
static int emit(const char *cmd, const char *output,
                int (*write)(FILE *, const void *, int, ssr_diag_t *), const void *arg, int format)
{
	cli_out_t out;
	if (cli_out_open(cmd, output, &out) != CLI_OK) {
		return CLI_FAIL;
	}
	ssr_diag_t d = {0};
	int w = write(out.f, arg, format, &d);
	if (w != SSR_EOK) {
		cli_error("%s: %s", cmd, d.msg);
	}
	return cli_out_close(cmd, &out, w == SSR_EOK);
}

static int write_restore(FILE *f, const void *r, int format, ssr_diag_t *d)
{
	return ssr_report_escrow_restore(r, format, f, d);
}

static int write_recon(FILE *f, const void *r, int format, ssr_diag_t *d)
{
	return ssr_report_escrow_recon(r, format, f, d);
}

static int write_drill(FILE *f, const void *r, int format, ssr_diag_t *d)
{
	return ssr_report_escrow_drill(r, format, f, d);
}

static int do_restore(int argc, char **argv)
{
	ropts_t o = {0};
	int rc = cli_opts("escrow restore", restore_opts, CLI_NOPTS(restore_opts), &o, argc, argv,
	                  &o.nargs, restore_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.nargs > 0 || !o.apex || !o.out) {
		return cli_usage_error("escrow restore",
		                       "--apex and --out are needed, and no arguments");
	}
	ssr_escrow_restore_opts_t ro;
	if ((rc = restore_common("escrow restore", &o, &ro)) != CLI_OK) {
		return rc;
	}
	ro.apex = o.apex;
	ro.out = o.out;
	ro.held_out = o.held;
	ssr_escrow_restore_t r;
	ssr_diag_t d = {0};
	if (ssr_escrow_restore(&ro, &r, &d) != SSR_EOK) {
		cli_error("escrow restore: %s", d.msg);
		return CLI_FAIL;
	}
	return emit("escrow restore", o.output, write_restore, &r, o.format);
}

static int do_reconcile(int argc, char **argv)
{
	ropts_t o = {0};
	int rc = cli_opts("escrow reconcile", reconcile_opts, CLI_NOPTS(reconcile_opts), &o, argc,
	                  argv, &o.nargs, reconcile_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.nargs > 0 || !o.zone) {
		return cli_usage_error("escrow reconcile", "--zone is needed, and no arguments");
	}
	ssr_recon_opts_t ro = {
	    .zone = o.zone, .tmp_dir = o.tmp_dir, .memory = (size_t)o.memory << 20};
	if ((rc = restore_common("escrow reconcile", &o, &ro.restore)) != CLI_OK) {
		return rc;
	}
	ssr_recon_t *r = calloc(1, sizeof *r);
	if (!r) {
		cli_error("escrow reconcile: out of memory");
		return CLI_FAIL;
	}
	ssr_diag_t d = {0};
	if (ssr_escrow_reconcile(&ro, r, &d) != SSR_EOK) {
		cli_error("escrow reconcile: %s", d.msg);
		free(r);
		return CLI_FAIL;
	}
	uint64_t total = 0;
	for (int c = 0; c < SSR_RECON_NCATS; c++) {
		total += r->count[c];
	}
	rc = emit("escrow reconcile", o.output, write_recon, r, o.format);
	free(r);
	return rc == CLI_OK && total > 0 ? CLI_FAIL : rc;
}

static int do_drill(int argc, char **argv)
{
	ropts_t o = {0};
	int rc = cli_opts("escrow drill", drill_opts, CLI_NOPTS(drill_opts), &o, argc, argv,
	                  &o.nargs, drill_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.nargs > 0 || !o.apex || !o.dir || (!o.compare_zone == !o.compare_server)) {
		return cli_usage_error(
		    "escrow drill",
		    "--apex, --dir and one of --compare-zone / --compare-server are needed");
	}
	ssr_drill_opts_t dopts = {.dir = o.dir,
	                          .server = o.server,
	                          .listen = o.listen,
	                          .port = (uint16_t)o.port,
	                          .compare_zone = o.compare_zone,
	                          .compare_server = o.compare_server,
	                          .sign_keys = o.keys.n ? o.keys.v : NULL,
	                          .nsign_keys = o.keys.n,
	                          .max_queries = o.max_deleg,
	                          .timeout_ms = o.timeout_ms,
	                          .load_timeout_s = o.load_timeout_s,
	                          .threshold_s = o.threshold_s};
	if ((rc = restore_common("escrow drill", &o, &dopts.restore)) != CLI_OK) {
		return rc;
	}
	dopts.restore.apex = o.apex;
	ssr_drill_t *r = calloc(1, sizeof *r);
	if (!r) {
		cli_error("escrow drill: out of memory");
		return CLI_FAIL;
	}
	ssr_diag_t d = {0};
	int e = ssr_escrow_drill(&dopts, r, &d);
	if (e != SSR_EOK) {
		cli_error("escrow drill: %s", d.msg);
	}
	rc = e == SSR_EOK ? emit("escrow drill", o.output, write_drill, r, o.format) : CLI_FAIL;
	bool ok = e == SSR_EOK && r->passed;
	if (e == SSR_EOK && o.store) {
		ssr_store_t *st = NULL;
		ssr_escrow_drill_row_t row;
		char when[21];
		now_text(when);
		ssr_escrow_drill_row(r, when, &row);
		if (ssr_store_open(o.store, &st, &d) != SSR_EOK ||
		    ssr_store_escrow_drill_put(st, &row, &d) != SSR_EOK) {
			cli_error("escrow drill: %s", d.msg);
			rc = CLI_FAIL;
		}
		ssr_store_free(st);
	}
	free(r);
	return rc == CLI_OK && !ok ? CLI_FAIL : rc;
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
	if (strcmp(argv[1], "restore") == 0) {
		return do_restore(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "reconcile") == 0) {
		return do_reconcile(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "drill") == 0) {
		return do_drill(argc - 1, argv + 1);
	}
	return cli_usage_error("escrow", "unknown subcommand '%s'", argv[1]);
}
