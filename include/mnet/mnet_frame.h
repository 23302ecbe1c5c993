/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mnet_frame.h - public API of mobilenet-cl: camera frames and streams
 *
 * DOC: camera frames
 *
 * Included by mnet.h (include that): a &struct mnet_frame describes a
 * camera frame as the camera delivers it (YUV 4:2:0 or RGB planes with
 * their strides, a rotation, a mirror, a crop rectangle), which
 * mnet_session_run_frame() converts, turns, crops, resizes and maps to
 * the model input in one pass, on the session's device where it can.  A
 * &struct mnet_stream pipelines frames: submit now, collect later.
 */
#ifndef MNET_MNET_FRAME_H
#define MNET_MNET_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "mnet/mnet.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * enum mnet_frame_format - pixel layout of a camera frame
 * @MNET_FRAME_NV21: Y plane, then one plane of interleaved V, U (4:2:0;
 *                   Android's camera default)
 * @MNET_FRAME_NV12: Y plane, then interleaved U, V (4:2:0; V4L2, iOS)
 * @MNET_FRAME_I420: Y, U and V planes (4:2:0); with a chroma pixel stride
 *                   of 2 this also describes Android's YUV_420_888
 * @MNET_FRAME_RGBA8888: one plane, 4 bytes per pixel R, G, B, A
 * @MNET_FRAME_BGRA8888: one plane, 4 bytes per pixel B, G, R, A
 * @MNET_FRAME_RGB888: one plane, 3 bytes per pixel R, G, B
 *
 * 0 is no format, so a zeroed descriptor is refused.
 */
enum mnet_frame_format {
	MNET_FRAME_NV21 = 1,
	MNET_FRAME_NV12,
	MNET_FRAME_I420,
	MNET_FRAME_RGBA8888,
	MNET_FRAME_BGRA8888,
	MNET_FRAME_RGB888,
};

/**
 * enum mnet_frame_range - how YUV values map to RGB (BT.601)
 * @MNET_FRAME_RANGE_LIMITED: Y in 16..235, chroma in 16..240 (video,
 *                            Y4M files, most V4L2 cameras)
 * @MNET_FRAME_RANGE_FULL: all of 0..255 (JPEG, Android camera frames)
 */
enum mnet_frame_range {
	MNET_FRAME_RANGE_LIMITED = 0,
	MNET_FRAME_RANGE_FULL,
};

/* opaque, as in mnet.h */
struct mnet_model;
struct mnet_session;

/**
 * struct mnet_frame_plane - one plane of a frame
 * @data: first byte of the plane's top-left pixel
 * @row_stride: bytes from one row to the next; 0 means tightly packed
 * @pixel_stride: bytes from one pixel (or chroma sample) to the next;
 *                0 means the format's own (1 for Y and I420 chroma, 2 for
 *                NV21/NV12 chroma, 4 for RGBA/BGRA, 3 for RGB)
 */
struct mnet_frame_plane {
	const uint8_t *data;
	int row_stride;
	int pixel_stride;
};

/**
 * struct mnet_frame_rect - a rectangle in frame pixels
 * @x: left column
 * @y: top row
 * @w: width; 0 (with @h 0) means the whole frame
 * @h: height
 */
struct mnet_frame_rect {
	int x, y, w, h;
};

/**
 * struct mnet_frame - a camera frame, as the camera delivers it
 * @format: pixel layout
 * @width: frame width in pixels (even for the 4:2:0 formats)
 * @height: frame height in pixels (even for the 4:2:0 formats)
 * @planes: the planes the format uses (Y and chroma for NV21/NV12; Y, U,
 *          V for I420; one for the RGB formats); the rest are ignored
 * @rotation: clockwise degrees (0, 90, 180, 270) that turn the frame
 *            upright, as Android's sensor orientation
 * @mirror: flip the upright image left to right (front cameras)
 * @crop: region of interest in frame coordinates (before rotation); all
 *        zero means the whole frame, as mnet_session_run_image() with a
 *        crop of 1
 * @range: BT.601 range of YUV formats (ignored for the RGB ones)
 *
 * The frame is only read, during the call that takes it.
 */
struct mnet_frame {
	enum mnet_frame_format format;
	int width, height;
	struct mnet_frame_plane planes[3];
	int rotation;
	int mirror;
	struct mnet_frame_rect crop;
	enum mnet_frame_range range;
};

/**
 * mnet_frame_preprocess() - convert a frame to the model's input tensor
 * @f: frame
 * @m: model whose input shape and input quantization to use
 * @dst: receives h*w*3 floats (NHWC)
 * @count: capacity of @dst in floats
 * @err: optional; says what is wrong with a bad frame
 *
 * One pass: colour conversion (BT.601), the crop, rotation and mirror,
 * a bilinear resize with half-pixel centres and the model's input mapping,
 * exactly as mnet_image_preprocess() treats a photo of the same pixels.
 * Runs on the calling thread with the best SIMD converter of this CPU.
 *
 * Return: 0, or -EINVAL (a bad frame: no plane, a stride smaller than a
 * row, a crop outside the frame, an odd size for a 4:2:0 format, an
 * unknown format or rotation; or too small @dst), -ENOMEM.
 */
int mnet_frame_preprocess(const struct mnet_frame *f,
			  const struct mnet_model *m, float *dst,
			  size_t count, struct mnet_err *err);

/**
 * mnet_session_run_frame() - convert a camera frame and run one inference
 * @s: session
 * @f: frame; read during the call only
 * @err: optional; says what is wrong with a bad frame or which run failed
 *
 * As mnet_frame_preprocess() then mnet_session_run(), in one pass: on the
 * cpu backend the conversion is split over the session's threads; on
 * backends that convert on the device the raw frame is uploaded instead
 * of the float tensor.
 *
 * Return: as mnet_frame_preprocess() and mnet_session_run(); the session
 * stays usable after a bad frame.
 */
int mnet_session_run_frame(struct mnet_session *s, const struct mnet_frame *f,
			   struct mnet_err *err);

/**
 * mnet_session_frame_times() - where the last mnet_session_run_frame() spent
 * its time
 * @s: session
 * @convert_ms: receives the host conversion's time (0 where the backend
 *              converts on its device: that is part of @infer_ms); may
 *              be NULL
 * @infer_ms: receives the rest: upload, device conversion, inference; may
 *            be NULL
 */
void mnet_session_frame_times(const struct mnet_session *s,
			      double *convert_ms, double *infer_ms);

struct mnet_stream;

/**
 * struct mnet_stream_result - the outcome of one submitted frame
 * @frame: the frame's number, counted from 0 in submission order
 * @status: 0, or the negative errno its inference failed with
 * @err: the message for a non-zero @status
 * @output: the model output (valid until the next mnet_stream_submit()
 *          or mnet_stream_wait()); NULL when @status is not 0
 * @count: number of values in @output
 * @convert_ms: time converting the frame (on the submitting thread)
 * @infer_ms: time of the inference (on the stream's thread; for a split
 *            stream, mnet_stream_split_layer(), its two parts together)
 */
struct mnet_stream_result {
	uint64_t frame;
	int status;
	struct mnet_err err;
	const float *output;
	size_t count;
	double convert_ms;
	double infer_ms;
};

/**
 * mnet_stream_create() - pipelined frames on a session
 * @s: session; while the stream exists only the stream may run it
 * @depth: frames in flight at most (1..16; 2 overlaps the conversion of
 *         one frame with the inference of the one before)
 * @out: receives the stream
 * @err: optional error report
 *
 * A stream owns one thread that runs the session's inferences (two,
 * each with a session of its own on part of the model, for a split
 * stream: see mnet_stream_split_layer()).
 * mnet_stream_submit() converts a frame on the calling thread into one
 * of @depth input slots and returns; the app can then capture or decode
 * the next frame while this one is inferred.  mnet_stream_wait() hands
 * back results in submission order.
 *
 * Return: 0, -EINVAL (also a $MNET_STREAM_SPLIT that is no valid cut),
 * -ENOMEM, -EAGAIN (cannot start the thread).
 */
int mnet_stream_create(struct mnet_session *s, int depth,
		       struct mnet_stream **out, struct mnet_err *err);

/**
 * mnet_stream_submit() - convert a frame and queue its inference
 * @st: stream
 * @f: frame; not referenced after the call returns
 * @err: optional; says what is wrong with a bad frame
 *
 * Return: 0 (queued), -EINVAL (a bad frame, as mnet_frame_preprocess();
 * nothing is queued), -EAGAIN (@depth frames are in flight: collect one
 * with mnet_stream_wait() first).
 */
int mnet_stream_submit(struct mnet_stream *st, const struct mnet_frame *f,
		       struct mnet_err *err);

/**
 * mnet_stream_wait() - the result of the oldest frame not yet collected
 * @st: stream
 * @res: receives the result (its status is that frame's)
 *
 * Blocks until that frame's inference is done.
 *
 * Return: 0, or -ENODATA when no frame is in flight.
 */
int mnet_stream_wait(struct mnet_stream *st, struct mnet_stream_result *res);

/**
 * mnet_stream_split_layer() - where a stream cuts the model, if it does
 * @st: stream
 *
 * A stream on OpenCL runs the first layers of frame N + 1 on the device
 * while the host's cpu backend runs the last layers of frame N; the cut
 * is chosen once, when the stream is created, by timing both (or forced
 * with $MNET_STREAM_SPLIT=K; 0 never splits).  The outputs are those of
 * the unsplit session (fp32 within its tolerance, int8 the same bytes).
 *
 * Return: the first layer the host runs, or 0 when the stream is not
 * split (one session runs every layer).
 */
int mnet_stream_split_layer(const struct mnet_stream *st);

/**
 * mnet_stream_destroy() - finish the frames in flight, stop the thread
 * @st: stream, or NULL
 *
 * Results not collected are dropped; the session is the app's again.
 */
void mnet_stream_destroy(struct mnet_stream *st);

#ifdef __cplusplus
}
#endif

#endif /* MNET_MNET_FRAME_H */
