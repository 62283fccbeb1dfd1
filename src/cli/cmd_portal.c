/* ssrwatch portal serve | party | account | token | directory | stats */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ssrwatch/date.h"
#include "ssrwatch/portal.h"
#include "ssrwatch/feed.h"
#include "ssrwatch/portalstore.h"

static const char portal_help[] =
    "usage: ssrwatch portal <command> [options]\n"
    "\n"
    "The central abuse report portal: reports with evidence, cases, routing to the registrar,\n"
    "registry and host (RDAP), party inboxes, SLA measurement.\n"
    "\n"
    "commands:\n"
    "  serve       run the HTTP server (JSON API under /api/v1, HTML pages)\n"
    "  party       create or update a registrar, registry or host\n"
    "  account     create or update a login (party member or admin)\n"
    "  token       issue an API token for a login\n"
    "  directory   load a registry directory (CSV or JSON: tld, operator, email, rdap_base)\n"
    "  stats       SLA figures per party from the case timeline (json or csv)\n";

static const char serve_help[] =
    "usage: ssrwatch portal serve --store DB [--listen ADDR:PORT] [--config FILE] [options]\n"
    "\n"
    "Every setting can be given as --KEY VALUE or as 'KEY = VALUE' in the config file (the\n"
    "command line wins):\n"
    "  store               SQLite file or postgresql://... (required)\n"
    "  listen              ADDR:PORT (default 127.0.0.1:8080; port 0 picks a free one)\n"
    "  threads             HTTP worker threads (default: 32 per CPU, at most 256)\n"
    "  base-url            the portal's public URL, for links in reports and e-mails\n"
    "  psl                 public suffix list file (default: libpsl's newest)\n"
    "  rdap-dns            IANA RDAP bootstrap for domains (dns.json, RFC 9224)\n"
    "  rdap-ipv4, rdap-ipv6  IANA RDAP bootstraps for addresses\n"
    "  rdap-timeout-ms     per RDAP request (default 10000)\n"
    "  rdap-cache-s        RDAP answer lifetime in the cache (default 86400)\n"
    "  smtp-url            SMTP server for e-mail delivery (smtp://host:port or smtps://)\n"
    "  smtp-from           sender address of those e-mails (default ssrwatch@localhost)\n"
    "  webhook-timeout-ms  per webhook request (default 10000)\n"
    "  max-body            request body cap in bytes (default 8388608)\n"
    "  max-attachment      bytes per attachment (default 2097152)\n"
    "  max-attachments     attachments per report (default 5)\n"
    "  rate-ip             report submissions per IP per minute (default 120; 0 off)\n"
    "  rate-account        API requests per account per minute (default 600; 0 off)\n"
    "  sla-ack, sla-action SLAs in seconds (default 86400 and 604800)\n"
    "  retry-base-s        first retry delay for RDAP and deliveries (default 60)\n"
    "  retry-max           delivery attempts before giving up (default 8)\n"
    "  secure-cookies      yes behind TLS (default no)\n"
    "  background          routing and delivery workers (default yes)\n"
    "  access-log          file for JSON access log lines (default: standard error with -v)\n"
    "  conn-per-ip         open connections per client address (default 64; 0 no limit)\n"
    "  header-timeout-s    a request's line and headers must arrive within (default 10)\n"
    "  stats-cache-s       the SLA figures are recomputed at most this often (default 10)\n"
    "  wal-max-mb          SQLite write-ahead log truncated past this size (default 64)\n"
    "\n"
    "Stops gracefully on SIGTERM or SIGINT: requests in flight finish, writes are committed.\n";

static const char stats_help[] =
    "usage: ssrwatch portal stats --store DB [--format json|csv|table] [--sla-ack S]\n"
    "                             [--sla-action S] [--at TIME]\n"
    "\n"
    "Per party and overall: cases routed, acknowledged, resolved and mitigated; time to\n"
    "acknowledge and to action (median, p90); the share within the SLAs; open breaches at\n"
    "TIME (default now).  The same figures as GET /api/v1/stats.\n";

/* SSRWATCH_TEST_CLOCK=FILE: tests script the portal's clock (seconds since 1970 in FILE). */
static int64_t file_clock(void *ctx)
{
	FILE *f = fopen(ctx, "r");
	long long v = 0;
	if (f != NULL) {
		if (fscanf(f, "%lld", &v) != 1) {
			v = 0;
		}
		fclose(f);
	}
	return v > 0 ? v : (int64_t)time(NULL);
}

