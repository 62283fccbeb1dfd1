/* ssrwatch — the store's abuse listing parts in the database (abuse_listing_part, schema 15):
 * written part by part as the rows come, read back one snapshot at a time or merged over the
 * snapshots of each TLD in (domain, date) order, and the schema-15 conversion of the old
 * one-row-per-domain table.  The encoding is listing.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/arena.h"
#include "store_priv.h"

/* The writer's current part into abuse_listing_part. */
static int lpart_flush(ssr_store_t *st, store_lpart_writer_t *w, ssr_diag_t *diag)
{
	if (w->nrows == 0) {
		return SSR_EOK;
	}
	char part[24], rows[24];
	store_u64s(part, w->part);
	store_u64s(rows, w->nrows);
	uint8_t *blob;
	size_t len;
	int rc = store_lpart_finish(w, &blob, &len, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *p[] = {w->tld, w->date, part, rows};
	rc = store_db_put_blob(
	    st->db,
	    "INSERT INTO abuse_listing_part (tld, snapshot_date, part, rows, data)"
	    " VALUES ($1,$2,$3,$4,$5)",
	    4, p, blob, len, diag);
	free(blob);
	w->part++;
	return rc;
}

void store_lparts_release(ssr_store_t *st)
{
	if (st->lw != NULL) {
		store_lpart_writer_release(st->lw);
		free(st->lw);
		st->lw = NULL;
	}
}

int store_lparts_begin(ssr_store_t *st, ssr_diag_t *diag)
{
	store_lparts_release(st);
	st->lw = malloc(sizeof(*st->lw));
	if (st->lw == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
	}
	store_lpart_writer_init(st->lw);
	return SSR_EOK;
}

int store_lparts_put(ssr_store_t *st, const char *tld, const char *date, const ssr_abuse_row_t *r,
                     ssr_diag_t *diag)
{
	store_lpart_writer_t *w = st->lw;
	if (w == NULL) {
		return ssr_diag_set(diag, SSR_EINVAL, "store: an abuse row outside rows_begin/end");
	}
	if (!w->open) {
		if (strlen(tld) >= sizeof(w->tld) || strlen(date) >= sizeof(w->date)) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "store: abuse rows of '%.64s' '%.16s': too long", tld,
			                    date);
		}
		snprintf(w->tld, sizeof(w->tld), "%s", tld);
		snprintf(w->date, sizeof(w->date), "%s", date);
		w->open = true;
	} else if (strcmp(w->tld, tld) != 0 || strcmp(w->date, date) != 0) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "store: abuse rows of '%.64s' %.16s among those of '%s' %s",
		                    tld, date, w->tld, w->date);
	}
	int rc = store_lpart_add(w, r, diag);
	if (rc == SSR_EOK && w->nrows == STORE_LPART_ROWS) {
		rc = lpart_flush(st, w, diag);
	}
	return rc;
}

int store_lparts_end(ssr_store_t *st, ssr_diag_t *diag)
{
	int rc = st->lw ? lpart_flush(st, st->lw, diag) : SSR_EOK;
	store_lparts_release(st);
	return rc;
}

#define LPART_MAX_BLOB (80u << 20) /* one stored part; the writer's are far smaller */

/* Part `part` of (tld, date) decoded into *out. */
static int lpart_load(ssr_store_t *st, const char *tld, const char *date, unsigned part,
                      store_lpart_t *out, ssr_diag_t *diag)
{
	char pn[24];
	store_u64s(pn, part);
	const char *p[] = {tld, date, pn};
	uint8_t *blob;
	size_t len;
	int rc = store_db_get_blob(st->db,
	                           "SELECT data FROM abuse_listing_part"
	                           " WHERE tld = $1 AND snapshot_date = $2 AND part = $3",
	                           3, p, LPART_MAX_BLOB, &blob, &len, diag);
	if (rc == SSR_ENOTFOUND) {
		return ssr_diag_set(diag, SSR_ESTORE,
		                    "store '%s': abuse listing part %u of '%s' %s is missing",
		                    store_db_name(st->db), part, tld, date);
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	char what[400];
	snprintf(what, sizeof(what), "store '%s': abuse listing part %u of '%s' %s",
	         store_db_name(st->db), part, tld, date);
	rc = store_lpart_decode(blob, len, what, out, diag);
	free(blob);
	return rc;
}

static int lpart_count(ssr_store_t *st, const char *tld, const char *date, unsigned *n,
                       ssr_diag_t *diag)
{
	const char *p[] = {tld, date};
	int64_t v = 0;
	int rc = store_query_i64(
	    st, "SELECT COUNT(*) FROM abuse_listing_part WHERE tld = $1 AND snapshot_date = $2", 2,
	    p, &v, diag);
	*n = (unsigned)v;
	return rc;
}

int store_lparts_open(ssr_store_t *st, const char *tld, const char *date, ssr_store_domain_fn fn,
                      void *ctx, ssr_diag_t *diag)
{
	unsigned nparts;
	int rc = lpart_count(st, tld, date, &nparts, diag);
	store_lpart_t part = {0};
	for (unsigned k = 0; k < nparts && rc == SSR_EOK; k++) {
		rc = lpart_load(st, tld, date, k, &part, diag);
		for (size_t i = 0; i < part.n && rc == SSR_EOK; i++) {
			ssr_abuse_row_t r;
			store_lpart_row(&part, i, &r);
			if (r.listed && r.in_zone) {
				rc = fn(r.domain, ctx);
			}
		}
	}
	store_lpart_release(&part);
	return rc;
}

/* ---- every row, ordered by (tld, domain, date): one cursor per snapshot, merged --------- */

typedef struct {
	char tld[256], date[11];
	unsigned nparts;
} lsnap_t;

typedef struct {
	lsnap_t *v;
	size_t n, cap;
	int err;
} lsnaps_t;

static int lsnap_row(int n, const char *const *v, void *ctx)
{
	lsnaps_t *s = ctx;
	if (n < 3 || v[0] == NULL || v[1] == NULL || v[2] == NULL) {
		return s->err = SSR_ESTORE;
	}
	if (ssr_grow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v)) != SSR_EOK) {
		return s->err = SSR_ENOMEM;
	}
	lsnap_t *x = &s->v[s->n++];
	snprintf(x->tld, sizeof(x->tld), "%s", v[0]);
	snprintf(x->date, sizeof(x->date), "%s", v[1]);
	x->nparts = (unsigned)store_to_u64(v[2]);
	return SSR_EOK;
}

