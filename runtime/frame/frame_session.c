// SPDX-License-Identifier: Apache-2.0
/*
 * frame_session.c - mnet_session_run_frame(): a camera frame into a session
 *
 * DOC: running a frame
 *
 * The frame is checked and resolved (frame.c).  A backend that converts
 * frames itself (&struct mnet_backend_ops.run_frame: opencl, on the
 * device) gets it as it is; otherwise, or when that backend declines
 * (-EOPNOTSUPP), it is converted into the session's own input tensor and
 * run as mnet_session_run_image() runs a photo.  The host conversion uses
 * the backend's host thread pool when it has one (the cpu backend: the
 * same threads that then run the layers, idle meanwhile), else the
 * calling thread.  The offset tables are a few KiB allocated per frame
 * (their size follows the model, their contents the frame's crop and
 * rotation).  $MNET_FRAME_HOST=1 forces the host conversion (tests,
 * comparisons).
 *
 * A session that computes in int8 gets the file's own input bytes
 * (mnet_session_run_quantized()) where the converter writes them
 * (mnet_frame_session_bytes()): a quarter of the memory traffic, and the
 * backend skips quantizing the floats back to the same bytes.
 */
#include <errno.h>
#include <stdlib.h>

#include "frame/frame.h"
#include "session/session_priv.h"
#include "support/clock.h"
#include "support/err.h"

int mnet_frame_session_bytes(struct mnet_session *s,
			     const struct mnet_fconv_kernel *k)
{
	struct mnet_backend *be = mnet_session_backend(s);
	const struct mnet_input_quant *iq = &be->model->input_quant;
	float scale;
	int32_t zp;
	int sig;

	if (!k->u8 || !iq->quantized || !be->ops->run_quantized ||
	    mnet_session_precision(s) != MNET_PRECISION_INT8 ||
	    mnet_model_input_quant(be->model, &scale, &zp, &sig))
		return 0;
	return scale == iq->scale && zp == iq->zero_point &&
	       sig == iq->is_signed;
}

static int host_only(void)
{
	const char *e = getenv("MNET_FRAME_HOST");

	return e && *e == '1';
}

int mnet_session_run_frame(struct mnet_session *s, const struct mnet_frame *f,
			   struct mnet_err *err)
{
	const struct mnet_fconv_kernel *k;
	struct mnet_threadpool *tp = NULL;
	struct mnet_backend *be;
	struct mnet_fconv fc;
	size_t n;
	float *in;
	double t0, t1;
	void *tabs;
	int ret;

	if (!s)
		return mnet_err_set(err, -EINVAL, "frame: no session given");
	be = mnet_session_backend(s);
	in = mnet_session_input_buffer(s, &n);
	ret = mnet_frame_resolve(f, be->model, in, n, &fc, err);
	if (ret)
		return ret;
	t0 = mnet_now_ms();
	if (be->ops->run_frame && !host_only()) {
		ret = mnet_session_run_device_frame(s, &fc);
		if (ret != -EOPNOTSUPP) {
			if (ret)
				return mnet_err_set(err, ret,
						    "frame: %s: inference on the frame failed (%s)",
						    be->name, mnet_strerror(ret));
			mnet_session_note_frame(s, 0.0, mnet_now_ms() - t0);
			return 0;
		}
	}
	tabs = malloc(mnet_fconv_tabs_bytes(&fc));
	if (!tabs)
		return mnet_err_set(err, -ENOMEM, "frame: out of memory");
	if (be->ops->host_pool)
		tp = be->ops->host_pool(be);
	k = mnet_fconv_kernel_get(getenv("MNET_CPU"));
	/* the input buffer holds n floats, so n bytes fit */
	if (mnet_frame_session_bytes(s, k))
		fc.dst_u8 = (uint8_t *)in;
	mnet_fconv_run(&fc, k, tp, tabs);
	free(tabs);
	t1 = mnet_now_ms();
	if (fc.dst_u8)
		ret = mnet_session_run_quantized(s, fc.dst_u8, n);
	else
		ret = mnet_session_run(s, in, n);
	if (ret)
		return mnet_err_set(err, ret, "frame: %s: inference failed (%s)",
				    be->name, mnet_strerror(ret));
	mnet_session_note_frame(s, t1 - t0, mnet_now_ms() - t1);
	return 0;
}
