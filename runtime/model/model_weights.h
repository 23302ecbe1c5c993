/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model_weights.h - the lifetime of a model's float weights (model_weights.c)
 */
#ifndef MNET_RUNTIME_MODEL_WEIGHTS_H
#define MNET_RUNTIME_MODEL_WEIGHTS_H

#include "mnet/mnet.h"

struct mnet_model;

/**
 * mnet_model_weights_get() - hold the model's weights while reading them
 * @m: model
 * @who: what reads them, for the message ("session", "tuner")
 * @err: optional error report
 *
 * Return: 0 (the weights stay until mnet_model_weights_put() or
 * mnet_model_weights_unpin()), or -EINVAL when they were released.
 */
int mnet_model_weights_get(const struct mnet_model *m, const char *who,
			   struct mnet_err *err);

/**
 * mnet_model_weights_put() - drop a hold taken by mnet_model_weights_get()
 * @m: model
 */
void mnet_model_weights_put(const struct mnet_model *m);

/**
 * mnet_model_weights_pin() - turn a hold into a session's pin
 * @m: model
 * @kind: the backend of the session that keeps reading the weights
 *
 * The hold stays; the pin only records who holds it, for the message of
 * mnet_model_release_weights().  Drop both with mnet_model_weights_unpin().
 */
void mnet_model_weights_pin(const struct mnet_model *m,
			    enum mnet_backend_kind kind);

/**
 * mnet_model_weights_unpin() - drop a pin and its hold
 * @m: model
 * @kind: as given to mnet_model_weights_pin()
 */
void mnet_model_weights_unpin(const struct mnet_model *m,
			      enum mnet_backend_kind kind);

/**
 * mnet_model_weights_take() - own the weights in order to free them
 * @m: model
 * @err: optional error report
 *
 * For a session created with release_weights: succeeds only when nobody
 * holds the weights, and keeps everyone else from taking them until
 * mnet_model_weights_drop_all() or mnet_model_weights_give_back().  In
 * between, the owner's backend may free single layers' weights with
 * mnet_model_layer_drop_weights().
 *
 * Return: 0, -EBUSY (held by others, or taken by another creation), or
 * -EINVAL (already released).
 */
int mnet_model_weights_take(const struct mnet_model *m, struct mnet_err *err);

/**
 * mnet_model_layer_drop_weights() - free one layer's weights
 * @m: model whose weights the caller took (mnet_model_weights_take())
 * @i: layer index
 */
void mnet_model_layer_drop_weights(const struct mnet_model *m, int i);

/**
 * mnet_model_weights_drop_all() - free the rest; the weights are released
 * @m: model whose weights the caller took
 */
void mnet_model_weights_drop_all(const struct mnet_model *m);

/**
 * mnet_model_weights_give_back() - end a take without releasing
 * @m: model whose weights the caller took
 * @hold: 1 to keep holding them (as after mnet_model_weights_get()), 0 not
 *
 * Only possible while no layer's weights were dropped; otherwise the rest
 * is freed as by mnet_model_weights_drop_all().
 *
 * Return: 0 when given back (and held if @hold), -EINVAL when the weights
 * ended released.
 */
int mnet_model_weights_give_back(const struct mnet_model *m, int hold);

/**
 * mnet_model_weights_intact() - whether every layer still has its weights
 * @m: model
 *
 * A creation that took the weights (release_weights) and whose backend
 * failed after freeing some must not try another backend on them.
 *
 * Return: 1 if no layer's weights were freed, else 0.
 */
int mnet_model_weights_intact(const struct mnet_model *m);

/**
 * mnet_model_weights_released() - whether the weights are gone
 * @m: model
 *
 * Return: 1 after a successful mnet_model_release_weights(), else 0.
 */
int mnet_model_weights_released(const struct mnet_model *m);

#endif /* MNET_RUNTIME_MODEL_WEIGHTS_H */
