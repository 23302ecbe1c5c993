/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mnet.h - public API of mobilenet-cl
 *
 * DOC: overview
 *
 * A &struct mnet_model is an immutable network (layers, weights, input
 * quantization), loaded from a .tflite file, from memory, or built
 * synthetically.  It may be shared read-only by any number of sessions.
 * Once its sessions exist, an application may free the model's float
 * weights with mnet_model_release_weights() (the sessions that packed or
 * uploaded their own copy keep running; the model can no longer make new
 * sessions), so a CPU application holds one copy of the weights, not two.
 *
 * A &struct mnet_session runs a model on one backend ("ref", "cpu",
 * "opencl", or "auto" for the best available).  A session owns all of its
 * buffers; independent sessions may run concurrently on different threads.
 * A single session must not be used from two threads at once.
 *
 * Every function that can fail returns 0 or a negative errno-style code
 * (-EINVAL, -ENOMEM, -ENODEV, -EOPNOTSUPP, -EIO, ...).  Functions that can
 * fail for reasons a user needs to read (a bad file, a missing device) take
 * an optional &struct mnet_err that receives a message naming the file,
 * layer or call and the problem.  The library never prints to stdout and
 * never exits the process.
 */
#ifndef MNET_MNET_H
#define MNET_MNET_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MNET_VERSION_MAJOR 0
#define MNET_VERSION_MINOR 1
#define MNET_VERSION_PATCH 0

/**
 * MNET_MAX_THREADS - the most host threads a cpu session runs
 *
 * A larger &mnet_session_opts.threads is clamped to this.
 */
#define MNET_MAX_THREADS 256

#define MNET_ERR_MSG_LEN 512

/**
 * struct mnet_err - detailed error report
 * @code: the negative errno that was also returned (0: no error)
 * @msg: NUL-terminated human-readable message
 */
struct mnet_err {
	int code;
	char msg[MNET_ERR_MSG_LEN];
};

struct mnet_model;
struct mnet_session;
struct mnet_image;

/**
 * enum mnet_backend_kind - where a session runs
 * @MNET_BACKEND_AUTO: OpenCL if a usable device exists, else the fast CPU path
 * @MNET_BACKEND_REF: the plain C reference path (the oracle; slow)
 * @MNET_BACKEND_CPU: the fast host CPU path (SIMD, threads)
 * @MNET_BACKEND_OPENCL: an OpenCL device
 */
enum mnet_backend_kind {
	MNET_BACKEND_AUTO = 0,
	MNET_BACKEND_REF,
	MNET_BACKEND_CPU,
	MNET_BACKEND_OPENCL,
};

/**
 * enum mnet_precision - arithmetic and storage precision on a device
 * @MNET_PRECISION_AUTO: the fastest mode the device supports within
 *                       tolerance; on the cpu backend a quantized file's
 *                       own integer arithmetic (%MNET_PRECISION_INT8)
 * @MNET_PRECISION_FP32: fp32 storage and arithmetic
 * @MNET_PRECISION_FP16_STORAGE: fp16 storage (vload_half), fp32 arithmetic
 * @MNET_PRECISION_FP16: fp16 storage and arithmetic (needs cl_khr_fp16)
 * @MNET_PRECISION_INT8: the quantized file's own integer arithmetic,
 *                       bit-exact with TFLite's reference kernels (quantized
 *                       files only; ref, cpu and opencl backends).  On
 *                       opencl, %MNET_PRECISION_AUTO never picks it: fp32
 *                       was faster where measured (docs/int8.md)
 */
enum mnet_precision {
	MNET_PRECISION_AUTO = 0,
	MNET_PRECISION_FP32,
	MNET_PRECISION_FP16_STORAGE,
	MNET_PRECISION_FP16,
	MNET_PRECISION_INT8,
};

