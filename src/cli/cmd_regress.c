/* ssrwatch regress list | run */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ssrwatch/date.h"
#include "ssrwatch/regress.h"
#include "ssrwatch/report.h"

static const char regress_help[] =
    "usage: ssrwatch regress <list|run> [options]\n"
    "  list   the suites and their cases\n"
    "  run    run suites against servers and judge every answer\n"
    "  diff   the same queries to several servers, the answers compared field by field\n";

static const char list_help[] =
    "usage: ssrwatch regress list [--suite FILE]... [--format table|json]\n"
    "\n"
    "The shipped suites (data/regress/) or the given suite files, and their cases.\n";

static const char run_help[] =
    "usage: ssrwatch regress run [--zone ZONE] (--target NAME=ADDR[:PORT] | --impl LIST)...\n"
    "                            [options]\n"
    "\n"
    "Run every case of the suites against every target, concurrently, each query sent once;\n"
    "judge each answer against its case.  Exit status 0 when every case of severity error\n"
    "passed on every target, 1 otherwise (the results are written either way).\n"
    "\n"
    "options:\n"
    "  --zone ZONE           the zone the cases ask about ('@' in a case)\n"
    "  --target NAME=ADDR    a server to test (repeatable; port 53 by default)\n"
    "  --impl LIST           implementations to start on loopback and test, comma-\n"
    "                        separated: authoritative knot, nsd, bind, pdns; resolvers\n"
    "                        (resolver suites) unbound, kresd, bind, pdns-recursor; each on\n"
    "                        a port of its own, stopped afterwards\n"
    "  --zone-file FILE      the zone they serve (default: a small test zone for --zone)\n"
    "  --suite NAME|FILE     a shipped suite by name (edns, dnssec, resolver, ksk-rollover,\n"
    "                        algorithm-rollover, serve-stale) or a suite file (repeatable,\n"
    "                        one kind;\n"
    "                        default: edns with --zone, resolver without)\n"
    "  --timeout-ms N        per query (4000)\n"
    "  --record FILE         every exchange into a record file (probe read shows it)\n"
    "  --store DB            keep the run's figures (the tracker's live evidence of Rec 20)\n"
    "  --date YYYY-MM-DD     the run's date in the store (default today, UTC)\n"
    "  --format F            table (default), json, junit or html (a matrix of cases by\n"
    "                        targets; with --record each cell links to its exchange)\n"
    "  --output FILE         write there (complete or not at all)\n"
    "  --shard I/N           test only this shard's targets (round robin over the --target,\n"
    "                        then the --impl ones) and save the verdicts with --save-state\n"
    "                        FILE; 'ssrwatch merge' writes what one run writes (no --record,\n"
    "                        --store or --output here: the merge has them)\n"
    "  --save-state FILE     where the shard's verdicts go\n";

typedef struct {
	const char *zone, *record, *output, *impls, *zone_file, *store, *date;
	const char *shard, *save_state;
	cli_list_t targets, suites;
	unsigned timeout_ms;
	int format;
	int nargs;
} ropts_t;

static const char *const run_formats[] = {"table", "json", "junit", "html", NULL};
static const char *const list_formats[] = {"table", "json", NULL};

static const ssr_opt_t run_opts[] = {
    SSR_OPT_STR("zone", ropts_t, zone),
    SSR_OPT_FN("target", ropts_t, targets, cli_opt_list),
    SSR_OPT_FN("suite", ropts_t, suites, cli_opt_list),
    SSR_OPT_STR("impl", ropts_t, impls),
    SSR_OPT_STR("zone-file", ropts_t, zone_file),
    SSR_OPT_UINT("timeout-ms", ropts_t, timeout_ms, 1, 600000),
    SSR_OPT_STR("record", ropts_t, record),
    SSR_OPT_STR("store", ropts_t, store),
    SSR_OPT_FN("date", ropts_t, date, cli_opt_date),
    SSR_OPT_CHOICE("format", ropts_t, format, "format", run_formats),
    SSR_OPT_STR("output", ropts_t, output),
    SSR_OPT_STR("shard", ropts_t, shard),
    SSR_OPT_STR("save-state", ropts_t, save_state),
    SSR_OPT_HELP,
};

static const ssr_opt_t list_opts[] = {
    SSR_OPT_FN("suite", ropts_t, suites, cli_opt_list),
    SSR_OPT_CHOICE("format", ropts_t, format, "format", list_formats),
    SSR_OPT_HELP,
};