static int64_t cli_now(void)
{
	const char *tc = getenv("SSRWATCH_TEST_CLOCK");
	return tc ? file_clock((void *)tc) : (int64_t)time(NULL);
}

static int serve(int argc, char **argv)
{
	if (cli_is_help(argc, argv)) {
		fputs(serve_help, stdout);
		return CLI_OK;
	}
	ssr_portal_config_t cfg;
	ssr_portal_config_init(&cfg);
	json_t *keep = NULL;
	ssr_diag_t d;
	/* the config file first, then the command line over it */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			if (ssr_portal_config_load(&cfg, argv[i + 1], &keep, &d) != SSR_EOK) {
				cli_error("%s", d.msg);
				json_decref(keep);
				return CLI_FAIL;
			}
		}
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0) {
			i++;
			continue;
		}
		if (strncmp(argv[i], "--", 2) != 0 || i + 1 >= argc) {
			json_decref(keep);
			return cli_usage_error("portal serve", "expected --KEY VALUE, got '%s'",
			                       argv[i]);
		}
		if (ssr_portal_config_set(&cfg, argv[i] + 2, argv[i + 1], &d) != SSR_EOK) {
			json_decref(keep);
			return cli_usage_error("portal serve", "%s", d.msg);
		}
		i++;
	}
	if (cfg.store_uri == NULL) {
		json_decref(keep);
		return cli_usage_error("portal serve", "--store is required");
	}
	cfg.log = cli_log;
	const char *tc = getenv("SSRWATCH_TEST_CLOCK");
	if (tc != NULL) {
		cfg.clock = file_clock;
		cfg.clock_ctx = (void *)tc;
	}
	/* signals are taken by sigwait in this thread; every other thread inherits the mask */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	ssr_portal_t *p;
	if (ssr_portal_start(&cfg, &p, &d) != SSR_EOK) {
		cli_error("%s", d.msg);
		json_decref(keep);
		return CLI_FAIL;
	}
	fprintf(stderr, "ssrwatch: portal listening on http://%s:%u/ (store %s)\n", cfg.listen_addr,
	        ssr_portal_port(p), cfg.store_uri);
	fflush(stderr);
	int sig = 0;
	sigwait(&set, &sig);
	fprintf(stderr, "ssrwatch: %s: stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	ssr_portal_stop(p);
	json_decref(keep);
	return CLI_OK;
}

/* Parse "--key value" pairs into a JSON object of strings; flags (no value) listed in flags. */
static int opts(const char *cmd, int argc, char **argv, const char *const *keys,
                const char *const *flags, json_t *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool known = false;
		for (const char *const *f = flags; *f; f++) {
			if (strncmp(a, "--", 2) == 0 && strcmp(a + 2, *f) == 0) {
				json_object_set_new(o, *f, json_true());
				known = true;
			}
		}
		for (const char *const *k = keys; !known && *k; k++) {
			if (strncmp(a, "--", 2) == 0 && strcmp(a + 2, *k) == 0) {
				if (i + 1 >= argc) {
					return cli_usage_error(cmd, "%s needs a value", a);
				}
				json_object_set_new(o, *k, json_string(argv[++i]));
				known = true;
			}
		}
		if (!known) {
			return cli_usage_error(cmd, "unknown option '%s'", a);
		}
	}
	if (json_object_get(o, "store") == NULL) {
		return cli_usage_error(cmd, "--store is required");
	}
	return CLI_OK;
}

static const char *ostr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int open_store(json_t *o, ssr_store_t **st)
{
	ssr_diag_t d;
	if (ssr_store_open(ostr(o, "store"), st, &d) != SSR_EOK) {
		cli_error("%s", d.msg);
		return CLI_FAIL;
	}
	return CLI_OK;
}

