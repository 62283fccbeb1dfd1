/* tests for src/libprobe/engine.c against a responder thread on loopback (UDP and TCP) whose
 * behaviour the query name's first label picks: ok, drop, wrongid (a stray answer first),
 * other (answered from another port), bad (a malformed answer with the right ID), and over TCP
 * close (the connection closed unanswered).  TCP answers come back in reverse order. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>

#include "../test_common.h"
#include "ssrwatch/probe.h"

typedef struct {
	int udp, udp2, lst;
	uint16_t port;
	volatile int stop;
	pthread_t th;
} resp_t;

static const char *label_of(const uint8_t *m, size_t len, char *out)
{
	out[0] = '\0';
	if (len > 13 && m[12] > 0 && m[12] < 32 && 13u + m[12] <= len) {
		memcpy(out, m + 13, m[12]);
		out[m[12]] = '\0';
	}
	return out;
}

static size_t answer(const uint8_t *m, size_t len, uint8_t *r)
{
	memcpy(r, m, len);
	r[2] |= 0x84;
	return len;
}

static void on_udp(resp_t *s)
{
	uint8_t m[2048], r[2048];
	struct sockaddr_in from;
	socklen_t fl = sizeof from;
	ssize_t n = recvfrom(s->udp, m, sizeof m, 0, (struct sockaddr *)&from, &fl);
	if (n < 12) {
		return;
	}
	char lab[40];
	label_of(m, (size_t)n, lab);
	size_t rl = answer(m, (size_t)n, r);
	if (strcmp(lab, "drop") == 0) {
		return;
	}
	if (strcmp(lab, "wrongid") == 0) {
		r[1] ^= 0x5a;
		sendto(s->udp, r, rl, 0, (struct sockaddr *)&from, fl);
		r[1] ^= 0x5a;
	}
	if (strcmp(lab, "other") == 0) {
		sendto(s->udp2, r, rl, 0, (struct sockaddr *)&from, fl);
		return;
	}
	if (strcmp(lab, "bad") == 0) {
		r[5] = 9; /* nine questions in a message that has one */
	}
	sendto(s->udp, r, rl, 0, (struct sockaddr *)&from, fl);
}

/* A TCP connection: read what is there, answer it in reverse order. */
static int on_tcp(int fd)
{
	uint8_t buf[65536];
	size_t have = 0;
	ssize_t n = recv(fd, buf, sizeof buf, 0);
	if (n <= 0) {
		return -1;
	}
	have = (size_t)n;
	size_t offs[256], lens[256], k = 0;
	for (size_t o = 0; o + 2 <= have && k < 256;) {
		size_t l = (size_t)(buf[o] << 8 | buf[o + 1]);
		if (o + 2 + l > have) {
			break;
		}
		offs[k] = o + 2;
		lens[k++] = l;
		o += 2 + l;
	}
	while (k-- > 0) {
		char lab[40];
		label_of(buf + offs[k], lens[k], lab);
		if (strcmp(lab, "close") == 0) {
			return -1;
		}
		uint8_t out[2 + 2048];
		size_t rl = answer(buf + offs[k], lens[k], out + 2);
		out[0] = (uint8_t)(rl >> 8);
		out[1] = (uint8_t)rl;
		if (send(fd, out, rl + 2, MSG_NOSIGNAL) < 0) {
			return -1;
		}
	}
	return 0;
}

static void *run(void *arg)
{
	resp_t *s = arg;
	struct pollfd fds[66];
	int nconn = 0;
	int conns[64];
	while (!s->stop) {
		fds[0] = (struct pollfd){s->udp, POLLIN, 0};
		fds[1] = (struct pollfd){s->lst, POLLIN, 0};
		for (int i = 0; i < nconn; i++) {
			fds[2 + i] = (struct pollfd){conns[i], POLLIN, 0};
		}
		if (poll(fds, (nfds_t)(2 + nconn), 20) <= 0) {
			continue;
		}
		if (fds[0].revents) {
			for (int i = 0; i < 64; i++) {
				on_udp(s);
			}
		}
		if (fds[1].revents && nconn < 64) {
			int c = accept(s->lst, NULL, NULL);
			if (c >= 0) {
				conns[nconn++] = c;
			}
		}
		for (int i = 0; i < nconn; i++) {
			if (fds[2 + i].revents && on_tcp(conns[i]) != 0) {
				close(conns[i]);
				conns[i] = conns[--nconn];
				fds[2 + i] = fds[2 + nconn];
				i--;
			}
		}
	}
	for (int i = 0; i < nconn; i++) {
		close(conns[i]);
	}
	return NULL;
}

