/* ssrwatch — what the store's entity files share.  Private to libstore. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "ssrwatch/abusestore.h"
#include "ssrwatch/store.h"

/* ---- abuse listing parts (listing.c) ------------------------------------------------------- */

#define STORE_LPART_ROWS 4096 /* rows of one part at most */
#define STORE_LPART_TEXT 4096 /* a domain, a feed set at most */

/* One part being written: rows appended in domain order, then finished into a blob. */
typedef struct {
	uint8_t *raw;
	size_t len, cap;
	char **feeds; /* this part's distinct feed sets */
	unsigned nfeeds, last_feed;
	uint32_t nrows;     /* in this part */
	uint64_t nrows_all; /* in the snapshot */
	char last[STORE_LPART_TEXT + 1];
	size_t last_len;
	/* the snapshot the rows belong to, and the next part's number */
	char tld[256], date[11];
	unsigned part;
	bool open;
} store_lpart_writer_t;

/* A decoded part: rows whose strings are offsets + 1 into text (0: NULL). */
typedef struct {
	uint32_t domain, feeds, date[3]; /* feed_first_seen, zone_first_seen, created */
	uint32_t categories;
	uint64_t registrar;
	bool listed, in_zone;
} store_lrow_t;

typedef struct {
	store_lrow_t *row;
	size_t n;
	char *text;
	size_t tlen, tcap;
} store_lpart_t;

struct ssr_store {
	store_db_t *db;
	bool in_tx;
	store_lpart_writer_t *lw; /* abuse rows between rows_begin and rows_end */
};

/* Library-internal: not part of the library's interface (hidden when built shared). */
#pragma GCC visibility push(hidden)

/* Decimal text of v into out (no printf: this runs for every stored row). */
void store_u64s(char out[24], uint64_t v);
uint64_t store_to_u64(const char *s);
/* Run body(st, arg) in its own transaction unless one is open. */
int store_in_tx(ssr_store_t *st, int (*body)(ssr_store_t *, const void *, ssr_diag_t *),
                const void *arg, ssr_diag_t *diag);

/* Decimal text of an integer, for statement parameters. */
typedef struct {
	char v[24];
} store_num_t;
store_num_t store_num(int64_t v);
int64_t store_to_i64(const char *s);
/* Row callback: the first column of a row as an integer into *(int64_t *)ctx. */
int store_first_i64(int n, const char *const *v, void *ctx);
/* One integer from the first row; *out left at 0 if there is none. */
int store_query_i64(ssr_store_t *st, const char *sql, int np, const char *const *p, int64_t *out,
                    ssr_diag_t *diag);

/* ---- typed rows: a column -> struct member table ------------------------------------------- */

typedef enum {
	STORE_F_I64,  /* int64_t; NULL is 0 */
	STORE_F_BOOL, /* bool from 0/1 or t/f */
	STORE_F_F64,  /* double (strtod of the text); NULL is 0 */
	STORE_F_TEXT, /* char[cap] inline; NULL is ""; longer than cap - 1: SSR_ELIMIT */
	STORE_F_STR,  /* char * (malloc'd, the caller frees); NULL stays NULL */
} store_ftype_t;

typedef struct {
	store_ftype_t type;
	size_t off, cap;
} store_field_t;

/* The number of entries of a field table. */
#define NFIELDS(t) (sizeof(t) / sizeof((t)[0]))

/* One column as member m of struct type T. */
#define STORE_FIELD(ft, T, m)                                                                      \
	{                                                                                          \
		ft, offsetof(T, m), sizeof(((T *)0)->m)                                            \
	}

/* The first row into *out (size bytes, zeroed first) by fields (the select's columns in order);
 * SSR_ENOTFOUND (diag untouched) if there is none. */
int store_query_struct(ssr_store_t *st, const char *sql, int np, const char *const *p,
                       const store_field_t *fields, size_t nfields, void *out, size_t size,
                       ssr_diag_t *diag);
/* Every row into a new array of size-byte structs (*out, *n; store_structs_free); on an error
 * *out is NULL and *n 0. */
int store_query_structs(ssr_store_t *st, const char *sql, int np, const char *const *p,
                        const store_field_t *fields, size_t nfields, size_t size, void **out,
                        size_t *n, ssr_diag_t *diag);
/* Free the STORE_F_STR members of one struct. */
void store_struct_release(const store_field_t *fields, size_t nfields, void *row);
/* Free n structs from store_query_structs and their array. */
void store_structs_free(const store_field_t *fields, size_t nfields, void *rows, size_t n,
                        size_t size);

/* Listing parts (listing.c): a writer's rows in strict domain order (else SSR_EINVAL), each
 * part finished into a malloc'd blob; a blob decoded into *out (what: names it in errors,
 * SSR_ECORRUPT with the offset); row i of a decoded part as the public row type (pointers into
 * the part). */
void store_lpart_writer_init(store_lpart_writer_t *w);
void store_lpart_writer_release(store_lpart_writer_t *w);
int store_lpart_add(store_lpart_writer_t *w, const ssr_abuse_row_t *r, ssr_diag_t *diag);
int store_lpart_finish(store_lpart_writer_t *w, uint8_t **blob, size_t *len, ssr_diag_t *diag);
int store_lpart_decode(const uint8_t *blob, size_t len, const char *what, store_lpart_t *out,
                       ssr_diag_t *diag);
void store_lpart_release(store_lpart_t *p);
void store_lpart_row(const store_lpart_t *p, size_t i, ssr_abuse_row_t *r);
/* lparts.c: the parts in the database.  begin/put/end write one snapshot's rows (strict
 * domain order, one (tld, date)); release drops a writer left open; open calls fn with the
 * listed and delegated domains of (tld, date) in order; rows calls fn with every row up to
 * `to` in (tld, domain, date) order; convert is the migration to schema 15 (the rows of the
 * old abuse_listing table into parts, then the table dropped, in the migration's transaction). */
int store_lparts_begin(ssr_store_t *st, ssr_diag_t *diag);
int store_lparts_put(ssr_store_t *st, const char *tld, const char *date, const ssr_abuse_row_t *r,
                     ssr_diag_t *diag);
int store_lparts_end(ssr_store_t *st, ssr_diag_t *diag);
void store_lparts_release(ssr_store_t *st);
int store_lparts_open(ssr_store_t *st, const char *tld, const char *date, ssr_store_domain_fn fn,
                      void *ctx, ssr_diag_t *diag);
int store_lparts_rows(ssr_store_t *st, const char *to, ssr_store_row_fn fn, void *ctx,
                      ssr_diag_t *diag);
int store_lparts_convert(ssr_store_t *st, ssr_diag_t *diag);

#pragma GCC visibility pop
