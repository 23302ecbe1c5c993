// SPDX-License-Identifier: Apache-2.0
/*
 * cl_fault.c - the OpenCL call wrappers: fault injection and object counts
 *
 * See the DOC block of cl_fault.h.  The armed state is three words read
 * by every wrapper; $MNET_CL_FAULT is parsed once, at the first call;
 * mnet_cl_fault_set() replaces it for tests.  Counters are atomics, so
 * sessions on many threads count (and fail) consistently.
 */
#define MNET_CL_FAULT_IMPL
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cl/cl_fault.h"

static const char *const kind_names[MNET_CL_FAULT_KINDS] = {
	[MNET_CL_FAULT_BUILD] = "build",
	[MNET_CL_FAULT_PROGRAM] = "program",
	[MNET_CL_FAULT_KERNEL] = "kernel",
	[MNET_CL_FAULT_CREATE_BUFFER] = "create_buffer",
	[MNET_CL_FAULT_ENQUEUE] = "enqueue",
	[MNET_CL_FAULT_READ] = "read",
	[MNET_CL_FAULT_WRITE] = "write",
	[MNET_CL_FAULT_MAP] = "map",
	[MNET_CL_FAULT_FINISH] = "finish",
	[MNET_CL_FAULT_CONTEXT] = "context",
};

static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static atomic_int armed_kind = -1;	/* -1: nothing armed */
static atomic_ulong armed_n;		/* fail call number N ... */
static atomic_int armed_after;		/* ... and every later one */
static atomic_ulong calls[MNET_CL_FAULT_KINDS];
static atomic_ulong injected;
static atomic_long live[MNET_CL_OBJ_KINDS];

const char *mnet_cl_fault_kind_name(enum mnet_cl_fault_kind kind)
{
	return (unsigned int)kind < MNET_CL_FAULT_KINDS ? kind_names[kind] :
							   NULL;
}

static int parse(const char *spec, int *kind, unsigned long *n, int *after)
{
	const char *colon = strchr(spec, ':');
	char *end;
	int k;

	if (!colon)
		return -EINVAL;
	for (k = 0; k < MNET_CL_FAULT_KINDS; k++)
		if (strlen(kind_names[k]) == (size_t)(colon - spec) &&
		    !strncmp(spec, kind_names[k], (size_t)(colon - spec)))
			break;
	if (k == MNET_CL_FAULT_KINDS || colon[1] < '0' || colon[1] > '9')
		return -EINVAL;
	errno = 0;
	*n = strtoul(colon + 1, &end, 10);
	*after = *end == '+';
	if (errno || (*after ? end[1] : end[0]))
		return -EINVAL;
	*kind = k;
	return 0;
}

static void arm(int kind, unsigned long n, int after)
{
	int k;

	atomic_store(&armed_kind, -1);
	for (k = 0; k < MNET_CL_FAULT_KINDS; k++)
		atomic_store(&calls[k], 0);
	atomic_store(&injected, 0);
	atomic_store(&armed_n, n);
	atomic_store(&armed_after, after);
	atomic_store(&armed_kind, n ? kind : -1);
}

/* An unparsable variable arms nothing: the library never prints. */
static void env_init(void)
{
	const char *e = getenv("MNET_CL_FAULT");
	unsigned long n;
	int kind, after;

	if (e && *e && !parse(e, &kind, &n, &after))
		arm(kind, n, after);
}

int mnet_cl_fault_set(const char *spec)
{
	unsigned long n = 0;
	int kind = 0, after = 0;

	pthread_once(&env_once, env_init);
	if (spec && *spec && parse(spec, &kind, &n, &after)) {
		arm(0, 0, 0);
		return -EINVAL;
	}
	arm(kind, n, after);
	return 0;
}

unsigned long mnet_cl_fault_calls(enum mnet_cl_fault_kind kind)
{
	return (unsigned int)kind < MNET_CL_FAULT_KINDS ?
		       atomic_load(&calls[kind]) : 0;
}

unsigned long mnet_cl_fault_injected(void)
{
	return atomic_load(&injected);
}

long mnet_cl_objects_live(enum mnet_cl_object obj)
{
	return (unsigned int)obj < MNET_CL_OBJ_KINDS ? atomic_load(&live[obj]) :
						       0;
}

