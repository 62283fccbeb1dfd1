/* tests for src/libportal/xarf.c: portal reports as XARF v4 (xarf-core required fields, the
 * category mapping, the stable UUID, the URL choice, the description cut at a UTF-8 boundary,
 * attachments as evidence with sha256 hashes, the reporter's contact only on request) */
#include <unistd.h>

#include "../test_common.h"
#include "xarf.h"
#include "ssrwatch/crypto.h"

typedef struct {
	ssr_store_t *st;
	char path[64];
	struct ssr_portal p;
} fx_t;

static int setup(void **state)
{
	fx_t *f = calloc(1, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "/tmp/ssr-xarf-%d.db", (int)getpid());
	unlink(f->path);
	ssr_diag_t d;
	if (ssr_store_open(f->path, &f->st, &d) != SSR_EOK) {
		return -1;
	}
	ssr_portal_config_init(&f->p.cfg);
	f->p.cfg.smtp_from = "portal@ssrwatch.example";
	snprintf(f->p.base_url, sizeof(f->p.base_url), "https://portal.example");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_t *f = *state;
	ssr_store_free(f->st);
	unlink(f->path);
	free(f);
	return 0;
}

static json_t *body(const char *cat)
{
	json_error_t e;
	json_t *b = json_pack_ex(
	    &e, 0, "{s:s, s:[{s:s, s:s}, {s:s, s:s}], s:{s:s, s:s, s:I, s:[s]}, s:{s:s}}",
	    "category", cat, "targets", "input", "other.com", "domain", "other.com", "input",
	    "https://login.bad.com/v?x=1", "domain", "bad.com", "evidence", "description",
	    "credential form", "imitates", "PayPal", "observed", (json_int_t)1795000000, "urls",
	    "https://screens.example.org/1.png", "reporter", "email", "cert@cert.example");
	assert_non_null(b);
	return b;
}

static void mapping_and_core_fields(void **state)
{
	fx_t *f = *state;
	static const char *const want[][3] = {{"phishing", "content", "phishing"},
	                                      {"malware", "content", "malware"},
	                                      {"botnet-c2", "infrastructure", "botnet"},
	                                      {"spam", "messaging", "spam"},
	                                      {"misleading-name", "content", "brand_infringement"},
	                                      {"other", "reputation", "threat_intelligence"}};
	for (size_t i = 0; i < 6; i++) {
		json_t *b = body(want[i][0]), *x = NULL;
		ssr_diag_t d;
		assert_int_equal(
		    portal_xarf(&f->p, f->st, 42, 1795100000, b, "bad.com", false, &x, &d),
		    SSR_EOK);
		assert_string_equal(json_string_value(json_object_get(x, "category")), want[i][1]);
		assert_string_equal(json_string_value(json_object_get(x, "type")), want[i][2]);
		static const char *const core[] = {"xarf_version", "report_id",
		                                   "timestamp",    "reporter",
		                                   "sender",       "source_identifier"};
		for (size_t k = 0; k < 6; k++) {
			assert_non_null(json_object_get(x, core[k]));
		}
		assert_string_equal(json_string_value(json_object_get(x, "xarf_version")), "4.0.0");
		assert_string_equal(json_string_value(json_object_get(x, "source_identifier")),
		                    "bad.com");
		/* the URL on the case's domain, not the first target */
		assert_string_equal(json_string_value(json_object_get(x, "url")),
		                    "https://login.bad.com/v?x=1");
		assert_string_equal(json_string_value(json_object_get(x, "timestamp")),
		                    "2026-11-18T11:06:40Z");
		/* the reporter's contact is not given to parties */
		char *txt = json_dumps(x, 0);
		assert_null(strstr(txt, "cert@cert.example"));
		free(txt);
		json_decref(x);
		json_decref(b);
	}
}

static void uuid_stable_v4(void **state)
{
	fx_t *f = *state;
	json_t *b = body("phishing"), *x1 = NULL, *x2 = NULL, *x3 = NULL;
	ssr_diag_t d;
	assert_int_equal(portal_xarf(&f->p, f->st, 7, 0, b, "bad.com", false, &x1, &d), SSR_EOK);
	assert_int_equal(portal_xarf(&f->p, f->st, 7, 0, b, "bad.com", true, &x2, &d), SSR_EOK);
	assert_int_equal(portal_xarf(&f->p, f->st, 8, 0, b, "bad.com", false, &x3, &d), SSR_EOK);
	const char *u1 = json_string_value(json_object_get(x1, "report_id"));
	assert_int_equal(strlen(u1), 36);
	assert_int_equal(u1[14], '4');           /* version 4 */
	assert_non_null(strchr("89ab", u1[19])); /* RFC 4122 variant */
	assert_string_equal(u1, json_string_value(json_object_get(x2, "report_id")));
	assert_string_not_equal(u1, json_string_value(json_object_get(x3, "report_id")));
	/* the reporter's own export names the reporter */
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(x2, "reporter"), "contact")),
	    "cert@cert.example");
	json_decref(x1);
	json_decref(x2);
	json_decref(x3);
	json_decref(b);
}

static void evidence_and_cut(void **state)
{
	fx_t *f = *state;
	ssr_diag_t d;
	ssr_report_rec_t rec = {
	    .token_digest = "t", .category = "phishing", .received = 1, .body = "{}"};
	int64_t rid = 0;
	assert_int_equal(ssr_store_report_insert(f->st, &rec, &rid, &d), SSR_EOK);
	assert_int_equal(ssr_store_attachment_insert(f->st, rid, "shot.png", "image/png", 5, "ab12",
	                                             "aGVsbG8=", &d),
	                 SSR_EOK);
	json_t *b = body("phishing");
	/* 999 ASCII bytes then a 2-byte character: the cut keeps 999 bytes, not half of it */
	char desc[1100];
	memset(desc, 'a', 999);
	memcpy(desc + 999, "\xc3\xa9tail", 7);
	json_object_set_new(json_object_get(b, "evidence"), "description", json_string(desc));
	json_t *x = NULL;
	assert_int_equal(portal_xarf(&f->p, f->st, rid, 0, b, "bad.com", false, &x, &d), SSR_EOK);
	assert_int_equal(json_string_length(json_object_get(x, "description")), 999);
	json_t *ev = json_object_get(x, "evidence");
	assert_int_equal(json_array_size(ev), 2);
	json_t *e0 = json_array_get(ev, 0);
	assert_string_equal(json_string_value(json_object_get(e0, "content_type")), "image/png");
	assert_string_equal(json_string_value(json_object_get(e0, "payload")), "aGVsbG8=");
	assert_string_equal(json_string_value(json_object_get(e0, "hash")), "sha256:ab12");
	json_t *e1 = json_array_get(ev, 1);
	assert_string_equal(json_string_value(json_object_get(e1, "content_type")),
	                    "text/uri-list");
	/* "https://screens.example.org/1.png\n" in base64 */
	uint8_t raw[64];
	size_t n = 0;
	const char *p64 = json_string_value(json_object_get(e1, "payload"));
	assert_int_equal(ssr_base64_decode(p64, strlen(p64), raw, sizeof(raw), &n), SSR_EOK);
	assert_memory_equal(raw, "https://screens.example.org/1.png\n", n);
	assert_int_equal(n, 34);
	json_decref(x);
	json_decref(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(mapping_and_core_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(uuid_stable_v4, setup, teardown),
	    cmocka_unit_test_setup_teardown(evidence_and_cut, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
