// SPDX-License-Identifier: Apache-2.0
/*
 * model.c - model IR: allocation, validation, counting, public accessors
 *
 * DOC: validation
 *
 * Loaders and builders produce a &struct mnet_model and then call
 * mnet_model_validate() before handing it out.  Validation re-derives every
 * output shape from the op's arithmetic and checks every index and weight
 * count, so the backends never have to distrust the IR: whatever a hostile
 * file claims, a model that passed validation cannot make a kernel read or
 * write out of bounds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

const char *mnet_op_name(enum mnet_op op)
{
	const struct mnet_op_desc *d = mnet_op_desc(op);

	return d ? d->name : "?";
}

const char *mnet_act_name(enum mnet_act act)
{
	switch (act) {
	case MNET_ACT_RELU:
		return "relu";
	case MNET_ACT_RELU6:
		return "relu6";
	default:
		return "none";
	}
}

int mnet_same_pad(int in, int k, int stride, int *out)
{
	int o = (in + stride - 1) / stride;
	int total = (o - 1) * stride + k - in;

	if (total < 0)
		total = 0;
	*out = o;
	return total / 2;
}

struct mnet_model *mnet_model_alloc(int n_layers, int n_tensors)
{
	struct mnet_model *m;
	int i;

	if (n_layers < 0 || n_layers > MNET_MAX_LAYERS || n_tensors < 0 ||
	    n_tensors > MNET_MAX_TENSORS)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->layers = calloc(n_layers ? n_layers : 1, sizeof(*m->layers));
	m->tensors = calloc(n_tensors ? n_tensors : 1, sizeof(*m->tensors));
	if (!m->layers || !m->tensors) {
		free(m->layers);
		free(m->tensors);
		free(m);
		return NULL;
	}
	m->n_layers = n_layers;
	m->n_tensors = n_tensors;
	atomic_init(&m->weight_users, 0);
	for (i = 0; i <= MNET_BACKEND_OPENCL; i++)
		atomic_init(&m->weight_pins[i], 0);
	for (i = 0; i < n_layers; i++) {
		m->layers[i].in2 = -1;
		m->layers[i].beta = 1.0f;
	}
	return m;
}

int mnet_model_is_quantized(const struct mnet_model *m, const char **why)
{
	const char *r = NULL;

	if (m->tensors[m->input].q.type == MNET_QTYPE_NONE)
		r = "the model is not quantized (float tensors)";
	else if (m->int8_block[0])
		r = m->int8_block;
	if (why)
		*why = r;
	return !r;
}

void mnet_layer_q_free(struct mnet_layer_q *q)
{
	if (!q)
		return;
	free(q->weights);
	free(q->w_scale);
	free(q->bias);
	free(q);
}

void mnet_model_free(struct mnet_model *m)
{
	int i;

	if (!m)
		return;
	for (i = 0; i < m->n_layers; i++) {
		free(m->layers[i].weights);
		free(m->layers[i].bias);
		mnet_layer_q_free(m->layers[i].q);
	}
	for (i = 0; i < m->n_custom; i++)
		if (m->custom[i].free_state)
			m->custom[i].free_state(m->custom[i].state);
	free(m->custom);
	free(m->layers);
	free(m->tensors);
	free(m);
}

static int shape_ok(struct mnet_shape s)
{
	return s.h >= 1 && s.w >= 1 && s.c >= 1 && s.h <= MNET_MAX_DIM &&
	       s.w <= MNET_MAX_DIM && s.c <= MNET_MAX_DIM &&
	       mnet_shape_elems(s) <= MNET_MAX_TENSOR_ELEMS;
}

static int shape_eq(struct mnet_shape a, struct mnet_shape b)
{
	return a.h == b.h && a.w == b.w && a.c == b.c;
}

static size_t expected_weights(const struct mnet_op_desc *d,
			       const struct mnet_layer *l)
{
	return d->expected_weights ? d->expected_weights(l) : 0;
}

/*
 * The rules every op shares are here; each op's own (shapes against its
 * arithmetic) are its descriptor's check().
 */
