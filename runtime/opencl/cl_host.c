// SPDX-License-Identifier: Apache-2.0
/*
 * cl_host.c - OpenCL layers that run on the host instead
 *
 * DOC: host fallback
 *
 * A layer whose program does not build, whose weights
 * or work-group exceed the device's limits, whose kernel cannot be
 * enqueued in the warm-up run, or that the test hook
 * $MNET_CL_FAIL_LAYER=N (test-only: forces layer N onto the host) names,
 * runs on the host with the reference kernels of runtime/reference/ref_layer.h; its inputs
 * are read back and its output written to the device around it, and its
 * time entry says "ref".  Those kernels read the model's weights, so a
 * session with a weighted layer on the host pins them (be->pins_weights);
 * otherwise everything lives on the device after init and the model's
 * weights may be released.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl.h>

#include "session/backend.h"
#include "opencl/cl_backend.h"
#include "cl/cl_error.h"
#include "support/debug.h"
#include "reference/ref_layer.h"

size_t mnet_cl_max_elems(const struct mnet_model *m)
{
	size_t n = 0;
	int t;

	for (t = 0; t < m->n_tensors; t++)
		if (mnet_shape_elems(m->tensors[t].shape) > n)
			n = mnet_shape_elems(m->tensors[t].shape);
	return n;
}

/* Host buffers for fallback layers, allocated once a layer needs them. */
int mnet_cl_host_buffers(struct mnet_cl_state *st, const struct mnet_model *m,
			struct mnet_err *err)
{
	size_t maxe = mnet_cl_max_elems(m);
	int i;

	for (i = 0; i < 3; i++) {
		if (st->host[i])
			continue;
		st->host[i] = malloc(maxe * sizeof(float));
		if (!st->host[i])
			return mnet_err_set(err, -ENOMEM, "%s: out of memory",
					    m->name);
	}
	return 0;
}

static void note_host_layer(struct mnet_backend *be, int i, const char *why,
			    struct mnet_err *err)
{
	if (!err || err->msg[0])
		return;		/* the first note is the one reported */
	snprintf(err->msg, sizeof(err->msg),
		 "note: layer %d (%s) runs on the host: %.400s", i,
		 be->model->layers[i].name, why);
	err->code = 0;
}

/*
 * Layer @i runs on the host from now on (its set-up or launch failed).  A
 * 1x1 convolution that absorbed the ADD after it gives the ADD back, which
 * then runs on the host too (in the same buffers: the memory plan placed
 * the convolution's output where the ADD's goes, and the host reads both
 * operands before it writes).
 */
int mnet_cl_to_host(struct mnet_backend *be, int i, const char *why,
		   struct mnet_err *err)
{
	struct mnet_cl_state *st = be->priv;
	struct mnet_cl_layer_rt *cl = &st->layers[i];

	mnet_cl_layer_fini(cl);
	cl->on_host = 1;
	note_host_layer(be, i, why, err);
	if (cl->residual >= 0) {
		cl->residual = -1;
		st->layers[i + 1].absorbed = 0;
		st->layers[i + 1].on_host = 1;
	}
	return mnet_cl_host_buffers(st, be->model, err);
}

int mnet_cl_host_layer(struct mnet_cl_state *st, const struct mnet_model *m,
		      const struct mnet_layer *l)
{
	int ret;

	ret = mnet_cl_read_tensor(st, m, l->in, st->host[0]);
	if (!ret && l->in2 >= 0)
		ret = mnet_cl_read_tensor(st, m, l->in2, st->host[1]);
	if (!ret)
		ret = mnet_ref_layer_run(l, st->host[0], st->host[1],
					 st->host[2]);
	if (!ret)
		ret = mnet_cl_write_tensor(st, m, l->out, st->host[2], CL_TRUE);
	return ret;
}

/* Debug only (runtime/support/debug.c): corrupt tensor @t through the host. */
int mnet_cl_perturb_tensor(struct mnet_cl_state *st, const struct mnet_model *m,
			  int t)
{
	int ret;

	ret = mnet_cl_read_tensor(st, m, t, st->host[2]);
	if (ret)
		return ret;
	mnet_debug_perturb(st->host[2], mnet_shape_elems(m->tensors[t].shape));
	return mnet_cl_write_tensor(st, m, t, st->host[2], CL_TRUE);
}
