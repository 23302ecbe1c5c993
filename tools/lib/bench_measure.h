/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_measure.h - mnet-bench's timed runs, statistics and memory peaks
 */
#ifndef MNET_TOOLS_BENCH_MEASURE_H
#define MNET_TOOLS_BENCH_MEASURE_H

#include <stddef.h>

#include "mnet/mnet.h"
#include "lib/bench.h"

/**
 * bench_percentile() - nearest-rank percentile
 * @v: sorted values
 * @n: their number, > 0
 * @q: quantile in [0, 1]
 *
 * Return: the value at rank ceil(@q * @n).
 */
double bench_percentile(const double *v, int n, double q);

/**
 * bench_fill_input() - a deterministic input
 * @o: options (a synthetic V1 model gets the peers' input)
 * @s: the model's input shape
 * @dst: @s.h * @s.w * @s.c floats; otherwise a fixed ramp in [-1, 1]
 */
void bench_fill_input(const struct bench_opts *o, struct mnet_shape s,
		      float *dst);

/**
 * bench_mean_stddev() - mean and population standard deviation of the
 * timed runs
 * @r: results with @r->n timed runs
 * @mean: the mean, in ms
 * @sd: the standard deviation, in ms
 */
void bench_mean_stddev(const struct bench_results *r, double *mean,
		       double *sd);

/**
 * bench_op_sums() - per-op-type sums of the per-layer medians, in
 * first-seen order
 * @m: model
 * @r: results with layer_ms
 * @sums: room for one entry per layer
 *
 * Return: the number of op types filled in @sums.
 */
int bench_op_sums(const struct mnet_model *m, const struct bench_results *r,
		  struct bench_op_sum *sums);

/**
 * bench_run() - warm-up runs, then the timed runs
 * @s: session
 * @m: its model
 * @o: options (runs, warmup, min_secs, run_delay)
 * @in: input
 * @n_in: its number of floats
 * @r: results; t (room for @o->runs, grown with --min-secs), n, first_ms,
 *     top1, p, layer_cfg and, unless layer_profiled, layer_ms are set
 *
 * Return: 0, or a negative errno with a message on stderr.
 */
int bench_run(struct mnet_session *s, const struct mnet_model *m,
	      const struct bench_opts *o, const float *in, size_t n_in,
	      struct bench_results *r);

/**
 * bench_layer_pass() - the per-layer breakdown from a profiled session
 * @s: a session created with profiling (OpenCL device times)
 * @m: its model
 * @o: options (layer_runs)
 * @in: input
 * @n_in: its number of floats
 * @r: results; layer_ms, layer_profiled and layer_runs are set
 *
 * Return: 0, or a negative errno with a message on stderr.
 */
int bench_layer_pass(struct mnet_session *s, const struct mnet_model *m,
		     const struct bench_opts *o, const float *in,
		     size_t n_in, struct bench_results *r);

/**
 * bench_hwm_reset() - reset Linux's resident-set high-water mark (VmHWM)
 * to the current RSS, so that bench_vm_hwm_kb() covers only what follows
 *
 * Return: 0, or -1 where /proc/self/clear_refs cannot be written.
 */
int bench_hwm_reset(void);

/**
 * bench_vm_hwm_kb() - VmHWM of /proc/self/status
 *
 * Return: KiB, or -1.
 */
long bench_vm_hwm_kb(void);

/**
 * bench_maxrss_kb() - the process's peak RSS (getrusage ru_maxrss);
 * bench_hwm_reset() lowers it too
 *
 * Return: KiB, or -1.
 */
long bench_maxrss_kb(void);

#endif /* MNET_TOOLS_BENCH_MEASURE_H */
