/* ssrwatch — the JSON object builder of the edges (jsonout.h). */
#include <string.h>

#include "ssrwatch/jsonout.h"
#include "ssrwatch/utf8.h"

ssr_jobj_t ssr_jobj_new(void)
{
	ssr_jobj_t b = {json_object(), SSR_EOK, NULL};
	if (b.o == NULL) {
		b.rc = SSR_ENOMEM;
	}
	return b;
}

void ssr_jobj_put(ssr_jobj_t *b, const char *k, json_t *v, int why)
{
	if (b->rc != SSR_EOK) {
		json_decref(v);
		return;
	}
	if (v == NULL || json_object_set_new(b->o, k, v) != 0) {
		b->rc = v == NULL ? why : SSR_ENOMEM;
		b->bad = k;
	}
}

void ssr_jobj_int(ssr_jobj_t *b, const char *k, int64_t v)
{
	ssr_jobj_put(b, k, json_integer(v), SSR_ENOMEM);
}

void ssr_jobj_int0(ssr_jobj_t *b, const char *k, int64_t v)
{
	ssr_jobj_put(b, k, v != 0 ? json_integer(v) : json_null(), SSR_ENOMEM);
}

void ssr_jobj_real(ssr_jobj_t *b, const char *k, double v)
{
	ssr_jobj_put(b, k, json_real(v), SSR_ENOMEM);
}

void ssr_jobj_bool(ssr_jobj_t *b, const char *k, int v)
{
	ssr_jobj_put(b, k, json_boolean(v), SSR_ENOMEM);
}

void ssr_jobj_str(ssr_jobj_t *b, const char *k, const char *s)
{
	if (s == NULL) {
		ssr_jobj_put(b, k, json_null(), SSR_ENOMEM);
	} else if (!ssr_utf8_valid(s, strlen(s))) {
		ssr_jobj_put(b, k, NULL, SSR_ECORRUPT);
	} else {
		ssr_jobj_put(b, k, json_string(s), SSR_ENOMEM);
	}
}

void ssr_jobj_doc(ssr_jobj_t *b, const char *k, const char *text)
{
	ssr_jobj_put(b, k, text ? json_loads(text, JSON_DECODE_ANY, NULL) : json_null(),
	             SSR_ECORRUPT);
}

int ssr_jobj_finish(ssr_jobj_t *b, const char *what, json_t **out, ssr_diag_t *diag)
{
	if (b->rc != SSR_EOK) {
		json_decref(b->o);
		b->o = NULL;
		return b->rc == SSR_ENOMEM
		           ? ssr_diag_set(diag, SSR_ENOMEM, "%s: out of memory", what)
		           : ssr_diag_set(diag, b->rc, "%s: a stored %s is not valid UTF-8 or JSON",
		                          what, b->bad ? b->bad : "value");
	}
	*out = b->o;
	b->o = NULL;
	return SSR_EOK;
}

int ssr_jobj_append(ssr_jobj_t *b, const char *what, json_t *arr, ssr_diag_t *diag)
{
	json_t *o = NULL;
	int rc = ssr_jobj_finish(b, what, &o, diag);
	if (rc == SSR_EOK && json_array_append_new(arr, o) != 0) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "%s: out of memory", what);
	}
	return rc;
}

int ssr_jarr_build(const void *rows, size_t n, ssr_jobj_fill_fn fill, const void *ctx,
                   const char *what, json_t **out, ssr_diag_t *diag)
{
	json_t *arr = json_array();
	int rc = arr ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "%s: out of memory", what);
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		ssr_jobj_t b = ssr_jobj_new();
		if (fill(&b, rows, i, ctx)) {
			rc = ssr_jobj_append(&b, what, arr, diag);
		} else {
			json_decref(b.o);
		}
	}
	if (rc != SSR_EOK) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return SSR_EOK;
}
