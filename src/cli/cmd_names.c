/* ssrwatch names scan | check | permute */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "ssrwatch/arena.h"
#include "ssrwatch/date.h"
#include "ssrwatch/names.h"
#include "ssrwatch/psl.h"
#include "ssrwatch/state.h"
#include "ssrwatch/store.h"
#include "ssrwatch/namesstore.h"

static const char names_help[] =
    "usage: ssrwatch names <scan|check|permute> [options]\n"
    "\n"
    "  scan      every delegation of zone files that imitates a protected name\n"
    "  check     which protected names the given domains imitate, and how\n"
    "  permute   the permutations of a domain our kinds cover, as dnstwist's CSV\n"
    "\n"
    "Kinds: homoglyph, omission, insertion, repetition, addition, replacement,\n"
    "transposition, vowel-swap, hyphenation, bitsquat, combosquat, tld-swap, subdomain, token;\n"
    "'typo' names the eight edit kinds, 'all' every kind.  See ssrwatch(1) and\n"
    "docs/METHODOLOGY.md for the rules and scores.\n";

static const char match_opts_help[] =
    "  --brands FILE           protected names, one per line: labels or domains (required)\n"
    "  --allow FILE            registered domains never reported (the owners' own)\n"
    "  --words FILE            more combosquat words, one per line\n"
    "  --kinds LIST            kinds to look for (default all)\n"
    "  --min-score F           report matches scoring at least F (default 0)\n"
    "  --min-typo-length N     shortest brand label for edit kinds (default 4)\n"
    "  --min-combo-length N    shortest brand label for combosquats (default 4)\n"
    "  --psl FILE              public suffix list (default: libpsl's newest)\n"
    "  --format F              table (default), json or csv\n"
    "  --output FILE           write to FILE instead of standard output\n"
    "  --quiet                 no summary on standard error\n";

static const char scan_help[] =
    "usage: ssrwatch names scan --brands FILE [options] ZONEFILE...\n"
    "\n"
    "Stream zone files (plain, .gz, .zst, '-' for stdin) and report every delegation that\n"
    "imitates a protected name: domain, zone, brand, kinds, score and why.  Memory does not\n"
    "grow with the zone.  With --store and --date the matches are stored as the\n"
    "misleading-name category of that snapshot date (shown apart in abuse reports).\n"
    "\n"
    "options:\n";
static const char scan_help2[] =
    "  --store DB              store the matches (SQLite path or postgresql:// URI)\n"
    "  --date YYYY-MM-DD       the snapshot date the matches belong to (with --store)\n"
    "  --keep-going            skip bad zone records instead of stopping\n"
    "  --shard I/N             scan only shard I of N (one plain zone: its I-th byte range at\n"
    "                          owner boundaries; several: whole files, balanced by size) and\n"
    "                          save it with --save-state FILE; 'ssrwatch merge' of all N\n"
    "                          writes what the single scan writes (and --store, --date)\n"
    "  --save-state FILE       write the shard's state instead of the matches\n";

static const char check_help[] =
    "usage: ssrwatch names check --brands FILE [options] NAME...\n"
    "\n"
    "The reverse lookup: for each host name (A-labels or UTF-8; '-' reads names from\n"
    "standard input, one per line), the protected names it imitates and how.  Names that\n"
    "imitate nothing are listed with no brand.  Exit status 0 whether or not names match.\n"
    "\n"
    "options:\n";

static const char permute_help[] =
    "usage: ssrwatch names permute [--kinds LIST] [--words FILE] [--psl FILE] DOMAIN\n"
    "\n"
    "Print every permutation of DOMAIN that our kinds describe, as dnstwist's CSV\n"
    "(fuzzer,domain; the first row is *original), without any DNS lookup, so that coverage\n"
    "can be compared with `dnstwist --format csv`.\n";

typedef struct {
	const char *brands, *allow, *words, *psl_path, *output, *store, *date, *providers;
	const char *shard, *save_state;
	uint32_t kinds;
	double min_score;
	unsigned min_typo, min_combo;
	ssr_format_t fmt;
	bool quiet, keep_going;
	ssr_psl_t *psl;
	ssr_names_t *nm;
	cli_out_t out;
	/* output */
	ssr_table_t table;
	bool table_ready;
	uint64_t rows;
	uint64_t skipped_lines;
	int nargs; /* the arguments: argv[1..nargs] */
} ncli_t;

static int opt_kinds(const char *v, void *member, ssr_diag_t *diag)
{
	return ssr_names_kinds_parse(v, member, diag);
}

