/* ssrwatch — zone-data access monitoring (SSR2 Rec 25; SSAC097): a subscriber's daily run
 * against ICANN's Centralized Zone Data Service REST API.  Authenticate, list the access
 * requests (status and expiry) and the download links, warn of access expiring within N days
 * and request its extension, request access where it is missing (when told to), download every
 * approved zone (HEAD for Last-Modified and the size; resume of a partial file with Range),
 * check the file end to end (gzip and the zone parse completely, the size is the announced
 * one, the SOA serial against the live one asked of the TLD's servers through libprobe, ZONEMD
 * verified where present), and record per TLD a day row (czdsstore.h).  Every HTTP exchange
 * is bounded in time and size; an answer that is not the JSON the API documents is an error
 * naming the request. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/czdsstore.h"
#include "ssrwatch/error.h"
#include "ssrwatch/log.h"
#include "ssrwatch/store.h"

typedef struct {
	const char *auth_url; /* the account API ("https://account-api.icann.org") */
	const char *czds_url; /* the CZDS API ("https://czds-api.icann.org") */
	const char *username, *password;
	const char *dir; /* downloads go to DIR/DAY/TLD.zone.gz */
	const char *day; /* the day recorded (YYYY-MM-DD); NULL: today (UTC) */
	int64_t now;     /* seconds since 1970 for expiry warnings and ZONEMD; 0: the clock, or
	                  * noon (UTC) of day when a day is given */
	const char *const *tlds; /* only these TLDs; NULL: every one the account has */
	size_t ntlds;
	unsigned warn_days;         /* warn of access expiring within; 0: 30 */
	bool extend;                /* request the extension of access expiring within warn_days */
	const char *request_reason; /* request access for TLDs without it; NULL: do not */
	unsigned expected_hour; /* a file is on time when modified by HH:00 UTC of the day; 0: 6 */
	unsigned timeout_s;     /* per API request; downloads get 100x; 0: 60 */
	uint64_t max_bytes;     /* per download; 0: 64 GiB */
	const char *const *soa_servers; /* "TLD=ADDR[:PORT]": where to ask the live SOA serial */
	size_t nsoa;
	uint64_t verify_max; /* ZONEMD verified for zones of at most this many records; 0: 5M */
	const char *ca_file; /* trusted CAs for HTTPS; NULL: the system's */
	ssr_log_fn log;
	void *log_ctx;
} ssr_czds_opts_t;

/* The day of every TLD, with what the run did about access. */
typedef struct {
	ssr_czds_row_t row;
	int days_left;         /* until access expires; -1 unknown */
	bool warned;           /* access expires within warn_days */
	bool extend_requested; /* an extension was requested (and accepted) */
	bool access_requested; /* access was requested (and accepted) */
	double size_change;    /* against the previous day's file (fraction); NaN unknown */
	char path[512];        /* the file kept; "" none */
} ssr_czds_day_t;

/* One day's run; each TLD's day into *out (*n; free()), by TLD, and into st (when not NULL).
 * What fails for one TLD is that TLD's error (its row says so); what fails for all (the
 * authentication, the request list or the link list) is the run's error: every TLD known so
 * far is then recorded with it.  Errors: SSR_EINVAL (options), SSR_EIO (the API or the files:
 * diag names the request and status), SSR_EPARSE (an answer that is not the documented JSON),
 * SSR_ENOMEM, the store's. */
int ssr_czds_run(const ssr_czds_opts_t *o, ssr_store_t *st, ssr_czds_day_t **out, size_t *n,
                 ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4, 5);

/* Availability per TLD over the stored days [from, to] (NULL: no bound). */
typedef struct {
	char tld[64];
	unsigned days, downloaded, on_time, fresh, stale, zonemd_valid, zonemd_invalid;
	unsigned no_access; /* days without approved access */
	unsigned errors;    /* days with an error */
	char last_status[16], last_expires[24], last_error[256];
	double availability; /* downloaded / days */
} ssr_czds_avail_t;
/* Errors: the store's, SSR_ENOMEM. */
int ssr_czds_availability(ssr_store_t *st, const char *from, const char *to, ssr_czds_avail_t **out,
                          size_t *n, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4, 5);
