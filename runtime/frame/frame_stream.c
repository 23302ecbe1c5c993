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
 * Bounded: a submit with @depth frames uncollected returns -EAGAIN, never
 * blocks, so a caller that forgets to wait cannot deadlock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "frame/frame.h"
#include "session/session_priv.h"
#include "support/clock.h"
#include "support/err.h"

#define STREAM_MAX_DEPTH 16

enum slot_state { SLOT_FREE, SLOT_QUEUED, SLOT_DONE };

/**
 * struct stream_slot - one frame in flight
 * @input: its converted input tensor
 * @output: copy of its output
 * @state: free, queued for the thread, or done
 * @res: its result, filled as it goes
 */
struct stream_slot {
	float *input;
	float *output;
	enum slot_state state;
	struct mnet_stream_result res;
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
 * @submitted: frames submitted
 * @ran: frames the thread has finished
 * @collected: frames handed back by wait
 * @stop: the thread is to exit once every queued frame ran
 * @mu: protects the counters, @stop and the slot states
 * @cv: signalled when a frame is queued, finished or @stop is set
 * @thread: runs the inferences
 */
struct mnet_stream {
	struct mnet_session *s;
	size_t n_in, n_out;
	int depth;
	struct stream_slot *slots;
	void *tabs;
	const struct mnet_fconv_kernel *kern;
	uint64_t submitted, ran, collected;
	int stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
};

static void *stream_thread(void *arg)
{
	struct mnet_stream *st = arg;

	pthread_mutex_lock(&st->mu);
	for (;;) {
		struct stream_slot *sl;
		const float *out;
		double t0;
		int ret;

		while (st->ran == st->submitted && !st->stop)
			pthread_cond_wait(&st->cv, &st->mu);
		if (st->ran == st->submitted)
			break;
		sl = &st->slots[st->ran % st->depth];
		pthread_mutex_unlock(&st->mu);
		t0 = mnet_now_ms();
		ret = mnet_session_run(st->s, sl->input, st->n_in);
		sl->res.infer_ms = mnet_now_ms() - t0;
		sl->res.status = ret;
		if (ret) {
			mnet_err_set(&sl->res.err, ret,
				     "frame %llu: inference failed (%s)",
				     (unsigned long long)sl->res.frame,
				     mnet_strerror(ret));
		} else {
			out = mnet_session_output(st->s, NULL);
			memcpy(sl->output, out, st->n_out * sizeof(float));
		}
		pthread_mutex_lock(&st->mu);
		sl->state = SLOT_DONE;
		st->ran++;
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
		free(st->slots[i].output);
	}
	free(st->slots);
	free(st->tabs);
}

int mnet_stream_create(struct mnet_session *s, int depth,
		       struct mnet_stream **out, struct mnet_err *err)
{
	const struct mnet_model *m;
	struct mnet_stream *st;
	struct mnet_fconv fc;
	int i, ret;

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
	st->kern = mnet_fconv_kernel_get(getenv("MNET_CPU"));
	fc.ow = mnet_model_input_shape(m).w;
	fc.oh = mnet_model_input_shape(m).h;
	st->tabs = malloc(mnet_fconv_tabs_bytes(&fc));
	st->slots = calloc((size_t)depth, sizeof(*st->slots));
	if (!st->tabs || !st->slots)
		goto out_nomem;
	for (i = 0; i < depth; i++) {
		st->slots[i].input = malloc(st->n_in * sizeof(float));
		st->slots[i].output = malloc(st->n_out * sizeof(float));
		if (!st->slots[i].input || !st->slots[i].output)
			goto out_nomem;
	}
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->cv, NULL);
	ret = pthread_create(&st->thread, NULL, stream_thread, st);
	if (ret) {
		pthread_cond_destroy(&st->cv);
		pthread_mutex_destroy(&st->mu);
		free_slots(st);
		free(st);
		return mnet_err_set(err, -EAGAIN,
				    "stream: cannot start its thread");
	}
	*out = st;
	return 0;

out_nomem:
	free_slots(st);
	free(st);
	return mnet_err_set(err, -ENOMEM, "stream: out of memory");
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
	pthread_mutex_lock(&st->mu);
	st->stop = 1;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
	pthread_join(st->thread, NULL);
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->mu);
	free_slots(st);
	free(st);
}