static int opt_scan_only(const char *v, void *member, ssr_diag_t *diag)
{
	(void)v, (void)member;
	return ssr_diag_set(diag, SSR_EINVAL,
	                    "--store, --date and --keep-going are for names scan");
}

#define MATCH_OPTS                                                                                 \
	SSR_OPT_STR("brands", ncli_t, brands), SSR_OPT_STR("allow", ncli_t, allow),                \
	    SSR_OPT_STR("words", ncli_t, words), SSR_OPT_FN("kinds", ncli_t, kinds, opt_kinds),    \
	    SSR_OPT_FN("min-score", ncli_t, min_score, cli_opt_score),                             \
	    SSR_OPT_UINT("min-typo-length", ncli_t, min_typo, 1, 63),                              \
	    SSR_OPT_UINT("min-combo-length", ncli_t, min_combo, 1, 63),                            \
	    SSR_OPT_STR("psl", ncli_t, psl_path), SSR_OPT_STR("providers", ncli_t, providers),     \
	    SSR_OPT_FN("format", ncli_t, fmt, cli_opt_format),                                     \
	    SSR_OPT_STR("output", ncli_t, output), SSR_OPT_FLAG("quiet", ncli_t, quiet),           \
	    SSR_OPT_HELP

static const ssr_opt_t scan_opts[] = {
    MATCH_OPTS,
    SSR_OPT_STR("shard", ncli_t, shard),
    SSR_OPT_STR("save-state", ncli_t, save_state),
    SSR_OPT_STR("store", ncli_t, store),
    SSR_OPT_FN("date", ncli_t, date, cli_opt_date),
    SSR_OPT_FLAG("keep-going", ncli_t, keep_going),
};

static const ssr_opt_t check_opts[] = {
    MATCH_OPTS,
    SSR_OPT_FN("store", ncli_t, store, opt_scan_only),
    SSR_OPT_FN("date", ncli_t, date, opt_scan_only),
    SSR_OPT_FN("keep-going", ncli_t, keep_going, opt_scan_only),
};

static const ssr_opt_t permute_opts[] = {
    SSR_OPT_FN("kinds", ncli_t, kinds, opt_kinds),
    SSR_OPT_STR("words", ncli_t, words),
    SSR_OPT_STR("psl", ncli_t, psl_path),
    SSR_OPT_HELP,
};

/* Parse the shared options; returns -1 to go on, or the exit status. */
static int parse_opts(const char *cmd, int argc, char **argv, ncli_t *c, bool scan)
{
	int rc =
	    scan ? cli_opts(cmd, scan_opts, CLI_NOPTS(scan_opts), c, argc, argv, &c->nargs, NULL)
	         : cli_opts(cmd, check_opts, CLI_NOPTS(check_opts), c, argc, argv, &c->nargs, NULL);
	if (rc == CLI_HELP) {
		fputs(scan ? scan_help : check_help, stdout);
		fputs(match_opts_help, stdout);
		if (scan) {
			fputs(scan_help2, stdout);
		}
		return CLI_OK;
	}
	if (rc != CLI_OK) {
		return rc;
	}
	if (!c->brands) {
		return cli_usage_error(cmd, "--brands is required");
	}
	if (c->nargs == 0) {
		return cli_usage_error(cmd, scan ? "no zone file given" : "no name given");
	}
	if ((c->store != NULL) != (c->date != NULL)) {
		return cli_usage_error(cmd, "--store and --date go together");
	}
	return -1;
}

static void on_skip(const char *msg, void *ctx)
{
	ncli_t *c = ctx;
	if (c->skipped_lines++ < 10) {
		ssr_log(&cli_log, SSR_LOG_WARNING, "names", "%s", msg);
	}
}

