// SPDX-License-Identifier: Apache-2.0
/*
 * session.c - a model bound to a backend, with its input/output buffers
 *
 * DOC: sessions
 *
 * A session owns one backend instance and the host buffers for one input,
 * one output and one set of per-layer times, all allocated at creation, so
 * mnet_session_run() allocates nothing.  The model is only read, which is
 * why one model can serve many sessions on many threads.  There is no
 * global mutable state anywhere in the library.
 *
 * Memory cap: before a backend's init() runs, its footprint() computes
 * from the model alone what init() will allocate; with a cap set
 * (max_memory_bytes, or $MNET_MAX_MEMORY) a backend over it is refused
 * with -EFBIG, so an application serving untrusted models bounds each
 * session before any large allocation, not after.
 *
 * Weights: creation holds the model's weights (model_weights.c) around the
 * backend's init(), and keeps holding them (a pin) only when the backend
 * says it reads them after init(), so mnet_model_release_weights() can
 * free them under sessions that own a copy and refuses under the others.
 * With opts.release_weights it takes them instead (no other holder), lets
 * the backend free them layer by layer as it packs, and frees the rest
 * after init(); see finish_weights().
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "custom/custom_op.h"
#include "session/backend.h"
#include "session/session_priv.h"
#include "support/clock.h"
#include "support/debug.h"
#include "image/image.h"

struct mnet_session {
	struct mnet_backend be;
	float *input;
	float *output;		/* public output 0: dev[0] or a custom one */
	size_t n_in, n_out;
	float *dev[MNET_MAX_OUTPUTS];	/* device outputs; dev[0] run()'s */
	float *cust[MNET_MAX_OUTPUTS * MNET_CUSTOM_MAX_IO];
	void *cscratch[MNET_MAX_OUTPUTS];	/* per custom layer */
	double host_ms;		/* last run: extra outputs + custom layers */
	struct mnet_layer_time *times;
	int has_run;
	int pinned;		/* holds the model's weights until destroyed */
	uint64_t cap;		/* memory cap in bytes, 0: none */
	uint64_t own_bytes;	/* input, output, times */
	double create_ms;	/* all of mnet_session_create() */
	double frame_ms[2];	/* last frame: host conversion, inference */
};

void mnet_session_opts_init(struct mnet_session_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->backend = MNET_BACKEND_AUTO;
	o->precision = MNET_PRECISION_AUTO;
}

int mnet_backend_parse(const char *name, enum mnet_backend_kind *out)
{
	static const char *const names[] = {
		[MNET_BACKEND_AUTO] = "auto",
		[MNET_BACKEND_REF] = "ref",
		[MNET_BACKEND_CPU] = "cpu",
		[MNET_BACKEND_OPENCL] = "opencl",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (name && !strcmp(name, names[i])) {
			*out = (enum mnet_backend_kind)i;
			return 0;
		}
	}
	return -EINVAL;
}

