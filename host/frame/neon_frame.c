// SPDX-License-Identifier: Apache-2.0
/*
 * neon_frame.c - NEON frame conversion, four output pixels a step
 *
 * DOC: NEON frame conversion
 *
 * NEON has no gather, so each neighbour's bytes are loaded one lane at a
 * time from the offset tables of frame_fast.c; the colour conversion,
 * rounding and interpolation then run four pixels wide with the
 * operations of mnet_fconv_ref() in the same order (separate multiplies
 * and adds, never fused; floor by truncation and a correction, since
 * 32-bit Arm has no vrndm), so the results equal the reference's.  The
 * input mapping is the scalar mnet_fconv_map() (32-bit NEON has no
 * division), or mnet_fconv_byte() for the quantized input's bytes
 * (&struct mnet_fconv.dst_u8: an int8 session's input is written
 * directly rather than through the scalar converter).  The last ow % 4
 * columns take the scalar path.
 */
#include <arm_neon.h>

#include "frame/frame_conv.h"

static inline float32x4_t floor4(float32x4_t v)
{
	float32x4_t t = vcvtq_f32_s32(vcvtq_s32_f32(v));
	uint32x4_t gt = vcgtq_f32(t, v);

	return vsubq_f32(t, vreinterpretq_f32_u32(
		vandq_u32(gt, vreinterpretq_u32_f32(vdupq_n_f32(1.0f)))));
}

static inline float32x4_t u8f(float32x4_t v)
{
	v = floor4(vaddq_f32(v, vdupq_n_f32(0.5f)));
	v = vmaxq_f32(v, vdupq_n_f32(0.0f));
	return vminq_f32(v, vdupq_n_f32(255.0f));
}

static inline float32x4_t mul(float k, float32x4_t v)
{
	return vmulq_f32(vdupq_n_f32(k), v);
}

/* Four neighbours' channels (offsets @o[c][0..3]) as 8-bit RGB. */
static inline void fetch_rgb(const struct mnet_fconv *fc, int32_t o[3][4],
			     float32x4_t rgb[3])
{
	float32x4_t ch[3], yy, du, dv;
	int c, i;

	for (c = 0; c < 3; c++) {
		float v[4];

		for (i = 0; i < 4; i++)
			v[i] = fc->plane[c][o[c][i]];
		ch[c] = vld1q_f32(v);
	}
	if (!fc->yuv) {
		for (c = 0; c < 3; c++)
			rgb[c] = ch[c];
		return;
	}
	du = vsubq_f32(ch[1], vdupq_n_f32(128.0f));
	dv = vsubq_f32(ch[2], vdupq_n_f32(128.0f));
	if (fc->full_range) {
		yy = ch[0];
		rgb[0] = u8f(vaddq_f32(yy, mul(MNET_FCONV_FULL_RV, dv)));
		rgb[1] = u8f(vsubq_f32(vsubq_f32(yy, mul(MNET_FCONV_FULL_GU,
							 du)),
				       mul(MNET_FCONV_FULL_GV, dv)));
		rgb[2] = u8f(vaddq_f32(yy, mul(MNET_FCONV_FULL_BU, du)));
	} else {
		yy = mul(MNET_FCONV_LIM_Y, vsubq_f32(ch[0], vdupq_n_f32(16.0f)));
		rgb[0] = u8f(vaddq_f32(yy, mul(MNET_FCONV_LIM_RV, dv)));
		rgb[1] = u8f(vsubq_f32(vsubq_f32(yy, mul(MNET_FCONV_LIM_GU,
							 du)),
				       mul(MNET_FCONV_LIM_GV, dv)));
		rgb[2] = u8f(vaddq_f32(yy, mul(MNET_FCONV_LIM_BU, du)));
	}
}

static inline float32x4_t lerp(float32x4_t a, float32x4_t b, float32x4_t f)
{
	return vaddq_f32(a, vmulq_f32(vsubq_f32(b, a), f));
}

static void row_neon(const struct mnet_fconv *fc,
		     const struct mnet_fconv_tabs *t, int y)
{
	int ow = fc->ow, oh = fc->oh, x, c, i;
	float32x4_t fy = vdupq_n_f32(t->fy[y]);

	for (x = 0; x + 4 <= ow; x += 4) {
		int32_t oa[3][4], ob[3][4], od[3][4], oe[3][4];
		float32x4_t a[3], b[3], d[3], e[3];
		float32x4_t fx = vld1q_f32(t->fx + x);
		size_t at = ((size_t)y * ow + x) * 3;
		float out[3][4];

		for (c = 0; c < 3; c++) {
			int32_t r0 = t->row0[c * oh + y], r1 = t->row1[c * oh + y];

			for (i = 0; i < 4; i++) {
				int32_t c0 = t->col0[c * ow + x + i];
				int32_t c1 = t->col1[c * ow + x + i];

				oa[c][i] = c0 + r0;
				ob[c][i] = c1 + r0;
				od[c][i] = c0 + r1;
				oe[c][i] = c1 + r1;
			}
		}
		fetch_rgb(fc, oa, a);
		fetch_rgb(fc, ob, b);
		fetch_rgb(fc, od, d);
		fetch_rgb(fc, oe, e);
		for (c = 0; c < 3; c++) {
			float32x4_t top = lerp(a[c], b[c], fx);
			float32x4_t bot = lerp(d[c], e[c], fx);

			vst1q_f32(out[c], lerp(top, bot, fy));
		}
		for (i = 0; i < 4; i++)
			for (c = 0; c < 3; c++)
				if (fc->dst_u8)
					fc->dst_u8[at + 3 * i + c] =
						mnet_fconv_byte(fc, out[c][i]);
				else
					fc->dst[at + 3 * i + c] =
						mnet_fconv_map(fc, out[c][i]);
	}
	if (x < ow)
		mnet_fconv_rows_scalar_cols(fc, t, y, x);
}

void mnet_fconv_rows_neon(const struct mnet_fconv *fc,
			  const struct mnet_fconv_tabs *t, int y0, int y1)
{
	int y;

	for (y = y0; y < y1; y++)
		row_neon(fc, t, y);
}
