/* ssrwatch — the store: one interface over SQLite (embedded default) and PostgreSQL, the same
 * schema on both, versioned migrations.  Every read is ordered so that both backends hand out
 * the same rows in the same order. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/error.h"

typedef struct ssr_store ssr_store_t;

/* uri: a file path or "sqlite:PATH" (SQLite), or "postgresql://..." (libpq connection URI).
 * Creates and migrates the schema; a store from a newer ssrwatch is refused untouched.
 * Errors: SSR_ENOTFOUND or SSR_ESTORE (cannot open or migrate; a newer schema is refused),
 * SSR_ENOMEM. */
int ssr_store_open(const char *uri, ssr_store_t **out, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(2);
/* The same for readers: a missing SQLite file is SSR_ENOTFOUND ("no such file"), not created. */
int ssr_store_open_existing(const char *uri, ssr_store_t **out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(2);
void ssr_store_free(ssr_store_t *st);
int ssr_store_schema_version(ssr_store_t *st, int *version, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
/* "sqlite" or "postgresql" */
const char *ssr_store_backend(const ssr_store_t *st) SSR_NONNULL(1);
/* The path of an SQLite store; NULL for PostgreSQL. */
const char *ssr_store_path(const ssr_store_t *st) SSR_NONNULL(1);

/* Make every commit durable on power loss too (SQLite synchronous=FULL; PostgreSQL commits
 * are by default).  For the portal's writer, whose commits answer requests.  wal_max: the
 * SQLite write-ahead log is cut back to this many bytes whenever it is reset
 * (journal_size_limit; 0 none).
 * Errors: the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_store_durable(ssr_store_t *st, uint64_t wal_max, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Copy committed WAL pages into the database without blocking readers or the writer (SQLite
 * PASSIVE checkpoint; nothing on PostgreSQL).  A durable store's writer does not checkpoint:
 * another connection calls this periodically.  *wal_bytes (may be NULL): the size of the
 * write-ahead log (0 on PostgreSQL).
 * Errors: the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_store_checkpoint(ssr_store_t *st, uint64_t *wal_bytes, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);
/* Under steady writes passive checkpoints never catch up and the log grows without end: this
 * copies everything and empties it (SQLite TRUNCATE checkpoint).  It waits for readers (busy
 * timeout), so the writer calls it between its transactions.  *wal_bytes: the size after it
 * (not 0 when a reader held out).
 * Errors: the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_store_wal_truncate(ssr_store_t *st, uint64_t *wal_bytes, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1);

/* One transaction around several puts: nothing is visible until commit, and rollback leaves
 * the store exactly as before begin.  Puts outside begin/commit run in their own.
 * Errors: the store's (SSR_ESTORE, SSR_ENOMEM). */
int ssr_store_begin(ssr_store_t *st, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
/* Errors: the store's (SSR_ESTORE, SSR_ENOMEM); a failed commit is rolled back. */
int ssr_store_commit(ssr_store_t *st, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1);
void ssr_store_rollback(ssr_store_t *st) SSR_NONNULL(1);

/* A random secret of len bytes (at most 64) kept in the store under name, made by the first
 * process that asks: every process on the store (several portal instances) gets the same.
 * Errors: SSR_EINVAL (len), SSR_EIO (no randomness), SSR_ECORRUPT (a stored value that is not
 * len bytes of hex), the store's. */
int ssr_store_secret(ssr_store_t *st, const char *name, uint8_t *out, size_t len,
                     ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 3);

/* One request against key's shared rate limit (GCRA: one request every t_ms, burst_ms of
 * credit), for every process on the store at once: *ok whether it goes through, *tat_ms the
 * key's theoretical arrival time after it (a refusal's wait: tat_ms - burst_ms - now_ms).
 * Errors: the store's. */
int ssr_store_rate_hit(ssr_store_t *st, const char *key, int64_t now_ms, int64_t t_ms,
                       int64_t burst_ms, bool *ok, int64_t *tat_ms, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(1, 2, 6, 7);
/* Login backoff shared by every process on the store (the portal on several instances): the
 * time before which key may not try again (*until_s, 0 none).  Errors: the store's. */
int ssr_store_backoff_get(ssr_store_t *st, const char *key, int64_t *until_s,
                          ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 3);
/* A failure of key counted (atomically: concurrent failures all count); *fails the failures in a
 * row now.  Errors: the store's. */
int ssr_store_backoff_fail(ssr_store_t *st, const char *key, unsigned *fails,
                           ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2, 3);
/* key waits until until_s (never made earlier); 0: a success, the key forgotten.
 * Errors: the store's. */
int ssr_store_backoff_set(ssr_store_t *st, const char *key, int64_t until_s,
                          ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);
