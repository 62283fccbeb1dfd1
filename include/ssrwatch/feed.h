/* ssrwatch — reputation feed readers: listed hosts and URLs -> registered domains.
 *
 * Shapes read: one domain per line, one URL per line, CSV with a header (a domain or url column,
 * optional first_seen, last_seen and category columns), hosts-file lines; '#' comments; plain,
 * gzip, zstd.  Every line that does not yield a registered domain is counted by reason. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/category.h"
#include "ssrwatch/error.h"
#include "ssrwatch/psl.h"

typedef enum {
	SSR_FEED_AUTO = 0, /* from the content: CSV header, hosts lines, URLs or domains */
	SSR_FEED_DOMAINS,
	SSR_FEED_URLS,
	SSR_FEED_CSV,
	SSR_FEED_HOSTS,
} ssr_feed_format_t;

/* Errors: SSR_EINVAL (unknown format). */
int ssr_feed_format_parse(const char *text, ssr_feed_format_t *out) SSR_CHECK;
const char *ssr_feed_format_name(ssr_feed_format_t f);

typedef enum {
	SSR_FEED_REJECT_IP = 0,   /* an IP literal (counted apart: not a domain) */
	SSR_FEED_REJECT_SYNTAX,   /* not a host name or URL, or a malformed CSV row */
	SSR_FEED_REJECT_IDN,      /* a U-label IDNA2008 refuses */
	SSR_FEED_REJECT_SUFFIX,   /* a public suffix itself: no registered domain */
	SSR_FEED_REJECT_TLD,      /* the TLD is not one being measured */
	SSR_FEED_REJECT_LONG,     /* a line over the cap */
	SSR_FEED_REJECT_DATE,     /* a first_seen/last_seen that is not a date */
	SSR_FEED_REJECT_CATEGORY, /* a category column value that is no known category */
	SSR_FEED_REJECT_COUNT
} ssr_feed_reject_t;

const char *ssr_feed_reject_name(ssr_feed_reject_t r);

#define SSR_FEED_MAX_LINE 8192

typedef struct {
	const char *domain; /* registered domain: lowercase A-labels, no trailing dot */
	const char *tld;    /* its last label */
	ssr_abuse_category_t category;
	int64_t first_seen, last_seen; /* seconds since 1970 UTC; 0 unknown */
	uint64_t line;
	const char *host; /* with keep_host: the host as the feed wrote it (case and U-labels kept;
	                   * no scheme, user info, port or trailing dot), else NULL */
} ssr_feed_entry_t;

typedef int (*ssr_feed_entry_fn)(const ssr_feed_entry_t *e, void *ctx);
/* Is tld (lowercase A-label) one being measured?  NULL in the options: every TLD is. */
typedef bool (*ssr_feed_tld_fn)(const char *tld, void *ctx);
/* A rejected line: text is the line (not NUL-terminated), len its length. */
typedef void (*ssr_feed_reject_fn)(const char *file, uint64_t line, ssr_feed_reject_t why,
                                   const char *text, size_t len, void *ctx);

typedef struct {
	const char *name; /* the feed's name, for messages */
	ssr_abuse_category_t category;
	ssr_feed_format_t format;
	const ssr_psl_t *psl; /* required */
	ssr_feed_tld_fn tld_ok;
	void *tld_ctx;
	ssr_feed_reject_fn on_reject;
	void *reject_ctx;
	bool keep_host; /* hand each entry's host as written too (ssr_feed_entry_t.host) */
	/* ssr_feed_read_batched only, optional: work done on each entry on the reading thread
	 * (slot: slot_size bytes, at most SSR_FEED_SLOT_MAX, handed to the batch function beside
	 * the entry; ctx: the batch function's) */
	void (*prepare)(const ssr_feed_entry_t *e, void *slot, void *ctx);
	size_t slot_size;
	/* ssr_feed_read_batched only: reading threads (0: one per CPU; at most
	 * SSR_FEED_WORKERS_MAX; one for stdin and other inputs that are not regular files) */
	unsigned workers;
} ssr_feed_opts_t;

#define SSR_FEED_WORKERS_MAX 4

#define SSR_FEED_SLOT_MAX 1024

typedef struct {
	uint64_t lines;    /* all lines */
	uint64_t skipped;  /* blank lines, comments, the CSV header */
	uint64_t accepted; /* entries handed to the callback */
	uint64_t rejected[SSR_FEED_REJECT_COUNT];
	ssr_feed_format_t format; /* the shape read (after AUTO) */
} ssr_feed_stats_t;

/* Read a feed; every accepted line goes to fn.  A feed with no accepted line is SSR_EPARSE. */
int ssr_feed_read(const char *path, const ssr_feed_opts_t *opts, ssr_feed_entry_fn fn, void *ctx,
                  ssr_feed_stats_t *stats, ssr_diag_t *diag) SSR_CHECK;

#define SSR_FEED_BATCH 256 /* the most entries in one batch */

/* n entries (1..SSR_FEED_BATCH), in line order; their strings live until it returns.  slots:
 * what opts->prepare made of each, slot_size bytes apart (NULL without prepare). */
typedef int (*ssr_feed_batch_fn)(const ssr_feed_entry_t *e, const void *slots, size_t n, void *ctx);

/* ssr_feed_read on several threads: workers (opts->workers) each read the whole file and parse
 * and normalise the lines of their chunks of 512 lines, chunk c on worker c % workers
 * (opts->tld_ok and opts->prepare are called there: they must be safe to call beside each other
 * and beside fn); the caller's thread hands the entries to fn in batches and the rejected lines to
 * opts->on_reject, chunk after chunk, everything in line order as ssr_feed_read would.  (A
 * compressed feed is decompressed by every worker.)  The same entries, statistics and errors as
 * ssr_feed_read (an error of fn stops the reading; lines after it may have been read, but none
 * reaches fn or on_reject). Errors: as ssr_feed_read's, SSR_EINVAL (slot_size over
 * SSR_FEED_SLOT_MAX), SSR_ENOMEM. */
int ssr_feed_read_batched(const char *path, const ssr_feed_opts_t *opts, ssr_feed_batch_fn fn,
                          void *ctx, ssr_feed_stats_t *stats, ssr_diag_t *diag) SSR_CHECK;

/* Host name or URL text -> registered domain (into out, NUL-terminated).  Returns SSR_EOK or
 * SSR_EPARSE with *why set.  The TLD check is not applied here. */
int ssr_feed_normalise(const ssr_psl_t *psl, const char *text, size_t len, char *out, size_t cap,
                       ssr_feed_reject_t *why) SSR_CHECK;
/* ssr_feed_normalise, and the host as written (case and U-labels kept; no scheme, user info,
 * port or trailing dot) into host (host_cap bytes).  Errors as ssr_feed_normalise's. */
int ssr_feed_normalise_host(const ssr_psl_t *psl, const char *text, size_t len, char *out,
                            size_t cap, ssr_feed_reject_t *why, char *host,
                            size_t host_cap) SSR_CHECK;
/* "2026-11-23", "2026-11-23 10:00:00", "2026-11-23T10:00:00Z" or seconds since 1970.
 * Errors: SSR_EPARSE (not a date or time this accepts). */
int ssr_feed_parse_time(const char *text, size_t len, int64_t *out) SSR_CHECK;
