/* ssrwatch — the portal's entities in the store (schema 4): parties and their accounts, API
 * tokens and sessions, the registry directory, reports and the cases they join, routing,
 * deliveries, the case timeline (events) and the RDAP cache.  Same functions on SQLite and
 * PostgreSQL.  Times are seconds since the epoch (UTC).  Secrets are never stored: tokens and
 * session ids as their SHA-256 (hex), passwords as Argon2id encodings.
 *
 * Writes do not open transactions of their own: the portal's writer thread wraps a batch of
 * requests in one (ssr_store_begin/commit) with a savepoint per request. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"
#include "ssrwatch/store.h"

/* Errors of every function here that returns int, unless its comment adds more:
 * SSR_ESTORE (the database refused or failed; diag says how, naming the store), SSR_ENOMEM;
 * reads also SSR_ELIMIT (a stored text longer than its field) and SSR_ECORRUPT (a stored value
 * that is not what it must be).  A lookup of one thing says when it is SSR_ENOTFOUND. */

/* Savepoints inside a transaction: one per request in a batch. */
int ssr_store_savepoint(ssr_store_t *st, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
int ssr_store_savepoint_release(ssr_store_t *st, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
void ssr_store_savepoint_rollback(ssr_store_t *st) SSR_NONNULL(1);

/* ---- parties, accounts, tokens, sessions ---------------------------------------------- */

typedef struct {
	int64_t id;       /* 0: new */
	const char *kind; /* "registrar", "registry", "host" */
	const char *name;
	int64_t iana_id;     /* registrars: IANA id; 0 none */
	const char *handle;  /* hosts: RDAP entity handle or network name; NULL none */
	const char *email;   /* abuse mailbox for delivery; NULL none */
	const char *webhook; /* webhook URL; NULL none */
	const char *secret;  /* webhook HMAC key; NULL none */
	bool by_email, by_webhook;
	bool has_secret; /* read back: a secret is set (the secret itself only when asked for) */
} ssr_party_t;

/* Insert (id 0) or update a party; a registrar with the same IANA id, or a party of the same
 * kind and name, is updated in place.  *id the party's id. */
int ssr_store_party_put(ssr_store_t *st, const ssr_party_t *p, int64_t now, int64_t *id,
                        ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4);
/* A party as stored; its strings are the caller's (ssr_store_party_release), the secret only
 * with with_secret.  SSR_ENOTFOUND if none. */
int ssr_store_party_get(ssr_store_t *st, int64_t id, bool with_secret, ssr_party_t *out,
                        ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
void ssr_store_party_release(ssr_party_t *p);
/* Every party ordered by id (never the secrets): *rows (*n), ssr_store_parties_free. */
int ssr_store_parties(ssr_store_t *st, ssr_party_t **rows, size_t *n, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2, 3);
void ssr_store_parties_free(ssr_party_t *rows, size_t n);
/* The party of a registrar's IANA id, or of a host handle; *id 0 if none. */
int ssr_store_party_by_iana(ssr_store_t *st, int64_t iana_id, int64_t *id,
                            ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3);
int ssr_store_party_by_handle(ssr_store_t *st, const char *handle, int64_t *id,
                              ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3);

/* Accounts: login is unique; party_id 0 for an admin without a party. */
int ssr_store_account_put(ssr_store_t *st, const char *login, const char *pw_hash, int64_t party_id,
                          bool admin, int64_t now, int64_t *id, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 7);
/* The editor role: may change the recommendation tracker (schema 7).  SSR_ENOTFOUND: no such
 * login. */
int ssr_store_account_set_editor(ssr_store_t *st, const char *login, bool editor,
                                 ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
#define SSR_LOGIN_MAX 100 /* bytes of a login */

/* An account as stored (the password as its Argon2id encoding). */
typedef struct {
	int64_t id;
	char login[SSR_LOGIN_MAX + 1];
	char pw_hash[256];
	int64_t party_id; /* 0: none */
	bool admin, editor;
} ssr_account_t;

/* SSR_ENOTFOUND if none. */
int ssr_store_account_by_login(ssr_store_t *st, const char *login, ssr_account_t *out,
                               ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);

/* Who is asking: an account, through an API token or a web session. */
typedef struct {
	int64_t account_id;
	char login[SSR_LOGIN_MAX + 1];
	int64_t party_id; /* 0: none (an admin or an editor) */
	bool admin, editor;
	char csrf[64];   /* a session's CSRF token; "" for a token */
	int64_t expires; /* a session's end; 0 for a token */
} ssr_principal_t;

/* API tokens and web sessions, keyed by the SHA-256 hex of the secret. */
int ssr_store_token_put(ssr_store_t *st, const char *digest, int64_t account_id, const char *label,
                        int64_t now, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* The principal of a token; SSR_ENOTFOUND if none. */
int ssr_store_token_principal(ssr_store_t *st, const char *digest, ssr_principal_t *out,
                              ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
int ssr_store_session_put(ssr_store_t *st, const char *digest, int64_t account_id, const char *csrf,
                          int64_t expires, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* The principal of a session not expired at now; SSR_ENOTFOUND if none. */
int ssr_store_session_principal(ssr_store_t *st, const char *digest, int64_t now,
                                ssr_principal_t *out, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
int ssr_store_session_delete(ssr_store_t *st, const char *digest, int64_t now,
                             ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Delete every session that expired by now; *n how many (may be NULL). */
int ssr_store_session_purge(ssr_store_t *st, int64_t now, int64_t *n, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
/* Log an account out everywhere: its sessions and API tokens deleted, the counts out. */
int ssr_store_account_revoke(ssr_store_t *st, int64_t account_id, int64_t *sessions,
                             int64_t *tokens, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Revoke an account's API tokens: those with label (NULL: all); *n how many. */
int ssr_store_token_revoke(ssr_store_t *st, int64_t account_id, const char *label, int64_t *n,
                           ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* An API token as listed (never its secret). */
typedef struct {
	char *label; /* NULL: none */
	int64_t created;
} ssr_token_t;

/* An account's API tokens in order of creation: *rows (*n) the caller's, ssr_store_tokens_free. */
int ssr_store_tokens(ssr_store_t *st, int64_t account_id, ssr_token_t **rows, size_t *n,
                     ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3, 4);
void ssr_store_tokens_free(ssr_token_t *rows, size_t n);

/* ---- registry directory ------------------------------------------------------------- */

typedef struct {
	const char *tld, *operator_name, *email, *rdap_base;
	int64_t party_id; /* the registry's party; 0 none */
} ssr_registry_t;

int ssr_store_registry_put(ssr_store_t *st, const ssr_registry_t *r, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
/* The directory's entry of tld, its strings the caller's (ssr_store_registry_release; NULL
 * when not given); SSR_ENOTFOUND if the TLD is not listed. */
int ssr_store_registry_get(ssr_store_t *st, const char *tld, ssr_registry_t *out,
                           ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
void ssr_store_registry_release(ssr_registry_t *r);
int ssr_store_registry_count(ssr_store_t *st, int64_t *n, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);

/* ---- reports and cases --------------------------------------------------------------- */

/* The open case for (domain, category); *id 0 if none. */
int ssr_store_case_find_open(ssr_store_t *st, const char *domain, const char *category, int64_t *id,
                             ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4);
int ssr_store_case_insert(ssr_store_t *st, const char *domain, const char *tld,
                          const char *category, int64_t now, int64_t *id,
                          ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 6);
/* One more report (and reporter when new_reporter) on the case. */
int ssr_store_case_count_report(ssr_store_t *st, int64_t case_id, bool new_reporter,
                                ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Has a report from this reporter (contact e-mail) joined the case before? */
int ssr_store_case_has_reporter(ssr_store_t *st, int64_t case_id, const char *email, bool *yes,
                                ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* An open case becomes "acknowledged"; other states are left as they are. */
int ssr_store_case_acknowledged(ssr_store_t *st, int64_t case_id, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
/* status: "open", "acknowledged", "closed"; closed_at 0 for open states. */
int ssr_store_case_set_status(ssr_store_t *st, int64_t case_id, const char *status,
                              int64_t closed_at, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);

typedef struct {
	const char *token_digest; /* SHA-256 hex of the reporter's token */
	const char *category;
	int64_t received;
	const char *email, *name; /* reporter contact; NULL anonymous */
	const char *source_ip;
	const char *body; /* the whole normalised report as JSON text */
} ssr_report_rec_t;

int ssr_store_report_insert(ssr_store_t *st, const ssr_report_rec_t *r, int64_t *id,
                            ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3);
int ssr_store_report_link(ssr_store_t *st, int64_t report_id, int64_t case_id,
                          ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
int ssr_store_attachment_insert(ssr_store_t *st, int64_t report_id, const char *name,
                                const char *mime, int64_t size, const char *sha256,
                                const char *data_b64, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* An attachment as stored; strings are the caller's. */
typedef struct {
	char *name, *type;
	int64_t size;
	char *sha256;
	char *data_b64; /* the bytes, base64 */
} ssr_attachment_t;

/* A report's attachments in the order given: *rows (*n) the caller's,
 * ssr_store_attachments_free.  Errors: SSR_ESTORE, SSR_ENOMEM. */
int ssr_store_attachments(ssr_store_t *st, int64_t report_id, ssr_attachment_t **rows, size_t *n,
                          ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3, 4);
void ssr_store_attachments_free(ssr_attachment_t *rows, size_t n);

/* A case as a report's reporter sees it. */
typedef struct {
	int64_t id;
	char *domain, *category, *status;
	int64_t opened;
	int64_t closed; /* 0: open */
} ssr_report_case_t;

/* A report read back by its reporter's token. */
typedef struct {
	int64_t id;
	char *category;
	int64_t received;
	char *body;               /* the normalised report, JSON text as stored */
	ssr_report_case_t *cases; /* by id */
	size_t ncases;
} ssr_report_t;

/* The report whose token has this SHA-256 hex digest; *out the caller's (ssr_store_report_release).
 * Errors: SSR_ENOTFOUND (diag untouched), SSR_ESTORE, SSR_ENOMEM. */
int ssr_store_report_by_token(ssr_store_t *st, const char *digest, ssr_report_t *out,
                              ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
void ssr_store_report_release(ssr_report_t *r);
int ssr_store_report_count(ssr_store_t *st, int64_t *n, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);

/* One of a case's parties. */
typedef struct {
	int64_t party_id;
	char *role, *name, *kind;
	int64_t iana_id; /* registrars; 0 none */
} ssr_case_party_t;

/* One event of a case's timeline. */
typedef struct {
	int64_t at;
	char *kind;
	int64_t party_id; /* 0: none */
	char *party;      /* the party's name; NULL none */
	char *detail;     /* NULL none */
} ssr_case_event_t;

/* One report joined to a case. */
typedef struct {
	int64_t id, received;
	char *body; /* the normalised report, JSON text as stored */
} ssr_case_report_t;

/* A case with its parties (by role, then id), events (by time) and reports (by id). */
typedef struct {
	int64_t id;
	char *domain, *tld, *category, *status;
	int64_t opened;
	int64_t closed; /* 0: not closed */
	int64_t reports, reporters;
	char *route_state;
	int64_t route_attempts;
	char *route_error; /* NULL none */
	ssr_case_party_t *parties;
	size_t nparties;
	ssr_case_event_t *events;
	size_t nevents;
	ssr_case_report_t *reports_received;
	size_t nreports;
} ssr_case_t;

/* The case with this id; *out the caller's (ssr_store_case_release).  Errors: SSR_ENOTFOUND
 * (diag untouched), SSR_ESTORE, SSR_ENOMEM. */
int ssr_store_case_get(ssr_store_t *st, int64_t id, ssr_case_t *out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
void ssr_store_case_release(ssr_case_t *c);
/* Is the party one of the case's parties? */
int ssr_store_case_has_party(ssr_store_t *st, int64_t case_id, int64_t party_id, bool *yes,
                             ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);

typedef struct {
	int64_t party_id;     /* 0: all cases (admin) */
	const char *status;   /* NULL any */
	const char *category; /* NULL any */
	const char *domain;   /* NULL any; a substring */
	int64_t before_id;    /* paging: ids below this; 0 from the newest */
	int limit;
} ssr_case_filter_t;

/* A case in a list. */
typedef struct {
	int64_t id;
	char *domain, *tld, *category, *status;
	int64_t opened, reports;
	char *party_state; /* the filter party's last step (routed, acknowledged, resolved); NULL */
} ssr_case_row_t;

/* Cases newest first, at most f->limit (1..1000; otherwise 100): *rows (*n) the caller's,
 * ssr_store_case_rows_free.  Errors: SSR_ESTORE, SSR_ENOMEM. */
int ssr_store_cases(ssr_store_t *st, const ssr_case_filter_t *f, ssr_case_row_t **rows, size_t *n,
                    ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3, 4);
void ssr_store_case_rows_free(ssr_case_row_t *rows, size_t n);

/* ---- routing and timeline ------------------------------------------------------------ */

/* *added: false when the party already had that role on the case. */
int ssr_store_case_party_add(ssr_store_t *st, int64_t case_id, int64_t party_id, const char *role,
                             bool *added, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
int ssr_store_event_add(ssr_store_t *st, int64_t case_id, int64_t party_id, const char *kind,
                        int64_t at, const char *detail, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Has the party acknowledged / resolved the case? */
int ssr_store_case_progress(ssr_store_t *st, int64_t case_id, int64_t party_id, bool *acked,
                            bool *resolved, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* The case's parties that have not resolved it yet. */
int ssr_store_case_unresolved(ssr_store_t *st, int64_t case_id, int64_t *n,
                              ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Routing state of a case: "pending", "routed", "partial", "failed"; next attempt time. */
int ssr_store_case_route_state(ssr_store_t *st, int64_t case_id, const char *state, int attempts,
                               int64_t next_at, const char *error, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
/* A case whose routing is due. */
typedef struct {
	int64_t id;
	char *domain, *tld, *category;
	int64_t attempts; /* routing attempts so far */
} ssr_case_due_t;

/* Cases whose routing is due at now, oldest first, at most limit: *rows (*n) the caller's,
 * ssr_store_cases_due_free. */
int ssr_store_cases_to_route(ssr_store_t *st, int64_t now, int limit, ssr_case_due_t **rows,
                             size_t *n, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4, 5);
/* The same, claimed for this instance: the rows' next time is set to lease_until in the same
 * statement, so that other instances on the store skip them until then (PostgreSQL: FOR UPDATE
 * SKIP LOCKED; a claim that is not finished, its instance killed, comes due again at the
 * lease's end).  Errors as ssr_store_cases_to_route's. */
int ssr_store_cases_claim(ssr_store_t *st, int64_t now, int64_t lease_until, int limit,
                          ssr_case_due_t **rows, size_t *n, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 5, 6);
void ssr_store_cases_due_free(ssr_case_due_t *rows, size_t n);

/* An event SLA figures come from (routed, acknowledged, resolved); strings valid during the
 * callback only. */
typedef struct {
	int64_t case_id, party_id;
	const char *role, *name, *kind, *detail; /* detail: NULL none */
	int64_t at;
	bool closed;       /* the case is closed ... */
	int64_t closed_at; /* ... at this time */
} ssr_sla_event_t;

typedef int (*ssr_store_sla_event_fn)(const ssr_sla_event_t *e, void *ctx);
/* Every such event, streamed in order of party, case, time (memory independent of their
 * number); what fn returns other than SSR_EOK stops it. */
int ssr_store_sla_events(ssr_store_t *st, ssr_store_sla_event_fn fn, void *ctx,
                         ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);

/* ---- deliveries -------------------------------------------------------------------- */

int ssr_store_delivery_add(ssr_store_t *st, int64_t case_id, int64_t party_id, const char *channel,
                           int64_t now, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* A delivery that is due. */
typedef struct {
	int64_t id, case_id, party_id;
	char *channel;    /* "email" or "webhook" */
	int64_t attempts; /* attempts so far */
} ssr_delivery_due_t;

/* Deliveries due at now, at most limit: *rows (*n) the caller's, ssr_store_deliveries_due_free. */
int ssr_store_deliveries_due(ssr_store_t *st, int64_t now, int limit, ssr_delivery_due_t **rows,
                             size_t *n, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 4, 5);
/* Deliveries due, claimed as ssr_store_cases_claim claims cases.  Errors as
 * ssr_store_deliveries_due's. */
int ssr_store_deliveries_claim(ssr_store_t *st, int64_t now, int64_t lease_until, int limit,
                               ssr_delivery_due_t **rows, size_t *n, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 5, 6);
void ssr_store_deliveries_due_free(ssr_delivery_due_t *rows, size_t n);
/* Record attempt n: state "sent", "retry" (next_at) or "failed". */
int ssr_store_delivery_attempt(ssr_store_t *st, int64_t id, int attempt, int64_t at,
                               const char *state, int64_t next_at, const char *detail,
                               ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* One attempt of a delivery. */
typedef struct {
	int64_t delivery_id, party_id;
	char *channel;
	int64_t attempt, at;
	char *state;
	char *detail; /* NULL none */
} ssr_delivery_attempt_t;

/* Every delivery attempt of a case, by delivery then attempt: *rows (*n) the caller's,
 * ssr_store_delivery_log_free.  Errors: SSR_ESTORE, SSR_ENOMEM. */
int ssr_store_delivery_log(ssr_store_t *st, int64_t case_id, ssr_delivery_attempt_t **rows,
                           size_t *n, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 3, 4);
void ssr_store_delivery_log_free(ssr_delivery_attempt_t *rows, size_t n);

/* ---- RDAP cache -------------------------------------------------------------------- */

int ssr_store_rdap_put(ssr_store_t *st, const char *url, int status, const char *body,
                       int64_t fetched, int64_t expires, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* A cached answer still fresh at now: *status and *body (caller frees); SSR_ENOTFOUND if none. */
int ssr_store_rdap_get(ssr_store_t *st, const char *url, int64_t now, int *status, char **body,
                       ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
