// SPDX-License-Identifier: Apache-2.0
/*
 * test_backbone_ops.c - the reference kernels of the backbone ops
 * (host/ref/: dilated depthwise, bilinear resize, concatenation, argmax)
 * against values worked out by hand
 *
 * Each case is small enough to check on paper; the comments give the
 * arithmetic.  The model-level checks (DeepLab on the shared photo) are
 * in test_deeplab.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/test_util.h"
#include "ref/ref_kernels.h"

#define EPS 1e-5f

static void expect(const float *got, const float *want, int n,
		   const char *what)
{
	int k;

	for (k = 0; k < n; k++) {
		if (fabsf(got[k] - want[k]) > EPS)
			printf("\n  %s [%d]: %g, expected %g\n", what, k,
			       got[k], want[k]);
		CU_ASSERT(fabsf(got[k] - want[k]) <= EPS);
	}
}

/*
 * Input [[0, 1], [2, 3]] (one channel), so out = 2 * ry + rx where ry and
 * rx are the source coordinates after TFLite's clamping:
 *
 *   plain, 2 -> 3: scale 2/3, coords 0, 2/3, 4/3 (row 1 twice: r = 1)
 *   align_corners: scale 1/2, coords 0, 1/2, 1
 *   half_pixel:    scale 2/3, coords -1/6 (row 0 twice: r = 0), 1/2, 7/6
 *                  (row 1 twice: r = 1)
 *   half_pixel, 2 -> 4: scale 1/2, coords -1/4, 1/4, 3/4, 5/4, so
 *                  r = 0, 1/4, 3/4, 1
 */
static const struct resize_case {
	const char *name;
	int oh, ow, align, half;
	float want[16];
} resize_cases[] = {
	{ "plain 2x2 -> 3x3", 3, 3, 0, 0,
	  { 0, 2.0f / 3, 1, 4.0f / 3, 2, 7.0f / 3, 2, 8.0f / 3, 3 } },
	{ "align_corners 2x2 -> 3x3", 3, 3, 1, 0,
	  { 0, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3 } },
	{ "half_pixel 2x2 -> 3x3", 3, 3, 0, 1,
	  { 0, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3 } },
	{ "half_pixel 2x2 -> 4x4", 4, 4, 0, 1,
	  { 0, 0.25f, 0.75f, 1, 0.5f, 0.75f, 1.25f, 1.5f,
	    1.5f, 1.75f, 2.25f, 2.5f, 2, 2.25f, 2.75f, 3 } },
	/* a 1x1 source (DeepLab's image pooling branch) is a broadcast */
};

static void test_resize(void)
{
	static const float in[4] = { 0, 1, 2, 3 };
	size_t k;

	for (k = 0; k < sizeof(resize_cases) / sizeof(resize_cases[0]); k++) {
		const struct resize_case *t = &resize_cases[k];
		float out[16] = { 0 };

		mnet_refk_resize_bilinear(2, 2, 1, t->oh, t->ow, t->align,
					  t->half, in, out);
		expect(out, t->want, t->oh * t->ow, t->name);
	}
}

/* 1x1 -> 3x2, two channels: every output pixel is the input pixel. */
static void test_resize_broadcast(void)
{
	static const float in[2] = { 1.5f, -2 };
	static const float want[12] = { 1.5f, -2, 1.5f, -2, 1.5f, -2,
					1.5f, -2, 1.5f, -2, 1.5f, -2 };
	float out[12];
	int mode;

	for (mode = 0; mode < 3; mode++) {
		memset(out, 0, sizeof(out));
		mnet_refk_resize_bilinear(1, 1, 2, 3, 2, mode == 1, mode == 2,
					  in, out);
		expect(out, want, 12, "1x1 broadcast");
	}
}

