/* ssrwatch — progress bar on a terminal. */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ssrwatch/progress.h"

double ssr_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ssr_format_bytes(uint64_t bytes, char *out, size_t cap)
{
	static const char *const units[] = {"B", "kB", "MB", "GB", "TB"};
	double v = (double)bytes;
	int u = 0;
	while (v >= 1000.0 && u < 4) {
		v /= 1000.0;
		u++;
	}
	if (u == 0) {
		snprintf(out, cap, "%llu B", (unsigned long long)bytes);
	} else {
		snprintf(out, cap, "%.1f %s", v, units[u]);
	}
}

void ssr_progress_init(ssr_progress_t *p, FILE *out, const char *label, uint64_t total,
                       uint64_t min_total, bool force)
{
	memset(p, 0, sizeof(*p));
	p->label = label;
	p->total = total;
	p->started = ssr_monotonic();
	bool tty = out != NULL && isatty(fileno(out));
	if (force || (tty && total >= min_total)) {
		p->out = out;
	}
}

static void draw(ssr_progress_t *p, double now)
{
	double el = now - p->started;
	double rate = el > 0 ? (double)p->done / el : 0;
	char done[32], rt[32];
	ssr_format_bytes(p->done, done, sizeof(done));
	ssr_format_bytes((uint64_t)rate, rt, sizeof(rt));
	if (p->total > 0) {
		double f = (double)p->done / (double)p->total;
		if (f > 1) {
			f = 1;
		}
		char bar[31];
		int fill = (int)(f * 30);
		for (int i = 0; i < 30; i++) {
			bar[i] = i < fill ? '#' : '-';
		}
		bar[30] = '\0';
		double eta =
		    rate > 0 ? (double)(p->total - (p->done < p->total ? p->done : p->total)) / rate
		             : 0;
		fprintf(p->out, "\r%s [%s] %5.1f%% %s %s/s ETA %02d:%02d ", p->label, bar, f * 100,
		        done, rt, (int)eta / 60, (int)eta % 60);
	} else {
		fprintf(p->out, "\r%s %s %s/s ", p->label, done, rt);
	}
	fflush(p->out);
	p->drawn = true;
	p->last_draw = now;
}

void ssr_progress_update(ssr_progress_t *p, uint64_t done)
{
	p->done = done;
	if (p->out == NULL) {
		return;
	}
	double now = ssr_monotonic();
	if (now - p->last_draw >= 0.2) {
		draw(p, now);
	}
}

void ssr_progress_finish(ssr_progress_t *p)
{
	if (p->out == NULL) {
		return;
	}
	draw(p, ssr_monotonic());
	fputc('\n', p->out);
	fflush(p->out);
}
