// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx512_gemm.c - AVX-512F GEMM for 1x1 convolutions, im2col'd
 * convolutions and the classifier
 *
 * DOC: AVX-512 GEMM
 *
 * Built with -mavx512f -mfma (cmake/host_sources.cmake) and only called
 * when the CPU reports AVX-512F.  The micro-kernel holds an 8 pixel x 32
 * channel tile of C in 16 zmm accumulators; each step of the reduction
 * loads two vectors of a packed weight panel and broadcasts one input
 * value per pixel row (folded into the FMA as an embedded broadcast), i.e.
 * 16 FMAs for 10 loads, which keeps Zen 4's FMA pipes busy.  Bias is the
 * accumulators' initial value and the activation clamp is applied on the
 * way to memory, so each output is written once.  Partial tiles (fewer
 * rows, a last panel narrower than 32) are the same code instantiated for
 * fewer rows/vectors with masked stores, so every output sees the same
 * sequence of FMAs wherever the tile boundaries fall.  The row loops are
 * unrolled by pragma: otherwise GCC 12 keeps stack copies of some
 * accumulators and stores them at every reduction step (the pragma made
 * the 1x1 convs 2% and 0.25/128 as a whole 6% faster).
 */
#include <immintrin.h>
#include <stdatomic.h>
#include <unistd.h>

#include "scalar/cpu_scalar.h"
#include "x86/x86_avx2.h"
#include "x86/x86_avx512.h"

#define MR 8
/*
 * Weight rows fetched ahead in the GEMM tile's reduction (each 128 bytes):
 * a 1x1 layer's weights come from L3 when the layer starts, and the
 * hardware prefetcher alone left the FMAs waiting for them.  Measured on
 * an Intel Xeon, one thread, alternating binaries: Xception's 34 1x1
 * layers 108-114 -> 102-106 ms with 16, 32 or 64 rows ahead; V1 1.0/224
 * 8.7-8.8 -> 8.3-8.6 ms, V2 1.0/224 5.3-5.4 -> 5.2 ms.  Prefetches past
 * the weights' end are harmless: a prefetch never faults.
 */
#define PF 32
#define NR 32

static inline __attribute__((always_inline)) void
tile(const struct mnet_cpu_gemm *g, const float *a, const float *w,
     const float *bias, float *c, int mr, int nv, __mmask16 mk0,
     __mmask16 mk1)
{
	const size_t lda = g->lda, ldc = g->ldc;
	const int k = g->k;
	const float *ar[MR];
	__m512 acc0[MR], acc1[MR], b0, b1, lo, hi;
	int i, p;

	b0 = _mm512_loadu_ps(bias);
	b1 = _mm512_loadu_ps(bias + 16);
	_Pragma("GCC unroll 16")
	for (i = 0; i < mr; i++) {
		ar[i] = a + i * lda;
		acc0[i] = b0;
		acc1[i] = b1;
	}
	for (p = 0; p < k; p++) {
		__m512 w0 = _mm512_loadu_ps(w + (size_t)p * NR), w1;

		_mm_prefetch((const char *)(w + (size_t)(p + PF) * NR),
			     _MM_HINT_T0);
		_mm_prefetch((const char *)(w + (size_t)(p + PF) * NR + 16),
			     _MM_HINT_T0);

		if (nv > 1)
			w1 = _mm512_loadu_ps(w + (size_t)p * NR + 16);
		_Pragma("GCC unroll 16")
	for (i = 0; i < mr; i++) {
			__m512 x = _mm512_set1_ps(ar[i][p]);

			acc0[i] = _mm512_fmadd_ps(x, w0, acc0[i]);
			if (nv > 1)
				acc1[i] = _mm512_fmadd_ps(x, w1, acc1[i]);
		}
	}
	if (g->res) {
		/* the fused residual: same rows and columns as @c */
		const float *rr = g->res + (c - g->c);

		_Pragma("GCC unroll 16")
		for (i = 0; i < mr; i++) {
			acc0[i] = _mm512_add_ps(acc0[i],
				_mm512_maskz_loadu_ps(mk0, rr + i * ldc));
			if (nv > 1)
				acc1[i] = _mm512_add_ps(acc1[i],
					_mm512_maskz_loadu_ps(mk1,
							      rr + i * ldc + 16));
		}
	}
	lo = _mm512_set1_ps(g->lo);
	hi = _mm512_set1_ps(g->hi);
	_Pragma("GCC unroll 16")
	for (i = 0; i < mr; i++) {
		float *cr = c + i * ldc;

		acc0[i] = _mm512_max_ps(_mm512_min_ps(acc0[i], hi), lo);
		_mm512_mask_storeu_ps(cr, mk0, acc0[i]);
		if (nv > 1) {
			acc1[i] = _mm512_max_ps(_mm512_min_ps(acc1[i], hi), lo);
			_mm512_mask_storeu_ps(cr + 16, mk1, acc1[i]);
		}
	}
}

