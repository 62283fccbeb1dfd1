/* ssrwatch — the store: schema, migrations and the entity functions, over the db layer. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "store_priv.h"
#include "ssrwatch/crypto.h"
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
    /* 8: regression suite runs, one row per date, target and suite */
    "CREATE TABLE regress_run ("
    " run_date TXT NOT NULL,"
    " target TXT NOT NULL,"
    " implementation TXT NOT NULL,"
    " version TXT NOT NULL,"
    " suite TXT NOT NULL,"
    " cases BIGINT NOT NULL,"
    " passed BIGINT NOT NULL,"
    " failed_errors BIGINT NOT NULL,"
    " PRIMARY KEY (run_date, target, suite));",
    /* 9: RSSAC047 monthly results, one row per month, subject, metric and transport */
    "CREATE TABLE rss_month ("
    " month TXT NOT NULL,"
    " subject TXT NOT NULL,"
    " metric TXT NOT NULL,"
    " transport TXT NOT NULL,"
    " verdict TXT NOT NULL,"
    " value DOUBLE PRECISION NOT NULL,"
    " samples BIGINT NOT NULL,"
    " PRIMARY KEY (month, subject, metric, transport));",
    /* 10: zone-data access (CZDS), one row per day and TLD */
    "CREATE TABLE czds_day ("
    " day TXT NOT NULL,"
    " tld TXT NOT NULL,"
    " status TXT NOT NULL,"
    " expires TXT NOT NULL,"
    " downloaded INTEGER NOT NULL,"
    " on_time INTEGER NOT NULL,"
    " fresh INTEGER NOT NULL,"
    " bytes BIGINT NOT NULL,"
    " records BIGINT NOT NULL,"
    " serial_file BIGINT NOT NULL,"
    " serial_live BIGINT NOT NULL,"
    " zonemd TXT NOT NULL,"
    " http_status INTEGER NOT NULL,"
    " error TXT NOT NULL,"
    " PRIMARY KEY (day, tld));",
    /* 11: registry data escrow: deposits validated, restore drills */
    "CREATE TABLE escrow_check ("
    " checked TXT NOT NULL,"
    " file TXT NOT NULL,"
    " tld TXT NOT NULL,"
    " type TXT NOT NULL,"
    " deposit_id TXT NOT NULL,"
    " watermark TXT NOT NULL,"
    " resend BIGINT NOT NULL,"
    " valid INTEGER NOT NULL,"
    " codes BIGINT NOT NULL,"
    " code_list TXT NOT NULL,"
    " domains BIGINT NOT NULL,"
    " seconds DOUBLE PRECISION NOT NULL,"
    " PRIMARY KEY (checked, file));"
    "CREATE TABLE escrow_drill ("
    " drilled TXT NOT NULL,"
    " tld TXT NOT NULL,"
    " full_id TXT NOT NULL,"
    " watermark TXT NOT NULL,"
    " server TXT NOT NULL,"
    " diffs BIGINT NOT NULL,"
    " signed INTEGER NOT NULL,"
    " decrypt_s DOUBLE PRECISION NOT NULL,"
    " parse_s DOUBLE PRECISION NOT NULL,"
    " build_s DOUBLE PRECISION NOT NULL,"
    " sign_s DOUBLE PRECISION NOT NULL,"
    " load_s DOUBLE PRECISION NOT NULL,"
    " verify_s DOUBLE PRECISION NOT NULL,"
    " answering_s DOUBLE PRECISION NOT NULL,"
    " threshold_s DOUBLE PRECISION NOT NULL,"
    " delegations BIGINT NOT NULL,"
    " checked BIGINT NOT NULL,"
    " matched BIGINT NOT NULL,"
    " passed INTEGER NOT NULL,"
    " PRIMARY KEY (drilled, tld));",
    /* 12: listed host names that imitate a protected name (abuse ingest --brands) */
    "CREATE TABLE abuse_imitation ("
    " tld TXT NOT NULL,"
    " snapshot_date TXT NOT NULL,"
    " host TXT NOT NULL,"
    " brand TXT NOT NULL,"
    " domain TXT NOT NULL,"
    " kinds TXT NOT NULL,"
    " score DOUBLE PRECISION NOT NULL,"
    " position TXT NOT NULL,"
    " provider TXT,"
    " PRIMARY KEY (tld, snapshot_date, host, brand));",
    /* 13: secrets shared by every process on the store (the portal's form CSRF key: a form
     * one instance served is accepted by another) */
    "CREATE TABLE store_secret ("
    " name TXT NOT NULL PRIMARY KEY,"
    " value TXT NOT NULL);"
    /* ... and rate limits shared by several portal instances (one GCRA clock per key) */
    "CREATE TABLE rate_tat ("
    " key TXT NOT NULL PRIMARY KEY,"
    " tat_ms BIGINT NOT NULL,"
    " ok INTEGER NOT NULL);",
    /* 14: login backoff shared by several portal instances (failures in a row per login) */
    "CREATE TABLE login_backoff ("
    " key TXT NOT NULL PRIMARY KEY,"
    " fails INTEGER NOT NULL,"
    " until_s BIGINT NOT NULL);",
    /* 15: a snapshot's abuse listings as compressed parts of up to 4096 rows (listing.c;
     * docs/FORMATS.md), not one row per domain in two b-trees; the rows of abuse_listing are
     * converted after this script (store_lparts_convert), then it is dropped */
    "CREATE TABLE abuse_listing_part ("
    " tld TXT NOT NULL,"
    " snapshot_date TXT NOT NULL,"
    " part INTEGER NOT NULL,"
    " rows INTEGER NOT NULL,"
    " data BYTES NOT NULL,"
    " PRIMARY KEY (tld, snapshot_date, part));",
};