static int setup(const char *cmd, ncli_t *c)
{
	ssr_diag_t diag = {0};
	ssr_names_load_stats_t bs = {0}, as = {0}, ws = {0};
	if (ssr_psl_new(c->psl_path, &c->psl, &diag) != SSR_EOK ||
	    ssr_psl_load_providers(c->psl, c->providers ? c->providers : ssr_names_providers_path(),
	                           NULL, &diag) != SSR_EOK) {
		cli_error("%s", diag.msg);
		return CLI_FAIL;
	}
	ssr_names_opts_t o = {.psl = c->psl,
	                      .kinds = c->kinds,
	                      .min_typo_len = c->min_typo,
	                      .min_combo_len = c->min_combo};
	ssr_names_files_t f = {.brands = c->brands,
	                       .allow = c->allow,
	                       .words = c->words,
	                       .skip = on_skip,
	                       .skip_ctx = c,
	                       .brand_stats = &bs,
	                       .allow_stats = &as,
	                       .word_stats = &ws};
	if (ssr_names_open(&o, &f, &c->nm, &diag) != SSR_EOK) {
		cli_error("%s: %s", cmd, diag.msg);
		return CLI_FAIL;
	}
	if (!c->quiet) {
		fprintf(stderr,
		        "%s: %llu brands from '%s' (%llu lines: %llu blank or comments, %llu "
		        "duplicates, "
		        "%llu invalid, %llu not UTF-8)\n",
		        cmd, (unsigned long long)bs.added, c->brands, (unsigned long long)bs.lines,
		        (unsigned long long)bs.blank, (unsigned long long)bs.duplicates,
		        (unsigned long long)bs.invalid, (unsigned long long)bs.not_utf8);
		if (c->allow) {
			fprintf(stderr, "%s: %llu allowed domains, %llu lines skipped\n", cmd,
			        (unsigned long long)as.added,
			        (unsigned long long)(as.invalid + as.not_utf8));
		}
	}
	if (cli_out_open(cmd, c->output, &c->out) != CLI_OK) {
		return CLI_FAIL;
	}
	return -1;
}

/* Free everything; the output is kept only when rc is CLI_OK.  Returns the exit status. */
static int teardown(ncli_t *c, int rc)
{
	if (c->table_ready) {
		ssr_table_release(&c->table);
	}
	int w = cli_out_close("names", &c->out, rc == CLI_OK);
	ssr_names_free(c->nm);
	ssr_psl_free(c->psl);
	return rc != CLI_OK ? rc : w;
}

#define NCOLS 9

/* One output row: zone may be NULL (check). */
static int put_row(ncli_t *c, const char *name, const char *zone, const ssr_names_subject_t *s,
                   const ssr_names_match_t *m)
{
	char kinds[256] = "", score[16] = "";
	if (m) {
		if (ssr_names_kinds_format(m->kinds, kinds, sizeof kinds) < 0) {
			return SSR_ELIMIT; /* 256 bytes hold every kind's name */
		}
		snprintf(score, sizeof score, "%.2f", m->score);
	}
	const char *uni = s && s->unicode ? s->unicode : "";
	const char *dom = s ? s->domain : "";
	c->rows++;
	if (c->fmt == SSR_FORMAT_JSON) {
		json_t *o = json_object();
		json_object_set_new(o, zone ? "domain" : "name", json_string(zone ? dom : name));
		if (zone) {
			json_object_set_new(o, "zone", json_string(zone));
		} else {
			json_object_set_new(o, "domain", json_string(dom));
		}
		if (*uni) {
			json_object_set_new(o, "unicode", json_string(uni));
		}
		if (s && s->provider) {
			json_object_set_new(o, "provider", json_string(s->provider));
		}
		if (m) {
			json_object_set_new(o, "brand", json_string(m->brand));
			json_t *k = json_array();
			for (unsigned i = 0; i < SSR_NAMES_KIND_COUNT; i++) {
				if (m->kinds & (1u << i)) {
					json_array_append_new(k,
					                      json_string(ssr_names_kind_name(i)));
				}
			}
			json_object_set_new(o, "kinds", k);
			json_object_set_new(o, "score",
			                    json_real((double)(long)(m->score * 100 + 0.5) / 100));
			json_object_set_new(o, "detail", json_string(m->detail));
			json_object_set_new(o, "position", json_string(m->position));
		} else {
			json_object_set_new(o, "brand", json_null());
		}
		char *t = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
		json_decref(o);
		if (!t) {
			return SSR_ENOMEM;
		}
		fprintf(c->out.f, "%s%s", c->rows > 1 ? ",\n" : "[\n", t);
		free(t);
		return SSR_EOK;
	}
	const char *cells[NCOLS] = {zone ? dom : name,
	                            zone ? zone : dom,
	                            uni,
	                            m ? m->brand : "",
	                            kinds,
	                            score,
	                            m ? m->detail : "",
	                            m ? m->position : "",
	                            s && s->provider ? s->provider : ""};
	if (c->fmt == SSR_FORMAT_CSV) {
		for (int i = 0; i < NCOLS; i++) {
			if (i) {
				fputc(',', c->out.f);
			}
			ssr_csv_write_cell(cells[i], c->out.f);
		}
		fputc('\n', c->out.f);
		return SSR_EOK;
	}
	return ssr_table_add(&c->table, cells);
}