#define TILE_CASE(r)							\
	case r:								\
		if (nv > 1)						\
			tile(g, a, w, bias, c, r, 2, mk0, mk1);		\
		else							\
			tile(g, a, w, bias, c, r, 1, mk0, mk1);		\
		break

static void tile_any(const struct mnet_cpu_gemm *g, const float *a,
		     const float *w, const float *bias, float *c, int mr,
		     int nv, __mmask16 mk0, __mmask16 mk1)
{
	switch (mr) {
	TILE_CASE(1);
	TILE_CASE(2);
	TILE_CASE(3);
	TILE_CASE(4);
	TILE_CASE(5);
	TILE_CASE(6);
	TILE_CASE(7);
	default:
		if (nv > 1)
			tile(g, a, w, bias, c, MR, 2, mk0, mk1);
		else
			tile(g, a, w, bias, c, MR, 1, mk0, mk1);
		break;
	}
}

static __mmask16 lane_mask(int n)
{
	if (n >= 16)
		return (__mmask16)0xffff;
	if (n <= 0)
		return 0;
	return (__mmask16)((1u << n) - 1);
}

/* Panel @p's store masks; return: its vectors (1 or 2). */
static inline int panel_masks(const struct mnet_cpu_gemm *g, int p,
			      __mmask16 *mk0, __mmask16 *mk1)
{
	int nc = g->n - p * NR;

	if (nc > NR)
		nc = NR;
	*mk0 = lane_mask(nc);
	*mk1 = lane_mask(nc - 16);
	return nc > 16 ? 2 : 1;
}

/*
 * One pixel (a fully connected layer) against GEMV_PANELS full panels at
 * once: the weights are the whole cost there (VGG16's fc1 streams 411 MB
 * for 103 M multiply-adds), and one core fetches more of them in parallel
 * from four sequential streams than from one (a 25088 x 4096 GEMV on an
 * Intel Xeon, one thread: 11.3 GB/s one panel at a time, 15.1-15.6 four
 * at a time).  Each output sees tile()'s operations for one row: bias,
 * the FMAs in k order, the residual, the clamp.
 */
#define GEMV_PANELS 4

