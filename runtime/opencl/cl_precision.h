/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_precision.h - what one precision mode means on the OpenCL device
 */
#ifndef MNET_RUNTIME_CL_PRECISION_H
#define MNET_RUNTIME_CL_PRECISION_H

#include <stddef.h>

#include "mnet/mnet.h"
#include "cl/cl_device.h"

/**
 * struct mnet_cl_precision - one row of the precision table
 * @id: the public mode (enum mnet_precision; never MNET_PRECISION_AUTO,
 *      which mnet_cl_precision_resolve() turns into a row)
 * @name: its name in tuning keys and reports ("fp32", "fp16-storage",
 *        "fp16"; part of the on-disk database keys: never change one)
 * @suffix: what the backend's name gets ("opencl-fp16")
 * @elem_size: bytes per stored element on the device
 * @defines: the kernels' -D options for it ("" for none)
 * @tolerance: the tuner's bound on max |a - ref| / max |ref|
 * @needs_fp16: the device must have cl_khr_fp16
 * @gemm: CLBlast's SGEMM variant applies (float buffers)
 * @to_device: convert @n floats into the stored type (NULL: floats are
 *             stored as they are)
 * @from_device: convert @n stored elements back to floats (NULL with
 *               @to_device)
 *
 * A new precision (int8) is one more row of cl_precision.c: the backend,
 * the transfers, the layer plans and the tuner read everything from here.
 */
struct mnet_cl_precision {
	enum mnet_precision id;
	const char *name;
	const char *suffix;
	size_t elem_size;
	const char *defines;
	double tolerance;
	int needs_fp16;
	int gemm;
	void (*to_device)(void *dst, const float *src, size_t n);
	void (*from_device)(float *dst, const void *src, size_t n);
};

/**
 * mnet_cl_precision_get() - the row of a precision mode
 * @id: mode
 *
 * Return: the row, or NULL for MNET_PRECISION_AUTO and unknown values.
 */
const struct mnet_cl_precision *mnet_cl_precision_get(enum mnet_precision id);

/**
 * mnet_cl_precision_resolve() - the row a session on @dev uses for @p
 * @dev: device
 * @p: requested mode
 * @out: receives the row
 *
 * auto is fp32 on CPU devices (conversions cost more than the bandwidth
 * saved there) and fp16-storage elsewhere; unknown values mean fp32.
 *
 * Return: 0, or -EOPNOTSUPP when the row needs cl_khr_fp16 and @dev has
 * none (*@out is still set).
 */
int mnet_cl_precision_resolve(const struct mnet_cl_device *dev,
			      enum mnet_precision p,
			      const struct mnet_cl_precision **out);

#endif /* MNET_RUNTIME_CL_PRECISION_H */
