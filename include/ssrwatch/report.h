/* ssrwatch — report writers: aligned text tables, RFC 4180 CSV, canonical JSON. */
#pragma once

#include <jansson.h>
#include <stdio.h>

#include "ssrwatch/csv.h"
#include "ssrwatch/error.h"
#include "ssrwatch/rss.h"
#include "ssrwatch/probe.h"
#include "ssrwatch/czds.h"
#include "ssrwatch/escrow.h"
#include "ssrwatch/escrowrestore.h"
#include "ssrwatch/deleg.h"
#include "ssrwatch/zonediff.h"
#include "ssrwatch/regress.h"
#include "ssrwatch/zonemem.h"
#include "ssrwatch/zonestore.h"

typedef enum {
	SSR_FORMAT_TABLE = 0,
	SSR_FORMAT_JSON = 1,
	SSR_FORMAT_CSV = 2,
} ssr_format_t;

/* Errors: SSR_EINVAL (not table, json or csv). */
int ssr_format_parse(const char *name, ssr_format_t *out) SSR_CHECK;

/* A table of string cells: rows of ncols columns; first row is the header.  Errors are
 * sticky, as with stdio's ferror: the first failure of init or an add is kept in err, the later
 * adds do nothing, and the writers return it; so a report is never written with a row silently
 * missing, and a caller may build a table without checking every add. */
typedef struct {
	size_t ncols;
	size_t nrows;
	size_t cap;
	char **cells; /* nrows * ncols, owned */
	char *title;
	int err; /* the first failure (SSR_ENOMEM), or SSR_EOK */
} ssr_table_t;