/* The suites named (a shipped name or a file), or every shipped one: CLI_OK or CLI_FAIL. */
static int load_suites(const char *cmd, const cli_list_t *names, ssr_regress_suite_t **out,
                       size_t *n)
{
	char **shipped = NULL;
	size_t ns = 0;
	ssr_diag_t d;
	if (ssr_regress_shipped(&shipped, &ns, &d) != SSR_EOK) {
		cli_error("%s: %s", cmd, d.msg);
		return CLI_FAIL;
	}
	size_t want = names->n ? names->n : ns;
	ssr_regress_suite_t *s = calloc(want ? want : 1, sizeof(*s));
	int rc = s ? CLI_OK : CLI_FAIL;
	for (size_t i = 0; rc == CLI_OK && i < want; i++) {
		const char *path = names->n ? names->v[i] : shipped[i];
		char buf[4096];
		if (names->n && strchr(path, '/') == NULL && strchr(path, '.') == NULL) {
			/* a shipped suite by name: edns -> data/regress/edns.yaml */
			for (size_t k = 0; k < ns; k++) {
				const char *b = strrchr(shipped[k], '/');
				b = b ? b + 1 : shipped[k];
				if (strncmp(b, path, strlen(path)) == 0 &&
				    strcmp(b + strlen(path), ".yaml") == 0) {
					snprintf(buf, sizeof buf, "%s", shipped[k]);
					path = buf;
				}
			}
		}
		if (ssr_regress_suite_read(path, &s[i], &d) != SSR_EOK) {
			cli_error("%s: %s", cmd, d.msg);
			rc = CLI_FAIL;
		} else if (strcmp(s[i].kind, "delegation") == 0 &&
		           strcmp(cmd, "regress run") == 0) {
			cli_error(
			    "%s: suite '%s' is a delegation suite: run it with 'delegation check'",
			    cmd, path);
			rc = CLI_FAIL;
		}
		*n = i + 1;
	}
	ssr_regress_paths_free(shipped, ns);
	if (rc != CLI_OK) {
		for (size_t i = 0; s && i < *n; i++) {
			ssr_regress_suite_release(&s[i]);
		}
		free(s);
		*n = 0;
		return rc;
	}
	*out = s;
	return CLI_OK;
}

static void free_suites(ssr_regress_suite_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ssr_regress_suite_release(&s[i]);
	}
	free(s);
}

static int list(int argc, char **argv)
{
	static ropts_t o;
	memset(&o, 0, sizeof o);
	int rc = cli_opts("regress list", list_opts, CLI_NOPTS(list_opts), &o, argc, argv, &o.nargs,
	                  list_help);
	if (rc == CLI_OK && o.nargs > 0) {
		rc = cli_usage_error("regress list", "unexpected argument '%s'", argv[1]);
	}
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	ssr_regress_suite_t *s = NULL;
	size_t n = 0;
	if (load_suites("regress list", &o.suites, &s, &n) != CLI_OK) {
		return CLI_FAIL;
	}
	if (o.format == 1) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < n; i++) {
			json_t *cases = json_array();
			for (size_t k = 0; cases && k < s[i].ncases; k++) {
				const ssr_regress_case_t *c = &s[i].cases[k];
				json_array_append_new(cases,
				                      json_pack("{s:s,s:s,s:s,s:s,s:s}", "id",
				                                c->id, "title", c->title, "refs",
				                                c->refs, "tag", c->tag, "severity",
				                                ssr_regress_sev_name(c->severity)));
			}
			json_array_append_new(a,
			                      json_pack("{s:s,s:s,s:s,s:s,s:o}", "suite", s[i].name,
			                                "title", s[i].title, "kind", s[i].kind,
			                                "file", s[i].file, "cases", cases));
		}
		rc = a && ssr_json_write(a, stdout) == SSR_EOK ? CLI_OK : CLI_FAIL;
		json_decref(a);
	} else {
		for (size_t i = 0; i < n; i++) {
			printf("%s (%s, %zu cases): %s\n", s[i].name, s[i].kind, s[i].ncases,
			       s[i].title);
			for (size_t k = 0; k < s[i].ncases; k++) {
				printf("  %-12s %s\n", s[i].cases[k].id, s[i].cases[k].title);
			}
		}
	}
	free_suites(s, n);
	return fflush(stdout) == 0 ? rc : CLI_FAIL;
}

