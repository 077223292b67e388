/* Interfaces of libopeniscsiusr: the built-in ones and <etc>/ifaces/<name>
 * come from the record database (usr/core/idb), a session's from sysfs. Every
 * iface keeps a record form so dump/print use the one record formatter. */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "usr_priv.h"
#include "usr_sysfs.h"
#include "err.h"
#include "idb.h"
#include "rec.h"

static char *dup_or(const char *s, const char *dflt)
{
	return strdup((s && *s) ? s : dflt);
}

static int iface_complete(const struct iscsi_iface *f)
{
	return f->if_name && f->if_transport && f->if_iname && f->if_ipaddress &&
	       f->if_hwaddress && f->if_netdev && f->if_port_state &&
	       f->if_port_speed && f->if_rec;
}

struct iscsi_iface *usr_iface_from_rec(const struct rec *r)
{
	struct iscsi_iface *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->if_name = dup_or(rec_get(r, K_IFACE_ISCSI_IFACENAME), "");
	f->if_transport = dup_or(rec_get(r, K_IFACE_TRANSPORT_NAME), "");
	f->if_iname = dup_or(rec_get(r, K_IFACE_INITIATORNAME), "");
	f->if_ipaddress = dup_or(rec_get(r, K_IFACE_IPADDRESS), "");
	f->if_hwaddress = dup_or(rec_get(r, K_IFACE_HWADDRESS), "");
	f->if_netdev = dup_or(rec_get(r, K_IFACE_NET_IFACENAME), "");
	f->if_port_state = strdup("unknown");
	f->if_port_speed = strdup("unknown");
	f->if_rec = rec_dup(r);
	if (!iface_complete(f)) {
		iscsi_iface_free(f);
		return NULL;
	}
	return f;
}

/* One iscsi_host or scsi_host attribute; dflt when missing or empty. */
static char *host_attr(const char *root, const char *cls, uint32_t host,
		       const char *name, const char *dflt)
{
	char rel[128], buf[512];

	snprintf(rel, sizeof(rel), "class/%s/host%" PRIu32 "/%s", cls, host, name);
	if (usr_sysfs_read(root, rel, buf, sizeof(buf)))
		buf[0] = '\0';
	return dup_or(buf, dflt);
}

/* The record form of a sysfs iface (values the key table refuses, such
 * as an odd hardware address, are simply left out). */
static struct rec *iface_rec_of(const struct iscsi_iface *f)
{
	struct rec *r = rec_new(REC_IFACE);
	char msg[256];

	if (!r)
		return NULL;
	rec_set_msg(r, K_IFACE_ISCSI_IFACENAME, f->if_name, msg, sizeof(msg));
	rec_set_msg(r, K_IFACE_TRANSPORT_NAME, f->if_transport, msg, sizeof(msg));
	rec_set_msg(r, K_IFACE_INITIATORNAME, f->if_iname, msg, sizeof(msg));
	rec_set_msg(r, K_IFACE_IPADDRESS, f->if_ipaddress, msg, sizeof(msg));
	rec_set_msg(r, K_IFACE_HWADDRESS, f->if_hwaddress, msg, sizeof(msg));
	rec_set_msg(r, K_IFACE_NET_IFACENAME, f->if_netdev, msg, sizeof(msg));
	return r;
}

/* Kernel spellings of "not known" become the library's "unknown". */
static void normalise_port(struct iscsi_iface *f)
{
	char *u;

	if (f->if_port_state && strcmp(f->if_port_state, "Unknown!") == 0 &&
	    (u = strdup("unknown"))) {
		free(f->if_port_state);
		f->if_port_state = u;
	}
	if (f->if_port_speed && strncmp(f->if_port_speed, "Unknown", 7) == 0 &&
	    (u = strdup("unknown"))) {
		free(f->if_port_speed);
		f->if_port_speed = u;
	}
}

/* Transport name from the SCSI host's driver: "iscsi_tcp" -> "tcp". */
static char *transport_of(const char *root, uint32_t host)
{
	char *p = host_attr(root, "scsi_host", host, "proc_name", "");
	char *t;

	if (p && strncmp(p, "iscsi_", 6) == 0 && (t = strdup(p + 6))) {
		free(p);
		return t;
	}
	return p;
}

