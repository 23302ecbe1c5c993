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
 *  - softmax's work-groups are powers of two along x only;
 *  - pruning: against a small described device (64 work-items, 64 per
 *    dimension, 16 KiB of local memory) no candidate of pwconv, dwconv,
 *    conv2d, softmax or fc exceeds a limit, the default stays, and a
 *    large device (4096 work-items) gets a larger space.
 * Without OpenCL the suite exits 77 (skipped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/test_util.h"

#ifdef MNET_HAVE_OPENCL
#include "opencl/cl_gemm.h"
#include "opencl/cl_layer.h"
#include "opencl/ops/cl_op_table.h"
#include "tune/cl_tune.h"
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
			0, l, &def, c, &n, NULL);
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

/* A device described by hand: work-group limits and local memory only. */
static struct mnet_cl_device described(size_t max_wg, size_t max_item,
				       cl_ulong local_mem)
{
	struct mnet_cl_device d;

	memset(&d, 0, sizeof(d));
	d.type = CL_DEVICE_TYPE_GPU;
	d.compute_units = 8;
	d.max_wg = max_wg;
	d.max_items[0] = d.max_items[1] = d.max_items[2] = max_item;
	d.local_mem = local_mem;
	return d;
}

/* The five kinds of kernel layer MobileNet has, at its shapes. */
static int prune_layers(struct mnet_layer *ls)
{
	ls[0] = conv(MNET_OP_PWCONV2D, 1, 1);
	ls[0].in_shape = (struct mnet_shape){ 28, 28, 128 };
	ls[0].out_shape = (struct mnet_shape){ 28, 28, 256 };
	ls[1] = conv(MNET_OP_DWCONV2D, 3, 1);
	ls[1].in_shape = ls[1].out_shape = (struct mnet_shape){ 56, 56, 128 };
	ls[1].pad_top = ls[1].pad_left = 1;
	ls[2] = conv(MNET_OP_CONV2D, 3, 2);
	ls[2].in_shape = (struct mnet_shape){ 224, 224, 3 };
	ls[2].out_shape = (struct mnet_shape){ 112, 112, 32 };
	memset(&ls[3], 0, sizeof(ls[3]));
	ls[3].op = MNET_OP_SOFTMAX;
	ls[3].in2 = -1;
	ls[3].out = 1;
	ls[3].beta = 1.0f;
	ls[3].in_shape = ls[3].out_shape = (struct mnet_shape){ 1, 1, 1001 };
	ls[4] = conv(MNET_OP_FC, 1, 1);
	ls[4].in_shape = (struct mnet_shape){ 1, 1, 1024 };
	ls[4].out_shape = (struct mnet_shape){ 1, 1, 1001 };
	ls[4].act = MNET_ACT_NONE;
	return 5;
}

/* Every candidate of @c[0..n) is within @d's limits. */
static int all_fit(const struct mnet_cl_device *d, const struct mnet_layer *l,
		   const struct mnet_tune_cand *c, int n)
{
	const struct mnet_cl_op *op = mnet_cl_op_find(l);
	size_t wg;
	int i, k;

	for (i = 0; i < n; i++) {
		const struct mnet_cl_layer_cfg *cfg = &c[i].cfg;

		if (cfg->variant == MNET_CL_VARIANT_GEMM) {
			if (!mnet_cl_gemm_fits(d))
				return 0;
			continue;
		}
		wg = cfg->wg[0] * cfg->wg[1] * cfg->wg[2];
		if (wg > d->max_wg)
			return 0;
		for (k = 0; k < 3; k++)
			if (cfg->wg[k] > d->max_items[k])
				return 0;
		if (op && (op->local_per_item + op->local_arg_per_item) * wg >
			  d->local_mem)
			return 0;
	}
	return 1;
}