/**
 * enum mnet_output_kind - what a model's output tensor holds
 * @MNET_OUTPUT_PROBABILITIES: softmax over classes
 * @MNET_OUTPUT_LOGITS: class scores before softmax
 * @MNET_OUTPUT_EMBEDDING: a feature vector (no classifier)
 * @MNET_OUTPUT_CLASS_MAP: one class index per pixel (semantic
 *                         segmentation: DeepLab's ARG_MAX), not scores
 * @MNET_OUTPUT_CUSTOM: computed on the host by a custom operator of the
 *                      file (PosenetDecoderOp's poses); its name says which
 */
enum mnet_output_kind {
	MNET_OUTPUT_PROBABILITIES = 0,
	MNET_OUTPUT_LOGITS,
	MNET_OUTPUT_EMBEDDING,
	MNET_OUTPUT_CLASS_MAP,
	MNET_OUTPUT_CUSTOM,
};

/**
 * struct mnet_session_opts - options for mnet_session_create()
 * @backend: which backend to run on
 * @threads: host threads for the CPU path; 0 means the number of online cores
 * @device: OpenCL device, as an index ("1") or a name substring; NULL means
 *          $MNET_DEVICE, else the first GPU, accelerator, then CPU device
 * @precision: arithmetic: &enum mnet_precision (the fp16 modes are OpenCL's,
 *             int8 needs a quantized file)
 * @tuning_db: tuning database path; NULL means $MNET_TUNE_DB, else the default
 *             under $XDG_CACHE_HOME/mnet/
 * @profile: collect per-layer device timings (OpenCL event profiling)
 * @max_memory_bytes: cap on the session's own memory (activations, packed
 *                    or uploaded weights, scratch; host and device
 *                    together); 0 means $MNET_MAX_MEMORY (bytes, or with a
 *                    K, M or G suffix), else no cap.  The model itself,
 *                    shared by all its sessions, is not counted.
 * @release_weights: free the model's float weights while creating this
 *                   session, for an application with one session per
 *                   model: the cpu backend frees each layer's as soon as
 *                   it has packed it, so creation never holds the weights
 *                   twice (mnet_model_release_weights() after creation
 *                   cannot lower that peak); other backends free them all
 *                   after init.  Afterwards the model is as after
 *                   mnet_model_release_weights().  A backend that reads
 *                   them after creation (ref, opencl with layers on the
 *                   host) keeps them, with a note in the error report
 *                   (code 0).  Creation fails with -EBUSY while others
 *                   read the weights (ref sessions, creations in progress;
 *                   sessions with their own copy do not count).
 */
struct mnet_session_opts {
	enum mnet_backend_kind backend;
	int threads;
	const char *device;
	enum mnet_precision precision;
	const char *tuning_db;
	int profile;
	uint64_t max_memory_bytes;
	int release_weights;
};

/**
 * struct mnet_shape - an NHWC tensor shape with batch 1
 * @h: height
 * @w: width
 * @c: channels
 */
struct mnet_shape {
	int h, w, c;
};

/**
 * struct mnet_class - one entry of a top-k list
 * @index: class index (0 is "background" for the 1001-class models)
 * @score: probability (or logit/embedding value for other outputs)
 */
struct mnet_class {
	int index;
	float score;
};

/**
 * struct mnet_layer_info - description of one layer, for tools and reports
 * @name: layer name from the model file (or generated)
 * @op: operator name ("conv2d", "dwconv2d", "pwconv2d", "avgpool", "fc",
 *      "softmax", "reshape", "add")
 * @in: input shape
 * @out: output shape
 * @kh: kernel height (0 where not applicable)
 * @kw: kernel width
 * @stride: stride (1 or 2; 0 where not applicable)
 * @act: fused activation ("none", "relu", "relu6")
 * @params: number of weights and biases
 * @macs: multiply-accumulate operations
 */
struct mnet_layer_info {
	const char *name;
	const char *op;
	struct mnet_shape in, out;
	int kh, kw, stride;
	const char *act;
	uint64_t params;
	uint64_t macs;
};

