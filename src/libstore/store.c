/* ssrwatch — the store: schema, migrations and the entity functions, over the db layer. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "store_priv.h"
#include "ssrwatch/store.h"

/* Migrations: index i brings the schema from version i to i + 1.  Never edit a shipped one.
 * Written once for both backends: TXT is the text type (binary collation on PostgreSQL, so
 * both order text the same way), NOW_UTC the default for a time stamp column. */
static const char *const migrations[] = {
    /* 1: zone snapshots */
    "CREATE TABLE zone_snapshot ("
    " zone TXT NOT NULL,"
    " snapshot_date TXT NOT NULL,"
    " serial BIGINT,"
    " bytes BIGINT NOT NULL,"
    " records BIGINT NOT NULL,"
    " delegations BIGINT NOT NULL,"
    " signed_delegations BIGINT NOT NULL,"
    " metrics TXT NOT NULL,"
    " stored_at TXT NOT NULL DEFAULT NOW_UTC,"
    " PRIMARY KEY (zone, snapshot_date));",
    /* 2: abuse reporting */
    "CREATE TABLE abuse_snapshot ("
    " tld TXT NOT NULL,"
    " snapshot_date TXT NOT NULL,"
    " zone_file TXT NOT NULL,"
    " zone_size BIGINT NOT NULL,"
    " listed BIGINT NOT NULL,"
    " listed_in_zone BIGINT NOT NULL,"
    " index_origin TXT,"
    " has_registrations INTEGER NOT NULL,"
    " feeds TXT NOT NULL,"
    " stored_at TXT NOT NULL DEFAULT NOW_UTC,"
    " PRIMARY KEY (tld, snapshot_date));"
    "CREATE TABLE abuse_listing ("
    " tld TXT NOT NULL,"
    " domain TXT NOT NULL,"
    " snapshot_date TXT NOT NULL,"
    " listed INTEGER NOT NULL,"
    " in_zone INTEGER NOT NULL,"
    " categories INTEGER NOT NULL,"
    " feeds TXT NOT NULL,"
    " feed_first_seen TXT,"
    " zone_first_seen TXT,"
    " created TXT,"
    " registrar BIGINT NOT NULL,"
    " PRIMARY KEY (tld, domain, snapshot_date));"
    "CREATE INDEX abuse_listing_date ON abuse_listing (tld, snapshot_date);"
    "CREATE TABLE registrar_domains ("
    " tld TXT NOT NULL,"
    " snapshot_date TXT NOT NULL,"
    " registrar BIGINT NOT NULL,"
    " domains BIGINT NOT NULL,"
    " PRIMARY KEY (tld, snapshot_date, registrar));"
    "CREATE TABLE registrar ("
    " iana_id BIGINT NOT NULL PRIMARY KEY,"
    " name TXT NOT NULL);"
    "CREATE TABLE price ("
    " kind TXT NOT NULL,"
    " subject TXT NOT NULL,"
    " price_date TXT NOT NULL,"
    " currency TXT NOT NULL,"
    " price TXT NOT NULL,"
    " PRIMARY KEY (kind, subject, price_date, currency));",
    /* 3: abuse_listing clustered on its key (SQLite WITHOUT ROWID: one b-tree fewer to
     * update per stored row, and the report's scan in key order reads one b-tree) */
    "CREATE TABLE abuse_listing3 ("
    " tld TXT NOT NULL,"
    " domain TXT NOT NULL,"
    " snapshot_date TXT NOT NULL,"
    " listed INTEGER NOT NULL,"
    " in_zone INTEGER NOT NULL,"
    " categories INTEGER NOT NULL,"
    " feeds TXT NOT NULL,"
    " feed_first_seen TXT,"
    " zone_first_seen TXT,"
    " created TXT,"
    " registrar BIGINT NOT NULL,"
    " PRIMARY KEY (tld, domain, snapshot_date)) NOROWID;"
    "INSERT INTO abuse_listing3 SELECT tld, domain, snapshot_date, listed, in_zone, categories,"
    " feeds, feed_first_seen, zone_first_seen, created, registrar FROM abuse_listing;"
    "DROP TABLE abuse_listing;"
    "ALTER TABLE abuse_listing3 RENAME TO abuse_listing;"
    "CREATE INDEX abuse_listing_date ON abuse_listing (tld, snapshot_date);",
    /* 4: the abuse report portal (docs/DESIGN.md, "Portal") */
    "CREATE TABLE party ("
    " id SERIALPK,"
    " kind TXT NOT NULL,"
    " name TXT NOT NULL,"
    " iana_id BIGINT,"
    " handle TXT,"
    " email TXT,"
    " webhook TXT,"
    " secret TXT,"
    " by_email INTEGER NOT NULL,"
    " by_webhook INTEGER NOT NULL,"
    " created BIGINT NOT NULL);"
    "CREATE UNIQUE INDEX party_name ON party (kind, name);"
    "CREATE INDEX party_iana ON party (iana_id);"
    "CREATE INDEX party_handle ON party (handle);"
    "CREATE TABLE account ("
    " id SERIALPK,"
    " login TXT NOT NULL UNIQUE,"
    " pw_hash TXT NOT NULL,"
    " party_id BIGINT,"
    " admin INTEGER NOT NULL,"
    " created BIGINT NOT NULL);"
    "CREATE TABLE api_token ("
    " digest TXT NOT NULL PRIMARY KEY,"
    " account_id BIGINT NOT NULL,"
    " label TXT,"
    " created BIGINT NOT NULL);"
    "CREATE TABLE web_session ("
    " digest TXT NOT NULL PRIMARY KEY,"
    " account_id BIGINT NOT NULL,"
    " csrf TXT NOT NULL,"
    " expires BIGINT NOT NULL);"
    "CREATE TABLE registry ("
    " tld TXT NOT NULL PRIMARY KEY,"
    " operator TXT NOT NULL,"
    " email TXT,"
    " rdap_base TXT,"
    " party_id BIGINT);"
    "CREATE TABLE abuse_case ("
    " id SERIALPK,"
    " domain TXT NOT NULL,"
    " tld TXT NOT NULL,"
    " category TXT NOT NULL,"
    " status TXT NOT NULL,"
    " opened BIGINT NOT NULL,"
    " closed BIGINT,"
    " reports BIGINT NOT NULL,"
    " reporters BIGINT NOT NULL,"
    " route_state TXT NOT NULL,"
    " route_attempts INTEGER NOT NULL,"
    " route_next BIGINT NOT NULL,"
    " route_error TXT);"
    "CREATE UNIQUE INDEX abuse_case_open ON abuse_case (domain, category)"
    " WHERE status <> 'closed';"
    "CREATE INDEX abuse_case_route ON abuse_case (route_state, route_next);"
    "CREATE TABLE report ("
    " id SERIALPK,"
    " token TXT NOT NULL UNIQUE,"
    " category TXT NOT NULL,"
    " received BIGINT NOT NULL,"
    " email TXT,"
    " name TXT,"
    " source_ip TXT,"
    " body TXT NOT NULL);"
    "CREATE TABLE report_case ("
    " report_id BIGINT NOT NULL,"
    " case_id BIGINT NOT NULL,"
    " PRIMARY KEY (report_id, case_id));"
    "CREATE INDEX report_case_case ON report_case (case_id);"
    "CREATE TABLE attachment ("
    " id SERIALPK,"
    " report_id BIGINT NOT NULL,"
    " name TXT NOT NULL,"
    " mime TXT NOT NULL,"
    " size BIGINT NOT NULL,"
    " sha256 TXT NOT NULL,"
    " data TXT NOT NULL);"
    "CREATE TABLE case_party ("
    " case_id BIGINT NOT NULL,"
    " party_id BIGINT NOT NULL,"
    " role TXT NOT NULL,"
    " PRIMARY KEY (case_id, party_id, role));"
    "CREATE INDEX case_party_party ON case_party (party_id, case_id);"
    "CREATE TABLE event ("
    " id SERIALPK,"
    " case_id BIGINT NOT NULL,"
    " party_id BIGINT,"
    " kind TXT NOT NULL,"
    " at BIGINT NOT NULL,"
    " detail TXT);"
    "CREATE INDEX event_case ON event (case_id, at);"
    "CREATE TABLE delivery ("
    " id SERIALPK,"
    " case_id BIGINT NOT NULL,"
    " party_id BIGINT NOT NULL,"
    " channel TXT NOT NULL,"
    " state TXT NOT NULL,"
    " attempts INTEGER NOT NULL,"
    " next_at BIGINT NOT NULL,"
    " created BIGINT NOT NULL);"
    "CREATE INDEX delivery_due ON delivery (state, next_at);"
    "CREATE TABLE delivery_attempt ("
    " delivery_id BIGINT NOT NULL,"
    " attempt INTEGER NOT NULL,"
    " at BIGINT NOT NULL,"
    " state TXT NOT NULL,"
    " detail TXT,"
    " PRIMARY KEY (delivery_id, attempt));"
    "CREATE TABLE rdap_cache ("
    " url TXT NOT NULL PRIMARY KEY,"
    " status INTEGER NOT NULL,"
    " body TXT NOT NULL,"
    " fetched BIGINT NOT NULL,"
    " expires BIGINT NOT NULL);",
    /* 5: attachments are read per report (XARF export, deliveries) */
    "CREATE INDEX attachment_report ON attachment (report_id);",
    /* 6: misleading names (SSR2 Rec 19): per scanned zone and date, and the matches */
    "CREATE TABLE names_scan ("
    " scan_date TXT NOT NULL,"
    " zone TXT NOT NULL,"
    " delegations BIGINT NOT NULL,"
    " brands TXT NOT NULL,"
    " PRIMARY KEY (scan_date, zone));"
    "CREATE TABLE names_match ("
    " scan_date TXT NOT NULL,"
    " zone TXT NOT NULL,"
    " domain TXT NOT NULL,"
    " brand TXT NOT NULL,"
    " kinds TXT NOT NULL,"
    " score DOUBLE PRECISION NOT NULL,"
    " detail TXT NOT NULL,"
    " PRIMARY KEY (scan_date, zone, domain, brand));",
    /* 7: the recommendation tracker; editors among the portal's accounts */
    "CREATE TABLE rec_review ("
    " id TXT NOT NULL PRIMARY KEY,"
    " title TXT NOT NULL,"
    " published TXT);"
    "CREATE TABLE rec ("
    " id TXT NOT NULL PRIMARY KEY,"
    " review TXT NOT NULL,"
    " parent TXT,"
    " title TXT NOT NULL,"
    " summary TXT,"
    " priority TXT,"
    " workstream TXT,"
    " owner TXT,"
    " refs TXT,"
    " measure TXT,"
    " cadence INTEGER NOT NULL,"
    " ord INTEGER NOT NULL);"
    "CREATE TABLE rec_event ("
    " id SERIALPK,"
    " rec_id TXT NOT NULL,"
    " at BIGINT NOT NULL,"
    " actor TXT NOT NULL,"
    " from_status TXT NOT NULL,"
    " to_status TXT NOT NULL,"
    " reason TXT NOT NULL);"
    "CREATE INDEX rec_event_rec ON rec_event (rec_id, id);"
    "CREATE TABLE rec_evidence ("
    " id SERIALPK,"
    " rec_id TXT NOT NULL,"
    " at BIGINT NOT NULL,"
    " actor TXT NOT NULL,"
    " kind TXT NOT NULL,"
    " ref TXT NOT NULL,"
    " note TXT NOT NULL);"
    "CREATE INDEX rec_evidence_rec ON rec_evidence (rec_id, id);"
    "CREATE TABLE rec_action ("
    " id SERIALPK,"
    " title TXT NOT NULL,"
    " owner TXT NOT NULL,"
    " due TXT,"
    " status TXT NOT NULL,"
    " recs TXT NOT NULL,"
    " created BIGINT NOT NULL,"
    " actor TXT NOT NULL);"
    "CREATE TABLE rec_action_event ("
    " id SERIALPK,"
    " action_id BIGINT NOT NULL,"
    " at BIGINT NOT NULL,"
    " actor TXT NOT NULL,"
    " from_status TXT NOT NULL,"
    " to_status TXT NOT NULL);"
    "CREATE TABLE rec_rating ("
    " survey TXT NOT NULL,"
    " rater TXT NOT NULL,"
    " rec_id TXT NOT NULL,"
    " score DOUBLE PRECISION NOT NULL,"
    " PRIMARY KEY (survey, rater, rec_id));"
    "ALTER TABLE account ADD COLUMN editor INTEGER NOT NULL DEFAULT 0;",
};

