// SPDX-License-Identifier: Apache-2.0
/*
 * test_tune_space.c - the tuner's candidate space (tuner_space.c)
 *
 * No device needed: the space only reads the device's limits, so a
 * described CPU device is enough.
 *  - a 1x1 stride-1 CONV2D runs on the pwconv kernel (its op entry
 *    redirects), so it gets pwconv's tile candidates, in every mode, the
 *    same kernel candidates as the equal PWCONV2D layer;
 *  - a general 3x3 CONV2D gets vector widths, never tiles;
 *  - softmax's work-groups are powers of two along x only.
 * Without OpenCL the suite exits 77 (skipped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"

#ifdef MNET_HAVE_OPENCL
#include "opencl/cl_layer.h"
#include "tune/tuner_space.h"

static struct mnet_cl_device dev;

static void fake_cpu(void)
{
	memset(&dev, 0, sizeof(dev));
	dev.type = CL_DEVICE_TYPE_CPU;
	dev.compute_units = 4;
	dev.max_wg = 4096;
	dev.max_items[0] = dev.max_items[1] = dev.max_items[2] = 4096;
	dev.local_mem = 65536;
}

static struct mnet_layer conv(enum mnet_op op, int k, int stride)
{
	struct mnet_layer l;

	memset(&l, 0, sizeof(l));
	l.op = op;
	l.in = 0;
	l.in2 = -1;
	l.out = 1;
	l.kh = l.kw = k;
	l.stride_h = l.stride_w = stride;
	l.in_shape = (struct mnet_shape){ 14, 14, 32 };
	l.out_shape = (struct mnet_shape){ 14 / stride, 14 / stride, 64 };
	l.act = MNET_ACT_RELU6;
	return l;
}

/* The candidates of @l in @mode; returns their number. */
static int space(const struct mnet_layer *l, enum mnet_tune_mode mode,
		 struct mnet_tune_cand *c)
{
	struct mnet_cl_layer_cfg def;
	int n = 0;

	mnet_cl_layer_cfg_default(l, &dev, &def);
	mnet_tune_space(&dev, mnet_cl_precision_get(MNET_PRECISION_FP32), mode,
			0, l, &def, c, &n);
	return n;
}

/* Distinct pixels-per-work-item values among the kernel candidates. */
static int ppt_values(const struct mnet_tune_cand *c, int n)
{
	int seen[9] = { 0 }, i, k = 0;

	for (i = 0; i < n; i++) {
		if (c[i].cfg.variant != MNET_CL_VARIANT_KERNEL)
			continue;
		if (c[i].cfg.ppt >= 1 && c[i].cfg.ppt <= 8 && !seen[c[i].cfg.ppt]) {
			seen[c[i].cfg.ppt] = 1;
			k++;
		}
	}
	return k;
}

/* The kernel candidates of @a and @b, in order, are the same. */
static int same_kernel_cands(const struct mnet_tune_cand *a, int na,
			     const struct mnet_tune_cand *b, int nb)
{
	int i = 0, j = 0;

	for (;;) {
		while (i < na && a[i].cfg.variant != MNET_CL_VARIANT_KERNEL)
			i++;
		while (j < nb && b[j].cfg.variant != MNET_CL_VARIANT_KERNEL)
			j++;
		if (i == na || j == nb)
			return i == na && j == nb;
		if (strcmp(a[i].text, b[j].text))
			return 0;
		i++;
		j++;
	}
}

static void test_conv1x1_gets_pwconv_cands(void)
{
	static const enum mnet_tune_mode modes[] = {
		MNET_TUNE_FAST, MNET_TUNE_NORMAL, MNET_TUNE_EXHAUSTIVE,
	};
	struct mnet_layer cv = conv(MNET_OP_CONV2D, 1, 1);
	struct mnet_layer pw = conv(MNET_OP_PWCONV2D, 1, 1);
	struct mnet_tune_cand *a = calloc(MNET_TUNE_MAX_CANDS, sizeof(*a));
	struct mnet_tune_cand *b = calloc(MNET_TUNE_MAX_CANDS, sizeof(*b));
	unsigned int i;
	int na, nb;

	CU_ASSERT_FATAL(a && b);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		na = space(&cv, modes[i], a);
		nb = space(&pw, modes[i], b);
		/* fast: the default's tile and one neighbour; more otherwise */
		CU_ASSERT(ppt_values(a, na) >= 2);
		CU_ASSERT(same_kernel_cands(a, na, b, nb));
	}
	na = space(&cv, MNET_TUNE_NORMAL, a);
	CU_ASSERT(ppt_values(a, na) >= 3);
	free(a);
	free(b);
}

static void test_conv3x3_no_tiles(void)
{
	struct mnet_layer cv = conv(MNET_OP_CONV2D, 3, 2);
	struct mnet_tune_cand *a = calloc(MNET_TUNE_MAX_CANDS, sizeof(*a));
	int i, n, vw8 = 0;

	CU_ASSERT_FATAL(a != NULL);
	cv.pad_top = cv.pad_left = 1;
	n = space(&cv, MNET_TUNE_NORMAL, a);
	CU_ASSERT(n > 2);
	CU_ASSERT_EQUAL(ppt_values(a, n), 1);
	for (i = 0; i < n; i++)
		vw8 |= a[i].cfg.vw == 8;
	CU_ASSERT(vw8);
	free(a);
}

static void test_softmax_pow2(void)
{
	struct mnet_layer sm;
	struct mnet_tune_cand *a = calloc(MNET_TUNE_MAX_CANDS, sizeof(*a));
	int i, n;

	CU_ASSERT_FATAL(a != NULL);
	memset(&sm, 0, sizeof(sm));
	sm.op = MNET_OP_SOFTMAX;
	sm.in2 = -1;
	sm.out = 1;
	sm.beta = 1.0f;
	sm.in_shape = sm.out_shape = (struct mnet_shape){ 1, 1, 1000 };
	n = space(&sm, MNET_TUNE_EXHAUSTIVE, a);
	CU_ASSERT(n > 2);
	for (i = 0; i < n; i++) {
		size_t x = a[i].cfg.wg[0];

		CU_ASSERT(x && !(x & (x - 1)));
		CU_ASSERT_EQUAL(a[i].cfg.wg[1], 1);
	}
	free(a);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "1x1 stride-1 CONV2D gets pwconv candidates", test_conv1x1_gets_pwconv_cands },
		{ "3x3 CONV2D: vector widths, no tiles", test_conv3x3_no_tiles },
		{ "softmax work-groups are powers of two", test_softmax_pow2 },
		CU_TEST_INFO_NULL,
	};

	fake_cpu();
	return mnet_test_run_suite("tune_space", tests);
}
#else
int main(void)
{
	printf("tune_space: skipped: built without OpenCL\n");
	return 77;
}
#endif
