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
    "  brands              protected names: every reported domain or URL is checked as\n"
    "                      `names check` does; the match is shown on the case page\n"
    "  brand-allow         the brand owners' own registered domains (never a match)\n"
    "  providers           provider suffixes beside the PSL's private section (default:\n"
    "                      the shipped data/names/providers.txt)\n"
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
    "  claim-lease-s       several instances on one PostgreSQL store: routing and delivery\n"
    "                      work is claimed for this many seconds (FOR UPDATE SKIP LOCKED);\n"
    "                      a killed instance's claims come due again after it (default 0:\n"
    "                      one instance)\n"
    "  shared-limits       rate-ip, rate-account and login backoff counted in the store, for\n"
    "                      all instances on it together (default no: each instance its own)\n"
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
	ssr_portal_config_t cfg;
	ssr_portal_config_init(&cfg);
	size_t nopts;
	const ssr_opt_t *opts = ssr_portal_config_options(&nopts);
	ssr_arena_t keep;
	ssr_arena_init(&keep, 4096);
	ssr_diag_t d;
	/* the config file first, then the command line over it */
	for (int i = 1; i < argc; i++) {
		const char *path = strcmp(argv[i], "--config") == 0 && i + 1 < argc ? argv[i + 1]
		                   : strncmp(argv[i], "--config=", 9) == 0          ? argv[i] + 9
		                                                                    : NULL;
		if (path != NULL && ssr_portal_config_load(&cfg, path, &keep, &d) != SSR_EOK) {
			cli_error("%s", d.msg);
			ssr_arena_release(&keep);
			return CLI_FAIL;
		}
	}
	int nargs = 0;
	int rc = cli_opts("portal serve", opts, nopts, &cfg, argc, argv, &nargs, serve_help);
	if (rc == CLI_OK && nargs > 0) {
		rc = cli_usage_error("portal serve", "unexpected argument '%s'", argv[1]);
	}
	if (rc == CLI_OK && cfg.store_uri == NULL) {
		rc = cli_usage_error("portal serve", "--store is required");
	}
	if (rc != CLI_OK) {
		ssr_arena_release(&keep);
		return CLI_EXIT(rc);
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
		ssr_arena_release(&keep);
		return CLI_FAIL;
	}
	fprintf(stderr, "ssrwatch: portal listening on http://%s:%u/ (store %s)\n", cfg.listen_addr,
	        ssr_portal_port(p), cfg.store_uri);
	fflush(stderr);
	int sig = 0;
	sigwait(&set, &sig);
	fprintf(stderr, "ssrwatch: %s: stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	ssr_portal_stop(p);
	ssr_arena_release(&keep);
	return CLI_OK;
}

/* The options of the administration commands (one table each, one struct for all). */
typedef struct {
	const char *store, *login, *label, *file, *password_file, *format_s, *at_s;
	ssr_party_input_t party;
	uint64_t party_id;
	bool admin, revoke, list;
	unsigned sla_ack, sla_action;
	ssr_format_t fmt;
	int nargs;
} popts_t;

/* Options, no argument, --store: CLI_OK, or the exit status. */
static int admin_opts(const char *cmd, const ssr_opt_t *t, size_t n, int argc, char **argv,
                      const char *help, popts_t *o)
{
	int rc = cli_opts(cmd, t, n, o, argc, argv, &o->nargs, help);
	if (rc == CLI_OK && o->nargs > 0) {
		rc = cli_usage_error(cmd, "unexpected argument '%s'", argv[1]);
	}
	if (rc == CLI_OK && o->store == NULL) {
		rc = cli_usage_error(cmd, "--store is required");
	}
	return rc == CLI_HELP ? -1 : rc;
}

static int open_store(const popts_t *o, ssr_store_t **st)
{
	ssr_diag_t d;
	if (ssr_store_open(o->store, st, &d) != SSR_EOK) {
		cli_error("%s", d.msg);
		return CLI_FAIL;
	}
	return CLI_OK;
}

static const ssr_opt_t party_opts[] = {
    SSR_OPT_STR("store", popts_t, store),
    SSR_OPT_STR("kind", popts_t, party.kind),
    SSR_OPT_STR("name", popts_t, party.name),
    SSR_OPT_STR("iana-id", popts_t, party.iana_id),
    SSR_OPT_STR("handle", popts_t, party.handle),
    SSR_OPT_STR("email", popts_t, party.email),
    SSR_OPT_STR("webhook", popts_t, party.webhook),
    SSR_OPT_STR("secret", popts_t, party.secret),
    SSR_OPT_STR("delivery", popts_t, party.delivery),
    SSR_OPT_HELP,
};