#define NMIGRATIONS (int)(sizeof(migrations) / sizeof(migrations[0]))

/* The migration text for this backend. */
static char *expand(const ssr_store_t *st, const char *sql)
{
	bool pg = store_db_kind(st->db) == STORE_DB_POSTGRES;
	const char *txt = pg ? "TEXT COLLATE \"C\"" : "TEXT";
	const char *now =
	    pg ? "(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
	       : "(strftime('%Y-%m-%dT%H:%M:%SZ','now'))";
	size_t cap = strlen(sql) * 4 + 1;
	char *out = malloc(cap);
	if (out == NULL) {
		return NULL;
	}
	size_t o = 0;
	for (const char *p = sql; *p;) {
		const char *rep = NULL;
		size_t skip = 0;
		if (strncmp(p, "TXT", 3) == 0) {
			rep = txt, skip = 3;
		} else if (strncmp(p, "NOW_UTC", 7) == 0) {
			rep = now, skip = 7;
		} else if (strncmp(p, "NOROWID", 7) == 0) {
			rep = pg ? "" : "WITHOUT ROWID", skip = 7;
		} else if (strncmp(p, "SERIALPK", 8) == 0) {
			rep = pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY", skip = 8;
		}
		if (rep != NULL) {
			size_t l = strlen(rep);
			memcpy(out + o, rep, l);
			o += l;
			p += skip;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return out;
}

int ssr_store_schema_version(ssr_store_t *st, int *version, ssr_diag_t *diag)
{
	return store_db_get_version(st->db, version, diag);
}

const char *ssr_store_backend(const ssr_store_t *st)
{
	return store_db_kind(st->db) == STORE_DB_SQLITE ? "sqlite" : "postgresql";
}

const char *ssr_store_path(const ssr_store_t *st)
{
	return store_db_kind(st->db) == STORE_DB_SQLITE ? store_db_name(st->db) : NULL;
}

static int migrate(ssr_store_t *st, ssr_diag_t *diag)
{
	int rc = store_db_begin(st->db, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (store_db_kind(st->db) == STORE_DB_POSTGRES) {
		/* concurrent first opens: one migrates, the others wait */
		rc =
		    store_db_script(st->db, "SELECT pg_advisory_xact_lock(5357525741544348)", diag);
	}
	int v = 0;
	if (rc == SSR_EOK) {
		rc = ssr_store_schema_version(st, &v, diag);
	}
	if (rc == SSR_EOK && v > NMIGRATIONS) {
		rc = ssr_diag_set(diag, SSR_ESTORE,
		                  "store '%s': schema version %d is newer than this ssrwatch (%d)",
		                  store_db_name(st->db), v, NMIGRATIONS);
	}
	for (; rc == SSR_EOK && v < NMIGRATIONS; v++) {
		char *sql = expand(st, migrations[v]);
		if (sql == NULL) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
			break;
		}
		rc = store_db_script(st->db, sql, diag);
		free(sql);
		if (rc == SSR_EOK) {
			rc = store_db_set_version(st->db, v + 1, diag);
		}
	}
	if (rc != SSR_EOK) {
		store_db_rollback(st->db);
		return rc;
	}
	return store_db_commit(st->db, diag);
}

static int store_open(const char *uri, bool create, ssr_store_t **out, ssr_diag_t *diag)
{
	ssr_store_t *st = calloc(1, sizeof(*st));
	if (st == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "store '%s': out of memory", uri);
	}
	int rc = store_db_open(uri, create, &st->db, diag);
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

int ssr_store_open(const char *uri, ssr_store_t **out, ssr_diag_t *diag)
{
	return store_open(uri, true, out, diag);
}

int ssr_store_open_existing(const char *uri, ssr_store_t **out, ssr_diag_t *diag)
{
	return store_open(uri, false, out, diag);
}

void ssr_store_free(ssr_store_t *st)
{
	if (st == NULL) {
		return;
	}
	if (st->in_tx) {
		store_db_rollback(st->db);
	}
	store_db_free(st->db);
	free(st);
}

int ssr_store_durable(ssr_store_t *st, uint64_t wal_max, ssr_diag_t *diag)
{
	if (store_db_kind(st->db) == STORE_DB_SQLITE) {
		/* checkpoints are left to ssr_store_checkpoint on another connection, so that a
		 * commit never waits for one */
		char sql[128];
		snprintf(sql, sizeof(sql),
		         "PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=0; "
		         "PRAGMA journal_size_limit=%lld",
		         wal_max ? (long long)wal_max : -1LL);
		return store_db_script(st->db, sql, diag);
	}
	return SSR_EOK;
}

typedef struct {
	long long busy, frames, done;
} ckpt_t;

static int ckpt_row(int n, const char *const *v, void *ctx)
{
	ckpt_t *c = ctx;
	if (n >= 3 && v[0] && v[1] && v[2]) {
		c->busy = strtoll(v[0], NULL, 10);
		c->frames = strtoll(v[1], NULL, 10);
		c->done = strtoll(v[2], NULL, 10);
	}
	return SSR_EOK;
}

static int int_row(int n, const char *const *v, void *ctx)
{
	if (n >= 1 && v[0]) {
		*(long long *)ctx = strtoll(v[0], NULL, 10);
	}
	return SSR_EOK;
}

/* One wal_checkpoint pragma; *wal_bytes the log's size it reports. */
static int wal_checkpoint(ssr_store_t *st, const char *sql, uint64_t *wal_bytes, ssr_diag_t *diag)
{
	if (wal_bytes != NULL) {
		*wal_bytes = 0;
	}
	if (store_db_kind(st->db) != STORE_DB_SQLITE) {
		return SSR_EOK;
	}
	ckpt_t c = {0, 0, 0};
	long long page = 4096;
	int rc = store_db_exec(st->db, sql, 0, NULL, ckpt_row, &c, diag);
	if (rc == SSR_EOK) {
		rc = store_db_exec(st->db, "PRAGMA page_size", 0, NULL, int_row, &page, diag);
	}
	if (rc == SSR_EOK && wal_bytes != NULL && c.frames > 0) {
		*wal_bytes = (uint64_t)c.frames * (uint64_t)(page + 24) + 32; /* frames + header */
	}
	return rc;
}

int ssr_store_checkpoint(ssr_store_t *st, uint64_t *wal_bytes, ssr_diag_t *diag)
{
	return wal_checkpoint(st, "PRAGMA wal_checkpoint(PASSIVE)", wal_bytes, diag);
}

int ssr_store_wal_truncate(ssr_store_t *st, uint64_t *wal_bytes, ssr_diag_t *diag)
{
	return wal_checkpoint(st, "PRAGMA wal_checkpoint(TRUNCATE)", wal_bytes, diag);
}

int ssr_store_begin(ssr_store_t *st, ssr_diag_t *diag)
{
	int rc = store_db_begin(st->db, diag);
	st->in_tx = rc == SSR_EOK;
	return rc;
}

int ssr_store_commit(ssr_store_t *st, ssr_diag_t *diag)
{
	int rc = store_db_commit(st->db, diag);
	if (rc != SSR_EOK) {
		store_db_rollback(st->db);
	}
	st->in_tx = false;
	return rc;
}

void ssr_store_rollback(ssr_store_t *st)
{
	if (st->in_tx) {
		store_db_rollback(st->db);
		st->in_tx = false;
	}
}

/* Run body(st, arg) in its own transaction unless one is open. */
static int in_tx(ssr_store_t *st, int (*body)(ssr_store_t *, const void *, ssr_diag_t *),
                 const void *arg, ssr_diag_t *diag)
{
	if (st->in_tx) {
		return body(st, arg, diag);
	}
	int rc = ssr_store_begin(st, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	rc = body(st, arg, diag);
	if (rc != SSR_EOK) {
		ssr_store_rollback(st);
		return rc;
	}
	return ssr_store_commit(st, diag);
}

/* Decimal text of v (no printf: this runs for every stored row). */
void ssr_store_u64s(char out[24], uint64_t v)
{
	char tmp[24];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (size_t i = 0; i < n; i++) {
		out[i] = tmp[n - 1 - i];
	}
	out[n] = '\0';
}

#define u64s ssr_store_u64s

static uint64_t to_u64(const char *s)
{
	return s ? strtoull(s, NULL, 10) : 0;
}

/* ---- zone snapshots ------------------------------------------------------------- */

typedef struct {
	const char *zone, *date;
	json_t *metrics;
} zone_put_t;

static json_int_t jint(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static int zone_put(ssr_store_t *st, const void *arg, ssr_diag_t *diag)
{
	const zone_put_t *z = arg;
	char *text =
	    json_dumps(z->metrics, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(10));
	if (text == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
	}
	char serial[24], bytes[24], records[24], deleg[24], sig[24];
	json_t *js = json_object_get(z->metrics, "serial");
	u64s(serial, (uint64_t)json_integer_value(js));
	u64s(bytes, (uint64_t)jint(z->metrics, "bytes"));
	u64s(records, (uint64_t)jint(json_object_get(z->metrics, "records"), "total"));
	u64s(deleg, (uint64_t)jint(z->metrics, "delegations"));
	u64s(sig, (uint64_t)jint(z->metrics, "signed_delegations"));
	const char *p[] = {z->zone, z->date, json_is_integer(js) ? serial : NULL,
	                   bytes,   records, deleg,
	                   sig,     text};
	int rc =
	    store_db_exec(st->db,
	                  "INSERT INTO zone_snapshot (zone, snapshot_date, serial, bytes, records,"
	                  " delegations, signed_delegations, metrics)"
	                  " VALUES ($1,$2,$3,$4,$5,$6,$7,$8)"
	                  " ON CONFLICT (zone, snapshot_date) DO UPDATE SET"
	                  " serial=excluded.serial, bytes=excluded.bytes,"
	                  " records=excluded.records, delegations=excluded.delegations,"
	                  " signed_delegations=excluded.signed_delegations,"
	                  " metrics=excluded.metrics, stored_at=excluded.stored_at",
	                  8, p, NULL, NULL, diag);
	free(text);
	return rc;
}

int ssr_store_put_zone_snapshot(ssr_store_t *st, const char *zone, const char *date,
                                json_t *metrics, ssr_diag_t *diag)
{
	zone_put_t z = {zone, date, metrics};
	return in_tx(st, zone_put, &z, diag);
}

typedef struct {
	json_t *rows;
	ssr_diag_t *diag;
	const char *store;
} history_t;

static int history_row(int n, const char *const *v, void *ctx)
{
	history_t *h = ctx;
	(void)n;
	json_error_t je;
	json_t *m = json_loads(v[4] ? v[4] : "", 0, &je);
	if (m == NULL) {
		return ssr_diag_set(h->diag, SSR_ESTORE, "store '%s': bad metrics for %s %s: %s",
		                    h->store, v[0], v[1], je.text);
	}
	json_t *row = json_object();
	json_object_set_new(row, "zone", json_string(v[0]));
	json_object_set_new(row, "date", json_string(v[1]));
	json_object_set_new(row, "serial",
	                    v[2] ? json_integer((json_int_t)to_u64(v[2])) : json_null());
	json_object_set_new(row, "bytes", json_integer((json_int_t)to_u64(v[3])));
	json_object_set_new(row, "metrics", m);
	json_array_append_new(h->rows, row);
	return SSR_EOK;
}

int ssr_store_zone_history(ssr_store_t *st, const char *zone, json_t **out, ssr_diag_t *diag)
{
	history_t h = {json_array(), diag, store_db_name(st->db)};
	const char *p[] = {zone};
	int rc = store_db_exec(
	    st->db,
	    "SELECT zone, snapshot_date, serial, bytes, metrics FROM zone_snapshot"
	    " WHERE (CAST($1 AS TEXT) IS NULL OR zone = $1) ORDER BY zone, snapshot_date",
	    1, p, history_row, &h, diag);
	if (rc != SSR_EOK) {
		json_decref(h.rows);
		return rc;
	}
	*out = h.rows;
	return SSR_EOK;
}

/* ---- abuse: writes --------------------------------------------------------------- */

static int abuse_snapshot_put(ssr_store_t *st, const void *arg, ssr_diag_t *diag)
{
	const ssr_abuse_snapshot_t *s = arg;
	const char *key[] = {s->tld, s->date};
	int rc =
	    store_db_exec(st->db, "DELETE FROM abuse_listing WHERE tld = $1 AND snapshot_date = $2",
	                  2, key, NULL, NULL, diag);
	if (rc == SSR_EOK) {
		rc = store_db_exec(
		    st->db, "DELETE FROM registrar_domains WHERE tld = $1 AND snapshot_date = $2",
		    2, key, NULL, NULL, diag);
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	char size[24], listed[24], inzone[24];
	u64s(size, s->zone_size);
	u64s(listed, s->listed);
	u64s(inzone, s->listed_in_zone);
	const char *p[] = {s->tld,
	                   s->date,
	                   s->zone_file,
	                   size,
	                   listed,
	                   inzone,
	                   s->index_origin,
	                   s->has_registrations ? "1" : "0",
	                   s->feeds ? s->feeds : "{}"};
	return store_db_exec(st->db,
	                     "INSERT INTO abuse_snapshot (tld, snapshot_date, zone_file, zone_size,"
	                     " listed, listed_in_zone, index_origin, has_registrations, feeds)"
	                     " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)"
	                     " ON CONFLICT (tld, snapshot_date) DO UPDATE SET"
	                     " zone_file=excluded.zone_file, zone_size=excluded.zone_size,"
	                     " listed=excluded.listed, listed_in_zone=excluded.listed_in_zone,"
	                     " index_origin=excluded.index_origin,"
	                     " has_registrations=excluded.has_registrations,"
	                     " feeds=excluded.feeds, stored_at=excluded.stored_at",
	                     9, p, NULL, NULL, diag);
}

int ssr_store_abuse_put_snapshot(ssr_store_t *st, const ssr_abuse_snapshot_t *s, ssr_diag_t *diag)
{
	return in_tx(st, abuse_snapshot_put, s, diag);
}

int ssr_store_abuse_rows_begin(ssr_store_t *st, ssr_diag_t *diag)
{
	static const char *const cols[] = {
	    "tld",   "domain",          "snapshot_date",   "listed",  "in_zone",  "categories",
	    "feeds", "feed_first_seen", "zone_first_seen", "created", "registrar"};
	if (!st->in_tx) {
		return ssr_diag_set(diag, SSR_EINVAL, "store: abuse rows outside a transaction");
	}
	return store_db_bulk_begin(st->db, "abuse_listing", 11, cols, diag);
}

int ssr_store_abuse_row(ssr_store_t *st, const char *tld, const char *date,
                        const ssr_abuse_row_t *r, ssr_diag_t *diag)
{
	char cats[24], reg[24];
	u64s(cats, r->categories);
	u64s(reg, r->registrar);
	const char *v[] = {tld,
	                   r->domain,
	                   date,
	                   r->listed ? "1" : "0",
	                   r->in_zone ? "1" : "0",
	                   cats,
	                   r->feeds ? r->feeds : "",
	                   r->feed_first_seen,
	                   r->zone_first_seen,
	                   r->created,
	                   reg};
	return store_db_bulk_row(st->db, v, diag);
}

int ssr_store_abuse_rows_end(ssr_store_t *st, ssr_diag_t *diag)
{
	return store_db_bulk_end(st->db, diag);
}

int ssr_store_put_registrar_domains(ssr_store_t *st, const char *tld, const char *date,
                                    uint64_t registrar, uint64_t domains, ssr_diag_t *diag)
{
	char r[24], d[24];
	u64s(r, registrar);
	u64s(d, domains);
	const char *p[] = {tld, date, r, d};
	return store_db_exec(
	    st->db,
	    "INSERT INTO registrar_domains (tld, snapshot_date, registrar, domains)"
	    " VALUES ($1,$2,$3,$4) ON CONFLICT (tld, snapshot_date, registrar)"
	    " DO UPDATE SET domains=excluded.domains",
	    4, p, NULL, NULL, diag);
}

int ssr_store_put_registrar(ssr_store_t *st, uint64_t iana_id, const char *name, ssr_diag_t *diag)
{
	char id[24];
	u64s(id, iana_id);
	const char *p[] = {id, name};
	return store_db_exec(st->db,
	                     "INSERT INTO registrar (iana_id, name) VALUES ($1,$2)"
	                     " ON CONFLICT (iana_id) DO UPDATE SET name=excluded.name",
	                     2, p, NULL, NULL, diag);
}

int ssr_store_put_price(ssr_store_t *st, const char *kind, const char *subject, const char *date,
                        const char *price, const char *currency, ssr_diag_t *diag)
{
	const char *p[] = {kind, subject, date, currency, price};
	return store_db_exec(st->db,
	                     "INSERT INTO price (kind, subject, price_date, currency, price)"
	                     " VALUES ($1,$2,$3,$4,$5)"
	                     " ON CONFLICT (kind, subject, price_date, currency)"
	                     " DO UPDATE SET price=excluded.price",
	                     5, p, NULL, NULL, diag);
}

/* ---- abuse: reads ----------------------------------------------------------------- */

static int copy_date(int n, const char *const *v, void *ctx)
{
	if (n > 0 && v[0] != NULL) {
		snprintf(ctx, 11, "%s", v[0]);
	}
	return SSR_EOK;
}

int ssr_store_abuse_previous(ssr_store_t *st, const char *tld, const char *date, char out[11],
                             ssr_diag_t *diag)
{
	out[0] = '\0';
	const char *p[] = {tld, date};
	int rc = store_db_exec(st->db,
	                       "SELECT MAX(snapshot_date) FROM abuse_snapshot"
	                       " WHERE tld = $1 AND snapshot_date < $2",
	                       2, p, copy_date, out, diag);
	if (rc == SSR_EOK && out[0] == '\0') {
		return SSR_ENOTFOUND;
	}
	return rc;
}

/* A reader's callback and its context (one union: no casts of function pointers). */
typedef struct {
	union {
		ssr_store_domain_fn domain;
		ssr_store_snapshot_fn snapshot;
		ssr_store_row_fn row;
		ssr_store_dum_fn dum;
		ssr_store_registrar_fn registrar;
		ssr_store_price_fn price;
	} fn;
	void *ctx;
} cb_t;

static int domain_row(int n, const char *const *v, void *ctx)
{
	cb_t *c = ctx;
	(void)n;
	return c->fn.domain(v[0], c->ctx);
}

int ssr_store_abuse_open_listings(ssr_store_t *st, const char *tld, const char *date,
                                  ssr_store_domain_fn fn, void *ctx, ssr_diag_t *diag)
{
	cb_t c = {.fn.domain = fn, .ctx = ctx};
	const char *p[] = {tld, date};
	return store_db_exec(
	    st->db,
	    "SELECT domain FROM abuse_listing WHERE tld = $1 AND snapshot_date = $2"
	    " AND listed = 1 AND in_zone = 1 ORDER BY domain",
	    2, p, domain_row, &c, diag);
}

static int snapshot_row(int n, const char *const *v, void *ctx)
{
	cb_t *c = ctx;
	(void)n;
	ssr_abuse_snapshot_t s = {.tld = v[0],
	                          .date = v[1],
	                          .zone_file = v[2],
	                          .zone_size = to_u64(v[3]),
	                          .listed = to_u64(v[4]),
	                          .listed_in_zone = to_u64(v[5]),
	                          .index_origin = v[6],
	                          .has_registrations = to_u64(v[7]) != 0,
	                          .feeds = v[8]};
	return c->fn.snapshot(&s, c->ctx);
}

int ssr_store_abuse_snapshots(ssr_store_t *st, const char *to, ssr_store_snapshot_fn fn, void *ctx,
                              ssr_diag_t *diag)
{
	cb_t c = {.fn.snapshot = fn, .ctx = ctx};
	const char *p[] = {to};
	return store_db_exec(
	    st->db,
	    "SELECT tld, snapshot_date, zone_file, zone_size, listed, listed_in_zone,"
	    " index_origin, has_registrations, feeds FROM abuse_snapshot"
	    " WHERE snapshot_date <= $1 ORDER BY tld, snapshot_date",
	    1, p, snapshot_row, &c, diag);
}

static int listing_row(int n, const char *const *v, void *ctx)
{
	cb_t *c = ctx;
	(void)n;
	ssr_abuse_row_t r = {.domain = v[1],
	                     .listed = to_u64(v[3]) != 0,
	                     .in_zone = to_u64(v[4]) != 0,
	                     .categories = (uint32_t)to_u64(v[5]),
	                     .feeds = v[6],
	                     .feed_first_seen = v[7],
	                     .zone_first_seen = v[8],
	                     .created = v[9],
	                     .registrar = to_u64(v[10])};
	return c->fn.row(v[0], v[2], &r, c->ctx);
}

int ssr_store_abuse_rows(ssr_store_t *st, const char *to, ssr_store_row_fn fn, void *ctx,
                         ssr_diag_t *diag)
{
	cb_t c = {.fn.row = fn, .ctx = ctx};
	const char *p[] = {to};
	return store_db_exec(
	    st->db,
	    "SELECT tld, domain, snapshot_date, listed, in_zone, categories, feeds,"
	    " feed_first_seen, zone_first_seen, created, registrar"
	    " FROM abuse_listing WHERE snapshot_date <= $1"
	    " ORDER BY tld, domain, snapshot_date",
	    1, p, listing_row, &c, diag);
}

static int dum_row(int n, const char *const *v, void *ctx)
{
	cb_t *c = ctx;
	(void)n;
	return c->fn.dum(v[0], v[1], to_u64(v[2]), to_u64(v[3]), c->ctx);
}

int ssr_store_registrar_domains(ssr_store_t *st, const char *to, ssr_store_dum_fn fn, void *ctx,
                                ssr_diag_t *diag)
{
	cb_t c = {.fn.dum = fn, .ctx = ctx};
	const char *p[] = {to};
	return store_db_exec(st->db,
	                     "SELECT tld, snapshot_date, registrar, domains FROM registrar_domains"
	                     " WHERE snapshot_date <= $1 ORDER BY tld, snapshot_date, registrar",
	                     1, p, dum_row, &c, diag);
}

static int registrar_row(int n, const char *const *v, void *ctx)
{
	cb_t *c = ctx;
	(void)n;
	return c->fn.registrar(to_u64(v[0]), v[1], c->ctx);
}

int ssr_store_registrars(ssr_store_t *st, ssr_store_registrar_fn fn, void *ctx, ssr_diag_t *diag)
{
	cb_t c = {.fn.registrar = fn, .ctx = ctx};
	return store_db_exec(st->db, "SELECT iana_id, name FROM registrar ORDER BY iana_id", 0,
	                     NULL, registrar_row, &c, diag);
}

static int price_row(int n, const char *const *v, void *ctx)
{
	cb_t *c = ctx;
	(void)n;
	return c->fn.price(v[0], v[1], v[2], v[4], v[3], c->ctx);
}

int ssr_store_prices(ssr_store_t *st, ssr_store_price_fn fn, void *ctx, ssr_diag_t *diag)
{
	cb_t c = {.fn.price = fn, .ctx = ctx};
	return store_db_exec(st->db,
	                     "SELECT kind, subject, price_date, currency, price FROM price"
	                     " ORDER BY kind, subject, price_date, currency",
	                     0, NULL, price_row, &c, diag);
}

/* ---- misleading names ---------------------------------------------------------------------- */

int ssr_store_names_put_scan(ssr_store_t *st, const char *date, const char *zone,
                             uint64_t delegations, const char *brands, ssr_diag_t *diag)
{
	char d[24];
	u64s(d, delegations);
	const char *p[] = {date, zone};
	int rc = store_db_exec(st->db, "DELETE FROM names_match WHERE scan_date=$1 AND zone=$2", 2,
	                       p, NULL, NULL, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *q[] = {date, zone, d, brands};
	return store_db_exec(
	    st->db,
	    "INSERT INTO names_scan (scan_date, zone, delegations, brands)"
	    " VALUES ($1,$2,$3,$4) ON CONFLICT (scan_date, zone)"
	    " DO UPDATE SET delegations=excluded.delegations, brands=excluded.brands",
	    4, q, NULL, NULL, diag);
}

int ssr_store_names_put_match(ssr_store_t *st, const ssr_names_row_t *r, ssr_diag_t *diag)
{
	char sc[32];
	snprintf(sc, sizeof sc, "%.2f", r->score);
	const char *p[] = {r->date, r->zone, r->domain, r->brand, r->kinds, sc, r->detail};
	return store_db_exec(
	    st->db,
	    "INSERT INTO names_match (scan_date, zone, domain, brand, kinds, score, detail)"
	    " VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (scan_date, zone, domain, brand)"
	    " DO UPDATE SET kinds=excluded.kinds, score=excluded.score,"
	    " detail=excluded.detail",
	    7, p, NULL, NULL, diag);
}

typedef struct {
	ssr_store_names_scan_fn scan;
	ssr_store_names_match_fn match;
	void *ctx;
} names_read_t;

static int names_scan_row(int n, const char *const *v, void *ctx)
{
	names_read_t *r = ctx;
	(void)n;
	return r->scan(v[0], v[1], strtoull(v[2], NULL, 10), v[3], r->ctx);
}

static int names_match_row(int n, const char *const *v, void *ctx)
{
	names_read_t *r = ctx;
	(void)n;
	ssr_names_row_t row = {.date = v[0],
	                       .zone = v[1],
	                       .domain = v[2],
	                       .brand = v[3],
	                       .kinds = v[4],
	                       .score = strtod(v[5], NULL),
	                       .detail = v[6]};
	return r->match(&row, r->ctx);
}

int ssr_store_names_scans(ssr_store_t *st, const char *from, const char *to,
                          ssr_store_names_scan_fn fn, void *ctx, ssr_diag_t *diag)
{
	names_read_t r = {.scan = fn, .ctx = ctx};
	const char *p[] = {from, to};
	return store_db_exec(st->db,
	                     "SELECT scan_date, zone, delegations, brands FROM names_scan"
	                     " WHERE scan_date >= $1 AND scan_date <= $2 ORDER BY scan_date, zone",
	                     2, p, names_scan_row, &r, diag);
}

int ssr_store_names_matches(ssr_store_t *st, const char *from, const char *to,
                            ssr_store_names_match_fn fn, void *ctx, ssr_diag_t *diag)
{
	names_read_t r = {.match = fn, .ctx = ctx};
	const char *p[] = {from, to};
	return store_db_exec(
	    st->db,
	    "SELECT scan_date, zone, domain, brand, kinds, score, detail FROM names_match"
	    " WHERE scan_date >= $1 AND scan_date <= $2"
	    " ORDER BY scan_date, zone, domain, brand",
	    2, p, names_match_row, &r, diag);
}
