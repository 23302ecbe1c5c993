// SPDX-License-Identifier: Apache-2.0
/*
 * custom_registry.c - the custom operators the library runs on the host,
 * found by their name in the file, and the loop that runs a model's
 */
#include <errno.h>
#include <string.h>

#include "custom/custom_op.h"

static const struct mnet_custom_op_ops *const registry[] = {
	&mnet_custom_posenet_decoder,
};

const struct mnet_custom_op_ops *mnet_custom_op_find(const char *name,
						     size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
		if (name && strlen(registry[i]->name) == len &&
		    !memcmp(registry[i]->name, name, len))
			return registry[i];
	return NULL;
}

const char *mnet_custom_op_names(void)
{
	return "PosenetDecoderOp";
}

/* The session's buffer of IR tensor @t, a device output. */
static const float *tensor_of(const struct mnet_model *m,
			      float *const *tensor_buf, int t)
{
	int k;

	for (k = 0; k < m->n_outputs; k++)
		if (m->outputs[k] == t)
			return tensor_buf[k];
	return NULL;
}

int mnet_custom_layers_run(const struct mnet_model *m,
			   float *const *tensor_buf, float *const *out_buf,
			   void *const *scratch)
{
	int i, k, ret;

	for (i = 0; i < m->n_custom; i++) {
		const struct mnet_custom_layer *cl = &m->custom[i];
		const float *in[MNET_CUSTOM_MAX_IO];
		struct mnet_shape shape[MNET_CUSTOM_MAX_IO];

		for (k = 0; k < cl->n_in; k++) {
			in[k] = tensor_of(m, tensor_buf, cl->in[k]);
			shape[k] = m->tensors[cl->in[k]].shape;
			if (!in[k])
				return -EINVAL;	/* the loader checked this */
		}
		ret = cl->run(cl->state, in, shape,
			      out_buf + (size_t)i * MNET_CUSTOM_MAX_IO,
			      scratch[i]);
		if (ret)
			return ret;
	}
	return 0;
}
