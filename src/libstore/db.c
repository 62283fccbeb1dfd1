/* ssrwatch — the store's database layer over SQLite and PostgreSQL (libpq). */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"

#define COPY_BUF (256 * 1024)

struct store_db {
	store_db_kind_t kind;
	char *name;
	sqlite3 *lite;
	PGconn *pg;
	/* bulk insert */
	sqlite3_stmt *bulk;
	int bulk_cols;
	char *copy;
	size_t copy_len;
};

store_db_kind_t store_db_kind(const store_db_t *db)
{
	return db->kind;
}

const char *store_db_name(const store_db_t *db)
{
	return db->name;
}

static bool is_pg_uri(const char *uri)
{
	return strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0;
}

/* The URI without a password: "postgresql://user:secret@host/db" -> "postgresql://user@host/db". */
static char *safe_name(const char *uri)
{
	char *n = strdup(uri);
	if (n == NULL) {
		return NULL;
	}
	char *scheme = strstr(n, "://");
	char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
	if (at != NULL && (slash == NULL || at < slash)) {
		char *colon = memchr(scheme + 3, ':', (size_t)(at - (scheme + 3)));
		if (colon != NULL) {
			memmove(colon, at, strlen(at) + 1);
		}
	}
	return n;
}

int store_db_open(const char *uri, bool create, store_db_t **out, ssr_diag_t *diag)
{
	store_db_t *db = calloc(1, sizeof(*db));
	if (db == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "store '%s': out of memory", uri);
	}
	if (is_pg_uri(uri)) {
		db->kind = STORE_DB_POSTGRES;
		db->name = safe_name(uri);
		if (db->name == NULL) {
			free(db);
			return ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
		}
		db->pg = PQconnectdb(uri);
		if (db->pg == NULL || PQstatus(db->pg) != CONNECTION_OK) {
			char msg[300];
			snprintf(msg, sizeof(msg), "%s",
			         db->pg ? PQerrorMessage(db->pg) : "out of memory");
			msg[strcspn(msg, "\n")] = '\0';
			int rc = ssr_diag_set(diag, SSR_ESTORE, "store '%s': cannot connect: %s",
			                      db->name, msg);
			store_db_free(db);
			return rc;
		}
		PGresult *r = PQexec(db->pg, "SET client_min_messages = warning");
		PQclear(r);
		*out = db;
		return SSR_EOK;
	}
	const char *path = strncmp(uri, "sqlite:", 7) == 0 ? uri + 7 : uri;
	if (strstr(uri, "://") != NULL) {
		free(db);
		return ssr_diag_set(diag, SSR_EUNSUPPORTED,
		                    "store '%s': unsupported store URI (a file path, sqlite:PATH "
		                    "or postgresql://...)",
		                    uri);
	}
	db->kind = STORE_DB_SQLITE;
	db->name = strdup(path);
	if (db->name == NULL) {
		free(db);
		return ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
	}
	if (!create && access(path, F_OK) != 0) {
		int rc = ssr_diag_set(diag, SSR_ENOTFOUND, "store '%s': no such file", path);
		store_db_free(db);
		return rc;
	}
	/* NOMUTEX: a store handle is used by one thread at a time (no per-call locking) */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &db->lite, flags, NULL) != SQLITE_OK) {
		int rc = ssr_diag_set(diag, SSR_ESTORE, "store '%s': cannot open: %s", path,
		                      db->lite ? sqlite3_errmsg(db->lite) : "out of memory");
		store_db_free(db);
		return rc;
	}
	sqlite3_busy_timeout(db->lite, 10000);
	int rc = store_db_script(
	    db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-131072;",
	    diag);
	if (rc != SSR_EOK) {
		store_db_free(db);
		return rc;
	}
	*out = db;
	return SSR_EOK;
}

void store_db_free(store_db_t *db)
{
	if (db == NULL) {
		return;
	}
	sqlite3_finalize(db->bulk);
	sqlite3_close(db->lite);
	if (db->pg != NULL) {
		PQfinish(db->pg);
	}
	free(db->copy);
	free(db->name);
	free(db);
}

