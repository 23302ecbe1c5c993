// SPDX-License-Identifier: Apache-2.0
/*
 * test_backbone_cpu.c - the CPU backend's own computation of the
 * segmentation ops (runtime/cpu/cpu_seg.c) against the integer reference
 * on awkward shapes, byte for byte
 *
 *  - a dilated depthwise convolution as undilated ones over sub-grids:
 *    dilations 1x3 to 3x2 and 2x4, windows 3x3, 5x5 and 2x3, SAME, VALID
 *    and odd padding, oblong and one-row inputs (the DeepLab files only
 *    have 3x3, dilation 2, SAME on 33x33);
 *  - the int8 resize with its shared products: plain, align_corners,
 *    half_pixel_centers, up and down, 1 to 32 channels, on 1 and 3
 *    threads, through the portable row and AVX-512's (where the CPU
 *    runs it);
 *  - the int8 arg-max (maximum, then the first byte holding it) with
 *    ties, uint8 and int8, on 1 and 3 threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu_seg.h"
#include "dispatch/cpu_kernels.h"
#include "lib/test_util.h"
#include "ref_q/q_kernels.h"

#define A(x) (sizeof(x) / sizeof((x)[0]))

static uint32_t rng = 12345;

static uint8_t rnd8(void)
{
	rng = rng * 1103515245u + 12345u;
	return (uint8_t)(rng >> 16);
}

static void fill(uint8_t *p, size_t n, int range)
{
	size_t k;

	for (k = 0; k < n; k++)
		p[k] = (uint8_t)(rnd8() % range);
}

/* The dilated layer by the reference, and by sub-grids: equal bytes. */
static void dil_case(int ih, int iw, int c, int kh, int kw, int dh, int dw,
		     int pt, int pl, int oh, int ow)
{
	size_t in_n = (size_t)ih * iw * c, out_n = (size_t)oh * ow * c;
	uint8_t *in = malloc(in_n), *w = malloc((size_t)kh * kw * c);
	uint8_t *want = malloc(out_n), *got = malloc(out_n);
	uint8_t *sub = malloc(in_n), *sub_out = malloc(out_n);
	int32_t *mult = malloc(c * sizeof(*mult)), *bias = malloc(c * 4);
	int *shift = malloc(c * sizeof(*shift));
	struct mnet_qk_conv p = {
		.ih = ih, .iw = iw, .ic = c, .oh = oh, .ow = ow, .oc = c,
		.kh = kh, .kw = kw, .sh = 1, .sw = 1, .pt = pt, .pl = pl,
		.in_zp = 3, .w_zp = 7, .out_zp = 5, .act_min = 0,
		.act_max = 255, .dil_h = dh, .dil_w = dw,
	};
	struct mnet_cpu_dil_grid g;
	int y, x, k;

	CU_ASSERT_FATAL(in && w && want && got && sub && sub_out && mult &&
			bias && shift);
	fill(in, in_n, 256);
	fill(w, (size_t)kh * kw * c, 256);
	for (k = 0; k < c; k++) {
		mnet_qk_quantize_multiplier(0.0021 + 0.0003 * k, &mult[k],
					    &shift[k]);
		bias[k] = 100 * k - 250;
	}
	p.mult = mult;
	p.shift = shift;
	mnet_qk_dwconv2d(&p, in, w, bias, want);
	memset(got, 0xee, out_n);
	for (y = 0; y < dh; y++)
		for (x = 0; x < dw; x++) {
			struct mnet_qk_conv q = p;

			mnet_cpu_dil_grid(ih, iw, oh, ow, dh, dw, pt, pl, y, x,
					  &g);
			if (!g.oh || !g.ow)
				continue;
			mnet_cpu_dil_gather(&g, in, iw, (size_t)c, dh, dw, sub);
			q.ih = g.ih;
			q.iw = g.iw;
			q.oh = g.oh;
			q.ow = g.ow;
			q.pt = g.pt;
			q.pl = g.pl;
			q.dil_h = q.dil_w = 1;
			mnet_qk_dwconv2d(&q, sub, w, bias, sub_out);
			mnet_cpu_dil_scatter(&g, sub_out, ow, (size_t)c, dh, dw,
					     got);
		}
	if (memcmp(want, got, out_n))
		printf("\n  %dx%dx%d k %dx%d dil %dx%d pad %d,%d -> %dx%d differs",
		       ih, iw, c, kh, kw, dh, dw, pt, pl, oh, ow);
	CU_ASSERT(!memcmp(want, got, out_n));
	free(shift);
	free(bias);
	free(mult);
	free(sub_out);
	free(sub);
	free(got);
	free(want);
	free(w);
	free(in);
}

