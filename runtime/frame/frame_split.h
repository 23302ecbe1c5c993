/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frame_split.h - cutting a model in two for a split stream
 *
 * See the DOC block of frame_split.c.
 */
#ifndef MNET_RUNTIME_FRAME_SPLIT_H
#define MNET_RUNTIME_FRAME_SPLIT_H

#include "mnet/mnet.h"

/**
 * mnet_frame_split_ok() - whether a model can be cut before layer @k
 * @m: model
 * @k: first layer of the second part, 1 .. n_layers - 1
 *
 * Return: 1 when the only tensor that crosses the cut is layer @k - 1's
 * output, which layer @k reads; else 0.
 */
int mnet_frame_split_ok(const struct mnet_model *m, int k);

/**
 * mnet_frame_split_view() - layers [@first, @end) of @m as a model of its own
 * @m: model
 * @first: first layer (0, or a cut mnet_frame_split_ok() accepts)
 * @end: end layer (n_layers, or a cut)
 * @out: receives the view
 *
 * The view shares @m's weights (it must not outlive @m, nor @m release
 * them while it lives) and renumbers the tensors it uses; its input is
 * the tensor layer @first reads, its output the one layer @end - 1
 * writes, each with its quantization, so a float handed from one part to
 * the next quantizes back to the very bytes it came from.
 *
 * Return: 0, -EINVAL (a bad cut, or a model with several outputs or
 * custom layers), -ENOMEM.
 */
int mnet_frame_split_view(const struct mnet_model *m, int first, int end,
			  struct mnet_model **out);

/**
 * mnet_frame_split_view_free() - free a view, leaving @m's weights alone
 * @v: view from mnet_frame_split_view(), or NULL
 */
void mnet_frame_split_view_free(struct mnet_model *v);

/**
 * mnet_frame_split_choose() - where to cut, from two measured profiles
 * @m: model
 * @dev_ms: the whole model's time on the device
 * @host: per-layer host times of the whole model (n_layers entries)
 *
 * The device is assumed to spend its time over the layers as the host
 * does (the same operations, in proportion), so the cut that balances
 * the two parts leaves the host the last layers' share
 * dev_ms / (dev_ms + host_ms) of the host's time.  The valid cut
 * nearest that balance is taken.
 *
 * Return: the first layer of the host's part, or 0 (no valid cut).
 */
int mnet_frame_split_choose(const struct mnet_model *m, double dev_ms,
			    const double *host);

/**
 * struct mnet_frame_split - the two sessions of a split stream
 * @k: first layer of the host's part; 0: the stream is not split
 * @parent: the model (its weights are held while the views live)
 * @head_m: view of layers [0, @k)
 * @tail_m: view of layers [@k, n)
 * @head: session on @head_m, on the stream session's backend
 * @tail: session on @tail_m, on the cpu backend
 * @n_mid: floats of the tensor that crosses the cut
 */
struct mnet_frame_split {
	int k;
	const struct mnet_model *parent;
	struct mnet_model *head_m, *tail_m;
	struct mnet_session *head, *tail;
	size_t n_mid;
};

/**
 * mnet_frame_split_init() - decide whether and where a stream splits
 * @s: the stream's session
 * @sp: receives the split (@sp->k 0: none)
 * @err: optional error report
 *
 * $MNET_STREAM_SPLIT=0 never splits, =K cuts before layer K on any
 * backend; unset, a session on OpenCL is measured and cut where the two
 * parts balance (mnet_frame_split_choose()), other backends are not
 * split.  A measured split that cannot be set up (no cpu backend, the
 * weights released) leaves the stream unsplit.
 *
 * Return: 0, or -EINVAL (a forced K that is no valid cut), -ENOMEM, or
 * the error creating a forced split's sessions.
 */
int mnet_frame_split_init(struct mnet_session *s, struct mnet_frame_split *sp,
			  struct mnet_err *err);

/**
 * mnet_frame_split_fini() - destroy a split's sessions and views
 * @sp: from mnet_frame_split_init() (also when @sp->k is 0)
 */
void mnet_frame_split_fini(struct mnet_frame_split *sp);

#endif /* MNET_RUNTIME_FRAME_SPLIT_H */
