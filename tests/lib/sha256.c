// SPDX-License-Identifier: Apache-2.0
/*
 * sha256.c - SHA-256 for the tests' checked-in digests, through Nettle
 *
 * Debian's nettle-dev (GnuTLS's hash library) rather than a hand-written
 * FIPS 180-4: a digest that is wrong in the same way on both sides of a
 * comparison would hide exactly the differences the digests are for.
 */
#include <stdio.h>

#include <nettle/sha2.h>

#include "lib/sha256.h"

void mnet_test_sha256_hex(const void *data, size_t len, char hex[65])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	int i;

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(d), d);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}
