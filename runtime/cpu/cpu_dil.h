/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_dil.h - a dilated stride-1 depthwise convolution as undilated ones
 * over sub-grids (cpu_dil.c)
 */
#ifndef MNET_RUNTIME_CPU_DIL_H
#define MNET_RUNTIME_CPU_DIL_H

#include <stddef.h>

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

#endif /* MNET_RUNTIME_CPU_DIL_H */
