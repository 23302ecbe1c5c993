// SPDX-License-Identifier: Apache-2.0
/*
 * tflite_ctx.c - the TFLite loader's error messages and type names
 *
 * Every message names the file first, then the operator or tensor, so a
 * failure deep in a pass still says where in the file it is.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "support/err.h"
#include "tflite/tflite_schema.h"
#include "tflite/tflite_ctx.h"

int mnet_tfl_err(struct tfl_ctx *c, int code, const char *fmt, ...)
{
	char msg[MNET_ERR_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mnet_err_set(c->err, code, "%s: %s", c->file, msg);
}

static const char *op_name(int32_t code, char *buf, size_t len)
{
	const char *n = mnet_tflite_op_name(code);

	if (n)
		return n;
	snprintf(buf, len, "BUILTIN_%d", (int)code);
	return buf;
}

int mnet_tfl_op_err(struct tfl_ctx *c, uint32_t i, int code, const char *fmt,
		    ...)
{
	char msg[MNET_ERR_MSG_LEN], nb[24];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mnet_err_set(c->err, code, "%s: op %u %s: %s", c->file, i,
			    op_name(c->ops[i].code, nb, sizeof(nb)), msg);
}

/* A reader failure while reading the object that @fmt names. */
int mnet_tfl_fb_err(struct tfl_ctx *c, const char *fmt, ...)
{
	char what[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return mnet_tfl_err(c, -EINVAL, "malformed flatbuffer: %s: %s (byte %llu)",
			    what, c->fb.why ? c->fb.why : "bad data",
			    (unsigned long long)c->fb.at);
}

/* "tensor 12 'name'" for messages; valid until the next call. */
const char *mnet_tfl_label(struct tfl_ctx *c, uint32_t ti)
{
	const struct tfl_tensor *t = &c->t[ti];
	int n = t->name_len > 60 ? 60 : (int)t->name_len;

	snprintf(c->label, sizeof(c->label), "tensor %u '%.*s'", ti, n,
		 t->name ? t->name : "");
	return c->label;
}

const char *mnet_tfl_type_name(uint8_t type)
{
	switch (type) {
	case TFL_FLOAT32:
		return "float32";
	case TFL_FLOAT16:
		return "float16";
	case TFL_INT32:
		return "int32";
	case TFL_UINT8:
		return "uint8";
	case TFL_INT64:
		return "int64";
	case TFL_INT16:
		return "int16";
	case TFL_INT8:
		return "int8";
	default:
		return "unsupported type";
	}
}

unsigned int mnet_tfl_type_size(uint8_t type)
{
	switch (type) {
	case TFL_FLOAT32:
	case TFL_INT32:
		return 4;
	case TFL_FLOAT16:
	case TFL_INT16:
		return 2;
	case TFL_UINT8:
	case TFL_INT8:
		return 1;
	case TFL_INT64:
		return 8;
	default:
		return 0;
	}
}
