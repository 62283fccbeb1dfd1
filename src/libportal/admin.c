/* ssrwatch — portal administration over the store: parties, accounts, API tokens, the registry
 * directory, the configuration file. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "vocab.h"
#include "ssrwatch/crypto.h"
#include "ssrwatch/csv.h"
#include "ssrwatch/lines.h"

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s && *s ? s : NULL;
}

int ssr_portal_party_put(ssr_store_t *st, json_t *in, int64_t now, int64_t *id, ssr_diag_t *diag)
{
	if (!json_is_object(in)) {
		return ssr_diag_set(diag, SSR_EINVAL, "party: a JSON object is expected");
	}
	ssr_party_t p = {0};
	p.kind = jstr(in, "kind");
	p.name = jstr(in, "name");
	if (p.kind == NULL ||
	    (strcmp(p.kind, "registrar") && strcmp(p.kind, "registry") && strcmp(p.kind, "host"))) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "party: kind must be registrar, registry or host");
	}
	if (p.name == NULL || strlen(p.name) > 200) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "party: a name of at most 200 characters is required");
	}
	json_t *iana = json_object_get(in, "iana_id");
	if (iana != NULL && !json_is_null(iana)) {
		if (!json_is_integer(iana) || json_integer_value(iana) <= 0) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "party '%s': iana_id must be a positive integer",
			                    p.name);
		}
		p.iana_id = json_integer_value(iana);
	}
	p.handle = jstr(in, "handle");
	p.email = jstr(in, "email");
	p.webhook = jstr(in, "webhook");
	p.secret = jstr(in, "secret");
	if (p.webhook && strncmp(p.webhook, "http://", 7) && strncmp(p.webhook, "https://", 8)) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "party '%s': webhook '%s' is not an http(s) URL", p.name,
		                    p.webhook);
	}
	if (p.email && !portal_is_email(p.email)) {
		return ssr_diag_set(diag, SSR_EINVAL, "party '%s': '%s' is not an e-mail address",
		                    p.name, p.email);
	}
	json_t *dl = json_object_get(in, "delivery");
	if (dl == NULL) {
		p.by_email = p.email != NULL;
		p.by_webhook = p.webhook != NULL;
	} else {
		size_t i;
		json_t *v;
		if (!json_is_array(dl)) {
			return ssr_diag_set(
			    diag, SSR_EINVAL,
			    "party '%s': delivery must be a list of \"email\", \"webhook\"",
			    p.name);
		}
		json_array_foreach(dl, i, v)
		{
			const char *c = json_string_value(v);
			if (c && strcmp(c, "email") == 0) {
				p.by_email = true;
			} else if (c && strcmp(c, "webhook") == 0) {
				p.by_webhook = true;
			} else {
				return ssr_diag_set(
				    diag, SSR_EINVAL,
				    "party '%s': unknown delivery '%s' (email, webhook)", p.name,
				    c ? c : "?");
			}
		}
	}
	if (p.by_email && p.email == NULL) {
		return ssr_diag_set(diag, SSR_EINVAL, "party '%s': e-mail delivery needs an email",
		                    p.name);
	}
	if (p.by_webhook && (p.webhook == NULL)) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "party '%s': webhook delivery needs a webhook URL", p.name);
	}
	return ssr_store_party_put(st, &p, now, id, diag);
}

int ssr_portal_account_put(ssr_store_t *st, const char *login, const char *password,
                           int64_t party_id, bool admin, int64_t now, int64_t *sessions_revoked,
                           int64_t *tokens_revoked, ssr_diag_t *diag)
{
	int64_t s0 = 0, t0 = 0;
	if (sessions_revoked == NULL) {
		sessions_revoked = &s0;
	}
	if (tokens_revoked == NULL) {
		tokens_revoked = &t0;
	}
	*sessions_revoked = *tokens_revoked = 0;
	if (login == NULL || *login == '\0' || strlen(login) > SSR_LOGIN_MAX) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "account: a login of 1 to 100 characters is required");
	}
	if (password == NULL || strlen(password) < 10 || strlen(password) > 200) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "account '%s': the password needs 10 to 200 characters", login);
	}
	if (party_id > 0) {
		ssr_party_t pr = {0};
		int rc = ssr_store_party_get(st, party_id, false, &pr, diag);
		ssr_store_party_release(&pr);
		if (rc == SSR_ENOTFOUND) {
			return ssr_diag_set(diag, SSR_ENOTFOUND, "account '%s': no party %" PRId64,
			                    login, party_id);
		}
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	char enc[256];
	if (portal_auth_hash_password(password, enc, sizeof(enc)) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EIO, "account '%s': cannot hash the password", login);
	}
	ssr_account_t old;
	int rc = ssr_store_account_by_login(st, login, &old, diag);
	if (rc != SSR_EOK && rc != SSR_ENOTFOUND) {
		return rc;
	}
	bool existed = rc == SSR_EOK;
	int64_t id;
	rc = ssr_store_begin(st, diag);
	if (rc == SSR_EOK) {
		rc = ssr_store_account_put(st, login, enc, party_id, admin, now, &id, diag);
	}
	/* a new password, party or role: whoever was logged in with the old one is logged out,
	 * and the API tokens issued under it stop working */
	if (rc == SSR_EOK && existed) {
		rc = ssr_store_account_revoke(st, id, sessions_revoked, tokens_revoked, diag);
	}
	if (rc == SSR_EOK) {
		return ssr_store_commit(st, diag);
	}
	ssr_store_rollback(st);
	return rc;
}