static void gemv_panels(const struct mnet_cpu_gemm *g, int r, int p)
{
	const float *a = g->a + (size_t)r * g->lda, *w[GEMV_PANELS];
	float *c = g->c + (size_t)r * g->ldc + (size_t)p * NR;
	__m512 acc0[GEMV_PANELS], acc1[GEMV_PANELS];
	__m512 lo = _mm512_set1_ps(g->lo), hi = _mm512_set1_ps(g->hi);
	int j, i;

	_Pragma("GCC unroll 4")
	for (j = 0; j < GEMV_PANELS; j++) {
		w[j] = g->w + (size_t)(p + j) * g->k * NR;
		acc0[j] = _mm512_loadu_ps(g->bias + (size_t)(p + j) * NR);
		acc1[j] = _mm512_loadu_ps(g->bias + (size_t)(p + j) * NR + 16);
	}
	for (i = 0; i < g->k; i++) {
		__m512 x = _mm512_set1_ps(a[i]);

		_Pragma("GCC unroll 4")
		for (j = 0; j < GEMV_PANELS; j++) {
			acc0[j] = _mm512_fmadd_ps(x, _mm512_loadu_ps(w[j] +
						  (size_t)i * NR), acc0[j]);
			acc1[j] = _mm512_fmadd_ps(x, _mm512_loadu_ps(w[j] +
						  (size_t)i * NR + 16), acc1[j]);
		}
	}
	_Pragma("GCC unroll 4")
	for (j = 0; j < GEMV_PANELS; j++) {
		if (g->res) {
			const float *rr = g->res + (c - g->c) + j * NR;

			acc0[j] = _mm512_add_ps(acc0[j], _mm512_loadu_ps(rr));
			acc1[j] = _mm512_add_ps(acc1[j], _mm512_loadu_ps(rr + 16));
		}
		_mm512_storeu_ps(c + j * NR,
				 _mm512_max_ps(_mm512_min_ps(acc0[j], hi), lo));
		_mm512_storeu_ps(c + j * NR + 16,
				 _mm512_max_ps(_mm512_min_ps(acc1[j], hi), lo));
	}
}

void mnet_cpu_gemm_avx512(const struct mnet_cpu_gemm *g, int m0, int m1,
			  int p0, int p1)
{
	int mc = mnet_cpu_gemm_mc(g->k, MR), b, r, p;

	if (m1 - m0 == 1) {
		/* whole panels four at a time; the last partial one below */
		for (; p0 + GEMV_PANELS <= p1 &&
		       (p0 + GEMV_PANELS) * NR <= g->n; p0 += GEMV_PANELS)
			gemv_panels(g, m0, p0);
	}

	for (b = m0; b < m1; b += mc) {
		int bend = b + mc < m1 ? b + mc : m1;

		for (p = p0; p < p1; p++) {
			const float *w = g->w + (size_t)p * g->k * NR;
			const float *bias = g->bias + (size_t)p * NR;
			__mmask16 mk0, mk1;
			int nv = panel_masks(g, p, &mk0, &mk1);

			for (r = b; r < bend; r += MR)
				tile_any(g, g->a + (size_t)r * g->lda, w, bias,
					 g->c + (size_t)r * g->ldc + p * NR,
					 bend - r < MR ? bend - r : MR, nv, mk0,
					 mk1);
		}
	}
}

/*
 * The same tile for a full convolution: row i's reduction is the pixel's
 * window, kh runs of kw * cin contiguous floats @rs apart in the NHWC
 * input, read in place (the order of the packed weights, so each output
 * sees the FMAs of the im2col'd GEMM in the same order).
 */