static int lite_fail(store_db_t *db, ssr_diag_t *diag, const char *what)
{
	return ssr_diag_set(diag, SSR_ESTORE, "store '%s': %s: %s", db->name, what,
	                    sqlite3_errmsg(db->lite));
}

static int pg_fail(store_db_t *db, ssr_diag_t *diag, const char *what, const PGresult *r)
{
	char msg[400];
	snprintf(msg, sizeof(msg), "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(db->pg));
	msg[strcspn(msg, "\n")] = '\0';
	return ssr_diag_set(diag, SSR_ESTORE, "store '%s': %s: %s", db->name, what, msg);
}

/* A short name for a statement in messages: its first words. */
static void stmt_name(const char *sql, char *out, size_t cap)
{
	size_t n = strcspn(sql, "(");
	if (n > 40) {
		n = 40;
	}
	snprintf(out, cap, "%.*s", (int)n, sql);
	while (n > 0 && out[n - 1] == ' ') {
		out[--n] = '\0';
	}
}

static int lite_bind(sqlite3_stmt *s, int nparams, const char *const *params)
{
	for (int i = 0; i < nparams; i++) {
		char pname[16];
		snprintf(pname, sizeof(pname), "$%d", i + 1);
		int idx = sqlite3_bind_parameter_index(s, pname);
		if (idx == 0) {
			continue;
		}
		int rc = params[i] ? sqlite3_bind_text(s, idx, params[i], -1, SQLITE_TRANSIENT)
		                   : sqlite3_bind_null(s, idx);
		if (rc != SQLITE_OK) {
			return rc;
		}
	}
	return SQLITE_OK;
}

#define MAX_COLS 32

static int lite_exec(store_db_t *db, const char *sql, int nparams, const char *const *params,
                     store_db_row_fn fn, void *ctx, ssr_diag_t *diag)
{
	char what[64];
	stmt_name(sql, what, sizeof(what));
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db->lite, sql, -1, &s, NULL) != SQLITE_OK) {
		return lite_fail(db, diag, what);
	}
	if (lite_bind(s, nparams, params) != SQLITE_OK) {
		sqlite3_finalize(s);
		return lite_fail(db, diag, what);
	}
	int rc = SSR_EOK, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (fn == NULL) {
			continue;
		}
		int n = sqlite3_column_count(s);
		if (n > MAX_COLS) {
			n = MAX_COLS;
		}
		const char *vals[MAX_COLS];
		for (int i = 0; i < n; i++) {
			vals[i] = (const char *)sqlite3_column_text(s, i);
		}
		if ((rc = fn(n, vals, ctx)) != SSR_EOK) {
			break;
		}
	}
	if (rc == SSR_EOK && step != SQLITE_DONE) {
		rc = lite_fail(db, diag, what);
	}
	sqlite3_finalize(s);
	return rc;
}

static int pg_exec(store_db_t *db, const char *sql, int nparams, const char *const *params,
                   store_db_row_fn fn, void *ctx, ssr_diag_t *diag)
{
	char what[64];
	stmt_name(sql, what, sizeof(what));
	if (!PQsendQueryParams(db->pg, sql, nparams, NULL, params, NULL, NULL, 0)) {
		return pg_fail(db, diag, what, NULL);
	}
	PQsetSingleRowMode(db->pg);
	int rc = SSR_EOK;
	PGresult *r;
	while ((r = PQgetResult(db->pg)) != NULL) {
		ExecStatusType t = PQresultStatus(r);
		if (t == PGRES_SINGLE_TUPLE && rc == SSR_EOK && fn != NULL) {
			int n = PQnfields(r);
			if (n > MAX_COLS) {
				n = MAX_COLS;
			}
			const char *vals[MAX_COLS];
			for (int i = 0; i < n; i++) {
				vals[i] = PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i);
			}
			rc = fn(n, vals, ctx);
		} else if (t != PGRES_SINGLE_TUPLE && t != PGRES_TUPLES_OK &&
		           t != PGRES_COMMAND_OK && rc == SSR_EOK) {
			rc = pg_fail(db, diag, what, r);
		}
		PQclear(r);
	}
	return rc;
}

