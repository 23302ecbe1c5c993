// SPDX-License-Identifier: Apache-2.0
/*
 * mnet-stream - classify every frame of a video stream
 *
 * Reads raw 4:2:0 video as Y4M (what ffmpeg writes with -f yuv4mpegpipe;
 * "-" for standard input) and feeds each frame to the session as a camera
 * frame (mnet_session_run_frame()), with the rotation, mirror and crop a
 * camera app would give.  By default frames are pipelined through a
 * stream of depth 2 (mnet_stream_submit()/mnet_stream_wait()): frame N+1
 * is read and converted while frame N is inferred; --sync runs one frame
 * at a time.  Prints each frame's top-K, a live progress line on a
 * terminal, and a summary; --json prints one object per frame and a
 * summary object.  Exit status (the tools' convention, docs/tools.md): 1
 * on any error (a truncated Y4M included, a label file that does not fit
 * the model), 2 for bad usage, with the reason on stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/clock.h"
#include "mnet/mnet.h"
#include "lib/tool_util.h"

#define DEFAULT_MODEL "mobilenet_v1_0.75_192_quant.tflite"
#define MAX_TOP 100
#define MAX_SIDE 16384
#define DEPTH 2

static const char *prog = "mnet-stream";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS] INPUT\n"
		"Classify every frame of a Y4M video (raw 4:2:0, as ffmpeg -f yuv4mpegpipe\n"
		"writes it; - for standard input).\n"
		"\n"
		"  -m, --model FILE       .tflite model; a bare name is looked up in\n"
		"                         $MNET_MODEL_DIR [default: %s]\n"
		"  -l, --labels FILE      one label per line, as many as the model has\n"
		"                         classes (checked as in mnet-classify); a bare\n"
		"                         name is looked up beside the model [default:\n"
		"                         imagenet_labels.txt beside a 1000- or\n"
		"                         1001-class model]\n"
		"  -b, --backend NAME     auto, ref, cpu or opencl [default: auto]\n"
		"  -d, --device D         OpenCL device index or name substring; with\n"
		"                         auto it (or $MNET_DEVICE) means opencl, and a\n"
		"                         device that does not exist is an error\n"
		"  -p, --precision P      auto, fp32, fp16-storage, fp16 or int8 (ref, cpu)\n"
		"                         [default: auto]\n"
		"  -t, --threads N        host threads, 0 = all cores [default: 0]; over\n"
		"                         %d is clamped, with a warning\n"
		"  -k, --top K            classes to print per frame [default: 5]\n"
		"  -r, --rotate DEG       clockwise rotation that makes frames upright:\n"
		"                         0, 90, 180 or 270 [default: 0]\n"
		"      --mirror           flip the upright frame left to right\n"
		"  -c, --crop C           central crop fraction in (0,1], or a rectangle\n"
		"                         WxH+X+Y in frame pixels [default: whole frame]\n"
		"      --sync             one frame at a time (no pipelining)\n"
		"  -n, --frames N         stop after N frames [default: all]\n"
		"  -j, --json             one JSON object per frame, then a summary\n"
		"                         (frames/s counted from the first result to the\n"
		"                         last, leaving out the first frame's one-off costs)\n"
		"  -v, --verbose          on stderr: the model file, the stream's frame\n"
		"                         size and range, the labels, backend, device\n"
		"                         and pipelining used\n"
		"  -q, --quiet            no notes and no live progress line on stderr\n"
		"                         (errors and warnings stay)\n"
		"  -V, --version          print the version and exit\n"
		"  -h, --help             show this help\n"
		"\n"
		"Exit status: 0 when every frame was classified, 1 when the model,\n"
		"labels, stream or a frame failed, 2 for bad usage.\n",
		prog, DEFAULT_MODEL, MNET_MAX_THREADS);
}

struct stream_args {
	const char *model, *labels, *input;
	int top, rotate, mirror, sync, json, max_frames;
	int verbose;		/* 1 -v, -1 -q */
	float crop_frac;
	struct mnet_frame_rect crop;
	struct mnet_session_opts opts;
};

