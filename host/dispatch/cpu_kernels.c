// SPDX-License-Identifier: Apache-2.0
/*
 * cpu_kernels.c - the CPU kernel tables and the choice between them
 *
 * DOC: CPU kernel selection
 *
 * Only the tables for the target architecture are compiled in.  On x86-64
 * the SIMD files are built with their own -m flags while this file is not,
 * so nothing here may use those instructions: the choice is made with
 * __builtin_cpu_supports() (which also checks that the OS saves the wider
 * registers) before any SIMD kernel runs.  AArch64 always has NEON.  On
 * 32-bit Arm the NEON files are built with -mfpu=neon-vfpv4 over Debian
 * armhf's baseline (VFPv3-D16, no NEON), and chosen only when the kernel
 * reports both NEON and VFPv4 (fused multiply-add) in AT_HWCAP.  On
 * AArch64 the dot-product set ("neon-dotprod", its one file built with
 * -march=armv8.2-a+dotprod) is chosen when AT_HWCAP has HWCAP_ASIMDDP.
 *
 * Each ISA defines its own table next to its kernels (host/scalar/,
 * host/x86/, host/arm/); this file only decides which one a session gets.
 */
#include <string.h>
#if defined(__arm__) || defined(__aarch64__)
#include <sys/auxv.h>
#endif

#include "dispatch/cpu_kernels.h"
#include "scalar/cpu_scalar.h"
#if defined(__x86_64__)
#include "x86/x86_avx2.h"
#include "x86/x86_avx512.h"
#endif
#if defined(__aarch64__) || defined(__arm__)
#include "arm/neon.h"
#endif

#if defined(__x86_64__)
static int have_avx512(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f");
}

static int have_avx512vnni(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f") &&
	       __builtin_cpu_supports("avx512bw") &&
	       __builtin_cpu_supports("avx512vl") &&
	       __builtin_cpu_supports("avx512vnni");
}

static int have_avx2(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

#if defined(__aarch64__) || defined(__arm__)
static int have_neon(void)
{
#if defined(__arm__)
	/* Linux's HWCAP_NEON and HWCAP_VFPv4 (asm/hwcap.h) */
	unsigned long hw = getauxval(AT_HWCAP);

	return (hw & (1ul << 12)) && (hw & (1ul << 16));
#else
	return 1;
#endif
}
#endif

#if defined(__aarch64__)
static int have_dotprod(void)
{
	/* Linux's HWCAP_ASIMDDP (asm/hwcap.h): sdot/udot */
	return (getauxval(AT_HWCAP) & (1ul << 20)) != 0;
}
#endif

const struct mnet_cpu_kernels *mnet_cpu_kernels_get(const char *name)
{
	int any = !name || !*name || !strcmp(name, "auto");

	if (!any && (!strcmp(name, "scalar") || !strcmp(name, "ref")))
		return &mnet_cpu_kernels_scalar;
#if defined(__x86_64__)
	if ((any || !strcmp(name, "avx512vnni")) && have_avx512vnni())
		return &mnet_cpu_kernels_avx512vnni;
	if ((any || !strcmp(name, "avx512")) && have_avx512())
		return &mnet_cpu_kernels_avx512;
	if ((any || !strcmp(name, "avx2")) && have_avx2())
		return &mnet_cpu_kernels_avx2;
#endif
#if defined(__aarch64__)
	if ((any || !strcmp(name, "neon-dotprod")) && have_dotprod())
		return &mnet_cpu_kernels_neon_dotprod;
#endif
#if defined(__aarch64__) || defined(__arm__)
	if ((any || !strcmp(name, "neon")) && have_neon())
		return &mnet_cpu_kernels_neon;
#endif
	return any ? &mnet_cpu_kernels_scalar : NULL;
}
