/* ssrwatch merge: shard states of any engine -> what the single run would have written. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ssrwatch/abuse.h"
#include "ssrwatch/regress.h"
#include "ssrwatch/names.h"
#include "ssrwatch/psl.h"
#include "ssrwatch/state.h"
#include "ssrwatch/store.h"
#include "ssrwatch/zonestats.h"

static const char merge_help[] =
    "usage: ssrwatch merge [options] STATE...\n"
    "\n"
    "Merge the states that shards saved (--shard I/N --save-state FILE) and write exactly what\n"
    "the command would have written in one run: the same bytes for any grouping and order of\n"
    "the states.  The kind is told from the files: zone.stats ('zone stats'), names.scan\n"
    "('names scan'), traffic states ('traffic stats|collisions|trust-anchors'), abuse.ingest\n"
    "('abuse ingest': stored in the store the shards ran with, or --store), regress.run\n"
    "('regress run': the verdicts of every target; --format, --output, --store, --date),\n"
    "zone.diff.check ('zone diff --check': the diff and every delegation's verdict),\n"
    "RSSAC047\n"
    "vantage-point states ('rss report' of --month).  States of other engines,\n"
    "versions, options, dates or inputs, a shard given twice or missing, a truncated or\n"
    "corrupted file: an error naming the file, and nothing written.\n"
    "\n"
    "options:\n"
    "  --save-state FILE  write the union of the states (shards may still be missing: merge\n"
    "                     it with the others later) instead of the report\n"
    "  --format F         table (default), json or csv, as the command\n"
    "  --output FILE      write to FILE (complete or not at all) instead of standard output\n"
    "  --store DB         zone.stats: store each zone's snapshot, as 'zone stats --store'\n"
    "  --date YYYY-MM-DD  zone.stats: the snapshot date for --store\n"
    "  --server NAME      traffic stats: the service named in the YAML (as the command)\n"
    "  --out DIR          traffic stats: YAML files, one per metric per day\n"
    "  --top N            traffic collisions: TLDs listed (as the command)\n"
    "  --month YYYY-MM    RSSAC047 vantage-point states (their own format, a VP a shard):\n"
    "                     the month's 'rss report'; with --save-state, 'rss merge'\n"
    "  --help             this help\n";

typedef struct {
	const char *save, *output, *store, *date, *server, *outdir, *top, *format_text, *month;
} merge_opts_t;

/* --format for the engines whose reports are table, json or csv: CLI_OK or a usage error. */
static int report_format(const merge_opts_t *o, ssr_format_t *fmt)
{
	ssr_diag_t d = {0};
	*fmt = SSR_FORMAT_TABLE;
	if (o->format_text && cli_opt_format(o->format_text, fmt, &d) != SSR_EOK) {
		return cli_usage_error("merge", "bad format '%s' (table, json or csv)",
		                       o->format_text);
	}
	return CLI_OK;
}

static const ssr_opt_t merge_opts[] = {
    SSR_OPT_STR("format", merge_opts_t, format_text),
    SSR_OPT_STR("save-state", merge_opts_t, save),
    SSR_OPT_STR("output", merge_opts_t, output),
    SSR_OPT_STR("store", merge_opts_t, store),
    SSR_OPT_FN("date", merge_opts_t, date, cli_opt_date),
    SSR_OPT_STR("server", merge_opts_t, server),
    SSR_OPT_STR("out", merge_opts_t, outdir),
    SSR_OPT_STR("top", merge_opts_t, top),
    SSR_OPT_STR("month", merge_opts_t, month),
    SSR_OPT_HELP,
};

/* A number after "key=" in a state's options text, or def. */
static unsigned long opt_num(const char *options, const char *key, unsigned long def)
{
	const char *p = strstr(options, key);
	return p ? strtoul(p + strlen(key), NULL, 10) : def;
}

/* traffic.*: every shard's own traffic state to a temporary file, then 'traffic merge' of
 * them with the settings the shards ran with and the display options given here. */