static inline __attribute__((always_inline)) void
tile_conv(const struct mnet_cpu_gemm *g, const float *const *ar, int nseg,
	  int seg, size_t rs, const float *w, const float *bias, float *c,
	  int mr, int nv, __mmask16 mk0, __mmask16 mk1)
{
	const size_t ldc = g->ldc;
	__m512 acc0[MR], acc1[MR], b0, b1, lo, hi;
	int i, s, j;

	b0 = _mm512_loadu_ps(bias);
	b1 = _mm512_loadu_ps(bias + 16);
	_Pragma("GCC unroll 16")
	for (i = 0; i < mr; i++) {
		acc0[i] = b0;
		acc1[i] = b1;
	}
	for (s = 0; s < nseg; s++) {
		const float *rp[MR];

		_Pragma("GCC unroll 16")
		for (i = 0; i < mr; i++)
			rp[i] = ar[i] + s * rs;
		for (j = 0; j < seg; j++, w += NR) {
			__m512 w0 = _mm512_loadu_ps(w), w1;

			if (nv > 1)
				w1 = _mm512_loadu_ps(w + 16);
			_Pragma("GCC unroll 16")
	for (i = 0; i < mr; i++) {
				__m512 x = _mm512_set1_ps(rp[i][j]);

				acc0[i] = _mm512_fmadd_ps(x, w0, acc0[i]);
				if (nv > 1)
					acc1[i] = _mm512_fmadd_ps(x, w1,
								  acc1[i]);
			}
		}
	}
	lo = _mm512_set1_ps(g->lo);
	hi = _mm512_set1_ps(g->hi);
	_Pragma("GCC unroll 16")
	for (i = 0; i < mr; i++) {
		float *cr = c + i * ldc;

		acc0[i] = _mm512_max_ps(_mm512_min_ps(acc0[i], hi), lo);
		_mm512_mask_storeu_ps(cr, mk0, acc0[i]);
		if (nv > 1) {
			acc1[i] = _mm512_max_ps(_mm512_min_ps(acc1[i], hi), lo);
			_mm512_mask_storeu_ps(cr + 16, mk1, acc1[i]);
		}
	}
}

#define CONV_CASE(r)							\
	case r:								\
		if (nv > 1)						\
			tile_conv(g, ar, nseg, seg, rs, w, bias, c, r, 2,	\
				  mk0, mk1);				\
		else							\
			tile_conv(g, ar, nseg, seg, rs, w, bias, c, r, 1,	\
				  mk0, mk1);				\
		break

static void tile_conv_any(const struct mnet_cpu_gemm *g,
			  const float *const *ar, int nseg, int seg, size_t rs,
			  const float *w, const float *bias, float *c, int mr,
			  int nv, __mmask16 mk0, __mmask16 mk1)
{
	switch (mr) {
	CONV_CASE(1);
	CONV_CASE(2);
	CONV_CASE(3);
	CONV_CASE(4);
	CONV_CASE(5);
	CONV_CASE(6);
	CONV_CASE(7);
	default:
		if (nv > 1)
			tile_conv(g, ar, nseg, seg, rs, w, bias, c, MR, 2, mk0,
				  mk1);
		else
			tile_conv(g, ar, nseg, seg, rs, w, bias, c, MR, 1, mk0,
				  mk1);
		break;
	}
}

/*
 * Point @ar at the windows of pixels [@r, @r + @mr) where every window lies
 * inside the input.  Return: 0 where one crosses the border.
 */
static int tile_windows(const struct mnet_cpu_conv *cv, int r, int mr,
			const float **ar)
{
	const size_t rs = (size_t)cv->iw * cv->cin;
	int i, oy = r / cv->ow, ox = r % cv->ow;

	for (i = 0; i < mr; i++, ox++) {
		int iy, ix;

		if (ox == cv->ow) {
			ox = 0;
			oy++;
		}
		iy = oy * cv->sh - cv->pt;
		ix = ox * cv->sw - cv->pl;
		if (iy < 0 || iy + cv->kh > cv->ih || ix < 0 ||
		    ix + cv->kw > cv->iw)
			return 0;
		ar[i] = cv->in + (size_t)iy * rs + (size_t)ix * cv->cin;
	}
	return 1;
}

/*
 * The weight bytes up to which a direct convolution keeps the tile-at-a-
 * time order: half of L2, read once (512 KB where the size is unknown).
 */
static size_t conv_w_l2(void)
{
	static _Atomic size_t lim;
	size_t v = atomic_load_explicit(&lim, memory_order_relaxed);

	if (!v) {
		long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);

		/* measured: 2 MB L2, 590 KB of weights: tile order 20% faster */
		v = l2 >= 256 * 1024 ? (size_t)l2 / 2 : 512 * 1024;
		atomic_store_explicit(&lim, v, memory_order_relaxed);
	}
	return v;
}

