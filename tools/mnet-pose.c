// SPDX-License-Identifier: Apache-2.0
/*
 * mnet-pose - multi-person pose estimation with a PoseNet model
 *
 * Runs a PoseNet file whose graph ends in PosenetDecoderOp (the custom
 * operator runs on the host after the device layers, on every backend)
 * on one image, resized bilinear to the model's input (no crop), and
 * prints the poses: each with its score and 17 keypoints (id, name,
 * score, x and y normalized to [0, 1] of the image), as text or as one
 * JSON object, with the time of the resize, of an inference and the
 * decoder's share of that.
 * -o draws the keypoints and the skeleton on the image as a PNG.  Exit
 * status: 0 when the image was processed, 1 when the model, the image or
 * the run failed, 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "lib/pose_draw.h"
#include "lib/tool_util.h"
#include "mnet/mnet.h"
#include "support/clock.h"

#define DEFAULT_MODEL "posenet_mobilenet_v1_075_353_481_16_quant_decoder.tflite"
#define MAX_POSES 1024

static const char *prog = "mnet-pose";

struct pose_args {
	const char *model, *image, *png;
	struct mnet_session_opts opts;
	float min_score;
	int repeat, json, verbose;
};

struct pose_times {
	double pre_ms;		/* resize and input mapping, once */
	double ms;		/* inference, decoder included: median */
	double dec_ms;		/* the decoder's host time: median */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS] IMAGE\n"
		"Find people's poses (17 keypoints each) in a BMP, JPEG or PNG image\n"
		"with a PoseNet model whose graph ends in PosenetDecoderOp.\n"
		"\n"
		"  -m, --model FILE       .tflite model; a bare name is looked up in\n"
		"                         $MNET_MODEL_DIR (default ../shared/models)\n"
		"                         [default: %s]\n"
		"  -o, --output FILE      draw keypoints and skeleton on the image, as PNG\n"
		"  -s, --min-score S      keypoints drawn from this score [default: 0.2]\n"
		"  -b, --backend NAME     auto, ref, cpu or opencl [default: auto]\n"
		"  -d, --device D         OpenCL device index or name substring\n"
		"  -p, --precision P      auto, fp32, fp16-storage, fp16 or int8\n"
		"                         [default: auto]\n"
		"  -t, --threads N        host threads, 0 = all cores [default: 0]\n"
		"  -r, --repeat N         run N times, report the median [default: 1]\n"
		"  -j, --json             one JSON object: {\"poses\": [{\"score\": S,\n"
		"                         \"keypoints\": [{\"id\": K, \"score\": S, \"x\": X,\n"
		"                         \"y\": Y}, ...]}, ...], ...}\n"
		"  -v, --verbose          more detail on stderr\n"
		"  -q, --quiet            no notes\n"
		"  -h, --help             this help\n"
		"  -V, --version          library version, revision, backends\n"
		"\n"
		"Exit status: 0 done, 1 failed, 2 bad usage.\n",
		prog, DEFAULT_MODEL);
}

