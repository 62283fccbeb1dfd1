/* ssrwatch recs import | list | show | set | evidence | actions | survey | report | editor
 *
 * Over 800 lines because the tracker has nine subcommands, each options -> one librecs call ->
 * its table, CSV or JSON; the rules live in librecs (changes.c, tracker.c).  The next step is
 * the declarative option table (issue 18, item 3), which removes most of the parsing here. */
#define _GNU_SOURCE /* strcasestr */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ssrwatch/date.h"
#include "ssrwatch/portalstore.h"
#include "ssrwatch/recs.h"
#include "ssrwatch/recsstore.h"
#include "ssrwatch/report.h"

static const char recs_help[] =
    "usage: ssrwatch recs <command> --store DB [options]\n"
    "\n"
    "The recommendation tracker (SSR2 Rec 1; SSR1 Recs 19 and 27):\n"
    "  import [FILE...]          load the shipped catalogue (SSR1, SSR2, CCT 16) and FILEs\n"
    "  list                      recommendations with status, priority, owner, evidence\n"
    "  show ID                   one recommendation: history, evidence, live figure, actions\n"
    "  set ID STATUS             change a status (--by WHO, --reason TEXT)\n"
    "  evidence ID               add evidence: --url URL | --file NAME | --metric (--note)\n"
    "  actions [add|set]         action items: list, add (--title --owner --due --recs),\n"
    "                            set ID open|done|dropped\n"
    "  survey import FILE        prioritisation ratings (rater,recommendation,score 50-100)\n"
    "  survey report             per recommendation mean, median, IQR; natural-break classes\n"
    "  report                    the implementation report: --format html|json|csv\n"
    "  editor LOGIN              give a portal account the editor role (--revoke to take it)\n"
    "\n"
    "Statuses: not-started, in-design, in-progress, implemented, verified (needs evidence),\n"
    "pending (board decision), rejected (from pending), deferred.  Every change is kept.\n"
    "Common options: --store DB (required), --format table|json|csv, --output FILE,\n"
    "--today YYYY-MM-DD (the date evidence freshness and overdue actions are judged on).\n";

typedef struct {
	const char *store, *format, *output, *today, *by, *reason, *url, *file, *note, *review,
	    *status, *priority, *owner, *title, *due, *recs, *survey, *raters;
	bool metric, no_shipped, revoke;
	uint64_t classes, at;
	char today_buf[11];
	ssr_format_t fmt;
	ssr_store_t *st;
	cli_out_t out;
	int werr;  /* the first error writing the output (a table or JSON) */
	int nargs; /* the arguments: argv[1..nargs] */
} rcli_t;

static const ssr_opt_t recs_opts[] = {
    SSR_OPT_STR("store", rcli_t, store),
    SSR_OPT_STR("format", rcli_t, format),
    SSR_OPT_STR("output", rcli_t, output),
    SSR_OPT_STR("today", rcli_t, today),
    SSR_OPT_STR("by", rcli_t, by),
    SSR_OPT_STR("reason", rcli_t, reason),
    SSR_OPT_STR("url", rcli_t, url),
    SSR_OPT_STR("file", rcli_t, file),
    SSR_OPT_FLAG("metric", rcli_t, metric),
    SSR_OPT_STR("note", rcli_t, note),
    SSR_OPT_STR("review", rcli_t, review),
    SSR_OPT_STR("status", rcli_t, status),
    SSR_OPT_STR("priority", rcli_t, priority),
    SSR_OPT_STR("owner", rcli_t, owner),
    SSR_OPT_STR("title", rcli_t, title),
    SSR_OPT_STR("due", rcli_t, due),
    SSR_OPT_STR("recs", rcli_t, recs),
    SSR_OPT_STR("survey", rcli_t, survey),
    SSR_OPT_STR("raters", rcli_t, raters),
    SSR_OPT_U64("classes", rcli_t, classes, 2, 3),
    SSR_OPT_FLAG("no-shipped", rcli_t, no_shipped),
    SSR_OPT_FLAG("revoke", rcli_t, revoke),
    SSR_OPT_U64("at", rcli_t, at, 0, UINT64_MAX),
    SSR_OPT_HELP,
};

