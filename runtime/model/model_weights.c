// SPDX-License-Identifier: Apache-2.0
/*
 * model_weights.c - the lifetime of a model's float weights
 *
 * DOC: releasing weights
 *
 * A session copies the weights it needs at creation (the cpu backend packs
 * them into GEMM panels, an OpenCL session uploads them), after which the
 * model's own float copy is only needed by code that still reads it: new
 * sessions being created, sessions whose backend computes from the model
 * at run time (ref; an OpenCL session with a weighted layer on the host)
 * and the tuner.  mnet_model_release_weights() frees that copy once none
 * of these is left, so a one-session application does not hold the
 * weights twice (ONNX Runtime frees pre-packed initializers likewise).
 *
 * One atomic counter, &struct mnet_model.weight_users, makes this safe
 * with sessions created and destroyed on other threads: each reader holds
 * the weights (count + 1) for as long as it reads them, and the release
 * swaps the count from 0 to %MNET_WEIGHTS_RELEASED in one compare-and-swap,
 * which no hold can follow.  A session creation holds them from before its
 * backend's init() until after it; if the backend says it keeps reading
 * them (&struct mnet_backend.pins_weights) the hold becomes a pin that the
 * session drops at destruction, else it is dropped right away.  Pins are
 * also counted per backend so that -EBUSY can say who pins the weights.
 *
 * Releasing after creation cannot lower the peak of creation itself, when
 * the model's weights and the session's packed copy coexist.  A session
 * created with opts.release_weights therefore takes the weights instead
 * of holding them: one CAS from 0 to %MNET_WEIGHTS_TAKEN (no other holder,
 * and no new one until it is done), after which its backend may free each
 * layer's weights as soon as it has packed them (the cpu backend does), so
 * the two copies never coexist beyond one layer.  After init() the rest is
 * freed and the state becomes %MNET_WEIGHTS_RELEASED; a backend that pins
 * instead gets the weights back as an ordinary hold, which is only
 * possible while nothing was freed (a pinning backend frees nothing).
 *
 * The model is otherwise immutable, which is why these functions take a
 * const model and update only its atomic counters, or free weights that
 * only the caller can reach (after the CAS that took or released them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ir.h"
#include "model/model_weights.h"
#include "support/err.h"

/* The counters live in a heap model from mnet_model_alloc(): never const. */
static struct mnet_model *counters(const struct mnet_model *m)
{
	return (struct mnet_model *)m;
}

/* Why a live session of each backend kind pins the weights. */
static const char *const pin_why[MNET_BACKEND_OPENCL + 1] = {
	[MNET_BACKEND_REF] = "ref session%s (the reference kernels read them at every run)",
	[MNET_BACKEND_OPENCL] = "opencl session%s with layers on the host (the host kernels read them)",
};

/* -EBUSY, naming the model and what holds its weights (@users of them). */
static int busy(const struct mnet_model *m, int users, struct mnet_err *err)
{
	char who[384] = "";
	size_t len = 0;
	int k, n, pinned = 0;

	for (k = 0; k <= MNET_BACKEND_OPENCL; k++) {
		n = atomic_load(&m->weight_pins[k]);
		if (n <= 0 || !pin_why[k])
			continue;
		pinned += n;
		len += (size_t)snprintf(who + len, sizeof(who) - len, "%s%d ",
					len ? ", " : "", n);
		if (len < sizeof(who))
			len += (size_t)snprintf(who + len, sizeof(who) - len,
						pin_why[k], n > 1 ? "s" : "");
		if (len >= sizeof(who))
			break;
	}
	if (users > pinned && len < sizeof(who))
		snprintf(who + len, sizeof(who) - len,
			 "%s%d session creation(s) or tuning run(s) in progress",
			 len ? ", " : "", users - pinned);
	else if (!len)	/* the holders changed while we counted them */
		snprintf(who, sizeof(who), "a session being created or destroyed");
	return mnet_err_set(err, -EBUSY,
			    "%s: cannot release the weights: still read by %s; destroy those sessions first",
			    m->name, who);
}

