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
    "  --asn-table FILE --allow-private --no-ipv4 --no-ipv6 --now T --timeout-ms N --record F\n"
    "  --shard I/N           with --check: audit only this shard's delegations (every N-th of\n"
    "                        them) and save the verdicts with --save-state FILE (no report);\n"
    "                        'ssrwatch merge' writes what one run writes (no --record here)\n"
    "  --save-state FILE     where the shard's verdicts go\n";

typedef struct {
	const char *origin, *tmp_dir, *output, *shard, *save_state;
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
    SSR_OPT_STR("shard", zdopts_t, shard),
    SSR_OPT_STR("save-state", zdopts_t, save_state),
    SSR_OPT_HELP,
};

typedef struct {
	ssr_zdiff_writer_t *w;
	bool check;
	char **names; /* delegations to check (added or changed), in diff order: distinct */
	size_t n, cap, max;
	json_t *verdicts;
	bool all_passed;
	/* a shard: its verdicts go to the state, with the delegation's name and its pass */
	ssr_state_buf_t state;
	uint64_t nstate;
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

/* The merge of zone.diff.check states ('ssrwatch merge'): set while cli_zone_diff runs for it. */
static const ssr_state_set_t *merge_set;

#define ZDC_KIND    "zone.diff.check"
#define ZDC_VERSION 1

/* A shard's verdicts: u64 count, then each: the delegation's name, passed (u8), the verdict's
 * JSON as the report has it. */
static int shard_verdicts(zd_t *z, ssr_diag_t *d)
{
	size_t i;
	json_t *v;
	ssr_state_put_u64(&z->state, json_array_size(z->verdicts));
	json_array_foreach(z->verdicts, i, v)
	{
		char *t = json_dumps(v, JSON_COMPACT);
		if (!t) {
			return ssr_diag_set(d, SSR_ENOMEM, "out of memory");
		}
		ssr_state_put_str(&z->state, json_string_value(json_object_get(v, "delegation")));
		ssr_state_put_u8(&z->state, json_is_false(json_object_get(v, "passed")) ? 0 : 1);
		ssr_state_put_str(&z->state, t);
		free(t);
	}
	return z->state.oom ? ssr_diag_set(d, SSR_ENOMEM, "out of memory") : SSR_EOK;
}

typedef struct {
	char name[1100];
	json_t *v;
} mverdict_t;

static int cmp_mverdict(const void *a, const void *b)
{
	return strcmp(((const mverdict_t *)a)->name, ((const mverdict_t *)b)->name);
}

/* The verdicts of a complete set of states for the names the diff found, in the single run's
 * order (the audit's: by name). */
static int merged_verdicts(zd_t *z, ssr_diag_t *d)
{
	int rc = ssr_state_complete(merge_set, d);
	mverdict_t *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t e = 0; e < merge_set->n && rc == SSR_EOK; e++) {
		const ssr_state_entry_t *en = &merge_set->entry[e];
		ssr_state_rd_t r = ssr_state_entry_rd(en);
		uint64_t c = ssr_state_get_count(&r, 9);
		if (ssr_grow((void **)&v, &cap, n + (size_t)c, sizeof *v) != SSR_EOK) {
			rc = ssr_diag_set(d, SSR_ENOMEM, "out of memory");
			break;
		}
		for (uint64_t k = 0; k < c && !r.bad; k++) {
			ssr_state_get_str(&r, v[n].name, sizeof v[n].name);
			(void)ssr_state_get_u8(&r);
			uint32_t l = ssr_state_get_u32(&r);
			const uint8_t *t = ssr_state_get_bytes(&r, l);
			json_error_t je;
			v[n].v = t ? json_loadb((const char *)t, l, 0, &je) : NULL;
			if (!r.bad && !json_is_object(v[n].v)) {
				ssr_state_rd_fail(&r, "a verdict that is not a JSON object");
			}
			n += !r.bad;
		}
		if (rc == SSR_EOK) {
			rc = ssr_state_rd_done(&r, d);
		}
	}
	if (rc == SSR_EOK) {
		qsort(v, n, sizeof *v, cmp_mverdict);
		char **want = malloc((z->n ? z->n : 1) * sizeof *want);
		if (!want) {
			rc = ssr_diag_set(d, SSR_ENOMEM, "out of memory");
		} else {
			memcpy(want, z->names, z->n * sizeof *want);
			qsort(want, z->n, sizeof *want, cli_str_cmp);
			for (size_t i = 0; rc == SSR_EOK && i < z->n; i++) {
				if (i >= n || strcmp(want[i], v[i].name) != 0) {
					rc = ssr_diag_set(
					    d, SSR_EINVAL,
					    "the states have no verdict on '%s' (or one "
					    "on another delegation): not this diff's",
					    want[i]);
				}
			}
			if (rc == SSR_EOK && n != z->n) {
				rc = ssr_diag_set(
				    d, SSR_EINVAL,
				    "the states have %zu verdicts for %zu delegations", n, z->n);
			}
			free(want);
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (rc == SSR_EOK) {
			json_t *p = json_object_get(v[i].v, "passed");
			if (json_is_false(p)) {
				z->all_passed = false;
			}
			rc = json_array_append(z->verdicts, v[i].v) == 0
			         ? SSR_EOK
			         : ssr_diag_set(d, SSR_ENOMEM, "out of memory");
		}
		json_decref(v[i].v);
	}
	free(v);
	return rc;
}

/* What only this process's shard and output are: not kept in a shard's state. */
static const char *const not_kept[] = {"--shard", "--save-state", "--format", "--output",
                                       "--record"};

/* A shard's state: its verdicts; the head keeps the arguments, OLD and NEW with their sizes. */
static int shard_save(const zdopts_t *o, zd_t *z, const char *args, const char *oldp,
                      const char *newp, uint32_t shard, uint32_t shards, ssr_diag_t *d)
{
	size_t ol = strlen(args) + 8;
	char *opts = malloc(ol);
	if (!opts) {
		return ssr_diag_set(d, SSR_ENOMEM, "out of memory");
	}
	snprintf(opts, ol, "args=%s", args);
	const char *paths[2] = {oldp, newp};
	ssr_state_head_t h;
	int rc =
	    ssr_state_head_init(&h, ZDC_KIND, ZDC_VERSION, opts, "", shards, paths, 2, "zone", d);
	if (rc == SSR_EOK) {
		rc = shard_verdicts(z, d);
		if (rc == SSR_EOK) {
			ssr_state_entry_t en = {
			    .shard = shard, .data = z->state.p, .len = z->state.n};
			rc = ssr_state_write(o->save_state, &h, &en, 1, d);
		}
		ssr_state_head_release(&h);
	}
	free(opts);
	return rc;
}

int cli_zone_diff_merge(const ssr_state_set_t *set, const char *const *extra, size_t nextra)
{
	if (strncmp(set->head.options, "args=", 5) != 0) {
		cli_error("merge: state '%s': not a zone diff's state", set->entry[0].file);
		return CLI_FAIL;
	}
	/* OLD and NEW as the shards read them */
	ssr_state_head_t h;
	ssr_diag_t d = {0};
	const char *paths[2] = {set->head.ninputs == 2 ? set->head.input_path[0] : "",
	                        set->head.ninputs == 2 ? set->head.input_path[1] : ""};
	if (ssr_state_head_init(&h, ZDC_KIND, ZDC_VERSION, set->head.options, "", set->head.shards,
	                        paths, 2, "zone", &d) != SSR_EOK) {
		cli_error("merge: %s", d.msg);
		return CLI_FAIL;
	}
	const char *why = ssr_state_head_diff(&h, &set->head);
	ssr_state_head_release(&h);
	if (why) {
		cli_error("merge: state '%s': %s (the zones changed since the shards ran)",
		          set->entry[0].file, why);
		return CLI_FAIL;
	}
	merge_set = set;
	int rc = cli_state_rerun(set->head.options + 5, "diff", extra, nextra, cli_zone_diff);
	merge_set = NULL;
	return rc;
}

static int zone_diff_run(int argc, char **argv, zdopts_t *op, const char *kept)
{
	zdopts_t o = *op;
	int rc = cli_opts("zone diff", diff_opts, CLI_NOPTS(diff_opts), &o, argc, argv, &o.nargs,
	                  diff_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (o.nargs != 2) {
		return cli_usage_error("zone diff", "two zone files are needed: OLD NEW");
	}
	const char *oldp = argv[1], *newp = argv[2];
	uint32_t shard = 0, shards = 1;
	bool sharded = o.save_state != NULL && !merge_set;
	if ((o.shard != NULL) != (o.save_state != NULL) && !merge_set) {
		return cli_usage_error("zone diff", "--shard and --save-state go together");
	}
	if (o.shard && ssr_state_shard_parse(o.shard, &shard, &shards) != SSR_EOK) {
		return cli_usage_error("zone diff", "bad --shard '%s' (I/N, 1 <= I <= N)", o.shard);
	}
	if (sharded && (!o.check || o.dl.record || o.output)) {
		return cli_usage_error("zone diff", "--shard %s",
		                       !o.check ? "needs --check"
		                                : "goes without --record and --output (the merge "
		                                  "writes the report)");
	}
	if (o.check && (rc = cli_deleg_setup("zone diff", &o.dl)) != CLI_OK) {
		return rc;
	}
	cli_out_t out;
	if (sharded) { /* the diff is the merge's to write */
		out = (cli_out_t){0};
		out.f = fopen("/dev/null", "w");
	}
	if (sharded ? out.f == NULL : cli_out_open("zone diff", o.output, &out) != CLI_OK) {
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
		/* a shard audits every shards-th delegation of the diff */
		size_t mine = 0;
		for (size_t i = 0; sharded && i < z.n; i++) {
			if (ssr_state_item_has(i, shard, shards)) {
				char *x = z.names[mine];
				z.names[mine++] = z.names[i];
				z.names[i] = x;
			}
		}
		if (e == SSR_EOK && merge_set) {
			e = merged_verdicts(&z, &d);
		} else if (e == SSR_EOK) {
			e = ssr_deleg_audit(newp, o.origin, (const char *const *)z.names,
			                    sharded ? mine : z.n, &o.dl.s, &o.dl.o, on_verdict, &z,
			                    &d);
		}
		if (e == SSR_EOK && sharded) {
			e = kept ? shard_save(&o, &z, kept, oldp, newp, shard, shards, &d)
			         : ssr_diag_set(&d, SSR_ENOMEM, "out of memory");
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
	if (sharded) {
		fclose(out.f);
	} else if (cli_out_close("zone diff", &out, rc == CLI_OK) != CLI_OK) {
		rc = CLI_FAIL;
	}
	if (cli_deleg_release("zone diff", &o.dl) != CLI_OK) {
		rc = CLI_FAIL;
	}
	ssr_state_buf_release(&z.state);
	if (sharded) {
		z.all_passed = true; /* the merge says */
	} else if (rc == CLI_OK && o.check && fmt != SSR_FORMAT_JSON) {
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

int cli_zone_diff(int argc, char **argv)
{
	zdopts_t o = {.check_max = 1000};
	/* the arguments a shard's state keeps, before parsing moves the zones over the options */
	char *kept = cli_state_args(argc, argv, not_kept, sizeof not_kept / sizeof not_kept[0]);
	int rc = zone_diff_run(argc, argv, &o, kept);
	free(kept);
	return rc;
}
