/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sha256.h - SHA-256 (FIPS 180-4) for the tests' checked-in digests
 */
#ifndef MNET_TEST_SHA256_H
#define MNET_TEST_SHA256_H

#include <stddef.h>
#include <stdint.h>

/**
 * mnet_test_sha256_hex() - SHA-256 of a buffer as 64 hex digits
 * @data: bytes
 * @len: their count
 * @hex: receives 64 lowercase hex digits and a NUL
 */
void mnet_test_sha256_hex(const void *data, size_t len, char hex[65]);

#endif /* MNET_TEST_SHA256_H */