static int party(int argc, char **argv)
{
	static const char help[] =
	    "usage: ssrwatch portal party --store DB --kind registrar|registry|host --name NAME\n"
	    "       [--iana-id N] [--handle H] [--email ADDR] [--webhook URL --secret KEY]\n"
	    "       [--delivery email,webhook]\n"
	    "Create or update a party (a registrar with the same IANA id, or a party of the same "
	    "kind\n"
	    "and name, is updated).  Prints the party's id.\n";
	if (cli_is_help(argc, argv)) {
		fputs(help, stdout);
		return CLI_OK;
	}
	static const char *const keys[] = {"store", "kind",    "name",   "iana-id",  "handle",
	                                   "email", "webhook", "secret", "delivery", NULL};
	static const char *const flags[] = {NULL};
	json_t *o = json_object();
	int rc = opts("portal party", argc, argv, keys, flags, o);
	json_t *pj = json_object();
	if (rc == CLI_OK) {
		const char *map[][2] = {{"kind", "kind"},       {"name", "name"},
		                        {"handle", "handle"},   {"email", "email"},
		                        {"webhook", "webhook"}, {"secret", "secret"}};
		for (size_t i = 0; i < 6; i++) {
			if (ostr(o, map[i][0])) {
				json_object_set_new(pj, map[i][1], json_string(ostr(o, map[i][0])));
			}
		}
		uint64_t iana;
		if (ostr(o, "iana-id")) {
			if (cli_parse_u64(ostr(o, "iana-id"), &iana) != 0) {
				rc = cli_usage_error("portal party", "--iana-id: a number");
			}
			json_object_set_new(pj, "iana_id", json_integer((json_int_t)iana));
		}
		if (ostr(o, "delivery")) {
			json_t *a = json_array();
			char buf[64];
			snprintf(buf, sizeof(buf), "%s", ostr(o, "delivery"));
			for (char *s = buf, *c; s != NULL; s = c) {
				c = strchr(s, ',');
				if (c) {
					*c++ = '\0';
				}
				json_array_append_new(a, json_string(s));
			}
			json_object_set_new(pj, "delivery", a);
		}
	}
	ssr_store_t *st = NULL;
	if (rc == CLI_OK) {
		rc = open_store(o, &st);
	}
	if (rc == CLI_OK) {
		ssr_diag_t d;
		int64_t id = 0;
		if (ssr_portal_party_put(st, pj, cli_now(), &id, &d) != SSR_EOK) {
			cli_error("%s", d.msg);
			rc = CLI_FAIL;
		} else {
			printf("%" PRId64 "\n", id);
		}
	}
	ssr_store_free(st);
	json_decref(pj);
	json_decref(o);
	return rc;
}

