// SPDX-License-Identifier: Apache-2.0
/*
 * mem_plan.c - activation buffers planned by tensor liveness
 *
 * DOC: memory plan
 *
 * A device backend should not hold one buffer per tensor: MobileNet V1 has
 * 30 of them and only two are ever live at once.  The plan walks the
 * layers in order, frees the buffers of tensors whose last reader has run,
 * and gives each new output the smallest free buffer that fits (else the
 * largest free one, grown; else a new buffer).  Reshapes alias their
 * input, so they cost neither a buffer nor a copy; so does an ADD that a
 * 1x1 convolution absorbs (its output is the convolution's).  The result is a few
 * buffers for V1 (three for V2's residuals), each sized for the largest
 * tensor it ever holds, allocated once per session.
 *
 * The CPU backend plans with the same walk under its own rules
 * (&struct mnet_mem_plan_policy): its input copy lives outside the plan,
 * reshapes are copies, a fused pair keeps the first layer's input live
 * through the second, and each output takes the first free buffer.
 */
#include <errno.h>
#include <stdlib.h>

#include "session/mem_plan.h"

void mnet_mem_plan_fini(struct mnet_mem_plan *p)
{
	free(p->buf_elems);
	free(p->tensor_buf);
	p->buf_elems = NULL;
	p->tensor_buf = NULL;
	p->n_bufs = 0;
}

static int new_buf(struct mnet_mem_plan *p, int **owner)
{
	size_t *bs = realloc(p->buf_elems, (p->n_bufs + 1) * sizeof(*bs));
	int *ow;

	if (!bs)
		return -ENOMEM;
	p->buf_elems = bs;
	ow = realloc(*owner, (p->n_bufs + 1) * sizeof(*ow));
	if (!ow)
		return -ENOMEM;
	*owner = ow;
	bs[p->n_bufs] = 0;
	ow[p->n_bufs] = -1;
	return p->n_bufs++;
}

int mnet_mem_plan_init(const struct mnet_model *m,
			const unsigned char *absorbs, int reserve_input,
			struct mnet_mem_plan *p)
{
	const struct mnet_mem_plan_policy pol = {
		.absorbs = absorbs,
		.reserve_input = reserve_input != 0,
	};

	return mnet_mem_plan_init_policy(m, &pol, p);
}

int mnet_mem_plan_init_policy(const struct mnet_model *m,
			       const struct mnet_mem_plan_policy *pol,
			       struct mnet_mem_plan *p)
{
	const unsigned char *absorbs = pol->absorbs;
	int alias_reshapes = !pol->copy_reshapes;
	int nt = m->n_tensors, i, t, b, best, ret = -ENOMEM;
	int *root, *last, *owner = NULL;
	size_t need;

	p->n_bufs = 0;
	p->buf_elems = NULL;
	p->tensor_buf = malloc(nt * sizeof(*p->tensor_buf));
	root = malloc(nt * sizeof(*root));
	last = malloc(nt * sizeof(*last));
	if (!p->tensor_buf || !root || !last)
		goto out_free;
	for (t = 0; t < nt; t++) {
		root[t] = t;
		last[t] = -1;
		p->tensor_buf[t] = -1;
	}
	for (i = 0; i < m->n_layers; i++) {
		if (alias_reshapes && m->layers[i].op == MNET_OP_RESHAPE)
			root[m->layers[i].out] = root[m->layers[i].in];
		/* the absorbed ADD's output is produced in place of ours */
		if (absorbs && absorbs[i] && i + 1 < m->n_layers)
			root[m->layers[i].out] = m->layers[i + 1].out;
	}
	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];

		if (last[root[l->in]] < i)
			last[root[l->in]] = i;
		if (l->in2 >= 0 && last[root[l->in2]] < i)
			last[root[l->in2]] = i;
		/* read again by the next layer, in the same job */
		if (pol->keeps_input && pol->keeps_input[i] &&
		    last[root[l->in]] < i + 1)
			last[root[l->in]] = i + 1;
	}
	for (t = 0; t < mnet_model_n_outputs(m); t++)
		last[root[mnet_model_device_output(m, t)]] = m->n_layers;
	if (pol->reserve_input)
		last[root[m->input]] = m->n_layers;

	if (!pol->input_apart) {
		/* the input lives from the start */
		b = new_buf(p, &owner);
		if (b < 0)
			goto out_free;
		p->buf_elems[b] = mnet_shape_elems(m->tensors[m->input].shape);
		owner[b] = root[m->input];
		p->tensor_buf[root[m->input]] = b;
	}

	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];
		int r = root[l->out];

		if ((alias_reshapes && l->op == MNET_OP_RESHAPE) ||
		    (absorbs && i > 0 && absorbs[i - 1]))
			continue;	/* aliased, or produced by layer i - 1 */
		for (b = 0; b < p->n_bufs; b++)
			if (owner[b] >= 0 && last[owner[b]] < i)
				owner[b] = -1;
		need = mnet_shape_elems(m->tensors[l->out].shape);
		best = -1;
		for (b = 0; b < p->n_bufs; b++) {
			if (owner[b] >= 0)
				continue;
			if (pol->first_fit) {
				best = b;
				break;
			}
			if (best < 0 ||
			    (p->buf_elems[b] >= need &&
			     (p->buf_elems[best] < need ||
			      p->buf_elems[b] < p->buf_elems[best])) ||
			    (p->buf_elems[best] < need &&
			     p->buf_elems[b] > p->buf_elems[best]))
				best = b;
		}
		if (best < 0) {
			best = new_buf(p, &owner);
			if (best < 0)
				goto out_free;
		}
		if (p->buf_elems[best] < need)
			p->buf_elems[best] = need;
		owner[best] = r;
		p->tensor_buf[r] = best;
	}
	for (t = 0; t < nt; t++)
		p->tensor_buf[t] = p->tensor_buf[root[t]];
	ret = 0;
out_free:
	free(owner);
	free(last);
	free(root);
	if (ret)
		mnet_mem_plan_fini(p);
	return ret;
}
