/* SPDX-License-Identifier: Apache-2.0 */
/* test_util.h - helpers shared by the CUnit suites */
#ifndef MNET_TEST_UTIL_H
#define MNET_TEST_UTIL_H

#include <stddef.h>
#include <CUnit/CUnit.h>

#include "mnet/mnet.h"

/**
 * mnet_test_shared_path() - path of a file under the shared data folder
 * @rel: path relative to shared/ (e.g. "models/x.tflite")
 *
 * Honours $MNET_SHARED_DIR, else the folder configured at build time.
 *
 * Return: one of 8 rotating static buffers (not thread-safe; tests are
 * single-threaded), so up to 8 results can be used at once.
 */
const char *mnet_test_shared_path(const char *rel);

/**
 * mnet_test_have_file() - whether a shared file exists
 * @rel: path relative to shared/
 *
 * Return: 1 if it can be opened for reading.
 */
int mnet_test_have_file(const char *rel);

/**
 * mnet_test_read_file() - read a whole file into malloc'd memory
 * @path: file
 * @len: receives the length
 *
 * Return: the bytes (free() them), or NULL.
 */
unsigned char *mnet_test_read_file(const char *path, size_t *len);

/**
 * mnet_test_max_rel_err() - max |a-b| / max(max|b|, tiny) over two arrays
 * @a: values under test
 * @b: reference values
 * @n: count
 *
 * Return: the error relative to the reference's largest magnitude.
 */
double mnet_test_max_rel_err(const float *a, const float *b, size_t n);

/**
 * mnet_test_fill_random() - deterministic uniform values in [lo, hi)
 * @dst: array to fill
 * @n: count
 * @seed: seed (same seed, same values)
 * @lo: lower bound
 * @hi: upper bound
 */
void mnet_test_fill_random(float *dst, size_t n, unsigned int seed, float lo,
			   float hi);

/**
 * mnet_test_write_file() - write a whole file
 * @path: file
 * @p: bytes
 * @n: their number
 *
 * Return: 0, or a negative errno.
 */
int mnet_test_write_file(const char *path, const void *p, size_t n);

/**
 * mnet_test_run_suite() - register one suite and run it with the basic
 * runner; the return value is the process exit status
 * @name: suite name
 * @tests: NULL-terminated array of tests
 *
 * Return: 0 when every test passed, 1 otherwise.
 */
int mnet_test_run_suite(const char *name, const CU_TestInfo *tests);

/**
 * mnet_test_run_tool() - run a tool's command line and capture its output
 * @out: receives stdout and stderr, NUL-terminated (truncated to fit)
 * @len: size of @out
 * @cmd: shell command, run in $MNET_TEST_TOOLS (default: the build folder)
 *       with MNET_MODEL_DIR set to the shared models
 *
 * Return: the exit status, or -1 if it could not run or did not exit.
 */
int mnet_test_run_tool(char *out, size_t len, const char *cmd);

#endif /* MNET_TEST_UTIL_H */
