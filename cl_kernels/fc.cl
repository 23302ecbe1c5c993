/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fc.cl - fully connected layer (the classifier), bias and activation fused
 *
 * Each work-item computes one output: the dot product of the flattened
 * input with its weight row ([COUT][N_IN], the IR layout, contiguous per
 * output), 4 elements at a time.  The classifier is ~0.2% of the work;
 * this is memory bound and simple on purpose.  NDRange: dim 0 = outputs,
 * padded to the work-group size.
 *
 * Macros (see common.h for STORAGE_HALF, MATH_HALF, ACT):
 *   N_IN   input elements, >= 1 (default 1024)
 *   COUT   outputs, >= 1 (default 1001)
 */
#ifndef N_IN
#define N_IN 1024
#endif
#ifndef COUT
#define COUT 1001
#endif

__kernel void fc(__global const store_t *restrict in,
		 __global const store_t *restrict w,
		 __global const store_t *restrict bias,
		 __global store_t *restrict out)
{
	const int co = (int)get_global_id(0);
	const __global store_t *wr;
	VEC(4) acc4 = (VEC(4))(0);
	real acc;
	int i;

	if (co >= COUT)
		return;
	wr = w + co * N_IN;
	for (i = 0; i + 4 <= N_IN; i += 4)
		acc4 += LDN(4, in + i) * LDN(4, wr + i);
	/*
	 * dot(), not (s0 + s1) + (s2 + s3): LLVM turns that sum into
	 * shufflevectors with undef lanes, which crash Oclgrind 21.10's
	 * --uninitialized check (docs/opencl.md, Oclgrind).
	 */
	acc = (real)LD1(bias + co) + dot(acc4, (VEC(4))(1));
	for (; i < N_IN; i++)
		acc += (real)LD1(in + i) * (real)LD1(wr + i);
	ST1(ACTF(acc), out + co);
}