typedef struct {
	const lsnap_t *s;
	unsigned part;
	store_lpart_t p;
	size_t i;
	ssr_abuse_row_t row; /* the current one */
} lcur_t;

/* Cursor order: domain, then snapshot date (cursors are made in date order). */
static bool lcur_less(const lcur_t *c, size_t a, size_t b)
{
	int d = strcmp(c[a].row.domain, c[b].row.domain);
	return d < 0 || (d == 0 && a < b);
}

static void heap_down(const lcur_t *c, size_t *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && lcur_less(c, h[l], h[m])) {
			m = l;
		}
		if (l + 1 < n && lcur_less(c, h[l + 1], h[m])) {
			m = l + 1;
		}
		if (m == i) {
			return;
		}
		size_t t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* The cursor's next row; *more false at the end of its snapshot. */
static int lcur_next(ssr_store_t *st, lcur_t *c, bool *more, ssr_diag_t *diag)
{
	if (c->i + 1 < c->p.n) {
		c->i++;
	} else {
		do {
			if (c->part + 1 >= c->s->nparts) {
				*more = false;
				store_lpart_release(&c->p);
				return SSR_EOK;
			}
			c->part++;
			int rc = lpart_load(st, c->s->tld, c->s->date, c->part, &c->p, diag);
			if (rc != SSR_EOK) {
				return rc;
			}
		} while (c->p.n == 0);
		c->i = 0;
	}
	store_lpart_row(&c->p, c->i, &c->row);
	*more = true;
	return SSR_EOK;
}

/* The snapshots v[0..n) of one TLD merged into fn by domain, then date. */
static int merge_tld(ssr_store_t *st, const lsnap_t *v, size_t n, ssr_store_row_fn fn, void *ctx,
                     ssr_diag_t *diag)
{
	lcur_t *c = calloc(n, sizeof(*c));
	size_t *h = calloc(n, sizeof(*h));
	int rc = c && h ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
	size_t nh = 0;
	for (size_t k = 0; k < n && rc == SSR_EOK; k++) {
		c[k].s = &v[k];
		c[k].part = 0;
		bool more = false;
		if (v[k].nparts > 0) {
			rc = lpart_load(st, v[k].tld, v[k].date, 0, &c[k].p, diag);
			if (rc == SSR_EOK && c[k].p.n > 0) {
				store_lpart_row(&c[k].p, 0, &c[k].row);
				more = true;
			} else if (rc == SSR_EOK) {
				c[k].i = 0;
				rc = lcur_next(st, &c[k], &more, diag);
			}
		}
		if (more) {
			h[nh++] = k;
		}
	}
	for (size_t i = nh; i-- > 0 && rc == SSR_EOK;) {
		heap_down(c, h, nh, i);
	}
	while (nh > 0 && rc == SSR_EOK) {
		lcur_t *x = &c[h[0]];
		rc = fn(x->s->tld, x->s->date, &x->row, ctx);
		bool more = false;
		if (rc == SSR_EOK) {
			rc = lcur_next(st, x, &more, diag);
		}
		if (!more) {
			h[0] = h[--nh];
		}
		heap_down(c, h, nh, 0);
	}
	for (size_t k = 0; c != NULL && k < n; k++) {
		store_lpart_release(&c[k].p);
	}
	free(c);
	free(h);
	return rc;
}

