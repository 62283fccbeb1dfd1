/* ssrwatch — the JSON views of the store's typed rows: cases, case lists, reports, delivery
 * logs.  Keys in the order docs/API.md shows them; a NULL text or a 0 id/time that the store
 * keeps as NULL is JSON null. */
#include <string.h>

#include "ssrwatch/jsonout.h"
#include "views.h"

#define WHAT "portal"

static int array_new(json_t **arr, ssr_diag_t *diag)
{
	*arr = json_array();
	return *arr ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "portal: out of memory");
}

int portal_view_document(const char *text, json_t **out, ssr_diag_t *diag)
{
	ssr_jobj_t b = {NULL, SSR_EOK, "report"};
	if ((b.o = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL) == NULL) {
		b.rc = SSR_ECORRUPT;
	}
	return ssr_jobj_finish(&b, WHAT, out, diag);
}

static int case_parties(const ssr_case_t *c, json_t **out, ssr_diag_t *diag)
{
	int rc = array_new(out, diag);
	for (size_t i = 0; rc == SSR_EOK && i < c->nparties; i++) {
		const ssr_case_party_t *p = &c->parties[i];
		ssr_jobj_t b = ssr_jobj_new();
		ssr_jobj_int(&b, "party_id", p->party_id);
		ssr_jobj_str(&b, "role", p->role);
		ssr_jobj_str(&b, "name", p->name);
		ssr_jobj_str(&b, "kind", p->kind);
		ssr_jobj_int0(&b, "iana_id", p->iana_id);
		rc = ssr_jobj_append(&b, WHAT, *out, diag);
	}
	return rc;
}

static int case_events(const ssr_case_t *c, json_t **out, ssr_diag_t *diag)
{
	int rc = array_new(out, diag);
	for (size_t i = 0; rc == SSR_EOK && i < c->nevents; i++) {
		const ssr_case_event_t *e = &c->events[i];
		ssr_jobj_t b = ssr_jobj_new();
		ssr_jobj_int(&b, "at", e->at);
		ssr_jobj_str(&b, "kind", e->kind);
		ssr_jobj_int0(&b, "party_id", e->party_id);
		ssr_jobj_str(&b, "party", e->party);
		ssr_jobj_str(&b, "detail", e->detail);
		rc = ssr_jobj_append(&b, WHAT, *out, diag);
	}
	return rc;
}

static int case_reports(const ssr_case_t *c, bool reporters, json_t **out, ssr_diag_t *diag)
{
	int rc = array_new(out, diag);
	for (size_t i = 0; rc == SSR_EOK && i < c->nreports; i++) {
		const ssr_case_report_t *r = &c->reports_received[i];
		ssr_jobj_t b = ssr_jobj_new();
		ssr_jobj_int(&b, "id", r->id);
		ssr_jobj_int(&b, "received", r->received);
		ssr_jobj_doc(&b, "report", r->body);
		if (b.rc == SSR_EOK && !reporters) {
			/* parties see the evidence, not who reported it */
			json_object_del(json_object_get(b.o, "report"), "reporter");
		}
		rc = ssr_jobj_append(&b, WHAT, *out, diag);
	}
	return rc;
}

int portal_view_case(const ssr_case_t *c, bool reporters, json_t **out, ssr_diag_t *diag)
{
	ssr_jobj_t b = ssr_jobj_new();
	ssr_jobj_int(&b, "id", c->id);
	ssr_jobj_str(&b, "domain", c->domain);
	ssr_jobj_str(&b, "tld", c->tld);
	ssr_jobj_str(&b, "category", c->category);
	ssr_jobj_str(&b, "status", c->status);
	ssr_jobj_int(&b, "opened", c->opened);
	ssr_jobj_int0(&b, "closed", c->closed);
	ssr_jobj_int(&b, "reports", c->reports);
	ssr_jobj_int(&b, "reporters", c->reporters);
	ssr_jobj_str(&b, "route_state", c->route_state);
	ssr_jobj_int(&b, "route_attempts", c->route_attempts);
	ssr_jobj_str(&b, "route_error", c->route_error);
	json_t *a = NULL;
	int rc = b.rc != SSR_EOK ? SSR_EOK : case_parties(c, &a, diag);
	if (rc == SSR_EOK && a != NULL) {
		ssr_jobj_put(&b, "parties", a, SSR_ENOMEM);
		a = NULL;
		rc = case_events(c, &a, diag);
	}
	if (rc == SSR_EOK && a != NULL) {
		ssr_jobj_put(&b, "events", a, SSR_ENOMEM);
		a = NULL;
		rc = case_reports(c, reporters, &a, diag);
	}
	if (rc == SSR_EOK && a != NULL) {
		ssr_jobj_put(&b, "reports_received", a, SSR_ENOMEM);
		a = NULL;
	}
	if (rc != SSR_EOK) {
		json_decref(a);
		json_decref(b.o);
		return rc;
	}
	return ssr_jobj_finish(&b, WHAT, out, diag);
}

