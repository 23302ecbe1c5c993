/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tuner_bench.h - a layer's buffers, programs and reference output while
 * its candidates are tried
 */
#ifndef MNET_RUNTIME_TUNER_BENCH_H
#define MNET_RUNTIME_TUNER_BENCH_H

#include "mnet/mnet.h"
#include "model/model.h"
#include "opencl/cl_layer.h"
#include "tune/tune_cl.h"
#include "tune/tuner_measure.h"

#define MNET_TUNE_MAX_PROGS 64

/**
 * struct mnet_tune_bench - device buffers and reference output of one layer
 * @l: the layer
 * @in: its random input, in the stored type
 * @in2: its second operand (NULL when the kernel takes none)
 * @out: its output buffer
 * @w: packed weights per log2(vw) (NULL until a candidate needs them)
 * @b: padded bias per log2(vw)
 * @n_out: output elements
 * @ref: the reference output on @in
 * @got: a candidate's output, as floats
 * @stage: the output in the stored type
 * @progs: the programs built so far
 * @prog_opts: their options
 * @n_progs: their number
 */
struct mnet_tune_bench {
	const struct mnet_layer *l;
	cl_mem in, in2, out;
	cl_mem w[5], b[5];
	size_t n_out;
	float *ref;
	float *got;
	void *stage;
	cl_program progs[MNET_TUNE_MAX_PROGS];
	char *prog_opts[MNET_TUNE_MAX_PROGS];
	int n_progs;
};

/**
 * mnet_tune_bench_init() - random input on the device, reference output
 * @t: tuning run's device state
 * @l: layer
 * @b: receives the bench; release with mnet_tune_bench_fini() also on
 *     failure
 * @err: receives why it failed
 *
 * Return: 0, -ENOMEM, -EIO, or the reference kernel's error.
 */
int mnet_tune_bench_init(struct mnet_tune_cl *t, const struct mnet_layer *l,
			 struct mnet_tune_bench *b, struct mnet_err *err);

/**
 * mnet_tune_bench_fini() - release a bench
 * @b: bench (zeroed afterwards)
 */
void mnet_tune_bench_fini(struct mnet_tune_bench *b);

/**
 * mnet_tune_bench_weights() - the layer's weights packed for @cfg
 * @t: tuning run's device state
 * @b: bench
 * @cfg: configuration (its vector width decides the layout)
 * @w: receives the weight buffer (owned by @b)
 * @bias: receives the bias buffer (owned by @b)
 * @err: receives why it failed
 *
 * Return: 0, -ENOMEM or -EIO.
 */
int mnet_tune_bench_weights(struct mnet_tune_cl *t, struct mnet_tune_bench *b,
			    const struct mnet_cl_layer_cfg *cfg, cl_mem *w,
			    cl_mem *bias, struct mnet_err *err);

/**
 * mnet_tune_bench_program() - the program of a plan, built once
 * @t: tuning run's device state
 * @b: bench (keeps the program)
 * @plan: plan
 * @out: receives the program (owned by @b)
 * @err: receives the build log on failure
 *
 * Return: 0, -ENOMEM, or the build error.
 */
int mnet_tune_bench_program(struct mnet_tune_cl *t, struct mnet_tune_bench *b,
			    const struct mnet_cl_layer_plan *plan,
			    cl_program *out, struct mnet_err *err);

/**
 * mnet_tune_bench_check() - one launch on the bench, against the reference
 * @t: tuning run's device state
 * @b: bench
 * @r: candidate (its planted flag applies)
 * @rerr: receives max |got - ref| / max |ref|, infinite on any NaN
 *
 * Return: 0 or -EIO.
 */
int mnet_tune_bench_check(struct mnet_tune_cl *t, struct mnet_tune_bench *b,
			  const struct mnet_tune_runner *r, double *rerr);

/**
 * mnet_tune_fill_random() - deterministic values in [-1, 1)
 * @p: array
 * @n: its length
 * @seed: seed
 */
void mnet_tune_fill_random(float *p, size_t n, unsigned int seed);

#endif /* MNET_RUNTIME_TUNER_BENCH_H */
