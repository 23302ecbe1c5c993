// SPDX-License-Identifier: Apache-2.0
/*
 * debug.c - debug and test-only hooks shared by the backends
 *
 * DOC: planted errors
 *
 * A validator is only as good as its ability to fail.  $MNET_DEBUG_PERTURB_LAYER
 * makes a backend corrupt one layer's output right after computing it, at
 * the point where the backend writes that output (so the error flows into
 * the following layers and into mnet_session_layer_output(), exactly as a
 * wrong kernel would).  The session reads the variable once at creation
 * into its backend (&struct mnet_backend.perturb_layer); there is no global
 * state, and with the variable unset the hot path pays one integer compare
 * per layer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "support/debug.h"

int mnet_debug_perturb_layer(const char *backend)
{
	const char *e = getenv("MNET_DEBUG_PERTURB_LAYER");
	char *end;
	long v;

	if (!e || !*e)
		return -1;
	v = strtol(e, &end, 10);
	if (end == e || v < 0 || v > 1000000)
		return -1;
	if (*end == ':')
		return strcmp(end + 1, backend) ? -1 : (int)v;
	return *end ? -1 : (int)v;
}

void mnet_debug_perturb(float *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 4)
		x[i] += 0.5f * fabsf(x[i]) + 0.05f;
}

void mnet_debug_perturb_q8(uint8_t *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 4)
		x[i] = (uint8_t)(x[i] + 3);
}