int store_db_exec(store_db_t *db, const char *sql, int nparams, const char *const *params,
                  store_db_row_fn fn, void *ctx, ssr_diag_t *diag)
{
	return db->kind == STORE_DB_SQLITE ? lite_exec(db, sql, nparams, params, fn, ctx, diag)
	                                   : pg_exec(db, sql, nparams, params, fn, ctx, diag);
}

int store_db_put_blob(store_db_t *db, const char *sql, int nparams, const char *const *params,
                      const void *blob, size_t len, ssr_diag_t *diag)
{
	char what[64];
	stmt_name(sql, what, sizeof(what));
	if (nparams >= MAX_COLS) {
		return ssr_diag_set(diag, SSR_EINVAL, "store '%s': %s: too many parameters",
		                    db->name, what);
	}
	if (db->kind == STORE_DB_SQLITE) {
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(db->lite, sql, -1, &s, NULL) != SQLITE_OK) {
			return lite_fail(db, diag, what);
		}
		int rc = SSR_EOK;
		if (lite_bind(s, nparams, params) != SQLITE_OK ||
		    sqlite3_bind_blob64(s, nparams + 1, blob, len, SQLITE_STATIC) != SQLITE_OK ||
		    sqlite3_step(s) != SQLITE_DONE) {
			rc = lite_fail(db, diag, what);
		}
		sqlite3_finalize(s);
		return rc;
	}
	if (len > 0x7fffffff) {
		return ssr_diag_set(diag, SSR_ELIMIT, "store '%s': %s: a blob of %zu bytes",
		                    db->name, what, len);
	}
	const char *vals[MAX_COLS];
	int lens[MAX_COLS], fmts[MAX_COLS];
	for (int i = 0; i < nparams; i++) {
		vals[i] = params[i];
		lens[i] = 0;
		fmts[i] = 0;
	}
	vals[nparams] = blob;
	lens[nparams] = (int)len;
	fmts[nparams] = 1; /* binary: the bytes as they are */
	PGresult *r = PQexecParams(db->pg, sql, nparams + 1, NULL, vals, lens, fmts, 0);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? SSR_EOK : pg_fail(db, diag, what, r);
	PQclear(r);
	return rc;
}

int store_db_get_blob(store_db_t *db, const char *sql, int nparams, const char *const *params,
                      size_t max, uint8_t **out, size_t *len, ssr_diag_t *diag)
{
	char what[64];
	stmt_name(sql, what, sizeof(what));
	*out = NULL;
	*len = 0;
	const uint8_t *p = NULL;
	size_t n = 0;
	int rc = SSR_ENOTFOUND;
	sqlite3_stmt *s = NULL;
	PGresult *r = NULL;
	if (db->kind == STORE_DB_SQLITE) {
		if (sqlite3_prepare_v2(db->lite, sql, -1, &s, NULL) != SQLITE_OK ||
		    lite_bind(s, nparams, params) != SQLITE_OK) {
			rc = lite_fail(db, diag, what);
		} else {
			int step = sqlite3_step(s);
			if (step == SQLITE_ROW) {
				p = sqlite3_column_blob(s, 0);
				n = (size_t)sqlite3_column_bytes(s, 0);
				rc = SSR_EOK;
			} else if (step != SQLITE_DONE) {
				rc = lite_fail(db, diag, what);
			}
		}
	} else {
		r = PQexecParams(db->pg, sql, nparams, NULL, params, NULL, NULL, 1);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			rc = pg_fail(db, diag, what, r);
		} else if (PQntuples(r) > 0) {
			p = (const uint8_t *)PQgetvalue(r, 0, 0);
			n = (size_t)PQgetlength(r, 0, 0);
			rc = SSR_EOK;
		}
	}
	if (rc == SSR_EOK && n > max) {
		rc = ssr_diag_set(diag, SSR_ELIMIT,
		                  "store '%s': %s: a blob of %zu bytes (at most %zu)", db->name,
		                  what, n, max);
	}
	if (rc == SSR_EOK) {
		*out = malloc(n ? n : 1);
		if (*out == NULL) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
		} else {
			if (n) {
				memcpy(*out, p, n);
			}
			*len = n;
		}
	}
	sqlite3_finalize(s);
	PQclear(r);
	return rc;
}