int store_lparts_rows(ssr_store_t *st, const char *to, ssr_store_row_fn fn, void *ctx,
                      ssr_diag_t *diag)
{
	lsnaps_t s = {0};
	const char *p[] = {to};
	int rc = store_db_exec(st->db,
	                       "SELECT tld, snapshot_date, COUNT(*) FROM abuse_listing_part"
	                       " WHERE snapshot_date <= $1 GROUP BY tld, snapshot_date"
	                       " ORDER BY tld, snapshot_date",
	                       1, p, lsnap_row, &s, diag);
	if (s.err != SSR_EOK) {
		rc = ssr_diag_set(diag, s.err, "store '%s': reading the abuse listing parts",
		                  store_db_name(st->db));
	}
	for (size_t a = 0; a < s.n && rc == SSR_EOK;) {
		size_t b = a + 1;
		while (b < s.n && strcmp(s.v[b].tld, s.v[a].tld) == 0) {
			b++;
		}
		rc = merge_tld(st, s.v + a, b - a, fn, ctx, diag);
		a = b;
	}
	free(s.v);
	return rc;
}

/* ---- schema 15: the old one-row-per-domain table into parts ---------------------------------- */

typedef struct {
	ssr_abuse_row_t *v;
	size_t n, cap;
	int err;
} oldrows_t;

static char *dup_or_null(const char *s, int *err)
{
	if (s == NULL) {
		return NULL;
	}
	char *d = strdup(s);
	if (d == NULL) {
		*err = SSR_ENOMEM;
	}
	return d;
}

static int old_row(int n, const char *const *v, void *ctx)
{
	oldrows_t *o = ctx;
	if (n < 9 || v[0] == NULL) {
		return o->err = SSR_ESTORE;
	}
	if (ssr_grow((void **)&o->v, &o->cap, o->n + 1, sizeof(*o->v)) != SSR_EOK) {
		return o->err = SSR_ENOMEM;
	}
	ssr_abuse_row_t *r = &o->v[o->n++];
	*r = (ssr_abuse_row_t){.domain = dup_or_null(v[0], &o->err),
	                       .listed = store_to_u64(v[1]) != 0,
	                       .in_zone = store_to_u64(v[2]) != 0,
	                       .categories = (uint32_t)store_to_u64(v[3]),
	                       .feeds = dup_or_null(v[4] ? v[4] : "", &o->err),
	                       .feed_first_seen = dup_or_null(v[5], &o->err),
	                       .zone_first_seen = dup_or_null(v[6], &o->err),
	                       .created = dup_or_null(v[7], &o->err),
	                       .registrar = store_to_u64(v[8])};
	return o->err;
}

static void oldrows_clear(oldrows_t *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free((char *)o->v[i].domain);
		free((char *)o->v[i].feeds);
		free((char *)o->v[i].feed_first_seen);
		free((char *)o->v[i].zone_first_seen);
		free((char *)o->v[i].created);
	}
	o->n = 0;
	o->err = SSR_EOK;
}

int store_lparts_convert(ssr_store_t *st, ssr_diag_t *diag)
{
	lsnaps_t s = {0};
	int rc = store_db_exec(st->db,
	                       "SELECT tld, snapshot_date, COUNT(*) FROM abuse_listing"
	                       " GROUP BY tld, snapshot_date ORDER BY tld, snapshot_date",
	                       0, NULL, lsnap_row, &s, diag);
	if (s.err != SSR_EOK) {
		rc = ssr_diag_set(diag, s.err, "store '%s': reading abuse_listing to convert it",
		                  store_db_name(st->db));
	}
	oldrows_t o = {0};
	for (size_t k = 0; k < s.n && rc == SSR_EOK; k++) {
		const char *p[] = {s.v[k].tld, s.v[k].date};
		rc = store_db_exec(
		    st->db,
		    "SELECT domain, listed, in_zone, categories, feeds, feed_first_seen,"
		    " zone_first_seen, created, registrar FROM abuse_listing"
		    " WHERE tld = $1 AND snapshot_date = $2 ORDER BY domain",
		    2, p, old_row, &o, diag);
		if (o.err != SSR_EOK) {
			rc = ssr_diag_set(diag, o.err,
			                  "store '%s': reading abuse_listing of '%s' %s",
			                  store_db_name(st->db), s.v[k].tld, s.v[k].date);
		}
		if (rc == SSR_EOK) {
			rc = store_lparts_begin(st, diag);
		}
		for (size_t i = 0; i < o.n && rc == SSR_EOK; i++) {
			rc = store_lparts_put(st, s.v[k].tld, s.v[k].date, &o.v[i], diag);
		}
		if (rc == SSR_EOK) {
			rc = store_lparts_end(st, diag);
		}
		store_lparts_release(st);
		oldrows_clear(&o);
	}
	free(o.v);
	free(s.v);
	if (rc == SSR_EOK) {
		rc = store_db_script(st->db, "DROP TABLE abuse_listing", diag);
	}
	return rc;
}