/**
 * struct mnet_layer_time - time spent in one layer during the last run
 * @ms: milliseconds (device time from event profiling on OpenCL, host
 *      wall time on the CPU)
 * @backend: name of the backend that ran the layer ("ref", "cpu", "opencl")
 * @config: kernel configuration used ("tuned", "default", or "" on the CPU)
 */
struct mnet_layer_time {
	double ms;
	const char *backend;
	const char *config;
};

/**
 * struct mnet_startup - where a session's creation time went
 * @total_ms: all of mnet_session_create()
 * @device_ms: device selection, context, queue and buffers (OpenCL)
 * @build_ms: program builds, or loads from the program cache (OpenCL)
 * @upload_ms: weight repacking and upload (OpenCL), weight packing (cpu)
 * @first_run_ms: the warm-up run made at creation (OpenCL: first-launch
 *                compilation in the driver), 0 where there is none
 * @programs_built: OpenCL programs compiled from source
 * @programs_cached: OpenCL programs loaded from the program cache
 * @host_layers: layers that fell back to the host
 */
struct mnet_startup {
	double total_ms;
	double device_ms;
	double build_ms;
	double upload_ms;
	double first_run_ms;
	int programs_built;
	int programs_cached;
	int host_layers;
};

/**
 * mnet_strerror() - describe an error code returned by this library
 * @err: a negative errno-style code (or 0)
 *
 * Return: a static string; never NULL.
 */
const char *mnet_strerror(int err);

/**
 * mnet_model_load_file() - load a .tflite model
 * @path: file to read
 * @out: receives the model on success
 * @err: optional; receives a message naming the file and the problem
 *
 * Every offset, length and index read from the file is checked; a truncated,
 * hostile or unsupported file returns an error and never crashes.
 *
 * Return: 0, -ENOENT/-EACCES/-EIO (cannot read), -EINVAL (malformed),
 * -EOPNOTSUPP (valid TFLite but an op or type this runtime lacks),
 * -EFBIG (absurd sizes), -ENOMEM.
 */
int mnet_model_load_file(const char *path, struct mnet_model **out,
			 struct mnet_err *err);

/**
 * mnet_model_load_memory() - load a .tflite model from a buffer
 * @buf: the flatbuffer bytes; not referenced after the call returns
 * @len: length of @buf in bytes
 * @name: name used in error messages (e.g. the file name); may be NULL
 * @out: receives the model on success
 * @err: optional error report
 *
 * Return: as mnet_model_load_file().
 */
int mnet_model_load_memory(const void *buf, size_t len, const char *name,
			   struct mnet_model **out, struct mnet_err *err);

/**
 * mnet_model_create_synthetic() - build MobileNet V1 with seeded weights
 * @alpha: width multiplier (0 < alpha <= 4); channels follow TF-slim's
 *         max(int(c * alpha), 8)
 * @res: input resolution, >= 32 and a multiple of 32
 * @out: receives the model
 * @err: optional error report
 *
 * Weights come from the deterministic generator of
 * shared/peers/mobilenet_spec.h, so outputs can be checked against the
 * XNNPACK, oneDNN and OpenCV peers.  The input is float, x/127.5 - 1.
 *
 * Return: 0, -EINVAL for bad parameters, -ENOMEM.
 */
int mnet_model_create_synthetic(float alpha, int res, struct mnet_model **out,
				struct mnet_err *err);

/**
 * mnet_model_create_synthetic_v2() - build MobileNetV2 with seeded weights
 * @alpha: width multiplier (0 < alpha <= 4); channels rounded to multiples
 *         of 8 as TF-slim's _make_divisible()
 * @res: input resolution, >= 32 and a multiple of 32
 * @out: receives the model
 * @err: optional error report
 *
 * Inverted residual blocks with residual ADD layers; weights from the same
 * seeded generator as mnet_model_create_synthetic().
 *
 * Return: 0, -EINVAL for bad parameters, -ENOMEM.
 */
int mnet_model_create_synthetic_v2(float alpha, int res,
				   struct mnet_model **out,
				   struct mnet_err *err);

