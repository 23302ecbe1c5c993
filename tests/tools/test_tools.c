// SPDX-License-Identifier: Apache-2.0
/*
 * test_tools.c - the command-line tools end to end
 *
 * Runs the built programs the way a user would (through the shell, from
 * $MNET_TEST_TOOLS) and checks their output and exit status: classification
 * of the shared photos, JSON output, --help, and clear failures on a
 * corrupt image or a missing model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/test_util.h"
#include "lib/tfl_builder.h"

static char out[1 << 16];

/* Run a tool command line (@fmt with @a, @b); output into out[]. */
static int run(const char *fmt, const char *a, const char *b)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return mnet_test_run_tool(out, sizeof(out), cmd);
}

static int first_class(const char *json)
{
	const char *p = strstr(json, "\"class\": ");

	return p ? atoi(p + 9) : -1;
}

static const char *const classifiers[] = {
	"mobilenet_v1_0.25_128_quant.tflite",
	"mobilenet_v1_0.5_160_quant.tflite",
	"mobilenet_v1_0.75_192_quant.tflite",
	"mobilenet_v2_1.0_224_quant.tflite",
	"tf2_mobilenet_v2_1.0_224_ptq.tflite",
};

#define N_CLASSIFIERS (sizeof(classifiers) / sizeof(classifiers[0]))

static const char *const backends[] = { "ref", "cpu", "opencl" };

/* Whether an OpenCL device can run a session here (PoCL in CI). */
static int have_opencl(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_model *m = NULL;
	int ok;

	if (mnet_model_create_synthetic(0.25f, 32, &m, NULL))
		return 0;
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_OPENCL;
	ok = mnet_session_create(m, &o, &s, NULL) == 0;
	mnet_session_destroy(s);
	mnet_model_free(m);
	return ok;
}

static unsigned int n_backends(void)
{
	static int ocl = -1;

	if (ocl < 0) {
		ocl = have_opencl();
		if (!ocl)
			printf("\n    no OpenCL device: opencl not compared");
	}
	return ocl ? 3 : 2;
}

/* Every classifier on every backend calls cat.bmp a cat. */
static void test_cat_is_a_cat(void)
{
	char cmd[128];
	unsigned int i, b;

	for (i = 0; i < N_CLASSIFIERS; i++) {
		for (b = 0; b < n_backends(); b++) {
			int cls;

			snprintf(cmd, sizeof(cmd),
				 "./mnet-classify --backend %s --json -m %%s %%s",
				 backends[b]);
			CU_ASSERT_EQUAL(run(cmd, classifiers[i],
					    mnet_test_shared_path("images/cat.bmp")), 0);
			cls = first_class(out);
			/* 282 tabby .. 286 Egyptian cat in the 1001 classes */
			CU_ASSERT(cls >= 282 && cls <= 286);
			if (cls < 282 || cls > 286)
				fprintf(stderr, "%s on %s: %s\n", classifiers[i],
					backends[b], out);
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"ms\": "));
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"label\": \""));
		}
	}
}

