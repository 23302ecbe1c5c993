/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ref_backend.h - the reference backend's modes, one per precision
 *
 * backend_ref.c is the reference backend the session sees; it hands a
 * session to the mode its precision names (a table indexed by &enum
 * mnet_precision), fp32 where the table has no entry.
 */
#ifndef MNET_RUNTIME_REF_BACKEND_H
#define MNET_RUNTIME_REF_BACKEND_H

#include "session/backend.h"

/* precision int8: backend_ref_q.c (probe is the reference backend's own) */
extern const struct mnet_backend_ops mnet_ref_int8_ops;

#endif /* MNET_RUNTIME_REF_BACKEND_H */
