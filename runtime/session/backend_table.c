// SPDX-License-Identifier: Apache-2.0
/*
 * backend_table.c - the backends in order of preference
 *
 * Choosing a backend is data: the session walks this list and, under
 * MNET_BACKEND_AUTO, takes the first that probes and initialises.
 */
#include <stddef.h>

#include "session/backend.h"

const struct mnet_backend_ops *const mnet_backends[] = {
#ifdef MNET_HAVE_OPENCL
	&mnet_backend_opencl_ops,
#endif
	&mnet_backend_cpu_ops,
	&mnet_backend_ref_ops,
	NULL,
};