/* Every shared photo gets the reference's top-1 on every backend. */
static void test_all_photos(void)
{
	static const char *const photos[] = { "cat.bmp", "bird.bmp",
					      "dragonfly.bmp", "parrot.jpg" };
	char imgs[4096] = "", cmd[128];
	int ref_top[4][N_CLASSIFIERS];
	unsigned int p, i, b;

	for (p = 0; p < 4; p++)
		snprintf(imgs + strlen(imgs), sizeof(imgs) - strlen(imgs),
			 "%s/%s ", mnet_test_shared_path("images"), photos[p]);
	for (b = 0; b < n_backends(); b++) {
		for (i = 0; i < N_CLASSIFIERS; i++) {
			const char *line = out;

			snprintf(cmd, sizeof(cmd),
				 "./mnet-classify --backend %s --json -m %%s %%s",
				 backends[b]);
			CU_ASSERT_EQUAL(run(cmd, classifiers[i], imgs), 0);
			/* one JSON line per photo, in order */
			for (p = 0; p < 4 && line; p++) {
				int cls = first_class(line);

				CU_ASSERT_PTR_NOT_NULL(strstr(line, photos[p]));
				if (b == 0)
					ref_top[p][i] = cls;
				else
					CU_ASSERT_EQUAL(cls, ref_top[p][i]);
				line = strchr(line, '\n');
				line = line ? line + 1 : NULL;
			}
			CU_ASSERT_EQUAL(p, 4);
		}
	}
	/* the text format names each photo */
	CU_ASSERT_EQUAL(run("./mnet-classify --backend cpu -k 3 -m %s %s",
			    classifiers[0], imgs), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "parrot.jpg:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "dragonfly.bmp:"));
}

static void test_bad_inputs(void)
{
	char path[] = "/tmp/mnet-test-corrupt-XXXXXX";
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	/* a JPEG header and nothing after it */
	CU_ASSERT_EQUAL(write(fd, "\xff\xd8\xff\xe0\x00\x10JFIF", 10), 10);
	close(fd);
	CU_ASSERT_EQUAL(run("./mnet-classify --backend ref -m %s %s",
			    classifiers[0], path), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, path));
	unlink(path);

	CU_ASSERT_EQUAL(run("./mnet-classify -m %s %s", "/nonexistent/model.tflite",
			    mnet_test_shared_path("images/cat.bmp")), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/nonexistent/model.tflite"));

	CU_ASSERT_EQUAL(run("./mnet-classify --backend ref -m %s %s",
			    classifiers[0], "/nonexistent.png"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/nonexistent.png"));

	CU_ASSERT_EQUAL(run("./mnet-classify --backend nosuch %s%s", "x.png", ""), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "unknown backend"));
	CU_ASSERT_EQUAL(run("./mnet-classify --crop 1.5 %s%s", "x.png", ""), 2);
}

static void test_help_and_info(void)
{
	CU_ASSERT_EQUAL(run("./mnet-classify --help%s%s", "", ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--json"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--backend"));
	CU_ASSERT_EQUAL(run("./mnet-info --synthetic 1.0 224%s%s", "", ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "(568.7M)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "(4.222M)"));
	CU_ASSERT_EQUAL(run("./mnet-info -m %s%s",
			    "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
			    ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "output 1024 values"));
	CU_ASSERT_EQUAL(run("./mnet-info --json -m %s%s", classifiers[0], ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"layers\": ["));
}

/* The 1.0/224 feature extractor runs and yields a 1024-d embedding. */
static void test_embedding(void)
{
	struct mnet_session_opts o;
	struct mnet_session *s = NULL;
	struct mnet_model *m = NULL;
	struct mnet_image *img = NULL;
	struct mnet_err err = { 0 };
	const float *e;
	size_t n, i;
	double sum = 0;

	CU_ASSERT_EQUAL_FATAL(mnet_model_load_file(mnet_test_shared_path(
		"models/mobilenet_v1_1.0_224_quant_embedding_extractor.tflite"),
		&m, &err), 0);
	CU_ASSERT_EQUAL(mnet_model_output_kind(m), MNET_OUTPUT_EMBEDDING);
	CU_ASSERT_EQUAL(mnet_model_output_size(m), 1024);
	mnet_session_opts_init(&o);
	o.backend = MNET_BACKEND_REF;
	CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &s, &err), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_image_load(mnet_test_shared_path(
		"images/cat.bmp"), &img, &err), 0);
	CU_ASSERT_EQUAL(mnet_session_run_image(s, img, 0.875f), 0);
	e = mnet_session_output(s, &n);
	CU_ASSERT_EQUAL(n, 1024);
	/* average of ReLU6 outputs: every value in [0, 6], not all zero */
	for (i = 0; i < n; i++) {
		CU_ASSERT(e[i] >= 0.0f && e[i] <= 6.0f);
		sum += e[i];
	}
	CU_ASSERT(sum > 1.0);
	mnet_image_free(img);
	mnet_session_destroy(s);
	mnet_model_free(m);
}


/* Run @cmd with its stderr dropped: out[] holds stdout only. */
static int run_stdout(const char *cmd)
{
	char full[8192 + 32];

	snprintf(full, sizeof(full), "sh -c '%s 2>/dev/null'", cmd);
	return mnet_test_run_tool(out, sizeof(out), full);
}

/* A truncated image through the tool: exit 1, the file named. */
static void test_truncated_image(void)
{
	static const char *const files[] = { "images/cat.bmp",
					     "images/parrot.jpg" };
	char path[] = "/tmp/mnet-test-cut-XXXXXX";
	unsigned char *buf;
	unsigned int i;
	size_t len;
	FILE *f;

	for (i = 0; i < 2; i++) {
		int fd = mkstemp(path);

		CU_ASSERT_FATAL(fd >= 0);
		close(fd);
		buf = mnet_test_read_file(mnet_test_shared_path(files[i]),
					  &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
		f = fopen(path, "wb");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		/* the cut: 60,000 of cat.bmp's 523,914 bytes */
		CU_ASSERT_EQUAL(fwrite(buf, 1, i ? len / 3 : 60000, f),
				i ? len / 3 : 60000);
		fclose(f);
		free(buf);
		CU_ASSERT_EQUAL(run("./mnet-classify -b cpu -m %s %s",
				    classifiers[0], path), 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, path));
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "truncated"));
		CU_ASSERT_PTR_NULL(strstr(out, "unknown image type"));
		unlink(path);
		strcpy(path, "/tmp/mnet-test-cut-XXXXXX");
	}
}