static int party(int argc, char **argv)
{
	static const char help[] =
	    "usage: ssrwatch portal party --store DB --kind registrar|registry|host --name NAME\n"
	    "       [--iana-id N] [--handle H] [--email ADDR] [--webhook URL --secret KEY]\n"
	    "       [--delivery email,webhook]\n"
	    "Create or update a party (a registrar with the same IANA id, or a party of the same "
	    "kind\n"
	    "and name, is updated).  Prints the party's id.\n";
	popts_t o = {0};
	int rc =
	    admin_opts("portal party", party_opts, CLI_NOPTS(party_opts), argc, argv, help, &o);
	if (rc != CLI_OK) {
		return rc < 0 ? CLI_OK : rc;
	}
	ssr_store_t *st = NULL;
	rc = open_store(&o, &st);
	if (rc == CLI_OK) {
		ssr_diag_t d;
		int64_t id = 0;
		if (ssr_portal_party_put(st, &o.party, cli_now(), &id, &d) != SSR_EOK) {
			cli_error("%s", d.msg);
			rc = CLI_FAIL;
		} else {
			printf("%" PRId64 "\n", id);
		}
	}
	ssr_store_free(st);
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

static const ssr_opt_t account_opts[] = {
    SSR_OPT_STR("store", popts_t, store),
    SSR_OPT_STR("login", popts_t, login),
    SSR_OPT_U64("party", popts_t, party_id, 1, INT64_MAX),
    SSR_OPT_STR("password-file", popts_t, password_file),
    SSR_OPT_FLAG("admin", popts_t, admin),
    SSR_OPT_HELP,
};

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
	popts_t o = {0};
	int rc = admin_opts("portal account", account_opts, CLI_NOPTS(account_opts), argc, argv,
	                    help, &o);
	if (rc != CLI_OK) {
		return rc < 0 ? CLI_OK : rc;
	}
	char pw[256];
	if (o.login == NULL) {
		rc = cli_usage_error("portal account", "--login is required");
	}
	if (rc == CLI_OK && read_password(o.password_file, pw, sizeof(pw)) != 0) {
		rc = cli_usage_error("portal account",
		                     "no password: --password-file FILE or SSRWATCH_PASSWORD");
	}
	ssr_store_t *st = NULL;
	if (rc == CLI_OK) {
		rc = open_store(&o, &st);
	}
	if (rc == CLI_OK) {
		ssr_diag_t d;
		int64_t ns = 0, nt = 0;
		if (ssr_portal_account_put(st, o.login, pw, (int64_t)o.party_id, o.admin, cli_now(),
		                           &ns, &nt, &d) != SSR_EOK) {
			cli_error("%s", d.msg);
			rc = CLI_FAIL;
		} else if (ns > 0 || nt > 0) {
			fprintf(
			    stderr,
			    "ssrwatch: account '%s' updated: %lld session%s logged out, %lld API "
			    "token%s revoked\n",
			    o.login, (long long)ns, ns == 1 ? "" : "s", (long long)nt,
			    nt == 1 ? "" : "s");
		}
	}
	memset(pw, 0, sizeof(pw));
	ssr_store_free(st);
	return rc;
}

static const ssr_opt_t token_opts[] = {
    SSR_OPT_STR("store", popts_t, store), SSR_OPT_STR("login", popts_t, login),
    SSR_OPT_STR("label", popts_t, label), SSR_OPT_FLAG("revoke", popts_t, revoke),
    SSR_OPT_FLAG("list", popts_t, list),  SSR_OPT_HELP,
};