/* Started implementations, stopped on every way out: normally by stop_all; on SIGINT or
 * SIGTERM by exiting at once, when the kernel sends each its SIGTERM (PR_SET_PDEATHSIG; their
 * working directories stay behind then). */
#define MAX_IMPLS 8
static ssr_regress_daemon_t *daemons[MAX_IMPLS];

static void on_signal(int sig)
{
	_exit(128 + sig);
}

static ssr_regress_mock_t *mock;
static char ftdir[400]; /* the clock file's directory, removed at the end */

static void stop_all(void)
{
	for (int i = 0; i < MAX_IMPLS; i++) {
		ssr_regress_daemon_stop(daemons[i]);
		daemons[i] = NULL;
	}
	ssr_regress_mock_stop(mock); /* after the resolvers that ask it */
	mock = NULL;
	if (ftdir[0]) {
		char p[600];
		snprintf(p, sizeof p, "%s/clock", ftdir);
		unlink(p);
		snprintf(p, sizeof p, "%s/clock.new", ftdir);
		unlink(p);
		rmdir(ftdir);
		ftdir[0] = '\0';
	}
}

/* The started implementations are targets first .. first + n - 1, daemons[0 ..]. */
typedef struct {
	const ssr_regress_target_t *first;
	size_t n;
} alive_t;

static bool still_alive(const ssr_regress_target_t *tg, char *why, size_t cap, void *ctx)
{
	const alive_t *a = ctx;
	if (tg < a->first || tg >= a->first + a->n) {
		return true; /* a live server: not ours to watch */
	}
	ssr_regress_daemon_t *d = daemons[tg - a->first];
	return d == NULL || ssr_regress_daemon_alive(d, why, cap);
}

/* A free port on addr for UDP and TCP both. */
static uint16_t free_port(const char *addr)
{
	for (int tries = 0; tries < 20; tries++) {
		struct sockaddr_in a = {.sin_family = AF_INET};
		inet_pton(AF_INET, addr, &a.sin_addr);
		int u = socket(AF_INET, SOCK_DGRAM, 0), t = socket(AF_INET, SOCK_STREAM, 0);
		socklen_t l = sizeof a;
		uint16_t port = 0;
		if (u >= 0 && t >= 0 && bind(u, (struct sockaddr *)&a, sizeof a) == 0 &&
		    getsockname(u, (struct sockaddr *)&a, &l) == 0 &&
		    bind(t, (struct sockaddr *)&a, sizeof a) == 0) {
			port = ntohs(a.sin_port);
		}
		if (u >= 0) {
			close(u);
		}
		if (t >= 0) {
			close(t);
		}
		if (port != 0) {
			return port;
		}
	}
	return 0;
}

/* A small zone for the suites when none is given: SOA, NS, glue, A, AAAA, TXT. */
static int default_zone(const char *zone, char *path, size_t cap)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(path, cap, "%s/ssrwatch-zone-XXXXXX", tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	if (f == NULL) {
		close(fd);
		return -1;
	}
	size_t zl = strlen(zone);
	fprintf(f,
	        "$ORIGIN %s%s\n$TTL 3600\n@ SOA ns1 hostmaster 2026120601 3600 900 604800 300\n"
	        "@ NS ns1\nns1 A 127.0.0.1\nwww A 192.0.2.1\nwww AAAA 2001:db8::1\n"
	        "txt TXT \"ssrwatch regression test zone\"\n",
	        zone, zl > 0 && zone[zl - 1] == '.' ? "" : ".");
	return fclose(f) == 0 ? 0 : -1;
}

#define NOT_HERE "not in this shard"

/* The merge of regress.run states ('ssrwatch merge'): set while run() parses for it. */
static const ssr_state_set_t *merge_set;

/* The verdicts out: the store (--store), then the report; CLI_FAIL also when a case of severity
 * error failed. */
