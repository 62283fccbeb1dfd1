/* ssrwatch — the consensus abuse categories (libssr, category.c). */
#pragma once

#include <stddef.h>

#include "ssrwatch/error.h"

/* The consensus abuse categories (SSR2 Rec 11). */
typedef enum {
	SSR_ABUSE_PHISHING = 0,
	SSR_ABUSE_MALWARE = 1,
	SSR_ABUSE_BOTNET_CC = 2,
	SSR_ABUSE_SPAM = 3,
	SSR_ABUSE_COUNT
} ssr_abuse_category_t;

/* "phishing", "malware", "botnet_cc", "spam" and common synonyms ("phish", "c2", ...).
 * Errors: SSR_EINVAL (not one of the categories). */
int ssr_abuse_category_parse(const char *text, size_t len, ssr_abuse_category_t *out) SSR_CHECK;
const char *ssr_abuse_category_name(ssr_abuse_category_t c);
