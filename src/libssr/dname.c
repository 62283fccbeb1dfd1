/* ssrwatch — domain names in wire form. */
#include <string.h>

#include "ssrwatch/dname.h"
#include "ssrwatch/error.h"

static inline uint8_t lc(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

size_t ssr_dname_len(const uint8_t *wire, size_t avail)
{
	size_t pos = 0;
	while (pos < avail) {
		uint8_t l = wire[pos];
		if (l > 63) {
			return 0;
		}
		pos += (size_t)l + 1;
		if (pos > SSR_DNAME_MAXLEN) {
			return 0;
		}
		if (l == 0) {
			return pos;
		}
	}
	return 0;
}

void ssr_dname_lower(uint8_t *wire)
{
	while (*wire != 0) {
		uint8_t l = *wire++;
		for (uint8_t i = 0; i < l; i++) {
			wire[i] = lc(wire[i]);
		}
		wire += l;
	}
}

size_t ssr_dname_labels(const uint8_t *wire)
{
	size_t n = 0;
	while (*wire != 0) {
		n++;
		wire += *wire + 1;
	}
	return n;
}

/* Offsets of the labels of a name; returns the count. */
static size_t label_offsets(const uint8_t *w, uint8_t off[128])
{
	size_t n = 0, pos = 0;
	while (w[pos] != 0 && n < 128) {
		off[n++] = (uint8_t)pos;
		pos += w[pos] + 1;
	}
	return n;
}

static int label_cmp(const uint8_t *a, const uint8_t *b)
{
	uint8_t la = a[0], lb = b[0];
	uint8_t m = la < lb ? la : lb;
	for (uint8_t i = 1; i <= m; i++) {
		uint8_t ca = lc(a[i]), cb = lc(b[i]);
		if (ca != cb) {
			return ca < cb ? -1 : 1;
		}
	}
	return la == lb ? 0 : (la < lb ? -1 : 1);
}

bool ssr_dname_is_under(const uint8_t *name, const uint8_t *parent)
{
	uint8_t on[128], op[128];
	size_t nn = label_offsets(name, on), np = label_offsets(parent, op);
	if (np > nn) {
		return false;
	}
	for (size_t i = 0; i < np; i++) {
		if (label_cmp(name + on[nn - 1 - i], parent + op[np - 1 - i]) != 0) {
			return false;
		}
	}
	return true;
}

bool ssr_dname_has_xn(const uint8_t *w, bool any_label)
{
	while (*w != 0) {
		if (*w >= 4 && lc(w[1]) == 'x' && lc(w[2]) == 'n' && w[3] == '-' && w[4] == '-') {
			return true;
		}
		if (!any_label) {
			return false;
		}
		w += *w + 1;
	}
	return false;
}

int ssr_dname_cmp_canonical(const uint8_t *a, const uint8_t *b)
{
	uint8_t oa[128], ob[128];
	size_t na = label_offsets(a, oa), nb = label_offsets(b, ob);
	size_t i = na, j = nb;
	while (i > 0 && j > 0) {
		int c = label_cmp(a + oa[--i], b + ob[--j]);
		if (c != 0) {
			return c;
		}
	}
	return na == nb ? 0 : (na < nb ? -1 : 1);
}

/* Next character of a name read as "label.label": -1 at the end. */
static int text_char(const uint8_t **p, size_t *i)
{
	const uint8_t *l = *p;
	if (*l == 0) {
		return -1;
	}
	if (*i < *l) {
		return lc(l[1 + (*i)++]);
	}
	*p = l + *l + 1;
	*i = 0;
	return **p == 0 ? -1 : '.';
}

int ssr_dname_cmp_text(const uint8_t *a, const uint8_t *b)
{
	size_t ia = 0, ib = 0;
	for (;;) {
		int ca = text_char(&a, &ia), cb = text_char(&b, &ib);
		if (ca != cb) {
			return ca < cb ? -1 : 1;
		}
		if (ca == -1) {
			return 0;
		}
	}
}

int ssr_dname_to_text(const uint8_t *w, char *out, size_t cap, bool lower)
{
	size_t o = 0;
	if (*w == 0) {
		if (cap < 2) {
			return SSR_ELIMIT;
		}
		out[0] = '.';
		out[1] = '\0';
		return 1;
	}
	while (*w != 0) {
		uint8_t l = *w++;
		if (o > 0) {
			if (o + 1 >= cap) {
				return SSR_ELIMIT;
			}
			out[o++] = '.';
		}
		for (uint8_t i = 0; i < l; i++) {
			uint8_t c = lower ? lc(w[i]) : w[i];
			if (c <= 0x20 || c >= 0x7f) {
				if (o + 4 >= cap) {
					return SSR_ELIMIT;
				}
				out[o++] = '\\';
				out[o++] = (char)('0' + c / 100);
				out[o++] = (char)('0' + (c / 10) % 10);
				out[o++] = (char)('0' + c % 10);
			} else if (c == '.' || c == '\\' || c == '"' || c == '(' || c == ')' ||
			           c == ';' || c == '$' || c == '@') {
				if (o + 2 >= cap) {
					return SSR_ELIMIT;
				}
				out[o++] = '\\';
				out[o++] = (char)c;
			} else {
				if (o + 1 >= cap) {
					return SSR_ELIMIT;
				}
				out[o++] = (char)c;
			}
		}
		w += l;
	}
	out[o] = '\0';
	return (int)o;
}

int ssr_dname_from_text(const char *text, size_t len, const uint8_t *origin, uint8_t *out,
                        size_t cap)
{
	if (cap > SSR_DNAME_MAXLEN) {
		cap = SSR_DNAME_MAXLEN;
	}
	if (len == 0) {
		return SSR_EPARSE;
	}
	size_t o = 0;
	if (len == 1 && text[0] == '@') {
		if (origin == NULL) {
			return SSR_EPARSE;
		}
		size_t ol = ssr_dname_len(origin, SSR_DNAME_MAXLEN);
		if (ol == 0 || ol > cap) {
			return SSR_ELIMIT;
		}
		memcpy(out, origin, ol);
		return (int)ol;
	}
	if (len == 1 && text[0] == '.') {
		out[0] = 0;
		return 1;
	}
	size_t i = 0;
	bool absolute = false;
	while (i < len) {
		size_t lpos = o++;
		if (o > cap) {
			return SSR_ELIMIT;
		}
		uint8_t l = 0;
		while (i < len && text[i] != '.') {
			uint8_t c = (uint8_t)text[i++];
			if (c == '\\') {
				if (i >= len) {
					return SSR_EPARSE;
				}
				if (text[i] >= '0' && text[i] <= '9') {
					if (i + 3 > len) {
						return SSR_EPARSE;
					}
					unsigned v = 0;
					for (int k = 0; k < 3; k++) {
						char d = text[i + k];
						if (d < '0' || d > '9') {
							return SSR_EPARSE;
						}
						v = v * 10 + (unsigned)(d - '0');
					}
					if (v > 255) {
						return SSR_EPARSE;
					}
					c = (uint8_t)v;
					i += 3;
				} else {
					c = (uint8_t)text[i++];
				}
			}
			if (l == 63 || o + 1 > cap) {
				return SSR_ELIMIT;
			}
			out[o++] = c;
			l++;
		}
		if (l == 0) {
			return SSR_EPARSE; /* empty label: ".." or leading dot */
		}
		out[lpos] = l;
		if (i < len) { /* at a dot */
			i++;
			if (i == len) {
				absolute = true;
			}
		}
	}
	if (absolute || origin == NULL) {
		if (o + 1 > cap) {
			return SSR_ELIMIT;
		}
		out[o++] = 0;
		return (int)o;
	}
	size_t ol = ssr_dname_len(origin, SSR_DNAME_MAXLEN);
	if (ol == 0 || o + ol > cap) {
		return SSR_ELIMIT;
	}
	memcpy(out + o, origin, ol);
	return (int)(o + ol);
}