static int check_layer(const struct mnet_model *m, int i, struct mnet_err *err)
{
	const struct mnet_layer *l = &m->layers[i];
	const struct mnet_op_desc *d = mnet_op_desc(l->op);
	struct mnet_shape in, out;

#define BAD(...) mnet_err_set(err, -EINVAL, "%s: layer %d (%s, %s): " \
			      __VA_ARGS__)
	/* out of range, or an op without a descriptor: never accepted */
	if (!d)
		return mnet_err_set(err, -EINVAL, "%s: layer %d: bad op %d",
				    m->name, i, (int)l->op);
	if (l->in < 0 || l->in >= m->n_tensors || l->out < 0 ||
	    l->out >= m->n_tensors || l->in == l->out)
		return BAD("bad tensor index", m->name, i, l->name, d->name);
	if (d->n_inputs > 1 &&
	    (l->in2 < 0 || l->in2 >= m->n_tensors || l->in2 == l->out))
		return BAD("bad second input", m->name, i, l->name, d->name);
	in = m->tensors[l->in].shape;
	out = m->tensors[l->out].shape;
	if (!shape_ok(in) || !shape_ok(out))
		return BAD("tensor shape out of range", m->name, i, l->name,
			   d->name);
	if (!shape_eq(in, l->in_shape) || !shape_eq(out, l->out_shape))
		return BAD("layer shapes disagree with its tensors", m->name, i,
			   l->name, d->name);
	if ((unsigned int)l->act > MNET_ACT_RELU6)
		return BAD("bad activation", m->name, i, l->name, d->name);

	if (d->check) {
		int ret = d->check(m, l, err);

		if (ret)
			return ret;
	}
	if (l->n_weights != expected_weights(d, l) ||
	    (l->n_weights && !l->weights) || l->n_weights > MNET_MAX_WEIGHTS)
		return BAD("weight count %zu, expected %zu", m->name, i, l->name,
			   d->name, l->n_weights, expected_weights(d, l));
	if (l->bias && !(d->flags & MNET_OP_F_BIAS))
		return BAD("bias on an op without one", m->name, i, l->name,
			   d->name);
#undef BAD
	return 0;
}

/* Every tensor may be legal and their sum still absurd. */
static int check_total(const struct mnet_model *m, struct mnet_err *err)
{
	uint64_t total = 0;
	int i;

	/* a bad shape is check_layer()'s to report, if a layer uses it */
	for (i = 0; i < m->n_tensors; i++)
		if (shape_ok(m->tensors[i].shape))
			total += mnet_shape_elems(m->tensors[i].shape);
	if (total > MNET_MAX_TOTAL_ELEMS)
		return mnet_err_set(err, -EFBIG,
				    "%s: activation tensors total %llu elements; the limit is %llu",
				    m->name, (unsigned long long)total,
				    (unsigned long long)MNET_MAX_TOTAL_ELEMS);
	return 0;
}

/* Every device output written; custom layers read device outputs only. */
static int check_outputs(const struct mnet_model *m, const char *written,
			 struct mnet_err *err)
{
	int k, j;

