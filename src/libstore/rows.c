/* libstore: small query helpers shared by the entity files: rows as JSON objects, one row,
 * one integer, decimal text of integers. */
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

/* Rows into JSON objects by a spec "name:t,name:t" (t: i integer, s string, b 0/1 as bool,
 * j JSON text parsed); NULL columns become null. */
typedef struct {
	const char *spec;
	json_t *arr;
} rows_t;

static int row_json(int n, const char *const *v, void *ctx)
{
	rows_t *r = ctx;
	json_t *o = json_object();
	if (o == NULL) {
		return SSR_ENOMEM;
	}
	const char *p = r->spec;
	for (int i = 0; i < n && *p; i++) {
		const char *colon = strchr(p, ':');
		if (colon == NULL) {
			break;
		}
		char name[40];
		snprintf(name, sizeof(name), "%.*s", (int)(colon - p), p);
		char t = colon[1];
		json_t *val;
		if (v[i] == NULL) {
			val = json_null();
		} else if (t == 'i') {
			val = json_integer(store_to_i64(v[i]));
		} else if (t == 'b') {
			val = json_boolean(store_to_i64(v[i]) != 0);
		} else if (t == 'j') {
			val = json_loads(v[i], JSON_DECODE_ANY, NULL);
			if (val == NULL) {
				val = json_null();
			}
		} else {
			val = json_string(v[i]);
			if (val == NULL) {
				val = json_null(); /* not UTF-8: never produced by the portal */
			}
		}
		json_object_set_new(o, name, val);
		p = colon + 2;
		if (*p == ',') {
			p++;
		}
	}
	json_array_append_new(r->arr, o);
	return SSR_EOK;
}

int store_query_rows(ssr_store_t *st, const char *sql, int np, const char *const *p,
                     const char *spec, json_t **out, ssr_diag_t *diag)
{
	rows_t r = {spec, json_array()};
	if (r.arr == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
	}
	int rc = store_db_exec(st->db, sql, np, p, row_json, &r, diag);
	if (rc != SSR_EOK) {
		json_decref(r.arr);
		return rc;
	}
	*out = r.arr;
	return SSR_EOK;
}

/* The first row as an object; SSR_ENOTFOUND (diag untouched) if there is none. */
int store_query_one(ssr_store_t *st, const char *sql, int np, const char *const *p,
                    const char *spec, json_t **out, ssr_diag_t *diag)
{
	json_t *arr;
	int rc = store_query_rows(st, sql, np, p, spec, &arr, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return SSR_ENOTFOUND;
	}
	*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return SSR_EOK;
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