static int parse_args(int argc, char **argv, struct pose_args *a)
{
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "min-score", required_argument, NULL, 's' },
		{ "backend", required_argument, NULL, 'b' },
		{ "device", required_argument, NULL, 'd' },
		{ "precision", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	memset(a, 0, sizeof(*a));
	a->model = DEFAULT_MODEL;
	a->min_score = 0.2f;
	a->repeat = 1;
	mnet_session_opts_init(&a->opts);
	while ((c = getopt_long(argc, argv, "m:o:s:b:d:p:t:r:jhVvq", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'm':
			a->model = optarg;
			break;
		case 'o':
			a->png = optarg;
			break;
		case 's':
			a->min_score = strtof(optarg, &end);
			if (*end || !(a->min_score >= 0.0f &&
				      a->min_score <= 1.0f)) {
				fprintf(stderr, "%s: --min-score must be in [0, 1]\n",
					prog);
				return -EINVAL;
			}
			break;
		case 'b':
			if (mnet_tool_parse_backend(prog, optarg, &a->opts.backend))
				return -EINVAL;
			break;
		case 'd':
			a->opts.device = optarg;
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
		case 'r':
			if (mnet_tool_parse_int(optarg, 1, 100000, &a->repeat)) {
				fprintf(stderr, "%s: --repeat must be 1..100000\n",
					prog);
				return -EINVAL;
			}
			break;
		case 'j':
			a->json = 1;
			break;
		case 'h':
			usage(stdout);
			exit(MNET_TOOL_EXIT_OK);
		case 'V':
			mnet_tool_print_version(prog);
			exit(MNET_TOOL_EXIT_OK);
		case 'v':
			a->verbose = 1;
			break;
		case 'q':
			a->verbose = -1;
			break;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s: give exactly one IMAGE (--help)\n", prog);
		return -EINVAL;
	}
	a->image = argv[optind];
	return mnet_tool_check_choices(prog, &a->opts);
}

/*
 * The decoder's four outputs, as PosenetDecoderOp gives them: keypoints
 * [N, 17, 2] (y, x in pixels of the model input), keypoint scores
 * [N, 17], pose scores [N], the count.  Return N, or -EINVAL.
 */
static int pose_outputs(const struct mnet_model *m)
{
	struct mnet_output_info o[4];
	int i;

	if (mnet_model_output_count(m) != 4)
		return -EINVAL;
	for (i = 0; i < 4; i++)
		if (mnet_model_output_info(m, i, &o[i]) ||
		    o[i].kind != MNET_OUTPUT_CUSTOM)
			return -EINVAL;
	if (o[0].shape.w != MNET_POSE_KEYPOINTS || o[0].shape.c != 2 ||
	    o[1].shape.h != o[0].shape.h || o[2].shape.c != o[0].shape.h ||
	    o[0].shape.h > MAX_POSES)
		return -EINVAL;
	return o[0].shape.h;
}

/* Read the last run's poses, normalized by the model's input size. */
static int read_poses(const struct mnet_session *s, const struct mnet_model *m,
		      int cap, struct mnet_pose *poses)
{
	struct mnet_shape in = mnet_model_input_shape(m);
	size_t nk = (size_t)cap * MNET_POSE_KEYPOINTS;
	float *kp = malloc(nk * 2 * sizeof(float));
	float *ks = malloc(nk * sizeof(float));
	float *ps = malloc((size_t)cap * sizeof(float));
	float count = 0.0f;
	int n = -ENOMEM, i, k;

	if (!kp || !ks || !ps)
		goto out;
	if (mnet_session_output_read(s, 0, kp, nk * 2) ||
	    mnet_session_output_read(s, 1, ks, nk) ||
	    mnet_session_output_read(s, 2, ps, (size_t)cap) ||
	    mnet_session_output_read(s, 3, &count, 1)) {
		n = -EIO;
		goto out;
	}
	n = (int)count;
	if (n < 0 || n > cap)
		n = n < 0 ? 0 : cap;
	for (i = 0; i < n; i++) {
		poses[i].score = ps[i];
		for (k = 0; k < MNET_POSE_KEYPOINTS; k++) {
			size_t j = (size_t)i * MNET_POSE_KEYPOINTS + k;

			poses[i].ks[k] = ks[j];
			poses[i].y[k] = kp[j * 2] / (float)in.h;
			poses[i].x[k] = kp[j * 2 + 1] / (float)in.w;
		}
	}
out:
	free(kp);
	free(ks);
	free(ps);
	return n;
}

static void print_json(const struct pose_args *a, const struct mnet_model *m,
		       const struct mnet_session *s,
		       const struct mnet_pose *poses, int n,
		       const struct pose_times *pt)
{
	int i, k;

	printf("{\"image\": ");
	mnet_tool_json_string(stdout, a->image);
	printf(", \"model\": ");
	mnet_tool_json_string(stdout, mnet_model_name(m));
	printf(", \"backend\": ");
	mnet_tool_json_string(stdout, mnet_session_backend_name(s));
	printf(", \"device\": ");
	mnet_tool_json_string(stdout, mnet_session_device_name(s));
	printf(", \"preprocess_ms\": %.3f, \"ms\": %.3f, \"decoder_ms\": %.3f, \"poses\": [",
	       pt->pre_ms, pt->ms, pt->dec_ms);
	for (i = 0; i < n; i++) {
		printf("%s{\"score\": %.6f, \"keypoints\": [", i ? ", " : "",
		       poses[i].score);
		for (k = 0; k < MNET_POSE_KEYPOINTS; k++)
			printf("%s{\"id\": %d, \"name\": \"%s\", \"score\": %.6f, \"x\": %.6f, \"y\": %.6f}",
			       k ? ", " : "", k, mnet_pose_names[k],
			       poses[i].ks[k], poses[i].x[k], poses[i].y[k]);
		printf("]}");
	}
	printf("]}\n");
}

static void print_text(const struct pose_args *a, const struct mnet_session *s,
		       const struct mnet_pose *poses, int n,
		       const struct pose_times *pt)
{
	int i, k;

	printf("%s: %d pose%s (%s: inference %.2f ms, of which the decoder %.3f ms; resize %.2f ms)\n",
	       a->image, n, n == 1 ? "" : "s", mnet_session_backend_name(s),
	       pt->ms, pt->dec_ms, pt->pre_ms);
	for (i = 0; i < n; i++) {
		printf("pose %d: score %.4f\n", i, poses[i].score);
		for (k = 0; k < MNET_POSE_KEYPOINTS; k++)
			printf("  %2d %-14s %.4f  x %.4f  y %.4f\n", k,
			       mnet_pose_names[k], poses[i].ks[k],
			       poses[i].x[k], poses[i].y[k]);
	}
}

/*
 * Preprocess once (resize bilinear to the model's input, no crop), then
 * run @repeat times: the median inference and the decoder's median share.
 */
static int run(struct mnet_session *s, const struct mnet_model *m,
	       const struct mnet_image *img, int repeat,
	       struct pose_times *pt)
{
	struct mnet_shape in = mnet_model_input_shape(m);
	size_t n = (size_t)in.h * in.w * in.c;
	double *t = malloc((size_t)repeat * 2 * sizeof(double));
	float *x = malloc(n * sizeof(float));
	double t0 = mnet_now_ms();
	int i, ret = -ENOMEM;

	if (!t || !x)
		goto out;
	ret = mnet_image_preprocess(img, m, 1.0f, x, n);
	pt->pre_ms = mnet_now_ms() - t0;
	for (i = 0; i < repeat && !ret; i++) {
		t0 = mnet_now_ms();
		ret = mnet_session_run(s, x, n);
		t[i] = mnet_now_ms() - t0;
		t[repeat + i] = mnet_session_host_ms(s);
	}
	if (!ret) {
		mnet_tool_sort_doubles(t + repeat, repeat);
		pt->dec_ms = t[repeat + repeat / 2];
		pt->ms = mnet_tool_median(t, repeat);
	}
out:
	free(x);
	free(t);
	return ret;
}

static int pose_one(struct mnet_session *s, const struct mnet_model *m,
		    const struct pose_args *a, int cap)
{
	struct mnet_err err = { 0 };
	struct mnet_pose *poses;
	struct pose_times pt = { 0 };
	struct mnet_image *img;
	int n, ret;

	ret = mnet_image_load(a->image, &img, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		return ret;
	}
	poses = calloc((size_t)cap, sizeof(*poses));
	ret = poses ? run(s, m, img, a->repeat, &pt) : -ENOMEM;
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", prog, a->image,
			mnet_strerror(ret));
		goto out;
	}
	n = read_poses(s, m, cap, poses);
	if (n < 0) {
		ret = n;
		fprintf(stderr, "%s: %s: cannot read the poses: %s\n", prog,
			a->image, mnet_strerror(ret));
		goto out;
	}
	if (a->json)
		print_json(a, m, s, poses, n, &pt);
	else
		print_text(a, s, poses, n, &pt);
	if (a->png) {
		mnet_pose_draw(img->rgb, img->w, img->h, poses, n,
			       a->min_score);
		ret = mnet_pose_write_png(a->png, img->rgb, img->w, img->h);
		if (ret)
			fprintf(stderr, "%s: %s: cannot write the PNG\n", prog,
				a->png);
		else if (a->verbose > 0)
			fprintf(stderr, "%s: wrote %s\n", prog, a->png);
	}
out:
	free(poses);
	mnet_image_free(img);
	return ret;
}

