/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cl_fault.h - OpenCL fault injection (test-only) and object accounting
 *
 * DOC: OpenCL fault injection
 *
 * Drivers fail in ways a healthy test machine never shows: a program that
 * does not build, a buffer the device cannot allocate, a kernel launch out
 * of resources, a transfer or clFinish() that reports a lost device.  To
 * test what the runtime does then, every OpenCL call the host code makes
 * that can fail this way goes through a thin wrapper here, and the
 * wrapper can make the Nth call of one kind fail:
 *
 *   MNET_CL_FAULT=KIND:N     the Nth call of KIND fails (once)
 *   MNET_CL_FAULT=KIND:N+    the Nth and every later call of KIND fail
 *
 * KIND is one of build (clBuildProgram), program (clCreateProgramWith*),
 * kernel (clCreateKernel), create_buffer (clCreateBuffer), enqueue
 * (clEnqueueNDRangeKernel), read (clEnqueueReadBuffer), write
 * (clEnqueueWriteBuffer, clEnqueueFillBuffer), map (clEnqueueMapBuffer,
 * clEnqueueUnmapMemObject), finish (clFinish), context (clCreateContext,
 * clCreateCommandQueue).  An injected failure returns the error a driver
 * returns for that trouble (CL_BUILD_PROGRAM_FAILURE,
 * CL_MEM_OBJECT_ALLOCATION_FAILURE, CL_OUT_OF_RESOURCES, ...) without
 * calling the driver, except clFinish(), which still waits for the queue
 * so that no transfer from the caller's memory is left in flight.
 *
 * How: this header is included by cl_error.h, which every OpenCL host
 * file includes, and renames those calls to their wrappers with object
 * macros, so the host code reads as plain OpenCL, calls added later are
 * covered without anyone remembering to, and the mechanism lives in this
 * one file and cl_fault.c.  Counting is always on (one atomic add per
 * call, a few dozen per inference); the wrappers also count the objects
 * created and released, which lets the tests prove that no failure path
 * leaks a buffer, kernel, program, queue, context or event.
 */
#ifndef MNET_RUNTIME_CL_FAULT_H
#define MNET_RUNTIME_CL_FAULT_H

#include <CL/cl.h>

enum mnet_cl_fault_kind {
	MNET_CL_FAULT_BUILD = 0,
	MNET_CL_FAULT_PROGRAM,
	MNET_CL_FAULT_KERNEL,
	MNET_CL_FAULT_CREATE_BUFFER,
	MNET_CL_FAULT_ENQUEUE,
	MNET_CL_FAULT_READ,
	MNET_CL_FAULT_WRITE,
	MNET_CL_FAULT_MAP,
	MNET_CL_FAULT_FINISH,
	MNET_CL_FAULT_CONTEXT,
	MNET_CL_FAULT_KINDS,
};

/* Kinds of OpenCL objects whose creations and releases are counted. */
enum mnet_cl_object {
	MNET_CL_OBJ_MEM = 0,
	MNET_CL_OBJ_KERNEL,
	MNET_CL_OBJ_PROGRAM,
	MNET_CL_OBJ_QUEUE,
	MNET_CL_OBJ_CONTEXT,
	MNET_CL_OBJ_EVENT,
	MNET_CL_OBJ_KINDS,
};

/**
 * mnet_cl_fault_set() - arm (or disarm) fault injection
 * @spec: "KIND:N" or "KIND:N+" as $MNET_CL_FAULT; N = 0 arms nothing but
 *        still counts; NULL or "" disarms
 *
 * Resets the call counters of every kind.  Overrides $MNET_CL_FAULT.
 * For tests: not to be called while OpenCL calls run on other threads.
 *
 * Return: 0, or -EINVAL for a malformed @spec (nothing is armed then).
 */
int mnet_cl_fault_set(const char *spec);

/**
 * mnet_cl_fault_kind_name() - the KIND word of a fault kind
 * @kind: kind
 *
 * Return: a static string ("build", "create_buffer", ...), or NULL.
 */
const char *mnet_cl_fault_kind_name(enum mnet_cl_fault_kind kind);

/**
 * mnet_cl_fault_calls() - calls of one kind since the last arming
 * @kind: kind
 *
 * Return: the number of calls made (failed ones included).
 */
unsigned long mnet_cl_fault_calls(enum mnet_cl_fault_kind kind);

/**
 * mnet_cl_fault_injected() - failures injected since the last arming
 *
 * Return: how many calls were made to fail.
 */
unsigned long mnet_cl_fault_injected(void);

