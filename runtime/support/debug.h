/* SPDX-License-Identifier: Apache-2.0 */
/*
 * debug.h - debug and test-only hooks shared by the backends
 */
#ifndef MNET_RUNTIME_DEBUG_H
#define MNET_RUNTIME_DEBUG_H

#include <stddef.h>
#include <stdint.h>

/**
 * mnet_debug_perturb_layer() - the layer $MNET_DEBUG_PERTURB_LAYER plants
 * an error in, for one backend
 * @backend: the backend's short name ("ref", "cpu", "opencl")
 *
 * The variable is "N" (every backend perturbs layer N) or "N:NAME" (only
 * the backend called NAME does).  Debug and test use only: it lets the
 * validation tool prove that it catches a wrong layer.  Read once, when a
 * session is created; the result lives in &struct mnet_backend.
 *
 * Return: the layer index, or -1 when nothing is to be perturbed (unset,
 * malformed, or meant for another backend).
 */
int mnet_debug_perturb_layer(const char *backend);

/**
 * mnet_debug_perturb() - plant a deterministic error in a layer's output
 * @x: the layer's output values (host floats)
 * @n: number of values
 *
 * Every fourth value v becomes v + 0.5 * |v| + 0.05: a relative L2 error
 * of at least about 0.25 whatever the values, far above any tolerance
 * (1e-4 fp32, 1e-2 fp16), and never zero even on an all-zero tensor.
 */
void mnet_debug_perturb(float *x, size_t n);

/**
 * mnet_debug_perturb_q8() - mnet_debug_perturb() for an integer session's
 * 8-bit tensor
 * @x: the layer's output bytes
 * @n: number of bytes
 *
 * Every fourth byte moves by 3 quantized units (modulo 256): never the
 * same bytes, so an exact comparison always fails.
 */
void mnet_debug_perturb_q8(uint8_t *x, size_t n);

#endif /* MNET_RUNTIME_DEBUG_H */