static int regress_output(const ropts_t *o, ssr_regress_result_t *res, size_t nres)
{
	ssr_diag_t d = {0};
	int e = SSR_EOK, rc = CLI_OK;
	if (o->store != NULL) {
		char today[11];
		ssr_date_format((int32_t)(time(NULL) / 86400), today);
		ssr_store_t *st = NULL;
		e = ssr_store_open(o->store, &st, &d);
		if (e == SSR_EOK) {
			e = ssr_regress_store(st, res, nres, o->date ? o->date : today, &d);
		}
		ssr_store_free(st);
	}
	cli_out_t out;
	if (e == SSR_EOK && cli_out_open("regress run", o->output, &out) == CLI_OK) {
		int w = o->format == 1   ? ssr_report_regress_json(res, nres, out.f, &d)
		        : o->format == 2 ? ssr_report_regress_junit(res, nres, out.f)
		        : o->format == 3 ? ssr_report_regress_html(res, nres, o->record, out.f, &d)
		                         : ssr_report_regress_table(res, nres, out.f);
		rc = cli_out_close("regress run", &out, w == SSR_EOK);
		for (size_t i = 0; rc == CLI_OK && i < nres; i++) {
			if (res[i].result == SSR_RES_FAIL && res[i].c->severity == SSR_SEV_ERROR) {
				rc = CLI_FAIL;
			}
		}
	} else if (e != SSR_EOK) {
		cli_error("regress run: %s", d.msg);
		rc = CLI_FAIL;
	} else {
		rc = CLI_FAIL;
	}
	return rc;
}

/* What only this process's shard and output are: not kept in a shard's state. */
static const char *const not_kept[] = {"--shard", "--save-state", "--format", "--output",
                                       "--store", "--date",       "--record"};

/* A shard's verdicts into its state: the head names the suites (files and sizes), the target
 * count and the arguments (for the merge). */
static int shard_save(const ropts_t *o, int argc, char **argv, const ssr_regress_suite_t *s,
                      size_t ns, const ssr_regress_target_t *t, size_t nt, uint32_t shard,
                      uint32_t shards, const ssr_regress_result_t *res, size_t nres)
{
	ssr_diag_t d = {0};
	char *args = cli_state_args(argc, argv, not_kept, sizeof not_kept / sizeof not_kept[0]);
	const char **paths = calloc(ns ? ns : 1, sizeof *paths);
	size_t olen = args ? strlen(args) + 64 : 0;
	char *opts = args ? malloc(olen) : NULL;
	if (!args || !paths || !opts) {
		free(args);
		free(paths);
		free(opts);
		cli_error("regress run: out of memory");
		return CLI_FAIL;
	}
	snprintf(opts, olen, "targets=%zu\nargs=%s", nt, args);
	for (size_t i = 0; i < ns; i++) {
		paths[i] = s[i].file;
	}
	ssr_state_head_t h;
	ssr_state_buf_t b = {0};
	int e = ssr_state_head_init(&h, SSR_REGRESS_STATE_KIND, SSR_REGRESS_STATE_VERSION, opts, "",
	                            shards, paths, ns, "suite", &d);
	if (e == SSR_EOK) {
		e = ssr_regress_shard_save(s, ns, t, nt, shard, shards, res, nres, &b, &d);
		if (e == SSR_EOK) {
			ssr_state_entry_t en = {.shard = shard, .data = b.p, .len = b.n};
			e = ssr_state_write(o->save_state, &h, &en, 1, &d);
		}
		ssr_state_head_release(&h);
	}
	ssr_state_buf_release(&b);
	free(args);
	free(paths);
	free(opts);
	if (e != SSR_EOK) {
		cli_error("regress run: %s", d.msg);
		return CLI_FAIL;
	}
	ssr_log(&cli_log, SSR_LOG_INFO, "regress", "shard %u/%u saved to '%s'", shard + 1, shards,
	        o->save_state);
	return CLI_OK;
}

/* The merge: the states' verdicts (checked against the suites and the target count the
 * arguments give) reported as the single run reports them. */
static int regress_merge(const ropts_t *o, const ssr_regress_suite_t *s, size_t ns, size_t nt)
{
	ssr_diag_t d = {0};
	const ssr_state_head_t *h = &merge_set->head;
	unsigned long want = strtoul(h->options + strlen("targets="), NULL, 10);
	if (strncmp(h->options, "targets=", 8) != 0 || want != nt || h->ninputs != ns) {
		cli_error("merge: state '%s': its head does not fit its arguments",
		          merge_set->entry ? merge_set->entry[0].file : "?");
		return CLI_FAIL;
	}
	for (size_t i = 0; i < ns; i++) {
		if (strcmp(h->input_path[i], s[i].file) != 0) {
			cli_error("merge: suite '%s': not the shards' '%s'", s[i].file,
			          h->input_path[i]);
			return CLI_FAIL;
		}
	}
	ssr_regress_target_t *tg = NULL;
	ssr_regress_result_t *res = NULL;
	size_t nres = 0;
	if (ssr_regress_shard_combine(merge_set, s, ns, (uint32_t)nt, &tg, &res, &nres, &d) !=
	    SSR_EOK) {
		cli_error("merge: %s", d.msg);
		return CLI_FAIL;
	}
	int rc = regress_output(o, res, nres);
	free(res);
	free(tg);
	return rc;
}