/*
 * Labels: a file whose line count is not the model's class count is an
 * error naming both; a bare -l is found beside the model; a non-ImageNet
 * model with no -l prints indices and says so once, instead of ImageNet
 * names for bird species.
 */
static void test_labels_match_model(void)
{
	const char *bird = "mobilenet_v2_1.0_224_inat_bird_quant.tflite";
	char cmd[2048], *p, parrot[1024];

	/* mnet_test_shared_path()'s buffers are reused after 8 calls */
	snprintf(parrot, sizeof(parrot), "%s",
		 mnet_test_shared_path("images/parrot.jpg"));

	if (!mnet_test_have_file("models/mobilenet_v2_1.0_224_inat_bird_quant.tflite"))
		return;
	/* ImageNet's 1001 labels for a 965-class model: "923 menu" before */
	CU_ASSERT_EQUAL(run("./mnet-classify -b cpu -k 1 -m %s -l imagenet_labels.txt %s",
			    bird, parrot), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "1001"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "965"));
	CU_ASSERT_PTR_NULL(strstr(out, "menu"));
	/* and the other way round */
	CU_ASSERT_EQUAL(run("./mnet-classify -b cpu -k 1 -l inat_bird_labels.txt %s%s",
			    parrot, ""), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "965"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "1001"));
	/* a bare name, found beside the model */
	CU_ASSERT_EQUAL(run("./mnet-classify -b cpu -k 1 -m %s -l inat_bird_labels.txt %s",
			    bird, parrot), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Macaw"));
	/* no label file for 965 classes: indices, and one note */
	CU_ASSERT_EQUAL(run("./mnet-classify -b cpu -k 1 -m %s %s", bird,
			    parrot), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "menu"));
	p = strstr(out, "class indices only");
	CU_ASSERT_PTR_NOT_NULL(p);
	CU_ASSERT(p && !strstr(p + 1, "class indices only"));
	/* -q: no note; -v: says what is used */
	CU_ASSERT_EQUAL(run("./mnet-classify -q -b cpu -k 1 -m %s %s", bird,
			    parrot), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "note:"));
	CU_ASSERT_EQUAL(run("./mnet-classify -v -b cpu -k 1 -l inat_bird_labels.txt -m %s %s",
			    bird, parrot), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-classify: labels: 965"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet-classify: backend cpu"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "965 outputs (class scores)"));
	/* a label longer than 1024 bytes is one line, not two */
	snprintf(cmd, sizeof(cmd),
		 "head -n 500 '%s' > /tmp/mnet-test-long.txt && printf '%%%%02000d\\n' 0 >> /tmp/mnet-test-long.txt && tail -n +502 '%s' >> /tmp/mnet-test-long.txt && ./mnet-classify -b cpu -k 1 -m %%s -l /tmp/mnet-test-long.txt %%s; rc=$?; rm -f /tmp/mnet-test-long.txt; exit $rc",
		 mnet_test_shared_path("models/imagenet_labels.txt"),
		 mnet_test_shared_path("models/imagenet_labels.txt"));
	CU_ASSERT_EQUAL(run(cmd, classifiers[3], parrot), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "macaw"));
	/* a 1000-line file for a 1001-class model: the background offset */
	snprintf(cmd, sizeof(cmd),
		 "tail -n +2 '%s' > /tmp/mnet-test-1000.txt && ./mnet-classify -b cpu -k 1 -j -m %%s -l /tmp/mnet-test-1000.txt %%s; rc=$?; rm -f /tmp/mnet-test-1000.txt; exit $rc",
		 mnet_test_shared_path("models/imagenet_labels.txt"));
	CU_ASSERT_EQUAL(run(cmd, classifiers[3], parrot), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"class\": 89, \"label\": \"macaw\""));
}

