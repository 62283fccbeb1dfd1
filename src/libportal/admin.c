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

static const char *given(const char *s)
{
	return s && *s ? s : NULL;
}

int ssr_portal_party_put(ssr_store_t *st, const ssr_party_input_t *in, int64_t now, int64_t *id,
                         ssr_diag_t *diag)
{
	ssr_party_t p = {0};
	p.kind = given(in->kind);
	p.name = given(in->name);
	if (p.kind == NULL ||
	    (strcmp(p.kind, "registrar") && strcmp(p.kind, "registry") && strcmp(p.kind, "host"))) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "party: kind must be registrar, registry or host");
	}
	if (p.name == NULL || strlen(p.name) > 200) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "party: a name of at most 200 characters is required");
	}
	if (given(in->iana_id) != NULL) {
		char *end;
		errno = 0;
		long long v = strtoll(in->iana_id, &end, 10);
		if (errno != 0 || *end != '\0' || v <= 0 || *in->iana_id < '0' ||
		    *in->iana_id > '9') {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "party '%s': iana_id must be a positive integer",
			                    p.name);
		}
		p.iana_id = v;
	}
	p.handle = given(in->handle);
	p.email = given(in->email);
	p.webhook = given(in->webhook);
	p.secret = given(in->secret);
	if (p.webhook && strncmp(p.webhook, "http://", 7) && strncmp(p.webhook, "https://", 8)) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "party '%s': webhook '%s' is not an http(s) URL", p.name,
		                    p.webhook);
	}
	if (p.email && !portal_is_email(p.email)) {
		return ssr_diag_set(diag, SSR_EINVAL, "party '%s': '%s' is not an e-mail address",
		                    p.name, p.email);
	}
	if (in->delivery == NULL) {
		p.by_email = p.email != NULL;
		p.by_webhook = p.webhook != NULL;
	} else if (*in->delivery != '\0') { /* "": no channel */
		for (const char *c = in->delivery;;) {
			size_t l = strcspn(c, ",");
			if (l == 5 && strncmp(c, "email", 5) == 0) {
				p.by_email = true;
			} else if (l == 7 && strncmp(c, "webhook", 7) == 0) {
				p.by_webhook = true;
			} else {
				return ssr_diag_set(
				    diag, SSR_EINVAL,
				    "party '%s': unknown delivery '%.*s' (email, webhook)", p.name,
				    (int)(l > 40 ? 40 : l), c);
			}
			if (c[l] == '\0') {
				break;
			}
			c += l + 1;
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
	ssr_party_input_t pi = {.kind = "registry", .name = op, .email = email};
	int64_t pid = 0;
	int rc = ssr_portal_party_put(d->st, &pi, d->now, &pid, diag);
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

static int opt_smtp_url(const char *v, void *member, ssr_diag_t *diag)
{
	if (strncmp(v, "smtp://", 7) && strncmp(v, "smtps://", 8)) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "smtp-url: '%s' is not an smtp:// or smtps:// URL", v);
	}
	*(const char **)member = v;
	return SSR_EOK;
}

static int opt_smtp_from(const char *v, void *member, ssr_diag_t *diag)
{
	if (!portal_is_email(v)) {
		return ssr_diag_set(diag, SSR_EINVAL, "smtp-from: '%s' is not an e-mail address",
		                    v);
	}
	*(const char **)member = v;
	return SSR_EOK;
}

/* listen: ADDRESS:PORT (the member is the whole configuration) */
static int opt_listen(const char *v, void *member, ssr_diag_t *diag)
{
	ssr_portal_config_t *c = member;
	const char *colon = strrchr(v, ':');
	char *end;
	errno = 0;
	unsigned long port = colon ? strtoul(colon + 1, &end, 10) : 0;
	if (colon == NULL || colon == v || colon[1] < '0' || colon[1] > '9' || errno != 0 ||
	    *end != '\0' || port > 65535 || (size_t)(colon - v) >= sizeof(c->listen_buf)) {
		return ssr_diag_set(diag, SSR_EINVAL, "listen: '%s' is not ADDRESS:PORT", v);
	}
	snprintf(c->listen_buf, sizeof(c->listen_buf), "%.*s", (int)(colon - v), v);
	c->listen_addr = c->listen_buf;
	c->port = (unsigned)port;
	return SSR_EOK;
}