/* The id of an account by its login, for the token commands. */
static int account_id(ssr_store_t *st, const char *what, const char *login, int64_t *id,
                      ssr_diag_t *diag)
{
	ssr_account_t acc;
	int rc = ssr_store_account_by_login(st, login, &acc, diag);
	if (rc == SSR_ENOTFOUND) {
		return ssr_diag_set(diag, rc, "%s: no account '%s'", what, login);
	}
	if (rc == SSR_EOK) {
		*id = acc.id;
	}
	return rc;
}

int ssr_portal_token_revoke(ssr_store_t *st, const char *login, const char *label, int64_t *n,
                            ssr_diag_t *diag)
{
	int64_t id = 0;
	int rc = account_id(st, "token", login, &id, diag);
	return rc != SSR_EOK ? rc : ssr_store_token_revoke(st, id, label, n, diag);
}

int ssr_portal_tokens(ssr_store_t *st, const char *login, ssr_token_t **rows, size_t *n,
                      ssr_diag_t *diag)
{
	int64_t id = 0;
	int rc = account_id(st, "token", login, &id, diag);
	return rc != SSR_EOK ? rc : ssr_store_tokens(st, id, rows, n, diag);
}

int ssr_portal_token_new(ssr_store_t *st, const char *login, const char *label, int64_t now,
                         char out[64], ssr_diag_t *diag)
{
	int64_t aid = 0;
	int rc = account_id(st, "token", login, &aid, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if ((rc = ssr_random_token(32, out, 64)) != SSR_EOK) {
		return ssr_diag_set(diag, rc, "token: no randomness");
	}
	char digest[65];
	ssr_sha256_hex(out, digest);
	return ssr_store_token_put(st, digest, aid, label, now, diag);
}

/* ---- registry directory -------------------------------------------------------------- */

typedef struct {
	ssr_store_t *st;
	int64_t now;
	uint64_t n;
} dir_t;

static int dir_entry(dir_t *d, const char *where, const char *tld, const char *op,
                     const char *email, const char *rdap, ssr_diag_t *diag)
{
	char t[64];
	size_t tl = tld ? strlen(tld) : 0;
	while (tl > 0 && tld[tl - 1] == '.') {
		tl--;
	}
	while (tld && *tld == '.') {
		tld++, tl--;
	}
	if (tld == NULL || tl == 0 || tl >= sizeof(t)) {
		return ssr_diag_set(diag, SSR_EPARSE, "%s: bad TLD '%s'", where, tld ? tld : "");
	}
	for (size_t i = 0; i < tl; i++) {
		char c = tld[i];
		c = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
			return ssr_diag_set(diag, SSR_EPARSE, "%s: bad TLD '%s' (A-label expected)",
			                    where, tld);
		}
		t[i] = c;
	}
	t[tl] = '\0';
	if (op == NULL || *op == '\0') {
		return ssr_diag_set(diag, SSR_EPARSE, "%s: TLD '%s' has no operator", where, t);
	}
	if (rdap && *rdap && strncmp(rdap, "https://", 8) && strncmp(rdap, "http://", 7)) {
		return ssr_diag_set(diag, SSR_EPARSE, "%s: TLD '%s': RDAP base '%s' is not a URL",
		                    where, t, rdap);
	}
	json_t *pj = json_object();
	json_object_set_new(pj, "kind", json_string("registry"));
	json_object_set_new(pj, "name", json_string(op));
	if (email && *email) {
		json_object_set_new(pj, "email", json_string(email));
	}
	int64_t pid = 0;
	int rc = ssr_portal_party_put(d->st, pj, d->now, &pid, diag);
	json_decref(pj);
	if (rc != SSR_EOK) {
		return ssr_diag_set(diag, rc, "%s: %s", where, diag->msg);
	}
	ssr_registry_t r = {t, op, email && *email ? email : NULL, rdap && *rdap ? rdap : NULL,
	                    pid};
	rc = ssr_store_registry_put(d->st, &r, diag);
	d->n += rc == SSR_EOK;
	return rc;
}

