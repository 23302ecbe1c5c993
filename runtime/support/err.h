/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.h - filling a &struct mnet_err report
 *
 * DOC: error reports
 *
 * Every failure is logged once, where it happens, into the caller's
 * optional &struct mnet_err; the code travels up as the return value.  This
 * unit depends on nothing but the public header, so any other unit of the
 * runtime may report errors without depending on the model IR.
 */
#ifndef MNET_RUNTIME_ERR_H
#define MNET_RUNTIME_ERR_H

#include "mnet/mnet.h"

/**
 * mnet_err_set() - record an error message and code
 * @err: report to fill, or NULL
 * @code: negative errno
 * @fmt: printf-style message
 *
 * Return: @code, so callers can write "return mnet_err_set(err, ...)".
 */
int mnet_err_set(struct mnet_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* MNET_RUNTIME_ERR_H */