int mnet_precision_parse(const char *name, enum mnet_precision *out)
{
	static const char *const names[] = {
		[MNET_PRECISION_AUTO] = "auto",
		[MNET_PRECISION_FP32] = "fp32",
		[MNET_PRECISION_FP16_STORAGE] = "fp16-storage",
		[MNET_PRECISION_FP16] = "fp16",
		[MNET_PRECISION_INT8] = "int8",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (name && !strcmp(name, names[i])) {
			*out = (enum mnet_precision)i;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * The memory cap: opts->max_memory_bytes, else $MNET_MAX_MEMORY ("512M",
 * "2G", plain bytes), else none (0).  A malformed variable is an error
 * rather than silently no cap.
 */
static int memory_cap(const struct mnet_session_opts *o, uint64_t *cap,
		      struct mnet_err *err)
{
	const char *e = getenv("MNET_MAX_MEMORY");
	unsigned long long v;
	char *end;

	*cap = o->max_memory_bytes;
	if (*cap || !e || !*e)
		return 0;
	errno = 0;
	v = strtoull(e, &end, 10);
	switch (*end) {
	case 'k': case 'K':
		v = v > ULLONG_MAX >> 10 ? ULLONG_MAX : v << 10;
		end++;
		break;
	case 'm': case 'M':
		v = v > ULLONG_MAX >> 20 ? ULLONG_MAX : v << 20;
		end++;
		break;
	case 'g': case 'G':
		v = v > ULLONG_MAX >> 30 ? ULLONG_MAX : v << 30;
		end++;
		break;
	default:
		break;
	}
	if (errno || end == e || *end || !v || e[0] == '-')
		return mnet_err_set(err, -EINVAL,
				    "MNET_MAX_MEMORY=%.64s: expected a positive byte count, optionally with K, M or G",
				    e);
	*cap = v;
	return 0;
}

/* Refuse a backend whose footprint exceeds the cap, before its init(). */
static int check_footprint(struct mnet_session *s,
			   const struct mnet_backend_ops *ops,
			   struct mnet_err *err)
{
	uint64_t need;

	if (!s->cap || !ops->footprint)
		return 0;
	need = ops->footprint(&s->be) + s->own_bytes;
	if (need <= s->cap)
		return 0;
	return mnet_err_set(err, -EFBIG,
			    "%s on %s needs %llu bytes (%.1f MiB: activations, weights, scratch), over the memory cap of %llu bytes (max_memory_bytes or MNET_MAX_MEMORY)",
			    s->be.model->name, ops->name,
			    (unsigned long long)need, (double)need / 1048576.0,
			    (unsigned long long)s->cap);
}

/*
 * After a successful init(): keep holding the model's weights if the
 * backend reads them later (a pin), else drop the hold; with
 * release_weights, free what the backend left unless it pins them (it
 * then gets them back as an ordinary hold, with a note in @err).
 */
static int finish_weights(struct mnet_session *s, struct mnet_err *err)
{
	const struct mnet_model *m = s->be.model;

	if (s->be.opts.release_weights && !s->be.pins_weights) {
		mnet_model_weights_drop_all(m);
		return 0;
	}
	if (s->be.opts.release_weights &&
	    mnet_model_weights_give_back(m, 1))
		/* a backend must not free what it keeps reading */
		return mnet_err_set(err, -EINVAL,
				    "%s: %s freed weights it reads (release_weights)",
				    m->name, s->be.name);
	if (s->be.opts.release_weights && err) {
		/* after the backend's own note (host layers), if any */
		size_t len = strlen(err->msg);

		err->code = 0;
		snprintf(err->msg + len, sizeof(err->msg) - len,
			 "%sweights kept despite release_weights: the %.60s session reads them after creation",
			 len ? "; " : "note: ", s->be.name);
	}
	s->pinned = s->be.pins_weights;
	if (s->pinned)
		mnet_model_weights_pin(m, s->be.ops->kind);
	else
		mnet_model_weights_put(m);
	return 0;
}

/* Try one backend; on success @s->be is live. */
static int try_backend(struct mnet_session *s,
		       const struct mnet_backend_ops *ops,
		       struct mnet_err *err)
{
	int ret;

	ret = ops->probe(&s->be.opts, err);
	if (ret)
		return ret;
	s->be.ops = ops;
	s->be.priv = NULL;
	s->be.pins_weights = 0;
	s->be.perturb_layer = mnet_debug_perturb_layer(ops->name) + 1;
	ret = check_footprint(s, ops, err);
	if (ret) {
		s->be.ops = NULL;
		return ret;
	}
	ret = ops->init(&s->be, err);
	if (ret)
		s->be.ops = NULL;
	return ret;
}

static int pick_backend(struct mnet_session *s, struct mnet_err *err)
{
	enum mnet_backend_kind want = s->be.opts.backend;
	struct mnet_err note = { 0 };
	int i, ret = -ENODEV;

	for (i = 0; mnet_backends[i]; i++) {
		const struct mnet_backend_ops *ops = mnet_backends[i];

		if (want != MNET_BACKEND_AUTO && ops->kind != want)
			continue;
		ret = try_backend(s, ops, want == MNET_BACKEND_AUTO ? &note : err);
		if (!ret) {
			if (want == MNET_BACKEND_AUTO && note.msg[0] && err) {
				/* what was skipped or moved, not an error */
				const char *n = note.msg;

				if (!strncmp(n, "note: ", 6))
					n += 6;
				err->code = 0;
				snprintf(err->msg, sizeof(err->msg),
					 "note: %.400s; using %s", n, ops->name);
			}
			return 0;
		}
		if (want != MNET_BACKEND_AUTO)
			return ret;
		/*
		 * release_weights: a backend that failed after freeing some of
		 * the weights leaves nothing for the next one to read.
		 */
		if (s->be.opts.release_weights &&
		    !mnet_model_weights_intact(s->be.model))
			return mnet_err_set(err, ret,
					    "%s: the %s backend failed after freeing part of the weights (release_weights), so no other backend can be tried: %s",
					    s->be.model->name, ops->name, note.msg);
	}
	if (want == MNET_BACKEND_AUTO)
		return mnet_err_set(err, ret, "no backend could run %s: %s",
				    s->be.model->name, note.msg);
	return mnet_err_set(err, -ENODEV,
			    "backend not available in this build");
}

static float *out_buf(const struct mnet_session *s, int i, size_t *n);

static void free_outputs(struct mnet_session *s)
{
	size_t k;

	for (k = 0; k < MNET_MAX_OUTPUTS; k++)
		free(s->dev[k]);
	for (k = 0; k < MNET_MAX_OUTPUTS * MNET_CUSTOM_MAX_IO; k++)
		free(s->cust[k]);
	for (k = 0; k < MNET_MAX_OUTPUTS; k++)
		free(s->cscratch[k]);
}

/* A buffer per device output and per custom layer output. */
static int alloc_outputs(struct mnet_session *s)
{
	const struct mnet_model *m = s->be.model;
	size_t n;
	int k, j;

	for (k = 0; k < mnet_model_n_outputs(m); k++) {
		n = mnet_shape_elems(m->tensors[mnet_model_device_output(m, k)].shape);
		s->dev[k] = calloc(n, sizeof(float));
		if (!s->dev[k])
			return -ENOMEM;
		s->own_bytes += n * sizeof(float);
	}
	for (k = 0; k < m->n_custom; k++) {
		if (m->custom[k].scratch) {
			s->cscratch[k] = malloc(m->custom[k].scratch);
			if (!s->cscratch[k])
				return -ENOMEM;
			s->own_bytes += m->custom[k].scratch;
		}
		for (j = 0; j < m->custom[k].n_out; j++) {
			n = mnet_shape_elems(m->custom[k].out_shape[j]);
			s->cust[k * MNET_CUSTOM_MAX_IO + j] =
				calloc(n, sizeof(float));
			if (!s->cust[k * MNET_CUSTOM_MAX_IO + j])
				return -ENOMEM;
			s->own_bytes += n * sizeof(float);
		}
	}
	s->output = out_buf(s, 0, &s->n_out);
	return 0;
}

/* The buffer of public output @i and its float count. */
static float *out_buf(const struct mnet_session *s, int i, size_t *n)
{
	const struct mnet_model *m = s->be.model;
	const struct mnet_model_output *fo;
	int k;

	if (m->n_file_out == 0 || (i == 0 && m->file_out[0].tensor >= 0)) {
		*n = mnet_shape_elems(m->tensors[m->output].shape);
		return s->dev[0];
	}
	fo = &m->file_out[i];
	if (fo->custom >= 0) {
		*n = mnet_shape_elems(m->custom[fo->custom].out_shape[fo->custom_out]);
		return s->cust[fo->custom * MNET_CUSTOM_MAX_IO + fo->custom_out];
	}
	for (k = 0; k < mnet_model_n_outputs(m); k++)
		if (mnet_model_device_output(m, k) == fo->tensor) {
			*n = mnet_shape_elems(m->tensors[fo->tensor].shape);
			return s->dev[k];
		}
	*n = 0;
	return NULL;	/* validation rules this out */
}

/* Device output @k past the first, after a run, into its buffer. */
static int read_device_output(struct mnet_session *s, int k)
{
	const struct mnet_model *m = s->be.model;
	int t = mnet_model_device_output(m, k), i, ret = -EOPNOTSUPP;
	size_t n = mnet_shape_elems(m->tensors[t].shape);

	if (s->be.ops->output_read)
		ret = s->be.ops->output_read(&s->be, t, s->dev[k], n);
	if (ret != -EOPNOTSUPP)
		return ret;
	if (!s->be.ops->layer_output)
		return -EOPNOTSUPP;
	for (i = m->n_layers - 1; i >= 0; i--)
		if (m->layers[i].out == t)
			return s->be.ops->layer_output(&s->be, i, s->dev[k], n);
	return -EINVAL;
}

/*
 * After the backend's run: the other device outputs, then the custom
 * layers on the host, timed together (mnet_session_host_ms()).
 */
static int finish_run(struct mnet_session *s)
{
	const struct mnet_model *m = s->be.model;
	double t0;
	int k, ret = 0;

	if (mnet_model_n_outputs(m) == 1 && !m->n_custom)
		return 0;
	t0 = mnet_now_ms();
	for (k = 1; k < mnet_model_n_outputs(m) && !ret; k++)
		ret = read_device_output(s, k);
	if (!ret && m->n_custom)
		ret = mnet_custom_layers_run(m, s->dev, s->cust, s->cscratch);
	s->host_ms = mnet_now_ms() - t0;
	return ret;
}

double mnet_session_host_ms(const struct mnet_session *s)
{
	return s && s->has_run ? s->host_ms : 0.0;
}

int mnet_session_create(const struct mnet_model *m,
			const struct mnet_session_opts *opts,
			struct mnet_session **out, struct mnet_err *err)
{
	double t0 = mnet_now_ms();
	struct mnet_session *s;
	const char *why;
	int ret;

	if (!m || !out)
		return mnet_err_set(err, -EINVAL, "session: no model given");
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
	if (opts && opts->release_weights)
		ret = mnet_model_weights_take(m, err);
	else
		ret = mnet_model_weights_get(m, "session", err);
	if (ret)
		return ret;
	s = calloc(1, sizeof(*s));
	if (!s) {
		ret = mnet_err_set(err, -ENOMEM, "session: out of memory");
		goto out_put;
	}
	s->be.model = m;
	if (opts)
		s->be.opts = *opts;
	else
		mnet_session_opts_init(&s->be.opts);
	if (s->be.opts.threads < 0) {
		ret = mnet_err_set(err, -EINVAL, "session: threads must be >= 0");
		goto out_free;
	}
	if (s->be.opts.precision == MNET_PRECISION_INT8 &&
	    !mnet_model_is_quantized(m, &why)) {
		ret = mnet_err_set(err, -EINVAL, "session: %s: precision int8 needs a quantized model: %s",
				   m->name, why);
		goto out_free;
	}
	ret = memory_cap(&s->be.opts, &s->cap, err);
	if (ret)
		goto out_free;
	s->n_in = mnet_shape_elems(m->tensors[m->input].shape);
	s->own_bytes = sizeof(*s) + s->n_in * sizeof(float) +
		       (uint64_t)m->n_layers * sizeof(*s->times);
	s->input = malloc(s->n_in * sizeof(float));
	s->times = calloc(m->n_layers, sizeof(*s->times));
	if (!s->input || !s->times || alloc_outputs(s)) {
		ret = mnet_err_set(err, -ENOMEM, "session: out of memory");
		goto out_free;
	}
	ret = pick_backend(s, err);
	if (ret)
		goto out_free;
	ret = finish_weights(s, err);
	if (ret)
		goto out_fini;
	s->create_ms = mnet_now_ms() - t0;
	*out = s;
	return 0;

out_fini:
	s->be.ops->fini(&s->be);
out_free:
	free(s->times);
	free_outputs(s);
	free(s->input);
	free(s);
out_put:
	if (!opts || !opts->release_weights)
		mnet_model_weights_put(m);
	else if (mnet_model_weights_give_back(m, 0) && err)
		snprintf(err->msg + strlen(err->msg),
			 sizeof(err->msg) - strlen(err->msg),
			 " (the weights freed so far stay released)");
	return ret;
}

void mnet_session_destroy(struct mnet_session *s)
{
	if (!s)
		return;
	if (s->be.ops)
		s->be.ops->fini(&s->be);
	if (s->pinned)
		mnet_model_weights_unpin(s->be.model, s->be.ops->kind);
	free(s->times);
	free_outputs(s);
	free(s->input);
	free(s);
}

enum mnet_precision mnet_session_precision(const struct mnet_session *s)
{
	const char *n = s->be.name;

	if (s->be.opts.precision != MNET_PRECISION_AUTO)
		return s->be.opts.precision;
	/* what a backend chose for auto shows in the name it gave itself */
	if (strstr(n, "int8"))
		return MNET_PRECISION_INT8;
	if (strstr(n, "fp16-storage"))
		return MNET_PRECISION_FP16_STORAGE;
	if (strstr(n, "fp16"))
		return MNET_PRECISION_FP16;
	return MNET_PRECISION_FP32;
}

const char *mnet_session_backend_name(const struct mnet_session *s)
{
	return s->be.name;
}

const char *mnet_session_device_name(const struct mnet_session *s)
{
	return s->be.device;
}

void mnet_session_startup(const struct mnet_session *s,
			  struct mnet_startup *out)
{
	memset(out, 0, sizeof(*out));
	if (s->be.ops->startup)
		s->be.ops->startup(&s->be, out);
	out->total_ms = s->create_ms;
}

int mnet_session_run(struct mnet_session *s, const float *input, size_t count)
{
	int ret;

	if (!s || !input || count != s->n_in)
		return -EINVAL;
	ret = s->be.ops->run(&s->be, input, s->dev[0], s->times);
	if (!ret)
		ret = finish_run(s);
	if (ret)
		return ret;
	s->has_run = 1;
	return 0;
}

int mnet_session_run_quantized(struct mnet_session *s, const void *input,
			       size_t bytes)
{
	int ret;

	if (!s || !input || bytes != s->n_in)
		return -EINVAL;
	if (!s->be.ops->run_quantized)
		return -EOPNOTSUPP;
	ret = s->be.ops->run_quantized(&s->be, input, s->dev[0], s->times);
	if (!ret)
		ret = finish_run(s);
	if (ret)
		return ret;
	s->has_run = 1;
	return 0;
}

int mnet_session_run_image(struct mnet_session *s,
			   const struct mnet_image *img, float crop)
{
	int ret;

	ret = mnet_image_preprocess(img, s->be.model, crop, s->input, s->n_in);
	if (ret)
		return ret;
	return mnet_session_run(s, s->input, s->n_in);
}

const float *mnet_session_output(const struct mnet_session *s, size_t *count)
{
	if (count)
		*count = s->n_out;
	return s->output;
}

int mnet_session_output_read(const struct mnet_session *s, int i, float *dst,
			     size_t count)
{
	const float *src;
	size_t n;

	if (!s || !dst || i < 0 || i >= mnet_model_output_count(s->be.model))
		return -EINVAL;
	src = out_buf(s, i, &n);
	if (!src || count < n)
		return -EINVAL;
	if (!s->has_run)
		return -ENODATA;
	memcpy(dst, src, n * sizeof(*dst));
	return 0;
}

/* Round to nearest (half away from zero) and clamp to [lo, hi]. */
static double quant_code(float v, const struct mnet_output_info *o,
			 double lo, double hi)
{
	double q = (double)v;

	if (o->scale > 0.0f)
		q = q / (double)o->scale + (double)o->zero_point;
	q = q < 0.0 ? ceil(q - 0.5) : floor(q + 0.5);
	if (!(q >= lo))		/* NaN too */
		return lo;
	return q > hi ? hi : q;
}

int mnet_session_output_read_raw(const struct mnet_session *s, int i,
				 void *dst, size_t bytes)
{
	static const size_t size[] = {
		[MNET_DTYPE_FLOAT32] = 4, [MNET_DTYPE_UINT8] = 1,
		[MNET_DTYPE_INT8] = 1, [MNET_DTYPE_INT32] = 4,
		[MNET_DTYPE_INT64] = 8, [MNET_DTYPE_INT16] = 2,
	};
	struct mnet_output_info o;
	const float *src;
	size_t k, n;

	if (!s || !dst || mnet_model_output_info(s->be.model, i, &o) ||
	    (unsigned int)o.type >= sizeof(size) / sizeof(size[0]))
		return -EINVAL;
	src = out_buf(s, i, &n);
	if (!src || bytes / size[o.type] < n)
		return -EINVAL;
	if (!s->has_run)
		return -ENODATA;
	for (k = 0; k < n; k++) {
		float v = src[k];

		if (o.type == MNET_DTYPE_FLOAT32)
			((float *)dst)[k] = v;
		else if (o.type == MNET_DTYPE_UINT8)
			((uint8_t *)dst)[k] = (uint8_t)quant_code(v, &o, 0, 255);
		else if (o.type == MNET_DTYPE_INT8)
			((int8_t *)dst)[k] = (int8_t)quant_code(v, &o, -128,
								127);
		else if (o.type == MNET_DTYPE_INT16)
			((int16_t *)dst)[k] = (int16_t)quant_code(v, &o, -32768,
								  32767);
		else if (o.type == MNET_DTYPE_INT32)
			((int32_t *)dst)[k] = (int32_t)quant_code(v, &o,
								  INT32_MIN,
								  INT32_MAX);
		else
			((int64_t *)dst)[k] = (int64_t)quant_code(v, &o,
								  -9.0e18,
								  9.0e18);
	}
	return 0;
}

int mnet_session_topk(const struct mnet_session *s, int k,
		      struct mnet_class *out)
{
	int n = (int)s->n_out, i, j;

	if (k < 1 || !out)
		return -EINVAL;
	if (k > n)
		k = n;
	/* insertion into a sorted list of k: k is small (5, 10) */
	for (i = 0; i < k; i++)
		out[i] = (struct mnet_class){ .index = -1, .score = 0 };
	for (i = 0; i < n; i++) {
		float v = s->output[i];

		if (out[k - 1].index >= 0 && v <= out[k - 1].score)
			continue;
		for (j = k - 1; j > 0 && (out[j - 1].index < 0 ||
					  v > out[j - 1].score); j--)
			out[j] = out[j - 1];
		out[j] = (struct mnet_class){ .index = i, .score = v };
	}
	return k;
}

int mnet_session_layer_times(const struct mnet_session *s,
			     struct mnet_layer_time *times)
{
	if (!s->has_run)
		return -ENODATA;
	memcpy(times, s->times, s->be.model->n_layers * sizeof(*times));
	return 0;
}

int mnet_session_layer_output(struct mnet_session *s, int layer, float *dst,
			      size_t count)
{
	if (layer < 0 || layer >= s->be.model->n_layers || !dst)
		return -EINVAL;
	if (!s->has_run)
		return -ENODATA;
	if (!s->be.ops->layer_output)
		return -EOPNOTSUPP;
	return s->be.ops->layer_output(&s->be, layer, dst, count);
}

struct mnet_backend *mnet_session_backend(struct mnet_session *s)
{
	return &s->be;
}

float *mnet_session_input_buffer(struct mnet_session *s, size_t *count)
{
	*count = s->n_in;
	return s->input;
}

void mnet_session_note_frame(struct mnet_session *s, double convert_ms,
			     double infer_ms)
{
	s->frame_ms[0] = convert_ms;
	s->frame_ms[1] = infer_ms;
}

void mnet_session_frame_times(const struct mnet_session *s,
			      double *convert_ms, double *infer_ms)
{
	if (convert_ms)
		*convert_ms = s->frame_ms[0];
	if (infer_ms)
		*infer_ms = s->frame_ms[1];
}

int mnet_session_run_device_frame(struct mnet_session *s,
				  const struct mnet_fconv *fc)
{
	int ret;

	if (!s->be.ops->run_frame)
		return -EOPNOTSUPP;
	ret = s->be.ops->run_frame(&s->be, fc, s->dev[0], s->times);
	if (!ret)
		ret = finish_run(s);
	if (ret)
		return ret;
	s->has_run = 1;
	return 0;
}