int ssr_portal_directory_put(ssr_store_t *st, const char *tld, const char *op, const char *email,
                             const char *rdap_base, int64_t now, ssr_diag_t *diag)
{
	dir_t d = {st, now, 0};
	return dir_entry(&d, "directory entry", tld, op, email, rdap_base, diag);
}

static int dir_row(const char *path, uint64_t line, const char *const *f, const size_t *fl, int nf,
                   const int *cols, void *ctx, ssr_diag_t *diag)
{
	(void)fl, (void)nf;
	char where[300];
	snprintf(where, sizeof(where), "directory '%s' line %" PRIu64, path, line);
	return dir_entry(ctx, where, f[cols[0]], f[cols[1]], cols[2] >= 0 ? f[cols[2]] : NULL,
	                 cols[3] >= 0 ? f[cols[3]] : NULL, diag);
}

int ssr_portal_directory_load(ssr_store_t *st, const char *path, int64_t now, uint64_t *n,
                              ssr_diag_t *diag)
{
	dir_t d = {st, now, 0};
	size_t pl = strlen(path);
	int rc;
	if (pl > 5 && strcmp(path + pl - 5, ".json") == 0) {
		json_error_t e;
		json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
		if (j == NULL) {
			return ssr_diag_set(diag, SSR_EPARSE,
			                    "directory '%s' line %d column %d: %s", path, e.line,
			                    e.column, e.text);
		}
		if (!json_is_array(j) || json_array_size(j) == 0) {
			json_decref(j);
			return ssr_diag_set(diag, SSR_EPARSE,
			                    "directory '%s': a non-empty JSON array expected",
			                    path);
		}
		size_t i;
		json_t *v;
		rc = SSR_EOK;
		json_array_foreach(j, i, v)
		{
			char where[300];
			snprintf(where, sizeof(where), "directory '%s' entry %zu", path, i);
			rc = dir_entry(&d, where, jstr(v, "tld"), jstr(v, "operator"),
			               jstr(v, "email"), jstr(v, "rdap_base"), diag);
			if (rc != SSR_EOK) {
				break;
			}
		}
		json_decref(j);
	} else {
		static const char *const c_tld[] = {"tld", NULL},
		                         *const c_op[] = {"operator", "registry", NULL},
		                         *const c_mail[] = {"email", "abuse_email", "abuse_contact",
		                                            NULL},
		                         *const c_rdap[] = {"rdap_base", "rdap", NULL};
		static const char *const *const names[] = {c_tld, c_op, c_mail, c_rdap};
		static const bool req[] = {true, true, false, false};
		rc = ssr_csv_read_table(path, "directory", names, req, 4, dir_row, &d, diag);
	}
	*n = d.n;
	return rc;
}

