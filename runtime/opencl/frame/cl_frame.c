// SPDX-License-Identifier: Apache-2.0
/*
 * cl_frame.c - camera frames converted on the OpenCL device
 *
 * DOC: frames on the device
 *
 * An OpenCL session takes a camera frame as the camera made it: the
 * planes the format uses are uploaded as bytes (1.5 bytes a frame pixel
 * for 4:2:0, where the host path uploads 12 bytes a model input pixel),
 * each at a 64-byte aligned offset of one device buffer, with the few
 * KiB of offset
 * tables the host computes for the crop, rotation and mirror
 * (host/frame/frame_fast.c).  cl_kernels/frame.cl then writes the model's
 * input buffer, in the session's storage precision, and the layers run as
 * for any input (mnet_cl_run_rest()).  All of it is enqueued without a
 * wait: the run's one blocking call, the output read, comes after, and
 * the frame is not referenced once the call returns.
 *
 * Programs are built at the first frame of each kind (RGB or YUV, range,
 * input mapping: at most 16, usually one) and kept; a kind whose program
 * does not build is remembered and converted on the host (-EOPNOTSUPP to
 * the session).  The upload buffer grows to the largest frame seen.
 *
 * Not yet done: zero-copy upload on devices that share memory with the
 * host (CL_MEM_USE_HOST_PTR on the app's planes), and tuning of the
 * work-group (the driver picks it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl.h>

#include "opencl/cl_backend.h"
#include "opencl/frame/cl_frame.h"
#include "cl/cl_error.h"
#include "frame/frame_conv.h"
#include "support/err.h"

#define FRAME_KINDS 16
#define FRAME_ALIGN 64

/**
 * struct mnet_cl_frame - the frame path's device state
 * @prog: per kind (YUV, full range, quantized, signed: 4 bits), or NULL
 * @kern: the kernel of @prog
 * @failed: 1 where the kind's program did not build
 * @src: the frame's bytes
 * @src_cap: bytes @src holds
 * @tabs: the offset tables
 * @tabs_cap: bytes @tabs holds
 * @tabs_host: host copy of the tables (kept: the upload is asynchronous)
 */
struct mnet_cl_frame {
	cl_program prog[FRAME_KINDS];
	cl_kernel kern[FRAME_KINDS];
	unsigned char failed[FRAME_KINDS];
	cl_mem src;
	size_t src_cap;
	cl_mem tabs;
	size_t tabs_cap;
	void *tabs_host;
};

void mnet_cl_frame_fini(struct mnet_cl_state *st)
{
	struct mnet_cl_frame *fr = st->frame;
	int i;

	if (!fr)
		return;
	for (i = 0; i < FRAME_KINDS; i++) {
		if (fr->kern[i])
			clReleaseKernel(fr->kern[i]);
		if (fr->prog[i])
			clReleaseProgram(fr->prog[i]);
	}
	if (fr->src)
		clReleaseMemObject(fr->src);
	if (fr->tabs)
		clReleaseMemObject(fr->tabs);
	free(fr->tabs_host);
	free(fr);
	st->frame = NULL;
}

int mnet_cl_frame_kernels(const struct mnet_cl_state *st)
{
	int i, n = 0;

	for (i = 0; st->frame && i < FRAME_KINDS; i++)
		n += st->frame->kern[i] != NULL;
	return n;
}

static int frame_kind(const struct mnet_fconv *fc)
{
	return fc->yuv | fc->full_range << 1 | fc->quantized << 2 |
	       fc->is_signed << 3;
}

/* The kernel for @fc's kind, built at its first frame; NULL: host. */
static cl_kernel get_kernel(struct mnet_cl_state *st, struct mnet_cl_frame *fr,
			    const struct mnet_fconv *fc)
{
	int k = frame_kind(fc);
	struct mnet_err err = { 0 };
	char opts[256];
	cl_int rc;

	if (fr->kern[k] || fr->failed[k])
		return fr->kern[k];
	snprintf(opts, sizeof(opts), "%s -DYUV=%d -DFULL_RANGE=%d -DQUANT=%d -DIS_SIGNED=%d",
		 st->prec->defines, fc->yuv, fc->full_range, fc->quantized,
		 fc->is_signed);
	if (mnet_cl_program_build(st->ctx, &st->dev, "frame.cl", opts,
				  st->use_cache ? st->cache_dir : NULL, 1,
				  &st->stats, &fr->prog[k], &err)) {
		fr->failed[k] = 1;
		return NULL;
	}
	fr->kern[k] = clCreateKernel(fr->prog[k], "frame_convert", &rc);
	if (rc || !fr->kern[k]) {
		fr->kern[k] = NULL;
		fr->failed[k] = 1;
	}
	return fr->kern[k];
}

/* Make @b hold at least @n bytes (contents not kept). */
static int grow(struct mnet_cl_state *st, cl_mem *b, size_t *cap, size_t n,
		cl_mem_flags flags)
{
	cl_int rc;

	if (*cap >= n)
		return 0;
	if (*b)
		clReleaseMemObject(*b);
	*cap = 0;
	*b = clCreateBuffer(st->ctx, flags, n, NULL, &rc);
	if (rc || !*b) {
		*b = NULL;
		return -ENOMEM;
	}
	*cap = n;
	return 0;
}

