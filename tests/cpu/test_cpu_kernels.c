// SPDX-License-Identifier: Apache-2.0
/*
 * test_cpu_kernels.c - every CPU kernel set against the reference, layer by
 * layer, on awkward shapes
 *
 * Each case builds a one-layer model with random weights and runs it on the
 * reference backend and on the CPU backend with each kernel set this
 * machine supports (MNET_CPU=scalar/avx2/avx512/neon), at 1 and 3 threads.
 * Shapes cover channel counts that are not multiples of any vector width
 * (1, 3, 5, 17, 33, 100, and 256-1024 for the many-channel paths), spatial
 * sizes 1, 3, 7, 14, 15, both strides and explicit asymmetric padding.  Tolerance: 1e-4 of the largest reference
 * magnitude (accumulation order and FMA differ from the reference).
 */
#include <math.h>

#include "cpu/cpu_ops.h"
#include "reference/ref_layer.h"
#include "lib/test_cpu_util.h"

#define TOL 1e-4

static const int chans[] = { 1, 3, 5, 17, 33, 100 };
static const int sizes[] = { 1, 3, 7, 14, 15 };
#define N_CHANS (int)(sizeof(chans) / sizeof(chans[0]))
#define N_SIZES (int)(sizeof(sizes) / sizeof(sizes[0]))

static int n_checked;

/* Run one spec on every kernel set and thread count; 0 if all agree. */
static int check_spec(const struct layer_spec *sp, unsigned int seed)
{
	struct mnet_model *m = build_layer_model(sp, seed);
	float *in = NULL, *ref = NULL, *out = NULL;
	size_t n_out;
	unsigned int i;
	int bad = 0, t;

	if (!m)
		return 1;
	n_out = mnet_shape_elems(m->tensors[m->output].shape);
	in = rand_floats(mnet_shape_elems(m->tensors[m->input].shape), seed + 7);
	ref = calloc(n_out, sizeof(float));
	out = calloc(n_out, sizeof(float));
	if (!in || !ref || !out ||
	    run_model(m, MNET_BACKEND_REF, NULL, 1, in, ref)) {
		bad = 1;
		goto out_free;
	}
	for (i = 0; i < N_CPU_ISAS; i++) {
		if (!cpu_isa_available(cpu_isas[i]))
			continue;
		for (t = 1; t <= 3; t += 2) {
			double e;

			memset(out, 0xff, n_out * sizeof(float));
			if (run_model(m, MNET_BACKEND_CPU, cpu_isas[i], t, in,
				      out)) {
				bad = 1;
				continue;
			}
			e = mnet_test_max_rel_err(out, ref, n_out);
			n_checked++;
			if (!(e <= TOL)) {
				fprintf(stderr,
					"%s %s in %dx%dx%d cout %d k %d s %d pad %d/%d act %d threads %d: rel err %g\n",
					cpu_isas[i], mnet_op_name(sp->op),
					sp->in.h, sp->in.w, sp->in.c, sp->cout,
					sp->k, sp->stride, sp->pad_top,
					sp->pad_left, sp->act, t, e);
				bad = 1;
			}
		}
	}
out_free:
	free(out);
	free(ref);
	free(in);
	mnet_model_free(m);
	return bad;
}

