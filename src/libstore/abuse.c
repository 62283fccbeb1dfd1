/* ssrwatch — the store's abuse tables: snapshots per TLD and date, the listed and delegated
 * domains, registrars, their domains under management, prices; readers ordered for reports. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_priv.h"
#include "ssrwatch/abusestore.h"

/* ---- abuse: writes --------------------------------------------------------------- */

static int abuse_snapshot_put(ssr_store_t *st, const void *arg, ssr_diag_t *diag)
{
	const ssr_abuse_snapshot_t *s = arg;
	const char *key[] = {s->tld, s->date};
	int rc = store_db_exec(
	    st->db, "DELETE FROM abuse_listing_part WHERE tld = $1 AND snapshot_date = $2", 2, key,
	    NULL, NULL, diag);
	if (rc == SSR_EOK) {
		rc = store_db_exec(
		    st->db, "DELETE FROM registrar_domains WHERE tld = $1 AND snapshot_date = $2",
		    2, key, NULL, NULL, diag);
	}
	if (rc == SSR_EOK) {
		rc = store_db_exec(
		    st->db, "DELETE FROM abuse_imitation WHERE tld = $1 AND snapshot_date = $2", 2,
		    key, NULL, NULL, diag);
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	char size[24], listed[24], inzone[24];
	store_u64s(size, s->zone_size);
	store_u64s(listed, s->listed);
	store_u64s(inzone, s->listed_in_zone);
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

int ssr_store_abuse_snapshot_put(ssr_store_t *st, const ssr_abuse_snapshot_t *s, ssr_diag_t *diag)
{
	return store_in_tx(st, abuse_snapshot_put, s, diag);
}

int ssr_store_abuse_rows_begin(ssr_store_t *st, ssr_diag_t *diag)
{
	if (!st->in_tx) {
		return ssr_diag_set(diag, SSR_EINVAL, "store: abuse rows outside a transaction");
	}
	return store_lparts_begin(st, diag);
}

int ssr_store_abuse_row_put(ssr_store_t *st, const char *tld, const char *date,
                            const ssr_abuse_row_t *r, ssr_diag_t *diag)
{
	return store_lparts_put(st, tld, date, r, diag);
}

int ssr_store_abuse_rows_end(ssr_store_t *st, ssr_diag_t *diag)
{
	return store_lparts_end(st, diag);
}

int ssr_store_registrar_domains_put(ssr_store_t *st, const char *tld, const char *date,
                                    uint64_t registrar, uint64_t domains, ssr_diag_t *diag)
{
	char r[24], d[24];
	store_u64s(r, registrar);
	store_u64s(d, domains);
	const char *p[] = {tld, date, r, d};
	return store_db_exec(
	    st->db,
	    "INSERT INTO registrar_domains (tld, snapshot_date, registrar, domains)"
	    " VALUES ($1,$2,$3,$4) ON CONFLICT (tld, snapshot_date, registrar)"
	    " DO UPDATE SET domains=excluded.domains",
	    4, p, NULL, NULL, diag);
}

int ssr_store_registrar_put(ssr_store_t *st, uint64_t iana_id, const char *name, ssr_diag_t *diag)
{
	char id[24];
	store_u64s(id, iana_id);
	const char *p[] = {id, name};
	return store_db_exec(st->db,
	                     "INSERT INTO registrar (iana_id, name) VALUES ($1,$2)"
	                     " ON CONFLICT (iana_id) DO UPDATE SET name=excluded.name",
	                     2, p, NULL, NULL, diag);
}

int ssr_store_price_put(ssr_store_t *st, const char *kind, const char *subject, const char *date,
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
		ssr_store_snapshot_fn snapshot;
		ssr_store_dum_fn dum;
		ssr_store_registrar_fn registrar;
		ssr_store_price_fn price;
		ssr_store_imitation_fn imitation;
	} fn;
	void *ctx;
} cb_t;

int ssr_store_abuse_open_listings(ssr_store_t *st, const char *tld, const char *date,
                                  ssr_store_domain_fn fn, void *ctx, ssr_diag_t *diag)
{
	return store_lparts_open(st, tld, date, fn, ctx, diag);
}

static int snapshot_row(int n, const char *const *v, void *ctx)
{
	cb_t *c = ctx;
	(void)n;
	ssr_abuse_snapshot_t s = {.tld = v[0],
	                          .date = v[1],
	                          .zone_file = v[2],
	                          .zone_size = store_to_u64(v[3]),
	                          .listed = store_to_u64(v[4]),
	                          .listed_in_zone = store_to_u64(v[5]),
	                          .index_origin = v[6],
	                          .has_registrations = store_to_u64(v[7]) != 0,
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

int ssr_store_abuse_rows(ssr_store_t *st, const char *to, ssr_store_row_fn fn, void *ctx,
                         ssr_diag_t *diag)
{
	return store_lparts_rows(st, to, fn, ctx, diag);
}

static int dum_row(int n, const char *const *v, void *ctx)
{
	cb_t *c = ctx;
	(void)n;
	return c->fn.dum(v[0], v[1], store_to_u64(v[2]), store_to_u64(v[3]), c->ctx);
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
	return c->fn.registrar(store_to_u64(v[0]), v[1], c->ctx);
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

/* ---- imitations ----------------------------------------------------------------------- */

int ssr_store_abuse_imitation_put(ssr_store_t *st, const char *tld, const char *date,
                                  const ssr_abuse_imitation_t *im, ssr_diag_t *diag)
{
	if (!st->in_tx) {
		return ssr_diag_set(diag, SSR_EINVAL, "store: an imitation outside a transaction");
	}
	char score[32];
	snprintf(score, sizeof score, "%.4f", im->score);
	const char *p[] = {tld,       date,  im->host,     im->brand,   im->domain,
	                   im->kinds, score, im->position, im->provider};
	return store_db_exec(st->db,
	                     "INSERT INTO abuse_imitation (tld, snapshot_date, host, brand, domain,"
	                     " kinds, score, position, provider)"
	                     " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
	                     9, p, NULL, NULL, diag);
}

static int imitation_row(int n, const char *const *v, void *ctx)
{
	cb_t *c = ctx;
	(void)n;
	ssr_abuse_imitation_t im = {.host = v[2],
	                            .brand = v[3],
	                            .domain = v[4],
	                            .kinds = v[5],
	                            .score = strtod(v[6], NULL),
	                            .position = v[7],
	                            .provider = v[8]};
	return c->fn.imitation(v[0], v[1], &im, c->ctx);
}

int ssr_store_abuse_imitations(ssr_store_t *st, const char *from, const char *to,
                               ssr_store_imitation_fn fn, void *ctx, ssr_diag_t *diag)
{
	cb_t c = {.fn.imitation = fn, .ctx = ctx};
	const char *p[] = {from, to};
	return store_db_exec(st->db,
	                     "SELECT tld, snapshot_date, host, brand, domain, kinds, score,"
	                     " position, provider FROM abuse_imitation"
	                     " WHERE snapshot_date >= $1 AND snapshot_date <= $2"
	                     " ORDER BY tld, snapshot_date, host, brand",
	                     2, p, imitation_row, &c, diag);
}
