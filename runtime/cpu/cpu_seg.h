/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_seg.h - the CPU backend's segmentation ops (cpu_seg.c): dilated
 * depthwise as undilated sub-grids, RESIZE_BILINEAR, CONCATENATION and
 * ARG_MAX, in float (entries of cpu_ops.c) and in int8 (byte-identical to
 * host/ref_q, for backend_cpu_q.c)
 */
#ifndef MNET_RUNTIME_CPU_SEG_H
#define MNET_RUNTIME_CPU_SEG_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu_state.h"
#include "ref_q/q_kernels.h"
#include "threads/threadpool.h"
/**
 * struct mnet_cpu_dil_grid - one sub-grid of a dilated convolution
 * @iy: first input row of the sub-grid (then every dh-th)
 * @ix: first input column (then every dw-th)
 * @oy: first output row (then every dh-th)
 * @ox: first output column
 * @ih: sub-grid input rows
 * @iw: sub-grid input columns
 * @oh: sub-grid output rows
 * @ow: sub-grid output columns
 * @pt: padding above for the undilated convolution over it
 * @pl: padding on the left
 */
struct mnet_cpu_dil_grid {
	int iy, ix, oy, ox, ih, iw, oh, ow, pt, pl;
};

/**
 * mnet_cpu_dil_grid() - sub-grid (@py, @px) of a dilated convolution
 * @ih: input height
 * @iw: input width
 * @oh: output height
 * @ow: output width
 * @dh: vertical dilation
 * @dw: horizontal dilation
 * @pt: padding above
 * @pl: padding on the left
 * @py: output row phase, 0..@dh-1
 * @px: output column phase, 0..@dw-1
 * @g: receives the sub-grid
 *
 * With stride 1, output rows @py, @py + dh, ... read only input rows
 * congruent to @py - @pt modulo dh: an undilated convolution of those,
 * with @g->pt rows of padding above, gives them (the taps outside the
 * sub-grid are exactly those outside the input).
 */
void mnet_cpu_dil_grid(int ih, int iw, int oh, int ow, int dh, int dw,
		       int pt, int pl, int py, int px,
		       struct mnet_cpu_dil_grid *g);

/**
 * mnet_cpu_dil_gather() - copy a sub-grid's input pixels out
 * @g: the sub-grid
 * @in: input tensor, @iw pixels per row
 * @iw: input width
 * @px_bytes: bytes per pixel
 * @dh: vertical dilation
 * @dw: horizontal dilation
 * @sub: receives @g->ih x @g->iw pixels
 */
void mnet_cpu_dil_gather(const struct mnet_cpu_dil_grid *g, const void *in,
			 int iw, size_t px_bytes, int dh, int dw, void *sub);

/**
 * mnet_cpu_dil_scatter() - put a sub-grid's output pixels in place
 * @g: the sub-grid
 * @sub: @g->oh x @g->ow pixels
 * @ow: output width
 * @px_bytes: bytes per pixel
 * @dh: vertical dilation
 * @dw: horizontal dilation
 * @out: output tensor
 */
void mnet_cpu_dil_scatter(const struct mnet_cpu_dil_grid *g, const void *sub,
			  int ow, size_t px_bytes, int dh, int dw, void *out);

/**
 * mnet_cpu_dil_max_px() - pixels of the largest sub-grid of a tensor
 * @h: tensor height
 * @w: tensor width
 * @dh: vertical dilation
 * @dw: horizontal dilation
 *
 * Return: ceil(@h / @dh) * ceil(@w / @dw).
 */
size_t mnet_cpu_dil_max_px(int h, int w, int dh, int dw);



/**
 * mnet_cpu_q_resize_setup() - tables of a resize: each output column's
 * taps and weights, each row's, and per-thread room for two weighted
 * input rows
 * @kern: the session's kernel set (its @q8_resize_row computes a row
 *        where it has one), or NULL for the portable loop
 * @p: the layer's parameters (from mnet_ref_q_layer_prepare())
 * @nthreads: threads that will run it
 * @mem: receives the allocation (free() it)
 *
 * Return: 0 or -ENOMEM.
 */
int mnet_cpu_q_resize_setup(const struct mnet_cpu_kernels *kern,
			    const struct mnet_qk_resize *p, int nthreads,
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

/* ---- float: entries of the op table (cpu_ops.c) ------------------------ */

/**
 * mnet_cpu_pack_dwconv_dil() - pack a dilated depthwise layer as a
 * depthwise one
 * @st: state
 * @cl: the layer
 *
 * Return: 0, -EOPNOTSUPP for a stride other than 1 (no sub-grids), or
 * -ENOMEM.
 */
int mnet_cpu_pack_dwconv_dil(struct mnet_cpu_state *st,
			     struct mnet_cpu_layer *cl);

/**
 * mnet_cpu_scratch_dwconv_dil() - per-thread scratch of a dilated
 * depthwise layer: one sub-grid's input and output (thread 0's holds them)
 * @kern: kernel table
 * @l: the layer
 *
 * Return: floats.
 */
size_t mnet_cpu_scratch_dwconv_dil(const struct mnet_cpu_kernels *kern,
				   const struct mnet_layer *l);

/**
 * mnet_cpu_run_dwconv_dil() - a dilated depthwise layer (stride 1): the
 * depthwise kernel over each sub-grid
 * @st: state
 * @cl: the layer (packed as a depthwise one)
 * @in: input
 * @out: output
 * @how: unused (never fused)
 */
void mnet_cpu_run_dwconv_dil(struct mnet_cpu_state *st,
			     const struct mnet_cpu_layer *cl, const float *in,
			     float *out, unsigned int how);

/**
 * mnet_cpu_scratch_resize() - per-thread scratch of a resize: two
 * weighted input rows and the columns' taps and weights
 * @kern: kernel table
 * @l: the layer
 *
 * Return: floats.
 */
size_t mnet_cpu_scratch_resize(const struct mnet_cpu_kernels *kern,
			       const struct mnet_layer *l);

/**
 * mnet_cpu_run_resize() - RESIZE_BILINEAR, output rows over the pool,
 * the reference's float operations in its order (the same values)
 * @st: state
 * @cl: the layer
 * @in: input
 * @out: output
 * @how: unused
 */
void mnet_cpu_run_resize(struct mnet_cpu_state *st,
			 const struct mnet_cpu_layer *cl, const float *in,
			 float *out, unsigned int how);

/**
 * mnet_cpu_run_concat() - CONCAT along channels, pixels over the pool
 * @st: state
 * @cl: the layer (its in2 read from the arena)
 * @in: first input
 * @out: output
 * @how: unused
 */
void mnet_cpu_run_concat(struct mnet_cpu_state *st,
			 const struct mnet_cpu_layer *cl, const float *in,
			 float *out, unsigned int how);

/**
 * mnet_cpu_run_argmax() - ARG_MAX over channels, pixels over the pool
 * (the first maximum, as the reference)
 * @st: state
 * @cl: the layer
 * @in: input
 * @out: output, one class index (as float) per pixel
 * @how: unused
 */
void mnet_cpu_run_argmax(struct mnet_cpu_state *st,
			 const struct mnet_cpu_layer *cl, const float *in,
			 float *out, unsigned int how);

#endif /* MNET_RUNTIME_CPU_SEG_H */
