/* libescrow internals: the input layers (file, gzip, OpenPGP, tar) and the XML object parser. */
#pragma once

#include <stdio.h>

#include "ssrwatch/escrow.h"

#pragma GCC visibility push(hidden)

/* A push stage: takes bytes, hands them on. */
typedef int (*escrow_sink_fn)(void *ctx, const uint8_t *p, size_t n);

/* The XML side: one parser per document (file or tar member). */
typedef struct escrow_xml escrow_xml_t;
int escrow_xml_new(const ssr_escrow_read_opts_t *o, ssr_escrow_fn fn, ssr_escrow_read_stats_t *st,
                   const char *member, escrow_xml_t **out, ssr_diag_t *diag);
int escrow_xml_feed(escrow_xml_t *x, const uint8_t *p, size_t n, ssr_diag_t *diag);
/* End of the document: checks it is complete.  Errors as the reader's. */
int escrow_xml_finish(escrow_xml_t *x, ssr_diag_t *diag);
void escrow_xml_free(escrow_xml_t *x);

/* The tar layer (POSIX ustar / GNU): XML members to a parser each, CSV members counted. */
typedef struct escrow_tar escrow_tar_t;
int escrow_tar_new(const ssr_escrow_read_opts_t *o, ssr_escrow_fn fn, ssr_escrow_read_stats_t *st,
                   const char *path, escrow_tar_t **out);
int escrow_tar_feed(escrow_tar_t *t, const uint8_t *p, size_t n, ssr_diag_t *diag);
int escrow_tar_finish(escrow_tar_t *t, ssr_diag_t *diag);
void escrow_tar_free(escrow_tar_t *t);

#pragma GCC visibility pop
