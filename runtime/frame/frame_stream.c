// SPDX-License-Identifier: Apache-2.0
/*
 * frame_stream.c - pipelined frames: submit now, collect the result later
 *
 * DOC: streams
 *
 * A camera app wants the conversion of frame N+1 (and its capture or
 * decode) to overlap the inference of frame N.  A stream has @depth
 * slots, each an input tensor and an output copy, in a ring indexed by
 * frame number, and one thread that runs the session.  Submitting
 * converts on the caller's thread, straight into a free slot, so the
 * app's frame can be recycled as soon as the call returns; the stream's
 * thread runs the slots in order and copies each output into its slot.
 * Waiting hands results back in submission order, each with its own
 * status, so a device failure on one frame is that frame's result.
 *
 * The host conversion is used on every backend, also on OpenCL, whose
 * synchronous path converts on the device: in a pipeline the host's core
 * converts while the device computes, which is the point of it.  It runs
 * on the submitting thread alone, because the session's thread pool is
 * busy with the inference it overlaps.
 *
 * A split stream (frame_split.c) has two threads in a row: the first
 * runs the device's part of each frame into the slot's @mid tensor, the
 * second the host's part from there, so frame N + 1 is on the device
 * while frame N is on the host.  Each stage takes the frames in order and
 * a frame that failed in the first stage is passed over by the second, so
 * its error is its own and the frames after it go on.
 *
 * Bounded: a submit with @depth frames uncollected returns -EAGAIN, never
 * blocks, so a caller that forgets to wait cannot deadlock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "frame/frame.h"
#include "frame/frame_split.h"
#include "session/session_priv.h"
#include "support/clock.h"
#include "support/err.h"

#define STREAM_MAX_DEPTH 16
#define STREAM_MAX_STAGES 2

enum slot_state { SLOT_FREE, SLOT_QUEUED, SLOT_DONE };

/**
 * struct stream_slot - one frame in flight
 * @input: its converted input tensor
 * @mid: the tensor that crosses a split's cut, or NULL (not split)
 * @output: copy of its output
 * @state: free, queued for the threads, or done
 * @res: its result, filled as it goes
 */
struct stream_slot {
	float *input;
	float *mid;
	float *output;
	enum slot_state state;
	struct mnet_stream_result res;
};

struct mnet_stream;

/**
 * struct stream_stage - one thread of the pipeline and the session it runs
 * @st: the stream
 * @idx: 0: from the input; 1: the host's part of a split, from @mid
 * @s: the session this stage runs
 * @ran: frames this stage has finished
 * @stop: exit once every frame of the stage before ran here
 * @thread: the thread
 */
struct stream_stage {
	struct mnet_stream *st;
	int idx;
	struct mnet_session *s;
	uint64_t ran;
	int stop;
	pthread_t thread;
};

/**
 * struct mnet_stream - a session with a pipeline in front of it
 * @s: the session
 * @n_in: input floats
 * @n_out: output floats
 * @depth: slots
 * @slots: the ring, frame number modulo @depth
 * @tabs: conversion tables scratch (submitting thread only)
 * @kern: the host converter
 * @bytes: slots hold the model's input bytes, not floats
 *         (mnet_frame_session_bytes() of the first stage's session)
 * @split: the two sessions of a split stream (@split.k 0: not split)
 * @stages: the threads: one, or two for a split stream
 * @n_stages: entries of @stages
 * @submitted: frames submitted
 * @collected: frames handed back by wait
 * @mu: protects the counters, the stop flags and the slot states
 * @cv: signalled when a frame is queued, moves on or a stop is set
 */
