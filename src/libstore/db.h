/* ssrwatch — the store's database layer: one small interface over SQLite and PostgreSQL.
 * Private to libstore.  Values travel as text both ways (integers are written in decimal), so
 * the two backends hand the same strings to the code above them.  SQL uses $1, $2, ...
 * placeholders, each first used in order. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"

/* Library-internal: not part of the library's interface (hidden when built shared). */
#pragma GCC visibility push(hidden)

typedef enum { STORE_DB_SQLITE, STORE_DB_POSTGRES } store_db_kind_t;

typedef struct store_db store_db_t;

/* A result row: vals[i] is NULL for SQL NULL. */
typedef int (*store_db_row_fn)(int ncols, const char *const *vals, void *ctx);

/* uri: "postgresql://..." or "postgres://..." (libpq), "sqlite:PATH" or a path. */
/* create: make a missing SQLite file (PostgreSQL databases are never created here). */
int store_db_open(const char *uri, bool create, store_db_t **out, ssr_diag_t *diag);
void store_db_free(store_db_t *db);
store_db_kind_t store_db_kind(const store_db_t *db);
/* The store's name for messages (path, or the URI without password). */
const char *store_db_name(const store_db_t *db);

/* Run one statement; fn sees every result row (may be NULL). */
int store_db_exec(store_db_t *db, const char *sql, int nparams, const char *const *params,
                  store_db_row_fn fn, void *ctx, ssr_diag_t *diag);
/* Run one statement whose parameter $(nparams + 1) is the blob (bytes as they are: SQLite
 * BLOB, PostgreSQL BYTEA in binary format). */
int store_db_put_blob(store_db_t *db, const char *sql, int nparams, const char *const *params,
                      const void *blob, size_t len, ssr_diag_t *diag);
/* The first column of the first row as bytes (*out malloc'd, the caller frees); SSR_ENOTFOUND
 * (diag untouched) if there is no row; SSR_ELIMIT above max bytes. */
int store_db_get_blob(store_db_t *db, const char *sql, int nparams, const char *const *params,
                      size_t max, uint8_t **out, size_t *len, ssr_diag_t *diag);
/* Several statements without parameters or results (DDL). */
int store_db_script(store_db_t *db, const char *sql, ssr_diag_t *diag);

/* Transactions: begin takes the write lock (SQLite IMMEDIATE). */
int store_db_begin(store_db_t *db, ssr_diag_t *diag);
int store_db_commit(store_db_t *db, ssr_diag_t *diag);
void store_db_rollback(store_db_t *db);

/* Bulk insert into table (columns named): prepared INSERT on SQLite, COPY on PostgreSQL.
 * Inside a transaction.  Only one bulk insert at a time. */
int store_db_bulk_begin(store_db_t *db, const char *table, int ncols, const char *const *cols,
                        ssr_diag_t *diag);
int store_db_bulk_row(store_db_t *db, const char *const *vals, ssr_diag_t *diag);
int store_db_bulk_end(store_db_t *db, ssr_diag_t *diag);

/* Schema version (SQLite PRAGMA user_version; PostgreSQL table ssr_meta). */
int store_db_get_version(store_db_t *db, int *version, ssr_diag_t *diag);
int store_db_set_version(store_db_t *db, int version, ssr_diag_t *diag);

#pragma GCC visibility pop