/* ---- configuration file --------------------------------------------------------------- */

static int parse_uint(const char *key, const char *v, unsigned *out, ssr_diag_t *diag)
{
	char *end;
	errno = 0;
	unsigned long x = strtoul(v, &end, 10);
	if (errno || end == v || *end || x > 0xffffffffUL || *v == '-') {
		return ssr_diag_set(diag, SSR_EINVAL, "%s: '%s' is not a number", key, v);
	}
	*out = (unsigned)x;
	return SSR_EOK;
}

int ssr_portal_config_set(ssr_portal_config_t *c, const char *key, const char *v, ssr_diag_t *diag)
{
	struct {
		const char *key;
		const char **s;
		unsigned *u;
		bool *b;
	} t[] = {
	    {"store", &c->store_uri, NULL, NULL},
	    {"listen", NULL, NULL, NULL},
	    {"threads", NULL, &c->threads, NULL},
	    {"base-url", &c->base_url, NULL, NULL},
	    {"psl", &c->psl_file, NULL, NULL},
	    {"rdap-dns", &c->rdap_dns, NULL, NULL},
	    {"rdap-ipv4", &c->rdap_ipv4, NULL, NULL},
	    {"rdap-ipv6", &c->rdap_ipv6, NULL, NULL},
	    {"rdap-timeout-ms", NULL, &c->rdap_timeout_ms, NULL},
	    {"rdap-cache-s", NULL, &c->rdap_cache_s, NULL},
	    {"smtp-url", &c->smtp_url, NULL, NULL},
	    {"smtp-from", &c->smtp_from, NULL, NULL},
	    {"webhook-timeout-ms", NULL, &c->webhook_timeout_ms, NULL},
	    {"max-body", NULL, &c->max_body, NULL},
	    {"max-attachment", NULL, &c->max_attachment, NULL},
	    {"max-attachments", NULL, &c->max_attachments, NULL},
	    {"rate-ip", NULL, &c->rate_ip, NULL},
	    {"rate-account", NULL, &c->rate_account, NULL},
	    {"sla-ack", NULL, &c->sla_ack_s, NULL},
	    {"sla-action", NULL, &c->sla_action_s, NULL},
	    {"retry-base-s", NULL, &c->retry_base_s, NULL},
	    {"retry-max", NULL, &c->retry_max, NULL},
	    {"secure-cookies", NULL, NULL, &c->secure_cookies},
	    {"background", NULL, NULL, &c->background},
	    {"access-log", &c->access_log, NULL, NULL},
	    {"conn-per-ip", NULL, &c->conn_per_ip, NULL},
	    {"header-timeout-s", NULL, &c->header_timeout_s, NULL},
	    {"stats-cache-s", NULL, &c->stats_cache_s, NULL},
	    {"wal-max-mb", NULL, &c->wal_max_mb, NULL},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strcmp(t[i].key, key) != 0) {
			continue;
		}
		if (t[i].s != NULL) {
			if (strcmp(key, "smtp-url") == 0 && strncmp(v, "smtp://", 7) &&
			    strncmp(v, "smtps://", 8)) {
				return ssr_diag_set(
				    diag, SSR_EINVAL,
				    "smtp-url: '%s' is not an smtp:// or smtps:// URL", v);
			}
			if (strcmp(key, "smtp-from") == 0 && !portal_is_email(v)) {
				return ssr_diag_set(diag, SSR_EINVAL,
				                    "smtp-from: '%s' is not an e-mail address", v);
			}
			*t[i].s = v;
			return SSR_EOK;
		}
		if (t[i].u != NULL) {
			int rc = parse_uint(key, v, t[i].u, diag);
			if (rc == SSR_EOK &&
			    (strncmp(key, "sla-", 4) == 0 || strcmp(key, "retry-max") == 0 ||
			     strcmp(key, "header-timeout-s") == 0 ||
			     strcmp(key, "wal-max-mb") == 0) &&
			    *t[i].u == 0) {
				return ssr_diag_set(diag, SSR_EINVAL, "%s: must be above 0", key);
			}
			return rc;
		}
		if (t[i].b != NULL) {
			if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
			    strcmp(v, "1") == 0) {
				*t[i].b = true;
			} else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
			           strcmp(v, "0") == 0) {
				*t[i].b = false;
			} else {
				return ssr_diag_set(diag, SSR_EINVAL, "%s: yes or no, not '%s'",
				                    key, v);
			}
			return SSR_EOK;
		}
		/* listen: ADDR:PORT */
		const char *colon = strrchr(v, ':');
		unsigned port = 0;
		if (colon == NULL || colon == v ||
		    parse_uint(key, colon + 1, &port, diag) != SSR_EOK || port > 65535) {
			return ssr_diag_set(diag, SSR_EINVAL, "listen: '%s' is not ADDRESS:PORT",
			                    v);
		}
		snprintf(c->listen_buf, sizeof(c->listen_buf), "%.*s", (int)(colon - v), v);
		c->listen_addr = c->listen_buf;
		c->port = port;
		return SSR_EOK;
	}
	return ssr_diag_set(diag, SSR_EINVAL, "unknown setting '%s'", key);
}