static int bind_lo(int type, uint16_t port, uint16_t *got)
{
	int fd = socket(AF_INET, type | (type == SOCK_DGRAM ? SOCK_NONBLOCK : 0), 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int one = 1, big = 1 << 20;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	socklen_t l = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &l);
	*got = ntohs(a.sin_port);
	return fd;
}

static int setup(void **state)
{
	resp_t *s = calloc(1, sizeof(*s));
	uint16_t p2;
	/* the same port for UDP and TCP */
	for (int t = 0; t < 50; t++) {
		s->udp = bind_lo(SOCK_DGRAM, 0, &s->port);
		s->lst = bind_lo(SOCK_STREAM, s->port, &p2);
		if (s->lst >= 0) {
			break;
		}
		close(s->udp);
	}
	assert_true(s->lst >= 0);
	s->udp2 = bind_lo(SOCK_DGRAM, 0, &p2);
	assert_int_equal(listen(s->lst, 64), 0);
	pthread_create(&s->th, NULL, run, s);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	resp_t *s = *state;
	s->stop = 1;
	pthread_join(s->th, NULL);
	close(s->udp);
	close(s->udp2);
	close(s->lst);
	free(s);
	return 0;
}

typedef struct {
	int n;
	int by_outcome[8];
	uint64_t seen_seq[4096];
	char labels[4096][16];
	bool ids_unique;
} tally_t;

static void count(const ssr_probe_result_t *r, void *ctx)
{
	tally_t *t = ctx;
	t->by_outcome[r->outcome]++;
	if (t->n < 4096) {
		t->seen_seq[t->n] = r->seq;
		snprintf(t->labels[t->n], sizeof t->labels[0], "%s", r->label);
	}
	t->n++;
	if (r->outcome == SSR_PROBE_ANSWER) {
		/* the answer is the query's: same ID */
		assert_int_equal(r->resp[0], r->query[0]);
		assert_int_equal(r->resp[1], r->query[1]);
	}
}

static void submit(ssr_probe_t *p, resp_t *s, const char *name, ssr_probe_transport_t tr,
                   unsigned timeout_ms, uint16_t port)
{
	static uint8_t w[512];
	ssr_probe_query_t q;
	ssr_probe_query_init(&q);
	q.qname = name;
	size_t len;
	ssr_diag_t d;
	assert_int_equal(ssr_probe_query_build(&q, w, sizeof w, &len, &d), SSR_EOK);
	ssr_probe_req_t req = {
	    .transport = tr, .query = w, .qlen = len, .timeout_ms = timeout_ms, .label = name};
	char a[40];
	snprintf(a, sizeof a, "127.0.0.1:%u", port ? port : s->port);
	assert_int_equal(ssr_probe_addr_parse(a, 53, &req.dst, &req.dst_len), SSR_EOK);
	assert_int_equal(ssr_probe_submit(p, &req, &d), SSR_EOK);
}

static void udp_many(void **state)
{
	resp_t *s = *state;
	static tally_t t;
	memset(&t, 0, sizeof t);
	ssr_probe_t *p;
	ssr_diag_t d;
	/* 50 in flight: the responder's socket buffer never overflows (UDP drops are no test) */
	ssr_probe_opts_t o = {.max_inflight = 50, .udp_sockets = 4, .done = count, .ctx = &t};
	assert_int_equal(ssr_probe_new(&o, &p, &d), SSR_EOK);
	for (int i = 0; i < 2000; i++) {
		submit(p, s, "ok.example", SSR_PROBE_UDP, 2000, 0);
	}
	assert_int_equal(ssr_probe_run(p, &d), SSR_EOK);
	assert_int_equal(t.n, 2000);
	assert_int_equal(t.by_outcome[SSR_PROBE_ANSWER], 2000);
	ssr_probe_stats_t st;
	ssr_probe_stats(p, &st);
	assert_int_equal(st.sent, 2000);
	assert_int_equal(st.answered, 2000);
	/* every submitted query came back once */
	static bool seen[2000];
	memset(seen, 0, sizeof seen);
	for (int i = 0; i < 2000; i++) {
		assert_false(seen[t.seen_seq[i]]);
		seen[t.seen_seq[i]] = true;
	}
	ssr_probe_free(p);
}

static int by_outcome(const ssr_probe_result_t *r, void *ctx)
{
	int *n = ctx;
	n[r->outcome]++;
	/* a timeout keeps its query, an answer its response */
	assert_true(r->qlen > 12);
	assert_true((r->resp != NULL) ==
	            (r->outcome != SSR_PROBE_TIMEOUT && r->outcome != SSR_PROBE_REFUSED));
	return SSR_EOK;
}