static int run(int argc, char **argv)
{
	static ropts_t o;
	memset(&o, 0, sizeof o);
	int rc = cli_opts("regress run", run_opts, CLI_NOPTS(run_opts), &o, argc, argv, &o.nargs,
	                  run_help);
	if (rc == CLI_OK && o.nargs > 0) {
		rc = cli_usage_error("regress run", "unexpected argument '%s'", argv[1]);
	}
	if (rc == CLI_OK && o.targets.n == 0 && o.impls == NULL) {
		rc = cli_usage_error("regress run", "at least one --target or --impl is required");
	}
	uint32_t shard = 0, shards = 1;
	if (rc == CLI_OK && (o.shard != NULL) != (o.save_state != NULL) && !merge_set) {
		rc = cli_usage_error("regress run", "--shard and --save-state go together");
	}
	if (rc == CLI_OK && o.shard && ssr_state_shard_parse(o.shard, &shard, &shards) != SSR_EOK) {
		rc = cli_usage_error("regress run", "bad --shard '%s' (I/N, 1 <= I <= N)", o.shard);
	}
	if (rc == CLI_OK && o.save_state && (o.record || o.store || o.output)) {
		rc = cli_usage_error("regress run", "--shard goes without %s (the merge has it)",
		                     o.record  ? "--record"
		                     : o.store ? "--store"
		                               : "--output");
	}
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	char impl[MAX_IMPLS][32];
	size_t nimpl = 0;
	ssr_regress_suite_t *s = NULL;
	size_t ns = 0;
	if (load_suites("regress run", &o.suites, &s, &ns) != CLI_OK) {
		return CLI_FAIL;
	}
	/* one kind per run: without --suite, the first shipped suite of the kind --zone implies (a
	 * zone: 'edns', which any zone answers; none: 'resolver'); the others (dnssec, which needs
	 * the conformance zone, ksk-rollover, algorithm-rollover) by name */
	bool resolver = o.zone == NULL;
	for (size_t i = 0; i < ns;) {
		bool r = strcmp(s[i].kind, "resolver") == 0;
		if (o.suites.n == 0 && (r != resolver || i > 0)) {
			ssr_regress_suite_release(&s[i]);
			memmove(&s[i], &s[i + 1], (ns - i - 1) * sizeof(*s));
			ns--;
			continue;
		}
		if (r != resolver) {
			char name[64];
			snprintf(name, sizeof name, "%s", s[i].name);
			free_suites(s, ns);
			return cli_usage_error("regress run",
			                       r ? "a resolver suite ('%s') takes no --zone"
			                         : "suite '%s' is authoritative: it needs --zone",
			                       name);
		}
		if (r && i > 0) {
			free_suites(s, ns);
			return cli_usage_error(
			    "regress run", "one resolver suite per run (each has its hierarchy)");
		}
		i++;
	}
	if (ns == 0) {
		free_suites(s, ns);
		cli_error("regress run: no suite of that kind");
		return CLI_FAIL;
	}
	for (const char *p = o.impls; p != NULL && *p;) {
		size_t l = strcspn(p, ",");
		if (l == 0 || l >= sizeof impl[0] || nimpl == MAX_IMPLS) {
			return cli_usage_error("regress run",
			                       "bad --impl '%s' (a comma-separated list)", o.impls);
		}
		snprintf(impl[nimpl], sizeof impl[0], "%.*s", (int)l, p);
		if (!ssr_regress_impl_known(impl[nimpl++], resolver)) {
			free_suites(s, ns);
			return cli_usage_error("regress run", "unknown %s '%.*s' (%s)",
			                       resolver ? "resolver"
			                                : "authoritative implementation",
			                       (int)l, p, ssr_regress_impl_names(resolver));
		}
		p += l + (p[l] == ',');
	}
	ssr_regress_target_t *t = calloc(o.targets.n + nimpl + 1, sizeof(*t));
	if (t == NULL) {
		free_suites(s, ns);
		cli_error("regress run: out of memory");
		return CLI_FAIL;
	}
	for (size_t i = 0; i < o.targets.n; i++) {
		if (ssr_regress_target_parse(o.targets.v[i], &t[i]) != SSR_EOK) {
			free(t);
			free_suites(s, ns);
			return cli_usage_error(
			    "regress run", "bad --target '%s' (NAME=ADDR[:PORT])", o.targets.v[i]);
		}
		if (!ssr_state_item_has((uint32_t)i, shard, shards)) {
			snprintf(t[i].down, sizeof t[i].down, "%s", NOT_HERE);
		}
	}
	if (merge_set) { /* the verdicts come from the states */
		rc = regress_merge(&o, s, ns, o.targets.n + nimpl);
		free(t);
		free_suites(s, ns);
		return rc;
	}
	ssr_diag_t d;
	/* a timeline moves the resolvers' clock: libssrclock reads the offset from this file */
	char ftfile[600] = "";
	if (resolver && s[0].nsteps > 0 && nimpl > 0) {
		const char *tmp = getenv("TMPDIR");
		snprintf(ftdir, sizeof ftdir, "%s/ssrwatch-clock-XXXXXX", tmp ? tmp : "/tmp");
		FILE *f = NULL;
		if (mkdtemp(ftdir) != NULL) {
			snprintf(ftfile, sizeof ftfile, "%s/clock", ftdir);
			f = fopen(ftfile, "w");
		}
		if (f == NULL || fputs("+0\n", f) < 0 || fclose(f) != 0) {
			cli_error("regress run: cannot write the clock file");
			stop_all();
			free(t);
			free_suites(s, ns);
			return CLI_FAIL;
		}
	}
	if (resolver &&
	    ssr_regress_mock_start(s[0].servers, s[0].nservers, 53, &mock, &d) != SSR_EOK) {
		cli_error("regress run: the mock hierarchy: %s", d.msg);
		stop_all();
		free(t);
		free_suites(s, ns);
		return CLI_FAIL;
	}
	size_t ntargets = o.targets.n;
	char zpath[512] = "";
	if (nimpl > 0) {
		struct sigaction sa = {.sa_handler = on_signal};
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		if (!resolver && o.zone_file == NULL &&
		    default_zone(o.zone, zpath, sizeof zpath) != 0) {
			cli_error("regress run: cannot write a test zone");
			free_suites(s, ns);
			free(t);
			return CLI_FAIL;
		}
	}
	for (size_t i = 0; i < nimpl; i++) {
		if (!ssr_state_item_has((uint32_t)ntargets, shard, shards)) {
			ssr_regress_target_t *x = &t[ntargets++];
			snprintf(x->name, sizeof x->name, "%.31s", impl[i]);
			snprintf(x->impl, sizeof x->impl, "%.31s", impl[i]);
			snprintf(x->down, sizeof x->down, "%s", NOT_HERE);
			continue;
		}
		/* 127.0.0.1 and a port of its own: BIND listens only on addresses an interface
		 * carries, and lo carries 127.0.0.1 */
		char addr[32] = "127.0.0.1";
		uint16_t port = free_port(addr);
		/* a resolver asks upstream from an address of its own: the mock servers' log
		 * tells the resolvers apart */
		char source[32];
		snprintf(source, sizeof source, "127.53.1.%zu", i + 1);
		ssr_regress_daemon_spec_t sp = {
		    .impl = impl[i],
		    .resolver = resolver,
		    .addr = addr,
		    .port = port,
		    .zone = o.zone,
		    .zonefile = o.zone_file ? o.zone_file : zpath,
		    .root_ns = resolver ? s[0].root_ns : NULL,
		    .root_addr = resolver ? ssr_regress_suite_root_addr(&s[0]) : NULL,
		    .trust_anchor = resolver ? s[0].trust_anchor : NULL,
		    .source = resolver ? source : NULL,
		    .managed_key = resolver && s[0].managed_key[0] ? s[0].managed_key : NULL,
		    .clock_file = ftfile[0] ? ftfile : NULL,
		    .serve_stale = resolver && s[0].serve_stale};
		if (ssr_regress_daemon_start(&sp, &daemons[i], &t[ntargets], &d) != SSR_EOK) {
			/* its cases fail with the reason; the other targets go on */
			cli_error("regress run: %s", d.msg);
			memset(&t[ntargets], 0, sizeof t[ntargets]);
			snprintf(t[ntargets].name, sizeof t[ntargets].name, "%.31s", impl[i]);
			snprintf(t[ntargets].impl, sizeof t[ntargets].impl, "%.31s", impl[i]);
			snprintf(t[ntargets].down, sizeof t[ntargets].down, "%.255s", d.msg);
		}
		ntargets++;
	}
	ssr_probe_rec_t *rec = NULL;
	ssr_regress_result_t *res = NULL;
	size_t nres = 0;
	int e = o.record ? ssr_probe_rec_open(o.record, &rec, &d) : SSR_EOK;
	if (e == SSR_EOK) {
		alive_t al = {&t[o.targets.n], nimpl};
		ssr_regress_opts_t ro = {.zone = o.zone,
		                         .timeout_ms = o.timeout_ms,
		                         .record = rec,
		                         .mock = mock,
		                         .clock_file = ftfile[0] ? ftfile : NULL,
		                         .alive = still_alive,
		                         .alive_ctx = &al};
		e = ssr_regress_run(s, ns, t, ntargets, &ro, &res, &nres, &d);
	}
	ssr_diag_t cd;
	int ce = ssr_probe_rec_close(rec, &cd);
	if (e == SSR_EOK && ce != SSR_EOK) {
		e = ce;
		d = cd;
	}
	if (e == SSR_EOK && o.save_state) {
		rc = shard_save(&o, argc, argv, s, ns, t, ntargets, shard, shards, res, nres);
	} else if (e == SSR_EOK) {
		rc = regress_output(&o, res, nres);
	} else {
		cli_error("regress run: %s", d.msg);
		rc = CLI_FAIL;
	}
	stop_all();
	if (zpath[0]) {
		unlink(zpath);
	}
	free(res);
	free_suites(s, ns);
	free(t);
	return rc;
}