/* Count one call of @kind; 1 when it must fail. */
static int hit(enum mnet_cl_fault_kind kind)
{
	unsigned long n;

	pthread_once(&env_once, env_init);
	n = atomic_fetch_add(&calls[kind], 1) + 1;
	if (atomic_load(&armed_kind) != (int)kind)
		return 0;
	if (n == atomic_load(&armed_n) ||
	    (atomic_load(&armed_after) && n > atomic_load(&armed_n))) {
		atomic_fetch_add(&injected, 1);
		return 1;
	}
	return 0;
}

static void created(enum mnet_cl_object obj, const void *p)
{
	if (p)
		atomic_fetch_add(&live[obj], 1);
}

static cl_int released(enum mnet_cl_object obj, cl_int rc)
{
	if (rc == CL_SUCCESS)
		atomic_fetch_sub(&live[obj], 1);
	return rc;
}

static void set_rc(cl_int *rc, cl_int v)
{
	if (rc)
		*rc = v;
}

cl_int mnet_clBuildProgram(cl_program p, cl_uint n, const cl_device_id *d,
			   const char *o,
			   void (CL_CALLBACK *cb)(cl_program, void *),
			   void *data)
{
	if (hit(MNET_CL_FAULT_BUILD))
		return CL_BUILD_PROGRAM_FAILURE;
	return clBuildProgram(p, n, d, o, cb, data);
}

cl_program mnet_clCreateProgramWithSource(cl_context c, cl_uint n,
					  const char **s, const size_t *l,
					  cl_int *rc)
{
	cl_program p;

	if (hit(MNET_CL_FAULT_PROGRAM)) {
		set_rc(rc, CL_OUT_OF_HOST_MEMORY);
		return NULL;
	}
	p = clCreateProgramWithSource(c, n, s, l, rc);
	created(MNET_CL_OBJ_PROGRAM, p);
	return p;
}

cl_program mnet_clCreateProgramWithBinary(cl_context c, cl_uint n,
					  const cl_device_id *d,
					  const size_t *l,
					  const unsigned char **b, cl_int *st,
					  cl_int *rc)
{
	cl_program p;

	if (hit(MNET_CL_FAULT_PROGRAM)) {
		set_rc(rc, CL_OUT_OF_HOST_MEMORY);
		return NULL;
	}
	p = clCreateProgramWithBinary(c, n, d, l, b, st, rc);
	created(MNET_CL_OBJ_PROGRAM, p);
	return p;
}

cl_kernel mnet_clCreateKernel(cl_program p, const char *name, cl_int *rc)
{
	cl_kernel k;

	if (hit(MNET_CL_FAULT_KERNEL)) {
		set_rc(rc, CL_OUT_OF_RESOURCES);
		return NULL;
	}
	k = clCreateKernel(p, name, rc);
	created(MNET_CL_OBJ_KERNEL, k);
	return k;
}

cl_mem mnet_clCreateBuffer(cl_context c, cl_mem_flags f, size_t size,
			   void *host, cl_int *rc)
{
	cl_mem m;

	if (hit(MNET_CL_FAULT_CREATE_BUFFER)) {
		set_rc(rc, CL_MEM_OBJECT_ALLOCATION_FAILURE);
		return NULL;
	}
	m = clCreateBuffer(c, f, size, host, rc);
	created(MNET_CL_OBJ_MEM, m);
	return m;
}

/* An event handed back by a successful enqueue is an object too. */
static cl_int event_out(cl_int rc, cl_event *ev)
{
	if (rc == CL_SUCCESS && ev)
		created(MNET_CL_OBJ_EVENT, *ev);
	return rc;
}

cl_int mnet_clEnqueueNDRangeKernel(cl_command_queue q, cl_kernel k,
				   cl_uint dims, const size_t *off,
				   const size_t *global, const size_t *local,
				   cl_uint nw, const cl_event *wait,
				   cl_event *ev)
{
	if (hit(MNET_CL_FAULT_ENQUEUE))
		return CL_OUT_OF_RESOURCES;
	return event_out(clEnqueueNDRangeKernel(q, k, dims, off, global, local,
						nw, wait, ev), ev);
}

cl_int mnet_clEnqueueReadBuffer(cl_command_queue q, cl_mem m, cl_bool block,
				size_t off, size_t size, void *dst, cl_uint nw,
				const cl_event *wait, cl_event *ev)
{
	if (hit(MNET_CL_FAULT_READ))
		return CL_OUT_OF_RESOURCES;
	return event_out(clEnqueueReadBuffer(q, m, block, off, size, dst, nw,
					     wait, ev), ev);
}