/**
 * mnet_model_free() - release a model
 * @m: model, or NULL
 *
 * All sessions created on @m must have been destroyed first.
 */
void mnet_model_free(struct mnet_model *m);

/**
 * mnet_model_release_weights() - free the model's float weights
 * @m: model
 * @err: optional; on -EBUSY names the model and the sessions that pin it
 *
 * Sessions copy what they need at creation: the cpu backend packs the
 * weights into its kernels' layout, an OpenCL session uploads them.  After
 * that the model's own float copy (the size of the weights again) is dead
 * weight for an application that will not create more sessions; this
 * frees it, as ONNX Runtime frees initializers after pre-packing.
 *
 * Sessions that own their copy (cpu; opencl when every layer with
 * weights runs on the device) keep working identically, including
 * mnet_session_layer_output().  Sessions that read the model's weights at
 * run time pin them, and while one exists the call fails with -EBUSY:
 * a ref session, and an opencl session with a convolution or fully
 * connected layer on the host (a kernel that failed to build or launch;
 * counted in mnet_session_startup()'s host_layers).  Destroy those first.
 * For a model with one session, &struct mnet_session_opts.release_weights
 * does the same while the session is created, with a lower peak.
 *
 * Afterwards the model can still be queried (name, shapes, layer info,
 * parameter and MAC totals are counts, not reads) and serves the sessions
 * it has; mnet_session_create() on it fails with -EINVAL ("weights were
 * released").  The biases (one float per output channel, 0.3% of
 * MobileNet V1's parameters) are kept.  May be called from any thread,
 * also while other threads create or destroy sessions on @m: a creation
 * either completes before the release (and then pins or not as above) or
 * fails with -EINVAL.
 *
 * Return: 0 (also when already released), -EBUSY (still pinned), -EINVAL
 * (@m is NULL).
 */
int mnet_model_release_weights(struct mnet_model *m, struct mnet_err *err);

/**
 * mnet_model_name() - the model's name (file name or "synthetic-v1-A-R")
 * @m: model
 *
 * Return: a string owned by @m.
 */
const char *mnet_model_name(const struct mnet_model *m);

/**
 * mnet_model_input_shape() - shape of the model's input tensor
 * @m: model
 *
 * Return: the NHWC shape (batch 1).
 */
struct mnet_shape mnet_model_input_shape(const struct mnet_model *m);

/**
 * mnet_model_output_size() - number of values in the output tensor
 * @m: model
 *
 * Return: element count (1001 for the classifiers, 1024 for the embedding).
 */
size_t mnet_model_output_size(const struct mnet_model *m);

/**
 * mnet_model_output_kind() - what the output tensor holds
 * @m: model
 *
 * Return: probabilities, logits or an embedding.
 */
enum mnet_output_kind mnet_model_output_kind(const struct mnet_model *m);

/**
 * mnet_model_input_quant() - the quantization of the file's input tensor
 * @m: model
 * @scale: receives the scale (real = scale * (q - zero_point)); may be NULL
 * @zero_point: receives the zero point; may be NULL
 * @is_signed: receives 1 for int8, 0 for uint8; may be NULL
 *
 * Return: 0, or -ENODATA when the file's input is float.
 */
int mnet_model_input_quant(const struct mnet_model *m, float *scale,
			   int32_t *zero_point, int *is_signed);

/**
 * mnet_model_output_quant() - the quantization of the file's output tensor
 * @m: model
 * @scale: receives the scale (real = scale * (q - zero_point)); may be NULL
 * @zero_point: receives the zero point; may be NULL
 * @is_signed: receives 1 for int8, 0 for uint8; may be NULL
 *
 * The output floats of an int8 session are this tensor's bytes
 * dequantized, so round(y / @scale) + @zero_point is TFLite's output
 * byte.  It can differ from the last layer's (mnet_model_layer_quant())
 * where the file requantizes at the graph's edge (a QUANTIZE from int8
 * to uint8 before the output).
 *
 * Return: 0, or -ENODATA when the file's output is float.
 */
