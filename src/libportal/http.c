/* ssrwatch — the portal's requests and responses: headers, query, cookies, form fields and JSON
 * bodies in; status, body, redirect and cookies out.  Nothing here knows a route. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

void portal_resp_text(resp_t *r, int status, const char *type, char *body, size_t len)
{
	free(r->body);
	r->status = status;
	r->type = type;
	r->body = body;
	r->len = len;
}

void portal_resp_json(resp_t *r, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(j);
	if (s == NULL) {
		portal_resp_text(r, 500, "text/plain", NULL, 0);
		return;
	}
	size_t n = strlen(s);
	char *b = realloc(s, n + 2);
	if (b != NULL) {
		b[n++] = '\n';
		b[n] = '\0';
		s = b;
	}
	portal_resp_text(r, status, "application/json", s, n);
}

void portal_resp_error(resp_t *r, int status, const char *msg)
{
	json_t *j = json_object();
	json_object_set_new(j, "error", json_string(msg));
	json_object_set_new(j, "status", json_integer(status));
	portal_resp_json(r, status, j);
}

void portal_resp_redirect(resp_t *r, const char *location)
{
	portal_resp_text(r, 303, "text/plain", NULL, 0);
	snprintf(r->location, sizeof(r->location), "%s", location);
}

const char *portal_req_header(const req_t *q, const char *name)
{
	return MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND, name);
}

const char *portal_req_query(const req_t *q, const char *name)
{
	const char *v = MHD_lookup_connection_value(q->conn, MHD_GET_ARGUMENT_KIND, name);
	return v && *v ? v : NULL;
}

const char *portal_req_cookie(const req_t *q, const char *name)
{
	return MHD_lookup_connection_value(q->conn, MHD_COOKIE_KIND, name);
}

const char *portal_req_field(const req_t *q, const char *name)
{
	return portal_form_get(q->form, name, NULL);
}

bool portal_media_type_is(const char *ct, const char *type)
{
	size_t n = strlen(type);
	if (ct == NULL || strncasecmp(ct, type, n) != 0) {
		return false;
	}
	char c = ct[n]; /* the type ends there: parameters or nothing may follow */
	return c == '\0' || c == ';' || c == ' ' || c == '\t';
}

/* The JSON body of a POST; NULL with the response set when it is not one. */
json_t *portal_req_json_body(const req_t *q, resp_t *r)
{
	const char *ct = portal_req_header(q, "Content-Type");
	if (!portal_media_type_is(ct, "application/json")) {
		portal_resp_error(r, 415, "the body must be JSON (Content-Type: application/json)");
		return NULL;
	}
	if (q->len == 0) {
		portal_resp_error(r, 400, "empty body: a JSON object is expected");
		return NULL;
	}
	json_error_t e;
	json_t *j = json_loadb(q->body, q->len, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL) {
		char m[300];
		snprintf(m, sizeof(m), "malformed JSON at line %d column %d: %s", e.line, e.column,
		         e.text);
		portal_resp_error(r, 400, m);
	}
	return j;
}

/* A query parameter that must be a positive id of at most 18 digits. */
bool portal_parse_id(const char *s, int64_t *id)
{
	if (*s < '1' || *s > '9' || strlen(s) > 18) {
		return false;
	}
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end != '\0') {
		return false;
	}
	*id = v;
	return true;
}

void portal_req_put_field(json_t *o, const char *key, const char *v)
{
	if (v != NULL && *v != '\0') {
		json_object_set_new(o, key, json_string(v));
	}
}