static int parse(const char *cmd, int argc, char **argv, rcli_t *c)
{
	c->classes = 2;
	int rc =
	    cli_opts(cmd, recs_opts, CLI_NOPTS(recs_opts), c, argc, argv, &c->nargs, recs_help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	if (!c->store) {
		return cli_usage_error(cmd, "--store is required");
	}
	if (c->format && strcmp(c->format, "html") != 0 &&
	    cli_parse_format(cmd, c->format, &c->fmt) != CLI_OK) {
		return CLI_USAGE;
	}
	if (!c->today) {
		time_t now = time(NULL);
		ssr_date_format((int32_t)(now / 86400), c->today_buf);
		c->today = c->today_buf;
	}
	int32_t d;
	if (strlen(c->today) != 10 || ssr_date_parse(c->today, 10, &d) != SSR_EOK) {
		return cli_usage_error(cmd, "bad --today '%s' (YYYY-MM-DD)", c->today);
	}
	if (c->due && (strlen(c->due) != 10 || ssr_date_parse(c->due, 10, &d) != SSR_EOK)) {
		return cli_usage_error(cmd, "bad --due '%s' (YYYY-MM-DD)", c->due);
	}
	return -1;
}

static int open_store(const char *cmd, rcli_t *c, bool create)
{
	ssr_diag_t d = {0};
	int rc = create ? ssr_store_open(c->store, &c->st, &d)
	                : ssr_store_open_existing(c->store, &c->st, &d);
	if (rc != SSR_EOK) {
		cli_error("%s: %s", cmd, d.msg);
		return CLI_FAIL;
	}
	if (cli_out_open(cmd, c->output, &c->out) != CLI_OK) {
		return CLI_FAIL;
	}
	return -1;
}

/* The store closed, the output kept only when rc is CLI_OK; returns the exit status. */
/* A write of the output: its first error fails the command (done). */
static void wrote(rcli_t *c, int rc)
{
	if (rc != SSR_EOK && c->werr == SSR_EOK) {
		c->werr = rc;
	}
}

static int done(rcli_t *c, int rc)
{
	if (rc == CLI_OK && c->werr != SSR_EOK) {
		cli_error("recs: cannot write the output: %s", ssr_strerror(c->werr));
		rc = CLI_FAIL;
	}
	int w = cli_out_close("recs", &c->out, rc == CLI_OK);
	ssr_store_free(c->st);
	return rc != CLI_OK ? rc : w;
}

/* Options, exactly npos positional arguments, the store: -1 to go on, else the exit status. */
static int start(const char *cmd, int argc, char **argv, rcli_t *c, int npos, const char *what)
{
	int rc = parse(cmd, argc, argv, c);
	if (rc >= 0) {
		return rc;
	}
	if (c->nargs != npos) {
		return cli_usage_error(cmd, "%s expected", what);
	}
	if ((rc = open_store(cmd, c, false)) >= 0) {
		return done(c, rc);
	}
	return -1;
}

/* A table as CSV or aligned text; the table is released. */
static void put_table(rcli_t *c, ssr_table_t *t)
{
	wrote(c, c->fmt == SSR_FORMAT_CSV ? ssr_table_write_csv(t, c->out.f, 1)
	                                  : ssr_table_write_text(t, c->out.f));
	ssr_table_release(t);
}

static int64_t now_of(const rcli_t *c)
{
	return c->at ? (int64_t)c->at : (int64_t)time(NULL);
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int recs_import(int argc, char **argv)
{
	rcli_t c = {0};
	int rc = parse("recs import", argc, argv, &c);
	if (rc >= 0) {
		return rc;
	}
	ssr_diag_t d = {0};
	char **shipped = NULL;
	size_t ns = 0;
	if (!c.no_shipped && ssr_recs_shipped(&shipped, &ns, &d) != SSR_EOK) {
		cli_error("recs import: %s", d.msg);
		return CLI_FAIL;
	}
	size_t n = ns + (size_t)c.nargs;
	const char **paths = calloc(n ? n : 1, sizeof *paths);
	for (size_t i = 0; paths && i < ns; i++) {
		paths[i] = shipped[i];
	}
	for (int i = 1; paths && i <= c.nargs; i++) {
		paths[ns + (size_t)(i - 1)] = argv[i];
	}
	ssr_recs_catalogue_t *cat = NULL;
	rc = CLI_FAIL;
	if (!paths) {
		cli_error("recs import: out of memory");
	} else if (n == 0) {
		rc = cli_usage_error("recs import", "no catalogue (--no-shipped and no FILE)");
	} else if (ssr_recs_catalogue_read(paths, n, &cat, &d) != SSR_EOK) {
		cli_error("recs import: %s", d.msg);
	} else if ((rc = open_store("recs import", &c, true)) < 0) {
		rc = ssr_recs_import(c.st, cat, &d) == SSR_EOK ? CLI_OK : CLI_FAIL;
		if (rc != CLI_OK) {
			cli_error("recs import: %s", d.msg);
		} else {
			for (size_t i = 0; i < cat->nreviews; i++) {
				unsigned recs = 0, subs = 0;
				for (size_t j = 0; j < cat->nrecs; j++) {
					if (strcmp(cat->recs[j].review, cat->reviews[i].id) == 0) {
						*(cat->recs[j].parent ? &subs : &recs) += 1;
					}
				}
				printf("%s: %u recommendations, %u sub-items (%s)\n",
				       cat->reviews[i].id, recs, subs, cat->reviews[i].file);
			}
		}
		rc = done(&c, rc);
	}
	ssr_recs_catalogue_free(cat);
	free(paths);
	ssr_recs_paths_free(shipped, ns);
	return rc;
}

/* Does the recommendation pass the list filters? */
static bool keep(const rcli_t *c, json_t *r)
{
	return (!c->review || strcmp(js(r, "review"), c->review) == 0) &&
	       (!c->status || strcmp(js(r, "status"), c->status) == 0) &&
	       (!c->priority || strcmp(js(r, "priority"), c->priority) == 0) &&
	       (!c->owner || strcasestr(js(r, "owner"), c->owner) != NULL);
}

static const char *fresh(json_t *r, char *buf, size_t cap)
{
	json_t *l = json_object_get(r, "live");
	if (!json_is_object(l)) {
		return "";
	}
	json_t *date = json_object_get(l, "date");
	snprintf(buf, cap, "%s %s%s", js(l, "measure"),
	         json_is_string(date) ? js(l, "date") : "none",
	         json_is_true(json_object_get(l, "stale")) ? " (stale)" : "");
	return buf;
}

static int recs_list(int argc, char **argv)
{
	rcli_t c = {0};
	int rc = start("recs list", argc, argv, &c, 0, "no argument");
	if (rc >= 0) {
		return rc;
	}
	ssr_diag_t d = {0};
	json_t *dash;
	if (ssr_recs_dashboard(c.st, c.today, &dash, &d) != SSR_EOK) {
		cli_error("recs list: %s", d.msg);
		return done(&c, CLI_FAIL);
	}
	json_t *rows = json_array(), *r;
	size_t i;
	json_array_foreach(json_object_get(dash, "recommendations"), i, r)
	{
		if (keep(&c, r)) {
			json_array_append(rows, r);
		}
	}
	if (c.fmt == SSR_FORMAT_JSON) {
		wrote(&c, ssr_json_write(rows, c.out.f));
	} else {
		ssr_table_t t;
		ssr_table_init(&t, 8, NULL);
		const char *h[] = {"id",       "status",        "priority",     "owner",
		                   "evidence", "live evidence", "open actions", "title"};
		ssr_table_add(&t, h);
		json_array_foreach(rows, i, r)
		{
			char ev[24], oa[40], fr[160];
			snprintf(ev, sizeof ev, "%lld",
			         (long long)json_integer_value(json_object_get(r, "evidence")));
			json_int_t over = json_integer_value(json_object_get(r, "overdue_actions"));
			snprintf(oa, sizeof oa, "%lld%s",
			         (long long)json_integer_value(json_object_get(r, "open_actions")),
			         over ? " (overdue)" : "");
			const char *cells[] = {js(r, "id"),
			                       js(r, "status"),
			                       js(r, "priority"),
			                       js(r, "owner"),
			                       ev,
			                       fresh(r, fr, sizeof fr),
			                       oa,
			                       js(r, "title")};
			ssr_table_add(&t, cells);
		}
		put_table(&c, &t);
	}
	json_decref(rows);
	json_decref(dash);
	return done(&c, CLI_OK);
}

static int recs_show(int argc, char **argv)
{
	rcli_t c = {0};
	int rc = start("recs show", argc, argv, &c, 1, "one ID");
	if (rc >= 0) {
		return rc;
	}
	ssr_diag_t d = {0};
	json_t *r;
	if (ssr_recs_detail(c.st, argv[1], c.today, &r, &d) != SSR_EOK) {
		cli_error("recs show: %s", d.msg);
		return done(&c, CLI_FAIL);
	}
	if (c.fmt == SSR_FORMAT_JSON) {
		wrote(&c, ssr_json_write(r, c.out.f));
	} else {
		char fr[160];
		fprintf(c.out.f, "%s  %s\n  status %s, priority %s, owner %s, workstream %s\n",
		        js(r, "id"), js(r, "title"), js(r, "status"), js(r, "priority"),
		        js(r, "owner"), js(r, "workstream"));
		if (*js(r, "summary")) {
			fprintf(c.out.f, "  %s\n", js(r, "summary"));
		}
		if (*fresh(r, fr, sizeof fr)) {
			fprintf(c.out.f, "  live: %s: %s\n", fr,
			        js(json_object_get(r, "live"), "figure"));
		}
		size_t i;
		json_t *e;
		fputs("history:\n", c.out.f);
		json_array_foreach(json_object_get(r, "history"), i, e)
		{
			char t[21];
			ssr_time_format(json_integer_value(json_object_get(e, "at")), t);
			fprintf(c.out.f, "  %s %s: %s -> %s%s%s\n", t, js(e, "actor"),
			        js(e, "from"), js(e, "to"), *js(e, "reason") ? ": " : "",
			        js(e, "reason"));
		}
		fputs("evidence:\n", c.out.f);
		json_array_foreach(json_object_get(r, "evidence_items"), i, e)
		{
			char t[21];
			ssr_time_format(json_integer_value(json_object_get(e, "at")), t);
			fprintf(c.out.f, "  %s %s %s %s%s%s\n", t, js(e, "actor"), js(e, "kind"),
			        js(e, "ref"), *js(e, "note") ? ": " : "", js(e, "note"));
		}
		fputs("actions:\n", c.out.f);
		json_array_foreach(json_object_get(r, "actions"), i, e)
		{
			fprintf(c.out.f, "  #%lld %s (%s, due %s)%s\n",
			        (long long)json_integer_value(json_object_get(e, "id")),
			        js(e, "title"), js(e, "status"), *js(e, "due") ? js(e, "due") : "-",
			        json_is_true(json_object_get(e, "overdue")) ? " OVERDUE" : "");
		}
	}
	json_decref(r);
	return done(&c, CLI_OK);
}

static int recs_set(int argc, char **argv)
{
	rcli_t c = {0};
	int rc = parse("recs set", argc, argv, &c);
	if (rc >= 0) {
		return rc;
	}
	if (c.nargs != 2 || !c.by) {
		return cli_usage_error("recs set", "ID STATUS and --by WHO expected");
	}
	if ((rc = open_store("recs set", &c, false)) >= 0) {
		return done(&c, rc);
	}
	ssr_diag_t d = {0};
	char from[16];
	if (ssr_recs_move(c.st, argv[1], argv[2], c.by, c.reason, now_of(&c), from, &d) !=
	    SSR_EOK) {
		cli_error("recs set: %s: %s", argv[1], d.msg);
		return done(&c, CLI_FAIL);
	}
	printf("%s: %s -> %s\n", argv[1], from, argv[2]);
	return done(&c, CLI_OK);
}

static int recs_evidence(int argc, char **argv)
{
	rcli_t c = {0};
	int rc = parse("recs evidence", argc, argv, &c);
	if (rc >= 0) {
		return rc;
	}
	if (c.nargs != 1 || !c.by || (!!c.url + !!c.file + c.metric) != 1) {
		return cli_usage_error("recs evidence",
		                       "ID, --by WHO and one of --url, --file, --metric");
	}
	ssr_diag_t d = {0};
	const char *id = argv[1], *kind = c.url ? "url" : c.file ? "file" : "metric";
	const char *given = c.url ? c.url : c.file;
	if (ssr_recs_evidence_check(kind, given, c.note, &d) != SSR_EOK) {
		return cli_usage_error("recs evidence", "%s", d.msg);
	}
	if ((rc = open_store("recs evidence", &c, false)) >= 0) {
		return done(&c, rc);
	}
	ssr_recs_evidence_t e = {.id = id,
	                         .actor = c.by,
	                         .kind = kind,
	                         .ref = given,
	                         .note = c.note,
	                         .at = now_of(&c),
	                         .today = c.today};
	char ref[SSR_RECS_MAX_REF + 1];
	int64_t eid;
	if (ssr_recs_add_evidence(c.st, &e, &eid, ref, sizeof ref, &d) != SSR_EOK) {
		cli_error("recs evidence: %s", d.msg);
		return done(&c, CLI_FAIL);
	}
	printf("%s: evidence #%lld (%s) %s\n", id, (long long)eid, kind, ref);
	return done(&c, CLI_OK);
}

static int recs_actions(int argc, char **argv)
{
	const char *sub = argc > 1 && argv[1][0] != '-' ? argv[1] : "list";
	bool shift = strcmp(sub, "list") != 0 || (argc > 1 && strcmp(argv[1], "list") == 0);
	rcli_t c = {0};
	int rc = parse("recs actions", argc - shift, argv + shift, &c);
	if (rc >= 0) {
		return rc;
	}
	argc -= shift;
	argv += shift;
	ssr_diag_t d = {0};
	if (strcmp(sub, "add") == 0) {
		if (!c.title || !c.owner || !c.recs || !c.by || c.nargs != 0) {
			return cli_usage_error("recs actions add",
			                       "--title, --owner, --recs and --by needed");
		}
		if ((rc = open_store("recs actions", &c, false)) >= 0) {
			return done(&c, rc);
		}
		ssr_recs_action_t a = {.title = c.title,
		                       .owner = c.owner,
		                       .due = c.due,
		                       .recs = c.recs,
		                       .actor = c.by,
		                       .at = now_of(&c)};
		int64_t id;
		if (ssr_recs_add_action(c.st, &a, &id, &d) != SSR_EOK) {
			cli_error("recs actions add: %s", d.msg);
			return done(&c, CLI_FAIL);
		}
		printf("action #%lld\n", (long long)id);
		return done(&c, CLI_OK);
	}
	if (strcmp(sub, "set") == 0) {
		uint64_t id;
		if (c.nargs != 2 || !c.by || cli_parse_u64(argv[1], &id) != 0) {
			return cli_usage_error("recs actions set",
			                       "ID STATUS and --by WHO expected");
		}
		const char *s = argv[2];
		if ((rc = open_store("recs actions", &c, false)) >= 0) {
			return done(&c, rc);
		}
		if (ssr_recs_set_action(c.st, (int64_t)id, s, c.by, now_of(&c), &d) != SSR_EOK) {
			cli_error("recs actions set: %s", d.msg);
			return done(&c, CLI_FAIL);
		}
		return done(&c, CLI_OK);
	}
	if (strcmp(sub, "list") != 0) {
		return cli_usage_error("recs actions", "unknown '%s' (list, add, set)", sub);
	}
	if ((rc = open_store("recs actions", &c, false)) >= 0) {
		return done(&c, rc);
	}
	json_t *dash;
	if (ssr_recs_dashboard(c.st, c.today, &dash, &d) != SSR_EOK) {
		cli_error("recs actions: %s", d.msg);
		return done(&c, CLI_FAIL);
	}
	json_t *acts = json_object_get(dash, "actions");
	if (c.fmt == SSR_FORMAT_JSON) {
		wrote(&c, ssr_json_write(acts, c.out.f));
	} else {
		ssr_table_t t;
		ssr_table_init(&t, 7, NULL);
		const char *h[] = {"id",    "status",          "due",  "overdue",
		                   "owner", "recommendations", "title"};
		ssr_table_add(&t, h);
		size_t i;
		json_t *a;
		json_array_foreach(acts, i, a)
		{
			char id[24];
			snprintf(id, sizeof id, "%lld",
			         (long long)json_integer_value(json_object_get(a, "id")));
			const char *cells[] = {id,
			                       js(a, "status"),
			                       js(a, "due"),
			                       json_is_true(json_object_get(a, "overdue")) ? "yes"
			                                                                   : "",
			                       js(a, "owner"),
			                       js(a, "recs"),
			                       js(a, "title")};
			ssr_table_add(&t, cells);
		}
		put_table(&c, &t);
	}
	json_decref(dash);
	return done(&c, CLI_OK);
}

/* Rows the survey import refused: the first ten as warnings. */
typedef struct {
	unsigned skipped;
} skips_t;

static void on_skip(const char *msg, void *ctx)
{
	skips_t *k = ctx;
	if (k->skipped++ < 10) {
		ssr_log(&cli_log, SSR_LOG_WARNING, "recs", "%s", msg);
	}
}

static int recs_survey(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	rcli_t c = {0};
	int rc = parse("recs survey", argc - 1, argv + 1, &c);
	if (rc >= 0) {
		return rc;
	}
	argc--;
	argv++;
	if (!c.survey) {
		c.survey = "default";
	}
	ssr_diag_t d = {0};
	if (strcmp(sub, "import") == 0) {
		if (c.nargs != 1) {
			return cli_usage_error("recs survey import", "one ratings FILE expected");
		}
		if ((rc = open_store("recs survey", &c, false)) >= 0) {
			return done(&c, rc);
		}
		skips_t sk = {0};
		ssr_recs_survey_import_t in = {.survey = c.survey,
		                               .path = argv[1],
		                               .raters = c.raters,
		                               .skip = on_skip,
		                               .skip_ctx = &sk};
		ssr_recs_survey_stats_t ss = {0};
		rc = ssr_recs_survey_import(c.st, &in, &ss, &d);
		if (rc != SSR_EOK) {
			cli_error("recs survey import: %s", d.msg);
			return done(&c, CLI_FAIL);
		}
		printf("survey '%s': %llu rows, %llu ratings stored; skipped: %llu scores outside "
		       "50-100, "
		       "%llu unknown recommendations, %llu unknown raters, %llu repeated, %llu "
		       "malformed\n",
		       c.survey, (unsigned long long)ss.rows, (unsigned long long)ss.accepted,
		       (unsigned long long)ss.bad_score, (unsigned long long)ss.unknown_rec,
		       (unsigned long long)ss.unknown_rater, (unsigned long long)ss.duplicate,
		       (unsigned long long)ss.malformed);
		return done(&c, CLI_OK);
	}
	if (strcmp(sub, "report") != 0) {
		return cli_usage_error("recs survey", "import FILE or report");
	}
	if ((rc = open_store("recs survey", &c, false)) >= 0) {
		return done(&c, rc);
	}
	json_t *s;
	if (ssr_recs_survey_summary(c.st, c.survey, (unsigned)c.classes, &s, &d) != SSR_EOK) {
		cli_error("recs survey report: %s", d.msg);
		return done(&c, CLI_FAIL);
	}
	if (c.fmt == SSR_FORMAT_JSON) {
		wrote(&c, ssr_json_write(s, c.out.f));
	} else {
		ssr_table_t t;
		ssr_table_init(&t, 10, NULL);
		const char *h[] = {"id", "raters", "mean",  "median",    "q1",
		                   "q3", "iqr",    "class", "published", "agrees"};
		ssr_table_add(&t, h);
		size_t i;
		json_t *r;
		json_array_foreach(json_object_get(s, "recommendations"), i, r)
		{
			char v[7][32];
			const char *keys[] = {"raters", "mean", "median", "q1", "q3", "iqr"};
			for (int j = 0; j < 6; j++) {
				json_t *x = json_object_get(r, keys[j]);
				if (json_is_integer(x)) {
					snprintf(v[j], sizeof v[j], "%lld",
					         (long long)json_integer_value(x));
				} else {
					snprintf(v[j], sizeof v[j], "%.2f", json_number_value(x));
				}
			}
			json_t *ag = json_object_get(r, "agrees");
			const char *cells[] = {js(r, "id"),
			                       v[0],
			                       v[1],
			                       v[2],
			                       v[3],
			                       v[4],
			                       v[5],
			                       js(r, "class"),
			                       js(r, "published"),
			                       ag ? (json_is_true(ag) ? "yes" : "no") : ""};
			ssr_table_add(&t, cells);
		}
		if (c.fmt == SSR_FORMAT_CSV) {
			wrote(&c, ssr_table_write_csv(&t, c.out.f, 1));
		} else {
			wrote(&c, ssr_table_write_text(&t, c.out.f));
			fprintf(c.out.f,
			        "%lld ratings by %lld raters; natural breaks into %lld classes "
			        "(GVF %.3f); "
			        "agreement with the published priorities: %lld of %lld\n",
			        (long long)json_integer_value(json_object_get(s, "ratings")),
			        (long long)json_integer_value(json_object_get(s, "raters")),
			        (long long)json_integer_value(json_object_get(s, "classes")),
			        json_number_value(json_object_get(s, "gvf")),
			        (long long)json_integer_value(json_object_get(s, "agree")),
			        (long long)json_integer_value(json_object_get(s, "compared")));
		}
		ssr_table_release(&t);
	}
	json_decref(s);
	return done(&c, CLI_OK);
}

static int recs_report(int argc, char **argv)
{
	rcli_t c = {0};
	int rc = start("recs report", argc, argv, &c, 0, "no argument");
	if (rc >= 0) {
		return rc;
	}
	ssr_diag_t d = {0};
	json_t *dash;
	if (ssr_recs_dashboard(c.st, c.today, &dash, &d) != SSR_EOK) {
		cli_error("recs report: %s", d.msg);
		return done(&c, CLI_FAIL);
	}
	bool html = c.format && strcmp(c.format, "html") == 0;
	if (html) {
		rc = ssr_report_recs_html(dash, c.out.f) == SSR_EOK ? CLI_OK : CLI_FAIL;
	} else if (c.fmt == SSR_FORMAT_CSV) {
		rc = ssr_report_recs_csv(dash, c.out.f) == SSR_EOK ? CLI_OK : CLI_FAIL;
	} else {
		rc = ssr_json_write(dash, c.out.f) == SSR_EOK ? CLI_OK : CLI_FAIL;
	}
	json_decref(dash);
	return done(&c, rc);
}

static int recs_editor(int argc, char **argv)
{
	rcli_t c = {0};
	int rc = start("recs editor", argc, argv, &c, 1, "one LOGIN");
	if (rc >= 0) {
		return rc;
	}
	ssr_diag_t d = {0};
	if (ssr_store_account_set_editor(c.st, argv[1], !c.revoke, &d) != SSR_EOK) {
		cli_error("recs editor: %s", d.msg);
		return done(&c, CLI_FAIL);
	}
	return done(&c, CLI_OK);
}

int cmd_recs(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argc, argv)) {
		fputs(recs_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {{"import", recs_import}, {"list", recs_list},         {"show", recs_show},
	            {"set", recs_set},       {"evidence", recs_evidence}, {"actions", recs_actions},
	            {"survey", recs_survey}, {"report", recs_report},     {"editor", recs_editor}};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		if (strcmp(argv[1], cmds[i].name) == 0) {
			return cmds[i].fn(argc - 1, argv + 1);
		}
	}
	return cli_usage_error("recs", "unknown command '%s'", argv[1]);
}
