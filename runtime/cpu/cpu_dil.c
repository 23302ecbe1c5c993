// SPDX-License-Identifier: Apache-2.0
/*
 * cpu_dil.c - a dilated stride-1 depthwise convolution as undilated ones
 * over sub-grids
 *
 * DOC: dilated depthwise on the CPU
 *
 * DeepLab's atrous layers (3x3, dilation 2, stride 1) run through the
 * depthwise kernels the other layers use, fast and already tested: the
 * output pixels of one phase (row and column modulo the dilation) read
 * the input pixels of one phase only, spaced by the dilation, so copying
 * those out as a dense tensor (dh * dw of them, a quarter of the pixels
 * each for dilation 2) turns the layer into dh * dw undilated
 * convolutions (space-to-batch, as TensorFlow itself computes atrous
 * convolutions).  The gather and scatter copy each pixel once; the
 * arithmetic per output value is the undilated kernel's, the same taps
 * in the same order as the reference's.  Both the float and the int8
 * path use it.
 */
#include <string.h>

#include "cpu/cpu_dil.h"

/* How many of 0..n-1 are congruent to @r modulo @d (0 <= r < d). */
static int phase_len(int n, int r, int d)
{
	return n > r ? (n - r + d - 1) / d : 0;
}

void mnet_cpu_dil_grid(int ih, int iw, int oh, int ow, int dh, int dw,
		       int pt, int pl, int py, int px,
		       struct mnet_cpu_dil_grid *g)
{
	/* input row of output row py + dh*j, tap i: (py - pt) + dh*(j + i) */
	int ry = ((py - pt) % dh + dh) % dh, rx = ((px - pl) % dw + dw) % dw;

	g->iy = ry;
	g->ix = rx;
	g->oy = py;
	g->ox = px;
	g->ih = phase_len(ih, ry, dh);
	g->iw = phase_len(iw, rx, dw);
	g->oh = phase_len(oh, py, dh);
	g->ow = phase_len(ow, px, dw);
	/* py - pt = ry - dh * pt'  (pt >= 0, py < dh: pt' >= 0) */
	g->pt = (ry - (py - pt)) / dh;
	g->pl = (rx - (px - pl)) / dw;
}

void mnet_cpu_dil_gather(const struct mnet_cpu_dil_grid *g, const void *in,
			 int iw, size_t px_bytes, int dh, int dw, void *sub)
{
	const unsigned char *src = in;
	unsigned char *dst = sub;
	int y, x;

	for (y = 0; y < g->ih; y++) {
		const unsigned char *row = src + ((size_t)(g->iy + y * dh) * iw +
						  g->ix) * px_bytes;

		for (x = 0; x < g->iw; x++) {
			memcpy(dst, row + (size_t)x * dw * px_bytes, px_bytes);
			dst += px_bytes;
		}
	}
}

void mnet_cpu_dil_scatter(const struct mnet_cpu_dil_grid *g, const void *sub,
			  int ow, size_t px_bytes, int dh, int dw, void *out)
{
	const unsigned char *src = sub;
	unsigned char *dst = out;
	int y, x;

	for (y = 0; y < g->oh; y++) {
		unsigned char *row = dst + ((size_t)(g->oy + y * dh) * ow +
					    g->ox) * px_bytes;

		for (x = 0; x < g->ow; x++) {
			memcpy(row + (size_t)x * dw * px_bytes, src, px_bytes);
			src += px_bytes;
		}
	}
}

size_t mnet_cpu_dil_max_px(int h, int w, int dh, int dw)
{
	return (size_t)((h + dh - 1) / dh) * (size_t)((w + dw - 1) / dw);
}
