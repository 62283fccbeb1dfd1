/* ssrwatch — what the store's entity files share.  Private to libstore. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "ssrwatch/store.h"

struct ssr_store {
	store_db_t *db;
	bool in_tx;
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

#pragma GCC visibility pop