/*
 * Upload each distinct plane once (NV21's U and V, RGB's three channels
 * share one), and say where each channel's plane starts on the device.
 */
static int upload_planes(struct mnet_cl_state *st, struct mnet_cl_frame *fr,
			 const struct mnet_fconv *fc, cl_int base[3])
{
	size_t off[3], total = 0;
	int c, d, first[3];
	cl_int rc;

	for (c = 0; c < 3; c++) {
		first[c] = c;
		for (d = 0; d < c; d++)
			if (fc->plane[d] == fc->plane[c]) {
				first[c] = first[d];
				break;
			}
		if (first[c] != c)
			continue;
		off[c] = total;
		total += (fc->extent[c] + FRAME_ALIGN - 1) &
			 ~(size_t)(FRAME_ALIGN - 1);
	}
	if (total > INT32_MAX)
		return -EINVAL;
	if (grow(st, &fr->src, &fr->src_cap, total, CL_MEM_READ_ONLY))
		return -ENOMEM;
	for (c = 0; c < 3; c++) {
		base[c] = (cl_int)off[first[c]];
		if (first[c] != c)
			continue;
		rc = clEnqueueWriteBuffer(st->q, fr->src, CL_FALSE, off[c],
					  fc->extent[c], fc->plane[c], 0, NULL,
					  NULL);
		if (rc)
			return -EIO;
	}
	return 0;
}

static int upload_tabs(struct mnet_cl_state *st, struct mnet_cl_frame *fr,
		       const struct mnet_fconv *fc)
{
	size_t n = mnet_fconv_tabs_bytes(fc);
	struct mnet_fconv_tabs t;

	if (n > fr->tabs_cap) {
		void *p = realloc(fr->tabs_host, n);

		if (!p)
			return -ENOMEM;
		fr->tabs_host = p;
	}
	if (grow(st, &fr->tabs, &fr->tabs_cap, n, CL_MEM_READ_ONLY))
		return -ENOMEM;
	mnet_fconv_tabs_fill(fc, fr->tabs_host, &t);
	return clEnqueueWriteBuffer(st->q, fr->tabs, CL_FALSE, 0, n,
				    fr->tabs_host, 0, NULL, NULL) ? -EIO : 0;
}

static int enqueue_convert(struct mnet_cl_state *st, cl_kernel k,
			   const struct mnet_fconv *fc, cl_mem dst,
			   const cl_int base[3])
{
	struct mnet_cl_frame *fr = st->frame;
	cl_int ow = fc->ow, oh = fc->oh, zp = fc->zero_point;
	size_t global[2] = { (size_t)fc->ow, (size_t)fc->oh };
	cl_float scale = fc->scale;
	cl_int rc = 0;

	rc |= clSetKernelArg(k, 0, sizeof(cl_mem), &fr->src);
	rc |= clSetKernelArg(k, 1, sizeof(cl_mem), &fr->tabs);
	rc |= clSetKernelArg(k, 2, sizeof(cl_mem), &dst);
	rc |= clSetKernelArg(k, 3, sizeof(cl_int), &ow);
	rc |= clSetKernelArg(k, 4, sizeof(cl_int), &oh);
	rc |= clSetKernelArg(k, 5, sizeof(cl_int), &base[0]);
	rc |= clSetKernelArg(k, 6, sizeof(cl_int), &base[1]);
	rc |= clSetKernelArg(k, 7, sizeof(cl_int), &base[2]);
	rc |= clSetKernelArg(k, 8, sizeof(cl_float), &scale);
	rc |= clSetKernelArg(k, 9, sizeof(cl_int), &zp);
	if (rc)
		return -EIO;
	rc = clEnqueueNDRangeKernel(st->q, k, 2, NULL, global, NULL, 0, NULL,
				    NULL);
	return rc ? -EIO : 0;
}

int mnet_cl_run_frame(struct mnet_backend *be, const struct mnet_fconv *fc,
		      float *output, struct mnet_layer_time *times)
{
	const struct mnet_model *m = be->model;
	struct mnet_cl_state *st = be->priv;
	cl_int base[3];
	cl_kernel k;
	int ret;

	if (!st->frame) {
		st->frame = calloc(1, sizeof(*st->frame));
		if (!st->frame)
			return -ENOMEM;
	}
	k = get_kernel(st, st->frame, fc);
	if (!k)
		return -EOPNOTSUPP;
	ret = mnet_cl_unmap_left(st, m);
	if (!ret)
		ret = mnet_cl_unmap_ahead(st, m);
	if (!ret)
		ret = upload_planes(st, st->frame, fc, base);
	if (!ret)
		ret = upload_tabs(st, st->frame, fc);
	if (!ret)
		ret = enqueue_convert(st, k, fc,
				      mnet_cl_tensor_mem(st, m->input), base);
	/* on a failure this waits for the uploads: the frame is the app's */
	return mnet_cl_run_rest(be, ret, output, times);
}
