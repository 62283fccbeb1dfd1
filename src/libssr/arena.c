/* ssrwatch — bump allocator. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/error.h"

struct ssr_arena_block {
	ssr_arena_block_t *next;
	size_t size;
	size_t used;
	_Alignas(16) unsigned char data[];
};

void ssr_arena_init(ssr_arena_t *a, size_t block_size)
{
	memset(a, 0, sizeof(*a));
	a->block_size = block_size ? block_size : 64 * 1024;
}

void ssr_arena_release(ssr_arena_t *a)
{
	ssr_arena_block_t *b = a->head;
	while (b != NULL) {
		ssr_arena_block_t *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used_total = 0;
	a->reserved = 0;
}

void *ssr_arena_alloc(ssr_arena_t *a, size_t size)
{
	size = (size + 7) & ~(size_t)7;
	ssr_arena_block_t *b = a->head;
	if (b == NULL || b->size - b->used < size) {
		size_t bsize = size > a->block_size ? size : a->block_size;
		if (bsize > SIZE_MAX - sizeof(*b)) {
			return NULL;
		}
		b = malloc(sizeof(*b) + bsize);
		if (b == NULL) {
			return NULL;
		}
		b->size = bsize;
		b->used = 0;
		b->next = a->head;
		a->head = b;
		a->reserved += bsize;
	}
	void *p = b->data + b->used;
	b->used += size;
	a->used_total += size;
	return p;
}

void *ssr_arena_memdup(ssr_arena_t *a, const void *src, size_t size)
{
	void *p = ssr_arena_alloc(a, size ? size : 1);
	if (p != NULL && size > 0) {
		memcpy(p, src, size);
	}
	return p;
}

int ssr_grow(void **v, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap) {
		return SSR_EOK;
	}
	size_t nc = *cap ? *cap * 2 : 16;
	while (nc < need) {
		nc *= 2;
	}
	if (nc > SIZE_MAX / elem) {
		return SSR_ENOMEM;
	}
	void *n = realloc(*v, nc * elem);
	if (n == NULL) {
		return SSR_ENOMEM;
	}
	*v = n;
	*cap = nc;
	return SSR_EOK;
}

void ssr_mem_hugepages(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t page = 4096;
	if (p == NULL || n < (4u << 20)) {
		return;
	}
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t b = ((uintptr_t)p + n) & ~(page - 1);
	if (b > a) {
		(void)madvise((void *)a, b - a, MADV_HUGEPAGE);
	}
#else
	(void)p;
	(void)n;
#endif
}
