/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate_run.h - mnet-validate's backends and the comparison run
 */
#ifndef MNET_TOOLS_VALIDATE_RUN_H
#define MNET_TOOLS_VALIDATE_RUN_H

#include <stdio.h>

#include "lib/validate.h"

/**
 * val_parse_backends() - the backends of --backends, the reference first
 * @r: run; be[] and n_be are set
 * @list: comma-separated backend names, or NULL for ref,cpu,opencl
 *
 * Return: 0, or -EINVAL with a message on stderr for an unknown name.
 */
int val_parse_backends(struct val_run *r, const char *list);

/**
 * val_check_choices() - reject options that the chosen backends ignore
 * @r: run, after val_parse_backends()
 * @a: command line; --threads over the library's maximum is clamped
 *
 * Return: 0, or -EINVAL with a message on stderr.
 */
int val_check_choices(const struct val_run *r, struct val_args *a);

/**
 * val_open_backend() - create @b's session and its result arrays
 * @r: run: model, n_layers and n_images are set
 * @b: one of @r's backends
 * @a: command line (threads, device, precision, tolerance, min-agree)
 *
 * Return: 0, or a negative errno with a message on stderr; @b is then
 * still safe to pass to val_close_backend().
 */
int val_open_backend(struct val_run *r, struct val_backend *b,
		     const struct val_args *a);

/**
 * val_open_oracles() - the references the sessions are compared with
 * @r: run with its backends open
 *
 * be[0] (the ref backend) is the reference of the sessions that compute
 * in its precision.  When some session computes in int8, a ref session
 * of the other precision is opened beside it: at int8 (the oracle of
 * the int8 sessions, judged in quantized units) or at fp32 (the distance
 * of the int8 sessions from float, reported but not judged).
 *
 * Return: 0, or a negative errno with a message on stderr.
 */
int val_open_oracles(struct val_run *r);

/**
 * val_close_oracles() - close what val_open_oracles() opened
 * @r: run
 */
void val_close_oracles(struct val_run *r);

/**
 * val_close_backend() - free what val_open_backend() made
 * @b: backend; may be one that was never opened
 */
void val_close_backend(struct val_backend *b);

/**
 * val_run_all() - run every image on every backend and compare
 * @r: run with its backends open
 * @a: command line (crop, quiet)
 *
 * Fills every backend's errors, times and classes and sets @r->pass.
 * Progress goes to stderr unless @a->quiet.
 *
 * Return: 0, or a negative errno with a message on stderr.
 */
int val_run_all(struct val_run *r, const struct val_args *a);

#endif /* MNET_TOOLS_VALIDATE_RUN_H */
