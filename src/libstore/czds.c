/* ssrwatch — zone-data access (CZDS) days in the store (czdsstore.h). */
#include <stdio.h>
#include <stdlib.h>

#include "ssrwatch/czdsstore.h"
#include "store_priv.h"

/* the int columns come as int64 and are copied into the row's ints */
typedef struct {
	ssr_czds_row_t r;
	int64_t downloaded, on_time, fresh, http_status;
} wide_t;

static const store_field_t wide_fields[] = {
    STORE_FIELD(STORE_F_TEXT, wide_t, r.day),
    STORE_FIELD(STORE_F_TEXT, wide_t, r.tld),
    STORE_FIELD(STORE_F_TEXT, wide_t, r.status),
    STORE_FIELD(STORE_F_TEXT, wide_t, r.expires),
    {STORE_F_I64, offsetof(wide_t, r.bytes), 0},
    {STORE_F_I64, offsetof(wide_t, r.records), 0},
    {STORE_F_I64, offsetof(wide_t, r.serial_file), 0},
    {STORE_F_I64, offsetof(wide_t, r.serial_live), 0},
    STORE_FIELD(STORE_F_TEXT, wide_t, r.zonemd),
    STORE_FIELD(STORE_F_TEXT, wide_t, r.error),
    {STORE_F_I64, offsetof(wide_t, downloaded), 0},
    {STORE_F_I64, offsetof(wide_t, on_time), 0},
    {STORE_F_I64, offsetof(wide_t, fresh), 0},
    {STORE_F_I64, offsetof(wide_t, http_status), 0},
};

#define COLS                                                                                       \
	"day, tld, status, expires, bytes, records, serial_file, serial_live, zonemd, error,"      \
	" downloaded, on_time, fresh, http_status"

int ssr_store_czds_put(ssr_store_t *st, const ssr_czds_row_t *r, ssr_diag_t *diag)
{
	store_num_t b = store_num(r->bytes), rec = store_num(r->records),
	            sf = store_num(r->serial_file), sl = store_num(r->serial_live),
	            dl = store_num(r->downloaded), ot = store_num(r->on_time),
	            fr = store_num(r->fresh), hs = store_num(r->http_status);
	const char *v[] = {r->day, r->tld,    r->status, r->expires, b.v,  rec.v, sf.v,
	                   sl.v,   r->zonemd, r->error,  dl.v,       ot.v, fr.v,  hs.v};
	int rc = store_db_begin(st->db, diag);
	const char *k[] = {r->day, r->tld};
	if (rc == SSR_EOK) {
		rc = store_db_exec(st->db, "DELETE FROM czds_day WHERE day = $1 AND tld = $2", 2, k,
		                   NULL, NULL, diag);
	}
	if (rc == SSR_EOK) {
		rc =
		    store_db_exec(st->db,
		                  "INSERT INTO czds_day (" COLS ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,"
		                  "$9,$10,$11,$12,$13,$14)",
		                  14, v, NULL, NULL, diag);
	}
	if (rc != SSR_EOK) {
		store_db_rollback(st->db);
		return rc;
	}
	return store_db_commit(st->db, diag);
}

static void narrow(const wide_t *w, ssr_czds_row_t *r)
{
	*r = w->r;
	r->downloaded = (int)w->downloaded;
	r->on_time = (int)w->on_time;
	r->fresh = (int)w->fresh;
	r->http_status = (int)w->http_status;
}

int ssr_store_czds_rows(ssr_store_t *st, const char *from, const char *to, ssr_czds_row_t **rows,
                        size_t *n, ssr_diag_t *diag)
{
	*rows = NULL;
	*n = 0;
	const char *p[] = {from, to};
	void *w = NULL;
	size_t k = 0;
	int rc = store_query_structs(st,
	                             "SELECT " COLS " FROM czds_day"
	                             " WHERE (CAST($1 AS TEXT) IS NULL OR day >= $1)"
	                             " AND (CAST($2 AS TEXT) IS NULL OR day <= $2)"
	                             " ORDER BY tld, day",
	                             2, p, wide_fields, NFIELDS(wide_fields), sizeof(wide_t), &w,
	                             &k, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	ssr_czds_row_t *r = calloc(k ? k : 1, sizeof(*r));
	if (r == NULL) {
		free(w);
		return ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
	}
	for (size_t i = 0; i < k; i++) {
		narrow((const wide_t *)w + i, &r[i]);
	}
	free(w);
	*rows = r;
	*n = k;
	return SSR_EOK;
}

int ssr_store_czds_before(ssr_store_t *st, const char *tld, const char *day, ssr_czds_row_t *out,
                          ssr_diag_t *diag)
{
	const char *p[] = {tld, day};
	wide_t w;
	int rc = store_query_struct(st,
	                            "SELECT " COLS " FROM czds_day WHERE tld = $1 AND day < $2"
	                            " ORDER BY day DESC LIMIT 1",
	                            2, p, wide_fields, NFIELDS(wide_fields), &w, sizeof w, diag);
	if (rc == SSR_EOK) {
		narrow(&w, out);
	}
	return rc;
}
