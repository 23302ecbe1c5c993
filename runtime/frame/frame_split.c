// SPDX-License-Identifier: Apache-2.0
/*
 * frame_split.c - cutting a model in two for a split stream
 *
 * DOC: split streams
 *
 * On a phone the GPU and the CPU are two processors.  A stream whose
 * session runs on OpenCL keeps the device busy with every layer while
 * the host only converts frames (a few percent of a frame), so
 * pipelining alone gains little.  A split stream runs layers [0, k) of
 * frame N + 1 on the device while the host's CPU backend runs layers
 * [k, n) of frame N: two sessions, each on a view of the model that
 * holds one part of the layers (mnet_frame_split_view()), so neither
 * backend needs to know about the other.
 *
 * A cut is valid where one tensor crosses it (a V2 residual must not
 * span it).  The tensor crosses as floats: in fp32 that is what the
 * unsplit session computes; in int8 the device part dequantizes with the
 * tensor's own scale and zero point and the host part quantizes with the
 * same, which gives back the same bytes, so the split stream's outputs
 * equal the unsplit session's on the same backends.
 *
 * Where to cut is measured once per stream (frame_stream.c): the whole
 * model's time on the device and its per-layer times on the host, and
 * mnet_frame_split_choose() balances the two parts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "frame/frame_split.h"
#include "model/model.h"
#include "model/model_weights.h"
#include "session/session_priv.h"
#include "support/clock.h"
#include "support/err.h"

/* The layers that read tensor @t, from layer @from on. */
static int read_from(const struct mnet_model *m, int t, int from)
{
	int i;

	for (i = from; i < m->n_layers; i++)
		if (m->layers[i].in == t || m->layers[i].in2 == t)
			return 1;
	return 0;
}

int mnet_frame_split_ok(const struct mnet_model *m, int k)
{
	int i, cross;

	if (k < 1 || k >= m->n_layers || m->n_custom ||
	    mnet_model_n_outputs(m) > 1)
		return 0;
	cross = m->layers[k - 1].out;
	if (m->layers[k].in != cross || m->layers[k].in2 >= 0 ||
	    cross == m->output)
		return 0;
	if (read_from(m, m->input, k))
		return 0;
	for (i = 0; i < k; i++)
		if (m->layers[i].out != cross &&
		    (read_from(m, m->layers[i].out, k) ||
		     m->layers[i].out == m->output))
			return 0;
	return 1;
}

/* Index of old tensor @t in the view, adding it when new. */
static int map_tensor(int *map, int *n, int t)
{
	if (t < 0)
		return -1;
	if (map[t] < 0)
		map[t] = (*n)++;
	return map[t];
}

static void copy_layers(const struct mnet_model *m, int first, int end,
			int *map, int *nt, struct mnet_model *v)
{
	int i;

	for (i = first; i < end; i++) {
		struct mnet_layer *l = &v->layers[i - first];

		*l = m->layers[i];
		l->in = map_tensor(map, nt, l->in);
		l->in2 = map_tensor(map, nt, l->in2);
		l->out = map_tensor(map, nt, l->out);
	}
}

int mnet_frame_split_view(const struct mnet_model *m, int first, int end,
			  struct mnet_model **out)
{
	struct mnet_model *v;
	int *map, nt = 0, i, in;