struct mnet_stream {
	struct mnet_session *s;
	size_t n_in, n_out;
	int depth;
	struct stream_slot *slots;
	void *tabs;
	const struct mnet_fconv_kernel *kern;
	int bytes;
	struct mnet_frame_split split;
	struct stream_stage stages[STREAM_MAX_STAGES];
	int n_stages;
	uint64_t submitted, collected;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* Frames the stage before @g has handed on (under @mu). */
static uint64_t upstream(const struct stream_stage *g)
{
	return g->idx ? g->st->stages[g->idx - 1].ran : g->st->submitted;
}

/* Run @g's part of the frame in @sl; 0 or the error, as the frame's. */
static int stage_run(struct stream_stage *g, struct stream_slot *sl)
{
	struct mnet_stream *st = g->st;
	int last = g->idx == st->n_stages - 1;
	const float *src = g->idx ? sl->mid : sl->input;
	size_t n = g->idx ? st->split.n_mid : st->n_in;
	const float *out;
	double t0 = mnet_now_ms();
	int ret;

	if (!g->idx && st->bytes)
		ret = mnet_session_run_quantized(g->s, src, n);
	else
		ret = mnet_session_run(g->s, src, n);
	sl->res.infer_ms += mnet_now_ms() - t0;
	if (ret)
		return ret;
	out = mnet_session_output(g->s, NULL);
	if (last)
		memcpy(sl->output, out, st->n_out * sizeof(float));
	else
		memcpy(sl->mid, out, st->split.n_mid * sizeof(float));
	return 0;
}

static void *stage_thread(void *arg)
{
	struct stream_stage *g = arg;
	struct mnet_stream *st = g->st;
	int last = g->idx == st->n_stages - 1;

	pthread_mutex_lock(&st->mu);
	for (;;) {
		struct stream_slot *sl;
		int ret;

		while (g->ran == upstream(g) && !g->stop)
			pthread_cond_wait(&st->cv, &st->mu);
		if (g->ran == upstream(g))
			break;
		sl = &st->slots[g->ran % st->depth];
		pthread_mutex_unlock(&st->mu);
		/* a frame that failed before stays failed: skip it */
		if (!sl->res.status) {
			ret = stage_run(g, sl);
			if (ret) {
				sl->res.status = ret;
				mnet_err_set(&sl->res.err, ret,
					     "frame %llu: inference failed (%s)",
					     (unsigned long long)sl->res.frame,
					     mnet_strerror(ret));
			}
		}
		pthread_mutex_lock(&st->mu);
		if (last)
			sl->state = SLOT_DONE;
		g->ran++;
		pthread_cond_broadcast(&st->cv);
	}
	pthread_mutex_unlock(&st->mu);
	return NULL;
}

static void free_slots(struct mnet_stream *st)
{
	int i;

	for (i = 0; st->slots && i < st->depth; i++) {
		free(st->slots[i].input);
		free(st->slots[i].mid);
		free(st->slots[i].output);
	}
	free(st->slots);
	free(st->tabs);
}

static int alloc_slots(struct mnet_stream *st)
{
	int i;

	st->slots = calloc((size_t)st->depth, sizeof(*st->slots));
	if (!st->slots)
		return -ENOMEM;
	for (i = 0; i < st->depth; i++) {
		struct stream_slot *sl = &st->slots[i];

		sl->input = malloc(st->n_in * sizeof(float));
		sl->output = malloc(st->n_out * sizeof(float));
		if (st->split.k)
			sl->mid = malloc(st->split.n_mid * sizeof(float));
		if (!sl->input || !sl->output || (st->split.k && !sl->mid))
			return -ENOMEM;
	}
	return 0;
}

/* Ask stages [0, @n) to stop, in order, each after the one before. */
static void stop_stages(struct mnet_stream *st, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		pthread_mutex_lock(&st->mu);
		st->stages[i].stop = 1;
		pthread_cond_broadcast(&st->cv);
		pthread_mutex_unlock(&st->mu);
		pthread_join(st->stages[i].thread, NULL);
	}
}

static int start_stages(struct mnet_stream *st)
{
	int i;

	st->n_stages = st->split.k ? 2 : 1;
	st->stages[0].s = st->split.k ? st->split.head : st->s;
	st->stages[1].s = st->split.tail;
	for (i = 0; i < st->n_stages; i++) {
		st->stages[i].st = st;
		st->stages[i].idx = i;
		if (pthread_create(&st->stages[i].thread, NULL, stage_thread,
				   &st->stages[i])) {
			stop_stages(st, i);
			return -EAGAIN;
		}
	}
	return 0;
}

int mnet_stream_create(struct mnet_session *s, int depth,
		       struct mnet_stream **out, struct mnet_err *err)
{
	const struct mnet_model *m;
	struct mnet_stream *st;
	struct mnet_fconv fc;
	int ret;