static void test_prune_to_device(void)
{
	static const enum mnet_tune_mode modes[] = {
		MNET_TUNE_FAST, MNET_TUNE_NORMAL, MNET_TUNE_EXHAUSTIVE,
	};
	const struct mnet_cl_precision *fp32 =
		mnet_cl_precision_get(MNET_PRECISION_FP32);
	struct mnet_cl_device small = described(64, 64, 16384);
	struct mnet_cl_device big = described(4096, 4096, 65536);
	struct mnet_tune_cand *c = calloc(MNET_TUNE_MAX_CANDS, sizeof(*c));
	struct mnet_cl_layer_cfg def;
	struct mnet_layer ls[5];
	char dt[MNET_TUNE_CFG_LEN];
	int nl = prune_layers(ls), i, m, n, pruned, n_big, pruned_any = 0;

	CU_ASSERT_FATAL(c != NULL);
	for (i = 0; i < nl; i++) {
		for (m = 0; m < 3; m++) {
			mnet_cl_layer_cfg_default(&ls[i], &small, &def);
			mnet_cl_tune_cfg_format(&def, dt, sizeof(dt));
			mnet_tune_space(&small, fp32, modes[m], 0, &ls[i], &def,
					c, &n, &pruned);
			CU_ASSERT(n > 0);
			CU_ASSERT(all_fit(&small, &ls[i], c, n));
			/* the default configuration stays, first */
			CU_ASSERT(n > 0 && !strcmp(c[0].text, dt));
			pruned_any |= pruned > 0;

			mnet_cl_layer_cfg_default(&ls[i], &big, &def);
			mnet_tune_space(&big, fp32, modes[m], 0, &ls[i], &def,
					c, &n_big, NULL);
			CU_ASSERT(all_fit(&big, &ls[i], c, n_big));
			if (modes[m] == MNET_TUNE_EXHAUSTIVE) {
				if (n_big <= n)
					printf("\n%s: %d candidates on the big device, %d on the small\n",
					       mnet_op_name(ls[i].op), n_big, n);
				CU_ASSERT(n_big > n);
			}
		}
	}
	CU_ASSERT(pruned_any);
	free(c);
}

/* Local memory prunes too: softmax's reduction needs 4 bytes a work-item. */
static void test_prune_local_mem(void)
{
	struct mnet_cl_device tiny = described(1024, 1024, 128);
	struct mnet_cl_layer_cfg def;
	struct mnet_tune_cand *c = calloc(MNET_TUNE_MAX_CANDS, sizeof(*c));
	struct mnet_layer ls[5];
	int n, pruned, i;

	CU_ASSERT_FATAL(c != NULL);
	prune_layers(ls);
	mnet_cl_layer_cfg_default(&ls[3], &tiny, &def);
	CU_ASSERT(def.wg[0] * sizeof(float) <= 128);
	mnet_tune_space(&tiny, mnet_cl_precision_get(MNET_PRECISION_FP32),
			MNET_TUNE_EXHAUSTIVE, 0, &ls[3], &def, c, &n, &pruned);
	CU_ASSERT(n > 0);
	CU_ASSERT(pruned > 0);
	for (i = 0; i < n; i++)
		CU_ASSERT(c[i].cfg.wg[0] * sizeof(float) <= 128);
	free(c);
}

/* Bit k of the result: dwconv tile 1x1, 2x8, 4x4, 4x8 (k 0..3), other (4). */
static int dw_tiles_of(const struct mnet_tune_cand *c, int n)
{
	static const int want[] = { 11, 28, 44, 48 };	/* oxt, oyt */
	int i, k, bits = 0;

	for (i = 0; i < n; i++) {
		int t = c[i].cfg.oxt * 10 + c[i].cfg.oyt;

		for (k = 0; k < 4 && want[k] != t; k++)
			;
		bits |= 1 << k;
	}
	return bits;
}

/*
 * pwconv's local-memory tile (KS x the work-group's channels of weights,
 * its pixels x KS of input): the defaults shrink the slice to the device,
 * the space keeps tiled candidates that fit and leaves out those that do
 * not, and dwconv's output tiles are listed: all four on a CPU, on a GPU
 * only those within the 2x traffic cap (4x4 and 4x8: 1x1 reads each
 * input 9 times, 2x8 2.06x its ideal at stride 1).
 */