int main(int argc, char **argv)
{
	struct pose_args a;
	struct mnet_err err = { 0 };
	struct mnet_session *s = NULL;
	struct mnet_model *m;
	int ret, cap;

	argv[0] = (char *)prog;		/* getopt's messages: no path */
	if (parse_args(argc, argv, &a))
		return MNET_TOOL_EXIT_USAGE;
	m = mnet_tool_load_model(a.model, 0, 0.0f, 0, prog);
	if (!m)
		return MNET_TOOL_EXIT_FAIL;
	cap = pose_outputs(m);
	if (cap < 0) {
		fprintf(stderr, "%s: %s is not a pose model (its outputs are not PosenetDecoderOp's four)\n",
			prog, mnet_model_name(m));
		mnet_model_free(m);
		return MNET_TOOL_EXIT_FAIL;
	}
	ret = mnet_session_create(m, &a.opts, &s, &err);
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", prog, mnet_model_name(m),
			err.msg[0] ? err.msg : mnet_strerror(ret));
		mnet_model_free(m);
		return MNET_TOOL_EXIT_FAIL;
	}
	if (err.msg[0] && a.verbose >= 0)
		fprintf(stderr, "%s: %s\n", prog, err.msg);
	if (a.verbose > 0)
		fprintf(stderr, "%s: %s on %s (%s)\n", prog, mnet_model_name(m),
			mnet_session_backend_name(s),
			mnet_session_device_name(s));
	ret = pose_one(s, m, &a, cap);
	mnet_session_destroy(s);
	mnet_model_free(m);
	return ret ? MNET_TOOL_EXIT_FAIL : MNET_TOOL_EXIT_OK;
}