static int token(int argc, char **argv)
{
	static const char help[] =
	    "usage: ssrwatch portal token --store DB --login L [--label TEXT]\n"
	    "       ssrwatch portal token --store DB --login L --revoke [--label TEXT]\n"
	    "       ssrwatch portal token --store DB --login L --list\n"
	    "Issue an API token for the login and print it (only its digest is stored); revoke\n"
	    "the login's tokens (those with the label, or all); list them (label, created).\n";
	popts_t o = {0};
	int rc =
	    admin_opts("portal token", token_opts, CLI_NOPTS(token_opts), argc, argv, help, &o);
	if (rc != CLI_OK) {
		return rc < 0 ? CLI_OK : rc;
	}
	if (o.login == NULL) {
		rc = cli_usage_error("portal token", "--login is required");
	}
	if (rc == CLI_OK && o.revoke && o.list) {
		rc = cli_usage_error("portal token", "--revoke or --list, not both");
	}
	ssr_store_t *st = NULL;
	if (rc == CLI_OK) {
		rc = open_store(&o, &st);
	}
	if (rc == CLI_OK && (o.revoke || o.list)) {
		ssr_diag_t d;
		int64_t n = 0;
		ssr_token_t *t = NULL;
		size_t nt = 0;
		if ((o.revoke ? ssr_portal_token_revoke(st, o.login, o.label, &n, &d)
		              : ssr_portal_tokens(st, o.login, &t, &nt, &d)) != SSR_EOK) {
			cli_error("%s", d.msg);
			rc = CLI_FAIL;
		} else if (o.revoke) {
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
		return rc;
	}
	if (rc == CLI_OK) {
		ssr_diag_t d;
		char tok[64];
		if (ssr_portal_token_new(st, o.login, o.label, cli_now(), tok, &d) != SSR_EOK) {
			cli_error("%s", d.msg);
			rc = CLI_FAIL;
		} else {
			printf("%s\n", tok);
		}
	}
	ssr_store_free(st);
	return rc;
}

static const ssr_opt_t directory_opts[] = {
    SSR_OPT_STR("store", popts_t, store),
    SSR_OPT_STR("file", popts_t, file),
    SSR_OPT_HELP,
};

static int directory(int argc, char **argv)
{
	static const char help[] =
	    "usage: ssrwatch portal directory --store DB --file FILE\n"
	    "Load a registry directory: CSV with a header (tld, operator, email, rdap_base) or a "
	    "JSON\n"
	    "array of such objects.  A registry party is made per operator.  One transaction.\n";
	popts_t o = {0};
	int rc = admin_opts("portal directory", directory_opts, CLI_NOPTS(directory_opts), argc,
	                    argv, help, &o);
	if (rc != CLI_OK) {
		return rc < 0 ? CLI_OK : rc;
	}
	if (o.file == NULL) {
		rc = cli_usage_error("portal directory", "--file is required");
	}
	ssr_store_t *st = NULL;
	if (rc == CLI_OK) {
		rc = open_store(&o, &st);
	}
	if (rc == CLI_OK) {
		ssr_diag_t d;
		uint64_t n = 0;
		int r = ssr_store_begin(st, &d);
		if (r == SSR_EOK) {
			r = ssr_portal_directory_load(st, o.file, cli_now(), &n, &d);
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
	return rc;
}

/* --at: a time such as 2026-11-23T10:00:00Z */
static int opt_at(const char *v, void *member, ssr_diag_t *diag)
{
	if (ssr_feed_parse_time(v, strlen(v), member) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "--at: a time (2026-11-23T10:00:00Z)");
	}
	return SSR_EOK;
}

typedef struct {
	const char *store;
	ssr_format_t fmt;
	unsigned ack, act;
	int64_t at;
	int nargs;
} stats_opts_t;

static const ssr_opt_t stats_opts[] = {
    SSR_OPT_STR("store", stats_opts_t, store),
    SSR_OPT_FN("format", stats_opts_t, fmt, cli_opt_format),
    SSR_OPT_UINT("sla-ack", stats_opts_t, ack, 1, 0xffffffffu),
    SSR_OPT_UINT("sla-action", stats_opts_t, act, 1, 0xffffffffu),
    SSR_OPT_FN("at", stats_opts_t, at, opt_at),
    SSR_OPT_HELP,
};

static int stats(int argc, char **argv)
{
	stats_opts_t o = {.fmt = SSR_FORMAT_JSON, .ack = 86400, .act = 7 * 86400, .at = cli_now()};
	int rc = cli_opts("portal stats", stats_opts, CLI_NOPTS(stats_opts), &o, argc, argv,
	                  &o.nargs, stats_help);
	if (rc == CLI_OK && o.nargs > 0) {
		rc = cli_usage_error("portal stats", "unexpected argument '%s'", argv[1]);
	}
	if (rc == CLI_OK && o.store == NULL) {
		rc = cli_usage_error("portal stats", "--store is required");
	}
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	ssr_store_t *st = NULL;
	ssr_diag_t d;
	if (ssr_store_open_existing(o.store, &st, &d) != SSR_EOK) {
		cli_error("%s", d.msg);
		return CLI_FAIL;
	}
	json_t *res = NULL;
	ssr_sla_opts_t so = {o.ack, o.act, o.at};
	if (ssr_portal_sla(st, &so, &res, &d) != SSR_EOK) {
		cli_error("%s", d.msg);
		rc = CLI_FAIL;
	}
	if (rc == CLI_OK && ssr_report_portal_sla(res, o.fmt, stdout) != SSR_EOK) {
		cli_error("portal stats: cannot write the output");
		rc = CLI_FAIL;
	}
	json_decref(res);
	ssr_store_free(st);
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