/* The feature extractor prints its vector, not label/score pairs. */
static void test_embedding_output(void)
{
	const char *emb = "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite";
	char cat[1024];

	/* mnet_test_shared_path()'s buffers are reused after 8 calls */
	snprintf(cat, sizeof(cat), "%s",
		 mnet_test_shared_path("images/cat.bmp"));
	CU_ASSERT_EQUAL(run("./mnet-classify -b cpu -m %s %s", emb, cat), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "embedding of 1024 values"));
	CU_ASSERT_EQUAL(run("./mnet-classify -b cpu -j -m %s %s", emb, cat), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"embedding_size\": 1024"));
	CU_ASSERT_PTR_NULL(strstr(out, "\"label\""));
	CU_ASSERT_PTR_NULL(strstr(out, "\"score\""));
}

/*
 * An explicit choice that cannot be honoured is an error, in every tool
 * that takes it; only auto chooses.
 */
static void test_explicit_choices(void)
{
	char cat[1024];
	static const char *const fails[] = {
		"./mnet-classify -d 5 %s",
		"MNET_DEVICE=xyz ./mnet-classify %s",
		"./mnet-bench -d 5 -r 1 -w 0 -l 0 --synthetic 0.25 32%s",
		"MNET_DEVICE=xyz ./mnet-bench -r 1 -w 0 -l 0 --synthetic 0.25 32%s",
		"./mnet-tune -d 7 --synthetic 0.25 32%s",
		"./mnet-validate -d 5 --synthetic 0.25 32 -L 0 %s",
	};
	static const char *const usage[] = {
		"./mnet-classify -b cpu -d 5 %s",
		"./mnet-classify -b ref -p fp16 %s",
		"./mnet-bench -b cpu -d 5 --synthetic 0.25 32%s",
		"./mnet-validate -b cpu -d 5 --synthetic 0.25 32 %s",
		"./mnet-classify -b cpu --tuning-db /tmp/x.db %s",
	};
	unsigned int i;

	/* mnet_test_shared_path()'s buffers are reused after 8 calls */
	snprintf(cat, sizeof(cat), "%s",
		 mnet_test_shared_path("images/cat.bmp"));
	for (i = 0; i < sizeof(fails) / sizeof(fails[0]); i++) {
		const char *arg = strstr(fails[i], "classify") ||
				  strstr(fails[i], "validate") ? cat : "";

		CU_ASSERT_EQUAL(run(fails[i], arg, ""), 1);
		if (strstr(out, "cpu-") && strstr(out, "ms ("))
			fprintf(stderr, "\n    ran on cpu: %s\n", fails[i]);
	}
	for (i = 0; i < sizeof(usage) / sizeof(usage[0]); i++)
		CU_ASSERT_EQUAL(run(usage[i], strstr(usage[i], "bench") ? "" :
				    cat, ""), 2);
	/* fp16 on a device without cl_khr_fp16 (PoCL): an error, not cpu */
	if (n_backends() == 3) {
		int rc = run("./mnet-classify -p fp16 %s%s", cat, "");

		CU_ASSERT(rc == 1 || strstr(out, "(opencl") != NULL);
		if (rc == 1)
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "fp16"));
	}
	/* --threads over the library's maximum: a warning and the real count */
	CU_ASSERT_EQUAL(run("./mnet-bench -b cpu --threads 1000 -r 1 -w 0 --synthetic 0.25 32%s%s",
			    "", ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "using 256"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "threads    256"));
	CU_ASSERT_PTR_NULL(strstr(out, "threads    1000"));
}

/* python3: every line of the file is a JSON object with the common fields */
static const char json_lines_check[] =
	"import json, sys\n"
	"want_profile = sys.argv[2] == '1'\n"
	"n = 0\n"
	"for line in open(sys.argv[1]):\n"
	"    d = json.loads(line)\n"
	"    n += 1\n"
	"    for k in ('image', 'model', 'backend', 'device'):\n"
	"        assert k in d, (k, line)\n"
	"    if 'error' in d:\n"
	"        continue\n"
	"    assert 'top' in d or 'embedding' in d, line\n"
	"    assert ('profile' in d) == want_profile, line\n"
	"assert n == int(sys.argv[3]), (n, sys.argv[3])\n";

/*
 * --json stays one valid JSON object per line under every flag
 * combination: --profile goes inside the object, and an image that
 * failed gets a line with "error".
 */