/* Tile [@r, @r + @mr) through panel @p: in place, or from @col (im2col). */
static inline void conv_tile(const struct mnet_cpu_gemm *g,
			     const struct mnet_cpu_conv *cv, const float **ar,
			     const float *col, int r, int mr, int p)
{
	const float *w = g->w + (size_t)p * g->k * NR;
	const float *bias = g->bias + (size_t)p * NR;
	float *c = g->c + (size_t)r * g->ldc + p * NR;
	__mmask16 mk0, mk1;
	int nv = panel_masks(g, p, &mk0, &mk1);

	if (col)
		tile_any(g, col, w, bias, c, mr, nv, mk0, mk1);
	else
		tile_conv_any(g, ar, cv->kh, cv->kw * cv->cin,
			      (size_t)cv->iw * cv->cin, w, bias, c, mr, nv,
			      mk0, mk1);
}

/*
 * Pixels [@m0, @m1).  Where all the weights fit in half of L2
 * (conv_w_l2(): every first layer, Xception's and VGG16's early 3x3 ones)
 * a tile of 8 pixels goes through every panel at once.  Otherwise the
 * pixels go in blocks of mnet_cpu_conv_mc() rows, and within a block each
 * weight panel (k x 32 floats, 590 KB for VGG16's 3x3 x 512 layers)
 * passes over every tile of the block before the next panel, so that it
 * is read from L2 rather than fetched again for every 8 pixels.  Tiles
 * whose windows cross the border are gathered (im2col) into @scratch at
 * their place in the block; the others read the input in place (their
 * windows are found again for each panel: 8 bounds checks against the
 * panel's 8 x k x 32 multiply-adds).  Every output sees the same FMAs in
 * the same order either way.
 */
void mnet_cpu_conv_avx512(const struct mnet_cpu_gemm *g,
			  const struct mnet_cpu_conv *cv, float *scratch,
			  int m0, int m1)
{
	const int np = (g->n + NR - 1) / NR;
	const float *ar[MR];
	int b, r, p, mc;

	if ((size_t)np * g->k * NR * sizeof(float) <= conv_w_l2()) {
		for (r = m0; r < m1; r += MR) {
			int mr = m1 - r < MR ? m1 - r : MR;
			const float *col = NULL;

			if (!tile_windows(cv, r, mr, ar)) {
				mnet_cpu_im2col(cv, scratch, r, r + mr);
				col = scratch;
			}
			for (p = 0; p < np; p++)
				conv_tile(g, cv, ar, col, r, mr, p);
		}
		return;
	}
	mc = mnet_cpu_conv_mc(g->k, MR);
	for (b = m0; b < m1; b += mc) {
		int bend = b + mc < m1 ? b + mc : m1;

		for (r = b; r < bend; r += MR) {
			int mr = bend - r < MR ? bend - r : MR;

			if (!tile_windows(cv, r, mr, ar))
				mnet_cpu_im2col(cv, scratch +
						(size_t)(r - b) * g->k, r, r + mr);
		}
		for (p = 0; p < np; p++)
			for (r = b; r < bend; r += MR) {
				int mr = bend - r < MR ? bend - r : MR;
				int in = tile_windows(cv, r, mr, ar);

				conv_tile(g, cv, ar, in ? NULL : scratch +
					  (size_t)(r - b) * g->k, r, mr, p);
			}
	}
}

const struct mnet_cpu_kernels mnet_cpu_kernels_avx512 = {
	.name = "avx512",
	.nr = 32,
	.mr = 8,
	.gemm = mnet_cpu_gemm_avx512,
	.dwconv = mnet_cpu_dwconv_avx512,
	.conv = mnet_cpu_conv_avx512,
	.q8_pwconv = mnet_cpu_q8_pwconv_avx2,	/* every AVX-512 CPU has AVX2 */
	.q8_dwconv = mnet_cpu_q8_dwconv_avx2,
};