static void test_dil_grids(void)
{
	static const int shapes[][2] = { { 33, 33 }, { 7, 5 }, { 9, 12 },
					 { 1, 6 }, { 4, 17 } };
	static const int wins[][2] = { { 3, 3 }, { 5, 5 }, { 2, 3 } };
	static const int dils[][2] = { { 2, 2 }, { 3, 2 }, { 2, 4 },
				       { 1, 3 } };
	size_t s, wi, d;
	int c;

	for (s = 0; s < A(shapes); s++)
		for (wi = 0; wi < A(wins); wi++)
			for (d = 0; d < A(dils); d++)
				for (c = 1; c <= 5; c += 4) {
					int ih = shapes[s][0], iw = shapes[s][1];
					int kh = wins[wi][0], kw = wins[wi][1];
					int dh = dils[d][0], dw = dils[d][1];
					int eh = (kh - 1) * dh, ew = (kw - 1) * dw;

					/* SAME */
					dil_case(ih, iw, c, kh, kw, dh, dw,
						 eh / 2, ew / 2, ih, iw);
					/* odd padding: 1 above, 0 left */
					dil_case(ih, iw, c, kh, kw, dh, dw, 1, 0,
						 ih, iw);
					/* VALID */
					if (ih > eh && iw > ew)
						dil_case(ih, iw, c, kh, kw, dh,
							 dw, 0, 0, ih - eh,
							 iw - ew);
				}
}

/* One resize through @kern's row (NULL: the portable one) vs the ref's. */
static void resize_case(const struct mnet_cpu_kernels *kern,
			const int *size, int mode, int t,
			struct mnet_threadpool *tp)
{
	struct mnet_qk_resize p = {
		.ih = size[0], .iw = size[1], .c = size[2], .oh = size[3],
		.ow = size[4], .align_corners = mode == 1,
		.half_pixel = mode == 2,
	};
	size_t in_n = (size_t)p.ih * p.iw * p.c;
	size_t out_n = (size_t)p.oh * p.ow * p.c;
	uint8_t *in = malloc(in_n), *a = malloc(out_n), *b = malloc(out_n);
	void *mem = NULL;

	CU_ASSERT_FATAL(in && a && b);
	fill(in, in_n, 256);
	mnet_qk_resize_bilinear(&p, in, a);
	CU_ASSERT_EQUAL_FATAL(mnet_cpu_q_resize_setup(kern, &p, t, &mem), 0);
	mnet_cpu_q_resize_run(t > 1 ? tp : NULL, t, mem, in, b);
	if (memcmp(a, b, out_n))
		printf("\n  resize %dx%dx%d -> %dx%d mode %d, %s, %d threads differs",
		       p.ih, p.iw, p.c, p.oh, p.ow, mode,
		       kern ? kern->name : "portable", t);
	CU_ASSERT(!memcmp(a, b, out_n));
	free(mem);
	free(b);
	free(a);
	free(in);
}

static void test_resize(void)
{
	static const int sizes[][5] = {
		{ 33, 33, 21, 513, 513 }, { 1, 1, 7, 33, 33 },
		{ 2, 3, 3, 5, 7 }, { 5, 4, 1, 2, 3 }, { 6, 6, 5, 6, 6 },
		{ 3, 9, 17, 20, 1 }, { 4, 5, 32, 9, 11 },
	};
	/* the portable row, then every kernel set's this CPU runs */
	static const char *const sets[] = { NULL, "avx512vnni" };
	struct mnet_threadpool *tp = NULL;
	size_t s, k;
	int mode, t;

	CU_ASSERT_EQUAL_FATAL(mnet_threadpool_init(3, &tp), 0);
	for (k = 0; k < A(sets); k++) {
		const struct mnet_cpu_kernels *kern = NULL;

		if (sets[k] && !(kern = mnet_cpu_kernels_get(sets[k])))
			continue;
		for (s = 0; s < A(sizes); s++)
			for (mode = 0; mode < 3; mode++)
				for (t = 1; t <= 3; t += 2)
					resize_case(kern, sizes[s], mode, t,
						    tp);
	}
	mnet_threadpool_fini(tp);
}

static void test_argmax(void)
{
	struct mnet_threadpool *tp = NULL;
	size_t npx = 5000;
	int c, sg, t;

	CU_ASSERT_EQUAL_FATAL(mnet_threadpool_init(3, &tp), 0);
	for (c = 1; c <= 33; c += 4)
		for (sg = 0; sg < 2; sg++)
			for (t = 1; t <= 3; t += 2) {
				uint8_t *in = malloc(npx * c), *a = malloc(npx);
				uint8_t *b = malloc(npx);

				CU_ASSERT_FATAL(in && a && b);
				/* few values: many ties; and the sign's edge */
				fill(in, npx * (size_t)c, 5);
				in[0] = 0x80;
				in[1 % c] = 0x7f;
				mnet_qk_argmax(npx, c, sg, in, a);
				mnet_cpu_q_argmax_run(t > 1 ? tp : NULL, t, npx, c,
						      sg, in, b);
				CU_ASSERT(!memcmp(a, b, npx));
				free(b);
				free(a);
				free(in);
			}
	mnet_threadpool_fini(tp);
}

static const CU_TestInfo tests[] = {
	{ "dilated depthwise as sub-grids == the reference",
	  test_dil_grids },
	{ "int8 resize == the reference", test_resize },
	{ "int8 arg-max == the reference", test_argmax },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return mnet_test_run_suite("backbone_cpu", tests);
}