int mnet_model_output_quant(const struct mnet_model *m, float *scale,
			    int32_t *zero_point, int *is_signed);

/**
 * mnet_model_layer_quant() - the quantization of a layer's output tensor
 * @m: model
 * @layer: layer index
 * @scale: receives the scale; may be NULL
 * @zero_point: receives the zero point; may be NULL
 * @is_signed: receives 1 for int8, 0 for uint8; may be NULL
 *
 * An int8 session's mnet_session_layer_output() is this tensor's bytes
 * dequantized: (a - b) / @scale between two of them counts quantized
 * units.
 *
 * Return: 0, -EINVAL for a bad @layer, -ENODATA for a float tensor.
 */
int mnet_model_layer_quant(const struct mnet_model *m, int layer,
			   float *scale, int32_t *zero_point, int *is_signed);

/**
 * mnet_model_layer_count() - number of layers
 * @m: model
 *
 * Return: layer count.
 */
int mnet_model_layer_count(const struct mnet_model *m);

/**
 * mnet_model_layer_info() - describe one layer
 * @m: model
 * @i: layer index, 0 <= @i < mnet_model_layer_count()
 * @info: filled in; strings are owned by @m
 *
 * Return: 0, or -EINVAL for a bad index.
 */
int mnet_model_layer_info(const struct mnet_model *m, int i,
			  struct mnet_layer_info *info);

/**
 * mnet_model_totals() - parameter and multiply-accumulate totals
 * @m: model
 * @params: receives the number of weights and biases (may be NULL)
 * @macs: receives the multiply-accumulates of one inference (may be NULL)
 */
void mnet_model_totals(const struct mnet_model *m, uint64_t *params,
		       uint64_t *macs);

/**
 * mnet_session_opts_init() - fill options with defaults
 * @o: options to initialise (auto backend, all cores, auto precision)
 */
void mnet_session_opts_init(struct mnet_session_opts *o);

/**
 * mnet_backend_parse() - parse a backend name
 * @name: "auto", "ref", "cpu" or "opencl"
 * @out: receives the kind
 *
 * Return: 0, or -EINVAL for an unknown name.
 */
int mnet_backend_parse(const char *name, enum mnet_backend_kind *out);

/**
 * mnet_precision_parse() - parse a precision name
 * @name: "auto", "fp32", "fp16-storage" or "fp16"
 * @out: receives the mode
 *
 * Return: 0, or -EINVAL for an unknown name.
 */
int mnet_precision_parse(const char *name, enum mnet_precision *out);

/**
 * mnet_session_create() - prepare a model to run on a backend
 * @m: model; must outlive the session
 * @opts: options, or NULL for defaults
 * @out: receives the session
 * @err: optional error report
 *
 * All buffers are allocated and all weights packed or uploaded here;
 * mnet_session_run() allocates nothing.  Under %MNET_BACKEND_AUTO a
 * backend that fails to initialise is skipped (the next one is tried and
 * a note is left in @err->msg with code 0); an explicitly requested
 * backend that fails is an error.  With a memory cap (@opts->max_memory_bytes
 * or $MNET_MAX_MEMORY) each backend's footprint is computed from the model
 * before anything is allocated, and a backend that would exceed the cap is
 * refused (-EFBIG, with the footprint and the cap in @err).
 *
 * Return: 0, -ENODEV (backend not available), -ENOMEM, -EIO (device error),
 * -EFBIG (over the memory cap), -EINVAL (bad options, or the model's
 * weights were released), -EBUSY (@opts->release_weights while other
 * sessions hold the weights, or another creation is releasing them).  A
 * creation with @opts->release_weights that fails after the backend freed
 * some of the weights leaves them released (the message says so).
 */
int mnet_session_create(const struct mnet_model *m,
			const struct mnet_session_opts *opts,
			struct mnet_session **out, struct mnet_err *err);