static int read_password(const char *file, char *out, size_t cap)
{
	const char *env = getenv("SSRWATCH_PASSWORD");
	if (file == NULL) {
		if (env == NULL) {
			return -1;
		}
		snprintf(out, cap, "%s", env);
		return 0;
	}
	FILE *f = fopen(file, "r");
	if (f == NULL || fgets(out, (int)cap, f) == NULL) {
		if (f) {
			fclose(f);
		}
		return -1;
	}
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static int account(int argc, char **argv)
{
	static const char help[] =
	    "usage: ssrwatch portal account --store DB --login L [--party ID] [--admin]\n"
	    "       [--password-file FILE]\n"
	    "Create or update a login.  The password comes from FILE's first line or from the\n"
	    "SSRWATCH_PASSWORD environment variable (10 to 200 characters), hashed with "
	    "Argon2id.\n"
	    "Updating a login logs it out everywhere: its sessions end and its API tokens are\n"
	    "revoked.\n";
	if (cli_is_help(argc, argv)) {
		fputs(help, stdout);
		return CLI_OK;
	}
	static const char *const keys[] = {"store", "login", "party", "password-file", NULL};
	static const char *const flags[] = {"admin", NULL};
	json_t *o = json_object();
	int rc = opts("portal account", argc, argv, keys, flags, o);
	char pw[256];
	uint64_t party = 0;
	if (rc == CLI_OK && ostr(o, "login") == NULL) {
		rc = cli_usage_error("portal account", "--login is required");
	}
	if (rc == CLI_OK && ostr(o, "party") && cli_parse_u64(ostr(o, "party"), &party) != 0) {
		rc = cli_usage_error("portal account", "--party: a party id");
	}
	if (rc == CLI_OK && read_password(ostr(o, "password-file"), pw, sizeof(pw)) != 0) {
		rc = cli_usage_error("portal account",
		                     "no password: --password-file FILE or SSRWATCH_PASSWORD");
	}
	ssr_store_t *st = NULL;
	if (rc == CLI_OK) {
		rc = open_store(o, &st);
	}
	if (rc == CLI_OK) {
		ssr_diag_t d;
		int64_t ns = 0, nt = 0;
		if (ssr_portal_account_put(st, ostr(o, "login"), pw, (int64_t)party,
		                           json_is_true(json_object_get(o, "admin")), cli_now(),
		                           &ns, &nt, &d) != SSR_EOK) {
			cli_error("%s", d.msg);
			rc = CLI_FAIL;
		} else if (ns > 0 || nt > 0) {
			fprintf(
			    stderr,
			    "ssrwatch: account '%s' updated: %lld session%s logged out, %lld API "
			    "token%s revoked\n",
			    ostr(o, "login"), (long long)ns, ns == 1 ? "" : "s", (long long)nt,
			    nt == 1 ? "" : "s");
		}
	}
	memset(pw, 0, sizeof(pw));
	ssr_store_free(st);
	json_decref(o);
	return rc;
}

static int token(int argc, char **argv)
{
	static const char help[] =
	    "usage: ssrwatch portal token --store DB --login L [--label TEXT]\n"
	    "       ssrwatch portal token --store DB --login L --revoke [--label TEXT]\n"
	    "       ssrwatch portal token --store DB --login L --list\n"
	    "Issue an API token for the login and print it (only its digest is stored); revoke\n"
	    "the login's tokens (those with the label, or all); list them (label, created).\n";
	if (cli_is_help(argc, argv)) {
		fputs(help, stdout);
		return CLI_OK;
	}
	static const char *const keys[] = {"store", "login", "label", NULL};
	static const char *const flags[] = {"revoke", "list", NULL};
	json_t *o = json_object();
	int rc = opts("portal token", argc, argv, keys, flags, o);
	bool revoke = json_is_true(json_object_get(o, "revoke")),
	     list = json_is_true(json_object_get(o, "list"));
	if (rc == CLI_OK && ostr(o, "login") == NULL) {
		rc = cli_usage_error("portal token", "--login is required");
	}
	if (rc == CLI_OK && revoke && list) {
		rc = cli_usage_error("portal token", "--revoke or --list, not both");
	}
	ssr_store_t *st = NULL;
	if (rc == CLI_OK) {
		rc = open_store(o, &st);
	}
	if (rc == CLI_OK && (revoke || list)) {
		ssr_diag_t d;
		int64_t n = 0;
		ssr_token_t *t = NULL;
		size_t nt = 0;
		if ((revoke
		         ? ssr_portal_token_revoke(st, ostr(o, "login"), ostr(o, "label"), &n, &d)
		         : ssr_portal_tokens(st, ostr(o, "login"), &t, &nt, &d)) != SSR_EOK) {
			cli_error("%s", d.msg);
			rc = CLI_FAIL;
		} else if (revoke) {
			printf("%lld token%s revoked\n", (long long)n, n == 1 ? "" : "s");
		} else {
			for (size_t i = 0; i < nt; i++) {
				char when[32];
				ssr_time_format(t[i].created, when);
				printf("%s\t%s\n", when, t[i].label ? t[i].label : "-");
			}
		}
		ssr_store_tokens_free(t, nt);
		ssr_store_free(st);
		json_decref(o);
		return rc;
	}
	if (rc == CLI_OK) {
		ssr_diag_t d;
		char tok[64];
		if (ssr_portal_token_new(st, ostr(o, "login"), ostr(o, "label"), cli_now(), tok,
		                         &d) != SSR_EOK) {
			cli_error("%s", d.msg);
			rc = CLI_FAIL;
		} else {
			printf("%s\n", tok);
		}
	}
	ssr_store_free(st);
	json_decref(o);
	return rc;
}

static int directory(int argc, char **argv)
{
	static const char help[] =
	    "usage: ssrwatch portal directory --store DB --file FILE\n"
	    "Load a registry directory: CSV with a header (tld, operator, email, rdap_base) or a "
	    "JSON\n"
	    "array of such objects.  A registry party is made per operator.  One transaction.\n";
	if (cli_is_help(argc, argv)) {
		fputs(help, stdout);
		return CLI_OK;
	}
	static const char *const keys[] = {"store", "file", NULL};
	static const char *const flags[] = {NULL};
	json_t *o = json_object();
	int rc = opts("portal directory", argc, argv, keys, flags, o);
	if (rc == CLI_OK && ostr(o, "file") == NULL) {
		rc = cli_usage_error("portal directory", "--file is required");
	}
	ssr_store_t *st = NULL;
	if (rc == CLI_OK) {
		rc = open_store(o, &st);
	}
	if (rc == CLI_OK) {
		ssr_diag_t d;
		uint64_t n = 0;
		int r = ssr_store_begin(st, &d);
		if (r == SSR_EOK) {
			r = ssr_portal_directory_load(st, ostr(o, "file"), cli_now(), &n, &d);
		}
		if (r == SSR_EOK) {
			r = ssr_store_commit(st, &d);
		} else {
			ssr_store_rollback(st);
		}
		if (r != SSR_EOK) {
			cli_error("%s", d.msg);
			rc = CLI_FAIL;
		} else {
			fprintf(stderr, "ssrwatch: directory: %" PRIu64 " TLDs loaded\n", n);
		}
	}
	ssr_store_free(st);
	json_decref(o);
	return rc;
}

static int stats(int argc, char **argv)
{
	if (cli_is_help(argc, argv)) {
		fputs(stats_help, stdout);
		return CLI_OK;
	}
	static const char *const keys[] = {"store", "format", "sla-ack", "sla-action", "at", NULL};
	static const char *const flags[] = {NULL};
	json_t *o = json_object();
	int rc = opts("portal stats", argc, argv, keys, flags, o);
	uint64_t ack = 86400, act = 7 * 86400;
	int64_t at = cli_now();
	ssr_format_t fmt = SSR_FORMAT_JSON;
	if (rc == CLI_OK && ostr(o, "format")) {
		rc = cli_parse_format("portal stats", ostr(o, "format"), &fmt);
	}
	if (rc == CLI_OK && ostr(o, "sla-ack") &&
	    (cli_parse_u64(ostr(o, "sla-ack"), &ack) != 0 || ack == 0)) {
		rc = cli_usage_error("portal stats", "--sla-ack: seconds above 0");
	}
	if (rc == CLI_OK && ostr(o, "sla-action") &&
	    (cli_parse_u64(ostr(o, "sla-action"), &act) != 0 || act == 0)) {
		rc = cli_usage_error("portal stats", "--sla-action: seconds above 0");
	}
	if (rc == CLI_OK && ostr(o, "at")) {
		if (ssr_feed_parse_time(ostr(o, "at"), strlen(ostr(o, "at")), &at) != SSR_EOK) {
			rc = cli_usage_error("portal stats", "--at: a time (2026-11-23T10:00:00Z)");
		}
	}
	ssr_store_t *st = NULL;
	if (rc == CLI_OK) {
		ssr_diag_t d;
		if (ssr_store_open_existing(ostr(o, "store"), &st, &d) != SSR_EOK) {
			cli_error("%s", d.msg);
			rc = CLI_FAIL;
		}
	}
	json_t *res = NULL;
	if (rc == CLI_OK) {
		ssr_diag_t d;
		ssr_sla_opts_t so = {(unsigned)ack, (unsigned)act, at};
		if (ssr_portal_sla(st, &so, &res, &d) != SSR_EOK) {
			cli_error("%s", d.msg);
			rc = CLI_FAIL;
		}
	}
	if (rc == CLI_OK && ssr_report_portal_sla(res, fmt, stdout) != SSR_EOK) {
		cli_error("portal stats: cannot write the output");
		rc = CLI_FAIL;
	}
	json_decref(res);
	ssr_store_free(st);
	json_decref(o);
	return rc;
}

int cmd_portal(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(portal_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "serve") == 0) {
		return serve(argc - 1, argv + 1);
	}
	if (strcmp(sub, "party") == 0) {
		return party(argc - 1, argv + 1);
	}
	if (strcmp(sub, "account") == 0) {
		return account(argc - 1, argv + 1);
	}
	if (strcmp(sub, "token") == 0) {
		return token(argc - 1, argv + 1);
	}
	if (strcmp(sub, "directory") == 0) {
		return directory(argc - 1, argv + 1);
	}
	if (strcmp(sub, "stats") == 0) {
		return stats(argc - 1, argv + 1);
	}
	cli_error("unknown portal command '%s'", sub);
	fputs(portal_help, stderr);
	return CLI_USAGE;
}