static void test_json_lines(void)
{
	static const struct {
		const char *flags;
		int profile, lines, rc;
	} cases[] = {
		{ "-b cpu", 0, 2, 0 },
		{ "-b cpu --profile", 1, 2, 0 },
		{ "-b ref --profile -k 10", 1, 2, 0 },
		{ "-b cpu --profile -m mobilenet_v1_1.0_224_quant_embedding_extractor.tflite", 1, 2, 0 },
		{ "-b cpu --profile BAD", 1, 4, 1 },
		{ "-b cpu BAD", 0, 4, 1 },
		{ "-b opencl --profile", 1, 2, 0 },
		{ "-b auto --profile BAD", 1, 4, 1 },
		{ "-b cpu -r 3 -w 1 --profile BAD", 1, 4, 1 },
		/* nothing could run: still a line per image, with "error" */
		{ "-m /nonexistent.tflite BAD", 0, 4, 1 },
		{ "-d 99 --profile", 0, 2, 1 },
		{ "-l inat_bird_labels.txt", 0, 2, 1 },
	};
	char cmd[8192], tmp[] = "/tmp/mnet-test-json-XXXXXX", *bad, imgs[1024];
	unsigned int i;
	int fd = mkstemp(tmp);
	FILE *f;

	/* mnet_test_shared_path() returns a buffer the next call reuses */
	snprintf(imgs, sizeof(imgs), "%s", mnet_test_shared_path("images"));
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char flags[512];

		if (strstr(cases[i].flags, "opencl") && n_backends() < 3)
			continue;
		snprintf(flags, sizeof(flags), "%s", cases[i].flags);
		bad = strstr(flags, "BAD");
		if (bad)	/* a missing file and a truncated one */
			snprintf(bad, flags + sizeof(flags) - bad,
				 "/nonexistent.bmp /tmp/mnet-test-json-cut.bmp");
		snprintf(cmd, sizeof(cmd),
			 "head -c 1000 %s/cat.bmp > /tmp/mnet-test-json-cut.bmp; ./mnet-classify -j %s %s/cat.bmp %s/parrot.jpg",
			 imgs, flags, imgs, imgs);
		CU_ASSERT_EQUAL(run_stdout(cmd), cases[i].rc);
		f = fopen(tmp, "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fputs(out, f);
		fclose(f);
		snprintf(cmd, sizeof(cmd), "python3 -c \"%s\" %s %d %d",
			 json_lines_check, tmp, cases[i].profile,
			 cases[i].lines);
		CU_ASSERT_EQUAL(mnet_test_run_tool(out, sizeof(out), cmd), 0);
		if (strstr(out, "Error"))
			fprintf(stderr, "\n    %s: %s\n", cases[i].flags, out);
	}
	unlink(tmp);
	unlink("/tmp/mnet-test-json-cut.bmp");
}

/*
 * The exit-code convention, per tool (docs/tools.md): 0 done, 1 the work
 * failed, 2 bad usage; messages name the program without its path;
 * --version and --help exit 0.
 */