/**
 * mnet_session_destroy() - release a session and everything it owns
 * @s: session, or NULL
 */
void mnet_session_destroy(struct mnet_session *s);

/**
 * mnet_session_precision() - the arithmetic the session computes in
 * @s: session
 *
 * What %MNET_PRECISION_AUTO (or an explicit choice) resolved to on the
 * backend that runs the session: %MNET_PRECISION_INT8 for a quantized
 * file in its integer arithmetic, %MNET_PRECISION_FP16_STORAGE or
 * %MNET_PRECISION_FP16 for the OpenCL fp16 modes, else
 * %MNET_PRECISION_FP32.
 *
 * Return: never %MNET_PRECISION_AUTO.
 */
enum mnet_precision mnet_session_precision(const struct mnet_session *s);

/**
 * mnet_session_backend_name() - which backend the session runs on
 * @s: session
 *
 * Return: "ref", "cpu" or "opencl" (plus the variant, e.g. "cpu-avx2").
 */
const char *mnet_session_backend_name(const struct mnet_session *s);

/**
 * mnet_session_device_name() - the device the session runs on
 * @s: session
 *
 * Return: the OpenCL device name, or a description of the host CPU path.
 */
const char *mnet_session_device_name(const struct mnet_session *s);

/**
 * mnet_session_startup() - the cost of creating this session, in parts
 * @s: session
 * @out: filled in (parts a backend does not have are 0)
 */
void mnet_session_startup(const struct mnet_session *s,
			  struct mnet_startup *out);

/**
 * mnet_session_run() - run one inference on a preprocessed tensor
 * @s: session
 * @input: NHWC float values, already normalised as the model expects
 * @count: number of floats in @input; must equal h*w*c of the input shape
 *
 * Return: 0, -EINVAL for a wrong @count, -EIO on a device failure; the
 * session stays usable.
 */
int mnet_session_run(struct mnet_session *s, const float *input, size_t count);

/**
 * mnet_session_run_quantized() - run one inference on the file's own
 * 8-bit input bytes
 * @s: session at precision %MNET_PRECISION_INT8 (ref, cpu or opencl backend)
 * @input: the input tensor as the .tflite file defines it, NHWC, in its
 *         type and quantization (mnet_model_input_quant())
 * @bytes: size of @input; must equal h*w*c of the input shape
 *
 * What a TFLite user feeds with set_tensor(): no float conversion, so
 * the same bytes give the same outputs as TFLite's reference kernels.
 *
 * Return: 0, -EINVAL for a wrong @bytes, -EOPNOTSUPP for a session that
 * does not run integer arithmetic or a file whose input is float.
 */
int mnet_session_run_quantized(struct mnet_session *s, const void *input,
			       size_t bytes);

/**
 * mnet_session_run_image() - preprocess an image and run one inference
 * @s: session
 * @img: decoded image
 * @crop: central crop fraction in (0, 1]; 0.875 is TF-slim's evaluation crop
 *
 * Return: as mnet_session_run(), or -EINVAL for a bad @crop.
 */
int mnet_session_run_image(struct mnet_session *s,
			   const struct mnet_image *img, float crop);

/**
 * mnet_session_output() - the output of the last run
 * @s: session
 * @count: receives the number of values (may be NULL)
 *
 * Return: a buffer owned by the session, valid until the next run.
 */
const float *mnet_session_output(const struct mnet_session *s, size_t *count);

/**
 * mnet_session_topk() - the @k largest outputs of the last run
 * @s: session
 * @k: how many to return
 * @out: array of at least @k entries, sorted by decreasing score
 *
 * Return: the number of entries written (min(@k, output size)), or -EINVAL.
 */
int mnet_session_topk(const struct mnet_session *s, int k,
		      struct mnet_class *out);

/**
 * mnet_session_layer_times() - per-layer timings of the last run
 * @s: session
 * @times: array of mnet_model_layer_count() entries to fill
 *
 * Return: 0, or -ENODATA before the first run.
 */
