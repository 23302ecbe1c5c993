// SPDX-License-Identifier: Apache-2.0
/*
 * test_opencl_precision.c - half-precision modes on a whole model
 *
 * fp16-storage (half buffers through vload_half/vstore_half, core OpenCL
 * 1.2, float arithmetic) must run on every device and stay within 5e-3 of
 * the largest reference probability on synthetic 0.25/128 (1.7e-3 measured
 * on PoCL: each stored value carries 2^-11 relative rounding); fp16
 * arithmetic must work where the device has cl_khr_fp16 and be a clean
 * -EOPNOTSUPP naming the extension where it does not.  A separate suite
 * from test_opencl_model because every precision is another set of
 * programs to compile.  Without an OpenCL device it exits 77 (skipped).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"
#include "lib/opencl_test.h"
#include "synthetic/synthetic.h"

#ifdef MNET_HAVE_OPENCL
static char cache_dir[256];

static void test_half_modes(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	struct mnet_cl_device dev;
	struct mnet_model *m;
	float *in, *ref;
	size_t n_in = 128 * 128 * 3, n_out;
	double e;
	int ret;

	CU_ASSERT_FATAL(!mnet_cl_device_select(NULL, &dev, &err));
	CU_ASSERT_FATAL(!mnet_model_create_synthetic(0.25f, 128, &m, &err));
	n_out = mnet_model_output_size(m);
	in = malloc(n_in * sizeof(float));
	ref = malloc(n_out * sizeof(float));
	CU_ASSERT_FATAL(in && ref);
	mnet_synthetic_input(128, in);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	CU_ASSERT_FATAL(!mnet_session_create(m, &o, &s, &err));
	CU_ASSERT_FATAL(!mnet_session_run(s, in, n_in));
	memcpy(ref, mnet_session_output(s, NULL), n_out * sizeof(float));
	mnet_session_destroy(s);

	o.backend = MNET_BACKEND_OPENCL;
	o.precision = MNET_PRECISION_FP16_STORAGE;
	ret = mnet_session_create(m, &o, &s, &err);
	if (ret)
		printf("\n%s\n", err.msg);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_STRING_EQUAL(mnet_session_backend_name(s),
			       "opencl-fp16-storage");
	CU_ASSERT_EQUAL_FATAL(mnet_session_run(s, in, n_in), 0);
	e = mnet_test_max_rel_err(mnet_session_output(s, NULL), ref, n_out);
	printf("\n  fp16-storage, synthetic 0.25/128: output max rel err %.3g\n",
	       e);
	CU_ASSERT(e <= 5e-3);
	mnet_session_destroy(s);

	o.precision = MNET_PRECISION_FP16;
	ret = mnet_session_create(m, &o, &s, &err);
	if (dev.fp16) {
		CU_ASSERT_EQUAL(ret, 0);
		if (!ret) {
			CU_ASSERT_STRING_EQUAL(mnet_session_backend_name(s),
					       "opencl-fp16");
			CU_ASSERT_EQUAL(mnet_session_run(s, in, n_in), 0);
			e = mnet_test_max_rel_err(mnet_session_output(s, NULL),
						  ref, n_out);
			printf("  fp16: output max rel err %.3g\n", e);
			mnet_session_destroy(s);
		}
	} else {
		CU_ASSERT_EQUAL(ret, -EOPNOTSUPP);
		CU_ASSERT(strstr(err.msg, "cl_khr_fp16") != NULL);
	}
	free(in);
	free(ref);
	mnet_model_free(m);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "fp16-storage within 5e-3, fp16 needs cl_khr_fp16", test_half_modes },
		CU_TEST_INFO_NULL,
	};
	int ret;

	cl_test_require_device("opencl_precision", cache_dir,
			       sizeof(cache_dir));
	ret = mnet_test_run_suite("opencl_precision", tests);
	cl_test_remove_dir(cache_dir);
	return ret;
}
#else
int main(void)
{
	printf("opencl_precision: skipped: built without OpenCL\n");
	return 77;
}
#endif
