/* ssrwatch — the consensus abuse categories (SSR2 Rec 11): the names feeds, the store and the
 * reports share, and the synonyms feeds use for them. */
#include <string.h>
#include <strings.h>

#include "ssrwatch/category.h"

static const struct {
	const char *name;
	ssr_abuse_category_t c;
} categories[] = {
    {"phishing", SSR_ABUSE_PHISHING},
    {"phish", SSR_ABUSE_PHISHING},
    {"malware", SSR_ABUSE_MALWARE},
    {"malware_download", SSR_ABUSE_MALWARE},
    {"malware-distribution", SSR_ABUSE_MALWARE},
    {"botnet_cc", SSR_ABUSE_BOTNET_CC},
    {"botnet-cc", SSR_ABUSE_BOTNET_CC},
    {"botnet", SSR_ABUSE_BOTNET_CC},
    {"c2", SSR_ABUSE_BOTNET_CC},
    {"cc", SSR_ABUSE_BOTNET_CC},
    {"botnet_command_and_control", SSR_ABUSE_BOTNET_CC},
    {"spam", SSR_ABUSE_SPAM},
};

int ssr_abuse_category_parse(const char *text, size_t len, ssr_abuse_category_t *out)
{
	for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++) {
		if (strlen(categories[i].name) == len &&
		    strncasecmp(categories[i].name, text, len) == 0) {
			*out = categories[i].c;
			return SSR_EOK;
		}
	}
	return SSR_EINVAL;
}

const char *ssr_abuse_category_name(ssr_abuse_category_t c)
{
	static const char *const n[] = {"phishing", "malware", "botnet_cc", "spam"};
	return (unsigned)c < SSR_ABUSE_COUNT ? n[c] : "?";
}
