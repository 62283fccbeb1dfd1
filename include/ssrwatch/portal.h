/* ssrwatch — the central abuse report portal (SSR2 Rec 17, 18): intake with evidence, cases,
 * routing to registrar/registry/host (RDAP), delivery (SMTP, signed webhooks), party inboxes,
 * SLA measurement.  A libmicrohttpd server with a JSON API (/api/v1, docs/API.md) and
 * server-rendered HTML pages; the store is libstore (SQLite default, PostgreSQL). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/error.h"
#include "ssrwatch/log.h"
#include "ssrwatch/opt.h"
#include "ssrwatch/portalstore.h"
#include "ssrwatch/psl.h"
#include "ssrwatch/store.h"

/* Seconds since the epoch; the portal asks this for every time stamp it writes. */
typedef int64_t (*ssr_clock_fn)(void *ctx);

typedef struct {
	const char *store_uri;        /* required */
	const char *listen_addr;      /* "127.0.0.1" */
	unsigned port;                /* 8080; 0 picks a free port (ssr_portal_port tells) */
	unsigned threads;             /* MHD worker threads; 0: 32 per CPU (at most 256) */
	const char *base_url;         /* for links in e-mails; NULL: http://addr:port */
	const char *psl_file;         /* NULL: libpsl's list */
	const char *brands_file;      /* protected names: each reported domain or URL is checked
	                               * (names check's rule) and the match kept with the report;
	                               * NULL: no check */
	const char *brand_allow_file; /* the brand owners' own domains; NULL none */
	const char *providers_file;   /* provider suffixes beside the PSL's private section;
	                               * NULL: the shipped list */
	const char *rdap_dns;         /* IANA RDAP bootstrap dns.json (RFC 9224); NULL: no RDAP */
	const char *rdap_ipv4;        /* ipv4.json; NULL none */
	const char *rdap_ipv6;        /* ipv6.json; NULL none */
	unsigned rdap_timeout_ms;     /* per request; 10000 */
	unsigned rdap_cache_s;        /* cache lifetime of an answer; 86400 */
	const char *smtp_url;         /* "smtp://127.0.0.1:2525"; NULL: no e-mail */
	const char *smtp_from;        /* envelope and header sender */
	unsigned webhook_timeout_ms;
	unsigned max_body;         /* request body cap in bytes; 8 MiB */
	unsigned max_attachment;   /* decoded bytes per attachment; 2 MiB */
	unsigned max_attachments;  /* per report; 5 */
	unsigned rate_ip;          /* report submissions per IP per minute; 0: off */
	unsigned rate_account;     /* API requests per account per minute; 0: off */
	unsigned sla_ack_s;        /* acknowledge SLA; 24 h */
	unsigned sla_action_s;     /* action SLA; 7 days */
	unsigned retry_base_s;     /* first retry delay for RDAP and deliveries; 60 */
	unsigned retry_max;        /* attempts before giving up a delivery; 8 */
	bool secure_cookies;       /* Secure attribute (behind TLS); default false on loopback */
	bool background;           /* run routing and delivery workers; default true */
	bool shared_limits;        /* rate-ip and rate-account counted in the store, for all the
	                            * instances on it at once (default false: per instance) */
	unsigned claim_lease_s;    /* several instances on one store: routing and delivery work is
	                            * claimed for this long (a killed instance's claims come due
	                            * again after it); 0: one instance, no claims */
	const char *access_log;    /* file for the JSON access log; NULL: through the log */
	unsigned conn_per_ip;      /* open connections per client address; 64; 0: no limit */
	unsigned header_timeout_s; /* a request's line and headers must come within; 10 */
	unsigned stats_cache_s;    /* SLA figures (/stats, /api/v1/stats) are reused for; 10 */
	unsigned wal_max_mb;       /* SQLite: the write-ahead log is truncated past; 64 */
	ssr_log_t log;
	ssr_clock_fn clock; /* NULL: time() */
	void *clock_ctx;
	char listen_buf[64];     /* holds the address a 'listen' setting gave */
	const char *config_file; /* the file the settings came from (--config); NULL none */
} ssr_portal_config_t;

/* Defaults for every field but store_uri and log. */
void ssr_portal_config_init(ssr_portal_config_t *cfg);
/* The settings as an option table over ssr_portal_config_t (ssrwatch/opt.h): the long options
 * of 'portal serve' and the keys of its config file, one list.  *n its length. */
const ssr_opt_t *ssr_portal_config_options(size_t *n) SSR_NONNULL(1);
/* Read a config file ('key = value' lines, '#' comments) into cfg; its strings are copied into
 * keep (which must outlive cfg's use).  Errors: SSR_EIO, SSR_EPARSE, SSR_EINVAL, each naming
 * the file and line. */
