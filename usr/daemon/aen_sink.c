/* The AEN sinks (see aen_sink.h): socket filters and the sink sockets. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "aen_sink.h"
#include "log.h"
#include "netlink.h"

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

/* Asked of the kernel (it doubles it) and the least accepted. At about
 * 1.3 KiB of accounting per AEN a sink holds some 25000; it is replaced
 * once a quarter full, looked at every SINK_CHECK_MS, so only a session
 * sending well over 10000 AENs a second could fill one in between. */
#define SINK_RCVBUF  (16 << 20)
#define SINK_MIN_BUF (8 << 20)
#define SINK_CHECK_MS 500

void aen_sink_init(struct aen_sink *k)
{
	memset(k, 0, sizeof(*k));
	k->k_main = -1;
}

static int attach(int fd, enum aen_filter_side side, const uint32_t *sids, unsigned n,
		  struct aen_sink *k)
{
	struct sock_fprog fp = { .filter = k->k_prog };

	fp.len = (unsigned short)aen_filter_build(side, sids, n, k->k_prog);
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp));
}

/* The kernel wants an int's worth of option even where it reads none. */
static int detach(int fd)
{
	int none = 0;

	if (setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &none, sizeof(none)) < 0 &&
	    errno != ENOENT)
		return -1;
	return 0;
}

/* The event socket's filter for the folded sessions (none: no filter). */
static int main_filter(struct aen_sink *k)
{
	unsigned n = 0;

	for (unsigned i = 0; i < k->k_n; i++)
		if (k->k_fold[i].f_fd >= 0)
			k->k_sids[n++] = k->k_fold[i].f_sid;
	if (n == 0)
		return detach(k->k_main);
	return attach(k->k_main, AEN_FILTER_MAIN, k->k_sids, n, k);
}

/* sid's sink: filtered before it joins the group, so it never holds
 * anything else. -1 with errno on failure. */
static int sink_open(struct aen_sink *k, uint32_t sid)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1u << (NL_ISCSI_GRP - 1) };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NL_ISCSI_PROTO);
	int sz = SINK_RCVBUF, got = 0;
	socklen_t gl = sizeof(got);

	if (fd < 0)
		return -1;
	if (attach(fd, AEN_FILTER_SINK, &sid, 1, k) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &gl) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	if (got < SINK_MIN_BUF) {
		close(fd);
		errno = ENOBUFS;
		return -1;
	}
	return fd;
}

/* The sink's fill in bytes; drops counted too. -1 when it cannot tell. */
static int64_t sink_fill(int fd, uint32_t *rcvbuf, uint32_t *drops)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t ml = sizeof(mem);

	if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &ml) < 0)
		return -1;
	if (rcvbuf)
		*rcvbuf = mem[SK_MEMINFO_RCVBUF];
	if (drops)
		*drops = mem[SK_MEMINFO_DROPS];
	return mem[SK_MEMINFO_RMEM_ALLOC];
}

/* Reading every AEN again, for good: the event socket passes everything
 * before the sinks go, and each folded session is owed one more scan. */
static void fold_off(struct aen_sink *k, const char *what)
{
	int e = errno;

	if (k->k_main >= 0)
		(void)detach(k->k_main);
	for (unsigned i = 0; i < k->k_n; i++) {
		if (k->k_fold[i].f_fd >= 0)
			close(k->k_fold[i].f_fd);
		k->k_fold[i].f_fd = -1;
		k->k_fold[i].f_arrived = 1;
	}
	if (!k->k_off)
		log_warn("AENs are read one by one from now on (%s: %s)", what, strerror(e));
	k->k_off = 1;
}

void aen_sink_main(struct aen_sink *k, int fd)
{
	for (unsigned i = 0; i < k->k_n; i++)
		if (k->k_fold[i].f_fd >= 0)
			close(k->k_fold[i].f_fd);
	k->k_n = 0;
	k->k_main = fd;
}

static struct aen_fold *find(const struct aen_sink *k, uint32_t sid)
{
	for (unsigned i = 0; i < k->k_n; i++)
		if (k->k_fold[i].f_sid == sid)
			return (struct aen_fold *)&k->k_fold[i];
	return NULL;
}

