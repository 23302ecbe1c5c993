// SPDX-License-Identifier: Apache-2.0
/*
 * x86_avx2_q8dw.c - the AVX2 8-bit depthwise convolution (built with
 * -mavx2)
 *
 * Eight channels a vector: the input bytes widened to int32 less the zero
 * point, times the centred int16 weights widened to int32 (vpmulld: exact,
 * |products| <= 255 * 255), summed over the window's taps inside the input;
 * the channels past the last multiple of 8 in plain C (so no load reads
 * past a pixel), then the shared requantizing epilogue: bit-identical to
 * host/ref_q.
 */
#include <immintrin.h>
#include <string.h>

#include "ref_q/q_math.h"
#include "scalar/cpu_scalar.h"
#include "x86/x86_avx2.h"

void mnet_cpu_q8_dwconv_avx2(const struct mnet_cpu_q8_dw *d, int y0, int y1)
{
	__m256i zp = _mm256_set1_epi32(d->in_zp);
	int c8 = d->c & ~7;
	int y, x, i, j, c;

	for (y = y0; y < y1; y++) {
		for (x = 0; x < d->ow; x++) {
			memset(d->acc, 0, (size_t)d->c * sizeof(*d->acc));
			for (i = 0; i < d->kh; i++) {
				int iy = y * d->sh - d->pt + i;

				if (iy < 0 || iy >= d->ih)
					continue;
				for (j = 0; j < d->kw; j++) {
					int ix = x * d->sw - d->pl + j;
					const uint8_t *in;
					const int16_t *w;

					if (ix < 0 || ix >= d->iw)
						continue;
					in = d->in + ((size_t)iy * d->iw + ix) * d->c;
					w = d->w + ((size_t)i * d->kw + j) * d->cpad;
					for (c = 0; c < c8; c += 8) {
						__m128i b = _mm_loadl_epi64((const __m128i *)(in + c));
						__m256i v = d->in_signed ? _mm256_cvtepi8_epi32(b) :
									   _mm256_cvtepu8_epi32(b);
						__m256i wv = _mm256_cvtepi16_epi32(
							_mm_loadu_si128((const __m128i *)(w + c)));
						__m256i a = _mm256_loadu_si256((const __m256i *)(d->acc + c));

						v = _mm256_sub_epi32(v, zp);
						a = _mm256_add_epi32(a, _mm256_mullo_epi32(v, wv));
						_mm256_storeu_si256((__m256i *)(d->acc + c), a);
					}
					for (; c < d->c; c++)
						d->acc[c] += (mnet_q_ld(in, c, d->in_signed) -
							      d->in_zp) * w[c];
				}
			}
			mnet_cpu_q8_dw_store(d, d->out + ((size_t)y * d->ow + x) *
						  d->c, d->acc);
		}
	}
}
