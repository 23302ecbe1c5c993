// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx2_gemm.c - AVX2+FMA GEMM for 1x1 convolutions, im2col'd
 * convolutions and the classifier
 *
 * DOC: AVX2 GEMM
 *
 * Built with -mavx2 -mfma and only called when the CPU reports both.  With
 * 16 ymm registers the tile is 6 pixels x 16 channels: 12 accumulators,
 * two weight vectors and one broadcast, the classic Haswell shape.  Bias
 * initialises the accumulators and the activation clamp is fused into the
 * store; a last panel narrower than 16 channels is stored through a lane
 * mask, so tile boundaries never change how an output is computed.
 */
#include <immintrin.h>

#include "x86/x86_avx2.h"

#define MR 6
#define NR 16

static __m256i lane_mask(int n)
{
	const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);

	return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), idx);
}

/*
 * The row loops are unrolled by pragma: without it GCC 12 kept a copy of
 * every accumulator on the stack and stored it at each step of the
 * reduction (half the speed).  Lane masks are built only at the store.
 */
static inline __attribute__((always_inline)) void
tile(const struct mnet_cpu_gemm *g, const float *a, const float *w,
     const float *bias, float *c, int mr, int nv, int nc)
{
	const size_t lda = g->lda, ldc = g->ldc;
	const int k = g->k;
	const float *ar[MR];
	__m256 acc0[MR], acc1[MR], b0, b1, lo, hi;
	int i, p;

	b0 = _mm256_loadu_ps(bias);
	b1 = _mm256_loadu_ps(bias + 8);
	_Pragma("GCC unroll 16")
	for (i = 0; i < mr; i++) {
		ar[i] = a + i * lda;
		acc0[i] = b0;
		acc1[i] = b1;
	}
	for (p = 0; p < k; p++) {
		__m256 w0 = _mm256_loadu_ps(w + (size_t)p * NR), w1;

		if (nv > 1)
			w1 = _mm256_loadu_ps(w + (size_t)p * NR + 8);
		_Pragma("GCC unroll 16")
	for (i = 0; i < mr; i++) {
			__m256 x = _mm256_broadcast_ss(ar[i] + p);

			acc0[i] = _mm256_fmadd_ps(x, w0, acc0[i]);
			if (nv > 1)
				acc1[i] = _mm256_fmadd_ps(x, w1, acc1[i]);
		}
	}
	if (g->res) {
		/* the fused residual: same rows and columns as @c */
		const float *rr = g->res + (c - g->c);

		_Pragma("GCC unroll 16")
		for (i = 0; i < mr; i++) {
			const float *r = rr + i * ldc;

			acc0[i] = _mm256_add_ps(acc0[i], nc >= 8 ?
				_mm256_loadu_ps(r) :
				_mm256_maskload_ps(r, lane_mask(nc)));
			if (nv > 1)
				acc1[i] = _mm256_add_ps(acc1[i], nc == NR ?
					_mm256_loadu_ps(r + 8) :
					_mm256_maskload_ps(r + 8,
							   lane_mask(nc - 8)));
		}
	}
	lo = _mm256_set1_ps(g->lo);
	hi = _mm256_set1_ps(g->hi);
	_Pragma("GCC unroll 16")
	for (i = 0; i < mr; i++) {
		float *cr = c + i * ldc;

		acc0[i] = _mm256_max_ps(_mm256_min_ps(acc0[i], hi), lo);
		if (nc >= 8)
			_mm256_storeu_ps(cr, acc0[i]);
		else
			_mm256_maskstore_ps(cr, lane_mask(nc), acc0[i]);
		if (nv > 1) {
			acc1[i] = _mm256_max_ps(_mm256_min_ps(acc1[i], hi), lo);
			if (nc == NR)
				_mm256_storeu_ps(cr + 8, acc1[i]);
			else
				_mm256_maskstore_ps(cr + 8, lane_mask(nc - 8),
						    acc1[i]);
		}
	}
}

#define TILE_CASE(r)							\
	case r:								\
		if (nv > 1)						\
			tile(g, a, w, bias, c, r, 2, nc);		\
		else							\
			tile(g, a, w, bias, c, r, 1, nc);		\
		break

static void tile_any(const struct mnet_cpu_gemm *g, const float *a,
		     const float *w, const float *bias, float *c, int mr,
		     int nv, int nc)
{
	switch (mr) {
	TILE_CASE(1);
	TILE_CASE(2);
	TILE_CASE(3);
	TILE_CASE(4);
	TILE_CASE(5);
	default:
		if (nv > 1)
			tile(g, a, w, bias, c, MR, 2, nc);
		else
			tile(g, a, w, bias, c, MR, 1, nc);
		break;
	}
}

void mnet_cpu_gemm_avx2(const struct mnet_cpu_gemm *g, int m0, int m1,
			int p0, int p1)
{
	int mc = mnet_cpu_gemm_mc(g->k, MR), b, r, p;

	for (b = m0; b < m1; b += mc) {
		int bend = b + mc < m1 ? b + mc : m1;

		for (p = p0; p < p1; p++) {
			const float *w = g->w + (size_t)p * g->k * NR;
			const float *bias = g->bias + (size_t)p * NR;
			int nc = g->n - p * NR;

			if (nc > NR)
				nc = NR;
			for (r = b; r < bend; r += MR)
				tile_any(g, g->a + (size_t)r * g->lda, w, bias,
					 g->c + (size_t)r * g->ldc + p * NR,
					 bend - r < MR ? bend - r : MR,
					 nc > 8 ? 2 : 1, nc);
		}
	}
}

const struct mnet_cpu_kernels mnet_cpu_kernels_avx2 = {
	.name = "avx2",
	.nr = 16,
	.mr = 6,
	.gemm = mnet_cpu_gemm_avx2,
	.dwconv = mnet_cpu_dwconv_avx2,
	.q8_pwconv = mnet_cpu_q8_pwconv_avx2,
	.q8_dwconv = mnet_cpu_q8_dwconv_avx2,
	.q8_add = mnet_cpu_q8_add_avx2,
};