/* The error for a reader (@who) that finds the weights in state @v. */
static int unavailable(const struct mnet_model *m, int v, const char *who,
		       struct mnet_err *err)
{
	if (v == MNET_WEIGHTS_TAKEN)
		return mnet_err_set(err, -EBUSY,
				    "%s: %s: the model's weights are being released by a session being created with release_weights",
				    m->name, who);
	return mnet_err_set(err, -EINVAL,
			    "%s: %s: the model's weights were released (mnet_model_release_weights() or release_weights); load or build the model again",
			    m->name, who);
}

int mnet_model_weights_get(const struct mnet_model *m, const char *who,
			   struct mnet_err *err)
{
	struct mnet_model *w = counters(m);
	int v = atomic_load(&w->weight_users);

	do {
		if (v < 0)	/* released or taken */
			return unavailable(m, v, who, err);
	} while (!atomic_compare_exchange_weak(&w->weight_users, &v, v + 1));
	return 0;
}

void mnet_model_weights_put(const struct mnet_model *m)
{
	atomic_fetch_sub(&counters(m)->weight_users, 1);
}

void mnet_model_weights_pin(const struct mnet_model *m,
			    enum mnet_backend_kind kind)
{
	atomic_fetch_add(&counters(m)->weight_pins[kind], 1);
}

void mnet_model_weights_unpin(const struct mnet_model *m,
			      enum mnet_backend_kind kind)
{
	atomic_fetch_sub(&counters(m)->weight_pins[kind], 1);
	mnet_model_weights_put(m);
}

int mnet_model_weights_take(const struct mnet_model *m, struct mnet_err *err)
{
	int users = 0;

	if (atomic_compare_exchange_strong(&counters(m)->weight_users, &users,
					   MNET_WEIGHTS_TAKEN))
		return 0;
	if (users < 0)	/* released or taken */
		return unavailable(m, users, "session", err);
	return busy(m, users, err);
}

void mnet_model_layer_drop_weights(const struct mnet_model *m, int i)
{
	struct mnet_layer *l = &counters(m)->layers[i];

	free(l->weights);
	l->weights = NULL;
	if (l->q) {		/* the raw 8-bit ones go with them */
		free(l->q->weights);
		l->q->weights = NULL;
	}
}

void mnet_model_weights_drop_all(const struct mnet_model *m)
{
	int i;

	for (i = 0; i < m->n_layers; i++)
		mnet_model_layer_drop_weights(m, i);
	atomic_store(&counters(m)->weight_users, MNET_WEIGHTS_RELEASED);
}

int mnet_model_weights_intact(const struct mnet_model *m)
{
	int i;

	for (i = 0; i < m->n_layers; i++)
		if (m->layers[i].n_weights && !m->layers[i].weights)
			return 0;
	return 1;
}

int mnet_model_weights_give_back(const struct mnet_model *m, int hold)
{
	if (!mnet_model_weights_intact(m)) {
		mnet_model_weights_drop_all(m);
		return -EINVAL;
	}
	atomic_store(&counters(m)->weight_users, hold ? 1 : 0);
	return 0;
}

int mnet_model_weights_released(const struct mnet_model *m)
{
	return atomic_load(&counters(m)->weight_users) == MNET_WEIGHTS_RELEASED;
}

int mnet_model_release_weights(struct mnet_model *m, struct mnet_err *err)
{
	int users = 0, i;

	if (!m)
		return mnet_err_set(err, -EINVAL,
				    "release weights: no model given");
	if (!atomic_compare_exchange_strong(&m->weight_users, &users,
					    MNET_WEIGHTS_RELEASED)) {
		if (users == MNET_WEIGHTS_RELEASED)
			return 0;
		if (users == MNET_WEIGHTS_TAKEN)
			return mnet_err_set(err, -EBUSY,
					    "%s: cannot release the weights: a session being created with release_weights is releasing them",
					    m->name);
		return busy(m, users, err);
	}
	/* no hold can be taken any more: the arrays are ours alone */
	for (i = 0; i < m->n_layers; i++)
		mnet_model_layer_drop_weights(m, i);
	return 0;
}