int usr_iface_from_sysfs(struct iscsi_context *ctx, uint32_t host,
			 const char *sess_iname, const char *sess_iface,
			 struct iscsi_iface **out)
{
	const char *root = ctx->ctx_sysfs;
	struct iscsi_iface *f = calloc(1, sizeof(*f));

	*out = NULL;
	if (!f)
		return LIBISCSI_ERR_NOMEM;
	f->if_transport = transport_of(root, host);
	f->if_hwaddress = host_attr(root, "iscsi_host", host, "hwaddress", "default");
	f->if_netdev = host_attr(root, "iscsi_host", host, "netdev", "default");
	f->if_ipaddress = host_attr(root, "iscsi_host", host, "ipaddress", "default");
	f->if_port_state = host_attr(root, "iscsi_host", host, "port_state", "unknown");
	f->if_port_speed = host_attr(root, "iscsi_host", host, "port_speed", "unknown");
	normalise_port(f);
	/* The session's own initiator name wins over the host's. */
	f->if_iname = *sess_iname ? strdup(sess_iname)
				  : host_attr(root, "iscsi_host", host, "initiatorname", "");
	f->if_name = dup_or(sess_iface, IFACE_DEFAULT);
	f->if_rec = iface_rec_of(f);
	if (!iface_complete(f)) {
		iscsi_iface_free(f);
		return LIBISCSI_ERR_NOMEM;
	}
	*out = f;
	return LIBISCSI_OK;
}

void iscsi_iface_free(struct iscsi_iface *f)
{
	if (!f)
		return;
	free(f->if_name);
	free(f->if_transport);
	free(f->if_iname);
	free(f->if_ipaddress);
	free(f->if_hwaddress);
	free(f->if_netdev);
	free(f->if_port_state);
	free(f->if_port_speed);
	rec_free(f->if_rec);
	free(f);
}

void iscsi_ifaces_free(struct iscsi_iface **ifaces, uint32_t iface_count)
{
	if (!ifaces)
		return;
	for (uint32_t i = 0; i < iface_count; i++)
		iscsi_iface_free(ifaces[i]);
	free(ifaces);
}

struct iface_list {
	struct iscsi_iface **il_v;
	uint32_t il_n, il_cap;
	int il_rc;
};

static int iface_collect(struct rec *r, void *arg)
{
	struct iface_list *l = arg;
	struct iscsi_iface *f, **nv;

	if (l->il_n == l->il_cap) {
		l->il_cap = l->il_cap ? l->il_cap * 2 : 8;
		nv = realloc(l->il_v, l->il_cap * sizeof(*nv));
		if (!nv)
			return l->il_rc = LIBISCSI_ERR_NOMEM;
		l->il_v = nv;
	}
	if (!(f = usr_iface_from_rec(r)))
		return l->il_rc = LIBISCSI_ERR_NOMEM;
	l->il_v[l->il_n++] = f;
	return 0;
}

/* Built-ins first ("default" before "iser"), then the rest by name. */
static int iface_rank(const struct iscsi_iface *f)
{
	if (strcmp(f->if_name, IFACE_DEFAULT) == 0)
		return 0;
	return strcmp(f->if_name, "iser") == 0 ? 1 : 2;
}

static int iface_cmp(const void *a, const void *b)
{
	const struct iscsi_iface *x = *(struct iscsi_iface *const *)a;
	const struct iscsi_iface *y = *(struct iscsi_iface *const *)b;
	int rx = iface_rank(x), ry = iface_rank(y);

	return rx != ry ? rx - ry : strcmp(x->if_name, y->if_name);
}