int store_db_script(store_db_t *db, const char *sql, ssr_diag_t *diag)
{
	if (db->kind == STORE_DB_SQLITE) {
		char *err = NULL;
		if (sqlite3_exec(db->lite, sql, NULL, NULL, &err) != SQLITE_OK) {
			ssr_diag_set(diag, SSR_ESTORE, "store '%s': %s", db->name,
			             err ? err : "statement failed");
			sqlite3_free(err);
			return SSR_ESTORE;
		}
		return SSR_EOK;
	}
	PGresult *r = PQexec(db->pg, sql);
	ExecStatusType t = PQresultStatus(r);
	int rc = SSR_EOK;
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
		rc = pg_fail(db, diag, "script", r);
	}
	PQclear(r);
	return rc;
}

int store_db_begin(store_db_t *db, ssr_diag_t *diag)
{
	return store_db_script(db, db->kind == STORE_DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", diag);
}

int store_db_commit(store_db_t *db, ssr_diag_t *diag)
{
	return store_db_script(db, "COMMIT", diag);
}

void store_db_rollback(store_db_t *db)
{
	store_db_script(db, "ROLLBACK", NULL);
}

/* ---- bulk insert ------------------------------------------------------------ */

int store_db_bulk_begin(store_db_t *db, const char *table, int ncols, const char *const *cols,
                        ssr_diag_t *diag)
{
	char sql[1024];
	size_t o = 0;
	if (ncols <= 0 || ncols > MAX_COLS) {
		return ssr_diag_set(diag, SSR_EINVAL, "store: bad bulk insert");
	}
	o +=
	    (size_t)snprintf(sql + o, sizeof(sql) - o,
	                     db->kind == STORE_DB_SQLITE ? "INSERT INTO %s (" : "COPY %s (", table);
	for (int i = 0; i < ncols && o < sizeof(sql); i++) {
		o += (size_t)snprintf(sql + o, sizeof(sql) - o, "%s%s", i ? "," : "", cols[i]);
	}
	if (db->kind == STORE_DB_SQLITE) {
		o += (size_t)snprintf(sql + o, sizeof(sql) - o, ") VALUES (");
		for (int i = 0; i < ncols && o < sizeof(sql); i++) {
			o += (size_t)snprintf(sql + o, sizeof(sql) - o, "%s?", i ? "," : "");
		}
		o += (size_t)snprintf(sql + o, sizeof(sql) - o, ")");
	} else {
		o += (size_t)snprintf(sql + o, sizeof(sql) - o, ") FROM STDIN");
	}
	if (o >= sizeof(sql)) {
		return ssr_diag_set(diag, SSR_EINVAL, "store: bulk insert statement too long");
	}
	db->bulk_cols = ncols;
	if (db->kind == STORE_DB_SQLITE) {
		if (sqlite3_prepare_v2(db->lite, sql, -1, &db->bulk, NULL) != SQLITE_OK) {
			return lite_fail(db, diag, table);
		}
		return SSR_EOK;
	}
	if (db->copy == NULL && (db->copy = malloc(COPY_BUF)) == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "store '%s': out of memory", db->name);
	}
	db->copy_len = 0;
	PGresult *r = PQexec(db->pg, sql);
	int rc = SSR_EOK;
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		rc = pg_fail(db, diag, table, r);
	}
	PQclear(r);
	return rc;
}

static int copy_flush(store_db_t *db, ssr_diag_t *diag)
{
	if (db->copy_len > 0 && PQputCopyData(db->pg, db->copy, (int)db->copy_len) != 1) {
		return pg_fail(db, diag, "copy", NULL);
	}
	db->copy_len = 0;
	return SSR_EOK;
}

