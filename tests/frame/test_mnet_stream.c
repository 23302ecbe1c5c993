// SPDX-License-Identifier: Apache-2.0
/*
 * test_mnet_stream.c - the mnet-stream tool on Y4M videos made here from
 * the shared photos: per-frame answers equal the image path's, pipelined
 * and --sync, rotated and cropped; truncated or unsupported files are
 * clear errors
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/test_util.h"
#include "lib/frame_test.h"
#include "image/image.h"

#define MODEL "mobilenet_v1_0.25_128_quant.tflite"
#define SIDE 224
#define N_FRAMES 4

static const char *const photos[N_FRAMES] = {
	"images/imagenet/n01558993_robin.JPEG",
	"images/cat.bmp",
	"images/parrot.jpg",
	"images/imagenet/n01440764_tench.JPEG",
};

static uint8_t *rgb[N_FRAMES];	/* SIDE x SIDE centre of each photo */
static int want[N_FRAMES];	/* its class on the image path */
static char dir[64];

/* Write the frames as Y4M (limited range), turned a quarter if @turn. */
static int write_y4m(const char *path, int turn, long cut, const char *cs)
{
	FILE *f = fopen(path, "wb");
	struct mnet_frame fr;
	long size;
	int i, p;

	if (!f)
		return -1;
	fprintf(f, "YUV4MPEG2 W%d H%d F25:1 Ip A1:1 C%s\n", SIDE, SIDE, cs);
	for (i = 0; i < N_FRAMES; i++) {
		uint8_t *src = turn ? ft_rotate_cw(rgb[i], SIDE, SIDE) : rgb[i];
		uint8_t *buf = ft_frame_from_rgb(src, SIDE, SIDE,
						 MNET_FRAME_I420, 0, 0, &fr);

		fprintf(f, "FRAME\n");
		for (p = 0; p < 3; p++)
			fwrite(fr.planes[p].data, 1,
			       p ? SIDE * SIDE / 4 : SIDE * SIDE, f);
		free(buf);
		if (src != rgb[i])
			free(src);
	}
	size = ftell(f);
	fclose(f);
	if (cut && truncate(path, size - cut))
		return -1;
	return 0;
}

/* The classes of the "frame" lines of --json output, in order. */
static int parse_classes(const char *out, int *cls, int max)
{
	const char *p = out;
	int n = 0;

	while ((p = strstr(p, "{\"frame\": ")) && n < max) {
		const char *c = strstr(p, "\"class\": ");

		if (!c)
			break;
		cls[n++] = atoi(c + 9);
		p = c;
	}
	return n;
}

static void run_and_check(const char *opts, const char *file)
{
	static char out[1 << 16];
	char cmd[512];
	int cls[N_FRAMES + 1], n, i, rc;

	snprintf(cmd, sizeof(cmd), "./mnet-stream -m %s -b cpu -t 2 --json %s %s/%s",
		 MODEL, opts, dir, file);
	rc = mnet_test_run_tool(out, sizeof(out), cmd);
	if (rc)
		printf("\n  %s:\n%s", cmd, out);
	CU_ASSERT_EQUAL(rc, 0);
	n = parse_classes(out, cls, N_FRAMES + 1);
	CU_ASSERT_EQUAL(n, N_FRAMES);
	for (i = 0; i < n && i < N_FRAMES; i++)
		CU_ASSERT_EQUAL(cls[i], want[i]);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "{\"summary\": {\"frames\": 4, \"fps\": "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"convert_median_ms\": "));
}

static void test_pipelined(void)
{
	run_and_check("", "photos.y4m");
}

static void test_sync(void)
{
	run_and_check("--sync", "photos.y4m");
}

static void test_rotated(void)
{
	run_and_check("--rotate 270", "turned.y4m");
	run_and_check("--rotate 270 --sync --crop 224x224+0+0", "turned.y4m");
}

static void test_bad_files(void)
{
	static const struct {
		const char *file, *msg;
	} cases[] = {
		{ "truncated.y4m", "truncated Y4M: frame 3 has" },
		{ "c444.y4m", "colour space C444 is not supported" },
		{ "c420p10.y4m", "colour space C420p10 is not supported" },
		/* labels that do not fit the model: before any frame */
		{ "photos.y4m -l inat_bird_labels.txt", "965 labels but the model has 1001" },
		/* an embedding is no class scores: refused, not printed as classes */
		{ "photos.y4m -m mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
		  "is a feature extractor" },
		{ "missing.y4m", "No such file" },
		{ "/dev/video0", "V4L2 capture is not implemented" },
	};
	static char out[1 << 16];
	char cmd[512];
	unsigned int i;
	FILE *f;

	/* a crop outside the frames: found before any frame is run */
	snprintf(cmd, sizeof(cmd), "./mnet-stream -m %s -b cpu --crop 300x300+0+0 %s/photos.y4m",
		 MODEL, dir);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "is not inside"));
	CU_ASSERT_PTR_NULL(strstr(out, "frames in"));
	/* bad usage exits 2, as in every tool (docs/tools.md) */
	snprintf(cmd, sizeof(cmd), "./mnet-stream -m %s -b cpu %s/photos.y4m --rotate 45",
		 MODEL, dir);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--rotate must be"));
	snprintf(cmd, sizeof(cmd), "%s/notyuv.y4m", dir);
	f = fopen(cmd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("P6 2 2 255\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "./mnet-stream -m %s -b cpu %s/notyuv.y4m",
		 MODEL, dir);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "not a Y4M stream"));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;

		if (cases[i].file[0] == '/')
			snprintf(cmd, sizeof(cmd), "./mnet-stream -m %s %s",
				 MODEL, cases[i].file);
		else
			snprintf(cmd, sizeof(cmd), "./mnet-stream -m %s -b cpu %s/%s",
				 MODEL, dir, cases[i].file);
		rc = mnet_test_run_tool(out, sizeof(out), cmd);
		/* the frames before a truncated one are still reported */
		if (strstr(cases[i].file, "truncated"))
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "frame 2:"));
		if (rc != 1 || !strstr(out, cases[i].msg))
			printf("\n  %s: rc %d:\n%s", cmd, rc, out);
		CU_ASSERT_EQUAL(rc, 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, cases[i].msg));
	}
}

