/* SPDX-License-Identifier: Apache-2.0 */
/* clock.h - monotonic wall clock in milliseconds */
#ifndef MNET_RUNTIME_CLOCK_H
#define MNET_RUNTIME_CLOCK_H

#include <time.h>

/**
 * mnet_now_ms() - CLOCK_MONOTONIC in milliseconds
 *
 * Return: milliseconds since an arbitrary fixed point.
 */
static inline double mnet_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

#endif /* MNET_RUNTIME_CLOCK_H */
