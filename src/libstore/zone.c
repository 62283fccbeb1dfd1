/* ssrwatch — the store's zone snapshots: one row per zone and date with the statistics
 * document, and its history. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_priv.h"
#include "ssrwatch/zonestore.h"

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
	store_u64s(serial, (uint64_t)json_integer_value(js));
	store_u64s(bytes, (uint64_t)jint(z->metrics, "bytes"));
	store_u64s(records, (uint64_t)jint(json_object_get(z->metrics, "records"), "total"));
	store_u64s(deleg, (uint64_t)jint(z->metrics, "delegations"));
	store_u64s(sig, (uint64_t)jint(z->metrics, "signed_delegations"));
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

int ssr_store_zone_snapshot_put(ssr_store_t *st, const char *zone, const char *date,
                                const char *metrics, ssr_diag_t *diag)
{
	json_error_t je;
	json_t *m = json_loads(metrics ? metrics : "", 0, &je);
	if (!json_is_object(m)) {
		json_decref(m);
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "store: zone '%s' %s: the statistics are not a JSON object",
		                    zone, date);
	}
	zone_put_t z = {zone, date, m};
	int rc = store_in_tx(st, zone_put, &z, diag);
	json_decref(m);
	return rc;
}

static const store_field_t snapshot_fields[] = {
    STORE_FIELD(STORE_F_STR, ssr_zone_snapshot_t, zone),
    STORE_FIELD(STORE_F_STR, ssr_zone_snapshot_t, date),
    STORE_FIELD(STORE_F_BOOL, ssr_zone_snapshot_t, has_serial),
    STORE_FIELD(STORE_F_I64, ssr_zone_snapshot_t, serial),
    STORE_FIELD(STORE_F_I64, ssr_zone_snapshot_t, bytes),
    STORE_FIELD(STORE_F_STR, ssr_zone_snapshot_t, metrics),
};
#define NSNAPSHOT (sizeof(snapshot_fields) / sizeof(snapshot_fields[0]))

void ssr_store_zone_snapshots_free(ssr_zone_snapshot_t *rows, size_t n)
{
	store_structs_free(snapshot_fields, NSNAPSHOT, rows, n, sizeof(*rows));
}

int ssr_store_zone_snapshots(ssr_store_t *st, const char *zone, ssr_zone_snapshot_t **rows,
                             size_t *n, ssr_diag_t *diag)
{
	const char *p[] = {zone};
	void *r = NULL;
	size_t k = 0;
	int rc = store_query_structs(
	    st,
	    "SELECT zone, snapshot_date, serial IS NOT NULL, serial, bytes, metrics"
	    " FROM zone_snapshot WHERE (CAST($1 AS TEXT) IS NULL OR zone = $1)"
	    " ORDER BY zone, snapshot_date",
	    1, p, snapshot_fields, NSNAPSHOT, sizeof(ssr_zone_snapshot_t), &r, &k, diag);
	*rows = r;
	*n = k;
	return rc;
}
