/* ssrwatch — bump allocator for per-file data: many small allocations, one free; and the
 * growth rule of every dynamic array. */
#pragma once

#include "ssrwatch/error.h"

#include <stddef.h>

typedef struct ssr_arena_block ssr_arena_block_t;

typedef struct {
	ssr_arena_block_t *head;
	size_t block_size;
	size_t used_total; /* bytes handed out */
	size_t reserved;   /* bytes obtained from malloc */
} ssr_arena_t;

void ssr_arena_init(ssr_arena_t *a, size_t block_size);
void ssr_arena_release(ssr_arena_t *a);
/* 8-byte aligned; NULL when out of memory. */
void *ssr_arena_alloc(ssr_arena_t *a, size_t size);
void *ssr_arena_memdup(ssr_arena_t *a, const void *src, size_t size);

/* Make the array *v (of elem-byte items, *cap of them) hold at least need items, doubling.
 * SSR_EOK or SSR_ENOMEM (then *v and *cap are unchanged). */
int ssr_grow(void **v, size_t *cap, size_t need, size_t elem) SSR_CHECK;
