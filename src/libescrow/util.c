/* libescrow: the RST StandardRDE code table and the value rules the checks share (ISO 3166
 * country codes, RFC 5322 addresses, RFC 5730 repository object IDs, xsd:dateTime). */
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/date.h"
#include "ssrwatch/escrow.h"

/* ICANN RST v2.0 StandardRDE (rst-test-specs inc/rde): every error code, its test case and its
 * severity, sorted by code. */
static const ssr_rde_code_t codes[] = {
    {"RDE_CONTACT_HAS_INVALID_CC", "rde-09", SSR_RDE_SEV_ERROR},
    {"RDE_CONTACT_HAS_INVALID_EMAIL", "rde-09", SSR_RDE_SEV_ERROR},
    {"RDE_CONTACT_HAS_INVALID_ROID", "rde-09", SSR_RDE_SEV_ERROR},
    {"RDE_CONTACT_HAS_MULTIPLE_POSTALINFO_TYPES", "rde-09", SSR_RDE_SEV_ERROR},
    {"RDE_CONTACT_HAS_NON_UNIQUE_ID", "rde-09", SSR_RDE_SEV_ERROR},
    {"RDE_CONTACT_HAS_NON_UNIQUE_ROID", "rde-09", SSR_RDE_SEV_ERROR},
    {"RDE_CONTACT_HAS_UNKNOWN_ACRR", "rde-09", SSR_RDE_SEV_ERROR},
    {"RDE_CONTACT_HAS_UNKNOWN_CLID", "rde-09", SSR_RDE_SEV_ERROR},
    {"RDE_CONTACT_HAS_UNKNOWN_CRRR", "rde-09", SSR_RDE_SEV_ERROR},
    {"RDE_CONTACT_HAS_UNKNOWN_RERR", "rde-09", SSR_RDE_SEV_ERROR},
    {"RDE_CONTACT_HAS_UNKNOWN_UPRR", "rde-09", SSR_RDE_SEV_ERROR},
    {"RDE_CONTACT_OBJECT_MISSING", "rde-09", SSR_RDE_SEV_ERROR},
    {"RDE_DECRYPTION_FAILED", "rde-03", SSR_RDE_SEV_CRITICAL},
    {"RDE_DOMAIN_HAS_INVALID_ACRR", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_INVALID_CLID", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_INVALID_CRDATE", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_INVALID_CRRR", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_INVALID_EXDATE", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_INVALID_NAME", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_INVALID_REGISTRANT", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_INVALID_RERR", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_INVALID_ROID", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_INVALID_STATUS", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_INVALID_UPRR", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_MISSING_CLID", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_MISSING_CONTACT", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_MISSING_CRDATE", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_MISSING_EXDATE", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_MISSING_NAMESERVER", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_MISSING_REGISTRANT", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_MISSING_ROID", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_MISSING_STATUS", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_NON_UNIQUE_NAME", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_NON_UNIQUE_ROID", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_UNEXPECTED_HOST_ATTRIBUTES", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_HAS_UNEXPECTED_HOST_OBJECTS", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_DOMAIN_OBJECT_MISSING", "rde-07", SSR_RDE_SEV_ERROR},
    {"RDE_EPP_PARAMS_MISSING_EXTURI", "rde-13", SSR_RDE_SEV_ERROR},
    {"RDE_EPP_PARAMS_MISSING_OBJURI", "rde-13", SSR_RDE_SEV_ERROR},
    {"RDE_EPP_PARAMS_UNEXPECTED_EXTURI", "rde-13", SSR_RDE_SEV_ERROR},
    {"RDE_EPP_PARAMS_UNEXPECTED_OBJURI", "rde-13", SSR_RDE_SEV_ERROR},
    {"RDE_HOST_HAS_INVALID_CLID", "rde-08", SSR_RDE_SEV_ERROR},
    {"RDE_HOST_HAS_INVALID_IP_ADDRESS", "rde-08", SSR_RDE_SEV_ERROR},
    {"RDE_HOST_HAS_INVALID_NAME", "rde-08", SSR_RDE_SEV_ERROR},
    {"RDE_HOST_HAS_INVALID_ROID", "rde-08", SSR_RDE_SEV_ERROR},
    {"RDE_HOST_HAS_INVALID_STATUS", "rde-08", SSR_RDE_SEV_ERROR},
    {"RDE_HOST_HAS_MISSING_CLID", "rde-08", SSR_RDE_SEV_ERROR},
    {"RDE_HOST_HAS_MISSING_IP_ADDRESS", "rde-08", SSR_RDE_SEV_ERROR},
    {"RDE_HOST_HAS_MISSING_ROID", "rde-08", SSR_RDE_SEV_ERROR},
    {"RDE_HOST_HAS_MISSING_STATUS", "rde-08", SSR_RDE_SEV_ERROR},
    {"RDE_HOST_HAS_NON_UNIQUE_NAME", "rde-08", SSR_RDE_SEV_ERROR},
    {"RDE_HOST_HAS_NON_UNIQUE_ROID", "rde-08", SSR_RDE_SEV_ERROR},
    {"RDE_HOST_OBJECT_MISSING", "rde-08", SSR_RDE_SEV_ERROR},
    {"RDE_IDN_OBJECT_INVALID", "rde-11", SSR_RDE_SEV_ERROR},
    {"RDE_IDN_OBJECT_MISSING", "rde-11", SSR_RDE_SEV_ERROR},
    {"RDE_IDN_OBJECT_UNEXPECTED", "rde-11", SSR_RDE_SEV_ERROR},
    {"RDE_INVALID_CSV", "rde-04", SSR_RDE_SEV_ERROR},
    {"RDE_INVALID_FILENAME", "rde-01", SSR_RDE_SEV_ERROR},
    {"RDE_INVALID_SIGNATURE", "rde-02", SSR_RDE_SEV_ERROR},
    {"RDE_ISREQUIRED_ATTRIBUTE_IS_ABSENT", "rde-15", SSR_RDE_SEV_ERROR},
    {"RDE_ISREQUIRED_ATTRIBUTE_IS_FALSE", "rde-15", SSR_RDE_SEV_ERROR},
    {"RDE_ISREQUIRED_ATTRIBUTE_IS_TRUE", "rde-15", SSR_RDE_SEV_ERROR},
    {"RDE_MENU_AND_HEADER_URIS_DIFFER", "rde-05", SSR_RDE_SEV_ERROR},
    {"RDE_MISSING_EPP_PARAMS_OBJECT", "rde-13", SSR_RDE_SEV_ERROR},
    {"RDE_MISSING_FILES", "rde-04", SSR_RDE_SEV_CRITICAL},
    {"RDE_MISSING_OBJECT_URI", "rde-05", SSR_RDE_SEV_ERROR},
    {"RDE_MULTIPLE_EPP_PARAMS_OBJECTS", "rde-13", SSR_RDE_SEV_ERROR},
    {"RDE_NNDN_CONFLICTS_WITH_DOMAIN", "rde-12", SSR_RDE_SEV_ERROR},
    {"RDE_NNDN_HAS_NON_UNIQUE_NAME", "rde-12", SSR_RDE_SEV_ERROR},
    {"RDE_OBJECT_COUNT_MISMATCH", "rde-06", SSR_RDE_SEV_ERROR},
    {"RDE_OBJECT_HAS_MIXED_TYPES", "rde-04", SSR_RDE_SEV_ERROR},
    {"RDE_POLICY_OBJECT_INVALID", "rde-14", SSR_RDE_SEV_ERROR},
    {"RDE_POLICY_OBJECT_MISSING", "rde-14", SSR_RDE_SEV_ERROR},
    {"RDE_POLICY_OBJECT_MISSING_OBJECTS", "rde-14", SSR_RDE_SEV_ERROR},
    {"RDE_REGISTRAR_HAS_INVALID_GURID", "rde-10", SSR_RDE_SEV_ERROR},
    {"RDE_REGISTRAR_HAS_INVALID_ID", "rde-10", SSR_RDE_SEV_ERROR},
    {"RDE_REGISTRAR_HAS_INVALID_NAME", "rde-10", SSR_RDE_SEV_ERROR},
    {"RDE_REGISTRAR_HAS_MISSING_GURID", "rde-10", SSR_RDE_SEV_ERROR},
    {"RDE_REGISTRAR_HAS_MISSING_ID", "rde-10", SSR_RDE_SEV_ERROR},
    {"RDE_REGISTRAR_HAS_MISSING_NAME", "rde-10", SSR_RDE_SEV_ERROR},
    {"RDE_REGISTRAR_HAS_NON_UNIQUE_ID", "rde-10", SSR_RDE_SEV_ERROR},
    {"RDE_REGISTRAR_OBJECT_MISSING", "rde-10", SSR_RDE_SEV_ERROR},
    {"RDE_SCHEMA_VALIDATION_ERROR", "rde-04", SSR_RDE_SEV_CRITICAL},
    {"RDE_UNEXPECTED_OBJECT", "rde-06", SSR_RDE_SEV_ERROR},
    {"RDE_UNEXPECTED_OBJECT_URI", "rde-05", SSR_RDE_SEV_ERROR},
    {"RDE_XML_PARSE_ERROR", "rde-04", SSR_RDE_SEV_CRITICAL},
};

const ssr_rde_code_t *ssr_rde_codes(size_t *n)
{
	*n = sizeof codes / sizeof codes[0];
	return codes;
}

int ssr_rde_code_index(const char *code)
{
	size_t lo = 0, hi = sizeof codes / sizeof codes[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(code, codes[mid].code);
		if (c == 0) {
			return (int)mid;
		}
		if (c < 0) {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}
	return -1;
}

/* ISO 3166-1 alpha-2, the officially assigned codes (249), sorted. */
static const char iso3166[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW";

bool ssr_rde_cc_valid(const char *cc)
{
	if (!cc || strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z') {
		return false;
	}
	for (const char *p = iso3166; *p; p += 3) {
		if (p[0] == cc[0] && p[1] == cc[1]) {
			return true;
		}
		if (!p[2]) {
			break;
		}
	}
	return false;
}

/* RFC 5322 atext */
static bool atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL || c >= 0x80; /* RFC 6532: UTF-8 */
}

/* a dot-atom: atoms of atext joined by single dots */
static bool dot_atom(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.' || s[n - 1] == '.') {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.') {
				return false;
			}
		} else if (!atext((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

bool ssr_rde_email_valid(const char *s)
{
	if (!s) {
		return false;
	}
	const char *at = strrchr(s, '@');
	if (!at || at == s || !at[1]) {
		return false;
	}
	size_t ln = (size_t)(at - s);
	bool local_ok;
	if (s[0] == '"') { /* quoted-string: printable ASCII with \-escapes */
		local_ok = ln >= 2 && s[ln - 1] == '"';
		for (size_t i = 1; local_ok && i + 1 < ln; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c == '\\') {
				i++;
			} else if (c == '"' || c < 0x20 || c == 0x7f) {
				local_ok = false;
			}
		}
	} else {
		local_ok = dot_atom(s, ln);
	}
	if (!local_ok) {
		return false;
	}
	const char *d = at + 1;
	size_t dn = strlen(d);
	if (d[0] == '[') { /* domain-literal */
		if (d[dn - 1] != ']') {
			return false;
		}
		for (size_t i = 1; i + 1 < dn; i++) {
			unsigned char c = (unsigned char)d[i];
			if (c == '[' || c == ']' || c == '\\' || c <= 0x20 || c == 0x7f) {
				return false;
			}
		}
		return dn > 2;
	}
	return dot_atom(d, dn);
}

static bool word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

bool ssr_rde_roid_valid(const char *s, const char **repo)
{
	if (!s) {
		return false;
	}
	const char *dash = strrchr(s, '-');
	if (!dash) {
		return false;
	}
	size_t a = (size_t)(dash - s), b = strlen(dash + 1);
	if (a < 1 || a > 80 || b < 1 || b > 8) {
		return false;
	}
	for (size_t i = 0; i < a; i++) {
		if (!word((unsigned char)s[i])) {
			return false;
		}
	}
	for (size_t i = 0; i < b; i++) {
		if (!word((unsigned char)dash[1 + i])) {
			return false;
		}
	}
	if (repo) {
		*repo = dash + 1;
	}
	return true;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int ssr_escrow_time_parse(const char *s, int64_t *t)
{
	if (!s || strlen(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':') {
		return SSR_EPARSE;
	}
	int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2), h = num(s + 11, 2),
	    mi = num(s + 14, 2), se = num(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 24 || mi < 0 || mi > 59 ||
	    se < 0 || se > 60) {
		return SSR_EPARSE;
	}
	int32_t day = ssr_date_from_civil(y, (unsigned)mo, (unsigned)d);
	int yy;
	unsigned mm, dd;
	ssr_date_to_civil(day, &yy, &mm, &dd);
	if (yy != y || (int)mm != mo || (int)dd != d) {
		return SSR_EPARSE; /* 2026-02-30 */
	}
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9') {
			return SSR_EPARSE;
		}
		while (*p >= '0' && *p <= '9') {
			p++;
		}
	}
	int64_t off = 0;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh = num(p + 1, 2), om = p[3] == ':' ? num(p + 4, 2) : -1;
		if (oh < 0 || oh > 14 || om < 0 || om > 59) {
			return SSR_EPARSE;
		}
		off = (int64_t)(oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
		p += 6;
	}
	if (*p) {
		return SSR_EPARSE;
	}
	*t = (int64_t)day * 86400 + h * 3600 + mi * 60 + se - off;
	return SSR_EOK;
}