static void test_exit_codes(void)
{
	static const struct {
		const char *tool, *fail;
	} tools[] = {
		{ "mnet-classify", "-m /nonexistent.tflite x.bmp" },
		{ "mnet-bench", "-m /nonexistent.tflite" },
		{ "mnet-info", "-m /nonexistent.tflite" },
		{ "mnet-devices", NULL },
		{ "mnet-tune", "-m /nonexistent.tflite" },
		{ "mnet-validate", "-m /nonexistent.tflite /nonexistent.bmp" },
		/* its failures need a video: tests/frame/test_mnet_stream.c */
		{ "mnet-stream", NULL },
		{ "mnet-pose", "-m /nonexistent.tflite x.bmp" },
	};
	char cmd[512], prefix[64];
	unsigned int i;

	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		const char *t = tools[i].tool;

		snprintf(prefix, sizeof(prefix), "./%s:", t);
		CU_ASSERT_EQUAL(run("./%s --no-such-flag%s", t, ""), 2);
		CU_ASSERT_PTR_NULL(strstr(out, prefix));
		CU_ASSERT_PTR_NOT_NULL(strstr(out, prefix + 2));
		CU_ASSERT_EQUAL(run("./%s --version%s", t, ""), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "mobilenet-cl"));
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "git "));
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "backends: ref cpu"));
		CU_ASSERT_EQUAL(run("./%s --help%s", t, ""), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "xit status"));
		if (tools[i].fail) {
			snprintf(cmd, sizeof(cmd), "./%s %s", t, tools[i].fail);
			CU_ASSERT_EQUAL(run("%s%s", cmd, ""), 1);
			if (strcmp(t, "mnet-validate"))
				CU_ASSERT_PTR_NOT_NULL(strstr(out,
							      "/nonexistent.tflite"));
		}
	}
	/* -m and --synthetic together: the synthetic model won silently */
	CU_ASSERT_EQUAL(run("./mnet-info -m %s --synthetic 1.0 224%s",
			    classifiers[0], ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-tune -m %s --synthetic 0.25 32%s",
			    classifiers[0], ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-classify -m %s --synthetic 0.25 32 x.bmp%s",
			    classifiers[0], ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-bench -m %s --synthetic 0.25 32%s",
			    classifiers[0], ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-validate -m %s --synthetic 0.25 32 x.bmp%s",
			    classifiers[0], ""), 2);
	/* every --option a --help names is one the tool accepts */
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		snprintf(cmd, sizeof(cmd),
			 "true; for o in $(./%s --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do ./%s $o </dev/null 2>&1 | grep -q 'unrecognized option\\|unknown argument' && echo \"not accepted: $o\"; done; true",
			 tools[i].tool, tools[i].tool);
		CU_ASSERT_EQUAL(run("%s%s", cmd, ""), 0);
		CU_ASSERT_PTR_NULL(strstr(out, "not accepted"));
		if (strstr(out, "not accepted"))
			fprintf(stderr, "\n    %s: %s\n", tools[i].tool, out);
	}
	/* -q: no progress and no notes */
	CU_ASSERT_EQUAL(run("./mnet-bench -q -b cpu -l 3 -r 1 -w 0 --synthetic 0.25 32%s%s",
			    "", ""), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "note:"));
	CU_ASSERT_EQUAL(run("./mnet-validate -q -b cpu -L 0 --synthetic 0.25 32 %s %s",
			    mnet_test_shared_path("images/cat.bmp"),
			    mnet_test_shared_path("images/bird.bmp")), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "mnet-validate: image"));
	if (n_backends() == 3) {
		CU_ASSERT_EQUAL(run("./mnet-tune -q --synthetic 0.25 32 --budget 0.1 -r 1 --db /tmp/mnet-test-q.db%s%s",
				    "", ""), 0);
		CU_ASSERT_PTR_NULL(strstr(out, "mnet-tune: 1/"));
		unlink("/tmp/mnet-test-q.db");
		unlink("/tmp/mnet-test-q.db.lock");
	}
	/* a missing argument is usage too */
	CU_ASSERT_EQUAL(run("./mnet-classify%s%s", "", ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-info%s%s", "", ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-bench%s%s", "", ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-classify -k%s%s", "", ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-info -m x extra%s%s", "", ""), 2);
	/* a model name without .tflite is found, and synthetic-v2 everywhere */
	CU_ASSERT_EQUAL(run("./mnet-info -m %s%s", "mobilenet_v1_0.25_128_quant",
			    ""), 0);
	CU_ASSERT_EQUAL(run("./mnet-validate --synthetic-v2 0.35 32 -b cpu -L 0 %s%s",
			    mnet_test_shared_path("images/cat.bmp"), ""), 0);
	/* a database under a file: refused before the search, not after */
	CU_ASSERT_EQUAL(run("./mnet-tune --synthetic-v2 0.35 32 --db /etc/passwd/t.db%s%s",
			    "", ""), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "/etc/passwd/t.db"));
	CU_ASSERT_PTR_NULL(strstr(out, "candidates"));
	CU_ASSERT_EQUAL(run("MNET_TUNE_DB=/etc/passwd/t.db ./mnet-tune --synthetic 0.25 32%s%s",
			    "", ""), 1);
	CU_ASSERT_PTR_NULL(strstr(out, "candidates"));
}


/*
 * mnet-bench as TFLite's benchmark_model users expect: first-inference
 * time, standard deviation, --min-secs, --run-delay, an image as input,
 * a per-op-type summary and the per-layer table as CSV.
 */
