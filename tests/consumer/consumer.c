// SPDX-License-Identifier: Apache-2.0
/*
 * consumer.c - an application built against the installed library only
 * (headers from <prefix>/include, flags from pkg-config), to prove that the
 * install rules and mnet.pc are complete.
 */
#include <stdio.h>

#include <mnet/mnet.h>

int main(void)
{
	struct mnet_model *m = NULL;
	struct mnet_err err = { 0 };
	uint64_t params;

	if (mnet_model_create_synthetic(1.0f, 224, &m, &err)) {
		fprintf(stderr, "consumer: %s\n", err.msg);
		return 1;
	}
	mnet_model_totals(m, &params, NULL);
	printf("consumer: %s has %llu parameters\n", mnet_model_name(m),
	       (unsigned long long)params);
	mnet_model_free(m);
	return params == 4222057 ? 0 : 1;	/* mnet-info --synthetic 1.0 224 */
}
