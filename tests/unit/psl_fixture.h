/* Shared fixture for unit tests: one PSL context per test group. */
#pragma once

#include "test_common.h"
#include "ssrwatch/psl.h"

static ssr_psl_t *psl;

static int psl_setup(void **state)
{
	(void)state;
	return ssr_psl_new(NULL, &psl, NULL) == SSR_EOK ? 0 : -1;
}

static int psl_teardown(void **state)
{
	(void)state;
	ssr_psl_free(psl);
	return 0;
}
