/* Validated record updates for -o update. */
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "keys.h"
#include "log.h"
#include "rec.h"
#include "recupd.h"

int adm_update_args(const struct adm_opts *o)
{
	if (o->o_nname == 0 || o->o_nname != o->o_nvalue) {
		log_error("update requires name and value");
		return RC_INVAL;
	}
	return RC_OK;
}

/* Refusals that do not depend on the value. */
static int check_name(const struct rec *r, const char *name, enum adm_mode mode, int *tail)
{
	int row = keys_find_kind(name, (unsigned)r->r_kind);
	unsigned flags;

	*tail = mode == ADM_MODE_NODE;
	if (row < 0) {
		log_error("Cannot modify %s. Invalid param name.", name);
		return RC_INVAL;
	}
	flags = keys_at((size_t)row)->k_flags;
	if (mode == ADM_MODE_NODE && (flags & KF_IFACE_MODE)) {
		*tail = 0;
		log_error("Cannot modify %s. Use iface mode to update this value.", name);
		return RC_INVAL;
	}
	if ((flags & KF_RO) || (mode == ADM_MODE_IFACE && row == K_IFACE_ISCSI_IFACENAME)) {
		log_error("Cannot modify %s. It is used to look up the record and cannot be changed.",
			  name);
		return RC_INVAL;
	}
	return RC_OK;
}

int adm_update_apply(struct rec *r, const struct adm_opts *o, enum adm_mode mode, int *tail)
{
	struct rec *work = rec_dup(r);
	char msg[512];
	int rc = work ? RC_OK : RC_NOMEM;

	*tail = 0;
	for (size_t i = 0; rc == RC_OK && i < o->o_nname; i++) {
		const char *name = o->o_names[i];

		/* stock takes these in node mode and keeps nothing (the
		 * transport comes from the iface record) */
		if (mode == ADM_MODE_NODE && (!strcmp(name, keys_label(K_NODE_TRANSPORT_NAME)) ||
					      !strcmp(name, keys_name(K_IFACE_TRANSPORT_NAME))))
			continue;
		rc = check_name(work, name, mode, tail);
		if (rc != RC_OK)
			break;
		rc = rec_set_name_msg(work, name, o->o_values[i], msg, sizeof(msg));
		if (rc == RC_INVAL) {
			log_error("%s", msg);
			if (mode == ADM_MODE_NODE)
				log_error("Unknown parameter %s.", name);
			*tail = mode == ADM_MODE_NODE;
		}
	}
	if (rc == RC_OK) {
		/* commit: swap the value arrays */
		char **tmp = r->r_val;

		r->r_val = work->r_val;
		work->r_val = tmp;
	}
	rec_free(work);
	return rc;
}
