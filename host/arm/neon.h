/* SPDX-License-Identifier: Apache-2.0 */
/*
 * neon.h - the NEON kernel set, AArch64 or ARMv7 (on armhf built with
 * -mfpu=neon-vfpv4: call only after the dispatcher's HWCAP check)
 */
#ifndef MNET_HOST_NEON_H
#define MNET_HOST_NEON_H

#include "dispatch/cpu_kernel_types.h"

/* 6 x 8 GEMM tiles (neon_gemm.c) */
extern const struct mnet_cpu_kernels mnet_cpu_kernels_neon;

/**
 * mnet_cpu_gemm_neon() - NEON GEMM, AArch64 or ARMv7 (6 x 8 register tiles)
 * @g: the GEMM
 * @m0: first row (any; tiles of 6 rows start here)
 * @m1: end of the rows
 * @p0: first panel (of 8 channels)
 * @p1: end of the panels
 */
void mnet_cpu_gemm_neon(const struct mnet_cpu_gemm *g, int m0, int m1,
			int p0, int p1);

/**
 * mnet_cpu_dwconv_neon() - NEON depthwise kernel, AArch64 or ARMv7 (4
 * channels a vector, 3x3 fast path)
 * @d: the convolution
 * @y0: first output row
 * @y1: end of the output rows
 */
void mnet_cpu_dwconv_neon(const struct mnet_cpu_dw *d, int y0, int y1);

#endif /* MNET_HOST_NEON_H */
