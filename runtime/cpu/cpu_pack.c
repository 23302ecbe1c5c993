// SPDX-License-Identifier: Apache-2.0
/*
 * cpu_pack.c - the CPU backend's weight packing and its sizes
 *
 * DOC: CPU weight packing
 *
 * Runs once, in init(): each layer's weights are packed into the layout
 * its kernel wants (host/dispatch/cpu_kernel_types.h): GEMM panels of nr
 * output channels for full and 1x1 convolutions and the classifier,
 * channel-padded taps for depthwise layers.  The counts of what a packer
 * allocates come from gemm_size() / dw_size(), which footprint() calls
 * too (through the mnet_cpu_packed_*() functions).
 */
#include <errno.h>
#include <math.h>

#include "cpu/cpu_pack.h"

/* Floats of packed weights and of padded bias. */
struct pack_size {
	uint64_t w;
	uint64_t bias;
};

static int gemm_panels(int n, int nr)
{
	return (n + nr - 1) / nr;
}

static struct pack_size gemm_size(int n, int k, int nr)
{
	uint64_t padded = (uint64_t)gemm_panels(n, nr) * nr;

	return (struct pack_size){ .w = padded * k, .bias = padded };
}

static int dw_cpad(int c)
{
	return (c + MNET_CPU_DW_ALIGN - 1) / MNET_CPU_DW_ALIGN *
	       MNET_CPU_DW_ALIGN;
}

static struct pack_size dw_size(const struct mnet_layer *l)
{
	uint64_t cpad = dw_cpad(l->out_shape.c);

	return (struct pack_size){ .w = (uint64_t)l->kh * l->kw * cpad,
				   .bias = cpad };
}

static uint64_t pack_bytes(struct pack_size s)
{
	return mnet_cpu_aligned_bytes(s.w) + mnet_cpu_aligned_bytes(s.bias);
}

/* GEMM reduction lengths: a window of channels, a pixel, the whole input */
static int conv_k(const struct mnet_layer *l)
{
	return l->kh * l->kw * l->in_shape.c;
}

static int pwconv_k(const struct mnet_layer *l)
{
	return l->in_shape.c;
}

static int fc_k(const struct mnet_layer *l)
{
	return (int)mnet_shape_elems(l->in_shape);
}

void mnet_cpu_act_clamp(enum mnet_act act, float *lo, float *hi)
{
	*lo = act == MNET_ACT_NONE ? -INFINITY : 0.0f;
	*hi = act == MNET_ACT_RELU6 ? 6.0f : INFINITY;
}

/* [n][k] (row n of k floats) into panels [p][k][nr], zero-padded. */
static int pack_gemm(struct mnet_cpu_layer *cl, const float *w,
		     const float *bias, int n, int k, int nr)
{
	struct pack_size sz = gemm_size(n, k, nr);
	int p, kk, j;

	cl->k = k;
	cl->npanels = gemm_panels(n, nr);
	cl->w = mnet_cpu_alloc((size_t)sz.w);
	cl->bias = mnet_cpu_alloc((size_t)sz.bias);
	if (!cl->w || !cl->bias)
		return -ENOMEM;
	for (p = 0; p < cl->npanels; p++) {
		float *dst = cl->w + (size_t)p * k * nr;

		for (kk = 0; kk < k; kk++)
			for (j = 0; j < nr; j++) {
				int o = p * nr + j;

				dst[(size_t)kk * nr + j] =
					o < n ? w[(size_t)o * k + kk] : 0.0f;
			}
		for (j = 0; j < nr; j++) {
			int o = p * nr + j;

			cl->bias[p * nr + j] = o < n && bias ? bias[o] : 0.0f;
		}
	}
	return 0;
}

int mnet_cpu_pack_conv(struct mnet_cpu_state *st, struct mnet_cpu_layer *cl)
{
	const struct mnet_layer *l = cl->l;

	return pack_gemm(cl, l->weights, l->bias, l->out_shape.c, conv_k(l),
			 st->kern->nr);
}

int mnet_cpu_pack_pwconv(struct mnet_cpu_state *st,
			 struct mnet_cpu_layer *cl)
{
	const struct mnet_layer *l = cl->l;
	size_t m;

	if (pack_gemm(cl, l->weights, l->bias, l->out_shape.c, pwconv_k(l),
		      st->kern->nr))
		return -ENOMEM;
	/* weights bigger than the activations: keep weights private */
	m = (size_t)l->out_shape.h * l->out_shape.w;
	cl->split_panels = (size_t)l->out_shape.c > m &&
			   cl->npanels >= st->nthreads;
	return 0;
}

int mnet_cpu_pack_fc(struct mnet_cpu_state *st, struct mnet_cpu_layer *cl)
{
	const struct mnet_layer *l = cl->l;

	cl->split_panels = 1;
	return pack_gemm(cl, l->weights, l->bias, l->out_shape.c, fc_k(l),
			 st->kern->nr);
}

int mnet_cpu_pack_dwconv(struct mnet_cpu_state *st,
			 struct mnet_cpu_layer *cl)
{
	const struct mnet_layer *l = cl->l;
	struct pack_size sz = dw_size(l);
	int c = l->out_shape.c, taps = l->kh * l->kw, t, i;

	cl->cpad = dw_cpad(c);
	cl->w = mnet_cpu_alloc((size_t)sz.w);
	cl->bias = mnet_cpu_alloc((size_t)sz.bias);
	if (!cl->w || !cl->bias)
		return -ENOMEM;
	for (t = 0; t < taps; t++)
		for (i = 0; i < cl->cpad; i++)
			cl->w[(size_t)t * cl->cpad + i] =
				i < c ? l->weights[(size_t)t * c + i] : 0.0f;
	for (i = 0; i < cl->cpad; i++)
		cl->bias[i] = i < c && l->bias ? l->bias[i] : 0.0f;
	return 0;
}

uint64_t mnet_cpu_packed_conv(const struct mnet_cpu_kernels *kern,
			      const struct mnet_layer *l)
{
	return pack_bytes(gemm_size(l->out_shape.c, conv_k(l), kern->nr));
}

uint64_t mnet_cpu_packed_pwconv(const struct mnet_cpu_kernels *kern,
				const struct mnet_layer *l)
{
	return pack_bytes(gemm_size(l->out_shape.c, pwconv_k(l), kern->nr));
}

uint64_t mnet_cpu_packed_fc(const struct mnet_cpu_kernels *kern,
			    const struct mnet_layer *l)
{
	return pack_bytes(gemm_size(l->out_shape.c, fc_k(l), kern->nr));
}

uint64_t mnet_cpu_packed_dwconv(const struct mnet_cpu_kernels *kern,
				const struct mnet_layer *l)
{
	return pack_bytes(dw_size(l));
}

size_t mnet_cpu_scratch_conv(const struct mnet_cpu_kernels *kern,
			     const struct mnet_layer *l)
{
	int k = conv_k(l);

	return (size_t)(kern->conv ? mnet_cpu_conv_mc(k, kern->mr) :
			mnet_cpu_gemm_mc(k, kern->mr)) * k;
}