static void udp_outcomes(void **state)
{
	resp_t *s = *state;
	static tally_t t;
	memset(&t, 0, sizeof t);
	char path[] = "/tmp/ssr-eng-XXXXXX";
	close(mkstemp(path));
	ssr_probe_rec_t *rec;
	ssr_diag_t d;
	assert_int_equal(ssr_probe_rec_open(path, &rec, &d), SSR_EOK);
	ssr_probe_t *p;
	ssr_probe_opts_t o = {.done = count, .ctx = &t, .record = rec};
	assert_int_equal(ssr_probe_new(&o, &p, &d), SSR_EOK);
	submit(p, s, "drop.example", SSR_PROBE_UDP, 300, 0);
	submit(p, s, "wrongid.example", SSR_PROBE_UDP, 2000, 0);
	submit(p, s, "other.example", SSR_PROBE_UDP, 300, 0);
	submit(p, s, "bad.example", SSR_PROBE_UDP, 2000, 0);
	submit(p, s, "ok.example", SSR_PROBE_UDP, 2000, 0);
	uint16_t dead;
	close(bind_lo(SOCK_DGRAM, 0, &dead)); /* nobody there: ICMP port unreachable */
	submit(p, s, "ok.example", SSR_PROBE_UDP, 5000, dead);
	assert_int_equal(ssr_probe_run(p, &d), SSR_EOK);
	assert_int_equal(t.n, 6);
	assert_int_equal(t.by_outcome[SSR_PROBE_REFUSED], 1);   /* at once, not after 5 s */
	assert_int_equal(t.by_outcome[SSR_PROBE_TIMEOUT], 2);   /* drop, other */
	assert_int_equal(t.by_outcome[SSR_PROBE_ANSWER], 2);    /* wrongid (then right), ok */
	assert_int_equal(t.by_outcome[SSR_PROBE_MALFORMED], 1); /* bad */
	ssr_probe_stats_t st;
	ssr_probe_stats(p, &st);
	assert_int_equal(st.unsolicited, 2); /* the stray ID, the answer from another port */
	ssr_probe_free(p);
	assert_int_equal(ssr_probe_rec_close(rec, &d), SSR_EOK);
	/* the record file holds the five exchanges, in completion order */
	int n[8] = {0};
	assert_int_equal(ssr_probe_rec_read(path, by_outcome, n, &d), SSR_EOK);
	assert_int_equal(n[SSR_PROBE_TIMEOUT], 2);
	assert_int_equal(n[SSR_PROBE_ANSWER], 2);
	assert_int_equal(n[SSR_PROBE_MALFORMED], 1);
	assert_int_equal(n[SSR_PROBE_REFUSED], 1);
	unlink(path);
}

static void tcp_pipelined(void **state)
{
	resp_t *s = *state;
	static tally_t t;
	memset(&t, 0, sizeof t);
	ssr_probe_t *p;
	ssr_diag_t d;
	ssr_probe_opts_t o = {.max_inflight = 100, .tcp_pipeline = 16, .done = count, .ctx = &t};
	assert_int_equal(ssr_probe_new(&o, &p, &d), SSR_EOK);
	for (int i = 0; i < 300; i++) {
		submit(p, s, "ok.example", SSR_PROBE_TCP, 3000, 0);
	}
	assert_int_equal(ssr_probe_run(p, &d), SSR_EOK);
	assert_int_equal(t.by_outcome[SSR_PROBE_ANSWER], 300);
	ssr_probe_stats_t st;
	ssr_probe_stats(p, &st);
	/* pipelined: far fewer connections than queries */
	assert_true(st.tcp_connects >= 1 && st.tcp_connects <= 40);
	ssr_probe_free(p);

	/* a connection closed unanswered, a port nobody listens on */
	memset(&t, 0, sizeof t);
	assert_int_equal(ssr_probe_new(&o, &p, &d), SSR_EOK);
	submit(p, s, "close.example", SSR_PROBE_TCP, 3000, 0);
	uint16_t dead;
	int fd = bind_lo(SOCK_STREAM, 0, &dead); /* bound, never listening: connect is refused */
	submit(p, s, "ok.example", SSR_PROBE_TCP, 3000, dead);
	assert_int_equal(ssr_probe_run(p, &d), SSR_EOK);
	close(fd);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.by_outcome[SSR_PROBE_RESET], 1);
	assert_int_equal(t.by_outcome[SSR_PROBE_REFUSED], 1);
	ssr_probe_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(udp_many),
	    cmocka_unit_test(udp_outcomes),
	    cmocka_unit_test(tcp_pipelined),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