static const char diff_help[] =
    "usage: ssrwatch regress diff (--queries FILE | --capture FILE | --zone-file FILE)\n"
    "                             --target NAME=ADDR[:PORT]... [options]\n"
    "\n"
    "Ask every target (2 to 8) every query (at most 20,000): of a query file (\"NAME TYPE\"\n"
    "lines, dnsperf's format), the distinct questions of the queries in a capture (pcap or\n"
    "pcapng, as traffic reads them), or every distinct name and type of a zone file (RRSIG,\n"
    "NSEC, NSEC3 left out; --origin ZONE for relative names); compare the answers field by\n"
    "field (rcode, flags, answer and authority records without TTLs, RRSIG present), ask\n"
    "the disagreeing queries once more and report\n"
    "what disagreed both times: the odd targets out, or 'unstable' when most do not agree.\n"
    "Exit status 0 without disagreements, 1 with.\n"
    "\n"
    "options:\n"
    "  --rd                  queries with RD (resolvers)\n"
    "  --timeout-ms N        per query (4000)\n"
    "  --record FILE         every exchange into a record file\n"
    "  --format F            table (default) or json\n";

typedef struct {
	const char *queries, *capture, *zone_file, *origin, *record;
	cli_list_t targets;
	bool rd;
	unsigned timeout_ms;
	int format;
	int nargs;
} dopts_t;

