/* tests for src/libportal/rdap.c: IANA bootstrap files (longest label suffix for names, longest
 * prefix for addresses, https preferred, bad entries named) and the registrar or network
 * holder with its abuse contact out of RDAP answers (RFC 9083 entities, jCard). */
#include "../test_common.h"
#include "ssrwatch/rdap.h"

static void bootstrap(void **state)
{
	(void)state;
	static const char dns[] = "{\"version\": \"1.0\", \"services\": ["
	                          " [[\"com\", \"net\"], [\"http://rdap.verisign.example/com/v1/\","
	                          "  \"https://rdap.verisign.example/com/v1/\"]],"
	                          " [[\"co.uk\"], [\"https://rdap.nominet.example/co/\"]],"
	                          " [[\"uk\"], [\"https://rdap.nominet.example/uk/\"]]]}";
	ssr_rdap_boot_t *b = NULL;
	ssr_diag_t d;
	assert_int_equal(ssr_rdap_boot_parse(dns, sizeof dns - 1, "dns.json", SSR_RDAP_DNS, &b, &d),
	                 SSR_EOK);
	assert_string_equal(ssr_rdap_boot_find(b, "example.com"),
	                    "https://rdap.verisign.example/com/v1/");
	assert_string_equal(ssr_rdap_boot_find(b, "shop.example.co.uk"),
	                    "https://rdap.nominet.example/co/");
	assert_string_equal(ssr_rdap_boot_find(b, "example.uk"),
	                    "https://rdap.nominet.example/uk/");
	assert_null(ssr_rdap_boot_find(b, "example.org"));
	assert_null(ssr_rdap_boot_find(b, "notcom"));
	ssr_rdap_boot_free(b);
	static const char v4[] = "{\"services\": ["
	                         " [[\"198.51.100.0/24\"], [\"https://rdap.arin.example/\"]],"
	                         " [[\"198.51.100.128/25\"], [\"https://rdap.test.example/\"]]]}";
	assert_int_equal(ssr_rdap_boot_parse(v4, sizeof v4 - 1, "ipv4.json", SSR_RDAP_IPV4, &b, &d),
	                 SSR_EOK);
	assert_string_equal(ssr_rdap_boot_find(b, "198.51.100.200"), "https://rdap.test.example/");
	assert_string_equal(ssr_rdap_boot_find(b, "198.51.100.10"), "https://rdap.arin.example/");
	assert_null(ssr_rdap_boot_find(b, "203.0.113.5"));
	ssr_rdap_boot_free(b);
	/* not a bootstrap file: an error naming it */
	assert_int_not_equal(ssr_rdap_boot_parse("[1]", 3, "x.json", SSR_RDAP_DNS, &b, &d),
	                     SSR_EOK);
	assert_non_null(strstr(d.msg, "x.json"));
	assert_int_not_equal(ssr_rdap_boot_parse("{", 1, "y.json", SSR_RDAP_DNS, &b, &d), SSR_EOK);
	assert_non_null(strstr(d.msg, "y.json"));
}

static void registrar(void **state)
{
	(void)state;
	static const char body[] =
	    "{\"objectClassName\": \"domain\", \"ldhName\": \"bad-paypal.com\", \"entities\": ["
	    " {\"objectClassName\": \"entity\", \"roles\": [\"registrant\"],"
	    "  \"vcardArray\": [\"vcard\", [[\"fn\", {}, \"text\", \"REDACTED\"]]]},"
	    " {\"objectClassName\": \"entity\", \"handle\": \"9001\", \"roles\": [\"registrar\"],"
	    "  \"publicIds\": [{\"type\": \"IANA Registrar ID\", \"identifier\": \"9001\"}],"
	    "  \"vcardArray\": [\"vcard\", [[\"version\", {}, \"text\", \"4.0\"],"
	    "   [\"fn\", {}, \"text\", \"Example Registrar, Inc.\"]]],"
	    "  \"entities\": [{\"objectClassName\": \"entity\", \"roles\": [\"abuse\"],"
	    "   \"vcardArray\": [\"vcard\", [[\"fn\", {}, \"text\", \"Abuse\"],"
	    "    [\"email\", {}, \"text\", \"abuse@registrar.example\"],"
	    "    [\"tel\", {\"type\": \"voice\"}, \"uri\", \"tel:+1.5555550100\"]]]}]}]}";
	ssr_rdap_entity_t e;
	ssr_diag_t d;
	assert_int_equal(ssr_rdap_domain_registrar(body, sizeof body - 1, &e, &d), SSR_EOK);
	assert_int_equal(e.iana_id, 9001);
	assert_string_equal(e.name, "Example Registrar, Inc.");
	assert_string_equal(e.email, "abuse@registrar.example");
	assert_non_null(strstr(e.phone, "5555550100"));
	/* no registrar entity; not RDAP */
	static const char none[] = "{\"objectClassName\": \"domain\", \"entities\": []}";
	assert_int_equal(ssr_rdap_domain_registrar(none, sizeof none - 1, &e, &d), SSR_ENOTFOUND);
	assert_int_equal(ssr_rdap_domain_registrar("<html>", 6, &e, &d), SSR_EPARSE);
	assert_int_equal(ssr_rdap_domain_registrar("[]", 2, &e, &d), SSR_EPARSE);
}

static void ip_holder(void **state)
{
	(void)state;
	static const char body[] =
	    "{\"objectClassName\": \"ip network\", \"handle\": \"NET-198-51-100-0-1\","
	    " \"name\": \"EXAMPLE-NET\", \"entities\": ["
	    " {\"objectClassName\": \"entity\", \"handle\": \"EH-1\", \"roles\": [\"registrant\"],"
	    "  \"vcardArray\": [\"vcard\", [[\"fn\", {}, \"text\", \"Example Hosting Inc.\"]]],"
	    "  \"entities\": [{\"roles\": [\"abuse\"], \"vcardArray\": [\"vcard\","
	    "   [[\"email\", {}, \"text\", \"abuse@hosting.example\"]]]}]}]}";
	ssr_rdap_entity_t e;
	ssr_diag_t d;
	assert_int_equal(ssr_rdap_ip_holder(body, sizeof body - 1, &e, &d), SSR_EOK);
	assert_string_equal(e.name, "Example Hosting Inc.");
	assert_string_equal(e.email, "abuse@hosting.example");
	assert_int_equal(e.iana_id, 0);
	assert_string_equal(e.handle, "EH-1");
	/* no registrant: the network's name and handle; without a handle (a party's key) none */
	static const char bare[] = "{\"objectClassName\": \"ip network\", \"name\": \"BARE-NET\","
	                           " \"handle\": \"NET-1\"}";
	assert_int_equal(ssr_rdap_ip_holder(bare, sizeof bare - 1, &e, &d), SSR_EOK);
	assert_string_equal(e.name, "BARE-NET");
	assert_string_equal(e.handle, "NET-1");
	assert_string_equal(e.email, "");
	static const char anon[] = "{\"objectClassName\": \"ip network\", \"name\": \"X\"}";
	assert_int_equal(ssr_rdap_ip_holder(anon, sizeof anon - 1, &e, &d), SSR_ENOTFOUND);
	static const char dom[] = "{\"objectClassName\": \"domain\", \"handle\": \"D-1\"}";
	assert_int_equal(ssr_rdap_ip_holder(dom, sizeof dom - 1, &e, &d),
	                 SSR_EPARSE); /* wrong class */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bootstrap),
	    cmocka_unit_test(registrar),
	    cmocka_unit_test(ip_holder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
