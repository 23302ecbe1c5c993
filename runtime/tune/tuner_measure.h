/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tuner_measure.h - launch one candidate configuration and time it
 */
#ifndef MNET_RUNTIME_TUNER_MEASURE_H
#define MNET_RUNTIME_TUNER_MEASURE_H

#include "opencl/cl_gemm.h"
#include "opencl/cl_layer.h"
#include "tune/tune_cl.h"

#define MNET_TUNE_MAX_SAMPLES 64

/**
 * struct mnet_tune_meas - timing of one candidate
 * @median: median ms
 * @q1: first quartile
 * @q3: third quartile
 * @n: samples
 */
struct mnet_tune_meas {
	double median, q1, q3;
	int n;
};

/**
 * struct mnet_tune_runner - how to launch one candidate
 * @k: its kernel, every argument set (hand-written variant)
 * @plan: its NDRange
 * @cfg: its configuration
 * @g: the CLBlast variant instead of @k (else NULL)
 * @in: the layer's input buffer (the CLBlast variant's operand)
 * @out: its output buffer
 * @planted: the test hook's wrong candidate
 */
struct mnet_tune_runner {
	cl_kernel k;
	const struct mnet_cl_layer_plan *plan;
	const struct mnet_cl_layer_cfg *cfg;
	struct mnet_cl_gemm *g;
	cl_mem in, out;
	int planted;
};

/**
 * mnet_tune_launch() - one launch, waited for, timed by its events
 * @t: tuning run's device state
 * @r: candidate
 * @planted: 1 for the test hook's wrong launch: the last work-group row
 *           along the slowest dimension is left out (nothing is launched
 *           when there is only one), faster and wrong without ever
 *           writing out of bounds
 * @ms: receives the device time
 *
 * Return: 0 or -EIO.
 */
int mnet_tune_launch(const struct mnet_tune_cl *t,
		     const struct mnet_tune_runner *r, int planted, double *ms);

/**
 * mnet_tune_measure() - time a candidate until its median is stable
 * @t: tuning run's device state (sample and time caps)
 * @r: candidate, already checked against the reference
 * @m: receives median and quartiles
 *
 * Return: 0 or -EIO.
 */
int mnet_tune_measure(const struct mnet_tune_cl *t,
		      const struct mnet_tune_runner *r,
		      struct mnet_tune_meas *m);

/**
 * mnet_tune_median() - the median of @n values, sorting them
 * @v: values (reordered)
 * @n: their number, at least 1
 *
 * Return: the median.
 */
double mnet_tune_median(double *v, int n);

#endif /* MNET_RUNTIME_TUNER_MEASURE_H */