/* -v says what the run uses; -q drops the notes; the later one wins */
static void test_verbose_quiet(void)
{
	static char out[1 << 16];
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "./mnet-stream -m %s -b cpu -q -v --json %s/photos.y4m",
		 MODEL, dir);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "224x224 4:2:0 frames, limited range"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-stream: labels: 1001"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "pipelined, depth 2"));
	snprintf(cmd, sizeof(cmd), "./mnet-stream -m %s -b cpu -v -q --json %s/photos.y4m",
		 MODEL, dir);
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "mnet-stream: labels:"));
	CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out),
					   "./mnet-stream --version"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-stream (mobilenet-cl)"));
}

static const CU_TestInfo tests[] = {
	{ "-v and -q, --version", test_verbose_quiet },
	{ "pipelined: every frame's class = the image path's", test_pipelined },
	{ "--sync: the same classes", test_sync },
	{ "--rotate and --crop on a turned video", test_rotated },
	{ "bad files and options are clear errors", test_bad_files },
	CU_TEST_INFO_NULL,
};

static int prepare(void)
{
	struct mnet_model *m = NULL;
	struct mnet_session *s = NULL;
	struct mnet_session_opts o;
	char path[128];
	int i, y;

	if (mnet_model_load_file(mnet_test_shared_path("models/" MODEL), &m,
				 NULL))
		return -1;
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_CPU;
	if (mnet_session_create(m, &o, &s, NULL))
		return -1;
	for (i = 0; i < N_FRAMES; i++) {
		struct mnet_image *img = NULL, *c = NULL;
		struct mnet_class top;
		int x0, y0;

		if (mnet_image_load(mnet_test_shared_path(photos[i]), &img,
				    NULL) || img->w < SIDE || img->h < SIDE)
			return -1;
		rgb[i] = malloc(SIDE * SIDE * 3);
		x0 = (img->w - SIDE) / 2;
		y0 = (img->h - SIDE) / 2;
		for (y = 0; y < SIDE; y++)
			memcpy(rgb[i] + (size_t)y * SIDE * 3,
			       img->rgb + ((size_t)(y0 + y) * img->w + x0) * 3,
			       SIDE * 3);
		if (mnet_image_from_rgb(rgb[i], SIDE, SIDE, &c) ||
		    mnet_session_run_image(s, c, 1.0f) ||
		    mnet_session_topk(s, 1, &top) != 1)
			return -1;
		want[i] = top.index;
		mnet_image_free(c);
		mnet_image_free(img);
	}
	mnet_session_destroy(s);
	mnet_model_free(m);
	snprintf(dir, sizeof(dir), "/tmp/mnet-stream-test-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/photos.y4m", dir);
	if (write_y4m(path, 0, 0, "420jpeg"))
		return -1;
	snprintf(path, sizeof(path), "%s/turned.y4m", dir);
	if (write_y4m(path, 1, 0, "420"))
		return -1;
	snprintf(path, sizeof(path), "%s/truncated.y4m", dir);
	if (write_y4m(path, 0, 1000, "420jpeg"))
		return -1;
	snprintf(path, sizeof(path), "%s/c420p10.y4m", dir);
	if (write_y4m(path, 0, 0, "420p10"))
		return -1;
	snprintf(path, sizeof(path), "%s/c444.y4m", dir);
	return write_y4m(path, 0, 0, "444");
}

int main(void)
{
	char cmd[128];
	int ret, i;

	if (!mnet_test_have_file("models/" MODEL) ||
	    !mnet_test_have_file("images/cat.bmp")) {
		printf("shared model or images not found: skipped\n");
		return 77;
	}
	if (prepare()) {
		printf("cannot prepare the videos\n");
		return 1;
	}
	ret = mnet_test_run_suite("mnet-stream", tests);
	/* $MNET_TEST_KEEP=1 keeps the videos, to look at */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (getenv("MNET_TEST_KEEP"))
		printf("videos kept in %s\n", dir);
	else if (system(cmd))
		ret = 1;
	for (i = 0; i < N_FRAMES; i++)
		free(rgb[i]);
	return ret;
}
