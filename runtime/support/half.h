/* SPDX-License-Identifier: Apache-2.0 */
/*
 * half.h - IEEE 754 binary16 conversions on the host
 */
#ifndef MNET_RUNTIME_HALF_H
#define MNET_RUNTIME_HALF_H

#include <stddef.h>
#include <stdint.h>

/**
 * mnet_f32_to_f16() - convert a float to half, round to nearest even
 * @f: value
 *
 * Return: the half bit pattern (overflow gives infinity, NaN stays NaN).
 */
uint16_t mnet_f32_to_f16(float f);

/**
 * mnet_f16_to_f32() - convert a half to float (exact)
 * @h: half bit pattern
 *
 * Return: the value.
 */
float mnet_f16_to_f32(uint16_t h);

/**
 * mnet_f32_to_f16_array() - convert @n floats to halves
 * @dst: destination
 * @src: source
 * @n: count
 */
void mnet_f32_to_f16_array(uint16_t *dst, const float *src, size_t n);

/**
 * mnet_f16_to_f32_array() - convert @n halves to floats
 * @dst: destination
 * @src: source
 * @n: count
 */
void mnet_f16_to_f32_array(float *dst, const uint16_t *src, size_t n);

#endif /* MNET_RUNTIME_HALF_H */