static void test_prune_pw_tile(void)
{
	struct mnet_cl_device gpu = described(256, 256, 65536);
	struct mnet_cl_device small = described(256, 256, 2048);
	const struct mnet_cl_op *op;
	struct mnet_tune_cand *c = calloc(MNET_TUNE_MAX_CANDS, sizeof(*c));
	struct mnet_cl_layer_cfg def;
	struct mnet_layer ls[5];
	int n, pruned, i, tiled = 0;

	CU_ASSERT_FATAL(c != NULL);
	prune_layers(ls);
	op = mnet_cl_op_find(&ls[0]);
	/* a GPU's default is the 16 x 8 tile, KS 16: 6 KiB */
	mnet_cl_layer_cfg_default(&ls[0], &gpu, &def);
	CU_ASSERT(def.ks == 16 && def.wg[0] == 16 && def.wg[1] == 8);
	CU_ASSERT_EQUAL(mnet_cl_op_local_bytes(op, &ls[0], &def), 6144);
	/* 2 KiB: KS 4 (1.5 KiB) */
	mnet_cl_layer_cfg_default(&ls[0], &small, &def);
	CU_ASSERT_EQUAL(def.ks, 4);
	CU_ASSERT(mnet_cl_op_local_bytes(op, &ls[0], &def) <= 2048);
	mnet_tune_space(&small, mnet_cl_precision_get(MNET_PRECISION_FP32),
			MNET_TUNE_NORMAL, 0, &ls[0], &def, c, &n, &pruned);
	for (i = 0; i < n; i++) {
		tiled += c[i].cfg.ks > 0 && c[i].cfg.wg[0] > 0;
		CU_ASSERT(mnet_cl_op_local_bytes(op, &ls[0], &c[i].cfg) <=
			  2048);
	}
	CU_ASSERT(tiled > 0);
	CU_ASSERT(pruned > 0);
	mnet_cl_layer_cfg_default(&ls[1], &gpu, &def);
	CU_ASSERT(def.oxt == 4 && def.oyt == 8);
	mnet_tune_space(&gpu, mnet_cl_precision_get(MNET_PRECISION_FP32),
			MNET_TUNE_NORMAL, 0, &ls[1], &def, c, &n, NULL);
	CU_ASSERT_EQUAL(dw_tiles_of(c, n), 12);
	mnet_cl_layer_cfg_default(&ls[1], &dev, &def);
	mnet_tune_space(&dev, mnet_cl_precision_get(MNET_PRECISION_FP32),
			MNET_TUNE_NORMAL, 0, &ls[1], &def, c, &n, NULL);
	CU_ASSERT_EQUAL(dw_tiles_of(c, n), 15);
	free(c);
}

/*
 * On a GPU every kernel candidate of a depthwise or pointwise layer is
 * within its op's traffic cap (the tuner cannot choose worse than issue
 * #19's targets), in every mode; CPUs keep the uncapped space.
 */
static void test_traffic_cap(void)
{
	static const enum mnet_tune_mode modes[] = {
		MNET_TUNE_FAST, MNET_TUNE_NORMAL, MNET_TUNE_EXHAUSTIVE,
	};
	const struct mnet_cl_precision *fp32 =
		mnet_cl_precision_get(MNET_PRECISION_FP32);
	struct mnet_cl_device gpu = described(1024, 1024, 65536);
	struct mnet_tune_cand *c = calloc(MNET_TUNE_MAX_CANDS, sizeof(*c));
	struct mnet_cl_layer_cfg def;
	struct mnet_layer ls[5];
	int i, m, n, k, over, over_cpu = 0;

	CU_ASSERT_FATAL(c != NULL);
	prune_layers(ls);
	for (i = 0; i < 2; i++) {
		const struct mnet_cl_op *op = mnet_cl_op_find(&ls[i]);

		CU_ASSERT_FATAL(op && op->traffic && op->traffic_max > 0);
		for (m = 0; m < 3; m++) {
			mnet_cl_layer_cfg_default(&ls[i], &gpu, &def);
			CU_ASSERT(op->traffic(&ls[i], &def) <= op->traffic_max);
			mnet_tune_space(&gpu, fp32, modes[m], 0, &ls[i], &def,
					c, &n, NULL);
			CU_ASSERT(n > 1);
			for (over = 0, k = 0; k < n; k++)
				over += c[k].cfg.variant ==
					MNET_CL_VARIANT_KERNEL &&
					op->traffic(&ls[i], &c[k].cfg) >
					op->traffic_max;
			CU_ASSERT_EQUAL(over, 0);
			mnet_cl_layer_cfg_default(&ls[i], &dev, &def);
			mnet_tune_space(&dev, fp32, modes[m], 0, &ls[i], &def,
					c, &n, NULL);
			for (k = 0; k < n; k++)
				over_cpu += op->traffic(&ls[i], &c[k].cfg) >
					    op->traffic_max;
		}
	}
	CU_ASSERT(over_cpu > 0);
	free(c);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "1x1 stride-1 CONV2D gets pwconv candidates", test_conv1x1_gets_pwconv_cands },
		{ "3x3 CONV2D: vector widths, no tiles", test_conv3x3_no_tiles },
		{ "softmax work-groups are powers of two", test_softmax_pow2 },
		{ "the space is pruned to a small device", test_prune_to_device },
		{ "local memory prunes softmax", test_prune_local_mem },
		{ "pwconv's local tile fits the device", test_prune_pw_tile },
		{ "GPU candidates within the traffic caps", test_traffic_cap },
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