	if (m->n_outputs < 0 || m->n_outputs > MNET_MAX_OUTPUTS ||
	    (m->n_outputs && m->outputs[0] != m->output) ||
	    m->n_file_out < 0 || m->n_file_out > MNET_MAX_OUTPUTS ||
	    m->n_custom < 0 || m->n_custom > MNET_MAX_OUTPUTS)
		return mnet_err_set(err, -EINVAL, "%s: bad output lists",
				    m->name);
	for (k = 0; k < mnet_model_n_outputs(m); k++) {
		int t = mnet_model_device_output(m, k);

		if (t < 0 || t >= m->n_tensors || !written[t])
			return mnet_err_set(err, -EINVAL,
					    "%s: no layer writes output tensor %d",
					    m->name, t);
	}
	for (k = 0; k < m->n_custom; k++) {
		const struct mnet_custom_layer *cl = &m->custom[k];

		if (!cl->run || cl->n_in < 0 || cl->n_in > MNET_CUSTOM_MAX_IO ||
		    cl->n_out < 1 || cl->n_out > MNET_CUSTOM_MAX_IO)
			return mnet_err_set(err, -EINVAL, "%s: custom op %d: bad inputs or outputs",
					    m->name, cl->op_index);
		for (j = 0; j < cl->n_in; j++)
			if (!mnet_model_is_output(m, cl->in[j]))
				return mnet_err_set(err, -EINVAL, "%s: custom op %d reads tensor %d, not a device output",
						    m->name, cl->op_index,
						    cl->in[j]);
		for (j = 0; j < cl->n_out; j++)
			if (!shape_ok(cl->out_shape[j]))
				return mnet_err_set(err, -EINVAL, "%s: custom op %d: output %d has a bad shape",
						    m->name, cl->op_index, j);
	}
	for (k = 0; k < m->n_file_out; k++) {
		const struct mnet_model_output *fo = &m->file_out[k];

		if (fo->custom >= 0 ?
		    fo->custom >= m->n_custom || fo->custom_out < 0 ||
		    fo->custom_out >= m->custom[fo->custom].n_out :
		    !mnet_model_is_output(m, fo->tensor))
			return mnet_err_set(err, -EINVAL, "%s: output %d is not computed",
					    m->name, k);
	}
	return 0;
}

int mnet_model_validate(const struct mnet_model *m, struct mnet_err *err)
{
	char *written;
	int i, ret = 0;

	/* read the state here: model_weights.c builds on this unit */
	if (atomic_load(&m->weight_users) == MNET_WEIGHTS_RELEASED)
		return mnet_err_set(err, -EINVAL,
				    "%s: the model's weights were released",
				    m->name);
	if (m->n_layers < 1 || m->n_layers > MNET_MAX_LAYERS ||
	    m->n_tensors < 2 || m->n_tensors > MNET_MAX_TENSORS)
		return mnet_err_set(err, -EINVAL,
				    "%s: %d layers / %d tensors out of range",
				    m->name, m->n_layers, m->n_tensors);
	if (m->input < 0 || m->input >= m->n_tensors || m->output < 0 ||
	    m->output >= m->n_tensors || m->input == m->output)
		return mnet_err_set(err, -EINVAL,
				    "%s: bad input/output tensor index",
				    m->name);
	if (m->tensors[m->input].shape.c != 3)
		return mnet_err_set(err, -EOPNOTSUPP,
				    "%s: input has %d channels; an RGB image model needs 3",
				    m->name, m->tensors[m->input].shape.c);
	ret = check_total(m, err);
	if (ret)
		return ret;

	/* each tensor is written by exactly one layer before it is read */
	written = calloc(m->n_tensors, 1);
	if (!written)
		return mnet_err_set(err, -ENOMEM, "%s: out of memory", m->name);
	written[m->input] = 1;
	for (i = 0; i < m->n_layers; i++) {
		const struct mnet_layer *l = &m->layers[i];

		ret = check_layer(m, i, err);
		if (ret)
			goto out_free;
		if (!written[l->in] || (l->in2 >= 0 && !written[l->in2])) {
			ret = mnet_err_set(err, -EINVAL,
					   "%s: layer %d (%s) reads a tensor no earlier layer wrote",
					   m->name, i, l->name);
			goto out_free;
		}
		if (written[l->out]) {
			ret = mnet_err_set(err, -EINVAL,
					   "%s: layer %d (%s) overwrites tensor %d",
					   m->name, i, l->name, l->out);
			goto out_free;
		}
		written[l->out] = 1;
	}
	ret = check_outputs(m, written, err);
out_free:
	free(written);
	return ret;
}

uint64_t mnet_layer_params(const struct mnet_layer *l)
{
	return (uint64_t)l->n_weights + (l->bias ? (uint64_t)l->out_shape.c : 0);
}