#define U32 0xffffffffu
#define CFG ssr_portal_config_t

static const ssr_opt_t config_options[] = {
    SSR_OPT_STR("store", CFG, store_uri),
    {.name = "listen", .type = SSR_OPT_T_FN, .off = 0, .fn = opt_listen},
    {.name = "config", .type = SSR_OPT_T_STR, .off = offsetof(CFG, config_file), .argv_only = true},
    SSR_OPT_UINT("threads", CFG, threads, 0, 4096),
    SSR_OPT_STR("base-url", CFG, base_url),
    SSR_OPT_STR("psl", CFG, psl_file),
    SSR_OPT_STR("brands", CFG, brands_file),
    SSR_OPT_STR("brand-allow", CFG, brand_allow_file),
    SSR_OPT_STR("providers", CFG, providers_file),
    SSR_OPT_STR("rdap-dns", CFG, rdap_dns),
    SSR_OPT_STR("rdap-ipv4", CFG, rdap_ipv4),
    SSR_OPT_STR("rdap-ipv6", CFG, rdap_ipv6),
    SSR_OPT_UINT("rdap-timeout-ms", CFG, rdap_timeout_ms, 0, U32),
    SSR_OPT_UINT("rdap-cache-s", CFG, rdap_cache_s, 0, U32),
    SSR_OPT_FN("smtp-url", CFG, smtp_url, opt_smtp_url),
    SSR_OPT_FN("smtp-from", CFG, smtp_from, opt_smtp_from),
    SSR_OPT_UINT("webhook-timeout-ms", CFG, webhook_timeout_ms, 0, U32),
    SSR_OPT_UINT("max-body", CFG, max_body, 0, U32),
    SSR_OPT_UINT("max-attachment", CFG, max_attachment, 0, U32),
    SSR_OPT_UINT("max-attachments", CFG, max_attachments, 0, U32),
    SSR_OPT_UINT("rate-ip", CFG, rate_ip, 0, U32),
    SSR_OPT_UINT("rate-account", CFG, rate_account, 0, U32),
    SSR_OPT_UINT("sla-ack", CFG, sla_ack_s, 1, U32),
    SSR_OPT_UINT("sla-action", CFG, sla_action_s, 1, U32),
    SSR_OPT_UINT("retry-base-s", CFG, retry_base_s, 0, U32),
    SSR_OPT_UINT("retry-max", CFG, retry_max, 1, U32),
    SSR_OPT_BOOL("secure-cookies", CFG, secure_cookies),
    SSR_OPT_BOOL("background", CFG, background),
    SSR_OPT_UINT("claim-lease-s", CFG, claim_lease_s, 0, 86400),
    SSR_OPT_BOOL("shared-limits", CFG, shared_limits),
    SSR_OPT_STR("access-log", CFG, access_log),
    SSR_OPT_UINT("conn-per-ip", CFG, conn_per_ip, 0, U32),
    SSR_OPT_UINT("header-timeout-s", CFG, header_timeout_s, 1, U32),
    SSR_OPT_UINT("stats-cache-s", CFG, stats_cache_s, 0, U32),
    SSR_OPT_UINT("wal-max-mb", CFG, wal_max_mb, 1, U32),
    SSR_OPT_HELP,
};

const ssr_opt_t *ssr_portal_config_options(size_t *n)
{
	*n = sizeof(config_options) / sizeof(config_options[0]);
	return config_options;
}

int ssr_portal_config_load(ssr_portal_config_t *c, const char *path, ssr_arena_t *keep,
                           ssr_diag_t *diag)
{
	size_t n;
	const ssr_opt_t *t = ssr_portal_config_options(&n);
	return ssr_opt_load_file(t, n, c, path, keep, diag);
}
