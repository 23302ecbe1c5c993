// SPDX-License-Identifier: Apache-2.0
/*
 * bench_table.c - mnet-bench --seed-table: the MobileNet paper's comparison
 * table (Xception, VGG16, MobileNet V1 and V2 widths) measured on this
 * device
 *
 * DOC: the seed table
 *
 * The files are tools/models/make-keras-models.py's: Keras Applications
 * architectures with random weights, as float32 and int8 TFLite files.
 * For each row and precision the table gives the file's parameters and
 * multiply-adds (as mnet-info counts them), the accuracy the paper's table
 * quotes (labelled as quoted: these files have random weights), the
 * accuracy measured here where a pretrained file of that architecture is
 * in ../shared/models (top-1 / top-5 over images/imagenet/truth.txt,
 * cpu backend, the file's own precision), and the median latency of
 * --runs runs on the cpu backend with 1 thread and with every core, and
 * on the OpenCL device.  A cell that cannot be measured says why.  An SVG
 * chart of latency (cpu, 1 thread, fp32, log scale) against the quoted
 * top-1 is written beside the table: the paper's accuracy-versus-cost
 * figure for this machine.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mnet/mnet.h"
#include "lib/bench_measure.h"
#include "lib/bench_table.h"
#include "lib/tool_util.h"

enum { CELL_T1, CELL_ALL, CELL_CL, N_CELLS };

static const char *const cell_key[N_CELLS] = { "cpu_t1", "cpu_all", "opencl" };

/* The paper's table (Keras Applications' figures for Xception and VGG16) */
static const struct table_row {
	const char *arch;
	const char *stem;	/* make-keras-models.py's name */
	double paper_params_m, top1, top5;
	const char *pretrained;	/* a shared file of this architecture */
} rows[] = {
	{ "Xception", "xception", 22.91, 0.790, 0.945, NULL },
	{ "VGG16", "vgg16", 138.35, 0.715, 0.901, NULL },
	{ "MobileNetV1 1.0 224", "v1_1.0_224", 4.20, 0.709, 0.899, NULL },
	{ "MobileNetV1 0.75 192", "v1_0.75_192", 2.59, 0.672, 0.873,
	  "mobilenet_v1_0.75_192_quant.tflite" },
	{ "MobileNetV1 0.25 128", "v1_0.25_128", 0.47, 0.415, 0.663,
	  "mobilenet_v1_0.25_128_quant.tflite" },
	{ "MobileNetV2 1.4 224", "v2_1.4_224", 6.06, 0.750, 0.925, NULL },
	{ "MobileNetV2 1.0 224", "v2_1.0_224", 3.47, 0.718, 0.910,
	  "mobilenet_v2_1.0_224_quant.tflite" },
	{ "MobileNetV2 0.35 96", "v2_0.35_96", 1.66, 0.455, 0.704, NULL },
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

struct cell {
	double ms;		/* median, or < 0: not measured */
	char why[160];
};

struct result {
	const struct table_row *row;
	int int8;
	char path[600];
	uint64_t params, macs;
	char error[200];	/* the file could not be loaded */
	struct cell c[N_CELLS];
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One cell: the median of @o->runs runs of a fresh session. */
static void time_cell(const struct bench_table_opts *o, struct mnet_model *m,
		      enum mnet_backend_kind b, int threads, int int8,
		      struct cell *c)
{
	struct mnet_shape is = mnet_model_input_shape(m);
	size_t n = (size_t)is.h * is.w * is.c, k;
	struct mnet_session_opts so;
	struct mnet_session *s = NULL;
	struct mnet_err err = { 0 };
	double *t = calloc((size_t)o->runs, sizeof(*t));
	float *in = malloc(n * sizeof(*in));
	int i, ret;

	c->ms = -1;
	if (!t || !in) {
		snprintf(c->why, sizeof(c->why), "out of memory");
		goto out;
	}
	for (k = 0; k < n; k++)	/* a fixed ramp in [-1, 1] */
		in[k] = (float)(k % 255) / 127.0f - 1.0f;
	mnet_session_opts_init(&so);
	so.backend = b;
	so.threads = threads;
	so.device = b == MNET_BACKEND_OPENCL ? o->device : NULL;
	so.precision = int8 ? MNET_PRECISION_INT8 : MNET_PRECISION_FP32;
	ret = mnet_session_create(m, &so, &s, &err);
	if (ret) {
		snprintf(c->why, sizeof(c->why), "%.150s", err.msg[0] ? err.msg :
			 mnet_strerror(ret));
		goto out;
	}
	for (i = 0; i < o->warmup + o->runs; i++) {
		double t0 = now_ms();

		ret = mnet_session_run(s, in, n);
		if (ret) {
			snprintf(c->why, sizeof(c->why), "run failed: %s",
				 mnet_strerror(ret));
			goto out;
		}
		if (i >= o->warmup)
			t[i - o->warmup] = now_ms() - t0;
	}
	qsort(t, (size_t)o->runs, sizeof(*t), cmp_double);
	c->ms = bench_percentile(t, o->runs, 0.5);
out:
	mnet_session_destroy(s);
	free(in);
	free(t);
}

static void measure_file(const struct bench_table_opts *o, const char *prog,
			 struct result *r)
{
	static const enum mnet_backend_kind be[N_CELLS] = {
		MNET_BACKEND_CPU, MNET_BACKEND_CPU, MNET_BACKEND_OPENCL,
	};
	static const int th[N_CELLS] = { 1, 0, 0 };
	struct mnet_model *m = NULL;
	struct mnet_err err = { 0 };
	int k;

	for (k = 0; k < N_CELLS; k++)
		r->c[k].ms = -1;
	if (mnet_model_load_file(r->path, &m, &err)) {
		snprintf(r->error, sizeof(r->error), "%.190s", err.msg);
		for (k = 0; k < N_CELLS; k++)
			snprintf(r->c[k].why, sizeof(r->c[k].why), "not loaded");
		return;
	}
	mnet_model_totals(m, &r->params, &r->macs);
	for (k = 0; k < N_CELLS; k++) {
		if (o->verbose >= 0)
			fprintf(stderr, "%s: %s %s %s ...\n", prog, r->row->stem,
				r->int8 ? "int8" : "fp32", cell_key[k]);
		time_cell(o, m, be[k], th[k], r->int8, &r->c[k]);
	}
	mnet_model_free(m);
}

/* top-1 / top-5 of a shared pretrained file over truth.txt; 0, or -errno */
static int accuracy(const char *shared, const char *file, double *top1,
		    double *top5, int *n_out)
{
	char path[800], line[600], name[400], img[1200];
	struct mnet_session_opts so;
	struct mnet_session *s = NULL;
	struct mnet_model *m = NULL;
	struct mnet_err err = { 0 };
	int n = 0, h1 = 0, h5 = 0, cls, ret;
	FILE *f;

	snprintf(path, sizeof(path), "%s/models/%s", shared, file);
	ret = mnet_model_load_file(path, &m, &err);
	if (ret)
		return ret;
	mnet_session_opts_init(&so);
	so.backend = MNET_BACKEND_CPU;
	ret = mnet_session_create(m, &so, &s, &err);
	if (ret)
		goto out;
	snprintf(path, sizeof(path), "%s/images/imagenet/truth.txt", shared);
	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		goto out;
	}
	while (fgets(line, sizeof(line), f)) {
		struct mnet_class top[5];
		struct mnet_image *im = NULL;
		int j, got;

		if (sscanf(line, "%399s %d", name, &cls) != 2)
			continue;
		snprintf(img, sizeof(img), "%s/images/imagenet/%s", shared, name);
		if (mnet_image_load(img, &im, NULL))
			continue;
		ret = mnet_session_run_image(s, im, 0.875f);
		mnet_image_free(im);
		if (ret)
			break;
		got = mnet_session_topk(s, 5, top);
		n++;
		for (j = 0; j < got; j++)
			if (top[j].index == cls) {
				h1 += j == 0;
				h5++;
				break;
			}
	}
	fclose(f);
	if (!ret && n == 0)
		ret = -ENOENT;
	*top1 = n ? (double)h1 / n : 0;
	*top5 = n ? (double)h5 / n : 0;
	*n_out = n;
out:
	mnet_session_destroy(s);
	mnet_model_free(m);
	return ret;
}

static void print_ms(FILE *f, const struct cell *c)
{
	if (c->ms >= 0)
		fprintf(f, " %9.2f |", c->ms);
	else
		fprintf(f, " %9s |", "-");
}

static void print_text(const struct result *res, int n, const double *acc,
		       const int *acc_n, int threads)
{
	int i, k;

	printf("| architecture | precision | params | MACs | paper top-1 / top-5 (quoted) | measured top-1 / top-5 | cpu 1 thread ms | cpu %d threads ms | opencl ms |\n",
	       threads);
	printf("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (i = 0; i < n; i++) {
		const struct result *r = &res[i];
		int ri = (int)(r->row - rows);

		printf("| %s | %s |", r->row->arch, r->int8 ? "int8" : "fp32");
		if (r->error[0])
			printf(" - | - | %.3f / %.3f |", r->row->top1,
			       r->row->top5);
		else
			printf(" %.3fM | %.1fM | %.3f / %.3f |",
			       (double)r->params / 1e6, (double)r->macs / 1e6,
			       r->row->top1, r->row->top5);
		if (acc_n[ri] > 0)
			printf(" %.3f / %.3f (%d photos) |", acc[2 * ri],
			       acc[2 * ri + 1], acc_n[ri]);
		else
			printf(" - |");
		for (k = 0; k < N_CELLS; k++)
			print_ms(stdout, &r->c[k]);
		printf("\n");
	}
	for (i = 0; i < n; i++) {
		if (res[i].error[0])
			printf("\n%s %s: %s", res[i].row->arch,
			       res[i].int8 ? "int8" : "fp32", res[i].error);
		for (k = 0; k < N_CELLS && !res[i].error[0]; k++)
			if (res[i].c[k].ms < 0)
				printf("\n%s %s %s: %s", res[i].row->arch,
				       res[i].int8 ? "int8" : "fp32",
				       cell_key[k], res[i].c[k].why);
	}
	printf("\n");
}

static void print_json(const struct result *res, int n, const double *acc,
		       const int *acc_n)
{
	int i, k;

	printf("{\"rows\": [");
	for (i = 0; i < n; i++) {
		const struct result *r = &res[i];
		int ri = (int)(r->row - rows);

		printf("%s{\"architecture\": ", i ? ", " : "");
		mnet_tool_json_string(stdout, r->row->arch);
		printf(", \"file\": ");
		mnet_tool_json_string(stdout, r->path);
		if (r->int8)
			printf(", \"precision\": \"int8\"");
		printf(", \"paper_top1\": %.3f, \"paper_top5\": %.3f",
		       r->row->top1, r->row->top5);
		if (r->error[0]) {
			printf(", \"error\": ");
			mnet_tool_json_string(stdout, r->error);
			printf("}");
			continue;
		}
		printf(", \"params\": %llu, \"macs\": %llu",
		       (unsigned long long)r->params,
		       (unsigned long long)r->macs);
		if (acc_n[ri] > 0)
			printf(", \"measured_top1\": %.4f, \"measured_top5\": %.4f, \"measured_file\": \"%s\"",
			       acc[2 * ri], acc[2 * ri + 1], r->row->pretrained);
		printf(", \"ms\": {");
		for (k = 0; k < N_CELLS; k++) {
			printf("%s\"%s\": ", k ? ", " : "", cell_key[k]);
			if (r->c[k].ms >= 0)
				printf("%.4f", r->c[k].ms);
			else
				printf("null");
		}
		printf("}");
		for (k = 0; k < N_CELLS; k++)
			if (r->c[k].ms < 0) {
				printf(", \"%s_error\": ", cell_key[k]);
				mnet_tool_json_string(stdout, r->c[k].why);
			}
		printf("}");
	}
	printf("]}\n");
}

/* Latency (cpu, 1 thread, fp32; log scale) against the quoted top-1. */
static int write_chart(const char *path, const struct result *res, int n)
{
	const double W = 720, H = 440, L = 70, R = 200, T = 30, B = 50;
	double lo = 1e30, hi = 0, x, y;
	FILE *f = fopen(path, "w");
	int i, d;

	if (!f)
		return -errno;
	for (i = 0; i < n; i++)
		if (!res[i].int8 && res[i].c[CELL_T1].ms > 0) {
			lo = fmin(lo, res[i].c[CELL_T1].ms);
			hi = fmax(hi, res[i].c[CELL_T1].ms);
		}
	if (hi <= 0)
		lo = 1, hi = 10;
	lo = pow(10, floor(log10(lo)));
	hi = pow(10, ceil(log10(hi)));
	if (hi <= lo)
		hi = lo * 10;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
		W, H);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"%.0f\" y=\"18\">latency on this CPU (1 thread, fp32) against the paper's top-1</text>\n",
		L);
	fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n",
		L, H - B, W - R, H - B);
	fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n",
		L, T, L, H - B);
	for (d = (int)log10(lo); d <= (int)log10(hi); d++) {
		x = L + (d - log10(lo)) / (log10(hi) - log10(lo)) * (W - L - R);
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%g ms</text>\n",
			x, H - B + 16, pow(10, d));
	}
	for (d = 4; d <= 8; d++) {
		y = H - B - (d / 10.0 - 0.4) / 0.4 * (H - T - B);
		fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>\n",
			L - 6, y + 4, d / 10.0);
	}
	fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">median latency (log scale)</text>\n",
		L + (W - L - R) / 2, H - 12);
	for (i = 0; i < n; i++) {
		if (res[i].int8 || res[i].c[CELL_T1].ms <= 0)
			continue;
		x = L + (log10(res[i].c[CELL_T1].ms) - log10(lo)) /
			(log10(hi) - log10(lo)) * (W - L - R);
		y = H - B - (res[i].row->top1 - 0.4) / 0.4 * (H - T - B);
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>\n",
			x, y, strncmp(res[i].row->arch, "Mobile", 6) ?
			"#c0392b" : "#2471a3");
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 7,
			y + 4, res[i].row->arch);
	}
	fprintf(f, "</svg>\n");
	return fclose(f) ? -EIO : 0;
}

