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
