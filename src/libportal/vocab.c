/* ssrwatch — the portal's words: the abuse categories and case outcomes it knows, and what an
 * abuse mailbox looks like.  Leaves: they call nothing else in the portal. */
#include <string.h>

#include "vocab.h"

const char *const portal_categories[] = {"phishing",        "malware", "botnet-c2", "spam",
                                         "misleading-name", "other",   NULL};

const char *const portal_outcomes[] = {"suspended", "deleted",  "transferred",
                                       "no-action", "not-ours", NULL};

static bool in_list(const char *const *l, const char *s)
{
	for (; s != NULL && *l != NULL; l++) {
		if (strcmp(*l, s) == 0) {
			return true;
		}
	}
	return false;
}

bool portal_is_category(const char *s)
{
	return in_list(portal_categories, s);
}

bool portal_is_outcome(const char *s)
{
	return in_list(portal_outcomes, s);
}

bool portal_is_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL || strchr(at + 1, '.') == NULL) {
		return false;
	}
	for (const char *c = s; *c; c++) {
		if ((unsigned char)*c <= ' ' || strchr("<>(),;:\\\"[]", *c) != NULL) {
			return false;
		}
	}
	return at[1] != '.' && s[strlen(s) - 1] != '.';
}