	if (!s || !out || depth < 1 || depth > STREAM_MAX_DEPTH)
		return mnet_err_set(err, -EINVAL,
				    "stream: needs a session and a depth of 1 to %d",
				    STREAM_MAX_DEPTH);
	st = calloc(1, sizeof(*st));
	if (!st)
		return mnet_err_set(err, -ENOMEM, "stream: out of memory");
	st->s = s;
	st->depth = depth;
	m = mnet_session_backend(s)->model;
	mnet_session_input_buffer(s, &st->n_in);
	mnet_session_output(s, &st->n_out);
	ret = mnet_frame_split_init(s, &st->split, err);
	if (ret)
		goto out_free;
	st->kern = mnet_fconv_kernel_get(getenv("MNET_CPU"));
	st->bytes = mnet_frame_session_bytes(st->split.k ? st->split.head : s,
					     st->kern);
	fc.ow = mnet_model_input_shape(m).w;
	fc.oh = mnet_model_input_shape(m).h;
	st->tabs = malloc(mnet_fconv_tabs_bytes(&fc));
	if (!st->tabs || alloc_slots(st)) {
		ret = mnet_err_set(err, -ENOMEM, "stream: out of memory");
		goto out_free_slots;
	}
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->cv, NULL);
	ret = start_stages(st);
	if (ret) {
		mnet_err_set(err, ret, "stream: cannot start its threads");
		goto out_destroy_sync;
	}
	*out = st;
	return 0;

out_destroy_sync:
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->mu);
out_free_slots:
	free_slots(st);
	mnet_frame_split_fini(&st->split);
out_free:
	free(st);
	return ret;
}

int mnet_stream_split_layer(const struct mnet_stream *st)
{
	return st ? st->split.k : 0;
}

int mnet_stream_submit(struct mnet_stream *st, const struct mnet_frame *f,
		       struct mnet_err *err)
{
	const struct mnet_model *m;
	struct stream_slot *sl;
	struct mnet_fconv fc;
	uint64_t n;
	double t0;
	int ret;

	if (!st)
		return mnet_err_set(err, -EINVAL, "stream: no stream given");
	pthread_mutex_lock(&st->mu);
	n = st->submitted;
	ret = n - st->collected >= (uint64_t)st->depth ? -EAGAIN : 0;
	pthread_mutex_unlock(&st->mu);
	if (ret)
		return mnet_err_set(err, ret,
				    "stream: %d frames in flight; collect one with mnet_stream_wait() first",
				    st->depth);
	/* the slot is free: only this thread touches it until it is queued */
	sl = &st->slots[n % st->depth];
	m = mnet_session_backend(st->s)->model;
	t0 = mnet_now_ms();
	ret = mnet_frame_resolve(f, m, sl->input, st->n_in, &fc, err);
	if (ret)
		return ret;
	if (st->bytes)
		fc.dst_u8 = (uint8_t *)sl->input;
	mnet_fconv_run(&fc, st->kern, NULL, st->tabs);
	memset(&sl->res, 0, sizeof(sl->res));
	sl->res.convert_ms = mnet_now_ms() - t0;
	sl->res.frame = n;
	pthread_mutex_lock(&st->mu);
	sl->state = SLOT_QUEUED;
	st->submitted++;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
	return 0;
}

int mnet_stream_wait(struct mnet_stream *st, struct mnet_stream_result *res)
{
	struct stream_slot *sl;

	if (!st || !res)
		return -EINVAL;
	pthread_mutex_lock(&st->mu);
	if (st->collected == st->submitted) {
		pthread_mutex_unlock(&st->mu);
		return -ENODATA;
	}
	sl = &st->slots[st->collected % st->depth];
	while (sl->state != SLOT_DONE)
		pthread_cond_wait(&st->cv, &st->mu);
	*res = sl->res;
	res->output = sl->res.status ? NULL : sl->output;
	res->count = sl->res.status ? 0 : st->n_out;
	sl->state = SLOT_FREE;
	st->collected++;
	pthread_mutex_unlock(&st->mu);
	return 0;
}

void mnet_stream_destroy(struct mnet_stream *st)
{
	if (!st)
		return;
	stop_stages(st, st->n_stages);
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->mu);
	free_slots(st);
	mnet_frame_split_fini(&st->split);
	free(st);
}