int ssr_portal_config_load(ssr_portal_config_t *c, const char *path, json_t **keep,
                           ssr_diag_t *diag)
{
	ssr_lines_t *lr;
	int rc = ssr_lines_open(path, 4096, &lr, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (*keep == NULL) {
		*keep = json_array();
	}
	const char *p;
	size_t n;
	bool too_long;
	while ((rc = ssr_lines_next(lr, &p, &n, &too_long, diag)) == 1) {
		uint64_t line = ssr_lines_number(lr);
		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++, n--;
		}
		if (n == 0 || *p == '#') {
			continue;
		}
		const char *eq = memchr(p, '=', n);
		if (too_long || eq == NULL) {
			rc = ssr_diag_set(diag, SSR_EPARSE, "config '%s' line %" PRIu64 ": %s",
			                  path, line,
			                  too_long ? "line too long" : "expected 'key = value'");
			break;
		}
		size_t kl = (size_t)(eq - p);
		while (kl > 0 && (p[kl - 1] == ' ' || p[kl - 1] == '\t')) {
			kl--;
		}
		const char *v = eq + 1, *e = p + n;
		while (v < e && (*v == ' ' || *v == '\t')) {
			v++;
		}
		while (e > v && (e[-1] == ' ' || e[-1] == '\t')) {
			e--;
		}
		json_t *ks = json_stringn_nocheck(p, kl),
		       *vs = json_stringn_nocheck(v, (size_t)(e - v));
		json_array_append_new(*keep, ks);
		json_array_append_new(*keep, vs);
		ssr_diag_t d;
		if (ssr_portal_config_set(c, json_string_value(ks), json_string_value(vs), &d) !=
		    SSR_EOK) {
			rc = ssr_diag_set(diag, d.code, "config '%s' line %" PRIu64 ": %s", path,
			                  line, d.msg);
			break;
		}
	}
	ssr_lines_free(lr);
	return rc < 0 ? rc : SSR_EOK;
}
