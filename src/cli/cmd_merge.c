/* ssrwatch merge: shard states of any engine -> what the single run would have written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/psl.h"
#include "ssrwatch/state.h"
#include "ssrwatch/store.h"
#include "ssrwatch/zonestats.h"

static const char merge_help[] =
    "usage: ssrwatch merge [options] STATE...\n"
    "\n"
    "Merge the states that shards saved (--shard I/N --save-state FILE) and write exactly what\n"
    "the command would have written in one run: the same bytes for any grouping and order of\n"
    "the states.  The kind is told from the files: zone.stats ('zone stats'), traffic states\n"
    "('traffic stats|collisions|trust-anchors': as 'traffic merge').  States of other engines,\n"
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
    "  --help             this help\n";

typedef struct {
	ssr_format_t fmt;
	const char *save, *output, *store, *date;
} merge_opts_t;

static const ssr_opt_t merge_opts[] = {
    SSR_OPT_FN("format", merge_opts_t, fmt, cli_opt_format),
    SSR_OPT_STR("save-state", merge_opts_t, save),
    SSR_OPT_STR("output", merge_opts_t, output),
    SSR_OPT_STR("store", merge_opts_t, store),
    SSR_OPT_FN("date", merge_opts_t, date, cli_opt_date),
    SSR_OPT_HELP,
};

static int zone_merge(const merge_opts_t *o, const char *const *paths, size_t n)
{
	ssr_diag_t diag = {0};
	ssr_state_set_t set;
	if (ssr_state_gather(paths, n, &set, &diag) != SSR_EOK) {
		cli_error("merge: %s", diag.msg);
		return CLI_FAIL;
	}
	int rc = CLI_OK;
	if (o->save) {
		if (ssr_state_write(o->save, &set.head, set.entry, set.n, &diag) != SSR_EOK) {
			cli_error("merge: %s", diag.msg);
			rc = CLI_FAIL;
		}
		ssr_state_set_release(&set);
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
		bool ok = ssr_report_zone_stats(zones, o->fmt, out.f) == SSR_EOK;
		rc = cli_out_close("merge", &out, ok);
	} else if (rc == CLI_OK) {
		rc = CLI_FAIL;
	}
	json_decref(zones);
	ssr_store_free(store);
	ssr_psl_free(psl);
	ssr_state_set_release(&set);
	return rc;
}

int cmd_merge(int argc, char **argv)
{
	merge_opts_t o = {.fmt = SSR_FORMAT_TABLE};
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
	if (ssr_state_kind(paths[0], kind, &diag) != SSR_EOK) {
		cli_error("merge: %s", diag.msg);
		return CLI_FAIL;
	}
	if (strcmp(kind, SSR_ZONE_STATE_KIND) == 0) {
		return zone_merge(&o, paths, (size_t)nargs);
	}
	if (strcmp(kind, "traffic") == 0) {
		cli_error("merge: state '%s' is a traffic state: 'ssrwatch traffic merge' takes it",
		          paths[0]);
		return CLI_FAIL;
	}
	cli_error("merge: state '%s': unknown kind '%s' (this build merges zone.stats and traffic "
	          "states)",
	          paths[0], kind);
	return CLI_FAIL;
}