/* Whether AENs came to f's sink fd since its mark. */
static int came(const struct aen_fold *f, int fd)
{
	return f->f_arrived || (fd >= 0 && sink_fill(fd, NULL, NULL) > f->f_mark);
}

int aen_sink_add(struct aen_sink *k, uint32_t sid)
{
	struct aen_fold *f;
	int fd;

	if (k->k_main < 0 || k->k_off || k->k_n == AEN_FILTER_MAX_SIDS)
		return 0;
	if (find(k, sid))
		return 1;
	fd = sink_open(k, sid);
	if (fd < 0 && k->k_n == 0 && (errno == ENOBUFS || errno == EPERM)) {
		/* no rights for a sink that size: nothing folded, stay so */
		log_info("AENs are read one by one (no room for a sink: %s)", strerror(errno));
		k->k_off = 1;
		return 0;
	}
	if (fd < 0) {
		fold_off(k, "no sink socket");
		return 0;
	}
	f = &k->k_fold[k->k_n++];
	*f = (struct aen_fold){ .f_sid = sid, .f_fd = fd };
	if (main_filter(k) < 0) {
		fold_off(k, "event socket filter");
		return 0;
	}
	return 1;
}

void aen_sink_mark(struct aen_sink *k, uint32_t sid)
{
	struct aen_fold *f = find(k, sid);
	int64_t fill;

	if (!f)
		return;
	if (f->f_fd < 0) {   /* folding turned off: this scan is the one owed */
		f->f_arrived = 0;
		return;
	}
	fill = sink_fill(f->f_fd, NULL, NULL);
	f->f_mark = fill < 0 ? 0 : (uint32_t)fill;
	f->f_arrived = fill < 0;
}

int aen_sink_folded(const struct aen_sink *k, uint32_t sid)
{
	return find(k, sid) != NULL;
}

int aen_sink_arrived(const struct aen_sink *k, uint32_t sid)
{
	const struct aen_fold *f = find(k, sid);

	return f && came(f, f->f_fd);
}

int aen_sink_del(struct aen_sink *k, uint32_t sid)
{
	struct aen_fold *f = find(k, sid);
	int fd, arrived;

	if (!f)
		return 0;
	fd = f->f_fd;
	f->f_fd = -1;
	/* the event socket takes sid's AENs again before its sink is read
	 * one last time and closed */
	if (fd >= 0 && main_filter(k) < 0) {
		f->f_fd = fd;
		fold_off(k, "event socket filter");
		fd = -1;
	}
	arrived = came(f, fd);
	if (fd >= 0)
		close(fd);
	*f = k->k_fold[--k->k_n];
	return arrived;
}

int aen_sink_tick(struct aen_sink *k, int64_t now_ms)
{
	int any = 0;

	for (unsigned i = 0; i < k->k_n; i++)
		any |= k->k_fold[i].f_fd >= 0;
	if (!any)
		return -1;
	if (now_ms < k->k_checked_ms + SINK_CHECK_MS)
		return (int)(k->k_checked_ms + SINK_CHECK_MS - now_ms);
	k->k_checked_ms = now_ms;
	for (unsigned i = 0; i < k->k_n && !k->k_off; i++) {
		struct aen_fold *f = &k->k_fold[i];
		uint32_t rcvbuf = 0, drops = 0;
		int64_t fill;
		int fd;

		if (f->f_fd < 0)
			continue;
		fill = sink_fill(f->f_fd, &rcvbuf, &drops);
		if (fill < 0) {
			fold_off(k, "sink fill");
			break;
		}
		if (drops)
			log_warn("session %u: AEN sink overflowed, %u AENs not delivered "
				 "(the kernel fails the connection of such an AEN)", f->f_sid, drops);
		if (fill <= rcvbuf / 4 && !drops)
			continue;
		/* the new sink takes the AENs before the old one is read a
		 * last time and goes with its queue */
		fd = sink_open(k, f->f_sid);
		if (fd < 0) {
			fold_off(k, "no new sink socket");
			break;
		}
		f->f_arrived = came(f, f->f_fd);
		close(f->f_fd);
		f->f_fd = fd;
		f->f_mark = 0;
	}
	return SINK_CHECK_MS;
}