static void test_dwconv(void)
{
	int c, s, st, bad = 0;

	for (c = 0; c < N_CHANS; c++)
		for (s = 0; s < N_SIZES; s++)
			for (st = 1; st <= 2; st++) {
				struct layer_spec sp = {
					.op = MNET_OP_DWCONV2D,
					.in = { sizes[s], sizes[s], chans[c] },
					.k = 3, .stride = st, .pad_top = -1,
					.act = (enum mnet_act)((c + s) % 3),
				};

				bad |= check_spec(&sp, 100 + c * 10 + s);
			}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_dwconv_odd(void)
{
	/* explicit padding, non-square inputs, 5x5 and 1x1 kernels */
	static const struct layer_spec specs[] = {
		{ MNET_OP_DWCONV2D, { 7, 15, 17 }, 0, 3, 1, 0, 1, MNET_ACT_RELU6 },
		{ MNET_OP_DWCONV2D, { 14, 3, 33 }, 0, 3, 2, 1, 0, MNET_ACT_NONE },
		{ MNET_OP_DWCONV2D, { 15, 14, 5 }, 0, 3, 2, 2, 2, MNET_ACT_RELU },
		{ MNET_OP_DWCONV2D, { 15, 15, 100 }, 0, 5, 1, -1, -1, MNET_ACT_RELU6 },
		{ MNET_OP_DWCONV2D, { 14, 14, 48 }, 0, 5, 2, -1, -1, MNET_ACT_NONE },
		{ MNET_OP_DWCONV2D, { 7, 7, 3 }, 0, 1, 1, 0, 0, MNET_ACT_RELU6 },
		{ MNET_OP_DWCONV2D, { 2, 9, 64 }, 0, 3, 1, -1, -1, MNET_ACT_RELU6 },
		/* many channels: the pixel-major AVX-512 path, with tails */
		{ MNET_OP_DWCONV2D, { 7, 7, 273 }, 0, 3, 1, -1, -1, MNET_ACT_RELU6 },
		{ MNET_OP_DWCONV2D, { 15, 14, 300 }, 0, 3, 2, 1, 0, MNET_ACT_NONE },
		{ MNET_OP_DWCONV2D, { 3, 3, 256 }, 0, 3, 1, -1, -1, MNET_ACT_RELU },
		{ MNET_OP_DWCONV2D, { 1, 1, 1024 }, 0, 3, 2, -1, -1, MNET_ACT_RELU6 },
		/* wide rows: interior tiles of 8 pixels and what is left */
		{ MNET_OP_DWCONV2D, { 9, 29, 273 }, 0, 3, 1, -1, -1, MNET_ACT_RELU6 },
		{ MNET_OP_DWCONV2D, { 7, 37, 260 }, 0, 3, 2, 1, 0, MNET_ACT_NONE },
		{ MNET_OP_DWCONV2D, { 5, 20, 512 }, 0, 3, 1, 0, 2, MNET_ACT_RELU },
		{ MNET_OP_DWCONV2D, { 11, 27, 32 }, 0, 3, 1, -1, -1, MNET_ACT_RELU6 },
		{ MNET_OP_DWCONV2D, { 12, 41, 72 }, 0, 3, 2, -1, -1, MNET_ACT_NONE },
		{ MNET_OP_DWCONV2D, { 6, 19, 129 }, 0, 3, 1, 1, 1, MNET_ACT_RELU },
		{ MNET_OP_DWCONV2D, { 9, 33, 31 }, 0, 3, 2, 0, 1, MNET_ACT_RELU6 },
		{ MNET_OP_DWCONV2D, { 5, 17, 48 }, 0, 3, 1, -1, -1, MNET_ACT_NONE },
	};
	unsigned int i;
	int bad = 0;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		bad |= check_spec(&specs[i], 500 + i);
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_pwconv(void)
{
	int ci, co, s, bad = 0;

	for (ci = 0; ci < N_CHANS; ci++)
		for (co = 0; co < N_CHANS; co++) {
			struct layer_spec sp = {
				.op = MNET_OP_PWCONV2D,
				.in = { 7, 7, chans[ci] }, .cout = chans[co],
				.act = (enum mnet_act)((ci + co) % 3),
			};

			bad |= check_spec(&sp, 1000 + ci * 10 + co);
		}
	for (s = 0; s < N_SIZES; s++) {
		struct layer_spec sp = {
			.op = MNET_OP_PWCONV2D,
			.in = { sizes[s], sizes[s], 33 }, .cout = 100,
			.act = MNET_ACT_RELU6,
		};

		bad |= check_spec(&sp, 2000 + s);
	}
	/* wider than a cache block (many row tiles), and long reductions */
	{
		static const struct layer_spec big[] = {
			{ MNET_OP_PWCONV2D, { 30, 31, 64 }, 129, 0, 0, 0, 0, MNET_ACT_RELU6 },
			{ MNET_OP_PWCONV2D, { 3, 5, 1024 }, 1001, 0, 0, 0, 0, MNET_ACT_NONE },
		};

		bad |= check_spec(&big[0], 2100);
		bad |= check_spec(&big[1], 2101);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_conv(void)
{
	static const int cins[] = { 1, 3, 5 }, couts[] = { 1, 8, 17, 33 };
	int ci, co, s, st, bad = 0;

	for (ci = 0; ci < 3; ci++)
		for (co = 0; co < 4; co++)
			for (s = 0; s < N_SIZES; s++)
				for (st = 1; st <= 2; st++) {
					struct layer_spec sp = {
						.op = MNET_OP_CONV2D,
						.in = { sizes[s], sizes[s], cins[ci] },
						.cout = couts[co], .k = 3, .stride = st,
						.pad_top = -1,
						.act = (enum mnet_act)((ci + s) % 3),
					};

					bad |= check_spec(&sp, 3000 + ci * 100 +
							  co * 10 + s);
				}
	{
		static const struct layer_spec odd[] = {
			{ MNET_OP_CONV2D, { 15, 14, 3 }, 32, 3, 2, 1, 0, MNET_ACT_RELU6 },
			{ MNET_OP_CONV2D, { 9, 9, 7 }, 20, 5, 2, -1, -1, MNET_ACT_NONE },
			{ MNET_OP_CONV2D, { 64, 64, 3 }, 8, 3, 2, -1, -1, MNET_ACT_RELU6 },
			/*
			 * k = 2304 x 160 and 2592 x 224 channels: weights over
			 * half of a 2 MB L2, so blocks of 64 rows
			 * (mnet_cpu_conv_mc), several per layer, border tiles
			 * inside later blocks
			 */
			{ MNET_OP_CONV2D, { 10, 13, 256 }, 160, 3, 1, -1, -1, MNET_ACT_RELU },
			{ MNET_OP_CONV2D, { 21, 19, 288 }, 224, 3, 2, -1, -1, MNET_ACT_NONE },
			{ MNET_OP_CONV2D, { 12, 11, 160 }, 40, 3, 1, -1, -1, MNET_ACT_RELU },
		};
		unsigned int i;

		for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
			bad |= check_spec(&odd[i], 3900 + i);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_fc(void)
{
	static const struct mnet_shape ins[] = {
		{ 1, 1, 1 }, { 1, 1, 17 }, { 1, 1, 100 }, { 1, 1, 1024 },
		{ 2, 3, 5 },
	};
	/* 130 and 1001: groups of four whole panels (one pixel) and a tail */
	static const int couts[] = { 1, 5, 33, 130, 1001 };
	unsigned int i, j;
	int bad = 0;

	for (i = 0; i < sizeof(ins) / sizeof(ins[0]); i++)
		for (j = 0; j < sizeof(couts) / sizeof(couts[0]); j++) {
			struct layer_spec sp = {
				.op = MNET_OP_FC, .in = ins[i],
				.cout = couts[j],
				.act = (enum mnet_act)((i + j) % 3),
			};

			bad |= check_spec(&sp, 4000 + i * 10 + j);
		}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_small_ops(void)
{
	static const struct layer_spec specs[] = {
		/* global average pool, and a padded 3x3/2 pool */
		{ MNET_OP_AVGPOOL, { 7, 7, 100 }, 0, 7, 1, 0, 0, MNET_ACT_NONE },
		{ MNET_OP_AVGPOOL, { 1, 1, 17 }, 0, 1, 1, 0, 0, MNET_ACT_NONE },
		{ MNET_OP_AVGPOOL, { 15, 14, 5 }, 0, 3, 2, -1, -1, MNET_ACT_RELU6 },
		{ MNET_OP_SOFTMAX, { 1, 1, 1001 }, 0, 0, 0, 0, 0, MNET_ACT_NONE },
		{ MNET_OP_SOFTMAX, { 3, 5, 17 }, 0, 0, 0, 0, 0, MNET_ACT_NONE },
		/* residual add after a depthwise layer (same shape) */
		{ MNET_OP_ADD, { 14, 14, 33 }, 0, 3, 1, -1, -1, MNET_ACT_NONE },
		{ MNET_OP_ADD, { 7, 7, 5 }, 0, 3, 1, -1, -1, MNET_ACT_RELU6 },
	};
	unsigned int i;
	int bad = 0;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		bad |= check_spec(&specs[i], 5000 + i);
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_coverage(void)
{
	/* the scalar set always runs; SIMD sets where the CPU has them */
	CU_ASSERT_PTR_NOT_NULL(mnet_cpu_kernels_get("scalar"));
	CU_ASSERT_PTR_NOT_NULL(mnet_cpu_kernels_get(NULL));
	CU_ASSERT_PTR_NULL(mnet_cpu_kernels_get("no-such-isa"));
	CU_ASSERT(n_checked > 0);
	fprintf(stderr, "\n  %d kernel/shape/thread comparisons; kernel sets:",
		n_checked);
	for (unsigned int i = 0; i < N_CPU_ISAS; i++)
		if (cpu_isa_available(cpu_isas[i]))
			fprintf(stderr, " %s", cpu_isas[i]);
	fprintf(stderr, "\n");
}

/*
 * Every IR op has an entry in the CPU op table and in the reference's, and
 * an op outside them has none (init() then fails naming the layer, rather
 * than copying).  An op added to the IR before the cpu backend has it goes
 * in cpu_lacks() until it does.
 */
static int cpu_lacks(int op)
{
	return 0;
}

static void test_op_table(void)
{
	int op;

	for (op = 0; op < MNET_OP_COUNT; op++) {
		const struct mnet_cpu_op *o = mnet_cpu_op_get(op);

		CU_ASSERT(mnet_ref_layer_supported(op));
		if (cpu_lacks(op)) {
			CU_ASSERT_PTR_NULL(o);
			continue;
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(o);
		CU_ASSERT_PTR_NOT_NULL(o->run);
		CU_ASSERT((o->pack == NULL) == (o->footprint == NULL));
		CU_ASSERT(mnet_ref_layer_supported(op));
	}
	CU_ASSERT_PTR_NULL(mnet_cpu_op_get(MNET_OP_COUNT));
	CU_ASSERT(!mnet_ref_layer_supported(MNET_OP_COUNT));
	CU_ASSERT_PTR_NULL(mnet_cpu_op_get((enum mnet_op)-1));
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "depthwise 3x3, all shapes", test_dwconv },
		{ "depthwise, odd padding and kernels", test_dwconv_odd },
		{ "pointwise GEMM", test_pwconv },
		{ "full convolution (im2col GEMM)", test_conv },
		{ "fully connected", test_fc },
		{ "pool, softmax, add", test_small_ops },
		{ "kernel sets exercised", test_coverage },
		{ "an entry for every op", test_op_table },
		CU_TEST_INFO_NULL,
	};

	return mnet_test_run_suite("cpu_kernels", tests);
}
