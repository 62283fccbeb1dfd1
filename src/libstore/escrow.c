/* ssrwatch — escrow validations and restore drills in the store (escrowstore.h). */
#include <stdio.h>
#include <stdlib.h>

#include "ssrwatch/escrowstore.h"
#include "store_priv.h"

static store_num_t flag(bool b)
{
	return store_num(b ? 1 : 0);
}

static void real(double v, char out[40])
{
	snprintf(out, 40, "%.6f", v);
}

int ssr_store_escrow_check_put(ssr_store_t *st, const ssr_escrow_check_row_t *r, ssr_diag_t *diag)
{
	store_num_t rs = store_num(r->resend), va = flag(r->valid), co = store_num(r->codes),
	            dm = store_num(r->domains);
	char sec[40];
	real(r->seconds, sec);
	const char *v[] = {r->checked, r->file, r->tld, r->type,      r->deposit_id, r->watermark,
	                   rs.v,       va.v,    co.v,   r->code_list, dm.v,          sec};
	const char *k[] = {r->checked, r->file};
	int rc = store_db_begin(st->db, diag);
	if (rc == SSR_EOK) {
		rc = store_db_exec(st->db,
		                   "DELETE FROM escrow_check WHERE checked = $1 AND file = $2", 2,
		                   k, NULL, NULL, diag);
	}
	if (rc == SSR_EOK) {
		rc = store_db_exec(st->db,
		                   "INSERT INTO escrow_check (checked, file, tld, type, deposit_id,"
		                   " watermark, resend, valid, codes, code_list, domains, seconds)"
		                   " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
		                   12, v, NULL, NULL, diag);
	}
	if (rc != SSR_EOK) {
		store_db_rollback(st->db);
		return rc;
	}
	return store_db_commit(st->db, diag);
}

#define DRILL_COLS                                                                                 \
	"drilled, tld, full_id, watermark, server, diffs, signed, decrypt_s, parse_s, build_s,"    \
	" sign_s, load_s, verify_s, answering_s, threshold_s, delegations, checked, matched, "     \
	"passed"

int ssr_store_escrow_drill_put(ssr_store_t *st, const ssr_escrow_drill_row_t *r, ssr_diag_t *diag)
{
	store_num_t df = store_num(r->diffs), sg = flag(r->signed_zone),
	            de = store_num(r->delegations), ch = store_num(r->checked),
	            ma = store_num(r->matched), pa = flag(r->passed);
	char t[8][40];
	const double d[8] = {r->decrypt_s, r->parse_s,  r->build_s,     r->sign_s,
	                     r->load_s,    r->verify_s, r->answering_s, r->threshold_s};
	for (int i = 0; i < 8; i++) {
		real(d[i], t[i]);
	}
	const char *v[] = {r->drilled, r->tld, r->full_id, r->watermark, r->server, df.v, sg.v,
	                   t[0],       t[1],   t[2],       t[3],         t[4],      t[5], t[6],
	                   t[7],       de.v,   ch.v,       ma.v,         pa.v};
	const char *k[] = {r->drilled, r->tld};
	int rc = store_db_begin(st->db, diag);
	if (rc == SSR_EOK) {
		rc = store_db_exec(st->db,
		                   "DELETE FROM escrow_drill WHERE drilled = $1 AND tld = $2", 2, k,
		                   NULL, NULL, diag);
	}
	if (rc == SSR_EOK) {
		rc = store_db_exec(st->db,
		                   "INSERT INTO escrow_drill (" DRILL_COLS
		                   ") VALUES ($1,$2,$3,$4,$5,$6,"
		                   "$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)",
		                   19, v, NULL, NULL, diag);
	}
	if (rc != SSR_EOK) {
		store_db_rollback(st->db);
		return rc;
	}
	return store_db_commit(st->db, diag);
}

static const store_field_t drill_fields[] = {
    STORE_FIELD(STORE_F_TEXT, ssr_escrow_drill_row_t, drilled),
    STORE_FIELD(STORE_F_TEXT, ssr_escrow_drill_row_t, tld),
    STORE_FIELD(STORE_F_TEXT, ssr_escrow_drill_row_t, full_id),
    STORE_FIELD(STORE_F_TEXT, ssr_escrow_drill_row_t, watermark),
    STORE_FIELD(STORE_F_TEXT, ssr_escrow_drill_row_t, server),
    {STORE_F_I64, offsetof(ssr_escrow_drill_row_t, diffs), 0},
    {STORE_F_BOOL, offsetof(ssr_escrow_drill_row_t, signed_zone), 0},
    {STORE_F_F64, offsetof(ssr_escrow_drill_row_t, decrypt_s), 0},
    {STORE_F_F64, offsetof(ssr_escrow_drill_row_t, parse_s), 0},
    {STORE_F_F64, offsetof(ssr_escrow_drill_row_t, build_s), 0},
    {STORE_F_F64, offsetof(ssr_escrow_drill_row_t, sign_s), 0},
    {STORE_F_F64, offsetof(ssr_escrow_drill_row_t, load_s), 0},
    {STORE_F_F64, offsetof(ssr_escrow_drill_row_t, verify_s), 0},
    {STORE_F_F64, offsetof(ssr_escrow_drill_row_t, answering_s), 0},
    {STORE_F_F64, offsetof(ssr_escrow_drill_row_t, threshold_s), 0},
    {STORE_F_I64, offsetof(ssr_escrow_drill_row_t, delegations), 0},
    {STORE_F_I64, offsetof(ssr_escrow_drill_row_t, checked), 0},
    {STORE_F_I64, offsetof(ssr_escrow_drill_row_t, matched), 0},
    {STORE_F_BOOL, offsetof(ssr_escrow_drill_row_t, passed), 0},
};

int ssr_store_escrow_drills(ssr_store_t *st, ssr_escrow_drill_row_t **rows, size_t *n,
                            ssr_diag_t *diag)
{
	void *w = NULL;
	size_t k = 0;
	int rc = store_query_structs(
	    st, "SELECT " DRILL_COLS " FROM escrow_drill ORDER BY drilled DESC, tld", 0, NULL,
	    drill_fields, NFIELDS(drill_fields), sizeof(ssr_escrow_drill_row_t), &w, &k, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	*rows = w;
	*n = k;
	return SSR_EOK;
}