static void out_begin(ncli_t *c, bool scan)
{
	static const char *const hs[NCOLS] = {"domain", "zone",   "unicode",  "brand",   "kinds",
	                                      "score",  "detail", "position", "provider"};
	static const char *const hc[NCOLS] = {"name",  "domain", "unicode",  "brand",   "kinds",
	                                      "score", "detail", "position", "provider"};
	const char *const *h = scan ? hs : hc;
	if (c->fmt == SSR_FORMAT_CSV) {
		for (int i = 0; i < NCOLS; i++) {
			fprintf(c->out.f, "%s%s", i ? "," : "", h[i]);
		}
		fputc('\n', c->out.f);
	} else if (c->fmt == SSR_FORMAT_TABLE) {
		ssr_table_init(&c->table, NCOLS, NULL);
		c->table_ready = true;
		ssr_table_add(&c->table, h);
	}
}

/* The end of the output (write errors are caught when it is closed); CLI_FAIL when the table
 * could not be built (memory). */
static int out_end(ncli_t *c)
{
	if (c->fmt == SSR_FORMAT_JSON) {
		fputs(c->rows ? "\n]\n" : "[]\n", c->out.f);
	} else if (c->fmt == SSR_FORMAT_TABLE &&
	           ssr_table_write_text(&c->table, c->out.f) != SSR_EOK) {
		cli_error("names: cannot write the table: %s", ssr_strerror(c->table.err));
		return CLI_FAIL;
	}
	return CLI_OK;
}

static int scan_hit(const char *zone, const ssr_names_subject_t *s, const ssr_names_match_t *m,
                    void *ctx)
{
	return put_row(ctx, NULL, zone, s, m);
}

static void zone_err(const char *file, uint64_t line, const char *msg, void *ctx)
{
	ncli_t *c = ctx;
	(void)file;
	(void)line;
	if (c->skipped_lines++ < 10) {
		ssr_log(&cli_log, SSR_LOG_WARNING, "names", "%s", msg);
	}
}

/* What changes a scan's matches: the index's settings and files (path and size). */
static void file_tag(char *out, size_t cap, const char *what, const char *path)
{
	struct stat sb;
	size_t l = strlen(out);
	snprintf(out + l, cap - l, "%s=%s:%lld;", what, path ? path : "",
	         path && stat(path, &sb) == 0 ? (long long)sb.st_size : -1LL);
}

/* --shard I/N --save-state FILE: this shard's matches and counts, no output. */
static int names_shard(ncli_t *c, char **argv, const ssr_names_scan_opts_t *so)
{
	uint32_t shard = 0, shards = 1;
	if (c->shard && ssr_state_shard_parse(c->shard, &shard, &shards) != SSR_EOK) {
		return cli_usage_error("names scan", "bad --shard '%s' (I/N, 1 <= I <= N)",
		                       c->shard);
	}
	if (!c->save_state) {
		return cli_usage_error("names scan", "--shard needs --save-state FILE");
	}
	if (c->store || c->keep_going) {
		return cli_usage_error("names scan", "--shard and --save-state go without %s",
		                       c->store ? "--store (merge stores)" : "--keep-going");
	}
	char opts[16384];
	snprintf(opts, sizeof opts, "kinds=%u;typo=%u;combo=%u;min=%.6f;", c->kinds, c->min_typo,
	         c->min_combo, c->min_score);
	file_tag(opts, sizeof opts, "brands", c->brands);
	file_tag(opts, sizeof opts, "allow", c->allow);
	file_tag(opts, sizeof opts, "words", c->words);
	file_tag(opts, sizeof opts, "psl", c->psl_path);
	ssr_diag_t diag = {0};
	ssr_state_head_t h;
	ssr_state_buf_t b = {0};
	int rc =
	    ssr_state_head_init(&h, SSR_NAMES_STATE_KIND, 1, opts, c->date, shards,
	                        (const char *const *)argv + 1, (size_t)c->nargs, "zone", &diag);
	if (rc == SSR_EOK) {
		rc = ssr_names_scan_shard(c->nm, (const char *const *)argv + 1, (size_t)c->nargs,
		                          so, shard, shards, &b, &diag);
		if (rc == SSR_EOK) {
			ssr_state_entry_t e = {.shard = shard, .data = b.p, .len = b.n};
			rc = ssr_state_write(c->save_state, &h, &e, 1, &diag);
		}
		ssr_state_head_release(&h);
	}
	ssr_state_buf_release(&b);
	if (rc != SSR_EOK) {
		cli_error("names scan: %s", diag.msg);
		return CLI_FAIL;
	}
	return CLI_OK;
}

