/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_q_seg.h - the CPU backend's int8 RESIZE_BILINEAR and ARG_MAX
 * (cpu_q_seg.c), threaded and byte-identical to host/ref_q
 */
#ifndef MNET_RUNTIME_CPU_Q_SEG_H
#define MNET_RUNTIME_CPU_Q_SEG_H

#include <stddef.h>
#include <stdint.h>

#include "ref_q/q_kernels.h"
#include "threads/threadpool.h"

/**
 * mnet_cpu_q_resize_setup() - tables of a resize: each output column's
 * taps and weights, each row's, and per-thread room for two weighted
 * input rows
 * @p: the layer's parameters (from mnet_ref_q_layer_prepare())
 * @nthreads: threads that will run it
 * @mem: receives the allocation (free() it)
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_cpu_q_resize_setup(const struct mnet_qk_resize *p, int nthreads,
			    void **mem);

/**
 * mnet_cpu_q_resize_run() - mnet_qk_resize_bilinear(), the output rows
 * split over the pool
 * @pool: thread pool, or NULL for one thread
 * @nthreads: its threads (as given to mnet_cpu_q_resize_setup())
 * @mem: from mnet_cpu_q_resize_setup()
 * @in: input
 * @out: output
 */
void mnet_cpu_q_resize_run(struct mnet_threadpool *pool, int nthreads,
			   void *mem, const uint8_t *in, uint8_t *out);

/**
 * mnet_cpu_q_argmax_run() - mnet_qk_argmax(), the pixels split over the
 * pool
 * @pool: thread pool, or NULL for one thread
 * @nthreads: its threads
 * @npx: pixels
 * @c: channels
 * @is_signed: int8 input
 * @in: input
 * @out: output indices
 */
void mnet_cpu_q_argmax_run(struct mnet_threadpool *pool, int nthreads,
			   size_t npx, int c, int is_signed, const uint8_t *in,
			   uint8_t *out);

#endif /* MNET_RUNTIME_CPU_Q_SEG_H */
