/* ssrwatch — text tables, CSV and canonical JSON. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/report.h"

int ssr_format_parse(const char *name, ssr_format_t *out)
{
	if (strcmp(name, "table") == 0) {
		*out = SSR_FORMAT_TABLE;
	} else if (strcmp(name, "json") == 0) {
		*out = SSR_FORMAT_JSON;
	} else if (strcmp(name, "csv") == 0) {
		*out = SSR_FORMAT_CSV;
	} else {
		return SSR_EINVAL;
	}
	return SSR_EOK;
}

int ssr_table_init(ssr_table_t *t, size_t ncols, const char *title)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	if (title != NULL && (t->title = strdup(title)) == NULL) {
		t->err = SSR_ENOMEM;
	}
	return t->err;
}

void ssr_table_release(ssr_table_t *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++) {
		free(t->cells[i]);
	}
	free(t->cells);
	free(t->title);
	memset(t, 0, sizeof(*t));
}

int ssr_table_add(ssr_table_t *t, const char *const *cells)
{
	if (t->err != SSR_EOK) {
		return t->err;
	}
	if (t->nrows == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 16;
		char **n = realloc(t->cells, nc * t->ncols * sizeof(char *));
		if (n == NULL) {
			return t->err = SSR_ENOMEM;
		}
		t->cells = n;
		t->cap = nc;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		char *v = strdup(cells[c] ? cells[c] : "");
		if (v == NULL) {
			for (size_t k = 0; k < c; k++) {
				free(t->cells[t->nrows * t->ncols + k]);
			}
			return t->err = SSR_ENOMEM;
		}
		t->cells[t->nrows * t->ncols + c] = v;
	}
	t->nrows++;
	return SSR_EOK;
}

int ssr_table_addf(ssr_table_t *t, const char *key, const char *fmt, ...)
{
	char v[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	const char *cells[2] = {key, v};
	return ssr_table_add(t, cells);
}

static bool numeric(const char *s)
{
	if (*s == '\0') {
		return false;
	}
	for (; *s; s++) {
		if (!((*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '%')) {
			return false;
		}
	}
	return true;
}

int ssr_table_write_text(const ssr_table_t *t, FILE *out)
{
	if (t->err != SSR_EOK) {
		return t->err;
	}
	size_t w[32] = {0};
	size_t nc = t->ncols < 32 ? t->ncols : 32;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < nc; c++) {
			size_t l = strlen(t->cells[r * t->ncols + c]);
			if (l > w[c]) {
				w[c] = l;
			}
		}
	}
	if (t->title != NULL) {
		fprintf(out, "%s\n", t->title);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < nc; c++) {
			const char *v = t->cells[r * t->ncols + c];
			bool right = r > 0 && c > 0 && numeric(v);
			if (c == nc - 1 && !right) {
				fprintf(out, "%s%s", c ? "  " : "", v);
			} else {
				fprintf(out, right ? "%s%*s" : "%s%-*s", c ? "  " : "", (int)w[c],
				        v);
			}
		}
		fputc('\n', out);
		if (r == 0 && t->nrows > 1) {
			for (size_t c = 0; c < nc; c++) {
				fprintf(out, "%s", c ? "  " : "");
				for (size_t k = 0; k < w[c]; k++) {
					fputc('-', out);
				}
			}
			fputc('\n', out);
		}
	}
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

int ssr_table_write_csv(const ssr_table_t *t, FILE *out, int with_header)
{
	if (t->err != SSR_EOK) {
		return t->err;
	}
	for (size_t r = with_header ? 0 : 1; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c) {
				fputc(',', out);
			}
			ssr_csv_write_cell(t->cells[r * t->ncols + c], out);
		}
		fputs("\r\n", out);
	}
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

int ssr_json_write(json_t *v, FILE *out)
{
	if (json_dumpf(v, out, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0) {
		return SSR_EIO;
	}
	fputc('\n', out);
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

void ssr_html_escape(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}
