/* ssrwatch — CSV fields of one line. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <inttypes.h>

#include "ssrwatch/csv.h"
#include "ssrwatch/lines.h"

int ssr_csv_split(const char *p, size_t n, char delim, char *store, size_t cap, const char **f,
                  size_t *fl)
{
	size_t i = 0, o = 0;
	int k = 0;
	if (memchr(p, '\0', n) != NULL) {
		return -1; /* a NUL byte: no field could be handed out as a C string */
	}
	for (;;) {
		if (k == SSR_CSV_MAX_FIELDS) {
			return -1;
		}
		f[k] = store + o;
		size_t start = o;
		if (i < n && p[i] == '"') {
			i++;
			for (;;) {
				if (i >= n || o + 1 >= cap) {
					return -1; /* unterminated quote, or no room */
				}
				if (p[i] == '"') {
					if (i + 1 < n && p[i + 1] == '"') {
						store[o++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				store[o++] = p[i++];
			}
			if (i < n && p[i] != delim) {
				return -1;
			}
		} else {
			while (i < n && p[i] != delim) {
				if (o + 1 >= cap) {
					return -1;
				}
				store[o++] = p[i++];
			}
		}
		if (o >= cap) {
			return -1;
		}
		fl[k++] = o - start;
		store[o++] = '\0';
		if (i >= n) {
			return k;
		}
		i++; /* the delimiter */
	}
}

int ssr_csv_column(const char *const *names, const char *const *f, const size_t *fl, int nf)
{
	for (int k = 0; k < nf; k++) {
		for (const char *const *nm = names; *nm; nm++) {
			if (strlen(*nm) == fl[k] && strncasecmp(*nm, f[k], fl[k]) == 0) {
				return k;
			}
		}
	}
	return -1;
}

char ssr_csv_delimiter(const char *p, size_t n)
{
	if (memchr(p, '\t', n) != NULL) {
		return '\t';
	}
	if (memchr(p, ';', n) != NULL && memchr(p, ',', n) == NULL) {
		return ';';
	}
	return ',';
}

/* ---- small CSV files with a header ----------------------------------------------------- */

/* Read a CSV file with a header; cols[i] is the column of names[i] (NULL-terminated lists),
 * -1 absent; required[i] columns must be there.  Every row goes to fn. */
int ssr_csv_read_table(const char *path, const char *what, const char *const *const *names,
                       const bool *required, int ncols, ssr_csv_row_fn fn, void *ctx,
                       ssr_diag_t *diag)
{
	ssr_lines_t *lr;
	int rc = ssr_lines_open(path, SSR_CSV_TABLE_MAX_LINE, &lr, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *p;
	size_t n;
	bool too_long, header = false;
	char delim = ',';
	char store[SSR_CSV_TABLE_MAX_LINE + SSR_CSV_MAX_FIELDS + 1];
	const char *f[SSR_CSV_MAX_FIELDS];
	size_t fl[SSR_CSV_MAX_FIELDS];
	int cols[SSR_CSV_TABLE_MAX_COLS];
	if (ncols > SSR_CSV_TABLE_MAX_COLS) {
		ssr_lines_free(lr);
		return ssr_diag_set(diag, SSR_EINVAL, "%s: too many columns", what);
	}
	uint64_t rows = 0;
	while ((rc = ssr_lines_next(lr, &p, &n, &too_long, diag)) == 1) {
		uint64_t line = ssr_lines_number(lr);
		if (!too_long && (n == 0 || p[0] == '#')) {
			continue;
		}
		if (!header) {
			delim = ssr_csv_delimiter(p, n);
		}
		int nf = too_long ? -1 : ssr_csv_split(p, n, delim, store, sizeof(store), f, fl);
		if (nf < 0) {
			rc = ssr_diag_set(diag, SSR_EPARSE, "%s '%s' line %" PRIu64 ": %s", what,
			                  path, line, too_long ? "line too long" : "malformed CSV");
			break;
		}
		if (!header) {
			for (int i = 0; i < ncols; i++) {
				cols[i] = ssr_csv_column(names[i], f, fl, nf);
				if (cols[i] < 0 && required[i]) {
					rc = ssr_diag_set(diag, SSR_EPARSE,
					                  "%s '%s' line %" PRIu64
					                  ": header has no '%s' column",
					                  what, path, line, names[i][0]);
					break;
				}
			}
			if (rc < 0) {
				break;
			}
			header = true;
			continue;
		}
		for (int i = 0; i < ncols; i++) {
			if (cols[i] >= nf) {
				rc =
				    ssr_diag_set(diag, SSR_EPARSE,
				                 "%s '%s' line %" PRIu64 ": %d fields, expected %d",
				                 what, path, line, nf, cols[i] + 1);
				break;
			}
		}
		if (rc < 0) {
			break;
		}
		if ((rc = fn(path, line, f, fl, nf, cols, ctx, diag)) != SSR_EOK) {
			if (rc == SSR_ENOMEM) {
				ssr_diag_set(diag, rc, "%s '%s' line %" PRIu64 ": out of memory",
				             what, path, line);
			}
			break;
		}
		rows++;
	}
	ssr_lines_free(lr);
	if (rc < 0) {
		return rc;
	}
	if (rows == 0) {
		return ssr_diag_set(diag, SSR_EPARSE, "%s '%s': no rows", what, path);
	}
	return SSR_EOK;
}

/* A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. */
void ssr_csv_write_cell(const char *v, FILE *out)
{
	if (strpbrk(v, ",\"\r\n") == NULL) {
		fputs(v, out);
		return;
	}
	fputc('"', out);
	for (; *v; v++) {
		if (*v == '"') {
			fputc('"', out);
		}
		fputc(*v, out);
	}
	fputc('"', out);
}
