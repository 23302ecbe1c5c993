/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpu_q8_pack.h - packing an 8-bit 1x1 convolution for the kernel set that
 * runs it (each &enum mnet_cpu_q8_format has its own weight layout)
 */
#ifndef MNET_HOST_CPU_Q8_PACK_H
#define MNET_HOST_CPU_Q8_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "dispatch/cpu_kernel_types.h"

/**
 * struct mnet_cpu_q8_src - an 8-bit 1x1 convolution as the file gives it
 * @w: @n x @k weights, output channel o at @w + o * @k
 * @w_signed: @w is int8 (else uint8)
 * @w_zp: the weights' zero point (0 for int8)
 * @bias: @n int32, or NULL
 * @mult: @n Q31 multipliers (TFLite's QuantizeMultiplier)
 * @shift: @n exponents
 * @a_signed: the input is int8 (else uint8)
 * @a_zp: the input's zero point
 * @c_zp: the output's zero point
 * @lo: clamp range of the output
 * @hi: see @lo
 * @m: pixels per run
 * @n: output channels
 * @k: input channels (or kh * kw * cin of an im2col'd convolution)
 * @single_round: requantize with one rounding (FULLY_CONNECTED)
 */
struct mnet_cpu_q8_src {
	const uint8_t *w;
	int w_signed;
	int32_t w_zp;
	const int32_t *bias;
	const int32_t *mult;
	const int *shift;
	int a_signed;
	int32_t a_zp, c_zp, lo, hi;
	int m, n, k;
	int single_round;
};

/**
 * mnet_cpu_q8_pw_pack() - pack a 1x1 convolution for a kernel set
 * @ks: the kernel set whose &mnet_cpu_kernels.q8_pwconv will run it
 * @s: the convolution
 * @p: filled in (its @a, @c and scratch pointers are the caller's)
 * @mem: set to the one allocation that holds the packed data; free() it
 *
 * Return: 0, or -ENOMEM, or -EINVAL for a size out of range.
 */
int mnet_cpu_q8_pw_pack(const struct mnet_cpu_kernels *ks,
			const struct mnet_cpu_q8_src *s,
			struct mnet_cpu_q8_pw *p, void **mem);

/**
 * mnet_cpu_q8_pw_bytes() - the size of mnet_cpu_q8_pw_pack()'s allocation
 * @ks: kernel set
 * @n: output channels
 * @k: reduction length
 *
 * Return: bytes.
 */
size_t mnet_cpu_q8_pw_bytes(const struct mnet_cpu_kernels *ks, int n, int k);

/**
 * mnet_cpu_q8_zp_in_round() - whether the output zero point may be folded
 * into the rounding shift of every channel
 * @taps: products per output (k of a 1x1 convolution, kh * kw of a
 *        depthwise one)
 * @bias: @n biases, or NULL
 * @shift: @n exponents (QuantizeMultiplier's)
 * @n: channels
 * @zp: output zero point
 *
 * With |acc| <= @taps * 255 * 255 + |bias| (centred 8-bit operands) and
 * no left shift, the doubling high multiply keeps |h| <= |acc|, so
 * h + 2^(e-1) + zp * 2^e fits int32 when this says so; an arithmetic
 * shift by e then gives RoundingDivideByPOT(h, e) + zp exactly.
 *
 * Return: 1 if it may, 0 if a channel needs the general path.
 */
int mnet_cpu_q8_zp_in_round(int taps, const int32_t *bias, const int *shift,
			    int n, int32_t zp);

/**
 * mnet_cpu_q8_scratch16() - int16 scratch one thread needs for @k
 * @k: the longest reduction of the model
 *
 * Return: elements of int16 (&struct mnet_cpu_q8_pw.scratch).
 */
size_t mnet_cpu_q8_scratch16(int k);

/**
 * mnet_cpu_q8_scratch8() - byte scratch one thread needs for @k
 * @k: the longest reduction of the model
 *
 * Return: bytes (&struct mnet_cpu_q8_pw.scratch8).
 */
size_t mnet_cpu_q8_scratch8(int k);

#endif /* MNET_HOST_CPU_Q8_PACK_H */