static int traffic_merge_set(const merge_opts_t *o, ssr_state_set_t *set)
{
	ssr_diag_t diag = {0};
	if (ssr_state_complete(set, &diag) != SSR_EOK) {
		cli_error("merge: %s", diag.msg);
		return CLI_FAIL;
	}
	char interval[8], depth[24];
	snprintf(interval, sizeof interval, "%s",
	         opt_num(set->head.options, "interval=", 86400) == 3600 ? "hour" : "day");
	snprintf(depth, sizeof depth, "%lu", opt_num(set->head.options, "depth=", 0));
	bool approx = opt_num(set->head.options, "approx=", 0) != 0;
	bool stats = strcmp(set->head.kind, "traffic.stats") == 0;
	size_t cap = 16 + set->n;
	char **av = calloc(cap, sizeof *av);
	char(*tmp)[256] = calloc(set->n ? set->n : 1, sizeof *tmp);
	int rc = av && tmp ? CLI_OK : CLI_FAIL;
	size_t ac = 0, made = 0;
	if (rc == CLI_OK) {
		av[ac++] = "merge";
		if (o->format_text) {
			av[ac++] = "--format";
			av[ac++] = (char *)o->format_text;
		}
		if (o->output) {
			av[ac++] = "--output";
			av[ac++] = (char *)o->output;
		}
		if (o->top) {
			av[ac++] = "--top";
			av[ac++] = (char *)o->top;
		}
		if (stats) {
			av[ac++] = "--interval";
			av[ac++] = interval;
			av[ac++] = "--zone-depth";
			av[ac++] = depth;
			if (approx) {
				av[ac++] = "--approx";
			}
			if (o->server) {
				av[ac++] = "--server";
				av[ac++] = (char *)o->server;
			}
			if (o->outdir) {
				av[ac++] = "--out";
				av[ac++] = (char *)o->outdir;
			}
		}
	}
	for (size_t i = 0; rc == CLI_OK && i < set->n; i++) {
		if (ssr_state_entry_file(&set->entry[i], tmp[i], sizeof tmp[i], &diag) != SSR_EOK) {
			cli_error("merge: %s", diag.msg);
			rc = CLI_FAIL;
			break;
		}
		made++;
		av[ac++] = tmp[i];
	}
	if (rc == CLI_OK) {
		av[ac] = NULL;
		rc = cmd_traffic_merge((int)ac, av);
	} else if (!av || !tmp) {
		cli_error("merge: out of memory");
	}
	for (size_t i = 0; i < made; i++) {
		unlink(tmp[i]);
	}
	free(tmp);
	free(av);
	return rc;
}

static int zone_merge(const merge_opts_t *o, ssr_state_set_t *set_in)
{
	ssr_diag_t diag = {0};
	ssr_state_set_t set = *set_in;
	ssr_format_t fmt;
	int rc = report_format(o, &fmt);
	if (rc != CLI_OK) {
		return rc;
	}
	ssr_psl_t *psl = NULL;
	ssr_store_t *store = NULL;
	json_t *zones = NULL;
	ssr_zone_analyze_opts_t ao = {0};
	if (ssr_psl_new(NULL, &psl, &diag) != SSR_EOK) {
		rc = CLI_FAIL;
	} else {
		ao.stats.psl = psl; /* the hosts' domains are in the states already */
		if (ssr_zone_stats_combine(&set, &ao, &zones, &diag) != SSR_EOK ||
		    (o->store && ssr_store_open(o->store, &store, &diag) != SSR_EOK)) {
			rc = CLI_FAIL;
		}
	}
	for (size_t i = 0; rc == CLI_OK && store && i < json_array_size(zones); i++) {
		if (cli_zone_store(store, json_array_get(zones, i), set.head.input_path[i], o->date,
		                   &diag) != SSR_EOK) {
			rc = CLI_FAIL;
		}
	}
	if (rc != CLI_OK) {
		cli_error("merge: %s", diag.msg);
	}
	cli_out_t out;
	if (rc == CLI_OK && cli_out_open("merge", o->output, &out) == CLI_OK) {
		bool ok = ssr_report_zone_stats(zones, fmt, out.f) == SSR_EOK;
		rc = cli_out_close("merge", &out, ok);
	} else if (rc == CLI_OK) {
		rc = CLI_FAIL;
	}
	json_decref(zones);
	ssr_store_free(store);
	ssr_psl_free(psl);
	return rc;
}

/* An RSSAC047 vantage-point state (SSRWRSS1)? */
static bool rss_state(const char *path)
{
	char kind[32];
	ssr_diag_t d = {0};
	return ssr_state_kind(path, kind, &d) == SSR_EOK && strcmp(kind, "rss") == 0;
}

