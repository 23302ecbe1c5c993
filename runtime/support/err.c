// SPDX-License-Identifier: Apache-2.0
/*
 * err.c - error reports and the public description of error codes
 *
 * Moved out of model.c so that the units which only report errors (the
 * weight lifetime, the op descriptors, the loaders) do not depend on the
 * model IR's code, and model.c does not depend on them in return.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "support/err.h"

int mnet_err_set(struct mnet_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

const char *mnet_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case -EINVAL:
		return "invalid argument or malformed data";
	case -ENOMEM:
		return "out of memory";
	case -ENOENT:
		return "no such file";
	case -EACCES:
		return "permission denied";
	case -EIO:
		return "input/output or device error";
	case -ENODEV:
		return "backend or device not available";
	case -EOPNOTSUPP:
		return "operation not supported";
	case -EFBIG:
		return "size exceeds the runtime's limits";
	case -ENODATA:
		return "no data (run the session first)";
	case -ERANGE:
		return "value out of range";
	case -EBUSY:
		return "resource busy";
	case -ETIMEDOUT:
		return "timed out";
	default:
		return "unknown error";
	}
}