int iscsi_ifaces_get(struct iscsi_context *ctx, struct iscsi_iface ***ifaces,
		     uint32_t *iface_count)
{
	struct iface_list l = { NULL, 0, 0, LIBISCSI_OK };
	struct idb *db;
	int rc;

	assert(ctx != NULL);
	assert(ifaces != NULL);
	assert(iface_count != NULL);
	*ifaces = NULL;
	*iface_count = 0;
	if (idb_open(ctx->ctx_etc, &db) != RC_OK)
		return LIBISCSI_ERR_IDBM;
	rc = idb_iface_foreach(db, iface_collect, &l, NULL);
	idb_close(db);
	if (l.il_rc == LIBISCSI_OK && rc != RC_OK && rc != RC_NO_OBJS_FOUND) {
		usr_warn(ctx, "reading ifaces: %s", rc_str(rc));
		l.il_rc = LIBISCSI_ERR_IDBM;
	}
	if (l.il_rc != LIBISCSI_OK) {
		iscsi_ifaces_free(l.il_v, l.il_n);
		return l.il_rc;
	}
	if (l.il_n)
		qsort(l.il_v, l.il_n, sizeof(*l.il_v), iface_cmp);
	*ifaces = l.il_v;
	*iface_count = l.il_n;
	return LIBISCSI_OK;
}

static int iface_known(struct iscsi_context *ctx, const char *name)
{
	char path[4096];
	struct stat st;

	if (strcmp(name, IFACE_DEFAULT) == 0 || strcmp(name, "iser") == 0)
		return 1;
	snprintf(path, sizeof(path), "%s/ifaces/%s", ctx->ctx_etc, name);
	return stat(path, &st) == 0;
}

int iscsi_iface_get(struct iscsi_context *ctx, const char *iface_name,
		    struct iscsi_iface **iface)
{
	struct idb *db;
	struct rec *r = NULL;
	int rc;

	assert(ctx != NULL);
	assert(iface_name != NULL && *iface_name);
	assert(iface != NULL);
	*iface = NULL;
	if (strchr(iface_name, '/') || !iface_known(ctx, iface_name)) {
		usr_err(ctx, "iface %s not found", iface_name);
		return LIBISCSI_ERR_INVAL;
	}
	if (idb_open(ctx->ctx_etc, &db) != RC_OK)
		return LIBISCSI_ERR_IDBM;
	rc = idb_iface_read(db, iface_name, &r);
	idb_close(db);
	if (rc != RC_OK) {
		usr_err(ctx, "iface %s: %s", iface_name, rc_str(rc));
		return LIBISCSI_ERR_IDBM;
	}
	*iface = usr_iface_from_rec(r);
	rec_free(r);
	return *iface ? LIBISCSI_OK : LIBISCSI_ERR_NOMEM;
}

int iscsi_default_iface_setup(struct iscsi_context *ctx)
{
	char path[4096];

	assert(ctx != NULL);
	snprintf(path, sizeof(path), "%s/ifaces", ctx->ctx_etc);
	if (mkdir(path, 0750) == 0 || errno == EEXIST)
		return LIBISCSI_OK;
	usr_err(ctx, "could not create %s: %s", path, strerror(errno));
	return errno == EACCES ? LIBISCSI_ERR_ACCESS : LIBISCSI_ERR_IDBM;
}

#define IF_GETTER(name, field) \
	const char *iscsi_iface_##name##_get(struct iscsi_iface *iface) \
	{ assert(iface != NULL); return iface->field; }

IF_GETTER(ipaddress, if_ipaddress)
IF_GETTER(hwaddress, if_hwaddress)
IF_GETTER(netdev, if_netdev)
IF_GETTER(transport_name, if_transport)
IF_GETTER(iname, if_iname)
IF_GETTER(port_state, if_port_state)
IF_GETTER(port_speed, if_port_speed)
IF_GETTER(name, if_name)

bool iscsi_is_default_iface(struct iscsi_iface *iface)
{
	if (!iface || !iface->if_name)
		return false;
	return strcmp(iface->if_name, IFACE_DEFAULT) == 0 ||
	       strcmp(iface->if_name, "iser") == 0;
}

const char *iscsi_iface_dump_config(struct iscsi_iface *iface)
{
	assert(iface != NULL);
	return rec_format(iface->if_rec, REC_FMT_FILE);
}

void iscsi_iface_print_config(struct iscsi_iface *iface)
{
	char *s;

	assert(iface != NULL);
	if ((s = rec_format(iface->if_rec, REC_FMT_SHOW)) != NULL) {
		fputs(s, stdout);
		free(s);
	}
}
