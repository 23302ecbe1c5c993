/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_q.h - the CPU backend's int8 mode (backend_cpu_q.c)
 *
 * backend_cpu.c hands a session to the mode its precision names (a table
 * indexed by &enum mnet_precision), its own float path where the table
 * has no entry.
 */
#ifndef MNET_RUNTIME_CPU_Q_H
#define MNET_RUNTIME_CPU_Q_H

#include "session/backend.h"

/* precision int8 (probe is the CPU backend's own) */
extern const struct mnet_backend_ops mnet_cpu_int8_ops;

#endif /* MNET_RUNTIME_CPU_Q_H */