/* SSR_ENOMEM (also kept in t->err) when the title cannot be copied. */
int ssr_table_init(ssr_table_t *t, size_t ncols, const char *title);
void ssr_table_release(ssr_table_t *t);
/* Append a row of ncols NUL-terminated strings (copied); returns t->err. */
int ssr_table_add(ssr_table_t *t, const char *const *cells);
int ssr_table_addf(ssr_table_t *t, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Numbers right-aligned, text left-aligned.  t->err if an add failed (nothing is written),
 * SSR_EIO if writing failed. */
int ssr_table_write_text(const ssr_table_t *t, FILE *out) SSR_CHECK;
int ssr_table_write_csv(const ssr_table_t *t, FILE *out, int with_header) SSR_CHECK;
/* Text for HTML element content or a quoted attribute: & < > " ' escaped. */
void ssr_html_escape(FILE *out, const char *s);
/* Deterministic JSON: sorted keys, two-space indent, trailing newline.
 * Errors: SSR_EIO (writing failed). */
int ssr_json_write(json_t *v, FILE *out) SSR_CHECK;

/* Zone statistics (array of zone objects) as text tables or CSV.
 * Errors: SSR_EIO (writing failed), SSR_ENOMEM. */
int ssr_report_zone_stats(json_t *zones, ssr_format_t fmt, FILE *out) SSR_CHECK;
/* A zone verification (zone verify) as a document: file, zone, serial, records, valid (no error
 * and nothing skipped), zonemd {...}, dnssec {..., problems [{owner, type, severity, problem}]},
 * skipped [...].  Errors: SSR_ENOMEM. */
int ssr_report_zone_verify_json(const char *file, const ssr_zmem_t *z, const ssr_zv_result_t *r,
                                json_t **out) SSR_CHECK SSR_NONNULL(1, 2, 3, 4);
/* The same as lines: one per problem ("OWNER TYPE severity: problem"), then the counts.
 * Errors: SSR_EIO. */
int ssr_report_zone_verify_text(json_t *doc, FILE *out) SSR_CHECK;
/* Zone history from the store's snapshots (ssr_store_zone_snapshots); a stored document that
 * is not a JSON object is SSR_ECORRUPT naming the zone and date. */
int ssr_report_zone_history(const ssr_zone_snapshot_t *rows, size_t n, ssr_format_t fmt, FILE *out,
                            ssr_diag_t *diag) SSR_CHECK;

/* The abuse report (object from ssr_abuse_report): CSV as "metric,value" rows carrying every
 * number of the JSON (paths like tlds[alpha].rate_per_10k); HTML as one self-contained file
 * with SVG charts.
 * Errors: SSR_EIO (writing failed), SSR_ENOMEM. */
int ssr_report_abuse_csv(json_t *report, FILE *out) SSR_CHECK;
/* Errors: SSR_EIO (writing failed), SSR_ENOMEM. */
int ssr_report_abuse_html(json_t *report, FILE *out) SSR_CHECK;

/* Portal SLA figures (object from ssr_portal_sla): JSON as computed (full precision), or one
 * row per party plus an "all" row as a text table or CSV.
 * Errors: SSR_EIO (writing failed), SSR_ENOMEM. */
int ssr_report_portal_sla(json_t *sla, ssr_format_t fmt, FILE *out) SSR_CHECK;

/* The recommendation tracker's implementation report (object from ssr_recs_dashboard): one
 * self-contained HTML file with an SVG chart of statuses per review, or CSV, one row per
 * recommendation.
 * Errors: SSR_EIO (writing failed), SSR_ENOMEM. */
int ssr_report_recs_html(json_t *dash, FILE *out) SSR_CHECK;
/* Errors: SSR_EIO (writing failed), SSR_ENOMEM. */
int ssr_report_recs_csv(json_t *dash, FILE *out) SSR_CHECK;
/* The SVG chart alone: one stacked bar of statuses per review (the dashboard's reviews). */
void ssr_report_recs_chart(json_t *reviews, FILE *out);

/* The name collision report (object from ssr_collisions_json): CSV, one row per TLD; HTML with
 * a ranked bar chart.
 * Errors: SSR_EIO (writing failed), SSR_ENOMEM. */
int ssr_report_collisions_csv(json_t *c, FILE *out) SSR_CHECK;
/* Errors: SSR_EIO (writing failed), SSR_ENOMEM. */
int ssr_report_collisions_html(json_t *c, FILE *out) SSR_CHECK;

/* One probe exchange as a JSON object: seq, label, transport, server, source, sent (UTC),
 * outcome, rtt_us, query_size, answer {size, id, opcode, rcode, flags, question, answer,
 * authority, additional (records as text), edns {version, udp_size, do, flags, options}} or
 * null.  Errors: SSR_ENOMEM. */
int ssr_report_probe_json(const ssr_probe_result_t *r, json_t **out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);
/* The same exchange as text in dig's manner (header, flags, EDNS, sections).  Errors: SSR_EIO. */
int ssr_report_probe_text(const ssr_probe_result_t *r, FILE *out) SSR_CHECK SSR_NONNULL(1, 2);
/* A run's summary: exchanges, outcomes {answer, timeout, ...}, rcodes {NOERROR: n, ...},
 * truncated, elapsed_us, answers_per_second, rtt_us {p50, p90, p99, max} or null.  Errors:
 * SSR_ENOMEM. */
int ssr_report_probe_summary_json(const ssr_probe_summary_t *s, json_t **out,
                                  ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);

/* Regression results (ssr_regress_run): JSON rows {target, implementation, version, suite,
 * case, tag, severity, result, codes, tags, details, exchange}; a text table per target; JUnit
 * XML (a testsuite per target, a testcase per case, failures with codes, tags and details).
 * Errors: SSR_EIO, SSR_ENOMEM. */
int ssr_report_regress_json(const ssr_regress_result_t *r, size_t n, FILE *out,
                            ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(3);
int ssr_report_regress_table(const ssr_regress_result_t *r, size_t n, FILE *out) SSR_CHECK
    SSR_NONNULL(3);
int ssr_report_regress_junit(const ssr_regress_result_t *r, size_t n, FILE *out) SSR_CHECK
    SSR_NONNULL(3);
/* The results as one self-contained HTML page: a matrix of cases (rows) by targets (columns,
 * with implementation and version), each cell coloured by its result and showing its tags,
 * the details on hover; with records (the run's record file) every cell links to the exchange
 * that decided it, shown in full below.  Errors: SSR_EIO, SSR_ENOMEM, the record reader's. */
int ssr_report_regress_html(const ssr_regress_result_t *r, size_t n, const char *records, FILE *out,
                            ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(4);

/* ---- zone diff (libzone diff.c) -------------------------------------------------------------- */
/* Changes written as they come: JSON {"old", "new", "changes": [{kind, owner, type, delegation,
 * old: [RDATA text], new: [...], old_ttl, new_ttl}], "summary": {changes by kind, records,
 * delegations, serials, runs, spilled_bytes, peak_buffer_bytes}, "checks": [...]}; CSV
 * (kind,owner,type,delegation,old,new; sets joined by " | "); or a table ("-" old, "+" new). */
typedef struct ssr_zdiff_writer ssr_zdiff_writer_t;
/* Errors: SSR_ENOMEM, SSR_EIO. */
int ssr_report_zdiff_open(ssr_format_t fmt, FILE *out, const char *old_path, const char *new_path,
                          ssr_zdiff_writer_t **w) SSR_CHECK SSR_NONNULL(2, 3, 4, 5);
/* Errors: SSR_EINVAL (a name libknot cannot show), SSR_ENOMEM, SSR_EIO. */
int ssr_report_zdiff_change(ssr_zdiff_writer_t *w, const ssr_zdiff_change_t *c) SSR_CHECK
    SSR_NONNULL(1, 2);
/* The summary (st; NULL: the diff failed: the document is left unfinished, so it does not
 * parse) and checks (a JSON array of delegation check verdicts, taken over; may be NULL);
 * w freed.  Errors: SSR_ENOMEM, SSR_EIO. */
int ssr_report_zdiff_close(ssr_zdiff_writer_t *w, const ssr_zdiff_stats_t *st,
                           json_t *checks) SSR_CHECK;

/* ---- zone-data access (libczds) ------------------------------------------------------------ */
/* A day's run per TLD: JSON rows {day, tld, status, expires, days_left, warned,
 * extension_requested, access_requested, downloaded, on_time, fresh, bytes, records,
 * size_change, serial_file, serial_live, zonemd, http_status, error, file} (null: unknown).
 * Errors: SSR_EIO, SSR_ENOMEM. */
int ssr_report_czds_day_json(const ssr_czds_day_t *d, size_t n, FILE *out,
                             ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(3);
/* One line per TLD.  Errors: SSR_EIO. */
int ssr_report_czds_day_table(const ssr_czds_day_t *d, size_t n, FILE *out) SSR_CHECK
    SSR_NONNULL(3);
/* Availability over days per TLD and overall: format 0 table, 1 JSON {tlds: [...], overall},
 * 2 CSV, 3 HTML.  Errors: SSR_EIO, SSR_ENOMEM. */
int ssr_report_czds_avail(const ssr_czds_avail_t *a, size_t n, int format, FILE *out,
                          ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(4);

/* ---- delegation checks (libdeleg) --------------------------------------------------------- */
/* The report as one JSON document: zone, suite, suite_version, passed, failed (by severity),
 * exchanges, sources, nameservers, ds, checks [{id, title, severity, result, message, ids
 * {iana, zonemaster, rst}, evidence [{exchange, server, source, transport, qname, qtype,
 * outcome, rcode, aa}]}].  Errors: SSR_EIO, SSR_ENOMEM. */
int ssr_report_deleg_json(const ssr_deleg_report_t *r, FILE *out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2);
/* One line per check.  Errors: SSR_EIO. */
int ssr_report_deleg_table(const ssr_deleg_report_t *r, FILE *out) SSR_CHECK SSR_NONNULL(1, 2);
/* One delegation's verdict for an audit (zone diff --check): {delegation, nameservers, ds,
 * passed (null: not delegated any more), failed: [{id, severity, result, message}]}; NULL when
 * out of memory. */
json_t *ssr_report_deleg_verdict(const ssr_deleg_change_t *ch, const ssr_deleg_report_t *r)
    SSR_NONNULL(1);
/* One self-contained HTML page.  Errors: SSR_EIO. */
int ssr_report_deleg_html(const ssr_deleg_report_t *r, FILE *out) SSR_CHECK SSR_NONNULL(1, 2);

/* ---- RSSAC047 (librss) ----------------------------------------------------------------------- */
/* The monthly report as a document: RSI verdicts, the data behind them, RSS values, the new
 * serials, the publication-latency histogram, the exclusions with what each removed.
 * Errors: SSR_ENOMEM. */
int ssr_report_rss_json(const ssr_rss_report_t *r, json_t **out) SSR_CHECK SSR_NONNULL(1, 2);
/* The document as a table, as CSV (one row per figure), as an HTML page with SVG charts.
 * Errors: SSR_EIO (writing failed). */
int ssr_report_rss_text(json_t *doc, FILE *out) SSR_CHECK;
int ssr_report_rss_csv(json_t *doc, FILE *out) SSR_CHECK;
int ssr_report_rss_html(json_t *doc, FILE *out) SSR_CHECK;

/* ---- escrow deposits (libescrow) ------------------------------------------------------------ */

/* Validation results: JSON (an array, per deposit its codes with examples and the checks'
 * states), a text table, an HTML page.  Errors: SSR_ENOMEM, SSR_EIO. */
int ssr_report_rde_json(const ssr_rde_result_t *r, size_t n, FILE *out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 3);
int ssr_report_rde_table(const ssr_rde_result_t *r, size_t n, FILE *out) SSR_CHECK
    SSR_NONNULL(1, 3);
int ssr_report_rde_html(const ssr_rde_result_t *r, size_t n, FILE *out) SSR_CHECK SSR_NONNULL(1, 3);
/* A restore, a reconciliation, a drill: format 0 a table, 1 JSON (docs/FORMATS.md).
 * Errors: SSR_ENOMEM, SSR_EIO. */
int ssr_report_escrow_restore(const ssr_escrow_restore_t *r, int format, FILE *out,
                              ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3);
int ssr_report_escrow_recon(const ssr_recon_t *r, int format, FILE *out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 3);
int ssr_report_escrow_drill(const ssr_drill_t *r, int format, FILE *out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 3);
