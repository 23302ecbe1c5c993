// SPDX-License-Identifier: Apache-2.0
/* test_util.c - helpers shared by the CUnit suites */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <CUnit/Basic.h>

#include "lib/test_util.h"

const char *mnet_test_shared_path(const char *rel)
{
	/* a few rotating buffers, so several paths can be live in one call */
	static char bufs[8][4096];
	static unsigned int next;
	const char *dir = getenv("MNET_SHARED_DIR");
	char *buf = bufs[next++ % 8];

	snprintf(buf, sizeof(bufs[0]), "%s/%s",
		 dir && *dir ? dir : MNET_SHARED_DIR, rel);
	return buf;
}

int mnet_test_have_file(const char *rel)
{
	FILE *f = fopen(mnet_test_shared_path(rel), "rb");

	if (!f)
		return 0;
	fclose(f);
	return 1;
}

int mnet_test_write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -errno;
	ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -EIO;
}

unsigned char *mnet_test_read_file(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	long n;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		goto out_close;
	buf = malloc(n ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	*len = (size_t)n;
out_close:
	fclose(f);
	return buf;
}

double mnet_test_max_rel_err(const float *a, const float *b, size_t n)
{
	double maxref = 1e-12, maxdiff = 0.0;
	size_t i;

	for (i = 0; i < n; i++) {
		double d = fabs((double)a[i] - (double)b[i]);

		if (fabs(b[i]) > maxref)
			maxref = fabs(b[i]);
		if (d > maxdiff || d != d)
			maxdiff = d != d ? INFINITY : d;
	}
	return maxdiff / maxref;
}

void mnet_test_fill_random(float *dst, size_t n, unsigned int seed, float lo,
			   float hi)
{
	unsigned long long s = seed * 2654435761ull + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		dst[i] = lo + (hi - lo) * (float)((s >> 40) & 0xffffff) /
				     16777216.0f;
	}
}

int mnet_test_run_suite(const char *name, const CU_TestInfo *tests)
{
	CU_SuiteInfo suites[] = {
		{ .pName = name, .pTests = (CU_TestInfo *)tests },
		CU_SUITE_INFO_NULL,
	};
	unsigned int failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	if (CU_register_suites(suites) != CUE_SUCCESS) {
		CU_cleanup_registry();
		return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_tests_failed() +
		 CU_get_number_of_suites_failed();
	if (CU_get_number_of_tests_run() == 0)
		failed = 1;
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

int mnet_test_run_tool(char *out, size_t len, const char *cmd)
{
	const char *dir = getenv("MNET_TEST_TOOLS");
	size_t n = 0, r, size;
	char *full;
	FILE *p;
	int st;

	size = strlen(cmd) + 4096;
	full = malloc(size);
	if (!full || !len) {
		free(full);
		return -1;
	}
	snprintf(full, size, "cd '%s' && MNET_MODEL_DIR='%s' %s 2>&1",
		 dir ? dir : MNET_BUILD_DIR, mnet_test_shared_path("models"),
		 cmd);
	p = popen(full, "r");
	free(full);
	if (!p)
		return -1;
	while (n < len - 1 && (r = fread(out + n, 1, len - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
