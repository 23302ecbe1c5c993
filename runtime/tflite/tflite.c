// SPDX-License-Identifier: Apache-2.0
/*
 * tflite.c - load a .tflite MobileNet into the float model IR
 *
 * DOC: TFLite loader
 *
 * The loader works in two passes over the file.  The first pass
 * (mnet_tfl_parse_model(), tflite_parse.c) walks every table it will need
 * - the subgraph, every tensor and every operator - through the
 * bounds-checked reader of flatbuf.c and records them in small arrays,
 * refusing anything malformed or absurd before a single weight is touched.
 * Counts read from the file are capped (the TFL_MAX_* limits and those of
 * model.h) before they size an allocation.  The second pass, here, sizes
 * the model and maps each operator to an IR layer through the import table
 * of tflite_import.c, which reads weights and biases through
 * tflite_tensor.c (dequantized once, at load).  The finished model goes
 * through mnet_model_validate(), so the backends never see anything these
 * files did not check.
 *
 * The output kind is probabilities when the output comes from SOFTMAX
 * (through any RESHAPE), logits when it comes from a classifier (FC, or a
 * convolution with a 1x1 output) without one, and an embedding otherwise
 * (the V1 extractor ends at its average pool): the op descriptors say
 * which (mnet_model_infer_output_kind()).  Layer and tensor names are the
 * first ';'-separated part of the output tensor's name, which the
 * converter fills with every fused op's name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/model.h"
#include "tflite/tflite_schema.h"
#include "tflite/tflite_ctx.h"
#include "tflite/tflite_import.h"
#include "tflite/tflite_parse.h"
#include "tflite/tflite_tensor.h"

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* The public storage type of a TensorType the loader accepts. */
static enum mnet_dtype dtype_of(uint8_t type)
{
	static const struct {
		uint8_t tfl;
		enum mnet_dtype type;
	} map[] = {
		{ TFL_UINT8, MNET_DTYPE_UINT8 }, { TFL_INT8, MNET_DTYPE_INT8 },
		{ TFL_INT16, MNET_DTYPE_INT16 }, { TFL_INT32, MNET_DTYPE_INT32 },
		{ TFL_INT64, MNET_DTYPE_INT64 },
	};
	size_t k;

	for (k = 0; k < sizeof(map) / sizeof(map[0]); k++)
		if (map[k].tfl == type)
			return map[k].type;
	return MNET_DTYPE_FLOAT32;
}

/* Add IR tensor @t to the device outputs once. */
static int add_device_output(struct tfl_ctx *c, int t)
{
	struct mnet_model *m = c->m;
	int k;

	for (k = 0; k < m->n_outputs; k++)
		if (m->outputs[k] == t)
			return 0;
	if (m->n_outputs >= MNET_MAX_OUTPUTS)
		return mnet_tfl_err(c, -EOPNOTSUPP, "more than %d output tensors",
				    MNET_MAX_OUTPUTS);
	m->outputs[m->n_outputs++] = t;
	return 0;
}

/*
 * The file's outputs, each an IR tensor or a custom layer's output, and
 * the device outputs: the file's IR-tensor outputs, then what the custom
 * layers read.  Output 0 of the device (&struct mnet_model.output) is the
 * first of those.
 */
static int resolve_outputs(struct tfl_ctx *c)
{
	struct mnet_model *m = c->m;
	uint32_t k;
	int i, j, ret;

	for (k = 0; k < c->n_outputs; k++) {
		uint32_t o = c->outputs[k];
		struct mnet_model_output *fo = &m->file_out[k];

		fo->tensor = c->map[o];
		fo->custom = c->cust_of[o];
		fo->custom_out = -1;
		fo->type = dtype_of(c->t[o].type);
		/* an index output (ARG_MAX's int64) has no quantization */
		if ((fo->tensor >= 0 &&
		     m->tensors[fo->tensor].q.type != MNET_QTYPE_NONE) ||
		    c->t[o].type == TFL_FLOAT32)
			mnet_tfl_act_quant(c, o, &fo->q);
		if (fo->custom >= 0) {
			const struct mnet_custom_layer *cl =
				&m->custom[fo->custom];

			for (j = 0; j < cl->n_out; j++)
				if (mnet_fb_vec_i32(&c->ops[cl->op_index].outputs,
						    (uint32_t)j) == (int32_t)o)
					fo->custom_out = j;
			continue;
		}
		if (fo->tensor < 0)
			return mnet_tfl_err(c, -EINVAL, "output %s is not computed by any operator",
					    mnet_tfl_label(c, o));
		ret = add_device_output(c, fo->tensor);
		if (ret)
			return ret;
	}
	m->n_file_out = (int)c->n_outputs;
	for (i = 0; i < m->n_custom; i++)
		for (j = 0; j < m->custom[i].n_in; j++) {
			ret = add_device_output(c, m->custom[i].in[j]);
			if (ret)
				return ret;
		}
	return 0;
}