int store_db_bulk_row(store_db_t *db, const char *const *vals, ssr_diag_t *diag)
{
	if (db->kind == STORE_DB_SQLITE) {
		for (int i = 0; i < db->bulk_cols; i++) {
			if (vals[i]) {
				sqlite3_bind_text(db->bulk, i + 1, vals[i], -1, SQLITE_STATIC);
			} else {
				sqlite3_bind_null(db->bulk, i + 1);
			}
		}
		int step = sqlite3_step(db->bulk);
		sqlite3_reset(db->bulk);
		return step == SQLITE_DONE ? SSR_EOK : lite_fail(db, diag, "bulk insert");
	}
	/* COPY text format: tab-separated, \N for NULL, backslash escapes */
	for (int i = 0; i < db->bulk_cols; i++) {
		const char *v = vals[i];
		size_t need = v ? strlen(v) * 2 + 2 : 4;
		if (db->copy_len + need > COPY_BUF) {
			int rc = copy_flush(db, diag);
			if (rc != SSR_EOK) {
				return rc;
			}
			if (need > COPY_BUF) {
				return ssr_diag_set(diag, SSR_ELIMIT, "store '%s': value too long",
				                    db->name);
			}
		}
		char *o = db->copy + db->copy_len;
		if (v == NULL) {
			memcpy(o, "\\N", 2);
			o += 2;
		} else {
			for (; *v; v++) {
				char c = *v;
				if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
					*o++ = '\\';
					c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : c;
				}
				*o++ = c;
			}
		}
		*o++ = i + 1 < db->bulk_cols ? '\t' : '\n';
		db->copy_len = (size_t)(o - db->copy);
	}
	return SSR_EOK;
}

int store_db_bulk_end(store_db_t *db, ssr_diag_t *diag)
{
	if (db->kind == STORE_DB_SQLITE) {
		sqlite3_finalize(db->bulk);
		db->bulk = NULL;
		return SSR_EOK;
	}
	int rc = copy_flush(db, diag);
	if (PQputCopyEnd(db->pg, rc == SSR_EOK ? NULL : "aborted") != 1 && rc == SSR_EOK) {
		rc = pg_fail(db, diag, "copy end", NULL);
	}
	PGresult *r;
	while ((r = PQgetResult(db->pg)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == SSR_EOK) {
			rc = pg_fail(db, diag, "copy", r);
		}
		PQclear(r);
	}
	return rc;
}

/* ---- schema version ----------------------------------------------------------- */

static int first_int(int ncols, const char *const *vals, void *ctx)
{
	if (ncols > 0 && vals[0] != NULL) {
		*(int *)ctx = (int)strtol(vals[0], NULL, 10);
	}
	return SSR_EOK;
}

int store_db_get_version(store_db_t *db, int *version, ssr_diag_t *diag)
{
	*version = 0;
	if (db->kind == STORE_DB_SQLITE) {
		return store_db_exec(db, "PRAGMA user_version", 0, NULL, first_int, version, diag);
	}
	int rc = store_db_script(db,
	                         "CREATE TABLE IF NOT EXISTS ssr_meta (key TEXT COLLATE \"C\" "
	                         "PRIMARY KEY, value TEXT NOT NULL)",
	                         diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	return store_db_exec(db, "SELECT value FROM ssr_meta WHERE key = 'schema_version'", 0, NULL,
	                     first_int, version, diag);
}

int store_db_set_version(store_db_t *db, int version, ssr_diag_t *diag)
{
	char v[16];
	snprintf(v, sizeof(v), "%d", version);
	if (db->kind == STORE_DB_SQLITE) {
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
		return store_db_script(db, sql, diag);
	}
	const char *p[] = {v};
	return store_db_exec(db,
	                     "INSERT INTO ssr_meta (key, value) VALUES ('schema_version', $1) "
	                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	                     1, p, NULL, NULL, diag);
}