/*
 * Input 5x5x1, v(y, x) = 5y + x; weights w[ky][kx] = 1 + 3ky + kx; bias
 * 0.5; dilation 2, stride 1, SAME: effective kernel 5, padding 2.
 *
 *   out(0,0): taps at rows -2, 0, 2 and columns -2, 0, 2; inside are
 *     (ky,kx) = (1,1) v(0,0)=0, (1,2) v(0,2)=2, (2,1) v(2,0)=10,
 *     (2,2) v(2,2)=12: 5*0 + 6*2 + 8*10 + 9*12 + 0.5 = 200.5
 *   out(2,2): rows 0, 2, 4, columns 0, 2, 4, all inside:
 *     sum w[ky][kx] * (10ky + 2kx) + 0.5 (below)
 *   out(4,4): rows 2, 4, 6 and columns 2, 4, 6; inside (0,0) v(2,2)=12,
 *     (0,1) v(2,4)=14, (1,0) v(4,2)=22, (1,1) v(4,4)=24:
 *     1*12 + 2*14 + 4*22 + 5*24 + 0.5 = 248.5
 *
 * out(2,2) in full: ky=0: 1*0 + 2*2 + 3*4 = 16; ky=1: 4*10 + 5*12 + 6*14
 * = 184; ky=2: 7*20 + 8*22 + 9*24 = 532; total 732 + 0.5 = 732.5.
 */
static void test_dwconv_dilated(void)
{
	struct mnet_refk_window g = {
		.ih = 5, .iw = 5, .ic = 1, .oh = 5, .ow = 5, .oc = 1,
		.kh = 3, .kw = 3, .sh = 1, .sw = 1, .pt = 2, .pl = 2,
		.act = MNET_REFK_ACT_NONE,
	};
	float in[25], w[9], out[25], bias = 0.5f;
	int k;

	for (k = 0; k < 25; k++)
		in[k] = (float)k;
	for (k = 0; k < 9; k++)
		w[k] = (float)(1 + k);
	mnet_refk_dwconv2d_dilated(&g, 2, 2, in, w, &bias, out);
	CU_ASSERT_DOUBLE_EQUAL(out[0], 200.5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(out[12], 732.5, EPS);
	CU_ASSERT_DOUBLE_EQUAL(out[24], 248.5, EPS);
	/* dilation 1 is the plain kernel */
	{
		float plain[25], one[25];

		g.pt = g.pl = 1;
		mnet_refk_dwconv2d(&g, in, w, &bias, plain);
		mnet_refk_dwconv2d_dilated(&g, 1, 1, in, w, &bias, one);
		expect(one, plain, 25, "dilation 1");
	}
	/* RELU6 clamps */
	g.pt = g.pl = 2;
	g.act = MNET_REFK_ACT_RELU6;
	mnet_refk_dwconv2d_dilated(&g, 2, 2, in, w, &bias, out);
	CU_ASSERT_DOUBLE_EQUAL(out[0], 6.0, EPS);
}

/* Two pixels: a has channels (1, 2), b (10); out (1, 2, 10) per pixel. */
static void test_concat(void)
{
	static const float a[4] = { 1, 2, 3, 4 }, b[2] = { 10, 20 };
	static const float want[6] = { 1, 2, 10, 3, 4, 20 };
	float out[6] = { 0 };

	mnet_refk_concat(2, 2, 1, a, b, out);
	expect(out, want, 6, "concat");
}

/* The first largest channel wins a tie, as TFLite's ARG_MAX. */
static void test_argmax(void)
{
	static const float in[9] = { 0.1f, 0.7f, 0.2f,	/* 1 */
				     5, 5, -1,		/* tie: 0 */
				     -3, -2, -1 };	/* 2 */
	static const float want[3] = { 1, 0, 2 };
	float out[3];

	mnet_refk_argmax(3, 3, in, out);
	expect(out, want, 3, "argmax");
}

static const CU_TestInfo tests[] = {
	{ "resize bilinear: plain, align_corners, half_pixel", test_resize },
	{ "resize bilinear: a 1x1 source broadcasts", test_resize_broadcast },
	{ "dilated depthwise 3x3, dilation 2", test_dwconv_dilated },
	{ "concatenation along channels", test_concat },
	{ "argmax over channels, ties to the first", test_argmax },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return mnet_test_run_suite("backbone ops", tests);
}
