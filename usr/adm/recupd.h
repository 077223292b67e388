/* -o update -n NAME -v VALUE ... on a record, with stock's refusals. Every
 * pair is checked before anything changes, so a bad pair leaves the record
 * (and the file) untouched. */
#ifndef ADM_RECUPD_H
#define ADM_RECUPD_H
#include "opts.h"

struct rec;

/* RC_INVAL "update requires name and value" unless -n and -v pair up. */
int adm_update_args(const struct adm_opts *o);
/* Applies all pairs to r (mode decides the refusal wording). Prints the
 * error lines and returns RC_INVAL on the first bad pair; r is then
 * unchanged. *tail is set to 1 when stock would add "Could not execute
 * operation on all records: invalid parameter". */
int adm_update_apply(struct rec *r, const struct adm_opts *o, enum adm_mode mode, int *tail);

#endif
