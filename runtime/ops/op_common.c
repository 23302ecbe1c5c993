// SPDX-License-Identifier: Apache-2.0
/*
 * op_common.c - rules and arithmetic that several op descriptors share
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "ops/op_common.h"
#include "support/err.h"

int mnet_op_bad(const struct mnet_model *m, const struct mnet_layer *l,
		const char *op, struct mnet_err *err, const char *fmt, ...)
{
	char msg[MNET_ERR_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mnet_err_set(err, -EINVAL, "%s: layer %d (%s, %s): %s", m->name,
			    (int)(l - m->layers), l->name, op, msg);
}

/* Output size of a strided window with the layer's explicit top padding. */
static int window_out_ok(int in, int k, int stride, int pad, int out)
{
	/* every output position must start inside the padded input */
	long first_past = (long)(out - 1) * stride - pad;

	return out >= 1 && pad >= 0 && pad < k && first_past < in &&
	       first_past + k > 0;
}

int mnet_op_check_window(const struct mnet_model *m, const struct mnet_layer *l,
			 const char *op, struct mnet_err *err,
			 int same_channels)
{
	struct mnet_shape in = l->in_shape, out = l->out_shape;

	if (l->kh < 1 || l->kw < 1 || l->kh > 64 || l->kw > 64 ||
	    l->stride_h < 1 || l->stride_w < 1 || l->stride_h > 64 ||
	    l->stride_w > 64)
		return mnet_op_bad(m, l, op, err, "bad kernel or stride");
	if (!window_out_ok(in.h, l->kh, l->stride_h, l->pad_top, out.h) ||
	    !window_out_ok(in.w, l->kw, l->stride_w, l->pad_left, out.w))
		return mnet_op_bad(
			m, l, op, err,
			"output %dx%d does not follow from input %dx%d, kernel %dx%d, stride %d, padding %d/%d",
			out.h, out.w, in.h, in.w, l->kh, l->kw, l->stride_h,
			l->pad_top, l->pad_left);
	if (same_channels && in.c != out.c)
		return mnet_op_bad(m, l, op, err,
				   "channel count changes (%d -> %d)", in.c,
				   out.c);
	return 0;
}

int mnet_op_shape_eq(struct mnet_shape a, struct mnet_shape b)
{
	return a.h == b.h && a.w == b.w && a.c == b.c;
}

uint64_t mnet_op_macs_per_pixel(const struct mnet_layer *l)
{
	return (uint64_t)l->n_weights * (uint64_t)l->out_shape.h *
	       (uint64_t)l->out_shape.w;
}

uint64_t mnet_op_bytes_io(const struct mnet_layer *l)
{
	uint64_t n = (uint64_t)mnet_shape_elems(l->in_shape) +
		     (uint64_t)l->n_weights +
		     (uint64_t)mnet_shape_elems(l->out_shape);

	if (l->bias)
		n += (uint64_t)l->out_shape.c;
	return n * sizeof(float);
}

int mnet_op_kind_conv(const struct mnet_layer *l)
{
	if (l->out_shape.h == 1 && l->out_shape.w == 1)
		return MNET_OUTPUT_LOGITS;
	return MNET_OUTPUT_EMBEDDING;
}
