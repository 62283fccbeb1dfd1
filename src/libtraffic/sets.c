/* libtraffic: exact sets of 16-byte addresses (open addressing, doubling). */
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/error.h"
#include "ssrwatch/hash.h"
#include "traffic_priv.h"

int traffic_aset_add(aset_t *s, const uint8_t *key)
{
	if (s->count * 2 >= s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		uint8_t(*k)[16] = calloc(cap, 16);
		uint8_t *u = calloc(cap, 1);
		if (!k || !u) {
			free(k);
			free(u);
			return SSR_ENOMEM;
		}
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->used[i]) {
				continue;
			}
			size_t j = (size_t)ssr_hash64(s->keys[i], 16) & (cap - 1);
			while (u[j]) {
				j = (j + 1) & (cap - 1);
			}
			memcpy(k[j], s->keys[i], 16);
			u[j] = 1;
		}
		free(s->keys);
		free(s->used);
		s->keys = k;
		s->used = u;
		s->cap = cap;
	}
	size_t j = (size_t)ssr_hash64(key, 16) & (s->cap - 1);
	while (s->used[j]) {
		if (memcmp(s->keys[j], key, 16) == 0) {
			return SSR_EOK;
		}
		j = (j + 1) & (s->cap - 1);
	}
	memcpy(s->keys[j], key, 16);
	s->used[j] = 1;
	s->count++;
	return SSR_EOK;
}

void traffic_aset_free(aset_t *s)
{
	free(s->keys);
	free(s->used);
	s->keys = NULL;
	s->used = NULL;
	s->cap = s->count = 0;
}
