/* ssrwatch — store: SQLite backend with versioned migrations. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/store.h"

struct ssr_store {
	sqlite3 *db;
	char *path;
};

/* Migrations: index i brings the schema from version i to i + 1.  Never edit a shipped one. */
static const char *const migrations[] = {
    /* 1: zone snapshots */
    "CREATE TABLE zone_snapshot ("
    " zone TEXT NOT NULL,"
    " snapshot_date TEXT NOT NULL,"
    " serial INTEGER,"
    " bytes INTEGER NOT NULL,"
    " records INTEGER NOT NULL,"
    " delegations INTEGER NOT NULL,"
    " signed_delegations INTEGER NOT NULL,"
    " metrics TEXT NOT NULL,"
    " stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    " PRIMARY KEY (zone, snapshot_date));",
};

#define NMIGRATIONS (int)(sizeof(migrations) / sizeof(migrations[0]))

static int fail(ssr_store_t *st, ssr_diag_t *diag, const char *what)
{
	return ssr_diag_set(diag, SSR_ESTORE, "store '%s': %s: %s", st->path, what,
	                    sqlite3_errmsg(st->db));
}

static int exec(ssr_store_t *st, const char *sql, ssr_diag_t *diag, const char *what)
{
	char *err = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		ssr_diag_set(diag, SSR_ESTORE, "store '%s': %s: %s", st->path, what,
		             err ? err : "failed");
		sqlite3_free(err);
		return SSR_ESTORE;
	}
	return SSR_EOK;
}

int ssr_store_schema_version(ssr_store_t *st, int *version, ssr_diag_t *diag)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK) {
		return fail(st, diag, "cannot read schema version");
	}
	*version = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	return SSR_EOK;
}

