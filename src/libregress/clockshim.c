/* libssrclock: the wall clock of an implementation under test, moved by the regression
 * timeline (the root KSK rollover suite).  Loaded with LD_PRELOAD into resolvers that ssrwatch
 * starts; CLOCK_REALTIME (and time(), gettimeofday()) run SECONDS ahead, SECONDS read from the
 * file named by SSR_CLOCK_FILE ("+SECONDS"; re-read at most every 100 ms).  The monotonic
 * clocks are left alone: timers keep their real pace, dates jump.
 *
 * Why not Debian's libfaketime: BIND 9.18 and Knot Resolver 5.6 link jemalloc, which calls
 * clock_gettime() while libfaketime initialises, and libfaketime 0.9.10 cannot start them
 * ("unexpected recursive calls to clock_gettime()", libfaketime issues #130, #327, #478).
 * The clocks never allocate and never call dlsym: they read the real clocks through syscall(),
 * so they cannot recurse.
 *
 * Waits until an absolute time (pthread_cond_timedwait, pthread_cond_clockwait: BIND's timer
 * thread) are moved back by the offset, and never wait more than 200 ms real at a time: a wait
 * that reaches that slice returns as a spurious wakeup (which POSIX allows), so that the caller
 * re-reads the clock and sees a jump within 200 ms.  The kernel's receive timestamps
 * (SO_TIMESTAMP, SO_TIMESTAMPNS in recvmsg: PowerDNS Recursor drops questions that look older
 * than a few seconds) are moved alike. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <stdbool.h>
#include <unistd.h>

#define SHIM __attribute__((visibility("default")))

static _Atomic long long shim_offset;
static _Atomic long long shim_next_check;

static long long mono_ns(void)
{
	struct timespec t = {0, 0};
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void refresh(void)
{
	long long now = mono_ns();
	if (now < atomic_load(&shim_next_check)) {
		return;
	}
	atomic_store(&shim_next_check, now + 100000000LL);
	const char *path = getenv("SSR_CLOCK_FILE");
	if (path == NULL) {
		return;
	}
	int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return;
	}
	char buf[32];
	long n = syscall(SYS_read, fd, buf, sizeof buf - 1);
	syscall(SYS_close, fd);
	if (n <= 0) {
		return;
	}
	buf[n] = '\0';
	const char *p = buf;
	int sign = 1;
	if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		p++;
	}
	long long v = 0;
	int digits = 0;
	for (; *p >= '0' && *p <= '9' && digits < 12; p++, digits++) {
		v = v * 10 + (*p - '0');
	}
	if (digits > 0) {
		atomic_store(&shim_offset, sign * v);
	}
}

SHIM int clock_gettime(clockid_t id, struct timespec *ts)
{
	long rc = syscall(SYS_clock_gettime, id, ts);
	if (rc == 0 &&
	    (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC ||
	     id == CLOCK_MONOTONIC_COARSE || id == CLOCK_MONOTONIC_RAW || id == CLOCK_BOOTTIME)) {
		refresh();
		ts->tv_sec += (time_t)atomic_load(&shim_offset);
	}
	return (int)rc;
}

SHIM int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
		return -1;
	}
	/* glibc declares tv nonnull; callers pass one */
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	if (tz != NULL) {
		struct timezone *z = tz;
		z->tz_minuteswest = 0;
		z->tz_dsttime = 0;
	}
	return 0;
}

SHIM time_t time(time_t *t)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
		return (time_t)-1;
	}
	if (t != NULL) {
		*t = ts.tv_sec;
	}
	return ts.tv_sec;
}

/* The real deadline of a faked absolute time, cut to 200 ms from now; *cut: it was cut. */
static struct timespec real_deadline(clockid_t clk, const struct timespec *abs, bool *cut)
{
	refresh();
	struct timespec d = *abs, now = {0, 0};
	d.tv_sec -= (time_t)atomic_load(&shim_offset);
	syscall(SYS_clock_gettime, clk, &now);
	long long nd = (long long)d.tv_sec * 1000000000LL + d.tv_nsec;
	long long slice = (long long)now.tv_sec * 1000000000LL + now.tv_nsec + 200000000LL;
	*cut = nd > slice;
	if (*cut) {
		d.tv_sec = (time_t)(slice / 1000000000LL);
		d.tv_nsec = (long)(slice % 1000000000LL);
	}
	return d;
}

typedef int (*timedwait_fn)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
typedef int (*clockwait_fn)(pthread_cond_t *, pthread_mutex_t *, clockid_t,
                            const struct timespec *);

SHIM int pthread_cond_timedwait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m,
                                const struct timespec *restrict abs)
{
	static timedwait_fn real;
	if (real == NULL) {
		real = (timedwait_fn)dlvsym(RTLD_NEXT, "pthread_cond_timedwait", "GLIBC_2.3.2");
	}
	if (real == NULL) {
		return EINVAL;
	}
	/* a condition variable's clock is REALTIME unless set otherwise; both are moved alike */
	bool cut;
	struct timespec d = real_deadline(CLOCK_REALTIME, abs, &cut);
	int rc = real(c, m, &d);
	return rc == ETIMEDOUT && cut ? 0 : rc;
}

SHIM int pthread_cond_clockwait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m,
                                clockid_t clk, const struct timespec *restrict abs)
{
	static clockwait_fn real;
	if (real == NULL) {
		real = (clockwait_fn)dlsym(RTLD_NEXT, "pthread_cond_clockwait");
	}
	if (real == NULL) {
		return EINVAL;
	}
	bool cut;
	struct timespec d = real_deadline(clk, abs, &cut);
	int rc = real(c, m, clk, &d);
	return rc == ETIMEDOUT && cut ? 0 : rc;
}

/* The kernel's receive timestamps in a message's control data, moved by the offset. */
static void move_stamps(struct msghdr *msg)
{
	if (msg == NULL || msg->msg_control == NULL) {
		return;
	}
	time_t off = (time_t)atomic_load(&shim_offset);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET) {
			continue;
		}
		if (c->cmsg_type == SCM_TIMESTAMP &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct timeval))) {
			struct timeval tv;
			memcpy(&tv, CMSG_DATA(c), sizeof tv);
			tv.tv_sec += off;
			memcpy(CMSG_DATA(c), &tv, sizeof tv);
		} else if (c->cmsg_type == SCM_TIMESTAMPNS &&
		           c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
			struct timespec ts;
			memcpy(&ts, CMSG_DATA(c), sizeof ts);
			ts.tv_sec += off;
			memcpy(CMSG_DATA(c), &ts, sizeof ts);
		}
	}
}

SHIM ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	long rc = syscall(SYS_recvmsg, fd, msg, flags);
	if (rc >= 0) {
		refresh();
		move_stamps(msg);
	}
	return (ssize_t)rc;
}

SHIM int recvmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags, struct timespec *timeout)
{
	long rc = syscall(SYS_recvmmsg, fd, v, n, flags, timeout);
	if (rc > 0) {
		refresh();
		for (long i = 0; i < rc; i++) {
			move_stamps(&v[i].msg_hdr);
		}
	}
	return (int)rc;
}