#define STORE_V_LISTING_PARTS 15

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
		} else if (strncmp(p, "BYTES", 5) == 0) {
			rep = pg ? "BYTEA" : "BLOB", skip = 5;
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
		if (rc == SSR_EOK && v + 1 == STORE_V_LISTING_PARTS) {
			rc = store_lparts_convert(st, diag);
		}
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
	store_lparts_release(st);
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

/* ---- helpers of the entity files ------------------------------------------------------- */

/* Run body(st, arg) in its own transaction unless one is open. */
int store_in_tx(ssr_store_t *st, int (*body)(ssr_store_t *, const void *, ssr_diag_t *),
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

static int first_text(int n, const char *const *v, void *ctx)
{
	char **out = ctx;
	if (n >= 1 && v[0] && !*out) {
		*out = strdup(v[0]);
		if (!*out) {
			return SSR_ENOMEM;
		}
	}
	return SSR_EOK;
}

int ssr_store_secret(ssr_store_t *st, const char *name, uint8_t *out, size_t len, ssr_diag_t *diag)
{
	uint8_t fresh[64];
	char hex[129];
	if (len == 0 || len > sizeof fresh) {
		return ssr_diag_set(diag, SSR_EINVAL, "store: a secret of %zu bytes", len);
	}
	if (ssr_random(fresh, len) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EIO, "store: no randomness for secret '%s'", name);
	}
	ssr_hex(fresh, len, hex);
	const char *p[] = {name, hex};
	/* the first process to ask makes it; every later one, on any machine, reads the same */
	int rc = store_db_exec(st->db,
	                       "INSERT INTO store_secret (name, value) VALUES ($1, $2)"
	                       " ON CONFLICT (name) DO NOTHING",
	                       2, p, NULL, NULL, diag);
	char *v = NULL;
	if (rc == SSR_EOK) {
		rc = store_db_exec(st->db, "SELECT value FROM store_secret WHERE name = $1", 1, p,
		                   first_text, &v, diag);
	}
	size_t got = 0;
	if (rc == SSR_EOK && (!v || ssr_hex_decode(v, out, len, &got) != SSR_EOK || got != len)) {
		rc = ssr_diag_set(diag, SSR_ECORRUPT, "store: secret '%s' is not %zu bytes of hex",
		                  name, len);
	}
	free(v);
	return rc;
}

static int rate_row(int n, const char *const *v, void *ctx)
{
	int64_t *out = ctx;
	if (n >= 2 && v[0] && v[1]) {
		out[0] = strtoll(v[0], NULL, 10);
		out[1] = strtoll(v[1], NULL, 10);
	}
	return SSR_EOK;
}

int ssr_store_rate_hit(ssr_store_t *st, const char *key, int64_t now_ms, int64_t t_ms,
                       int64_t burst_ms, bool *ok, int64_t *tat_ms, ssr_diag_t *diag)
{
	char now[24], t[24], burst[24];
	snprintf(now, sizeof now, "%lld", (long long)now_ms);
	snprintf(t, sizeof t, "%lld", (long long)t_ms);
	snprintf(burst, sizeof burst, "%lld", (long long)burst_ms);
	const char *p[] = {key, now, t, burst};
	bool pg = store_db_kind(st->db) == STORE_DB_POSTGRES;
	/* GCRA in one statement: the request goes through when the key's theoretical arrival
	 * time is at most burst ahead of now, and then moves on by t; every SET sees the old row */
	int64_t row[2] = {-1, 0};
	/* parameters cast where they are used: SQLite compares a number with text as text */
	int rc = store_db_exec(
	    st->db,
	    pg ? "INSERT INTO rate_tat (key, tat_ms, ok) VALUES ($1, CAST($2 AS BIGINT) + CAST($3 "
	         "AS"
	         " BIGINT), 1) ON CONFLICT (key) DO UPDATE SET"
	         " ok = CASE WHEN GREATEST(rate_tat.tat_ms, CAST($2 AS BIGINT)) - CAST($2 AS "
	         "BIGINT)"
	         " <= CAST($4 AS BIGINT) THEN 1 ELSE 0 END,"
	         " tat_ms = CASE WHEN GREATEST(rate_tat.tat_ms, CAST($2 AS BIGINT)) - CAST($2 AS"
	         " BIGINT) <= CAST($4 AS BIGINT) THEN GREATEST(rate_tat.tat_ms, CAST($2 AS BIGINT))"
	         " + CAST($3 AS BIGINT) ELSE rate_tat.tat_ms END"
	         " RETURNING ok, tat_ms"
	       : "INSERT INTO rate_tat (key, tat_ms, ok) VALUES ($1, CAST($2 AS INTEGER) + CAST($3 "
	         "AS"
	         " INTEGER), 1) ON CONFLICT (key) DO UPDATE SET"
	         " ok = CASE WHEN max(rate_tat.tat_ms, CAST($2 AS INTEGER)) - CAST($2 AS INTEGER)"
	         " <= CAST($4 AS INTEGER) THEN 1 ELSE 0 END,"
	         " tat_ms = CASE WHEN max(rate_tat.tat_ms, CAST($2 AS INTEGER)) - CAST($2 AS"
	         " INTEGER) <= CAST($4 AS INTEGER) THEN max(rate_tat.tat_ms, CAST($2 AS INTEGER))"
	         " + CAST($3 AS INTEGER) ELSE rate_tat.tat_ms END"
	         " RETURNING ok, tat_ms",
	    4, p, rate_row, row, diag);
	if (rc == SSR_EOK && row[0] < 0) {
		rc = ssr_diag_set(diag, SSR_ESTORE, "store: the rate limit of '%s' gave no row",
		                  key);
	}
	if (rc == SSR_EOK) {
		*ok = row[0] == 1;
		*tat_ms = row[1];
	}
	return rc;
}

int ssr_store_backoff_get(ssr_store_t *st, const char *key, int64_t *until_s, ssr_diag_t *diag)
{
	const char *p[] = {key};
	long long u = 0;
	int rc = store_db_exec(st->db, "SELECT until_s FROM login_backoff WHERE key = $1", 1, p,
	                       int_row, &u, diag);
	*until_s = rc == SSR_EOK ? u : 0;
	return rc;
}

int ssr_store_backoff_fail(ssr_store_t *st, const char *key, unsigned *fails, ssr_diag_t *diag)
{
	const char *p[] = {key};
	long long n = -1;
	/* one statement: two instances failing at once both count */
	int rc = store_db_exec(st->db,
	                       "INSERT INTO login_backoff (key, fails, until_s) VALUES ($1, 1, 0)"
	                       " ON CONFLICT (key) DO UPDATE SET fails = login_backoff.fails + 1"
	                       " RETURNING fails",
	                       1, p, int_row, &n, diag);
	if (rc == SSR_EOK && n < 1) {
		rc = ssr_diag_set(diag, SSR_ESTORE, "store: the backoff of '%s' gave no row", key);
	}
	if (rc == SSR_EOK) {
		*fails = n > UINT32_MAX ? UINT32_MAX : (unsigned)n;
	}
	return rc;
}

int ssr_store_backoff_set(ssr_store_t *st, const char *key, int64_t until_s, ssr_diag_t *diag)
{
	char u[24];
	snprintf(u, sizeof u, "%lld", (long long)until_s);
	const char *p[] = {key, u};
	bool pg = store_db_kind(st->db) == STORE_DB_POSTGRES;
	if (until_s == 0) { /* a success: the login starts afresh */
		return store_db_exec(st->db, "DELETE FROM login_backoff WHERE key = $1", 1, p, NULL,
		                     NULL, diag);
	}
	/* only ever later: of two failures at once, the longer wait holds */
	return store_db_exec(st->db,
	                     pg ? "UPDATE login_backoff SET until_s = CAST($2 AS BIGINT)"
	                          " WHERE key = $1 AND until_s < CAST($2 AS BIGINT)"
	                        : "UPDATE login_backoff SET until_s = CAST($2 AS INTEGER)"
	                          " WHERE key = $1 AND until_s < CAST($2 AS INTEGER)",
	                     2, p, NULL, NULL, diag);
}
