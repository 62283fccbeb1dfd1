/* ssrwatch — requests and responses (http.c): headers, query, cookies, form fields and
 * JSON bodies in; status, body, redirect and cookies out.  Private to libportal. */
#pragma once

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "form.h"
#include "ssrwatch/portalstore.h"

#pragma GCC visibility push(hidden)

typedef struct {
	bool known; /* false: anonymous */
	ssr_principal_t who;
	bool by_session;
	char session_digest[65];
} auth_t;

struct ssr_portal;

typedef struct req {
	struct MHD_Connection *conn;
	const char *method, *url;
	char ip[64];
	char *body;
	size_t len, cap;
	bool too_big;
	form_t *form; /* fields and files of a form POST (urlencoded or multipart) */
	struct MHD_PostProcessor *pp;
	int64_t started_us;
	auth_t auth;
	struct ssr_portal *portal;
	bool refused; /* answered from the headers (preflight): the body is not read */
} req_t;

typedef struct {
	int status;
	const char *type;
	char *body;
	size_t len;
	char location[512];
	char cookie[2][256];
	int retry_after;
} resp_t;

/* Response helpers: take ownership of body. */
void portal_resp_json(resp_t *r, int status, json_t *j);
void portal_resp_error(resp_t *r, int status, const char *msg);
void portal_resp_text(resp_t *r, int status, const char *type, char *body, size_t len);
void portal_resp_redirect(resp_t *r, const char *location);

/* Request helpers. */
const char *portal_req_header(const req_t *q, const char *name);
const char *portal_req_query(const req_t *q, const char *name);
const char *portal_req_cookie(const req_t *q, const char *name);
/* A form field (string) or NULL. */
const char *portal_req_field(const req_t *q, const char *name);
/* ct names the media type type (any case), with parameters or nothing after it. */
bool portal_media_type_is(const char *ct, const char *type);

/* A positive id of at most 18 digits (path parts, query parameters). */
bool portal_parse_id(const char *s, int64_t *id);
/* The JSON body of a POST; NULL with the response set (415, 400) when it is not one. */
json_t *portal_req_json_body(const req_t *q, resp_t *r);
/* A form field's value as o[key] when it is given and not empty (fields are valid UTF-8: the
 * form was checked before any handler runs). */
void portal_req_put_field(json_t *o, const char *key, const char *v);

#pragma GCC visibility pop