/**
 * mnet_cl_objects_live() - OpenCL objects created and not yet released
 * @obj: object kind
 *
 * Counts every object the library created through the wrappers, over the
 * life of the process; 0 when nothing leaked.
 *
 * Return: creations minus releases.
 */
long mnet_cl_objects_live(enum mnet_cl_object obj);

/* The wrappers; see the DOC block.  Same signatures as the CL calls. */
cl_int mnet_clBuildProgram(cl_program, cl_uint, const cl_device_id *,
			   const char *,
			   void (CL_CALLBACK *)(cl_program, void *), void *);
cl_program mnet_clCreateProgramWithSource(cl_context, cl_uint, const char **,
					  const size_t *, cl_int *);
cl_program mnet_clCreateProgramWithBinary(cl_context, cl_uint,
					  const cl_device_id *, const size_t *,
					  const unsigned char **, cl_int *,
					  cl_int *);
cl_kernel mnet_clCreateKernel(cl_program, const char *, cl_int *);
cl_mem mnet_clCreateBuffer(cl_context, cl_mem_flags, size_t, void *,
			   cl_int *);
cl_int mnet_clEnqueueNDRangeKernel(cl_command_queue, cl_kernel, cl_uint,
				   const size_t *, const size_t *,
				   const size_t *, cl_uint, const cl_event *,
				   cl_event *);
cl_int mnet_clEnqueueReadBuffer(cl_command_queue, cl_mem, cl_bool, size_t,
				size_t, void *, cl_uint, const cl_event *,
				cl_event *);
cl_int mnet_clEnqueueWriteBuffer(cl_command_queue, cl_mem, cl_bool, size_t,
				 size_t, const void *, cl_uint,
				 const cl_event *, cl_event *);
cl_int mnet_clEnqueueFillBuffer(cl_command_queue, cl_mem, const void *,
				size_t, size_t, size_t, cl_uint,
				const cl_event *, cl_event *);
void *mnet_clEnqueueMapBuffer(cl_command_queue, cl_mem, cl_bool,
			      cl_map_flags, size_t, size_t, cl_uint,
			      const cl_event *, cl_event *, cl_int *);
cl_int mnet_clEnqueueUnmapMemObject(cl_command_queue, cl_mem, void *, cl_uint,
				    const cl_event *, cl_event *);
cl_int mnet_clFinish(cl_command_queue);
cl_context mnet_clCreateContext(const cl_context_properties *, cl_uint,
				const cl_device_id *,
				void (CL_CALLBACK *)(const char *, const void *,
						     size_t, void *),
				void *, cl_int *);
cl_command_queue mnet_clCreateCommandQueue(cl_context, cl_device_id,
					   cl_command_queue_properties,
					   cl_int *);
cl_int mnet_clReleaseMemObject(cl_mem);
cl_int mnet_clReleaseKernel(cl_kernel);
cl_int mnet_clReleaseProgram(cl_program);
cl_int mnet_clReleaseCommandQueue(cl_command_queue);
cl_int mnet_clReleaseContext(cl_context);
cl_int mnet_clReleaseEvent(cl_event);

#ifndef MNET_CL_FAULT_IMPL
#define clBuildProgram mnet_clBuildProgram
#define clCreateProgramWithSource mnet_clCreateProgramWithSource
#define clCreateProgramWithBinary mnet_clCreateProgramWithBinary
#define clCreateKernel mnet_clCreateKernel
#define clCreateBuffer mnet_clCreateBuffer
#define clEnqueueNDRangeKernel mnet_clEnqueueNDRangeKernel
#define clEnqueueReadBuffer mnet_clEnqueueReadBuffer
#define clEnqueueWriteBuffer mnet_clEnqueueWriteBuffer
#define clEnqueueFillBuffer mnet_clEnqueueFillBuffer
#define clEnqueueMapBuffer mnet_clEnqueueMapBuffer
#define clEnqueueUnmapMemObject mnet_clEnqueueUnmapMemObject
#define clFinish mnet_clFinish
#define clCreateContext mnet_clCreateContext
#define clCreateCommandQueue mnet_clCreateCommandQueue
#define clReleaseMemObject mnet_clReleaseMemObject
#define clReleaseKernel mnet_clReleaseKernel
#define clReleaseProgram mnet_clReleaseProgram
#define clReleaseCommandQueue mnet_clReleaseCommandQueue
#define clReleaseContext mnet_clReleaseContext
#define clReleaseEvent mnet_clReleaseEvent
#endif

#endif /* MNET_RUNTIME_CL_FAULT_H */
