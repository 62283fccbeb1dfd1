/* ssrwatch — the portal's words (vocab.c): categories, outcomes, mailboxes.  Private to libportal.
 */
#pragma once

#include <stdbool.h>

#pragma GCC visibility push(hidden)

/* The categories and outcomes the portal knows. */
extern const char *const portal_categories[];
extern const char *const portal_outcomes[];
bool portal_is_category(const char *s);
bool portal_is_outcome(const char *s);
/* One mailbox "local@domain.tld": no spaces, angle brackets, commas or line breaks. */
bool portal_is_email(const char *s);

#pragma GCC visibility pop
