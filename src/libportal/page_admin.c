/* ssrwatch — the administrators' page: parties and the registry directory. */
#include <stdio.h>
#include <string.h>

#include "areas.h"
#include "auth.h"
#include "html.h"
#include "ssrwatch/portal.h"

static void admin_page(ssr_portal_t *p, const req_t *q, resp_t *r, const char *msg, int status)
{
	if (!portal_page_need_session(q, r)) {
		return;
	}
	if (!portal_auth_admin(q)) {
		portal_page_message(q, r, 403, "Administration", "Administrators only.");
		return;
	}
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_diag_t d;
	ssr_party_t *parties = NULL;
	size_t np = 0;
	int rc = ssr_store_parties(st, &parties, &np, &d);
	portal_pool_put(&p->pool, st);
	if (rc != SSR_EOK) {
		portal_page_message(q, r, 500, "Administration",
		                    "The store failed; try again later.");
		return;
	}
	html_t h;
	if (!portal_html_open_page(&h, q, "Administration")) {
		ssr_store_parties_free(parties, np);
		portal_resp_error(r, 500, "out of memory");
		return;
	}
	if (msg) {
		portal_html_out(&h, "<p class=\"%s\" id=\"admin-msg\">%s</p>",
		                status >= 400 ? "err" : "", msg);
	}
	portal_html_out(
	    &h, "<h2>Parties</h2><table id=\"parties\"><tr><th>Id</th><th>Kind</th><th>Name</th>"
	        "<th>IANA id</th><th>E-mail</th><th>Webhook</th><th>Delivery</th></tr>");
	for (size_t i = 0; i < np; i++) {
		const ssr_party_t *a = &parties[i];
		portal_html_out(&h, "<tr><td>%L</td><td>%s</td><td>%s</td><td>", a->id,
		                a->kind ? a->kind : "", a->name ? a->name : "");
		if (a->iana_id > 0) {
			portal_html_out(&h, "%L", a->iana_id);
		}
		portal_html_out(&h, "</td><td>%s</td><td>%s</td><td>%s%s</td></tr>",
		                a->email ? a->email : "", a->webhook ? a->webhook : "",
		                a->by_email ? "e-mail " : "", a->by_webhook ? "webhook" : "");
	}
	ssr_store_parties_free(parties, np);
	portal_html_out(
	    &h,
	    "</table><h2>Add or update a party</h2><form method=\"post\" action=\"/admin/party\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<label for=\"kind\">Kind</label><select id=\"kind\" name=\"kind\"><option>registrar"
	    "</option><option>registry</option><option>host</option></select>"
	    "<label for=\"name\">Name</label><input type=\"text\" id=\"name\" name=\"name\">"
	    "<label for=\"iana_id\">IANA id (registrars)</label>"
	    "<input type=\"text\" id=\"iana_id\" name=\"iana_id\">"
	    "<label for=\"email\">Abuse e-mail</label><input type=\"text\" id=\"email\" "
	    "name=\"email\"><label for=\"webhook\">Webhook URL</label><input type=\"text\" "
	    "id=\"webhook\" name=\"webhook\"><label for=\"secret\">Webhook secret</label>"
	    "<input type=\"password\" id=\"secret\" name=\"secret\">"
	    "<button type=\"submit\">Save party</button></form>"
	    "<h2>Add or update a registry directory entry</h2>"
	    "<form method=\"post\" action=\"/admin/registry\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<label for=\"tld\">TLD</label><input type=\"text\" id=\"tld\" name=\"tld\">"
	    "<label for=\"operator\">Operator</label><input type=\"text\" id=\"operator\" "
	    "name=\"operator\"><label for=\"remail\">Abuse e-mail</label><input type=\"text\" "
	    "id=\"remail\" name=\"email\"><label for=\"rdap_base\">RDAP base URL</label>"
	    "<input type=\"text\" id=\"rdap_base\" name=\"rdap_base\">"
	    "<button type=\"submit\">Save entry</button></form>",
	    q->auth.who.csrf, q->auth.who.csrf);
	portal_html_close_page(&h, r, status);
}

typedef struct {
	const req_t *q;
	bool registry;
	int64_t now, id;
} admin_job_t;

static int admin_write(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	admin_job_t *j = ctx;
	const req_t *q = j->q;
	if (j->registry) {
		return ssr_portal_directory_put(
		    st, portal_req_field(q, "tld"), portal_req_field(q, "operator"),
		    portal_req_field(q, "email"), portal_req_field(q, "rdap_base"), j->now, diag);
	}
	ssr_party_input_t in = {.kind = portal_req_field(q, "kind"),
	                        .name = portal_req_field(q, "name"),
	                        .iana_id = portal_req_field(q, "iana_id"),
	                        .email = portal_req_field(q, "email"),
	                        .webhook = portal_req_field(q, "webhook"),
	                        .secret = portal_req_field(q, "secret")};
	return ssr_portal_party_put(st, &in, j->now, &j->id, diag);
}

static void admin_post(ssr_portal_t *p, const req_t *q, resp_t *r, bool registry)
{
	if (!portal_page_need_session(q, r)) {
		return;
	}
	if (!portal_auth_admin(q)) {
		portal_page_message(q, r, 403, "Administration", "Administrators only.");
		return;
	}
	if (!portal_page_csrf_ok(q, true)) {
		portal_page_csrf_refused(q, r);
		return;
	}
	admin_job_t j = {q, registry, portal_now(p), 0};
	ssr_diag_t d;
	int rc = portal_writer_run(&p->writer, admin_write, &j, &d);
	if (rc == SSR_EINVAL || rc == SSR_EPARSE) {
		admin_page(p, q, r, d.msg, 422);
	} else if (rc != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		admin_page(p, q, r, "The store failed; nothing was changed.", 500);
	} else {
		admin_page(p, q, r, registry ? "Directory entry saved." : "Party saved.", 200);
	}
}

/* ---- routes -----------------------------------------------------------------------------------
 */

void portal_page_admin_get(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	(void)a;
	admin_page(p, q, r, NULL, 200);
}

void portal_page_admin_post(ssr_portal_t *p, req_t *q, resp_t *r, const route_args_t *a)
{
	admin_post(p, q, r, strcmp(a->arg, "registry") == 0);
}
