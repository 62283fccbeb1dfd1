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

/* A large block (malloc'd, n bytes) that will be filled soon: ask the kernel for transparent
 * huge pages on it (madvise MADV_HUGEPAGE on the whole pages inside it; blocks under 4 MiB and
 * kernels without THP are left alone).  Each 4 KiB page first touched is otherwise a page
 * fault, a slow one on virtual machines (docs/PERFORMANCE.md).  Only advice: nothing fails. */
void ssr_mem_hugepages(void *p, size_t n);
