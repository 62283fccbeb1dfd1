/* ssrwatch — the JSON views of the store's typed rows: cases, case lists, reports, delivery
 * logs.  Keys in the order docs/API.md shows them; a NULL text or a 0 id/time that the store
 * keeps as NULL is JSON null. */
#include <string.h>

#include "ssrwatch/jsonout.h"
#include "views.h"

#define WHAT "portal"

int portal_view_document(const char *text, json_t **out, ssr_diag_t *diag)
{
	ssr_jobj_t b = {NULL, SSR_EOK, "report"};
	if ((b.o = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL) == NULL) {
		b.rc = SSR_ECORRUPT;
	}
	return ssr_jobj_finish(&b, WHAT, out, diag);
}

static bool party_fill(ssr_jobj_t *b, const void *rows, size_t i, const void *ctx)
{
	(void)ctx;
	const ssr_case_party_t *p = (const ssr_case_party_t *)rows + i;
	ssr_jobj_int(b, "party_id", p->party_id);
	ssr_jobj_str(b, "role", p->role);
	ssr_jobj_str(b, "name", p->name);
	ssr_jobj_str(b, "kind", p->kind);
	ssr_jobj_int0(b, "iana_id", p->iana_id);
	return true;
}

static bool event_fill(ssr_jobj_t *b, const void *rows, size_t i, const void *ctx)
{
	(void)ctx;
	const ssr_case_event_t *e = (const ssr_case_event_t *)rows + i;
	ssr_jobj_int(b, "at", e->at);
	ssr_jobj_str(b, "kind", e->kind);
	ssr_jobj_int0(b, "party_id", e->party_id);
	ssr_jobj_str(b, "party", e->party);
	ssr_jobj_str(b, "detail", e->detail);
	return true;
}

/* ctx: a bool, whether who reported is shown */
static bool report_fill(ssr_jobj_t *b, const void *rows, size_t i, const void *ctx)
{
	const ssr_case_report_t *r = (const ssr_case_report_t *)rows + i;
	ssr_jobj_int(b, "id", r->id);
	ssr_jobj_int(b, "received", r->received);
	ssr_jobj_doc(b, "report", r->body);
	if (b->rc == SSR_EOK && !*(const bool *)ctx) {
		/* parties see the evidence, not who reported it */
		json_object_del(json_object_get(b->o, "report"), "reporter");
	}
	return true;
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
	int rc = ssr_jarr_build(c->parties, c->nparties, party_fill, NULL, WHAT, &a, diag);
	if (rc == SSR_EOK) {
		ssr_jobj_put(&b, "parties", a, SSR_ENOMEM);
		rc = ssr_jarr_build(c->events, c->nevents, event_fill, NULL, WHAT, &a, diag);
	}
	if (rc == SSR_EOK) {
		ssr_jobj_put(&b, "events", a, SSR_ENOMEM);
		rc = ssr_jarr_build(c->reports_received, c->nreports, report_fill, &reporters, WHAT,
		                    &a, diag);
	}
	if (rc == SSR_EOK) {
		ssr_jobj_put(&b, "reports_received", a, SSR_ENOMEM);
	}
	if (rc != SSR_EOK) {
		json_decref(b.o);
		return rc;
	}
	return ssr_jobj_finish(&b, WHAT, out, diag);
}

static bool row_fill(ssr_jobj_t *b, const void *rows, size_t i, const void *ctx)
{
	(void)ctx;
	const ssr_case_row_t *c = (const ssr_case_row_t *)rows + i;
	ssr_jobj_int(b, "id", c->id);
	ssr_jobj_str(b, "domain", c->domain);
	ssr_jobj_str(b, "tld", c->tld);
	ssr_jobj_str(b, "category", c->category);
	ssr_jobj_str(b, "status", c->status);
	ssr_jobj_int(b, "opened", c->opened);
	ssr_jobj_int(b, "reports", c->reports);
	ssr_jobj_str(b, "party_state", c->party_state);
	return true;
}

int portal_view_case_rows(const ssr_case_row_t *rows, size_t n, json_t **out, ssr_diag_t *diag)
{
	return ssr_jarr_build(rows, n, row_fill, NULL, WHAT, out, diag);
}

static bool report_case_fill(ssr_jobj_t *b, const void *rows, size_t i, const void *ctx)
{
	(void)ctx;
	const ssr_report_case_t *c = (const ssr_report_case_t *)rows + i;
	ssr_jobj_int(b, "id", c->id);
	ssr_jobj_str(b, "domain", c->domain);
	ssr_jobj_str(b, "category", c->category);
	ssr_jobj_str(b, "status", c->status);
	ssr_jobj_int(b, "opened", c->opened);
	ssr_jobj_int0(b, "closed", c->closed);
	return true;
}

int portal_view_report(const ssr_report_t *r, json_t **out, ssr_diag_t *diag)
{
	ssr_jobj_t b = ssr_jobj_new();
	ssr_jobj_int(&b, "id", r->id);
	ssr_jobj_str(&b, "category", r->category);
	ssr_jobj_int(&b, "received", r->received);
	ssr_jobj_doc(&b, "body", r->body);
	json_t *arr = NULL;
	int rc = ssr_jarr_build(r->cases, r->ncases, report_case_fill, NULL, WHAT, &arr, diag);
	if (rc != SSR_EOK) {
		json_decref(b.o);
		return rc;
	}
	ssr_jobj_put(&b, "cases", arr, SSR_ENOMEM);
	return ssr_jobj_finish(&b, WHAT, out, diag);
}

static bool attempt_fill(ssr_jobj_t *b, const void *rows, size_t i, const void *ctx)
{
	(void)ctx;
	const ssr_delivery_attempt_t *d = (const ssr_delivery_attempt_t *)rows + i;
	ssr_jobj_int(b, "delivery_id", d->delivery_id);
	ssr_jobj_int(b, "party_id", d->party_id);
	ssr_jobj_str(b, "channel", d->channel);
	ssr_jobj_int(b, "attempt", d->attempt);
	ssr_jobj_int(b, "at", d->at);
	ssr_jobj_str(b, "state", d->state);
	ssr_jobj_str(b, "detail", d->detail);
	return true;
}

int portal_view_deliveries(const ssr_delivery_attempt_t *rows, size_t n, json_t **out,
                           ssr_diag_t *diag)
{
	return ssr_jarr_build(rows, n, attempt_fill, NULL, WHAT, out, diag);
}
