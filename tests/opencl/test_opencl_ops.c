// SPDX-License-Identifier: Apache-2.0
/*
 * test_opencl_ops.c - the OpenCL op table (runtime/opencl/ops/)
 *
 * No device needed: plans are computed on a described CPU device.
 *  - every op of enum mnet_op has an entry; reshape is an alias (no
 *    kernel), the others name a kernel file and compute a plan;
 *  - a 1x1 stride-1 CONV2D plans onto the pwconv kernel, a 3x3 one onto
 *    conv2d;
 *  - argument lists: add takes in, in2, out; a fused residual pwconv
 *    takes in, w, bias, out, res, add_res (add_res at index 5, as
 *    pwconv.cl declares it);
 *  - the precision's -D options come first, as the tuning keys expect.
 * Without OpenCL the suite exits 77 (skipped).
 */
#include <stdio.h>
#include <string.h>

#include "lib/test_util.h"

#ifdef MNET_HAVE_OPENCL
#include "opencl/cl_layer.h"
#include "opencl/ops/cl_op_table.h"

static struct mnet_cl_device dev;

static struct mnet_layer layer(enum mnet_op op, int k, int stride)
{
	struct mnet_layer l;

	memset(&l, 0, sizeof(l));
	l.op = op;
	l.in2 = -1;
	l.out = 1;
	l.kh = l.kw = k;
	l.stride_h = l.stride_w = stride;
	l.in_shape = (struct mnet_shape){ 14, 14, 32 };
	l.out_shape = (struct mnet_shape){ 14 / stride, 14 / stride, 64 };
	l.beta = 1.0f;
	return l;
}

static int plan(const struct mnet_layer *l, enum mnet_precision p,
		struct mnet_cl_layer_plan *pl)
{
	struct mnet_cl_layer_cfg cfg;

	mnet_cl_layer_cfg_default(l, &dev, &cfg);
	return mnet_cl_layer_plan(l, &cfg, mnet_cl_precision_get(p), pl);
}

/*
 * The backbone ops (issue 15) have no OpenCL kernel yet: their layers run
 * on the host (cl_host.c).  Whoever adds one takes it off this list.
 */
static int host_only(int op)
{
	return op == MNET_OP_DWCONV2D_DIL;
}

static void test_every_op_has_entry(void)
{
	struct mnet_cl_layer_plan pl;
	int op;

	for (op = 0; op < MNET_OP_COUNT; op++) {
		struct mnet_layer l = layer(op, 3, 1);
		const struct mnet_cl_op *e = mnet_cl_op_find(&l);

		if (host_only(op)) {
			CU_ASSERT(!mnet_cl_layer_supported(&l));
			continue;
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		if (op == MNET_OP_RESHAPE) {
			CU_ASSERT(e->alias);
			CU_ASSERT(!mnet_cl_layer_supported(&l));
			continue;
		}
		CU_ASSERT_PTR_NOT_NULL(e->file);
		CU_ASSERT(mnet_cl_layer_supported(&l));
		CU_ASSERT_EQUAL(plan(&l, MNET_PRECISION_FP32, &pl), 0);
		CU_ASSERT_PTR_EQUAL(pl.op, e);
		CU_ASSERT(pl.dims >= 1 && pl.dims <= 3);
	}
}

static void test_conv_kernel_choice(void)
{
	struct mnet_layer c1 = layer(MNET_OP_CONV2D, 1, 1);
	struct mnet_layer c3 = layer(MNET_OP_CONV2D, 3, 1);
	struct mnet_cl_layer_plan pl;

	CU_ASSERT_EQUAL_FATAL(plan(&c1, MNET_PRECISION_FP32, &pl), 0);
	CU_ASSERT_STRING_EQUAL(pl.file, "pwconv.cl");
	CU_ASSERT(!pl.residual);
	c3.pad_top = c3.pad_left = 1;
	CU_ASSERT_EQUAL_FATAL(plan(&c3, MNET_PRECISION_FP32, &pl), 0);
	CU_ASSERT_STRING_EQUAL(pl.file, "conv2d.cl");
}

static void test_arg_lists(void)
{
	struct mnet_layer add = layer(MNET_OP_ADD, 1, 1);
	struct mnet_layer pw = layer(MNET_OP_PWCONV2D, 1, 1);
	struct mnet_cl_layer_plan pl;

	add.in2 = 2;
	add.in_shape = add.out_shape;
	CU_ASSERT_EQUAL_FATAL(plan(&add, MNET_PRECISION_FP32, &pl), 0);
	CU_ASSERT_EQUAL(pl.n_args, 3);
	CU_ASSERT_EQUAL(mnet_cl_layer_arg_index(&pl, MNET_CL_ARG_IN2), 1);
	CU_ASSERT_EQUAL(mnet_cl_layer_arg_index(&pl, MNET_CL_ARG_W), -1);
	pw.in2 = 2;	/* the session's view of a fused projection */
	CU_ASSERT_EQUAL_FATAL(plan(&pw, MNET_PRECISION_FP32, &pl), 0);
	CU_ASSERT(pl.residual);
	CU_ASSERT_EQUAL(pl.n_args, 6);
	CU_ASSERT_EQUAL(mnet_cl_layer_arg_index(&pl, MNET_CL_ARG_RES), 4);
	CU_ASSERT_EQUAL(mnet_cl_layer_arg_index(&pl, MNET_CL_ARG_ADD_RES), 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(pl.opts.s, "-DRESIDUAL=1"));
}

static void test_precision_options(void)
{
	struct mnet_layer pw = layer(MNET_OP_PWCONV2D, 1, 1);
	struct mnet_cl_layer_plan pl;

	CU_ASSERT_EQUAL_FATAL(plan(&pw, MNET_PRECISION_FP32, &pl), 0);
	CU_ASSERT_EQUAL(strncmp(pl.opts.s, "-DACT=", 6), 0);
	CU_ASSERT_EQUAL_FATAL(plan(&pw, MNET_PRECISION_FP16_STORAGE, &pl), 0);
	CU_ASSERT_EQUAL(strncmp(pl.opts.s, "-DSTORAGE_HALF=1 -DACT=", 23), 0);
	CU_ASSERT_EQUAL_FATAL(plan(&pw, MNET_PRECISION_FP16, &pl), 0);
	CU_ASSERT_EQUAL(strncmp(pl.opts.s,
				"-DSTORAGE_HALF=1 -DMATH_HALF=1 -DACT=", 37), 0);
	CU_ASSERT_PTR_NULL(mnet_cl_precision_get(MNET_PRECISION_AUTO));
	CU_ASSERT_EQUAL(mnet_cl_precision_get(MNET_PRECISION_FP16)->elem_size, 2);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "every op has an entry, reshape aliases", test_every_op_has_entry },
		{ "1x1 stride-1 CONV2D runs on pwconv", test_conv_kernel_choice },
		{ "argument lists, residual flag at 5", test_arg_lists },
		{ "precision -D options first", test_precision_options },
		CU_TEST_INFO_NULL,
	};

	memset(&dev, 0, sizeof(dev));
	dev.type = CL_DEVICE_TYPE_CPU;
	dev.compute_units = 4;
	dev.max_wg = 4096;
	dev.max_items[0] = dev.max_items[1] = dev.max_items[2] = 4096;
	return mnet_test_run_suite("opencl_ops", tests);
}
#else
int main(void)
{
	printf("opencl_ops: skipped: built without OpenCL\n");
	return 77;
}
#endif
