/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_startup.h - the parts of an OpenCL session's creation time
 *
 * A type of its own (no .c): the backend's state (cl_backend.h) records it
 * and backend_opencl.h reports it, and neither header may need the other.
 */
#ifndef MNET_RUNTIME_CL_STARTUP_H
#define MNET_RUNTIME_CL_STARTUP_H

/**
 * struct mnet_cl_startup - where an OpenCL session's creation time went
 * @device_ms: device selection, context, queue, activation buffers
 * @build_ms: program builds and cache loads
 * @upload_ms: weight repacking, conversion and upload
 * @warmup_ms: the warm-up run (first-launch compilation) and cache writes
 * @built: programs compiled from source
 * @cached: programs loaded from the program cache
 * @programs: distinct programs (layers with equal options share one)
 * @host_layers: layers that run on the host (fallback)
 */
struct mnet_cl_startup {
	double device_ms;
	double build_ms;
	double upload_ms;
	double warmup_ms;
	int built;
	int cached;
	int programs;
	int host_layers;
};

#endif /* MNET_RUNTIME_CL_STARTUP_H */