static const ssr_opt_t diff_opts[] = {
    SSR_OPT_STR("queries", dopts_t, queries),
    SSR_OPT_STR("capture", dopts_t, capture),
    SSR_OPT_STR("zone-file", dopts_t, zone_file),
    SSR_OPT_STR("origin", dopts_t, origin),
    SSR_OPT_FN("target", dopts_t, targets, cli_opt_list),
    SSR_OPT_FLAG("rd", dopts_t, rd),
    SSR_OPT_UINT("timeout-ms", dopts_t, timeout_ms, 1, 600000),
    SSR_OPT_STR("record", dopts_t, record),
    SSR_OPT_CHOICE("format", dopts_t, format, "format", list_formats),
    SSR_OPT_HELP,
};

static int diff(int argc, char **argv)
{
	static dopts_t o;
	memset(&o, 0, sizeof o);
	int rc = cli_opts("regress diff", diff_opts, CLI_NOPTS(diff_opts), &o, argc, argv, &o.nargs,
	                  diff_help);
	if (rc == CLI_OK && o.nargs > 0) {
		rc = cli_usage_error("regress diff", "unexpected argument '%s'", argv[1]);
	}
	int sources = (o.queries != NULL) + (o.capture != NULL) + (o.zone_file != NULL);
	if (rc == CLI_OK && (sources != 1 || o.targets.n < 2 || o.targets.n > 8)) {
		rc = cli_usage_error("regress diff", "one of --queries, --capture or --zone-file, "
		                                     "and 2 to 8 --target, are required");
	}
	if (rc == CLI_OK && o.origin != NULL && o.zone_file == NULL) {
		rc = cli_usage_error("regress diff", "--origin goes with --zone-file");
	}
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	ssr_regress_target_t t[8];
	for (size_t i = 0; i < o.targets.n; i++) {
		if (ssr_regress_target_parse(o.targets.v[i], &t[i]) != SSR_EOK) {
			return cli_usage_error(
			    "regress diff", "bad --target '%s' (NAME=ADDR[:PORT])", o.targets.v[i]);
		}
	}
	ssr_diag_t d;
	ssr_probe_rec_t *rec = NULL;
	ssr_regress_diff_t *res = NULL;
	size_t n = 0;
	uint64_t asked = 0, timeouts = 0;
	int e = o.record ? ssr_probe_rec_open(o.record, &rec, &d) : SSR_EOK;
	if (e == SSR_EOK) {
		ssr_regress_diff_opts_t dopt = {.rd = o.rd,
		                                .timeout_ms = o.timeout_ms,
		                                .record = rec,
		                                .from = o.capture     ? SSR_DIFF_CAPTURE
		                                        : o.zone_file ? SSR_DIFF_ZONE
		                                                      : SSR_DIFF_QUERIES,
		                                .origin = o.origin};
		const char *src = o.capture ? o.capture : o.zone_file ? o.zone_file : o.queries;
		e = ssr_regress_diff(src, t, o.targets.n, &dopt, &res, &n, &asked, &timeouts, &d);
	}
	ssr_diag_t cd;
	int ce = ssr_probe_rec_close(rec, &cd);
	if (e == SSR_EOK && ce != SSR_EOK) {
		e = ce;
		d = cd;
	}
	if (e != SSR_EOK) {
		cli_error("regress diff: %s", d.msg);
		free(res);
		return CLI_FAIL;
	}
	if (o.format == 1) {
		json_t *rows = json_array();
		for (size_t i = 0; rows != NULL && i < n; i++) {
			char type[32];
			snprintf(type, sizeof type, "%u", res[i].qtype);
			json_t *vals = json_object();
			for (size_t k = 0; vals != NULL && k < o.targets.n; k++) {
				json_object_set_new(vals, t[k].name, json_string(res[i].values[k]));
			}
			json_array_append_new(
			    rows, json_pack("{s:s,s:i,s:s,s:s,s:s,s:o}", "query", res[i].qname,
			                    "type", (int)res[i].qtype, "field",
			                    ssr_regress_diff_field(res[i].field), "class",
			                    res[i].unstable ? "unstable" : "differ", "odd",
			                    res[i].odd, "values", vals));
		}
		json_t *doc = json_pack("{s:I,s:I,s:I,s:o}", "queries", (json_int_t)asked,
		                        "timeouts", (json_int_t)timeouts, "disagreements",
		                        (json_int_t)n, "differences", rows);
		rc = doc && ssr_json_write(doc, stdout) == SSR_EOK ? CLI_OK : CLI_FAIL;
		json_decref(doc);
	} else {
		printf("%llu queries to %zu targets, %llu timeouts, %zu disagreements\n",
		       (unsigned long long)asked, o.targets.n, (unsigned long long)timeouts, n);
		for (size_t i = 0; i < n; i++) {
			printf("%s %u %s: %s\n", res[i].qname, res[i].qtype,
			       ssr_regress_diff_field(res[i].field),
			       res[i].unstable ? "unstable" : res[i].odd);
			for (size_t k = 0; k < o.targets.n; k++) {
				printf("  %-10s %s\n", t[k].name, res[i].values[k]);
			}
		}
	}
	free(res);
	if (rc == CLI_OK && fflush(stdout) != 0) {
		rc = CLI_FAIL;
	}
	return rc == CLI_OK && n > 0 ? CLI_FAIL : rc;
}

int cli_regress_merge(const ssr_state_set_t *set, const char *const *extra, size_t nextra)
{
	const char *a = strstr(set->head.options, "\nargs=");
	if (!a) {
		cli_error("merge: state '%s': not a regression run's state", set->entry[0].file);
		return CLI_FAIL;
	}
	merge_set = set;
	int rc = cli_state_rerun(a + 6, "run", extra, nextra, run);
	merge_set = NULL;
	return rc;
}

int cmd_regress(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(regress_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "list") == 0) {
		return list(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "run") == 0) {
		return run(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "diff") == 0) {
		return diff(argc - 1, argv + 1);
	}
	return cli_usage_error("regress", "unknown command '%s' (list, run, diff)", argv[1]);
}
