/* ssrwatch CLI — shared helpers for the thin command files. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ssrwatch/deleg.h"
#include "ssrwatch/log.h"
#include "ssrwatch/opt.h"
#include "ssrwatch/report.h"
#include "ssrwatch/state.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_HELP = 3 /* help printed: exit 0 */ };

extern ssr_log_t cli_log;

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "ssrwatch: <msg>" plus a hint to --help; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_parse_u64(const char *s, uint64_t *out);
int cli_parse_double(const char *s, double *out);
int cli_parse_format(const char *cmd, const char *s, ssr_format_t *out);
bool cli_is_help(int argc, char **argv);

/* A command's options by its table (ssrwatch/opt.h) into base; the other arguments are moved
 * to argv[1..*nargs], in order.  CLI_OK; CLI_HELP after printing help (when not NULL) to
 * standard output;
 * CLI_USAGE after printing the error with a hint to --help. */
int cli_opts(const char *cmd, const ssr_opt_t *t, size_t n, void *base, int argc, char **argv,
             int *nargs, const char *help);
#define CLI_NOPTS(t) (sizeof(t) / sizeof((t)[0]))
/* The exit status of a cli_opts result that is not CLI_OK. */
#define CLI_EXIT(rc) ((rc) == CLI_HELP ? CLI_OK : (rc))

/* Option rules the commands share (ssr_opt_fn): --format into an ssr_format_t, a date
 * YYYY-MM-DD into a const char *. */
int cli_opt_format(const char *v, void *member, ssr_diag_t *diag);
int cli_opt_date(const char *v, void *member, ssr_diag_t *diag);

/* A repeatable option's values in the order given (cli_opt_list). */
#define CLI_LIST_MAX 256
typedef struct {
	const char *v[CLI_LIST_MAX];
	size_t n;
} cli_list_t;
int cli_opt_list(const char *v, void *member, ssr_diag_t *diag);
/* A score from 0 to 1 (a double member): --min-score. */
int cli_opt_score(const char *v, void *member, ssr_diag_t *diag);

/* --output FILE: written to FILE.tmp and renamed when complete, so that a failed command never
 * leaves a half-written file under the name; NULL path: standard output.  A path that exists
 * and is not a regular file (/dev/null, a FIFO, a terminal) is written directly: renaming over
 * it would replace the device. */
typedef struct {
	FILE *f;
	const char *path;
	bool direct;
	char tmp[4096];
} cli_out_t;

/* CLI_OK, or CLI_FAIL with "<cmd>: cannot write '<tmp>'" reported. */
int cli_out_open(const char *cmd, const char *path, cli_out_t *o);
/* Finish: ok false (the command failed) removes the temporary file.  Returns CLI_OK when the
 * output is complete, else CLI_FAIL with the write error reported. */
int cli_out_close(const char *cmd, cli_out_t *o, bool ok);

/* A trust anchor for a command: value (--trust-anchor) or the whole of file
 * (--trust-anchor-file: DS lines, at most cap - 1 bytes) into buf; *out NULL when neither.
 * CLI_OK, or CLI_FAIL with the error reported. */
int cli_trust_anchor(const char *cmd, const char *value, const char *file, char *buf, size_t cap,
                     const char **out);

/* What a command that runs delegation checks takes (delegation check, zone diff --check):
 * the options (CLI_DELEG_OPTS in its table), then cli_deleg_setup: the addresses parsed, the
 * suite read, the record file opened, o ready; cli_deleg_release closes them. */