int bench_seed_table(const char *prog, const struct bench_table_opts *o)
{
	struct result res[2 * N_ROWS];
	double acc[2 * N_ROWS] = { 0 };
	int acc_n[N_ROWS] = { 0 };
	char dir[512];
	const char *chart = o->chart ? o->chart : "mnet-seed-table.svg";
	size_t i;
	int n = 0, ret = 0, k;

	if (o->models) {
		snprintf(dir, sizeof(dir), "%s", o->models);
	} else {
		const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

		if (x && *x)
			snprintf(dir, sizeof(dir), "%s/mnet/models", x);
		else
			snprintf(dir, sizeof(dir), "%s/.cache/mnet/models",
				 h ? h : ".");
	}
	memset(res, 0, sizeof(res));
	for (i = 0; i < N_ROWS; i++) {
		for (k = 0; k < 2; k++) {
			struct result *r = &res[n++];

			r->row = &rows[i];
			r->int8 = k;
			snprintf(r->path, sizeof(r->path), "%s/%s_%s.tflite", dir,
				 rows[i].stem, k ? "int8" : "fp32");
			measure_file(o, prog, r);
			if (!k && r->c[CELL_T1].ms < 0)
				ret = 1;
		}
		if (rows[i].pretrained &&
		    accuracy(o->shared, rows[i].pretrained, &acc[2 * i],
			     &acc[2 * i + 1], &acc_n[i]))
			acc_n[i] = 0;
	}
	if (o->json)
		print_json(res, n, acc, acc_n);
	else
		print_text(res, n, acc, acc_n, mnet_tool_threads_used(0));
	k = write_chart(chart, res, n);
	if (k) {
		fprintf(stderr, "%s: %s: cannot write the chart: %s\n", prog,
			chart, strerror(-k));
		ret = 1;
	} else if (o->verbose >= 0) {
		fprintf(stderr, "%s: chart written to %s\n", prog, chart);
	}
	if (ret && o->verbose >= 0)
		fprintf(stderr, "%s: some architectures did not run on the cpu backend (files from tools/models/make-keras-models.py, in %s)\n",
			prog, dir);
	return ret;
}