static int parse_crop(const char *s, struct stream_args *a)
{
	char *end;
	int n = 0;

	if (sscanf(s, "%dx%d+%d+%d%n", &a->crop.w, &a->crop.h, &a->crop.x,
		   &a->crop.y, &n) == 4 && !s[n] && a->crop.w > 0 &&
	    a->crop.h > 0)
		return 0;
	memset(&a->crop, 0, sizeof(a->crop));
	a->crop_frac = strtof(s, &end);
	if (*end || !(a->crop_frac > 0.0f && a->crop_frac <= 1.0f)) {
		fprintf(stderr, "%s: --crop must be a fraction in (0, 1] or WxH+X+Y\n",
			prog);
		return -EINVAL;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct stream_args *a)
{
	enum { OPT_MIRROR = 256, OPT_SYNC };
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "labels", required_argument, NULL, 'l' },
		{ "backend", required_argument, NULL, 'b' },
		{ "precision", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "top", required_argument, NULL, 'k' },
		{ "rotate", required_argument, NULL, 'r' },
		{ "mirror", no_argument, NULL, OPT_MIRROR },
		{ "crop", required_argument, NULL, 'c' },
		{ "sync", no_argument, NULL, OPT_SYNC },
		{ "frames", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "device", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->model = DEFAULT_MODEL;
	a->top = 5;
	a->crop_frac = 1.0f;
	mnet_session_opts_init(&a->opts);
	while ((c = getopt_long(argc, argv, "m:l:b:d:p:t:k:r:c:n:jvqVh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'm':
			a->model = optarg;
			break;
		case 'l':
			a->labels = optarg;
			break;
		case 'b':
			if (mnet_tool_parse_backend(prog, optarg, &a->opts.backend))
				return -EINVAL;
			break;
		case 'p':
			if (mnet_tool_parse_precision(prog, optarg,
						      &a->opts.precision))
				return -EINVAL;
			break;
		case 't':
			if (mnet_tool_parse_int(optarg, 0, 1 << 20,
						&a->opts.threads)) {
				fprintf(stderr, "%s: bad thread count '%s'\n",
					prog, optarg);
				return -EINVAL;
			}
			break;
		case 'k':
			if (mnet_tool_parse_int(optarg, 1, MAX_TOP, &a->top)) {
				fprintf(stderr, "%s: --top must be 1..%d\n",
					prog, MAX_TOP);
				return -EINVAL;
			}
			break;
		case 'r':
			if (mnet_tool_parse_int(optarg, 0, 270, &a->rotate) ||
			    a->rotate % 90) {
				fprintf(stderr, "%s: --rotate must be 0, 90, 180 or 270\n",
					prog);
				return -EINVAL;
			}
			break;
		case OPT_MIRROR:
			a->mirror = 1;
			break;
		case 'c':
			if (parse_crop(optarg, a))
				return -EINVAL;
			break;
		case OPT_SYNC:
			a->sync = 1;
			break;
		case 'n':
			if (mnet_tool_parse_int(optarg, 1, 1 << 30,
						&a->max_frames)) {
				fprintf(stderr, "%s: --frames must be a positive count\n",
					prog);
				return -EINVAL;
			}
			break;
		case 'j':
			a->json = 1;
			break;
		case 'd':
			a->opts.device = optarg;
			break;
		case 'v':
		case 'q':
			a->verbose = c == 'v' ? 1 : -1;	/* the later wins */
			break;
		case 'V':
			mnet_tool_print_version(prog);
			exit(MNET_TOOL_EXIT_OK);
		case 'h':
			usage(stdout);
			exit(MNET_TOOL_EXIT_OK);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s: expected one INPUT (try --help)\n", prog);
		return -EINVAL;
	}
	a->input = argv[optind];
	return mnet_tool_check_choices(prog, &a->opts);
}

/**
 * struct y4m - a Y4M stream being read
 * @f: the file
 * @name: for messages
 * @w: frame width
 * @h: frame height
 * @full: XCOLORRANGE=FULL (else limited, the Y4M default)
 * @frame_bytes: w*h*3/2
 * @buf: one frame's planes
 * @n: frames read so far
 */
struct y4m {
	FILE *f;
	const char *name;
	int w, h, full;
	size_t frame_bytes;
	uint8_t *buf;
	long n;
};

/* Read up to '\n' (not kept); 0 at end of file before any byte, 1 else. */
static int read_line(FILE *f, char *line, size_t len, int *truncated)
{
	size_t i = 0;
	int ch;

	*truncated = 0;
	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (i + 1 < len)
			line[i++] = (char)ch;
	}
	line[i] = '\0';
	if (ch == EOF) {
		*truncated = i > 0;
		return i > 0;
	}
	return 1;
}

static int y4m_open(struct y4m *y, const char *path)
{
	char line[1024], *tok, *save = NULL;
	int truncated;

	memset(y, 0, sizeof(*y));
	y->name = path;
	if (!strncmp(path, "/dev/video", 10)) {
		fprintf(stderr, "%s: %s: V4L2 capture is not implemented yet; give a Y4M file (ffmpeg -f yuv4mpegpipe)\n",
			prog, path);
		return -EOPNOTSUPP;
	}
	y->f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!y->f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -ENOENT;
	}
	if (!read_line(y->f, line, sizeof(line), &truncated) || truncated ||
	    strncmp(line, "YUV4MPEG2 ", 10)) {
		fprintf(stderr, "%s: %s: not a Y4M stream (no YUV4MPEG2 header line)\n",
			prog, path);
		return -EINVAL;
	}
	for (tok = strtok_r(line + 10, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		if (tok[0] == 'W')
			y->w = atoi(tok + 1);
		else if (tok[0] == 'H')
			y->h = atoi(tok + 1);
		else if (tok[0] == 'C' && strcmp(tok, "C420") &&
			 strcmp(tok, "C420jpeg") && strcmp(tok, "C420paldv") &&
			 strcmp(tok, "C420mpeg2")) {
			fprintf(stderr, "%s: %s: colour space C%s is not supported (only 8-bit 4:2:0: C420, C420jpeg, C420paldv, C420mpeg2)\n",
				prog, path, tok + 1);
			return -EOPNOTSUPP;
		} else if (!strcmp(tok, "XCOLORRANGE=FULL")) {
			y->full = 1;
		}
	}
	if (y->w < 2 || y->h < 2 || y->w > MAX_SIDE || y->h > MAX_SIDE ||
	    y->w % 2 || y->h % 2) {
		fprintf(stderr, "%s: %s: frame size %dx%d; expected even sides of 2 to %d\n",
			prog, path, y->w, y->h, MAX_SIDE);
		return -EINVAL;
	}
	y->frame_bytes = (size_t)y->w * y->h * 3 / 2;
	y->buf = malloc(y->frame_bytes);
	if (!y->buf) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -ENOMEM;
	}
	return 0;
}

/* The next frame into @y->buf: 1, 0 at the end, or a negative errno. */
static int y4m_next(struct y4m *y)
{
	char line[1024];
	int truncated;
	size_t got;

	if (!read_line(y->f, line, sizeof(line), &truncated))
		return 0;
	if (truncated || strncmp(line, "FRAME", 5) ||
	    (line[5] && line[5] != ' ')) {
		fprintf(stderr, "%s: %s: frame %ld: %s\n", prog, y->name, y->n,
			truncated ? "truncated Y4M (the FRAME header is cut off)" :
				    "expected a FRAME header (corrupt Y4M)");
		return -EINVAL;
	}
	got = fread(y->buf, 1, y->frame_bytes, y->f);
	if (got != y->frame_bytes) {
		fprintf(stderr, "%s: %s: truncated Y4M: frame %ld has %zu of its %zu bytes\n",
			prog, y->name, y->n, got, y->frame_bytes);
		return -EINVAL;
	}
	y->n++;
	return 1;
}

static void y4m_close(struct y4m *y)
{
	if (y->f && y->f != stdin)
		fclose(y->f);
	free(y->buf);
}

/* The I420 frame in @y->buf as the camera descriptor the args ask for. */
static void make_frame(const struct y4m *y, const struct stream_args *a,
		       struct mnet_frame *f)
{
	size_t ys = (size_t)y->w * y->h;

	memset(f, 0, sizeof(*f));
	f->format = MNET_FRAME_I420;
	f->width = y->w;
	f->height = y->h;
	f->planes[0].data = y->buf;
	f->planes[1].data = y->buf + ys;
	f->planes[2].data = y->buf + ys + ys / 4;
	f->rotation = a->rotate;
	f->mirror = a->mirror;
	f->range = y->full ? MNET_FRAME_RANGE_FULL : MNET_FRAME_RANGE_LIMITED;
	f->crop = a->crop;
	if (!a->crop.w && a->crop_frac < 1.0f) {
		/* central, as mnet_image_preprocess() crops a photo */
		f->crop.y = (int)((y->h - y->h * a->crop_frac) / 2.0f);
		f->crop.x = (int)((y->w - y->w * a->crop_frac) / 2.0f);
		f->crop.h = y->h - 2 * f->crop.y;
		f->crop.w = y->w - 2 * f->crop.x;
	}
}

/**
 * struct stream_stats - per-frame times for the summary
 * @lat: latency (submit to result)
 * @conv: conversion
 * @inf: inference
 * @n: frames
 * @cap: room
 */
struct stream_stats {
	double *lat, *conv, *inf;
	int n, cap;
};

static int stats_add(struct stream_stats *st, double lat, double conv,
		     double inf)
{
	if (st->n == st->cap) {
		int cap = st->cap ? 2 * st->cap : 256;
		double *l = realloc(st->lat, cap * sizeof(double));
		double *c = l ? realloc(st->conv, cap * sizeof(double)) : NULL;
		double *i = c ? realloc(st->inf, cap * sizeof(double)) : NULL;

		if (l)
			st->lat = l;
		if (c)
			st->conv = c;
		if (!i)
			return -ENOMEM;
		st->inf = i;
		st->cap = cap;
	}
	st->lat[st->n] = lat;
	st->conv[st->n] = conv;
	st->inf[st->n++] = inf;
	return 0;
}

static double p90(double *v, int n)
{
	int i = (int)ceil(0.9 * n) - 1;

	mnet_tool_sort_doubles(v, n);
	return v[i < 0 ? 0 : i];
}

/* The @k best of @n outputs, best first. */
static int topk(const float *v, size_t n, int k, struct mnet_class *out)
{
	size_t i;
	int m = 0, j;

	for (i = 0; i < n; i++) {
		if (m == k && v[i] <= out[m - 1].score)
			continue;
		j = m < k ? m++ : m - 1;
		while (j > 0 && out[j - 1].score < v[i]) {
			out[j] = out[j - 1];
			j--;
		}
		out[j].index = (int)i;
		out[j].score = v[i];
	}
	return m;
}

/**
 * struct printer - how results are printed
 * @a: the arguments
 * @labels: class names, or NULL
 * @n_labels: how many
 * @offset: from mnet_tool_find_labels() (ImageNet's background class)
 * @tty: stderr is a terminal (progress line)
 * @t0: start of the stream
 * @first: when the first result came
 * @last: when the latest came
 *
 * Throughput is counted from the first result to the last, so the first
 * frame's one-off costs (an OpenCL program built at the first frame, cold
 * caches) are not spread over the stream.
 */
struct printer {
	const struct stream_args *a;
	char **labels;
	int n_labels, offset, tty;
	double t0, first, last;
};

static void print_frame(struct printer *p, uint64_t frame,
			const float *out, size_t n, double conv, double inf)
{
	struct mnet_class top[MAX_TOP];
	int k = topk(out, n, p->a->top, top), i;
	const char *label;

	p->last = mnet_now_ms();
	if (!frame)
		p->first = p->last;

	if (p->a->json) {
		printf("{\"frame\": %llu, \"convert_ms\": %.3f, \"infer_ms\": %.3f, \"top\": [",
		       (unsigned long long)frame, conv, inf);
		for (i = 0; i < k; i++) {
			printf("%s{\"class\": %d, \"label\": ", i ? ", " : "",
			       top[i].index);
			label = mnet_tool_label(p->labels, p->n_labels,
						p->offset, top[i].index);
			if (label[0])
				mnet_tool_json_string(stdout, label);
			else
				printf("null");
			printf(", \"score\": %.6f}", top[i].score);
		}
		printf("]}\n");
	} else {
		if (p->tty)
			fprintf(stderr, "\r\033[K");
		printf("frame %llu:", (unsigned long long)frame);
		for (i = 0; i < k; i++)
			printf("%s %.3f %s (%d)", i ? "," : "", top[i].score,
			       p->labels ? mnet_tool_label(p->labels,
							   p->n_labels,
							   p->offset,
							   top[i].index) : "?",
			       top[i].index);
		printf("\n");
	}
	fflush(stdout);
	if (p->tty && !p->a->json && p->a->verbose >= 0) {
		double s = (p->last - p->first) / 1000.0;

		fprintf(stderr, "frame %llu, %.1f frames/s",
			(unsigned long long)frame + 1,
			s > 0 ? (double)frame / s : 0.0);
	}
}

static int run_sync(struct mnet_session *s, struct y4m *y,
		    struct printer *p, struct stream_stats *stats)
{
	struct mnet_err err = { 0 };
	struct mnet_frame f;
	int ret;

	while (!p->a->max_frames || y->n < p->a->max_frames) {
		const float *out;
		double t0, conv, inf;
		size_t n;

		ret = y4m_next(y);
		if (ret <= 0)
			return ret;
		make_frame(y, p->a, &f);
		t0 = mnet_now_ms();
		ret = mnet_session_run_frame(s, &f, &err);
		if (ret) {
			fprintf(stderr, "%s: frame %ld: %s\n", prog, y->n - 1,
				err.msg);
			return ret;
		}
		t0 = mnet_now_ms() - t0;
		mnet_session_frame_times(s, &conv, &inf);
		out = mnet_session_output(s, &n);
		print_frame(p, (uint64_t)y->n - 1, out, n, conv, inf);
		if (stats_add(stats, t0, conv, inf))
			return -ENOMEM;
	}
	return 0;
}

static int collect(struct mnet_stream *st, struct printer *p,
		   const double *submitted, struct stream_stats *stats)
{
	struct mnet_stream_result r;
	int ret = mnet_stream_wait(st, &r);

	if (ret)
		return ret;
	if (r.status) {
		fprintf(stderr, "%s: %s\n", prog, r.err.msg);
		return r.status;
	}
	print_frame(p, r.frame, r.output, r.count, r.convert_ms, r.infer_ms);
	return stats_add(stats, mnet_now_ms() - submitted[r.frame % DEPTH],
			 r.convert_ms, r.infer_ms);
}

static int run_pipelined(struct mnet_session *s, struct y4m *y,
			 struct printer *p, struct stream_stats *stats)
{
	struct mnet_stream *st = NULL;
	struct mnet_err err = { 0 };
	double submitted[DEPTH];
	long in_flight = 0;
	int ret, more = 1, failed = 0;
	struct mnet_frame f;

	ret = mnet_stream_create(s, DEPTH, &st, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		return ret;
	}
	if (p->a->verbose > 0 && mnet_stream_split_layer(st))
		fprintf(stderr, "%s: split stream: layers from %d on the host's cpu backend\n",
			prog, mnet_stream_split_layer(st));
	while (more || in_flight) {
		if (more && in_flight < DEPTH &&
		    (!p->a->max_frames || y->n < p->a->max_frames)) {
			ret = y4m_next(y);
			if (ret <= 0) {
				/* a bad frame: still report those in flight */
				failed = ret;
				more = 0;
				continue;
			}
			make_frame(y, p->a, &f);
			submitted[(y->n - 1) % DEPTH] = mnet_now_ms();
			ret = mnet_stream_submit(st, &f, &err);
			if (ret) {
				fprintf(stderr, "%s: frame %ld: %s\n", prog,
					y->n - 1, err.msg);
				failed = ret;
				more = 0;
				continue;
			}
			in_flight++;
			continue;
		}
		if (p->a->max_frames && y->n >= p->a->max_frames)
			more = 0;
		if (!in_flight)
			continue;
		ret = collect(st, p, submitted, stats);
		if (ret)
			break;
		in_flight--;
	}
	mnet_stream_destroy(st);
	return ret < 0 ? ret : failed;
}

/* -v: what the run uses, as mnet-classify -v says it */
static void print_verbose(const struct stream_args *a, const char *model_path,
			  const struct y4m *y, struct mnet_session *s,
			  const struct printer *p)
{
	fprintf(stderr, "%s: model %s\n", prog, model_path);
	fprintf(stderr, "%s: %s: %dx%d 4:2:0 frames, %s range\n", prog,
		y->name, y->w, y->h, y->full ? "full" : "limited");
	fprintf(stderr, "%s: labels: %d\n", prog, p->n_labels);
	fprintf(stderr, "%s: backend %s (%s) on %s; %s\n", prog,
		mnet_session_backend_name(s),
		mnet_tool_precision_name(mnet_session_precision(s)),
		mnet_session_device_name(s) ? mnet_session_device_name(s) : "-",
		a->sync ? "one frame at a time" : "pipelined, depth 2");
}

static void print_summary(struct printer *p, struct stream_stats *st,
			  double wall_ms)
{
	double span = p->last - p->first;
	double fps = st->n > 1 && span > 0 ? (st->n - 1) / (span / 1000.0) :
		     wall_ms > 0 ? st->n / (wall_ms / 1000.0) : 0;
	double med = 0, q90 = 0, cmed = 0, imed = 0;

	if (p->tty && !p->a->json)
		fprintf(stderr, "\r\033[K");
	if (st->n) {
		q90 = p90(st->lat, st->n);
		med = mnet_tool_median(st->lat, st->n);
		cmed = mnet_tool_median(st->conv, st->n);
		imed = mnet_tool_median(st->inf, st->n);
	}
	if (p->a->json) {
		printf("{\"summary\": {\"frames\": %d, \"fps\": %.3f, \"median_ms\": %.3f, \"p90_ms\": %.3f, \"convert_median_ms\": %.3f, \"infer_median_ms\": %.3f}}\n",
		       st->n, fps, med, q90, cmed, imed);
		return;
	}
	printf("%d frames in %.2f s (%s): %.2f frames/s; latency median %.2f ms, p90 %.2f ms; conversion median %.3f ms, inference median %.2f ms\n",
	       st->n, wall_ms / 1000.0, p->a->sync ? "one at a time" :
	       "pipelined", fps, med, q90, cmed, imed);
}

int main(int argc, char **argv)
{
	struct stream_stats stats = { 0 };
	struct printer pr = { 0 };
	struct stream_args a;
	struct mnet_model *m = NULL;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	char mpath[4096];
	struct y4m y;
	double t0;
	int ret;

	argv[0] = (char *)prog;		/* getopt's messages: no path */
	if (parse_args(argc, argv, &a))
		return MNET_TOOL_EXIT_USAGE;
	ret = y4m_open(&y, a.input);
	if (ret)
		goto out;
	/* a crop outside the frame is found now, not at frame 0 */
	if (a.crop.w && (a.crop.x < 0 || a.crop.y < 0 ||
			 a.crop.x > y.w - a.crop.w ||
			 a.crop.y > y.h - a.crop.h)) {
		fprintf(stderr, "%s: --crop %dx%d+%d+%d is not inside %s's %dx%d frames\n",
			prog, a.crop.w, a.crop.h, a.crop.x, a.crop.y, y.name,
			y.w, y.h);
		ret = -EINVAL;
		goto out;
	}
	m = mnet_tool_load_model(a.model, 0, 0, 0, prog);
	if (!m) {
		ret = -EINVAL;
		goto out;
	}
	/* a feature extractor's output is no class scores to print */
	if (mnet_model_output_kind(m) == MNET_OUTPUT_EMBEDDING) {
		fprintf(stderr, "%s: %s is a feature extractor (its output is an embedding, not classes); mnet-stream prints classes\n",
			prog, mnet_model_name(m));
		ret = -EINVAL;
		goto out;
	}
	/* the labels are checked against the model before any frame */
	mnet_tool_model_path(a.model, mpath, sizeof(mpath));
	ret = mnet_tool_find_labels(prog, a.verbose < 0, a.labels, mpath,
				    mnet_model_output_size(m), &pr.labels,
				    &pr.n_labels, &pr.offset);
	if (ret)
		goto out;
	ret = mnet_session_create(m, &a.opts, &s, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		goto out;
	}
	if (err.msg[0] && a.verbose >= 0)
		fprintf(stderr, "%s: %s\n", prog, err.msg);
	pr.a = &a;
	if (a.verbose > 0)
		print_verbose(&a, mpath, &y, s, &pr);
	pr.tty = isatty(2);
	pr.t0 = t0 = mnet_now_ms();
	ret = a.sync ? run_sync(s, &y, &pr, &stats) :
		       run_pipelined(s, &y, &pr, &stats);
	print_summary(&pr, &stats, mnet_now_ms() - t0);
out:
	mnet_tool_free_labels(pr.labels);
	free(stats.lat);
	free(stats.conv);
	free(stats.inf);
	mnet_session_destroy(s);
	mnet_model_free(m);
	y4m_close(&y);
	return ret ? 1 : 0;
}