static void test_bench_like_benchmark_model(void)
{
	char cmd[2048], csv[] = "/tmp/mnet-test-csv-XXXXXX";
	int fd = mkstemp(csv);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "./mnet-bench -b cpu -m %s -r 2 -w 0 --min-secs 0.2 --run-delay 0.001 -i %s --csv %s --json",
		 classifiers[0], mnet_test_shared_path("images/cat.bmp"), csv);
	CU_ASSERT_EQUAL(run_stdout(cmd), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"first_ms\": "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"stddev_ms\": "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"op_types\": [{\"op\": \"conv2d\""));
	/* auto on a quantized file: its own integer arithmetic on cpu */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "cat.bmp\", \"input_type\": \"quantized\", \"top1\": 28"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"precision\": \"int8\""));
	/* 0.2 s of runs of a sub-millisecond model: far more than 2 */
	CU_ASSERT_PTR_NULL(strstr(out, "\"runs\": 2,"));
	CU_ASSERT_EQUAL(run("head -1 %s%s", csv, ""), 0);
	CU_ASSERT_STRING_EQUAL(out, "index,name,op,out_h,out_w,out_c,ms,macs,note\n");
	unlink(csv);
	CU_ASSERT_EQUAL(run("./mnet-bench -b cpu -m %s -r 1 -w 0%s",
			    classifiers[0], ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "not an image"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "per op type:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "stddev"));
	/* fp32 on request */
	CU_ASSERT_EQUAL(run("./mnet-bench -b cpu -p fp32 -m %s -r 2 -w 0 -i %s -j",
			    classifiers[0], mnet_test_shared_path("images/cat.bmp")), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"precision\": \"fp32\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "cat.bmp\", \"input_type\": \"float\", \"top1\": 28"));
	/* int8: timed on the file's own input bytes, and says so */
	CU_ASSERT_EQUAL(run("./mnet-bench -b cpu -p int8 -m %s -r 2 -w 0 -i %s -j",
			    classifiers[0], mnet_test_shared_path("images/cat.bmp")), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"precision\": \"int8\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "cat.bmp\", \"input_type\": \"quantized\", \"top1\": 28"));
	CU_ASSERT_EQUAL(run("./mnet-bench -b cpu -p int8 -m %s -r 2 -w 1%s",
			    classifiers[0], ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mnet_session_run_quantized"));
	CU_ASSERT_EQUAL(run("./mnet-bench -b cpu -m %s --min-secs -1%s",
			    classifiers[0], ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-bench -b cpu -m %s -i /nonexistent.bmp%s",
			    classifiers[0], ""), 1);
}


/* label_image's repeat count and warm-up: the median of N timed runs */
static void test_classify_repeat(void)
{
	CU_ASSERT_EQUAL(run("./mnet-classify -b cpu -r 3 -w 1 -j %s%s",
			    mnet_test_shared_path("images/cat.bmp"), ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"runs\": 3"));
	CU_ASSERT_EQUAL(run("./mnet-classify -b cpu -r 3 %s%s",
			    mnet_test_shared_path("images/cat.bmp"), ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "median of 3 runs"));
	CU_ASSERT_EQUAL(run("./mnet-classify -r 0 %s%s", "x.bmp", ""), 2);
	CU_ASSERT_EQUAL(run("./mnet-classify -w -1 %s%s", "x.bmp", ""), 2);
}


/*
 * mnet-info: the input's type and quantization, names cut one way (the
 * tail behind ".."), and a model the loader refuses listed op by op with
 * the unsupported one marked.
 */
static void test_info_input_and_refused(void)
{
	char path[] = "/tmp/mnet-test-refused-XXXXXX.tflite";
	struct tm_model tm;

	CU_ASSERT_EQUAL(run("./mnet-info -m %s%s", classifiers[0], ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "uint8 (scale 0.0078125, zero point 128)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "..netV1/MobilenetV1/Conv2d_0/Relu6 conv2d"));
	CU_ASSERT_EQUAL(run("./mnet-info --json -m %s%s", classifiers[0], ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"input_type\": \"uint8\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"input_zero_point\": 128"));
	CU_ASSERT_EQUAL(run("./mnet-classify -b cpu --profile -m %s %s",
			    classifiers[0],
			    mnet_test_shared_path("images/cat.bmp")), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " ..MobilenetV1/Conv2d_0/Relu6 conv2d"));
	/* a built file refused at its op 1 (PAD), listed op by op */
	tm_refused_model(&tm);
	CU_ASSERT_EQUAL_FATAL(mkstemps(path, 7) >= 0, 1);
	CU_ASSERT_EQUAL_FATAL(tm_write_file(&tm, path), 0);
	CU_ASSERT_EQUAL(run("./mnet-info -m %s%s", path, ""), 1);
	unlink(path);
	/* a PAD is folded into the convolution reading it; this one ends
	 * the graph, so it cannot be, and says why */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "op 1 PAD: cannot be folded into a convolution: its output is a model output"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0    ADD                      1x4x4x3 float32"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "1    PAD                      1x6x6x3 float32  <- unsupported"));
	if (!mnet_test_have_file("models/deeplabv3_mnv2_pascal_quant.tflite"))
		return;
	/* DeepLab loads: its new ops listed, its output said to be a map */
	CU_ASSERT_EQUAL(run("./mnet-info -m %s%s",
			    "deeplabv3_mnv2_pascal_quant.tflite", ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "(ArgMax: a 513x513 class map"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " dwconv2d_dilated 33x33x960"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " resize_bilinear  33x33x21       513x513x21"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " concat           33x33x256      33x33x512"));
	/* 71: the QUANTIZE before the concatenation is a layer (requantizes) */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "71  ArgMax"));
}


