/* ssrwatch — what the store's entity files share.  Private to libstore. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

struct ssr_store {
	ssr_db_t *db;
	bool in_tx;
};

/* Decimal text of v into out. */
void ssr_store_u64s(char out[24], uint64_t v);