int cmd_names_merge(const ssr_state_set_t *set, ssr_format_t fmt, const char *output,
                    const char *store, const char *date)
{
	static ncli_t c;
	memset(&c, 0, sizeof c);
	c.fmt = fmt;
	ssr_diag_t diag = {0};
	ssr_names_scan_opts_t so = {.date = date, .brands = NULL};
	if (store && !date) {
		return cli_usage_error("merge", "--store and --date go together");
	}
	if (store && ssr_store_open(store, &so.store, &diag) != SSR_EOK) {
		cli_error("merge: %s", diag.msg);
		return CLI_FAIL;
	}
	/* the brand list the shards used is named in the states' options */
	char brands[4096] = "";
	const char *bp = strstr(set->head.options, "brands=");
	if (bp) {
		snprintf(brands, sizeof brands, "%.*s", (int)strcspn(bp + 7, ":;"), bp + 7);
		so.brands = brands;
	}
	if (cli_out_open("merge", output, &c.out) != CLI_OK) {
		ssr_store_free(so.store);
		return CLI_FAIL;
	}
	out_begin(&c, true);
	ssr_names_scan_stats_t ss = {0};
	int rc = CLI_OK;
	if (ssr_names_scan_combine(set, &so, scan_hit, &c, &ss, &diag) != SSR_EOK) {
		cli_error("merge: %s", diag.msg);
		rc = CLI_FAIL;
	}
	ssr_store_free(so.store);
	if (rc == CLI_OK) {
		rc = out_end(&c);
	}
	if (c.table_ready) {
		ssr_table_release(&c.table);
	}
	int w = cli_out_close("merge", &c.out, rc == CLI_OK);
	return rc != CLI_OK ? rc : w;
}