int cmd_merge(int argc, char **argv)
{
	merge_opts_t o = {0};
	int nargs = 0;
	char kind[32];
	ssr_diag_t diag = {0};
	/* traffic states have their own merge: hand it the same arguments */
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-' && ssr_state_kind(argv[i], kind, &diag) == SSR_EOK &&
		    strcmp(kind, "traffic") == 0) {
			return cmd_traffic_merge(argc, argv);
		}
	}
	int rc = cli_opts("merge", merge_opts, CLI_NOPTS(merge_opts), &o, argc, argv, &nargs,
	                  merge_help);
	if (rc == CLI_OK && nargs == 0) {
		rc = cli_usage_error("merge", "no state given");
	}
	if (rc == CLI_OK && o.save && (o.store || o.output)) {
		rc = cli_usage_error("merge", "--save-state goes without --store and --output");
	}
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	const char *const *paths = (const char *const *)argv + 1;
	if (rss_state(paths[0])) { /* RSSAC047 VP states: a VP is a shard; their own merge */
		const char *av[CLI_LIST_MAX + 12];
		int ac = 0;
		av[ac++] = "rss";
		if (o.save) {
			av[ac++] = "merge";
			av[ac++] = "--output";
			av[ac++] = o.save;
		} else {
			av[ac++] = "report";
			const char *kv[][2] = {{"--month", o.month},
			                       {"--format", o.format_text},
			                       {"--output", o.output},
			                       {"--store", o.store}};
			for (size_t k = 0; k < sizeof kv / sizeof kv[0]; k++) {
				if (kv[k][1]) {
					av[ac++] = kv[k][0];
					av[ac++] = kv[k][1];
				}
			}
		}
		for (int i = 0; i < nargs && ac < (int)(sizeof av / sizeof av[0]) - 1; i++) {
			av[ac++] = paths[i];
		}
		av[ac] = NULL;
		return cmd_rss(ac, (char **)av);
	}
	ssr_state_set_t set;
	if (ssr_state_gather(paths, (size_t)nargs, &set, &diag) != SSR_EOK) {
		cli_error("merge: %s", diag.msg);
		return CLI_FAIL;
	}
	if (o.save) { /* the union, for a later merge: any engine */
		rc = ssr_state_write(o.save, &set.head, set.entry, set.n, &diag) == SSR_EOK
		         ? CLI_OK
		         : CLI_FAIL;
		if (rc != CLI_OK) {
			cli_error("merge: %s", diag.msg);
		}
	} else if (strcmp(set.head.kind, SSR_ZONE_STATE_KIND) == 0) {
		rc = zone_merge(&o, &set);
	} else if (strcmp(set.head.kind, SSR_NAMES_STATE_KIND) == 0) {
		ssr_format_t fmt;
		if ((rc = report_format(&o, &fmt)) == CLI_OK) {
			rc = cmd_names_merge(&set, fmt, o.output, o.store, o.date);
		}
	} else if (strncmp(set.head.kind, "traffic.", 8) == 0) {
		rc = traffic_merge_set(&o, &set);
	} else if (strcmp(set.head.kind, SSR_REGRESS_STATE_KIND) == 0 ||
	           strcmp(set.head.kind, "zone.diff.check") == 0) {
		bool rg = strcmp(set.head.kind, SSR_REGRESS_STATE_KIND) == 0;
		const char *extra[8];
		size_t ne = 0;
		const char *kv[][2] = {{"--format", o.format_text},
		                       {"--output", o.output},
		                       {"--store", rg ? o.store : NULL},
		                       {"--date", rg ? o.date : NULL}};
		for (size_t k = 0; k < 4; k++) {
			if (kv[k][1]) {
				extra[ne++] = kv[k][0];
				extra[ne++] = kv[k][1];
			}
		}
		rc = rg ? cli_regress_merge(&set, extra, ne) : cli_zone_diff_merge(&set, extra, ne);
	} else if (strcmp(set.head.kind, SSR_ABUSE_STATE_KIND) == 0) {
		rc = cli_abuse_ingest_merge(&set, o.store, o.format_text, o.output);
	} else {
		cli_error("merge: state '%s': unknown kind '%s' (this build merges zone.stats, "
		          "names.scan, traffic.*, abuse.ingest, regress.run and zone.diff.check)",
		          paths[0], set.head.kind);
		rc = CLI_FAIL;
	}
	ssr_state_set_release(&set);
	return rc;
}
