// SPDX-License-Identifier: Apache-2.0
/*
 * cl_io.c - moving tensors between the host and the OpenCL device's buffers
 *
 * DOC: tensor transfers
 *
 * The model input and output move once per run, either copied
 * (clEnqueueWrite/ReadBuffer, through the half staging buffer for fp16
 * storage) or, on devices that share memory with the host, mapped
 * (buffers made with CL_MEM_ALLOC_HOST_PTR; see the DOC block of
 * backend_opencl.c for the order of the maps in a run).  Host-fallback
 * layers, the debug perturbation and layer_output() copy any tensor.  A
 * failed call returns -EIO; a failed unmap is remembered in
 * &struct mnet_cl_state.unmap_left and retried by mnet_cl_unmap_left()
 * before the buffer is used again, since no kernel may use a mapped buffer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl.h>

#include "opencl/cl_backend.h"
#include "cl/cl_error.h"	/* and the fault-injection wrappers */

/* The buffer holding tensor @t. */
cl_mem mnet_cl_tensor_mem(const struct mnet_cl_state *st, int t)
{
	return st->bufs[st->mp.tensor_buf[t]];
}

/* Unmap @p of buffer @b; on failure remember it for mnet_cl_unmap_left(). */
static int unmap(struct mnet_cl_state *st, int which, cl_mem b, void *p)
{
	if (!clEnqueueUnmapMemObject(st->q, b, p, 0, NULL, NULL))
		return 0;
	st->unmap_left[which] = p;
	return -EIO;
}

/*
 * Unmap again what an earlier unmap failed to release: a kernel may not
 * use a mapped buffer.
 */
int mnet_cl_unmap_left(struct mnet_cl_state *st, const struct mnet_model *m)
{
	const int t[2] = { m->input, m->output };
	int i;

	for (i = 0; i < 2; i++) {
		if (!st->unmap_left[i])
			continue;
		if (clEnqueueUnmapMemObject(st->q, mnet_cl_tensor_mem(st, t[i]),
					    st->unmap_left[i], 0, NULL, NULL))
			return -EIO;
		st->unmap_left[i] = NULL;
	}
	return 0;
}

int mnet_cl_unmap_ahead(struct mnet_cl_state *st, const struct mnet_model *m)
{
	void *p = st->in_map;

	if (!p)
		return 0;
	st->in_map = NULL;
	return unmap(st, 0, mnet_cl_tensor_mem(st, m->input), p);
}

/*
 * Map the model input and output (see the DOC block) when the device
 * shares memory with the host, unless $MNET_CL_MAP says otherwise.
 */
int mnet_cl_want_map_io(const struct mnet_cl_state *st, struct mnet_err *err)
{
	const char *e = getenv("MNET_CL_MAP");

	if (!e || !*e)
		return st->dev.unified;
	if (!strcmp(e, "0") || !strcmp(e, "1"))
		return *e == '1';
	if (err && !err->msg[0]) {
		err->code = 0;
		snprintf(err->msg, sizeof(err->msg),
			 "note: MNET_CL_MAP=%.40s is neither 0 nor 1: ignored",
			 e);
	}
	return st->dev.unified;
}

int mnet_cl_read_tensor(struct mnet_cl_state *st, const struct mnet_model *m,
		       int t, float *dst)
{
	size_t n = mnet_shape_elems(m->tensors[t].shape);
	cl_int rc;

	rc = clEnqueueReadBuffer(st->q, mnet_cl_tensor_mem(st, t), CL_TRUE,
				 0, n * st->prec->elem_size,
				 st->prec->from_device ? st->stage : (void *)dst,
				 0, NULL, NULL);
	if (rc)
		return -EIO;
	if (st->prec->from_device)
		st->prec->from_device(dst, st->stage, n);
	return 0;
}

int mnet_cl_write_tensor(struct mnet_cl_state *st, const struct mnet_model *m,
			int t, const float *src, cl_bool blocking)
{
	size_t n = mnet_shape_elems(m->tensors[t].shape);
	const void *p = src;
	cl_int rc;

	if (st->prec->to_device) {
		st->prec->to_device(st->stage, src, n);
		p = st->stage;
	}
	rc = clEnqueueWriteBuffer(st->q, mnet_cl_tensor_mem(st, t),
				  blocking, 0, n * st->prec->elem_size, p, 0,
				  NULL, NULL);
	return rc ? -EIO : 0;
}

/*
 * The input written (or converted to half) straight into its mapped
 * buffer: no staging copy.  The previous run mapped it ahead; only the
 * first run, or one after a failure or layer_output(), maps it here, and
 * then waits for nothing but that map.  Unmapped before the first kernel
 * is enqueued.
 */
int mnet_cl_map_input(struct mnet_cl_state *st, const struct mnet_model *m,
		     const float *src)
{
	size_t n = mnet_shape_elems(m->tensors[m->input].shape);
	cl_mem b = mnet_cl_tensor_mem(st, m->input);
	void *p = st->in_map;
	cl_int rc;

	if (!p) {
		p = clEnqueueMapBuffer(st->q, b, CL_TRUE,
				       CL_MAP_WRITE_INVALIDATE_REGION, 0,
				       n * st->prec->elem_size, 0, NULL, NULL,
				       &rc);
		if (rc || !p)
			return -EIO;
	}
	st->in_map = NULL;
	if (st->prec->to_device)
		st->prec->to_device(p, src, n);
	else
		memcpy(p, src, n * sizeof(float));
	return unmap(st, 0, b, p);
}

/*
 * The output read from its mapped buffer.  First the input is mapped for
 * the next run, without waiting: the blocking output map behind it in the
 * in-order queue, the run's one wait, completes both.  CL_MAP_WRITE, not
 * _INVALIDATE_REGION: layer_output() may unmap it unwritten and re-run
 * layers from the input it holds.  The output unmap is ordered before the
 * next run's commands by the queue.
 */
int mnet_cl_map_output(struct mnet_cl_state *st, const struct mnet_model *m,
		      float *dst)
{
	size_t n = mnet_shape_elems(m->tensors[m->output].shape);
	size_t n_in = mnet_shape_elems(m->tensors[m->input].shape);
	cl_mem b = mnet_cl_tensor_mem(st, m->output);
	cl_int rc;
	void *p;

	p = clEnqueueMapBuffer(st->q, mnet_cl_tensor_mem(st, m->input), CL_FALSE,
			       CL_MAP_WRITE, 0, n_in * st->prec->elem_size, 0,
			       NULL, NULL, &rc);
	if (rc || !p)
		return -EIO;
	st->in_map = p;
	p = clEnqueueMapBuffer(st->q, b, CL_TRUE, CL_MAP_READ, 0,
			       n * st->prec->elem_size, 0, NULL, NULL, &rc);
	if (rc || !p)
		return -EIO;
	if (st->prec->from_device)
		st->prec->from_device(dst, p, n);
	else
		memcpy(dst, p, n * sizeof(float));
	return unmap(st, 1, b, p);
}