cl_int mnet_clEnqueueWriteBuffer(cl_command_queue q, cl_mem m, cl_bool block,
				 size_t off, size_t size, const void *src,
				 cl_uint nw, const cl_event *wait,
				 cl_event *ev)
{
	if (hit(MNET_CL_FAULT_WRITE))
		return CL_OUT_OF_RESOURCES;
	return event_out(clEnqueueWriteBuffer(q, m, block, off, size, src, nw,
					      wait, ev), ev);
}

cl_int mnet_clEnqueueFillBuffer(cl_command_queue q, cl_mem m, const void *pat,
				size_t psize, size_t off, size_t size,
				cl_uint nw, const cl_event *wait,
				cl_event *ev)
{
	if (hit(MNET_CL_FAULT_WRITE))
		return CL_OUT_OF_RESOURCES;
	return event_out(clEnqueueFillBuffer(q, m, pat, psize, off, size, nw,
					     wait, ev), ev);
}

void *mnet_clEnqueueMapBuffer(cl_command_queue q, cl_mem m, cl_bool block,
			      cl_map_flags f, size_t off, size_t size,
			      cl_uint nw, const cl_event *wait, cl_event *ev,
			      cl_int *rc)
{
	cl_int r = CL_SUCCESS;
	void *p;

	if (hit(MNET_CL_FAULT_MAP)) {
		set_rc(rc, CL_MAP_FAILURE);
		return NULL;
	}
	p = clEnqueueMapBuffer(q, m, block, f, off, size, nw, wait, ev, &r);
	set_rc(rc, event_out(r, ev));
	return p;
}

cl_int mnet_clEnqueueUnmapMemObject(cl_command_queue q, cl_mem m, void *p,
				    cl_uint nw, const cl_event *wait,
				    cl_event *ev)
{
	if (hit(MNET_CL_FAULT_MAP))
		return CL_OUT_OF_RESOURCES;
	return event_out(clEnqueueUnmapMemObject(q, m, p, nw, wait, ev), ev);
}

/* Waits even when it fails: nothing may stay in flight from user memory. */
cl_int mnet_clFinish(cl_command_queue q)
{
	cl_int rc = clFinish(q);

	if (hit(MNET_CL_FAULT_FINISH))
		return CL_OUT_OF_RESOURCES;
	return rc;
}

cl_context mnet_clCreateContext(const cl_context_properties *props,
				cl_uint n, const cl_device_id *d,
				void (CL_CALLBACK *cb)(const char *,
						       const void *, size_t,
						       void *),
				void *data, cl_int *rc)
{
	cl_context c;

	if (hit(MNET_CL_FAULT_CONTEXT)) {
		set_rc(rc, CL_OUT_OF_HOST_MEMORY);
		return NULL;
	}
	c = clCreateContext(props, n, d, cb, data, rc);
	created(MNET_CL_OBJ_CONTEXT, c);
	return c;
}

cl_command_queue mnet_clCreateCommandQueue(cl_context c, cl_device_id d,
					   cl_command_queue_properties p,
					   cl_int *rc)
{
	cl_command_queue q;

	if (hit(MNET_CL_FAULT_CONTEXT)) {
		set_rc(rc, CL_OUT_OF_HOST_MEMORY);
		return NULL;
	}
	q = clCreateCommandQueue(c, d, p, rc);
	created(MNET_CL_OBJ_QUEUE, q);
	return q;
}

cl_int mnet_clReleaseMemObject(cl_mem m)
{
	return released(MNET_CL_OBJ_MEM, clReleaseMemObject(m));
}

cl_int mnet_clReleaseKernel(cl_kernel k)
{
	return released(MNET_CL_OBJ_KERNEL, clReleaseKernel(k));
}

cl_int mnet_clReleaseProgram(cl_program p)
{
	return released(MNET_CL_OBJ_PROGRAM, clReleaseProgram(p));
}

cl_int mnet_clReleaseCommandQueue(cl_command_queue q)
{
	return released(MNET_CL_OBJ_QUEUE, clReleaseCommandQueue(q));
}

cl_int mnet_clReleaseContext(cl_context c)
{
	return released(MNET_CL_OBJ_CONTEXT, clReleaseContext(c));
}

cl_int mnet_clReleaseEvent(cl_event e)
{
	return released(MNET_CL_OBJ_EVENT, clReleaseEvent(e));
}