static int names_scan(int argc, char **argv)
{
	ncli_t c = {0};
	int rc = parse_opts("names scan", argc, argv, &c, true);
	if (rc >= 0) {
		return rc;
	}
	if ((rc = setup("names scan", &c)) >= 0) {
		return teardown(&c, rc);
	}
	ssr_diag_t diag = {0};
	ssr_names_scan_opts_t so = {.date = c.date,
	                            .brands = c.brands,
	                            .min_score = c.min_score,
	                            .zone = {.keep_going = c.keep_going,
	                                     .no_include = true,
	                                     .on_error = zone_err,
	                                     .error_ctx = &c}};
	if (c.shard || c.save_state) {
		return teardown(&c, names_shard(&c, argv, &so));
	}
	if (c.store) {
		int32_t day;
		if (strlen(c.date) != 10 || ssr_date_parse(c.date, 10, &day) != SSR_EOK) {
			return teardown(&c, cli_usage_error("names scan",
			                                    "bad date '%s' (YYYY-MM-DD)", c.date));
		}
		if (ssr_store_open(c.store, &so.store, &diag) != SSR_EOK) {
			cli_error("names scan: %s", diag.msg);
			return teardown(&c, CLI_FAIL);
		}
	}
	out_begin(&c, true);
	ssr_names_scan_stats_t ss = {0};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = CLI_OK;
	if (ssr_names_scan(c.nm, (const char *const *)argv + 1, (size_t)c.nargs, &so, scan_hit, &c,
	                   &ss, &diag) != SSR_EOK) {
		cli_error("names scan: %s", diag.msg);
		rc = CLI_FAIL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ssr_store_free(so.store);
	if (rc == CLI_OK) {
		rc = out_end(&c);
	}
	if (rc == CLI_OK && !c.quiet) {
		double secs =
		    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		fprintf(stderr,
		        "names scan: %llu delegations, %llu imitate a brand (%llu matches), %llu "
		        "owners' "
		        "own skipped, %llu bad punycode, %.2f s\n",
		        (unsigned long long)ss.delegations, (unsigned long long)ss.matched,
		        (unsigned long long)ss.matches, (unsigned long long)ss.allowed,
		        (unsigned long long)ss.bad_punycode, secs);
		for (unsigned k = 0; k < SSR_NAMES_KIND_COUNT; k++) {
			if (ss.by_kind[k]) {
				fprintf(stderr, "  %-14s %llu\n", ssr_names_kind_name(k),
				        (unsigned long long)ss.by_kind[k]);
			}
		}
	}
	return teardown(&c, rc);
}

typedef struct {
	ncli_t *c;
	const char *name;
	unsigned shown;
} check_ctx_t;

static int check_hit(const ssr_names_subject_t *s, const ssr_names_match_t *m, void *ctx)
{
	check_ctx_t *k = ctx;
	if (m->score + 1e-9 < k->c->min_score) {
		return SSR_EOK;
	}
	k->shown++;
	return put_row(k->c, k->name, NULL, s, m);
}

static int check_one(ncli_t *c, const char *name, size_t len, uint64_t *bad)
{
	char nm[1024];
	snprintf(nm, sizeof nm, "%.*s", (int)(len < 1000 ? len : 1000), name);
	check_ctx_t k = {c, nm, 0};
	ssr_diag_t diag = {0};
	int r = ssr_names_check(c->nm, name, len, check_hit, &k, &diag);
	if (r == SSR_EPARSE) {
		(*bad)++;
		cli_error("names check: '%s': %s", nm, diag.msg);
		return SSR_EOK;
	}
	if (r < 0) {
		cli_error("names check: '%s': %s", nm, diag.msg[0] ? diag.msg : ssr_strerror(r));
		return r;
	}
	if (k.shown == 0) {
		ssr_names_subject_t s = {.domain = ""};
		return put_row(c, nm, NULL, &s, NULL);
	}
	return SSR_EOK;
}

static int names_check(int argc, char **argv)
{
	ncli_t c = {0};
	int rc = parse_opts("names check", argc, argv, &c, false);
	if (rc >= 0) {
		return rc;
	}
	if ((rc = setup("names check", &c)) >= 0) {
		return teardown(&c, rc);
	}
	out_begin(&c, false);
	uint64_t bad = 0;
	rc = CLI_OK;
	for (int i = 1; i <= c.nargs && rc == CLI_OK; i++) {
		if (strcmp(argv[i], "-") != 0) {
			if (check_one(&c, argv[i], strlen(argv[i]), &bad) != SSR_EOK) {
				rc = CLI_FAIL;
			}
			continue;
		}
		char line[4096];
		while (rc == CLI_OK && fgets(line, sizeof line, stdin)) {
			size_t n = strcspn(line, "\r\n");
			if (n == 0 || line[0] == '#') {
				continue;
			}
			if (check_one(&c, line, n, &bad) != SSR_EOK) {
				rc = CLI_FAIL;
			}
		}
	}
	if (rc == CLI_OK) {
		rc = out_end(&c);
	}
	if (bad && !c.quiet) {
		fprintf(stderr, "names check: %llu names were not host names\n",
		        (unsigned long long)bad);
	}
	return teardown(&c, rc);
}

static int perm_row(const char *kind, const char *domain, void *ctx)
{
	FILE *out = ctx;
	fprintf(out, "%s,%s\n", kind, domain);
	return SSR_EOK;
}

static int names_permute(int argc, char **argv)
{
	ncli_t c = {0};
	ssr_diag_t diag = {0};
	int rc = cli_opts("names permute", permute_opts, CLI_NOPTS(permute_opts), &c, argc, argv,
	                  &c.nargs, permute_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (c.nargs != 1) {
		return cli_usage_error("names permute", "one DOMAIN expected");
	}
	rc = CLI_FAIL;
	if (ssr_psl_new(c.psl_path, &c.psl, &diag) == SSR_EOK) {
		ssr_names_opts_t no = {.psl = c.psl};
		if (ssr_names_new(&no, &c.nm, &diag) == SSR_EOK &&
		    (!c.words ||
		     ssr_names_load_words(c.nm, c.words, on_skip, &c, NULL, &diag) == SSR_EOK)) {
			fputs("fuzzer,domain\n", stdout);
			if (ssr_names_permute(c.nm, argv[1], c.kinds ? c.kinds : SSR_NAMES_ALL,
			                      perm_row, stdout, &diag) == SSR_EOK) {
				rc = CLI_OK;
			}
		}
	}
	if (rc != CLI_OK) {
		cli_error("names permute: %s", diag.msg);
	}
	return teardown(&c, rc);
}

int cmd_names(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argc, argv)) {
		fputs(names_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "scan") == 0) {
		return names_scan(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "check") == 0) {
		return names_check(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "permute") == 0) {
		return names_permute(argc - 1, argv + 1);
	}
	return cli_usage_error("names", "unknown command '%s'", argv[1]);
}