int ssr_portal_config_load(ssr_portal_config_t *cfg, const char *path, ssr_arena_t *keep,
                           ssr_diag_t *diag) SSR_CHECK;

typedef struct ssr_portal ssr_portal_t;

/* Open the store, start the server and the workers.  Returns when listening.
 * Errors: SSR_EINVAL (bad configuration), SSR_EIO (cannot listen, open the access log or read the
 * bootstrap files), SSR_ENOMEM, the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_portal_start(const ssr_portal_config_t *cfg, ssr_portal_t **out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(2);
unsigned ssr_portal_port(const ssr_portal_t *p);
/* Stop accepting, finish requests in flight, flush the writer, stop workers, close. */
void ssr_portal_stop(ssr_portal_t *p);

/* ---- administration (CLI, offline: the store only) ------------------------------------ */

/* A party as an administrator gives it (command line, admin page, API body); a NULL or empty
 * string is not given. */
typedef struct {
	const char *kind;    /* registrar, registry or host */
	const char *name;    /* at most 200 characters */
	const char *iana_id; /* registrars: a positive decimal number */
	const char *handle, *email, *webhook, *secret;
	const char *delivery; /* "email", "webhook" or both, comma-separated; "": none; NULL: each
	                         channel whose address is given */
} ssr_party_input_t;

/* Create or update a party after checking it; *id its id.  Errors: SSR_EINVAL (the message
 * names the party and what is wrong), the store's. */
int ssr_portal_party_put(ssr_store_t *st, const ssr_party_input_t *in, int64_t now, int64_t *id,
                         ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4);
/* Create or update an account with an Argon2id hash of password.  Updating an account logs
 * it out everywhere: its sessions and API tokens are revoked (the counts out; may be NULL).
 * Errors: SSR_EINVAL (login or password out of bounds), SSR_ENOTFOUND (no such party), SSR_EIO (no
 * randomness), the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_portal_account_put(ssr_store_t *st, const char *login, const char *password,
                           int64_t party_id, bool admin, int64_t now, int64_t *sessions_revoked,
                           int64_t *tokens_revoked, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* A new API token for an account (login); the token text into out (64 bytes).
 * Errors: SSR_ENOTFOUND (no such login), SSR_EIO (no randomness), the store's (SSR_ESTORE,
 * SSR_ENOMEM). */
int ssr_portal_token_new(ssr_store_t *st, const char *login, const char *label, int64_t now,
                         char out[64], ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Revoke an account's API tokens with label (NULL: all of them); *n how many.
 * Errors: SSR_ENOTFOUND (no such login), the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_portal_token_revoke(ssr_store_t *st, const char *login, const char *label, int64_t *n,
                            ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* An account's API tokens (the secrets are never stored); free with ssr_store_tokens_free.
 * Errors: SSR_ENOTFOUND (no such login), the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_portal_tokens(ssr_store_t *st, const char *login, ssr_token_t **rows, size_t *n,
                      ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3, 4);
/* Load a registry directory: CSV (tld,operator,email,rdap_base) or JSON [{...}].  A registry
 * party is created per operator.  *n the TLDs loaded.
 * Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_EPARSE (naming file and line), SSR_ELIMIT (a
 * line over its cap), SSR_ENOMEM, the store's (SSR_ESTORE, SSR_ENOMEM) (the caller's transaction).
 */
int ssr_portal_directory_load(ssr_store_t *st, const char *path, int64_t now, uint64_t *n,
                              ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);

/* One directory entry (TLD, operator, optional abuse e-mail and RDAP base URL); the registry's
 * party is created or updated.
 * Errors: SSR_EPARSE (a bad TLD, operator or RDAP URL), SSR_EINVAL (the registry party's rule), the
 * store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_portal_directory_put(ssr_store_t *st, const char *tld, const char *op, const char *email,
                             const char *rdap_base, int64_t now, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);

/* ---- SLA statistics ----------------------------------------------------------------- */

typedef struct {
	unsigned ack_s, action_s; /* the SLAs */
	int64_t now;              /* open breaches are counted at this time */
} ssr_sla_opts_t;

/* Per party and overall: cases routed, acknowledged, actioned; time to acknowledge and to
 * action (median, p90, in seconds); share within the SLA; open breaches.  docs/METHODOLOGY.md.
 * Errors: SSR_ENOMEM, the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_portal_sla(ssr_store_t *st, const ssr_sla_opts_t *o, json_t **out,
                   ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3);
