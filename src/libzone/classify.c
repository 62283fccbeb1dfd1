/* ssrwatch — the zone reader's byte classes over whole 64-byte blocks: one bit per byte for
 * white space (space, tab), newline, and the characters that send a line off the fast path
 * (parentheses, double quote, backslash, semicolon, carriage return). Three kernels with the
 * same result: scalar (the reference), SSE2 and AVX2, the last chosen at run time where the CPU
 * has it (tests/unit/libzone/test_classify.c compares them). */
#include "ssrwatch/error.h"
#include "zone_priv.h"

const uint8_t zone_token_class[256] = {
    [' '] = ZONE_TK_SPACE, ['\t'] = ZONE_TK_SPACE, ['\n'] = ZONE_TK_NL,
    ['('] = ZONE_TK_STOP,  [')'] = ZONE_TK_STOP,   ['"'] = ZONE_TK_STOP,
    ['\\'] = ZONE_TK_STOP, [';'] = ZONE_TK_STOP,   ['\r'] = ZONE_TK_STOP,
};

static void classify_scalar(const char *p, size_t nblocks, zone_blockmask_t *out)
{
	for (size_t b = 0; b < nblocks; b++, p += 64) {
		uint64_t m[4] = {0, 0, 0, 0}; /* by class; m[ZONE_TK_WORD] unused */
		for (unsigned i = 0; i < 64; i++) {
			m[zone_token_class[(uint8_t)p[i]]] |= 1ULL << i;
		}
		uint64_t ws = m[ZONE_TK_SPACE], nl = m[ZONE_TK_NL], sp = m[ZONE_TK_STOP];
		out[b] = (zone_blockmask_t){.ws = ws, .nl = nl, .sp = sp};
	}
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

static void classify_sse2(const char *p, size_t nblocks, zone_blockmask_t *out)
{
	for (size_t b = 0; b < nblocks; b++, p += 64) {
		uint64_t ws = 0, nl = 0, sp = 0;
		for (unsigned q = 0; q < 64; q += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(p + q));
			__m128i w = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
			                         _mm_cmpeq_epi8(x, _mm_set1_epi8('\t')));
			__m128i s =
			    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('(')),
			                              _mm_cmpeq_epi8(x, _mm_set1_epi8(')'))),
			                 _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
			                              _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
			s = _mm_or_si128(s, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(';')),
			                                 _mm_cmpeq_epi8(x, _mm_set1_epi8('\r'))));
			__m128i n = _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'));
			ws |= (uint64_t)(uint32_t)_mm_movemask_epi8(w) << q;
			nl |= (uint64_t)(uint32_t)_mm_movemask_epi8(n) << q;
			sp |= (uint64_t)(uint32_t)_mm_movemask_epi8(s) << q;
		}
		out[b] = (zone_blockmask_t){.ws = ws, .nl = nl, .sp = sp};
	}
}

/* AVX2: the nine characters by one table lookup on each nibble (vpshufb): the low nibble's
 * table holds, per nibble, the bits of the classes whose characters have it; the high
 * nibble's table the bits of the classes whose characters have that high nibble; a byte is
 * in a class when both agree on a bit. Bits: 1 space, 2 tab, 4 newline, 8 '(' ')', 16 '"',
 * 32 '\\', 64 ';', 128 CR. */
__attribute__((target("avx2"))) static void classify_avx2(const char *p, size_t nblocks,
                                                          zone_blockmask_t *out)
{
	/* low nibbles: ' ' 0, '\t' 9, '\n' a, '(' 8, ')' 9, '"' 2, '\\' c, ';' b, '\r' d */
	const __m256i lo =
	    _mm256_setr_epi8(1, 0, 16, 0, 0, 0, 0, 0, 8, 2 | 8, 4, 64, 32, (char)128, 0, 0, 1, 0,
	                     16, 0, 0, 0, 0, 0, 8, 2 | 8, 4, 64, 32, (char)128, 0, 0);
	/* high nibbles: 0 ('\t' '\n' '\r'), 2 (' ' '(' ')' '"'), 3 (';'), 5 ('\\') */
	const __m256i hi = _mm256_setr_epi8(2 | 4 | (char)128, 0, 1 | 8 | 16, 64, 0, 32, 0, 0, 0, 0,
	                                    0, 0, 0, 0, 0, 0, 2 | 4 | (char)128, 0, 1 | 8 | 16, 64,
	                                    0, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	const __m256i nib = _mm256_set1_epi8(0x0f);
	const __m256i zero = _mm256_setzero_si256();
	for (size_t b = 0; b < nblocks; b++, p += 64) {
		uint64_t m[3] = {0, 0, 0};
		for (unsigned q = 0; q < 64; q += 32) {
			__m256i x = _mm256_loadu_si256((const __m256i *)(p + q));
			__m256i l = _mm256_shuffle_epi8(lo, _mm256_and_si256(x, nib));
			__m256i h =
			    _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(x, 4), nib));
			__m256i c =
			    _mm256_and_si256(l, h); /* bytes >= 0x80: the hi table gives 0 */
			__m256i w = _mm256_and_si256(c, _mm256_set1_epi8(1 | 2));
			__m256i n = _mm256_and_si256(c, _mm256_set1_epi8(4));
			__m256i s =
			    _mm256_and_si256(c, _mm256_set1_epi8((char)(8 | 16 | 32 | 64 | 128)));
			m[0] |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(w, zero))
			        << q;
			m[1] |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(n, zero))
			        << q;
			m[2] |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(s, zero))
			        << q;
		}
		out[b] = (zone_blockmask_t){.ws = ~m[0], .nl = ~m[1], .sp = ~m[2]};
	}
}
#endif

int zone_classifier(ssr_zone_simd_t simd, zone_classify_fn *out)
{
	switch (simd) {
	case SSR_ZONE_SIMD_SCALAR:
		*out = classify_scalar;
		return SSR_EOK;
#if defined(__x86_64__) || defined(__i386__)
	case SSR_ZONE_SIMD_SSE2:
		*out = classify_sse2;
		return SSR_EOK;
	case SSR_ZONE_SIMD_AVX2:
		if (!__builtin_cpu_supports("avx2")) {
			return SSR_EINVAL;
		}
		*out = classify_avx2;
		return SSR_EOK;
	case SSR_ZONE_SIMD_AUTO:
		*out = __builtin_cpu_supports("avx2") ? classify_avx2 : classify_sse2;
		return SSR_EOK;
#else
	case SSR_ZONE_SIMD_AUTO:
		*out = classify_scalar;
		return SSR_EOK;
#endif
	default:
		return SSR_EINVAL;
	}
}
