// SPDX-License-Identifier: Apache-2.0
/*
 * backend_ref_q.c - the reference backend in integer arithmetic
 * (precision int8): ref_q_layer.c over the host/ref_q/ kernels, one 8-bit
 * buffer per tensor
 *
 * DOC: integer reference backend
 *
 * The oracle of the int8 paths, as backend_ref.c is of the float ones:
 * every tensor keeps its own buffer, each layer's multipliers are prepared
 * once at init, and a run converts the session's float input to the
 * file's 8-bit encoding, computes every layer as TFLite's reference
 * kernels do, and hands the output back as the real values of the file's
 * output tensor (mnet_ref_q_output()).  backend_ref.c selects it by the
 * session's precision.  It reads the model's raw integer weights at every
 * run, so it pins them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "session/backend.h"
#include "reference/ref_backend.h"
#include "reference/ref_q_layer.h"
#include "ref_q/q_kernels.h"
#include "support/clock.h"
#include "support/debug.h"

struct ref_q_state {
	uint8_t **tensors;	/* one 8-bit buffer per model tensor */
	int n_tensors;
	struct mnet_ref_q_layer *layers;
	int n_layers;
	uint8_t *tmp;		/* edge conversions */
};

static void ref_q_fini(struct mnet_backend *be)
{
	struct ref_q_state *st = be->priv;
	int i;

	if (!st)
		return;
	for (i = 0; i < st->n_layers; i++)
		mnet_ref_q_layer_release(&st->layers[i]);
	free(st->layers);
	for (i = 0; i < st->n_tensors; i++)
		free(st->tensors[i]);
	free(st->tensors);
	free(st->tmp);
	free(st);
	be->priv = NULL;
}

static int ref_q_init(struct mnet_backend *be, struct mnet_err *err)
{
	const struct mnet_model *m = be->model;
	struct ref_q_state *st;
	const char *why;
	int i, ret;

	if (!mnet_model_is_quantized(m, &why))
		return mnet_err_set(err, -EINVAL, "ref int8: %s: %s", m->name,
				    why);
	st = calloc(1, sizeof(*st));
	if (!st)
		goto out_nomem;
	be->priv = st;
	st->layers = calloc((size_t)m->n_layers, sizeof(*st->layers));
	st->tensors = calloc((size_t)m->n_tensors, sizeof(*st->tensors));
	st->tmp = malloc(mnet_ref_q_edge_elems(m));
	if (!st->layers || !st->tensors || !st->tmp)
		goto out_nomem;
	for (i = 0; i < m->n_layers; i++) {
		st->n_layers = i + 1;
		ret = mnet_ref_q_layer_prepare(m, i, &st->layers[i], err);
		if (ret) {
			ref_q_fini(be);
			return ret;
		}
	}
	st->n_tensors = m->n_tensors;
	for (i = 0; i < m->n_tensors; i++) {
		st->tensors[i] = malloc(mnet_shape_elems(m->tensors[i].shape));
		if (!st->tensors[i])
			goto out_nomem;
	}
	strcpy(be->name, "ref-int8");
	strcpy(be->device, "host CPU, plain C integer reference, 1 thread");
	be->pins_weights = 1;
	return 0;

out_nomem:
	ref_q_fini(be);
	return mnet_err_set(err, -ENOMEM, "%s: out of memory for activations",
			    m->name);
}

/* The layers, from the IR input tensor (filled) to the float output. */
static int ref_q_layers(struct mnet_backend *be, float *output,
			struct mnet_layer_time *times)
{
	const struct mnet_model *m = be->model;
	struct ref_q_state *st = be->priv;
	int i, ret;

	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];
		double t0 = mnet_now_ms();

		ret = mnet_ref_q_layer_run(l, &st->layers[i],
					   st->tensors[l->in],
					   l->in2 >= 0 ? st->tensors[l->in2] :
							 NULL,
					   st->tensors[l->out]);
		if (ret)
			return ret;
		if (mnet_backend_perturbs(be, i))	/* debug: plant an error */
			mnet_debug_perturb_q8(st->tensors[l->out],
					      mnet_shape_elems(l->out_shape));
		times[i].ms = mnet_now_ms() - t0;
		times[i].backend = "ref-int8";
		times[i].config = "";
	}
	mnet_ref_q_output(m, st->tensors[m->output], st->tmp, output);
	return 0;
}

static int ref_q_run(struct mnet_backend *be, const float *input,
		     float *output, struct mnet_layer_time *times)
{
	struct ref_q_state *st = be->priv;

	mnet_ref_q_input(be->model, input, st->tmp,
			 st->tensors[be->model->input]);
	return ref_q_layers(be, output, times);
}

static int ref_q_run_quantized(struct mnet_backend *be, const uint8_t *input,
			       float *output, struct mnet_layer_time *times)
{
	struct ref_q_state *st = be->priv;
	int ret;

	ret = mnet_ref_q_input_raw(be->model, input,
				   st->tensors[be->model->input]);
	return ret ? ret : ref_q_layers(be, output, times);
}

/* A layer's output as real values: its 8-bit tensor dequantized. */
static int ref_q_layer_output(struct mnet_backend *be, int layer, float *dst,
			      size_t count)
{
	const struct mnet_model *m = be->model;
	struct ref_q_state *st = be->priv;
	int t = m->layers[layer].out;

	return mnet_ref_q_tensor_real(m, t, st->tensors[t], dst, count);
}

static uint64_t ref_q_footprint(const struct mnet_backend *be)
{
	const struct mnet_model *m = be->model;
	uint64_t bytes = sizeof(struct ref_q_state) + mnet_ref_q_edge_elems(m) +
			 (uint64_t)m->n_tensors * sizeof(uint8_t *) +
			 (uint64_t)m->n_layers * sizeof(struct mnet_ref_q_layer);
	int i;

	for (i = 0; i < m->n_tensors; i++)
		bytes += mnet_shape_elems(m->tensors[i].shape);
	for (i = 0; i < m->n_layers; i++)
		bytes += (uint64_t)m->layers[i].out_shape.c *
			 (sizeof(int32_t) + sizeof(int));
	return bytes;
}

const struct mnet_backend_ops mnet_ref_int8_ops = {
	.name = "ref",
	.kind = MNET_BACKEND_REF,
	.init = ref_q_init,
	.fini = ref_q_fini,
	.run = ref_q_run,
	.run_quantized = ref_q_run_quantized,
	.layer_output = ref_q_layer_output,
	.footprint = ref_q_footprint,
};