int portal_view_case_rows(const ssr_case_row_t *rows, size_t n, json_t **out, ssr_diag_t *diag)
{
	json_t *arr = NULL;
	int rc = array_new(&arr, diag);
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		const ssr_case_row_t *c = &rows[i];
		ssr_jobj_t b = ssr_jobj_new();
		ssr_jobj_int(&b, "id", c->id);
		ssr_jobj_str(&b, "domain", c->domain);
		ssr_jobj_str(&b, "tld", c->tld);
		ssr_jobj_str(&b, "category", c->category);
		ssr_jobj_str(&b, "status", c->status);
		ssr_jobj_int(&b, "opened", c->opened);
		ssr_jobj_int(&b, "reports", c->reports);
		ssr_jobj_str(&b, "party_state", c->party_state);
		rc = ssr_jobj_append(&b, WHAT, arr, diag);
	}
	if (rc != SSR_EOK) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return SSR_EOK;
}

int portal_view_report(const ssr_report_t *r, json_t **out, ssr_diag_t *diag)
{
	ssr_jobj_t b = ssr_jobj_new();
	ssr_jobj_int(&b, "id", r->id);
	ssr_jobj_str(&b, "category", r->category);
	ssr_jobj_int(&b, "received", r->received);
	ssr_jobj_doc(&b, "body", r->body);
	json_t *arr = NULL;
	int rc = b.rc != SSR_EOK ? SSR_EOK : array_new(&arr, diag);
	for (size_t i = 0; rc == SSR_EOK && arr != NULL && i < r->ncases; i++) {
		const ssr_report_case_t *c = &r->cases[i];
		ssr_jobj_t e = ssr_jobj_new();
		ssr_jobj_int(&e, "id", c->id);
		ssr_jobj_str(&e, "domain", c->domain);
		ssr_jobj_str(&e, "category", c->category);
		ssr_jobj_str(&e, "status", c->status);
		ssr_jobj_int(&e, "opened", c->opened);
		ssr_jobj_int0(&e, "closed", c->closed);
		rc = ssr_jobj_append(&e, WHAT, arr, diag);
	}
	if (rc != SSR_EOK) {
		json_decref(arr);
		json_decref(b.o);
		return rc;
	}
	if (arr != NULL) {
		ssr_jobj_put(&b, "cases", arr, SSR_ENOMEM);
	}
	return ssr_jobj_finish(&b, WHAT, out, diag);
}

int portal_view_deliveries(const ssr_delivery_attempt_t *rows, size_t n, json_t **out,
                           ssr_diag_t *diag)
{
	json_t *arr = NULL;
	int rc = array_new(&arr, diag);
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		const ssr_delivery_attempt_t *d = &rows[i];
		ssr_jobj_t b = ssr_jobj_new();
		ssr_jobj_int(&b, "delivery_id", d->delivery_id);
		ssr_jobj_int(&b, "party_id", d->party_id);
		ssr_jobj_str(&b, "channel", d->channel);
		ssr_jobj_int(&b, "attempt", d->attempt);
		ssr_jobj_int(&b, "at", d->at);
		ssr_jobj_str(&b, "state", d->state);
		ssr_jobj_str(&b, "detail", d->detail);
		rc = ssr_jobj_append(&b, WHAT, arr, diag);
	}
	if (rc != SSR_EOK) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return SSR_EOK;
}
