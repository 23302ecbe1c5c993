// SPDX-License-Identifier: Apache-2.0
/*
 * backend_ref.c - the reference backend: ref_layer.c over the host/ref/
 * kernels, one buffer per tensor
 *
 * DOC: reference backend
 *
 * Keeps every tensor of the model in its own buffer so that each layer's
 * output stays readable after a run (mnet_session_layer_output()), which is
 * what validation against other backends needs.  Memory is no concern here:
 * this backend is the oracle, not the product.  It computes from the
 * model's own weights, so a ref session pins them (no release while it
 * lives; runtime/model/model_weights.c).  Precision int8 runs in
 * backend_ref_q.c instead, chosen by ref_mode() from a table indexed by
 * the precision.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "session/backend.h"
#include "reference/ref_backend.h"
#include "reference/ref_layer.h"
#include "support/clock.h"
#include "support/debug.h"

/* The mode of each precision that is not this file's float one. */
static const struct mnet_backend_ops *const ref_modes[] = {
	[MNET_PRECISION_INT8] = &mnet_ref_int8_ops,
};

static const struct mnet_backend_ops *ref_mode(const struct mnet_backend *be)
{
	unsigned int p = (unsigned int)be->opts.precision;

	return p < sizeof(ref_modes) / sizeof(ref_modes[0]) ? ref_modes[p] :
							      NULL;
}

struct ref_state {
	float **tensors;	/* one buffer per model tensor */
	int n_tensors;
};

static int ref_probe(const struct mnet_session_opts *opts,
		     struct mnet_err *err)
{
	return 0;
}

static void ref_fini(struct mnet_backend *be)
{
	struct ref_state *st = be->priv;
	int i;

	if (ref_mode(be)) {
		ref_mode(be)->fini(be);
		return;
	}
	if (!st)
		return;
	for (i = 0; i < st->n_tensors; i++)
		free(st->tensors[i]);
	free(st->tensors);
	free(st);
	be->priv = NULL;
}

static int ref_init(struct mnet_backend *be, struct mnet_err *err)
{
	const struct mnet_model *m = be->model;
	struct ref_state *st;
	int i;

	if (ref_mode(be))
		return ref_mode(be)->init(be, err);
	for (i = 0; i < m->n_layers; i++)
		if (!mnet_ref_layer_supported(m->layers[i].op))
			return mnet_err_set(err, -EOPNOTSUPP,
					    "ref: %s: layer %d (%s): op %s not supported",
					    m->name, i, m->layers[i].name,
					    mnet_op_name(m->layers[i].op));
	st = calloc(1, sizeof(*st));
	if (!st)
		goto out_nomem;
	be->priv = st;
	st->tensors = calloc(m->n_tensors, sizeof(*st->tensors));
	if (!st->tensors)
		goto out_nomem;
	st->n_tensors = m->n_tensors;
	for (i = 0; i < m->n_tensors; i++) {
		st->tensors[i] = malloc(mnet_shape_elems(m->tensors[i].shape) *
					sizeof(float));
		if (!st->tensors[i])
			goto out_nomem;
	}
	strcpy(be->name, "ref");
	strcpy(be->device, "host CPU, plain C reference, 1 thread");
	be->pins_weights = 1;	/* every run reads the model's weights */
	return 0;

out_nomem:
	ref_fini(be);
	return mnet_err_set(err, -ENOMEM, "%s: out of memory for activations",
			    m->name);
}

static int ref_run(struct mnet_backend *be, const float *input, float *output,
		   struct mnet_layer_time *times)
{
	const struct mnet_model *m = be->model;
	struct ref_state *st = be->priv;
	int i, ret;

	if (ref_mode(be))
		return ref_mode(be)->run(be, input, output, times);
	memcpy(st->tensors[m->input], input,
	       mnet_shape_elems(m->tensors[m->input].shape) * sizeof(float));
	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];
		double t0 = mnet_now_ms();

		ret = mnet_ref_layer_run(l, st->tensors[l->in],
					 l->in2 >= 0 ? st->tensors[l->in2] : NULL,
					 st->tensors[l->out]);
		if (ret)
			return ret;
		if (mnet_backend_perturbs(be, i))
			mnet_debug_perturb(st->tensors[l->out],
					   mnet_shape_elems(l->out_shape));
		times[i].ms = mnet_now_ms() - t0;
		times[i].backend = "ref";
		times[i].config = "";
	}
	memcpy(output, st->tensors[m->output],
	       mnet_shape_elems(m->tensors[m->output].shape) * sizeof(float));
	return 0;
}

static int ref_layer_output(struct mnet_backend *be, int layer, float *dst,
			    size_t count)
{
	const struct mnet_model *m = be->model;
	struct ref_state *st = be->priv;
	int t = m->layers[layer].out;
	size_t n = mnet_shape_elems(m->tensors[t].shape);

	if (ref_mode(be))
		return ref_mode(be)->layer_output(be, layer, dst, count);
	if (count < n)
		return -EINVAL;
	memcpy(dst, st->tensors[t], n * sizeof(float));
	return 0;
}

/* A device output past the first: every tensor has its own buffer. */
static int ref_output_read(struct mnet_backend *be, int t, float *dst,
			   size_t count)
{
	struct ref_state *st = be->priv;
	size_t n = mnet_shape_elems(be->model->tensors[t].shape);

	if (ref_mode(be))
		return -EOPNOTSUPP;	/* its layer_output() copies */
	if (count < n)
		return -EINVAL;
	memcpy(dst, st->tensors[t], n * sizeof(float));
	return 0;
}

/* One buffer per tensor, as ref_init() allocates them. */
static uint64_t ref_footprint(const struct mnet_backend *be)
{
	const struct mnet_model *m = be->model;
	uint64_t bytes = sizeof(struct ref_state) +
			 (uint64_t)m->n_tensors * sizeof(float *);
	int i;

	if (ref_mode(be))
		return ref_mode(be)->footprint(be);
	for (i = 0; i < m->n_tensors; i++)
		bytes += mnet_shape_elems(m->tensors[i].shape) * sizeof(float);
	return bytes;
}

/* The file's own 8-bit input: only a mode in integer arithmetic runs it. */
static int ref_run_quantized(struct mnet_backend *be, const uint8_t *input,
			     float *output, struct mnet_layer_time *times)
{
	if (!ref_mode(be) || !ref_mode(be)->run_quantized)
		return -EOPNOTSUPP;
	return ref_mode(be)->run_quantized(be, input, output, times);
}

const struct mnet_backend_ops mnet_backend_ref_ops = {
	.name = "ref",
	.kind = MNET_BACKEND_REF,
	.probe = ref_probe,
	.init = ref_init,
	.fini = ref_fini,
	.run = ref_run,
	.layer_output = ref_layer_output,
	.output_read = ref_output_read,
	.footprint = ref_footprint,
	.run_quantized = ref_run_quantized,
};
