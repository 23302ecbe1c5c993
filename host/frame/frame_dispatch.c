// SPDX-License-Identifier: Apache-2.0
/*
 * frame_dispatch.c - which frame converter runs, and over which threads
 *
 * DOC: frame converter selection
 *
 * As host/dispatch/cpu_kernels.c for the layers: the SIMD files are built
 * with their own flags and this one is not, so the choice is made with
 * __builtin_cpu_supports() (x86) or AT_HWCAP (32-bit Arm) before any
 * SIMD converter runs; AArch64 always has NEON.  On x86-64 AVX-512 (F
 * and BW) is preferred to AVX2.  "scalar" or "ref" (as in $MNET_CPU)
 * forces the portable table-driven converter, "avx2" the AVX2 one on a
 * CPU that has AVX-512 too.
 *
 * Output rows are independent, so a conversion is split over a thread
 * pool by rows; each value is computed the same way on any thread.
 */
#include <string.h>
#if defined(__arm__)
#include <sys/auxv.h>
#endif

#include "frame/frame_conv.h"
#include "threads/threadpool.h"

static const struct mnet_fconv_kernel fconv_scalar = {
	.name = "scalar",
	.rows = mnet_fconv_rows_scalar,
	.min_extent = 1,
	.u8 = 1,
};

#if defined(__x86_64__)
static const struct mnet_fconv_kernel fconv_avx2 = {
	.name = "avx2",
	.rows = mnet_fconv_rows_avx2,
	.min_extent = 4,	/* 32-bit gathers */
	.u8 = 1,
};

static const struct mnet_fconv_kernel fconv_avx512 = {
	.name = "avx512",
	.rows = mnet_fconv_rows_avx512,
	.min_extent = 4,	/* 32-bit gathers */
	.u8 = 1,
};

static int have_avx2(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
}

/* the tables' converter and the row-wise one for upright 4:2:0 frames */
static const struct mnet_fconv_kernel fconv_avx512vbmi = {
	.name = "avx512",
	.rows = mnet_fconv_rows_avx512,
	.min_extent = 4,	/* 32-bit gathers */
	.u8 = 1,
	.direct = mnet_fconv_rows_avx512vbmi,
	.direct_fits = mnet_fconv_avx512vbmi_fits,
};

/* F is all the converter uses; BW as host/dispatch asks for its kernels */
static int have_avx512(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f") &&
	       __builtin_cpu_supports("avx512bw");
}

/* x86_avx512vbmi_frame.c: byte permutes, masked narrow loads */
static int have_avx512vbmi(void)
{
	__builtin_cpu_init();
	return have_avx512() && __builtin_cpu_supports("avx512vl") &&
	       __builtin_cpu_supports("avx512vbmi");
}
#endif

#if defined(__aarch64__) || defined(__arm__)
static const struct mnet_fconv_kernel fconv_neon = {
	.name = "neon",
	.rows = mnet_fconv_rows_neon,
	.min_extent = 1,
	.u8 = 1,
};

/* as host/dispatch/cpu_kernels.c: armhf's baseline has no NEON */
static int have_neon(void)
{
#if defined(__arm__)
	return (getauxval(AT_HWCAP) & (1ul << 12)) != 0;
#else
	return 1;
#endif
}
#endif

const struct mnet_fconv_kernel *mnet_fconv_kernel_get(const char *force)
{
	if (force && (!strcmp(force, "scalar") || !strcmp(force, "ref")))
		return &fconv_scalar;
#if defined(__x86_64__)
	if (have_avx512() && !(force && !strcmp(force, "avx2")))
		return have_avx512vbmi() ? &fconv_avx512vbmi : &fconv_avx512;
	if (have_avx2())
		return &fconv_avx2;
#endif
#if defined(__aarch64__) || defined(__arm__)
	if (have_neon())
		return &fconv_neon;
#endif
	return &fconv_scalar;
}

struct fconv_job {
	const struct mnet_fconv *fc;
	const struct mnet_fconv_tabs *t;
	mnet_fconv_rows_fn rows;
};

static void fconv_share(void *arg, int tid, int n)
{
	const struct fconv_job *j = arg;
	int oh = j->fc->oh;

	j->rows(j->fc, j->t, (int)((long)oh * tid / n),
		(int)((long)oh * (tid + 1) / n));
}

void mnet_fconv_run(const struct mnet_fconv *fc,
		    const struct mnet_fconv_kernel *k,
		    struct mnet_threadpool *tp, void *tabs_mem)
{
	struct mnet_fconv_tabs t;
	struct fconv_job j = { .fc = fc, .t = &t, .rows = k->rows };
	int c;

	for (c = 0; c < 3; c++)
		if (fc->extent[c] < k->min_extent)
			j.rows = mnet_fconv_rows_scalar;
	if (fc->dst_u8 && !k->u8)
		j.rows = mnet_fconv_rows_scalar;
	if (j.rows == k->rows && k->direct && k->direct_fits(fc))
		j.rows = k->direct;	/* no tables */
	else
		mnet_fconv_tabs_fill(fc, tabs_mem, &t);
	if (tp && mnet_threadpool_size(tp) > 1)
		mnet_threadpool_run(tp, fconv_share, &j);
	else
		j.rows(fc, &t, 0, fc->oh);
}
