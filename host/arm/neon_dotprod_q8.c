// SPDX-License-Identifier: Apache-2.0
/*
 * neon_dotprod_q8.c - the 8-bit 1x1 convolution over the ARMv8.2 dot
 * product (sdot), AArch64 only; built with -march=armv8.2-a+dotprod and
 * run only when AT_HWCAP reports HWCAP_ASIMDDP (host/dispatch/)
 *
 * DOC: NEON dot-product q8 kernel
 *
 * Weights in %MNET_CPU_Q8_QUADS_S8S8: int8 quads [kpad4 / 4][16][4], ws =
 * w (int8) or w - 128 (uint8), so w - w_zp = ws + B.  Each pixel is staged
 * as int8 xs = a (int8) or a ^ 0x80 = a - 128 (uint8), zero-padded to
 * kpad4, so a - a_zp = xs - A; then
 *
 *   sum (xs - A)(ws + B) = sum xs*ws + B * sum xs - A * sum ws - k*A*B
 *
 * sdot by lane gives sum xs*ws for 16 channels (four vectors) from one
 * quad of a pixel; B * sum(xs) is added per pixel and the rest, with the
 * bias, per channel (&struct mnet_cpu_q8_pw.w8_corr, cpu_q8_pack.c).
 * Every term is exact in wrapping int32 and the true sum fits, so the
 * total is exact.  Tiles of 4 pixels x 16 channels: 16 accumulators.
 * The epilogue requantizes in NEON (neon_q8_req.h): bit-identical to
 * host/ref_q.
 */
#include <arm_neon.h>
#include <string.h>

#include "arm/neon.h"
#include "arm/neon_q8_req.h"
#include "scalar/cpu_scalar.h"

#define MR MNET_CPU_Q8_MR
#define NR MNET_CPU_Q8_NR16

/* Stage pixel @m as int8 into @dst (kpad4 bytes); return sum(xs). */
static int32_t stage_row(const struct mnet_cpu_q8_pw *p, int m, int8_t *dst)
{
	const uint8_t *a = p->a + (size_t)m * p->k;
	uint8_t f = p->a_signed ? 0 : 0x80;
	uint8x16_t flip = vdupq_n_u8(f);
	int32x4_t s = vdupq_n_s32(0);
	int32_t sum;
	int k;

	for (k = 0; k + 16 <= p->k; k += 16) {
		int8x16_t v = vreinterpretq_s8_u8(veorq_u8(vld1q_u8(a + k), flip));

		vst1q_s8(dst + k, v);
		s = vpadalq_s16(s, vpaddlq_s8(v));
	}
	sum = vaddvq_s32(s);
	for (; k < p->k; k++) {
		dst[k] = (int8_t)(a[k] ^ f);
		sum += dst[k];
	}
	for (; k < p->kpad4; k++)
		dst[k] = 0;
	return sum;
}

/* quad L of x[] times the four weight vectors, into c[r][0..3] */
#define QUAD(L)								\
	do {								\
		int8x16_t w0 = vld1q_s8(wq), w1 = vld1q_s8(wq + 16);	\
		int8x16_t w2 = vld1q_s8(wq + 32), w3 = vld1q_s8(wq + 48); \
		int r_;							\
									\
		for (r_ = 0; r_ < MR; r_++) {				\
			c[r_][0] = vdotq_laneq_s32(c[r_][0], w0, x[r_], L); \
			c[r_][1] = vdotq_laneq_s32(c[r_][1], w1, x[r_], L); \
			c[r_][2] = vdotq_laneq_s32(c[r_][2], w2, x[r_], L); \
			c[r_][3] = vdotq_laneq_s32(c[r_][3], w3, x[r_], L); \
		}							\
		wq += 4 * NR;						\
	} while (0)

