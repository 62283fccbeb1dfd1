/* libstore: small query helpers shared by the entity files: typed rows by a field table, one
 * integer, decimal text of integers. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_priv.h"

store_num_t store_num(int64_t v)
{
	store_num_t n;
	snprintf(n.v, sizeof(n.v), "%" PRId64, v);
	return n;
}

int64_t store_to_i64(const char *s)
{
	return s ? strtoll(s, NULL, 10) : 0;
}

int store_first_i64(int n, const char *const *v, void *ctx)
{
	if (n > 0) {
		*(int64_t *)ctx = store_to_i64(v[0]);
	}
	return SSR_EOK;
}

/* One integer from the first row; *out left at 0 if there is none. */
int store_query_i64(ssr_store_t *st, const char *sql, int np, const char *const *p, int64_t *out,
                    ssr_diag_t *diag)
{
	*out = 0;
	return store_db_exec(st->db, sql, np, p, store_first_i64, out, diag);
}

/* ---- typed rows ------------------------------------------------------------------------------ */

typedef struct {
	const store_field_t *f;
	size_t nf, size;
	char *rows; /* the structs */
	size_t n, cap;
	bool one; /* stop after the first row */
	int err;
} structs_t;

void store_struct_release(const store_field_t *fields, size_t nfields, void *row)
{
	for (size_t i = 0; i < nfields; i++) {
		if (fields[i].type == STORE_F_STR) {
			char **sp = (char **)((char *)row + fields[i].off);
			free(*sp);
			*sp = NULL;
		}
	}
}

static int fill(const store_field_t *f, size_t nf, int n, const char *const *v, char *row)
{
	if (n < 0 || (size_t)n != nf) {
		return SSR_ESTORE; /* the select and the field table disagree */
	}
	for (size_t i = 0; i < nf; i++) {
		char *m = row + f[i].off;
		switch (f[i].type) {
		case STORE_F_I64:
			*(int64_t *)m = store_to_i64(v[i]);
			break;
		case STORE_F_F64:
			*(double *)m = v[i] ? strtod(v[i], NULL) : 0.0;
			break;
		case STORE_F_BOOL: /* 0/1, or PostgreSQL's t/f for a boolean expression */
			*(bool *)m = v[i] != NULL && (v[i][0] == 't' || store_to_i64(v[i]) != 0);
			break;
		case STORE_F_TEXT: {
			size_t l = v[i] ? strlen(v[i]) : 0;
			if (l >= f[i].cap) {
				return SSR_ELIMIT; /* never cut a stored value silently */
			}
			memcpy(m, v[i] ? v[i] : "", l + 1);
			break;
		}
		case STORE_F_STR:
			if (v[i] != NULL && (*(char **)m = strdup(v[i])) == NULL) {
				return SSR_ENOMEM;
			}
			break;
		}
	}
	return SSR_EOK;
}

static int row_struct(int n, const char *const *v, void *ctx)
{
	structs_t *s = ctx;
	if (s->one && s->n == 1) {
		return SSR_EOK;
	}
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		char *nr = realloc(s->rows, nc * s->size);
		if (nr == NULL) {
			return s->err = SSR_ENOMEM;
		}
		s->rows = nr;
		s->cap = nc;
	}
	char *row = s->rows + s->n * s->size;
	memset(row, 0, s->size);
	s->n++;
	int rc = fill(s->f, s->nf, n, v, row);
	return rc != SSR_EOK ? (s->err = rc) : SSR_EOK;
}

static void structs_free(structs_t *s)
{
	for (size_t i = 0; i < s->n; i++) {
		store_struct_release(s->f, s->nf, s->rows + i * s->size);
	}
	free(s->rows);
}

static int struct_error(const structs_t *s, ssr_diag_t *diag)
{
	return ssr_diag_set(diag, s->err, "store: %s",
	                    s->err == SSR_ELIMIT   ? "a stored value is longer than its field"
	                    : s->err == SSR_ENOMEM ? "out of memory"
	                                           : "a query's columns do not match its struct");
}

int store_query_structs(ssr_store_t *st, const char *sql, int np, const char *const *p,
                        const store_field_t *fields, size_t nfields, size_t size, void **out,
                        size_t *n, ssr_diag_t *diag)
{
	structs_t s = {.f = fields, .nf = nfields, .size = size};
	int rc = store_db_exec(st->db, sql, np, p, row_struct, &s, diag);
	if (rc == SSR_EOK && s.err != SSR_EOK) {
		rc = struct_error(&s, diag);
	}
	if (rc != SSR_EOK) {
		structs_free(&s);
		*out = NULL;
		*n = 0;
		return rc;
	}
	*out = s.rows;
	*n = s.n;
	return SSR_EOK;
}

void store_structs_free(const store_field_t *fields, size_t nfields, void *rows, size_t n,
                        size_t size)
{
	for (size_t i = 0; rows != NULL && i < n; i++) {
		store_struct_release(fields, nfields, (char *)rows + i * size);
	}
	free(rows);
}

int store_query_struct(ssr_store_t *st, const char *sql, int np, const char *const *p,
                       const store_field_t *fields, size_t nfields, void *out, size_t size,
                       ssr_diag_t *diag)
{
	structs_t s = {.f = fields, .nf = nfields, .size = size, .one = true};
	int rc = store_db_exec(st->db, sql, np, p, row_struct, &s, diag);
	if (rc == SSR_EOK && s.err != SSR_EOK) {
		rc = struct_error(&s, diag);
	}
	if (rc == SSR_EOK && s.n == 0) {
		rc = SSR_ENOTFOUND;
	}
	if (rc == SSR_EOK) {
		memcpy(out, s.rows, size);
		free(s.rows);
		return SSR_EOK;
	}
	structs_free(&s);
	return rc;
}

/* Decimal text of v (no printf: this runs for every stored row). */
void store_u64s(char out[24], uint64_t v)
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

uint64_t store_to_u64(const char *s)
{
	return s ? strtoull(s, NULL, 10) : 0;
}
