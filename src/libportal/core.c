/* ssrwatch — the portal object's own services every other file may use: its clock and log
 * lines limited per cause. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "portal_priv.h"

int64_t portal_now(const ssr_portal_t *p)
{
	return p->cfg.clock ? p->cfg.clock(p->cfg.clock_ctx) : (int64_t)time(NULL);
}

int64_t portal_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#define LOG_INTERVAL_S 60

/* One line per cause (a format string) a minute at most; the next says how many were held
 * back, so that a flood of refused connections does not become a flood of log lines. */
void portal_log_limited(ssr_portal_t *p, ssr_log_level_t level, const void *cause, const char *fmt,
                        ...)
{
	int64_t now = portal_mono_us() / 1000000;
	unsigned long held = 0;
	bool say = false;
	pthread_mutex_lock(&p->loglim_mu);
	size_t i = 0;
	while (i < PORTAL_LOG_CAUSES && p->loglim[i].cause != NULL && p->loglim[i].cause != cause) {
		i++;
	}
	if (i == PORTAL_LOG_CAUSES) {
		i = PORTAL_LOG_CAUSES - 1; /* more causes than slots: the last one is shared */
	}
	if (p->loglim[i].cause != cause) {
		p->loglim[i].cause = cause;
		p->loglim[i].last = 0;
		p->loglim[i].held = 0;
	}
	if (p->loglim[i].last == 0 || now - p->loglim[i].last >= LOG_INTERVAL_S) {
		say = true;
		held = p->loglim[i].held;
		p->loglim[i].last = now;
		p->loglim[i].held = 0;
	} else {
		p->loglim[i].held++;
	}
	pthread_mutex_unlock(&p->loglim_mu);
	if (!say) {
		return;
	}
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	msg[strcspn(msg, "\n")] = '\0';
	if (held > 0) {
		ssr_log(&p->cfg.log, level, "http", "%s (and %lu more like it in the last %d s)",
		        msg, held, LOG_INTERVAL_S);
	} else {
		ssr_log(&p->cfg.log, level, "http", "%s", msg);
	}
}
