/* ssrwatch — strict UTF-8 validation (RFC 3629 section 4). */
#include "ssrwatch/utf8.h"

bool ssr_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t k;
		unsigned char lo = 0x80, hi = 0xbf; /* the second byte's range */
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			lo = c == 0xe0 ? 0xa0 : 0x80; /* no overlong */
			hi = c == 0xed ? 0x9f : 0xbf; /* no surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			lo = c == 0xf0 ? 0x90 : 0x80; /* no overlong */
			hi = c == 0xf4 ? 0x8f : 0xbf; /* nothing past U+10FFFF */
		} else {
			return false;
		}
		if (k > n - i - 1 || p[i + 1] < lo || p[i + 1] > hi) {
			return false;
		}
		for (size_t j = 2; j <= k; j++) {
			if ((p[i + j] & 0xc0) != 0x80) {
				return false;
			}
		}
		i += k + 1;
	}
	return true;
}
