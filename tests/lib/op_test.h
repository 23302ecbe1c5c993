/* SPDX-License-Identifier: Apache-2.0 */
/*
 * op_test.h - one op on every backend against the reference (per-op suites)
 *
 * DOC: per-op tests
 *
 * Each tests/ops/test_op_<op>.c is a table of small, awkward cases of one
 * operation and a main() that hands it to mnet_op_test_main(), as ncnn's
 * tests/test_<layer>.cpp do.  For every case the harness builds a tiny
 * model through the internal IR (model/model.h), with weights, biases and
 * input from a fixed-seed generator, and runs it on:
 *
 *   - the reference backend: the oracle;
 *   - the cpu backend with every kernel set this machine can run
 *     (MNET_CPU=scalar, avx2, avx512, neon), on 1 and on 3 threads;
 *   - the OpenCL backend in fp32 (the cases marked @cl or @fp16) and with
 *     fp16 storage (those marked @fp16), when this build and machine have
 *     a device (else those tests say they are skipped).  Each distinct
 *     layer is a program PoCL compiles, about a second each the first
 *     time, so only a few cases per op run there; $MNET_OP_TEST_CL=all
 *     runs every case in both precisions (kernel work).
 *
 * Every output must agree with the reference's within 1e-4 of the largest
 * reference magnitude (fp32: accumulation order and FMA differ) or 2e-3
 * of it, or of 1 if that is larger (fp16 storage rounds each stored input,
 * weight and output, all O(1) here, to 11 bits; the bound of
 * tests/opencl/test_opencl_kernels.c).  On OpenCL every layer
 * must run on the device, not fall back to the host.
 *
 * The model: a model's input must be RGB, so when the tested layer reads
 * other than 3 channels, a layer from a 3-channel input comes first: a
 * reshape of a 1 x N/3 x 3 input when the element count N divides by 3
 * (an alias on OpenCL: no program to build), else a 1x1 convolution (which
 * the cpu backend may run with a following depthwise layer as one job on
 * several threads: one more path checked).  An ADD adds
 * the layer input to a second tensor computed from it: a 3x3 depthwise
 * convolution, or with @residual a 1x1 convolution without activation,
 * which the cpu and OpenCL backends fuse into the ADD.
 *
 * Adding an op is adding one file: its case table and the 10-line main().
 */
#ifndef MNET_TESTS_OP_TEST_H
#define MNET_TESTS_OP_TEST_H

#include <stddef.h>

#include "model/model.h"

/* &struct mnet_op_case.pad */
enum mnet_op_pad {
	MNET_OP_PAD_SAME = 0,	/* TFLite SAME: output ceil(in / stride) */
	MNET_OP_PAD_VALID,	/* no padding: output (in - k) / stride + 1 */
};

/**
 * struct mnet_op_case - one model around the op under test
 * @name: what the case exercises (printed with its errors)
 * @op: the operation under test
 * @in: the shape the tested layer reads
 * @cout: output channels (conv2d, pwconv2d, fc)
 * @k: square kernel size (conv2d, dwconv2d, avgpool); 0 for avgpool: global
 * @stride: stride (conv2d, dwconv2d, avgpool); 0 means 1
 * @pad: SAME or VALID (conv2d, dwconv2d, avgpool)
 * @act: fused activation (conv2d, dwconv2d, pwconv2d, fc, add)
 * @beta: softmax temperature; 0 means 1
 * @out: the output shape of a reshape (same element count as @in)
 * @residual: add: the second operand is a linear 1x1 convolution of the
 *            input, which backends fuse into the ADD
 * @cl: also run on OpenCL in fp32
 * @fp16: also run on OpenCL in fp32 and with fp16 storage
 */
struct mnet_op_case {
	const char *name;
	enum mnet_op op;
	struct mnet_shape in;
	int cout;
	int k;
	int stride;
	enum mnet_op_pad pad;
	enum mnet_act act;
	float beta;
	struct mnet_shape out;
	int residual;
	int cl;
	int fp16;
};

/**
 * mnet_op_test_model() - build the model of one case
 * @c: the case
 * @seed: seed of its weights and biases (values in [-1, 1))
 *
 * Return: a validated model (mnet_model_free() it), or NULL with the
 * reason printed.
 */
struct mnet_model *mnet_op_test_model(const struct mnet_op_case *c,
				      unsigned int seed);

/**
 * mnet_op_test_main() - run a per-op suite
 * @suite: suite name ("op_conv2d")
 * @cases: the op's cases
 * @n: number of cases
 *
 * Registers one CUnit test per kind of backend (cpu kernel sets, OpenCL
 * fp32, OpenCL fp16 storage) and runs them; the OpenCL ones only where a
 * device exists, saying so otherwise.
 *
 * Return: the process exit status: 0 when every comparison passed, else 1.
 */
int mnet_op_test_main(const char *suite, const struct mnet_op_case *cases,
		      size_t n);

#endif /* MNET_TESTS_OP_TEST_H */
