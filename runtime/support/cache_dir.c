// SPDX-License-Identifier: Apache-2.0
/* cache_dir.c - the per-user cache folder ($XDG_CACHE_HOME/mnet) */
#include <stdio.h>
#include <stdlib.h>

#include "support/cache_dir.h"

int mnet_cache_dir(char *buf, size_t len)
{
	const char *e = getenv("XDG_CACHE_HOME");

	if (e && *e) {
		snprintf(buf, len, "%s/mnet", e);
		return 1;
	}
	e = getenv("HOME");
	if (e && *e) {
		snprintf(buf, len, "%s/.cache/mnet", e);
		return 1;
	}
	return 0;
}
