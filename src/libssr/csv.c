/* ssrwatch — CSV fields of one line. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "ssrwatch/csv.h"

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
