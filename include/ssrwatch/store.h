/* ssrwatch — the store: one interface, SQLite backend (default), versioned migrations. */
#pragma once

#include <jansson.h>
#include <stdint.h>

#include "ssrwatch/error.h"

typedef struct ssr_store ssr_store_t;

/* uri: a file path or "sqlite:PATH".  Creates and migrates the schema. */
int ssr_store_open(const char *uri, ssr_store_t **out, ssr_diag_t *diag);
void ssr_store_free(ssr_store_t *st);
int ssr_store_schema_version(ssr_store_t *st, int *version, ssr_diag_t *diag);

/* Insert or replace the snapshot of zone on date (YYYY-MM-DD) in one transaction.
 * metrics is the zone stats object (docs/FORMATS.md). */
int ssr_store_put_zone_snapshot(ssr_store_t *st, const char *zone, const char *date,
                                json_t *metrics, ssr_diag_t *diag);
/* Snapshots ordered by zone, date; zone NULL for all.  *out is a JSON array of objects
 * {zone, date, serial, bytes, metrics}. */
int ssr_store_zone_history(ssr_store_t *st, const char *zone, json_t **out, ssr_diag_t *diag);