typedef struct {
	cli_list_t sources;
	const char *resolver, *suite, *asn, *now, *record;
	bool allow_private, no_ipv4, no_ipv6;
	unsigned timeout_ms;
	struct sockaddr_storage src[SSR_DELEG_MAX_SOURCES], res;
	socklen_t srclen[SSR_DELEG_MAX_SOURCES], reslen;
	ssr_regress_suite_t s;
	ssr_probe_rec_t *rec;
	ssr_deleg_opts_t o;
	bool ready;
} cli_deleg_t;
#define CLI_DELEG_OPTS(T, m)                                                                       \
	SSR_OPT_FN("source", T, m.sources, cli_opt_list), SSR_OPT_STR("resolver", T, m.resolver),  \
	    SSR_OPT_STR("suite", T, m.suite), SSR_OPT_STR("asn-table", T, m.asn),                  \
	    SSR_OPT_FLAG("allow-private", T, m.allow_private),                                     \
	    SSR_OPT_FLAG("no-ipv4", T, m.no_ipv4), SSR_OPT_FLAG("no-ipv6", T, m.no_ipv6),          \
	    SSR_OPT_STR("now", T, m.now), SSR_OPT_UINT("timeout-ms", T, m.timeout_ms, 1, 60000),   \
	    SSR_OPT_STR("record", T, m.record)
/* CLI_OK, CLI_USAGE or CLI_FAIL (reported). */
int cli_deleg_setup(const char *cmd, cli_deleg_t *d);
/* CLI_OK, or CLI_FAIL when the record file could not be completed (reported). */
int cli_deleg_release(const char *cmd, cli_deleg_t *d);

int cmd_zone(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_cluster(int argc, char **argv);
/* merge of names.scan states: the matches as 'names scan' writes them (cmd_names.c). */
int cmd_names_merge(const ssr_state_set_t *set, ssr_format_t fmt, const char *output,
                    const char *store, const char *date);
/* Run argv (PATH searched), wait: its exit status, 128 + signal, or -1 when it cannot start. */
int cli_run(char *const argv[]);
int cmd_traffic_merge(int argc, char **argv);
/* Store one zone report (zone stats, merge): the snapshot date is date, or the file's. */
/* Shard states keep the command's arguments so that the merge runs with the same: argv[1..argc)
 * but those in skip[0..nskip) (with their values; "--opt=value" too), joined by 0x1f
 * (malloc'ed; NULL: out of memory). */
char *cli_state_args(int argc, char **argv, const char *const *skip, size_t nskip);
/* The other way: cmd, args split in place at 0x1f, then extra[0..nextra); *ac the count; the
 * vector is NULL-terminated and malloc'ed (NULL: out of memory). */
char **cli_state_argv(const char *cmd, char *args, const char *const *extra, size_t nextra,
                      int *ac);
/* run(argc, argv) with cmd, the kept arguments (cli_state_args' text) and extra[0..nextra):
 * how a merge runs the command its shards ran.  run's result, or CLI_FAIL (out of memory). */
int cli_state_rerun(const char *args, const char *cmd, const char *const *extra, size_t nextra,
                    int (*run)(int argc, char **argv));
/* strcmp of two char * in an array (qsort). */
int cli_str_cmp(const void *a, const void *b);
/* ssrwatch merge of abuse.ingest states: the ingest with the arguments its shards ran with
 * (store, format and output: given to the merge, or NULL). */
int cli_abuse_ingest_merge(const ssr_state_set_t *set, const char *store, const char *format,
                           const char *output);
/* ssrwatch merge of regress.run states: 'regress run' with the shards' arguments and extra[]
 * (the merge's --format, --output, --store, --date). */
int cli_regress_merge(const ssr_state_set_t *set, const char *const *extra, size_t nextra);
/* ssrwatch merge of zone.diff.check states: 'zone diff --check' with the shards' arguments
 * and extra[] (the merge's --format, --output), the verdicts from the states. */
int cli_zone_diff_merge(const ssr_state_set_t *set, const char *const *extra, size_t nextra);
int cli_zone_store(struct ssr_store *store, json_t *z, const char *path, const char *date,
                   ssr_diag_t *diag);
/* zone diff (cmd_zonediff.c) */
int cli_zone_diff(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_abuse(int argc, char **argv);
int cmd_portal(int argc, char **argv);
int cmd_names(int argc, char **argv);
int cmd_recs(int argc, char **argv);
int cmd_traffic(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_regress(int argc, char **argv);
int cmd_rss(int argc, char **argv);
int cmd_delegation(int argc, char **argv);
int cmd_czds(int argc, char **argv);
int cmd_escrow(int argc, char **argv);
