/* ssrwatch — the store's database layer: one small interface over SQLite and PostgreSQL.
 * Private to libstore.  Values travel as text both ways (integers are written in decimal), so
 * the two backends hand the same strings to the code above them.  SQL uses $1, $2, ...
 * placeholders, each first used in order. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ssrwatch/error.h"

typedef enum { SSR_DB_SQLITE, SSR_DB_POSTGRES } ssr_db_kind_t;

typedef struct ssr_db ssr_db_t;

/* A result row: vals[i] is NULL for SQL NULL. */
typedef int (*ssr_db_row_fn)(int ncols, const char *const *vals, void *ctx);

/* uri: "postgresql://..." or "postgres://..." (libpq), "sqlite:PATH" or a path. */
/* create: make a missing SQLite file (PostgreSQL databases are never created here). */
int ssr_db_open(const char *uri, bool create, ssr_db_t **out, ssr_diag_t *diag);
void ssr_db_free(ssr_db_t *db);
ssr_db_kind_t ssr_db_kind(const ssr_db_t *db);
/* The store's name for messages (path, or the URI without password). */
const char *ssr_db_name(const ssr_db_t *db);

/* Run one statement; fn sees every result row (may be NULL). */
int ssr_db_exec(ssr_db_t *db, const char *sql, int nparams, const char *const *params,
                ssr_db_row_fn fn, void *ctx, ssr_diag_t *diag);
/* Several statements without parameters or results (DDL). */
int ssr_db_script(ssr_db_t *db, const char *sql, ssr_diag_t *diag);

/* Transactions: begin takes the write lock (SQLite IMMEDIATE). */
int ssr_db_begin(ssr_db_t *db, ssr_diag_t *diag);
int ssr_db_commit(ssr_db_t *db, ssr_diag_t *diag);
void ssr_db_rollback(ssr_db_t *db);

/* Bulk insert into table (columns named): prepared INSERT on SQLite, COPY on PostgreSQL.
 * Inside a transaction.  Only one bulk insert at a time. */
int ssr_db_bulk_begin(ssr_db_t *db, const char *table, int ncols, const char *const *cols,
                      ssr_diag_t *diag);
int ssr_db_bulk_row(ssr_db_t *db, const char *const *vals, ssr_diag_t *diag);
int ssr_db_bulk_end(ssr_db_t *db, ssr_diag_t *diag);

/* Schema version (SQLite PRAGMA user_version; PostgreSQL table ssr_meta). */
int ssr_db_get_version(ssr_db_t *db, int *version, ssr_diag_t *diag);
int ssr_db_set_version(ssr_db_t *db, int version, ssr_diag_t *diag);