static int build_model(struct tfl_ctx *c, const char *name)
{
	struct mnet_model *m;
	uint32_t i;
	int n = 0, n_custom = 0, ret;

	for (i = 0; i < c->n_ops; i++) {
		n += mnet_tfl_op_layers(&c->ops[i]);
		n_custom += c->ops[i].code == TFL_CUSTOM;
		if (n > MNET_MAX_LAYERS || n_custom > MNET_MAX_OUTPUTS)
			break;
	}
	if (n_custom > MNET_MAX_OUTPUTS)
		return mnet_tfl_err(c, -EFBIG, "more than %d custom operators",
				    MNET_MAX_OUTPUTS);
	if (n == 0)
		return mnet_tfl_err(c, -EINVAL, "the model has no operators to run");
	if (n > MNET_MAX_LAYERS)
		return mnet_tfl_err(c, -EFBIG, "%d operators; the limit is %d", n,
				    MNET_MAX_LAYERS);
	/* one tensor per layer and the input */
	m = mnet_model_alloc(n, n + 1);
	if (!m)
		return mnet_tfl_err(c, -ENOMEM, "out of memory");
	c->m = m;
	if (n_custom) {
		m->custom = calloc(n_custom, sizeof(*m->custom));
		if (!m->custom)
			return mnet_tfl_err(c, -ENOMEM, "out of memory");
		m->n_custom = n_custom;	/* c->n_custom: how many are filled */
	}
	snprintf(m->name, sizeof(m->name), "%s", base_name(name));
	ret = mnet_tfl_act_shape(c, -1, c->input, &m->tensors[0].shape);
	if (ret)
		return ret;
	mnet_tfl_copy_name(m->tensors[0].name, sizeof(m->tensors[0].name),
			   &c->t[c->input], "input", 0);
	c->map[c->input] = 0;
	c->n_tensors = 1;
	mnet_tfl_act_quant(c, c->input, &m->input_q);
	m->tensors[0].q = m->input_q;
	ret = mnet_tfl_input_quant(c);
	if (ret)
		return ret;
	for (i = 0; i < c->n_ops; i++) {
		ret = mnet_tfl_import_op(c, i);
		if (ret)
			return ret;
	}
	m->n_custom = c->n_custom;
	ret = resolve_outputs(c);
	if (ret)
		return ret;
	m->n_layers = c->n_layers;
	m->n_tensors = c->n_tensors;
	m->input = 0;
	m->output = m->outputs[0];
	if (m->file_out[0].tensor >= 0) {
		m->output_q = m->file_out[0].q;
		m->output_type = m->file_out[0].type;
		m->output_kind = mnet_model_infer_output_kind(m);
	} else {
		m->output_kind = MNET_OUTPUT_CUSTOM;
		m->output_type = MNET_DTYPE_FLOAT32;
	}
	return mnet_model_validate(m, c->err);
}

int mnet_model_load_memory(const void *buf, size_t len, const char *name,
			   struct mnet_model **out, struct mnet_err *err)
{
	struct tfl_ctx c = { 0 };
	int ret;

	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
	c.file = name ? name : "<memory>";
	c.err = err;
	if (!out)
		return mnet_tfl_err(&c, -EINVAL, "no place to store the model");
	*out = NULL;
	if (!buf && len)
		return mnet_tfl_err(&c, -EINVAL, "no buffer given");
	ret = mnet_tfl_parse_model(&c, buf, len);
	if (!ret)
		ret = mnet_tfl_fold_shapes(&c);
	if (!ret)
		ret = build_model(&c, c.file);
	if (ret) {
		if (err && !err->msg[0])	/* never return a bare code */
			mnet_tfl_err(&c, ret, "%s", mnet_strerror(ret));
		mnet_model_free(c.m);
	} else {
		*out = c.m;
	}
	mnet_tfl_fold_free(&c);
	free(c.src);
	free(c.pad);
	free(c.cust_of);
	free(c.map);
	free(c.ops);
	free(c.t);
	return ret;
}

int mnet_model_load_file(const char *path, struct mnet_model **out,
			 struct mnet_err *err)
{
	struct stat st;
	uint8_t *buf;
	size_t got;
	FILE *f;
	int ret, e;

	if (!path || !out)
		return mnet_err_set(err, -EINVAL, "load: no file or no place to store the model");
	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		e = errno;
		return mnet_err_set(err, e == ENOENT ? -ENOENT :
					 e == EACCES ? -EACCES : -EIO,
				    "%s: cannot open: %s", path, strerror(e));
	}
	if (fstat(fileno(f), &st)) {
		e = errno;
		ret = mnet_err_set(err, -EIO, "%s: cannot stat: %s", path,
				   strerror(e));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = mnet_err_set(err, -EIO, "%s: %s, not a model file", path,
				   S_ISDIR(st.st_mode) ? "is a directory" :
							 "not a regular file");
		goto out_close;
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > TFL_MAX_FILE_BYTES) {
		ret = mnet_err_set(err, -EFBIG, "%s: %lld bytes; the limit is %llu",
				   path, (long long)st.st_size,
				   (unsigned long long)TFL_MAX_FILE_BYTES);
		goto out_close;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		ret = mnet_err_set(err, -ENOMEM, "%s: out of memory", path);
		goto out_close;
	}
	got = fread(buf, 1, (size_t)st.st_size, f);
	if (got != (size_t)st.st_size) {
		ret = mnet_err_set(err, -EIO, "%s: read %zu of %lld bytes", path,
				   got, (long long)st.st_size);
		goto out_free;
	}
	ret = mnet_model_load_memory(buf, got, path, out, err);
out_free:
	free(buf);
out_close:
	fclose(f);
	return ret;
}