static void store_tile(const struct mnet_cpu_q8_pw *p, int m, int rows,
		       int pn, int32x4_t c[MR][4], const int32_t *xsum)
{
	int o0 = pn * NR, r, j;
	int nj = p->n - o0 < NR ? p->n - o0 : NR;
	int32x4_t zp = vdupq_n_s32(p->c_zp);
	int32x4_t vlo = vdupq_n_s32(p->lo), vhi = vdupq_n_s32(p->hi);
	int32x4_t corr[4];

	for (j = 0; j < 4; j++)
		corr[j] = vld1q_s32(p->w8_corr + o0 + 4 * j);
	for (r = 0; r < rows; r++) {
		uint8_t *dst = p->c + (size_t)(m + r) * p->n + o0;
		int32x4_t bx = vdupq_n_s32(p->b_off * xsum[r]);
		int32x4_t v[4];
		uint8x16_t b;

		for (j = 0; j < 4; j++)
			v[j] = vaddq_s32(vaddq_s32(c[r][j], corr[j]), bx);
		b = vcombine_u8(mnet_neon_q_req8(v[0], v[1], p->mult + o0,
						 p->shift + o0,
						 p->single_round, zp, vlo, vhi),
				mnet_neon_q_req8(v[2], v[3], p->mult + o0 + 8,
						 p->shift + o0 + 8,
						 p->single_round, zp, vlo, vhi));
		if (nj == NR) {
			vst1q_u8(dst, b);
		} else {
			uint8_t tmp[NR];

			vst1q_u8(tmp, b);
			memcpy(dst, tmp, (size_t)nj);
		}
	}
}

void mnet_cpu_q8_pwconv_neon_dotprod(const struct mnet_cpu_q8_pw *p, int m0,
				     int m1)
{
	int np = (p->n + NR - 1) / NR, nq = p->kpad4 / 4;
	size_t kp = (size_t)p->kpad4;
	int8_t *s = (int8_t *)p->scratch8;
	int m, pn, q, r, j;

	for (m = m0; m < m1; m += MR) {
		int rows = m1 - m < MR ? m1 - m : MR;
		int32_t xsum[MR] = { 0 };

		for (r = 0; r < rows; r++)
			xsum[r] = stage_row(p, m + r, s + r * kp);
		/* rows past the tile's end read zeros (never stored) */
		if (rows < MR)
			memset(s + rows * kp, 0, (MR - rows) * kp);
		for (pn = 0; pn < np; pn++) {
			const int8_t *wq = p->w8 + (size_t)pn * kp * NR;
			int32x4_t c[MR][4];
			int8x16_t x[MR];

			for (r = 0; r < MR; r++)
				for (j = 0; j < 4; j++)
					c[r][j] = vdupq_n_s32(0);
			for (q = 0; q + 4 <= nq; q += 4) {
				for (r = 0; r < MR; r++)
					x[r] = vld1q_s8(s + r * kp + 4 * q);
				QUAD(0);
				QUAD(1);
				QUAD(2);
				QUAD(3);
			}
			if (q < nq) {
				/*
				 * 1 to 3 quads left: the 16-byte loads run
				 * into the next row or the scratch's spare 64
				 * bytes, lanes that are never used
				 */
				for (r = 0; r < MR; r++)
					x[r] = vld1q_s8(s + r * kp + 4 * q);
				QUAD(0);
				if (q + 1 < nq)
					QUAD(1);
				if (q + 2 < nq)
					QUAD(2);
			}
			store_tile(p, m, rows, pn, c, xsum);
		}
	}
}

const struct mnet_cpu_kernels mnet_cpu_kernels_neon_dotprod = {
	.name = "neon-dotprod",
	.nr = 8,
	.mr = 6,
	.gemm = mnet_cpu_gemm_neon,
	.dwconv = mnet_cpu_dwconv_neon,
	.q8_pwconv = mnet_cpu_q8_pwconv_neon_dotprod,
	.q8_format = MNET_CPU_Q8_QUADS_S8S8,
	.q8_dwconv = mnet_cpu_q8_dwconv_neon,
};