	if (first < 0 || end > m->n_layers || first >= end ||
	    (first > 0 && !mnet_frame_split_ok(m, first)) ||
	    (end < m->n_layers && !mnet_frame_split_ok(m, end)))
		return -EINVAL;
	map = malloc((size_t)m->n_tensors * sizeof(*map));
	v = mnet_model_alloc(end - first, m->n_tensors);
	if (!map || !v) {
		free(map);
		mnet_model_free(v);
		return -ENOMEM;
	}
	for (i = 0; i < m->n_tensors; i++)
		map[i] = -1;
	in = first ? m->layers[first].in : m->input;
	v->input = map_tensor(map, &nt, in);
	copy_layers(m, first, end, map, &nt, v);
	for (i = 0; i < m->n_tensors; i++)
		if (map[i] >= 0)
			v->tensors[map[i]] = m->tensors[i];
	v->n_tensors = nt;
	memcpy(v->name, m->name, sizeof(v->name));
	memcpy(v->int8_block, m->int8_block, sizeof(v->int8_block));
	v->input_quant = m->input_quant;
	v->input_q = first ? m->tensors[in].q : m->input_q;
	if (end == m->n_layers) {
		v->output = map[m->output];
		v->output_q = m->output_q;
		v->output_type = m->output_type;
		v->output_kind = m->output_kind;
		v->n_file_out = m->n_file_out;
		memcpy(v->file_out, m->file_out, sizeof(v->file_out));
		for (i = 0; i < v->n_file_out; i++)
			if (v->file_out[i].tensor >= 0)
				v->file_out[i].tensor =
					map[v->file_out[i].tensor];
	} else {
		v->output = map[m->layers[end - 1].out];
		v->output_q = v->tensors[v->output].q;
		v->output_type = MNET_DTYPE_FLOAT32;
		v->output_kind = MNET_OUTPUT_EMBEDDING;
	}
	v->outputs[0] = v->output;
	v->n_outputs = 1;
	free(map);
	*out = v;
	return 0;
}

void mnet_frame_split_view_free(struct mnet_model *v)
{
	int i;

	if (!v)
		return;
	for (i = 0; i < v->n_layers; i++) {
		v->layers[i].weights = NULL;
		v->layers[i].bias = NULL;
		v->layers[i].q = NULL;
	}
	mnet_model_free(v);
}

int mnet_frame_split_choose(const struct mnet_model *m, double dev_ms,
			    const double *host)
{
	double total = 0.0, head = 0.0, best_cost = 0.0;
	int k, best = 0;

	for (k = 0; k < m->n_layers; k++)
		total += host[k] > 0.0 ? host[k] : 0.0;
	if (total <= 0.0 || dev_ms <= 0.0)
		return 0;
	for (k = 1; k < m->n_layers; k++) {
		double dev, tail, cost;

		head += host[k - 1] > 0.0 ? host[k - 1] : 0.0;
		if (!mnet_frame_split_ok(m, k))
			continue;
		dev = dev_ms * head / total;
		tail = total - head;
		cost = dev > tail ? dev : tail;
		if (!best || cost < best_cost) {
			best = k;
			best_cost = cost;
		}
	}
	return best;
}

/* Timed runs per side; the fastest counts (other load only adds time). */
#define MEASURE_RUNS 3

/* The host's per-layer times of the whole model, fastest of the runs. */
static int measure_host(const struct mnet_model *m,
			const struct mnet_session_opts *to, const float *in,
			size_t n, double *host)
{
	struct mnet_layer_time *t;
	struct mnet_session *cpu = NULL;
	int r, i, ret;

	t = calloc((size_t)m->n_layers, sizeof(*t));
	if (!t)
		return -ENOMEM;
	ret = mnet_session_create(m, to, &cpu, NULL);
	if (!ret)
		ret = mnet_session_run(cpu, in, n);	/* warm-up */
	for (r = 0; !ret && r < MEASURE_RUNS; r++) {
		ret = mnet_session_run(cpu, in, n);
		if (!ret)
			ret = mnet_session_layer_times(cpu, t);
		for (i = 0; !ret && i < m->n_layers; i++)
			if (!r || t[i].ms < host[i])
				host[i] = t[i].ms;
	}
	mnet_session_destroy(cpu);
	free(t);
	return ret;
}

/* The stream session's whole-model time, and the host's per layer. */
static int measure(struct mnet_session *s, const struct mnet_session_opts *to,
		   double *dev_ms, double *host)
{
	struct mnet_backend *be = mnet_session_backend(s);
	size_t n;
	float *in = mnet_session_input_buffer(s, &n);
	int r, ret;

	memset(in, 0, n * sizeof(*in));
	ret = mnet_session_run(s, in, n);	/* warm-up */
	for (r = 0; !ret && r < MEASURE_RUNS; r++) {
		double t0 = mnet_now_ms(), ms;

		ret = mnet_session_run(s, in, n);
		ms = mnet_now_ms() - t0;
		if (!r || ms < *dev_ms)
			*dev_ms = ms;
	}
	if (ret)
		return ret;
	return measure_host(be->model, to, in, n, host);
}