static int migrate(ssr_store_t *st, ssr_diag_t *diag)
{
	int v;
	int rc = ssr_store_schema_version(st, &v, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (v > NMIGRATIONS) {
		return ssr_diag_set(
		    diag, SSR_ESTORE,
		    "store '%s': schema version %d is newer than this ssrwatch (%d)", st->path, v,
		    NMIGRATIONS);
	}
	for (; v < NMIGRATIONS; v++) {
		char sql[64];
		if ((rc = exec(st, "BEGIN IMMEDIATE", diag, "begin migration")) != SSR_EOK) {
			return rc;
		}
		rc = exec(st, migrations[v], diag, "migration");
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (rc == SSR_EOK) {
			rc = exec(st, sql, diag, "migration version");
		}
		if (rc != SSR_EOK) {
			exec(st, "ROLLBACK", NULL, "rollback");
			return rc;
		}
		if ((rc = exec(st, "COMMIT", diag, "commit migration")) != SSR_EOK) {
			return rc;
		}
	}
	return SSR_EOK;
}

int ssr_store_open(const char *uri, ssr_store_t **out, ssr_diag_t *diag)
{
	const char *path = uri;
	if (strncmp(uri, "sqlite:", 7) == 0) {
		path = uri + 7;
	} else if (strstr(uri, "://") != NULL) {
		return ssr_diag_set(diag, SSR_EUNSUPPORTED, "store '%s': unsupported store URI",
		                    uri);
	}
	ssr_store_t *st = calloc(1, sizeof(*st));
	if (st == NULL || (st->path = strdup(path)) == NULL) {
		free(st);
		return ssr_diag_set(diag, SSR_ENOMEM, "store '%s': out of memory", uri);
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		int rc = ssr_diag_set(diag, SSR_ESTORE, "store '%s': cannot open: %s", path,
		                      st->db ? sqlite3_errmsg(st->db) : "out of memory");
		ssr_store_free(st);
		return rc;
	}
	sqlite3_busy_timeout(st->db, 10000);
	int rc = exec(st, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;", diag, "setup");
	if (rc == SSR_EOK) {
		rc = migrate(st, diag);
	}
	if (rc != SSR_EOK) {
		ssr_store_free(st);
		return rc;
	}
	*out = st;
	return SSR_EOK;
}

void ssr_store_free(ssr_store_t *st)
{
	if (st == NULL) {
		return;
	}
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

static json_int_t jint(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

int ssr_store_put_zone_snapshot(ssr_store_t *st, const char *zone, const char *date,
                                json_t *metrics, ssr_diag_t *diag)
{
	char *text = json_dumps(metrics, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(10));
	if (text == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "store '%s': out of memory", st->path);
	}
	int rc = exec(st, "BEGIN IMMEDIATE", diag, "begin");
	if (rc != SSR_EOK) {
		free(text);
		return rc;
	}
	sqlite3_stmt *s = NULL;
	const char *sql = "INSERT INTO zone_snapshot (zone, snapshot_date, serial, bytes, records,"
	                  " delegations, signed_delegations, metrics) VALUES (?,?,?,?,?,?,?,?)"
	                  " ON CONFLICT (zone, snapshot_date) DO UPDATE SET serial=excluded.serial,"
	                  " bytes=excluded.bytes, records=excluded.records,"
	                  " delegations=excluded.delegations,"
	                  " signed_delegations=excluded.signed_delegations,"
	                  " metrics=excluded.metrics, stored_at=excluded.stored_at";
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		rc = fail(st, diag, "prepare");
	} else {
		json_t *serial = json_object_get(metrics, "serial");
		sqlite3_bind_text(s, 1, zone, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, date, -1, SQLITE_STATIC);
		if (json_is_integer(serial)) {
			sqlite3_bind_int64(s, 3, json_integer_value(serial));
		} else {
			sqlite3_bind_null(s, 3);
		}
		sqlite3_bind_int64(s, 4, jint(metrics, "bytes"));
		sqlite3_bind_int64(s, 5, jint(json_object_get(metrics, "records"), "total"));
		sqlite3_bind_int64(s, 6, jint(metrics, "delegations"));
		sqlite3_bind_int64(s, 7, jint(metrics, "signed_delegations"));
		sqlite3_bind_text(s, 8, text, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE) {
			rc = fail(st, diag, "insert zone snapshot");
		}
		sqlite3_finalize(s);
	}
	if (rc == SSR_EOK) {
		rc = exec(st, "COMMIT", diag, "commit");
	}
	if (rc != SSR_EOK) {
		exec(st, "ROLLBACK", NULL, "rollback");
	}
	free(text);
	return rc;
}

int ssr_store_zone_history(ssr_store_t *st, const char *zone, json_t **out, ssr_diag_t *diag)
{
	sqlite3_stmt *s;
	const char *sql = "SELECT zone, snapshot_date, serial, bytes, metrics FROM zone_snapshot"
	                  " WHERE (?1 IS NULL OR zone = ?1) ORDER BY zone, snapshot_date";
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		return fail(st, diag, "prepare history");
	}
	if (zone != NULL) {
		sqlite3_bind_text(s, 1, zone, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(s, 1);
	}
	json_t *rows = json_array();
	int rc = SSR_EOK, step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		json_error_t je;
		json_t *m = json_loads((const char *)sqlite3_column_text(s, 4), 0, &je);
		if (m == NULL) {
			rc = ssr_diag_set(diag, SSR_ESTORE, "store '%s': bad metrics for %s %s: %s",
			                  st->path, sqlite3_column_text(s, 0),
			                  sqlite3_column_text(s, 1), je.text);
			break;
		}
		json_t *row = json_object();
		json_object_set_new(row, "zone",
		                    json_string((const char *)sqlite3_column_text(s, 0)));
		json_object_set_new(row, "date",
		                    json_string((const char *)sqlite3_column_text(s, 1)));
		json_object_set_new(row, "serial",
		                    sqlite3_column_type(s, 2) == SQLITE_NULL
		                        ? json_null()
		                        : json_integer(sqlite3_column_int64(s, 2)));
		json_object_set_new(row, "bytes", json_integer(sqlite3_column_int64(s, 3)));
		json_object_set_new(row, "metrics", m);
		json_array_append_new(rows, row);
	}
	if (rc == SSR_EOK && step != SQLITE_DONE) {
		rc = fail(st, diag, "read history");
	}
	sqlite3_finalize(s);
	if (rc != SSR_EOK) {
		json_decref(rows);
		return rc;
	}
	*out = rows;
	return SSR_EOK;
}
