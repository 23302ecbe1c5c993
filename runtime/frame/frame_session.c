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
 */
#include <errno.h>
#include <stdlib.h>

#include "frame/frame.h"
#include "session/session_priv.h"
#include "support/clock.h"
#include "support/err.h"

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
	mnet_fconv_run(&fc, k, tp, tabs);
	free(tabs);
	t1 = mnet_now_ms();
	ret = mnet_session_run(s, in, n);
	if (ret)
		return mnet_err_set(err, ret, "frame: %s: inference failed (%s)",
				    be->name, mnet_strerror(ret));
	mnet_session_note_frame(s, t1 - t0, mnet_now_ms() - t1);
	return 0;
}