int mnet_session_layer_times(const struct mnet_session *s,
			     struct mnet_layer_time *times);

/**
 * mnet_session_layer_output() - read one layer's output of the last run
 * @s: session
 * @layer: layer index
 * @dst: receives h*w*c floats (NHWC) of the layer's output
 * @count: capacity of @dst in floats
 *
 * Intended for validation (comparing backends layer by layer); it may copy
 * from a device and is not meant for the hot path.
 *
 * Return: 0, -EINVAL (bad index or too small @dst), -ENODATA before the
 * first run, -EOPNOTSUPP if the backend does not keep intermediates.
 */
int mnet_session_layer_output(struct mnet_session *s, int layer, float *dst,
			      size_t count);

/**
 * mnet_image_load() - decode a BMP, JPEG or PNG file to 8-bit RGB
 * @path: image file
 * @out: receives the image
 * @err: optional; names the file and the problem on failure
 *
 * Grayscale and RGBA images are converted to RGB.
 *
 * Return: 0, -ENOENT/-EIO (cannot read), -EINVAL (corrupt, truncated or
 * unsupported format), -EFBIG (absurd dimensions: over 16384 per side or
 * 64 Mpixel), -ENOMEM.
 */
int mnet_image_load(const char *path, struct mnet_image **out,
		    struct mnet_err *err);

/**
 * mnet_image_load_memory() - decode a BMP, JPEG or PNG image held in memory
 * @buf: the encoded bytes; not referenced after the call returns
 * @len: length of @buf in bytes
 * @name: name used in error messages (e.g. where the bytes came from);
 *        may be NULL
 * @out: receives the image
 * @err: optional; names @name and the problem on failure
 *
 * As mnet_image_load(), for images that arrive over a network or from an
 * archive.  The header's width and height are checked before anything is
 * decoded.
 *
 * Return: 0, -EINVAL (empty, corrupt, truncated or unsupported format),
 * -EFBIG (absurd dimensions), -ENOMEM.
 */
int mnet_image_load_memory(const void *buf, size_t len, const char *name,
			   struct mnet_image **out, struct mnet_err *err);

/**
 * mnet_image_from_rgb() - wrap a copy of interleaved 8-bit RGB pixels
 * @rgb: h*w*3 bytes, row-major
 * @w: width in pixels
 * @h: height in pixels
 * @out: receives the image
 *
 * Return: 0, -EINVAL, -ENOMEM.
 */
int mnet_image_from_rgb(const uint8_t *rgb, int w, int h,
			struct mnet_image **out);

/**
 * mnet_image_free() - release an image
 * @img: image, or NULL
 */
void mnet_image_free(struct mnet_image *img);

/**
 * mnet_image_size() - image dimensions
 * @img: image
 * @w: receives the width (may be NULL)
 * @h: receives the height (may be NULL)
 */
void mnet_image_size(const struct mnet_image *img, int *w, int *h);

/**
 * mnet_image_preprocess() - crop, resize and normalise for a model
 * @img: decoded RGB image
 * @m: model whose input shape and input quantization to use
 * @crop: central crop fraction in (0, 1]
 * @dst: receives h*w*3 floats (NHWC)
 * @count: capacity of @dst in floats
 *
 * TF-slim evaluation preprocessing: central crop, bilinear resize to the
 * model's input size, then pixels mapped exactly as the model expects
 * (through the input tensor's scale and zero point for uint8 models, or
 * x/127.5 - 1 for float models).
 *
 * Return: 0, or -EINVAL (bad crop, too small @dst).
 */
int mnet_image_preprocess(const struct mnet_image *img,
			  const struct mnet_model *m, float crop, float *dst,
			  size_t count);

#ifdef __cplusplus
}
#endif

/* camera frames (mnet_session_run_frame()) and streams */
#include "mnet/mnet_frame.h"
/* any model's outputs: count, shape, type; read as float or raw */
#include "mnet/mnet_output.h"

#endif /* MNET_MNET_H */
