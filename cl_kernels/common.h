/* SPDX-License-Identifier: Apache-2.0 */
/*
 * common.h - pasted in front of every kernel: types, loads/stores, activation
 *
 * Macros read (each has a default below):
 *   STORAGE_HALF  0 (default): buffers hold float
 *                 1: buffers hold half, read with vload_half / written with
 *                    vstore_half (core OpenCL 1.2), arithmetic in float
 *   MATH_HALF     0 (default) | 1: half storage AND half arithmetic; needs
 *                 cl_khr_fp16 (the host only sets it when the device has it)
 *   ACT           0 (default): none | 1: ReLU | 2: ReLU6 (fused activation)
 *   VW            2 | 4 (default) | 8 | 16: the kernel's vector width (the
 *                 channels one work-item computes)
 *
 * Types: store_t is the element type of a buffer, real the arithmetic type,
 * VEC(n) an n-vector of real.  LD1/ST1 read/write one element, LDN/STN an
 * n-vector at any element-aligned address (vloadn has no vector-alignment
 * requirement, so NHWC tensors with any channel count work).
 */
#ifndef STORAGE_HALF
#define STORAGE_HALF 0
#endif
#ifndef MATH_HALF
#define MATH_HALF 0
#endif
#ifndef ACT
#define ACT 0
#endif
#ifndef VW
#define VW 4
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

#if MATH_HALF
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
typedef half store_t;
typedef half real;
#define REAL half
#define LD1(p) (*(p))
#define ST1(v, p) (*(p) = (v))
#define LDN(n, p) CAT(vload, n)(0, (p))
#define STN(n, v, p) CAT(vstore, n)((v), 0, (p))
#elif STORAGE_HALF
typedef half store_t;
typedef float real;
#define REAL float
#define LD1(p) vload_half(0, (p))
#define ST1(v, p) vstore_half((v), 0, (p))
#define LDN(n, p) CAT(vload_half, n)(0, (p))
#define STN(n, v, p) CAT(vstore_half, n)((v), 0, (p))
#else
typedef float store_t;
typedef float real;
#define REAL float
#define LD1(p) (*(p))
#define ST1(v, p) (*(p) = (v))
#define LDN(n, p) CAT(vload, n)(0, (p))
#define STN(n, v, p) CAT(vstore, n)((v), 0, (p))
#endif

#define VEC(n) CAT(REAL, n)
#define VLOAD_PRIV(n, p) CAT(vload, n)(0, (p))
#define VSTORE_PRIV(n, v, p) CAT(vstore, n)((v), 0, (p))

#if ACT == 2
#define ACTF(x) clamp((x), (real)0, (real)6)
#elif ACT == 1
#define ACTF(x) fmax((x), (real)0)
#else
#define ACTF(x) (x)
#endif

/* VW elements from p, zero where n (elements left in the row) runs out */
inline VEC(VW) ld_vw_guard(const __global store_t *p, int n)
{
	real t[VW];
	int k;

	if (n >= VW)
		return LDN(VW, p);
	for (k = 0; k < VW; k++)
		t[k] = k < n ? (real)LD1(p + k) : (real)0;
	return VLOAD_PRIV(VW, t);
}

/* store VW elements at p, only the first n when the row ends sooner */
inline void st_vw_guard(VEC(VW) v, __global store_t *p, int n)
{
	real t[VW];
	int k;

	if (n >= VW) {
		STN(VW, v, p);
		return;
	}
	VSTORE_PRIV(VW, v, t);
	for (k = 0; k < VW && k < n; k++)
		ST1(t[k], p + k);
}

/*
 * Integer requantization (precision int8), as host/ref_q/q_math.h computes
 * it bit for bit: TFLite's SaturatingRoundingDoublingHighMul in 64-bit long
 * arithmetic (exact), RoundingDivideByPOT, and the single-rounding form of
 * FULLY_CONNECTED.  Only the q8_*.cl kernels call these.
 */
inline int q8_srdhm(int a, int b)
{
	long ab = (long)a * (long)b;
	long nudge = ab >= 0 ? (1L << 30) : (1L - (1L << 30));

	if (a == INT_MIN && b == INT_MIN)
		return INT_MAX;
	return (int)((ab + nudge) / (1L << 31));
}

inline int q8_rdivpot(int x, int e)
{
	int mask = (int)((1L << e) - 1);
	int rem = x & mask;
	int thr = (mask >> 1) + (x < 0 ? 1 : 0);

	return (x >> e) + (rem > thr ? 1 : 0);
}

/* MultiplyByQuantizedMultiplier: two roundings (convolutions, ADD) */
inline int q8_mul(int x, int mult, int shift)
{
	int left = shift > 0 ? shift : 0;
	int right = shift > 0 ? 0 : -shift;

	return q8_rdivpot(q8_srdhm((int)((uint)x << left), mult), right);
}

/* one rounding, half up, in 64 bits (FULLY_CONNECTED) */
inline int q8_mul_1r(int x, int mult, int shift)
{
	int total = 31 - shift;
	long r = (long)x * (long)mult + (1L << (total - 1));

	return (int)(r >> total);
}

/* an 8-bit value, int8 when s is 1, uint8 when 0 (no branch: the sign
 * bit flipped and subtracted) */
inline int q8_ld(__global const uchar *p, int i, int s)
{
	const int m = s << 7;

	return ((int)p[i] ^ m) - m;
}

/*
 * The int8 kernels' parameter block (a __constant int array, one per
 * layer), in the order runtime/opencl/q8/cl_q8.c fills it.
 */
#define Q8P_IH 0
#define Q8P_IW 1
#define Q8P_IC 2
#define Q8P_OH 3
#define Q8P_OW 4
#define Q8P_OC 5
#define Q8P_KH 6
#define Q8P_KW 7
#define Q8P_SH 8
#define Q8P_SW 9
#define Q8P_PT 10
#define Q8P_PL 11
#define Q8P_IN_ZP 12
#define Q8P_W_ZP 13
#define Q8P_OUT_ZP 14
#define Q8P_IN_S 15
#define Q8P_W_S 16
#define Q8P_LO 17
#define Q8P_HI 18
#define Q8P_ONE_ROUND 19

/* bias, requantize, output zero point, clamp: one output byte */
inline uchar q8_out(__constant const int *p, int acc, int bias, int mult,
		    int shift)
{
	acc += bias;
	acc = p[Q8P_ONE_ROUND] ? q8_mul_1r(acc, mult, shift) :
				 q8_mul(acc, mult, shift);
	acc += p[Q8P_OUT_ZP];
	return (uchar)clamp(acc, p[Q8P_LO], p[Q8P_HI]);
}
/* q8_pool.cl only: MEAN (1) or AVERAGE_POOL_2D (0), MEAN's multiplier */
#define Q8P_MEAN 20
#define Q8P_MULT 21
#define Q8P_SHIFT 22