int mnet_residual_fusable(const struct mnet_model *m, int i)
{
	const struct mnet_op_desc *pw_d, *add_d;
	const struct mnet_layer *pw, *add;
	int t, j, other;

	if (i < 0 || i + 1 >= m->n_layers)
		return -1;
	pw = &m->layers[i];
	add = &m->layers[i + 1];
	pw_d = mnet_op_desc(pw->op);
	add_d = mnet_op_desc(add->op);
	t = pw->out;
	if (!pw_d || !(pw_d->flags & MNET_OP_F_RESIDUAL_SINK) ||
	    pw->act != MNET_ACT_NONE || !add_d ||
	    !(add_d->flags & MNET_OP_F_RESIDUAL_ADD) ||
	    add->act != MNET_ACT_NONE || mnet_model_is_output(m, t))
		return -1;
	if (add->in == t && add->in2 != t)
		other = add->in2;
	else if (add->in2 == t && add->in != t)
		other = add->in;
	else
		return -1;
	for (j = 0; j < m->n_layers; j++)
		if (j != i + 1 && (m->layers[j].in == t || m->layers[j].in2 == t))
			return -1;
	return other;
}

int mnet_residual_fusion_on(void)
{
	const char *e = getenv("MNET_FUSE_RESIDUAL");

	return !(e && !strcmp(e, "0"));
}

uint64_t mnet_layer_macs(const struct mnet_layer *l)
{
	const struct mnet_op_desc *d = mnet_op_desc(l->op);

	return d && d->macs ? d->macs(l) : 0;
}

uint64_t mnet_layer_bytes(const struct mnet_layer *l)
{
	const struct mnet_op_desc *d = mnet_op_desc(l->op);

	return d && d->bytes ? d->bytes(l) : 0;
}

enum mnet_output_kind mnet_model_infer_output_kind(const struct mnet_model *m)
{
	int t = m->output, i, kind;

	for (i = m->n_layers - 1; i >= 0; i--) {
		const struct mnet_layer *l = &m->layers[i];
		const struct mnet_op_desc *d = mnet_op_desc(l->op);

		if (l->out != t)
			continue;
		if (!d || !d->output_kind)
			return MNET_OUTPUT_EMBEDDING;
		kind = d->output_kind(l);
		if (kind != MNET_OP_KIND_OF_INPUT)
			return (enum mnet_output_kind)kind;
		t = l->in;	/* look through to the producer */
	}
	return MNET_OUTPUT_EMBEDDING;
}

const char *mnet_model_name(const struct mnet_model *m)
{
	return m->name;
}

/* A tensor's (scale, zero point, signedness) for the public getters. */
static int quant_get(const struct mnet_quant *q, float *scale,
		     int32_t *zero_point, int *is_signed)
{
	if (q->type == MNET_QTYPE_NONE)
		return -ENODATA;
	if (scale)
		*scale = q->scale;
	if (zero_point)
		*zero_point = q->zero_point;
	if (is_signed)
		*is_signed = q->type == MNET_QTYPE_INT8;
	return 0;
}

int mnet_model_input_quant(const struct mnet_model *m, float *scale,
			   int32_t *zero_point, int *is_signed)
{
	return quant_get(&m->input_q, scale, zero_point, is_signed);
}

int mnet_model_output_quant(const struct mnet_model *m, float *scale,
			    int32_t *zero_point, int *is_signed)
{
	return quant_get(&m->output_q, scale, zero_point, is_signed);
}

int mnet_model_layer_quant(const struct mnet_model *m, int layer,
			   float *scale, int32_t *zero_point, int *is_signed)
{
	if (layer < 0 || layer >= m->n_layers)
		return -EINVAL;
	return quant_get(&m->tensors[m->layers[layer].out].q, scale,
			 zero_point, is_signed);
}

struct mnet_shape mnet_model_input_shape(const struct mnet_model *m)
{
	return m->tensors[m->input].shape;
}