/*
 * mnet-tune's table: the summary counts candidates as the progress lines
 * do (of the space), rows never reached print '-' (not 0.0000 0.00x), a
 * row that keeps the default names no other choice, x and space are
 * explained.
 */
static void test_tune_table(void)
{
	char *line;

	if (n_backends() < 3)
		return;
	CU_ASSERT_EQUAL(run("./mnet-tune --synthetic 0.25 32 --budget 0.05 -r 2 --db /tmp/mnet-test-tune-table.db%s%s",
			    "", ""), 0);
	unlink("/tmp/mnet-test-tune-table.db");
	unlink("/tmp/mnet-test-tune-table.db.lock");
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "candidates of the space tried"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "x: layers of the model sharing"));
	CU_ASSERT_PTR_NULL(strstr(out, "0.00x"));
	for (line = out; line; line = strchr(line + 1, '\n')) {
		char *end = strchr(line + 1, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		char buf[512];

		snprintf(buf, sizeof(buf), "%.*s", (int)n, line);
		if (strstr(buf, "default kept") && !strstr(buf, "(default)"))
			CU_FAIL("a row keeping the default names a choice");
		if (strstr(buf, "not reached") && strstr(buf, "0.0000"))
			CU_FAIL("an unreached row prints times");
	}
}


/* mnet-devices: clinfo's fields, and the tuning entries for the device */
static void test_devices_fields(void)
{
	const char *db = "/tmp/mnet-test-devices-tune.db";
	char *p;

	if (n_backends() < 3)
		return;
	CU_ASSERT_EQUAL(run("MNET_TUNE_DB=%s ./mnet-devices%s", db, ""), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "max clock:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "vector widths:   float preferred"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "extensions:      cl_khr"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "tuning database: 0 entries"));
	CU_ASSERT_EQUAL(run("./mnet-tune --synthetic 0.25 32 --budget 0.2 -r 1 --db %s%s",
			    db, ""), 0);
	CU_ASSERT_EQUAL(run("MNET_TUNE_DB=%s ./mnet-devices --json%s", db, ""),
			0);
	p = strstr(out, "\"tuning_db_entries\": ");
	CU_ASSERT_PTR_NOT_NULL(p);
	CU_ASSERT(p && atoi(p + 21) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"max_clock_mhz\": "));
	unlink(db);
	unlink("/tmp/mnet-test-devices-tune.db.lock");
}

static const CU_TestInfo tests[] = {
	{ "cat.bmp is a cat: 5 classifiers x every backend", test_cat_is_a_cat },
	{ "shared photos: every backend agrees with ref", test_all_photos },
	{ "corrupt image, missing files, bad options", test_bad_inputs },
	{ "--help and mnet-info", test_help_and_info },
	{ "1.0/224 feature extractor embedding", test_embedding },
	{ "a truncated image is an error naming the file", test_truncated_image },
	{ "label file checked against the model's classes",
	  test_labels_match_model },
	{ "the feature extractor prints an embedding", test_embedding_output },
	{ "explicit choices honoured or refused", test_explicit_choices },
	{ "--json: valid JSON lines under every flag combination",
	  test_json_lines },
	{ "exit codes, --version, --help: every tool", test_exit_codes },
	{ "mnet-classify --repeat and --warmup", test_classify_repeat },
	{ "mnet-info: input type, name cuts, refused model's ops",
	  test_info_input_and_refused },
	{ "mnet-tune: the table counts and marks what it did", test_tune_table },
	{ "mnet-devices: clinfo fields, tuning entries", test_devices_fields },
	{ "mnet-bench: what benchmark_model users expect",
	  test_bench_like_benchmark_model },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	if (!mnet_test_have_file("models/mobilenet_v1_0.25_128_quant.tflite")) {
		printf("shared models not found under %s: skipped\n",
		       mnet_test_shared_path("models"));
		return 77;
	}
	return mnet_test_run_suite("tools end to end", tests);
}
