/* ssrwatch — routing of cases to parties and delivery to them (work.c, deliver.c): worker
 * threads.  Private to libportal. */
#pragma once

#include <jansson.h>

#include "portal_priv.h"

#pragma GCC visibility push(hidden)

/* Send one due delivery by e-mail or webhook and
 * log the attempt (deliver.c). */
void portal_deliver_one(ssr_portal_t *p, const ssr_delivery_due_t *due);

/* Routing and delivery workers (work.c). */
int portal_work_start(ssr_portal_t *p, ssr_diag_t *diag);
void portal_work_stop(ssr_portal_t *p);
void portal_work_kick(ssr_portal_t *p);

#pragma GCC visibility pop
