/* libczds internals: bounded HTTP exchanges over libcurl. */
#pragma once

#include <stdio.h>

#include "ssrwatch/czds.h"

#pragma GCC visibility push(hidden)

#define CZDS_MAX_BODY (16u << 20) /* an API answer */

typedef struct {
	long status;   /* HTTP status; 0 none (the transfer failed: err says why) */
	char err[256]; /* libcurl's reason when the transfer failed */
	char *body;    /* API answers: the body, NUL-terminated (malloc'd); NULL otherwise */
	size_t len;
	int64_t last_modified; /* -1 none */
	int64_t length;        /* Content-Length; -1 none */
	uint64_t written;      /* downloads: bytes written to the file this time */
	bool truncated;        /* the transfer ended before Content-Length bytes */
} czds_http_t;

/* One request: method "GET", "POST", "HEAD"; bearer token (NULL none); body JSON (NULL none).
 * file: the body goes there (appended, from offset 'from' with a Range request when from > 0);
 * else into r->body (at most CZDS_MAX_BODY).  Errors: SSR_ENOMEM, SSR_EIO (libcurl could not
 * be set up); HTTP errors and failed transfers are in r, not errors. */
int czds_http(const ssr_czds_opts_t *o, const char *method, const char *url, const char *token,
              const char *body, FILE *file, uint64_t from, long timeout_s, czds_http_t *r,
              ssr_diag_t *diag);
void czds_http_release(czds_http_t *r);

/* An API answer (body, len bytes) parsed as the run parses it: which 1 a request-list page,
 * 2 the link list, other: JSON only (the fuzz target).  Errors: as the run's. */
int czds_parse_answer(int which, const char *body, size_t len, ssr_diag_t *diag);

#pragma GCC visibility pop
