// SPDX-License-Identifier: Apache-2.0
/*
 * q_pool.c - integer reference average pool (AVERAGE_POOL_2D) and MEAN
 * over height and width (reference_ops::QuantizedMeanOrSum: the sum less
 * the zero points, times in_scale / (out_scale * n) as one multiplier,
 * mnet_qk_mean_params())
 */
#include "ref_q/q_kernels.h"
#include "ref_q/q_math.h"

/* Integer division rounded half away from zero, as both kernels do. */
static int32_t q_round_div(int32_t acc, int32_t n)
{
	return acc > 0 ? (acc + n / 2) / n : (acc - n / 2) / n;
}

void mnet_qk_avgpool(const struct mnet_qk_pool *p, const uint8_t *in,
		     uint8_t *out)
{
	int y, x, c, i, j;

	for (y = 0; y < p->oh; y++) {
		for (x = 0; x < p->ow; x++) {
			for (c = 0; c < p->c; c++) {
				int32_t acc = 0, n = 0;

				for (i = 0; i < p->kh; i++) {
					int iy = y * p->sh - p->pt + i;

					if (iy < 0 || iy >= p->ih)
						continue;
					for (j = 0; j < p->kw; j++) {
						int ix = x * p->sw - p->pl + j;

						if (ix < 0 || ix >= p->iw)
							continue;
						acc += mnet_q_ld(in, ((size_t)iy * p->iw + ix) *
								 p->c + c,
								 p->is_signed);
						n++;
					}
				}
				if (p->mean) {
					/* 1/n is folded into the multiplier */
					acc -= n * p->in_zp;
					acc = mnet_q_mul(acc, p->mult, p->shift) +
					      p->out_zp;
				} else if (n) {
					acc = q_round_div(acc, n);
				}
				out[((size_t)y * p->ow + x) * p->c + c] =
					(uint8_t)mnet_q_clamp(acc, p->act_min,
							      p->act_max);
			}
		}
	}
}

/* The same sums, channel-contiguous: the compiler vectorises the adds. */
void mnet_qk_avgpool_global(const struct mnet_qk_pool *p, const uint8_t *in,
			    int32_t *acc, uint8_t *out)
{
	size_t px = (size_t)p->ih * p->iw, i;
	int32_t n = (int32_t)px;
	int c;

	for (c = 0; c < p->c; c++)
		acc[c] = 0;
	for (i = 0; i < px; i++) {
		const uint8_t *row = in + i * p->c;

		if (p->is_signed)
			for (c = 0; c < p->c; c++)
				acc[c] += (int8_t)row[c];
		else
			for (c = 0; c < p->c; c++)
				acc[c] += row[c];
	}
	for (c = 0; c < p->c; c++) {
		int32_t v = acc[c];

		if (p->mean)
			v = mnet_q_mul(v - n * p->in_zp, p->mult, p->shift) +
			    p->out_zp;
		else if (n)
			v = q_round_div(v, n);
		out[c] = (uint8_t)mnet_q_clamp(v, p->act_min, p->act_max);
	}
}

/*
 * TFLite's integer MaxPool: the largest raw value of the taps inside the
 * input (input and output share their quantization), clamped to the fused
 * activation's range.
 */
void mnet_qk_maxpool(const struct mnet_qk_pool *p, const uint8_t *in,
		     uint8_t *out)
{
	int y, x, c, i, j;

	for (y = 0; y < p->oh; y++) {
		for (x = 0; x < p->ow; x++) {
			for (c = 0; c < p->c; c++) {
				int32_t max = p->is_signed ? -128 : 0;

				for (i = 0; i < p->kh; i++) {
					int iy = y * p->sh - p->pt + i;

					if (iy < 0 || iy >= p->ih)
						continue;
					for (j = 0; j < p->kw; j++) {
						int ix = x * p->sw - p->pl + j;
						int32_t v;

						if (ix < 0 || ix >= p->iw)
							continue;
						v = mnet_q_ld(in, ((size_t)iy * p->iw + ix) *
							      p->c + c, p->is_signed);
						max = v > max ? v : max;
					}
				}
				out[((size_t)y * p->ow + x) * p->c + c] =
					(uint8_t)mnet_q_clamp(max, p->act_min,
							      p->act_max);
			}
		}
	}
}
