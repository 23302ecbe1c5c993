/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_q8.h - the OpenCL backend's int8 mode (precision int8); its state
 * and layers are in cl_q8_layer.h
 */
#ifndef MNET_RUNTIME_CL_Q8_H
#define MNET_RUNTIME_CL_Q8_H

#include "session/backend.h"

/*
 * The opencl backend's ops at MNET_PRECISION_INT8: backend_opencl.c
 * forwards to them by the session's precision, as backend_cpu.c does to
 * mnet_cpu_int8_ops.  Their be->priv is a &struct mnet_cl_q8_state (cl_q8_layer.h).
 */
extern const struct mnet_backend_ops mnet_opencl_int8_ops;

#endif /* MNET_RUNTIME_CL_Q8_H */
