// SPDX-License-Identifier: Apache-2.0
/*
 * q_concat.c - integer reference CONCATENATION along channels and ARG_MAX
 *
 * CONCATENATION is TFLite's ConcatenationWithScaling (the uint8 reference
 * kernel): an input whose scale and zero point are the output's is
 * copied; another is requantized in float, round(q * scale + bias) +
 * out_zp with scale = in_scale * (1 / out_scale) and bias = -in_zp *
 * scale, clamped.  (TFLite's int8 concatenation requires equal
 * quantization; runtime/reference/ref_q_layer.c refuses anything else.)
 * ARG_MAX compares the stored values, which order as the real ones do.
 */
#include <math.h>
#include <string.h>

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#include "ref_q/q_kernels.h"
#include "ref_q/q_math.h"

void mnet_qk_concat_params(int c, float in_scale, int32_t in_zp,
			   float out_scale, int32_t out_zp,
			   struct mnet_qk_concat_part *part)
{
	float inv = 1.0f / out_scale;

	part->c = c;
	part->same = in_scale == out_scale && in_zp == out_zp;
	part->scale = in_scale * inv;
	part->bias = (float)-in_zp * part->scale;
}

static void concat_part(const struct mnet_qk_concat *p,
			const struct mnet_qk_concat_part *q,
			const uint8_t *in, uint8_t *out)
{
	int32_t lo = p->is_signed ? -128 : 0, hi = p->is_signed ? 127 : 255;
	int k;

	if (q->same) {
		memcpy(out, in, (size_t)q->c);
		return;
	}
	for (k = 0; k < q->c; k++) {
		float r = (float)mnet_q_ld(in, (size_t)k, p->is_signed) *
			  q->scale + q->bias;
		int32_t v = (int32_t)roundf(r) + p->out_zp;

		out[k] = (uint8_t)mnet_q_clamp(v, lo, hi);
	}
}

void mnet_qk_concat(const struct mnet_qk_concat *p, size_t npx,
		    const uint8_t *a, const uint8_t *b, uint8_t *out)
{
	size_t px, oc = (size_t)p->a.c + (size_t)p->b.c;

	for (px = 0; px < npx; px++) {
		concat_part(p, &p->a, a + px * (size_t)p->a.c, out + px * oc);
		concat_part(p, &p->b, b + px * (size_t)p->b.c,
			    out + px * oc + p->a.c);
	}
}

void mnet_qk_argmax(size_t npx, int c, int is_signed, const uint8_t *in,
		    uint8_t *out)
{
	size_t px;
	int k;

	for (px = 0; px < npx; px++) {
		const uint8_t *v = in + px * (size_t)c;
		int32_t best = mnet_q_ld(v, 0, is_signed);
		int bi = 0;

		for (k = 1; k < c; k++) {
			int32_t x = mnet_q_ld(v, (size_t)k, is_signed);

			if (x > best) {
				best = x;
				bi = k;
			}
		}
		out[px] = (uint8_t)bi;
	}
}