size_t mnet_model_output_size(const struct mnet_model *m)
{
	struct mnet_output_info o;

	if (mnet_model_output_info(m, 0, &o))
		return 0;
	return mnet_shape_elems(o.shape);
}

enum mnet_output_kind mnet_model_output_kind(const struct mnet_model *m)
{
	return m->output_kind;
}

int mnet_model_output_count(const struct mnet_model *m)
{
	if (!m)
		return 0;
	return m->n_file_out > 0 ? m->n_file_out : 1;
}

/* Output @i of a file whose outputs are listed (&struct mnet_model.file_out). */
static void file_output_info(const struct mnet_model *m, int i,
			     struct mnet_output_info *info)
{
	const struct mnet_model_output *fo = &m->file_out[i];

	if (fo->custom >= 0) {
		const struct mnet_custom_layer *cl = &m->custom[fo->custom];

		info->name = cl->out_name[fo->custom_out];
		info->shape = cl->out_shape[fo->custom_out];
		info->type = MNET_DTYPE_FLOAT32;
		info->kind = MNET_OUTPUT_CUSTOM;
		return;
	}
	info->name = m->tensors[fo->tensor].name;
	info->shape = m->tensors[fo->tensor].shape;
	info->type = fo->type;
	if (fo->q.type != MNET_QTYPE_NONE && fo->type != MNET_DTYPE_FLOAT32) {
		info->scale = fo->q.scale;
		info->zero_point = fo->q.zero_point;
	}
	info->kind = fo->tensor == m->output ? m->output_kind :
					       MNET_OUTPUT_EMBEDDING;
}

int mnet_model_output_info(const struct mnet_model *m, int i,
			   struct mnet_output_info *info)
{
	const struct mnet_tensor *t;

	if (!m || !info || i < 0 || i >= mnet_model_output_count(m))
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	if (m->n_file_out > 0 && (i > 0 || m->file_out[0].tensor != m->output)) {
		file_output_info(m, i, info);
		return 0;
	}
	t = &m->tensors[m->output];
	info->name = t->name;
	info->shape = t->shape;
	info->type = m->output_type;
	if (m->output_type == MNET_DTYPE_UINT8 ||
	    m->output_type == MNET_DTYPE_INT8 ||
	    m->output_type == MNET_DTYPE_INT16) {
		info->scale = m->output_q.scale;
		info->zero_point = m->output_q.zero_point;
	}
	info->kind = m->output_kind;
	return 0;
}

int mnet_model_layer_count(const struct mnet_model *m)
{
	return m->n_layers;
}

int mnet_model_layer_info(const struct mnet_model *m, int i,
			  struct mnet_layer_info *info)
{
	const struct mnet_op_desc *d;
	const struct mnet_layer *l;

	if (i < 0 || i >= m->n_layers)
		return -EINVAL;
	l = &m->layers[i];
	d = mnet_op_desc(l->op);
	memset(info, 0, sizeof(*info));
	info->name = l->name;
	info->op = mnet_op_name(l->op);
	info->in = l->in_shape;
	info->out = l->out_shape;
	if (d && (d->flags & MNET_OP_F_POINTWISE)) {
		info->kh = 1;
		info->kw = 1;
		info->stride = 1;
	} else if (d && (d->flags & MNET_OP_F_WINDOW)) {
		info->kh = l->kh;
		info->kw = l->kw;
		info->stride = l->stride_h;
	}
	info->act = mnet_act_name(l->act);
	info->params = mnet_layer_params(l);
	info->macs = mnet_layer_macs(l);
	return 0;
}

void mnet_model_totals(const struct mnet_model *m, uint64_t *params,
		       uint64_t *macs)
{
	uint64_t p = 0, c = 0;
	int i;

	for (i = 0; i < m->n_layers; i++) {
		p += mnet_layer_params(&m->layers[i]);
		c += mnet_layer_macs(&m->layers[i]);
	}
	if (params)
		*params = p;
	if (macs)
		*macs = c;
}
