// SPDX-License-Identifier: Apache-2.0
/*
 * ref.c - plain C reference kernels
 *
 * DOC: reference path
 *
 * The oracle.  Straight loops over output positions with double
 * accumulation where it costs nothing in clarity (convolutions accumulate
 * in float, as every other path does, so that tolerances compare like with
 * like).  Input coordinates outside the tensor read as zero, which is how
 * SAME padding (and any bottom/right padding a file implies) works.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "ref/ref.h"

static inline const float *px(const float *t, struct mnet_shape s, int y,
			      int x)
{
	return t + ((size_t)y * s.w + x) * s.c;
}

void mnet_ref_conv2d(const struct mnet_layer *l, const float *in, float *out)
{
	struct mnet_shape is = l->in_shape, os = l->out_shape;
	int oy, ox, co, ky, kx, ci;

	for (oy = 0; oy < os.h; oy++) {
		for (ox = 0; ox < os.w; ox++) {
			float *o = out + ((size_t)oy * os.w + ox) * os.c;

			for (co = 0; co < os.c; co++) {
				float acc = l->bias ? l->bias[co] : 0.0f;

				for (ky = 0; ky < l->kh; ky++) {
					int iy = oy * l->stride_h - l->pad_top + ky;

					if (iy < 0 || iy >= is.h)
						continue;
					for (kx = 0; kx < l->kw; kx++) {
						int ix = ox * l->stride_w - l->pad_left + kx;
						const float *p, *w;

						if (ix < 0 || ix >= is.w)
							continue;
						p = px(in, is, iy, ix);
						w = l->weights +
						    (((size_t)co * l->kh + ky) * l->kw + kx) * is.c;
						for (ci = 0; ci < is.c; ci++)
							acc += p[ci] * w[ci];
					}
				}
				o[co] = mnet_act_apply(l->act, acc);
			}
		}
	}
}

void mnet_ref_dwconv2d(const struct mnet_layer *l, const float *in,
		       float *out)
{
	struct mnet_shape is = l->in_shape, os = l->out_shape;
	int oy, ox, c, ky, kx;

	for (oy = 0; oy < os.h; oy++) {
		for (ox = 0; ox < os.w; ox++) {
			float *o = out + ((size_t)oy * os.w + ox) * os.c;

			for (c = 0; c < os.c; c++) {
				float acc = l->bias ? l->bias[c] : 0.0f;

				for (ky = 0; ky < l->kh; ky++) {
					int iy = oy * l->stride_h - l->pad_top + ky;

					if (iy < 0 || iy >= is.h)
						continue;
					for (kx = 0; kx < l->kw; kx++) {
						int ix = ox * l->stride_w - l->pad_left + kx;

						if (ix < 0 || ix >= is.w)
							continue;
						acc += px(in, is, iy, ix)[c] *
						       l->weights[((size_t)ky * l->kw + kx) * os.c + c];
					}
				}
				o[c] = mnet_act_apply(l->act, acc);
			}
		}
	}
}

void mnet_ref_pwconv2d(const struct mnet_layer *l, const float *in,
		       float *out)
{
	size_t npx = (size_t)l->out_shape.h * l->out_shape.w, p;
	int cin = l->in_shape.c, cout = l->out_shape.c, co, ci;

	for (p = 0; p < npx; p++) {
		const float *i = in + p * cin;
		float *o = out + p * cout;

		for (co = 0; co < cout; co++) {
			const float *w = l->weights + (size_t)co * cin;
			float acc = l->bias ? l->bias[co] : 0.0f;

			for (ci = 0; ci < cin; ci++)
				acc += i[ci] * w[ci];
			o[co] = mnet_act_apply(l->act, acc);
		}
	}
}

void mnet_ref_avgpool(const struct mnet_layer *l, const float *in, float *out)
{
	struct mnet_shape is = l->in_shape, os = l->out_shape;
	int oy, ox, c, ky, kx;

	for (oy = 0; oy < os.h; oy++) {
		for (ox = 0; ox < os.w; ox++) {
			float *o = out + ((size_t)oy * os.w + ox) * os.c;
			int n = 0;

			/*
			 * Each output sums its taps in row-major order; channels
			 * run innermost, so a pixel's channels are read in one
			 * sweep (the fast CPU backend calls this too).
			 */
			for (c = 0; c < os.c; c++)
				o[c] = 0.0f;
			for (ky = 0; ky < l->kh; ky++) {
				int iy = oy * l->stride_h - l->pad_top + ky;

				if (iy < 0 || iy >= is.h)
					continue;
				for (kx = 0; kx < l->kw; kx++) {
					int ix = ox * l->stride_w - l->pad_left + kx;
					const float *p;

					if (ix < 0 || ix >= is.w)
						continue;
					p = px(in, is, iy, ix);
					for (c = 0; c < os.c; c++)
						o[c] += p[c];
					n++;
				}
			}
			for (c = 0; c < os.c; c++)
				o[c] = mnet_act_apply(l->act, n ? o[c] / n : 0.0f);
		}
	}
}

void mnet_ref_fc(const struct mnet_layer *l, const float *in, float *out)
{
	size_t n_in = mnet_shape_elems(l->in_shape), i;
	int co;

	for (co = 0; co < l->out_shape.c; co++) {
		const float *w = l->weights + (size_t)co * n_in;
		float acc = l->bias ? l->bias[co] : 0.0f;

		for (i = 0; i < n_in; i++)
			acc += in[i] * w[i];
		out[co] = mnet_act_apply(l->act, acc);
	}
}

void mnet_ref_softmax(const struct mnet_layer *l, const float *in, float *out)
{
	size_t npx = (size_t)l->out_shape.h * l->out_shape.w, p;
	int c, n = l->out_shape.c;

	for (p = 0; p < npx; p++) {
		const float *x = in + p * n;
		float *y = out + p * n;
		float max = x[0], sum = 0.0f;

		for (c = 1; c < n; c++)
			if (x[c] > max)
				max = x[c];
		for (c = 0; c < n; c++) {
			y[c] = expf(l->beta * (x[c] - max));
			sum += y[c];
		}
		for (c = 0; c < n; c++)
			y[c] /= sum;
	}
}

void mnet_ref_add(const struct mnet_layer *l, const float *a, const float *b,
		  float *out)
{
	size_t n = mnet_shape_elems(l->out_shape), i;

	for (i = 0; i < n; i++)
		out[i] = mnet_act_apply(l->act, a[i] + b[i]);
}

int mnet_ref_layer_run(const struct mnet_layer *l, const float *in,
		       const float *in2, float *out)
{
	switch (l->op) {
	case MNET_OP_CONV2D:
		mnet_ref_conv2d(l, in, out);
		break;
	case MNET_OP_DWCONV2D:
		mnet_ref_dwconv2d(l, in, out);
		break;
	case MNET_OP_PWCONV2D:
		mnet_ref_pwconv2d(l, in, out);
		break;
	case MNET_OP_AVGPOOL:
		mnet_ref_avgpool(l, in, out);
		break;
	case MNET_OP_FC:
		mnet_ref_fc(l, in, out);
		break;
	case MNET_OP_SOFTMAX:
		mnet_ref_softmax(l, in, out);
		break;
	case MNET_OP_RESHAPE:
		memcpy(out, in, mnet_shape_elems(l->out_shape) * sizeof(*out));
		break;
	case MNET_OP_ADD:
		mnet_ref_add(l, in, in2, out);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}