static int forced_cut(const struct mnet_model *m, int *k)
{
	const char *e = getenv("MNET_STREAM_SPLIT");
	char *end;
	long v;

	if (!e || !*e)
		return 0;
	v = strtol(e, &end, 10);
	if (*end || v < 0 || (v > 0 && !mnet_frame_split_ok(m, (int)v)))
		return -EINVAL;
	*k = (int)v;
	return 1;
}

/* Which cut, before anything is built: 0 none, else the layer. */
static int pick_cut(struct mnet_session *s, const struct mnet_session_opts *to,
		    int *forced, struct mnet_err *err)
{
	struct mnet_backend *be = mnet_session_backend(s);
	const struct mnet_model *m = be->model;
	double dev_ms, *host;
	int k = 0, ret;

	ret = forced_cut(m, &k);
	if (ret < 0)
		return mnet_err_set(err, -EINVAL,
				    "stream: MNET_STREAM_SPLIT=%s: no valid cut of %s (a layer 1..%d that only the one before feeds)",
				    getenv("MNET_STREAM_SPLIT"), m->name,
				    m->n_layers - 1);
	*forced = ret;
	if (ret || be->ops->kind != MNET_BACKEND_OPENCL || m->n_layers < 2)
		return k;
	host = calloc((size_t)m->n_layers, sizeof(*host));
	if (!host)
		return mnet_err_set(err, -ENOMEM, "stream: out of memory");
	if (!measure(s, to, &dev_ms, host))
		k = mnet_frame_split_choose(m, dev_ms, host);
	free(host);
	return k;
}

static int build(const struct mnet_session_opts *ho,
		 const struct mnet_session_opts *to,
		 struct mnet_frame_split *sp, struct mnet_err *err)
{
	const struct mnet_model *m = sp->parent;
	const struct mnet_tensor *t;
	int ret;

	ret = mnet_frame_split_view(m, 0, sp->k, &sp->head_m);
	if (!ret)
		ret = mnet_frame_split_view(m, sp->k, m->n_layers, &sp->tail_m);
	if (ret)
		return mnet_err_set(err, ret, "stream: cannot cut %s (%s)",
				    m->name, mnet_strerror(ret));
	ret = mnet_session_create(sp->head_m, ho, &sp->head, err);
	if (!ret)
		ret = mnet_session_create(sp->tail_m, to, &sp->tail, err);
	t = &sp->tail_m->tensors[sp->tail_m->input];
	sp->n_mid = mnet_shape_elems(t->shape);
	return ret;
}

int mnet_frame_split_init(struct mnet_session *s, struct mnet_frame_split *sp,
			  struct mnet_err *err)
{
	struct mnet_backend *be = mnet_session_backend(s);
	struct mnet_session_opts ho = be->opts, to = be->opts;
	enum mnet_precision p = mnet_session_precision(s);
	int forced = 0, k, ret;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(sp, 0, sizeof(*sp));
	ho.backend = be->ops->kind;
	ho.precision = p;
	to.backend = MNET_BACKEND_CPU;
	to.precision = p == MNET_PRECISION_INT8 ? p : MNET_PRECISION_FP32;
	/* the device has its cores; the host's part gets the rest */
	if (!to.threads)
		to.threads = cores > 1 ? (int)cores - 1 : 1;
	to.profile = 0;
	k = pick_cut(s, &to, &forced, err);
	if (k <= 0)
		return k;
	ret = mnet_model_weights_get(be->model, "stream", forced ? err : NULL);
	if (ret)
		return forced ? ret : 0;
	sp->parent = be->model;
	sp->k = k;
	ret = build(&ho, &to, sp, forced ? err : NULL);
	if (ret) {
		mnet_frame_split_fini(sp);
		return forced ? ret : 0;
	}
	return 0;
}

void mnet_frame_split_fini(struct mnet_frame_split *sp)
{
	mnet_session_destroy(sp->tail);
	mnet_session_destroy(sp->head);
	mnet_frame_split_view_free(sp->tail_m);
	mnet_frame_split_view_free(sp->head_m);
	if (sp->parent)
		mnet_model_weights_put(sp->parent);
	memset(sp, 0, sizeof(*sp));
}
