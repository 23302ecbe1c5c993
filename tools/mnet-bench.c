// SPDX-License-Identifier: Apache-2.0
/*
 * mnet-bench - inference latency of a model on a backend
 *
 * DOC: benchmark
 *
 * Uses only the public API, so it measures any backend the same way:
 * session creation (weight packing, program builds) is timed twice, cold
 * and cached (below), then --warmup untimed runs, then --runs timed runs
 * of mnet_session_run() on a fixed input (CLOCK_MONOTONIC around each
 * call).  Reports min / median / p90 / max, throughput and the per-layer
 * breakdown.
 *
 * Memory: as an application with one session should, the tool creates the
 * timed session with release_weights, which frees the model's float
 * weights as the session packs them (--keep-weights opts out; a ref
 * session, or an OpenCL session with layers on the host, reads them and
 * keeps them).  Two peaks are reported: the process's (getrusage
 * ru_maxrss after the timed runs; it includes the cold creation, made
 * while the model still had its weights, so both copies), and the
 * session's: Linux VmHWM, reset through /proc/self/clear_refs just before
 * the timed session is created and read after the timed runs, i.e. the
 * peak of a process that loads a model, creates its session and serves.
 *
 * Cold and cached creation: the tool points the OpenCL program cache
 * ($MNET_CL_CACHE_DIR) at a new empty temporary folder, creates a session
 * (cold: every program built from source, then stored), destroys it and
 * creates another (cached: programs loaded from the binaries just
 * stored); the folder is removed at exit.  A driver's own cache (PoCL's
 * ~/.cache/pocl) is not touched: run with POCL_KERNEL_CACHE=0 to take it
 * out of the cold number.  For the host backends both numbers are just
 * two creations (weight packing, thread start).
 *
 * Per-layer breakdown: the median over the timed runs of
 * mnet_session_layer_times() (host wall time per layer) on the host
 * backends.  An OpenCL session reports device times only when created
 * with profiling, which adds an event per kernel; so the latency runs use
 * a session without it, and the breakdown comes from a second, profiled
 * session run --layer-runs times before the timed session is created (no
 * session can be created once the weights are released).
 *
 * For synthetic models the input is the peers' deterministic input
 * (shared/peers/mobilenet_spec.h), so the printed top-1 class and
 * probability can be compared with the XNNPACK/oneDNN baselines; for a
 * model file it is a fixed ramp, whose top-1 only says that backends
 * agree, unless --input names an image (preprocessed as mnet-classify
 * does).
 *
 * As TFLite's benchmark_model: the first inference after creation is
 * timed on its own (first_ms: lazy allocation, caches, a driver's
 * first dispatch), the timed runs give a standard deviation,
 * --min-secs keeps running past --runs until that much time has passed,
 * --run-delay sleeps between runs (thermal throttling on phones), the
 * per-layer times are summed per op type, and --csv writes the
 * per-layer table to a file.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "support/clock.h"
#include "mnet/mnet.h"
#include "synthetic/synthetic.h"
#include "lib/tool_util.h"

static const char *prog = "mnet-bench";
static int quiet;		/* -q: no notes */

struct bench_opts {
	const char *model;
	int synthetic;
	float alpha;
	int res;
	enum mnet_backend_kind backend;
	const char *device;
	enum mnet_precision precision;
	int threads;
	int runs;
	int warmup;
	int layer_runs;
	int layer_runs_set;	/* -l given explicitly */
	int json;
	int keep_weights;
	double min_secs;	/* keep timing past --runs until this long */
	double run_delay;	/* seconds slept between runs */
	const char *input;	/* image file, or NULL: a fixed input */
	const char *csv;	/* per-layer table as CSV, or NULL */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-m MODEL | --synthetic ALPHA RES] [options]\n"
		"\n"
		"Time inference of a model on one backend.\n"
		"\n"
		"  -m, --model FILE        .tflite model (bare names are looked up in\n"
		"                          $MNET_MODEL_DIR, default ../shared/models)\n"
		"  -s, --synthetic A R     synthetic MobileNet V1, alpha A, resolution R\n"
		"      --synthetic-v2 A R  synthetic MobileNetV2\n"
		"  -b, --backend NAME      auto (default), ref, cpu or opencl\n"
		"  -d, --device D          OpenCL device index or name substring; with\n"
		"                          auto it (or $MNET_DEVICE) means opencl, and a\n"
		"                          device that does not exist is an error\n"
		"  -p, --precision P       OpenCL precision: auto, fp32, fp16-storage, fp16\n"
		"                          (fp16 modes: an error where they cannot be done)\n"
		"  -t, --threads N         host threads (0 = all online cores, default);\n"
		"                          over %d is clamped with a warning, and the\n"
		"                          count used is reported\n"
		"  -r, --runs N            timed runs (default 50)\n"
		"  -w, --warmup N          untimed runs first (default 10)\n"
		"  -l, --layer-runs N      OpenCL: profiled runs for the per-layer\n"
		"                          breakdown (default 20; 0 skips it)\n"
		"      --min-secs S        keep timing past --runs until S seconds of\n"
		"                          timed runs have passed (default 0)\n"
		"      --run-delay S       sleep S seconds between runs (default 0)\n"
		"  -i, --input IMAGE       time this image (preprocessed as in\n"
		"                          mnet-classify) instead of a fixed input\n"
		"      --csv FILE          write the per-layer table to FILE as CSV\n"
		"  -j, --json              print one JSON object instead of text\n"
		"  -k, --keep-weights      keep the model's float weights (default: the\n"
		"                          timed session frees them as it packs them,\n"
		"                          as an application should; a ref session, or\n"
		"                          an OpenCL one with layers on the host, keeps\n"
		"                          them anyway)\n"
		"  -q, --quiet             no notes on stderr (errors and warnings stay)\n"
		"  -V, --version           print the version and exit\n"
		"  -h, --help              this help\n"
		"\n"
		"Session creation is timed cold (empty OpenCL program cache, in a\n"
		"temporary folder) and cached (the same folder, now filled).\n"
		"Peak RSS is given for the process (ru_maxrss: includes the cold\n"
		"creation, with the model's and the session's weights side by side)\n"
		"and for the timed session (VmHWM reset just before its creation).\n"
		"\n"
		"JSON fields: model, backend, device, precision, threads, runs, warmup,\n"
		"first_ms, min_ms, median_ms, p90_ms, max_ms, mean_ms, stddev_ms,\n"
		"throughput_ips, gmacs,\n"
		"macs, create_ms (= create_cached_ms), create_cold_ms,\n"
		"create_cached_ms, peak_rss_kb (process), session_peak_rss_kb (from the\n"
		"timed creation on; -1 if unknown), weights_released, input (the\n"
		"image, or \"fixed\"), top1, p (of that input: with a fixed one only\n"
		"a check that backends agree), layer_source (\"host-wall\" or\n"
		"\"device-profiled\"), layer_runs, layers[] {name, op, ms, note},\n"
		"op_types[] {op, layers, ms}.\n"
		"\n"
		"Environment: MNET_CPU=scalar|avx2|avx512|neon forces the CPU kernels.\n"
		"\n"
		"Exit status: 0 when the benchmark ran, 1 when it failed (model,\n"
		"device, session), 2 for bad usage.\n",
		prog, MNET_MAX_THREADS);
}

static int parse_args(int argc, char **argv, struct bench_opts *o)
{
	enum { OPT_SYNTH_V2 = 256, OPT_MIN_SECS, OPT_RUN_DELAY, OPT_CSV };
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "synthetic", required_argument, NULL, 's' },
		{ "synthetic-v2", required_argument, NULL, OPT_SYNTH_V2 },
		{ "backend", required_argument, NULL, 'b' },
		{ "device", required_argument, NULL, 'd' },
		{ "precision", required_argument, NULL, 'p' },
		{ "layer-runs", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "runs", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ "min-secs", required_argument, NULL, OPT_MIN_SECS },
		{ "run-delay", required_argument, NULL, OPT_RUN_DELAY },
		{ "input", required_argument, NULL, 'i' },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "keep-weights", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "m:s:b:d:p:l:t:r:w:i:jkhVq", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'm':
			o->model = optarg;
			break;
		case 's':
		case OPT_SYNTH_V2:
			/* ALPHA is optarg, RES the next word */
			if (mnet_tool_parse_synthetic(argc, argv, prog,
						      &o->alpha, &o->res))
				return -EINVAL;
			o->synthetic = c == 's' ? 1 : 2;
			break;
		case 'd':
			o->device = optarg;
			break;
		case 'p':
			if (mnet_tool_parse_precision(prog, optarg, &o->precision))
				return -EINVAL;
			break;
		case 'l':
			if (mnet_tool_parse_int(optarg, 0, 1000000, &o->layer_runs)) {
				fprintf(stderr, "%s: bad --layer-runs '%s'\n",
					prog, optarg);
				return -EINVAL;
			}
			o->layer_runs_set = 1;
			break;
		case 'b':
			if (mnet_tool_parse_backend(prog, optarg, &o->backend))
				return -EINVAL;
			break;
		case 't':
			if (mnet_tool_parse_int(optarg, 0, 1 << 20,
						&o->threads)) {
				fprintf(stderr, "%s: bad --threads '%s'\n", prog,
					optarg);
				return -EINVAL;
			}
			break;
		case 'r':
			if (mnet_tool_parse_int(optarg, 1, 1000000, &o->runs)) {
				fprintf(stderr, "%s: bad --runs '%s'\n", prog,
					optarg);
				return -EINVAL;
			}
			break;
		case 'w':
			if (mnet_tool_parse_int(optarg, 0, 1000000, &o->warmup)) {
				fprintf(stderr, "%s: bad --warmup '%s'\n", prog,
					optarg);
				return -EINVAL;
			}
			break;
		case 'j':
			o->json = 1;
			break;
		case OPT_MIN_SECS:
		case OPT_RUN_DELAY: {
			char *end;
			double v = strtod(optarg, &end);

			if (*end || end == optarg || !(v >= 0 && v <= 86400)) {
				fprintf(stderr, "%s: bad --%s '%s' (seconds, 0..86400)\n",
					prog, c == OPT_MIN_SECS ? "min-secs" :
					"run-delay", optarg);
				return -EINVAL;
			}
			if (c == OPT_MIN_SECS)
				o->min_secs = v;
			else
				o->run_delay = v;
			break;
		}
		case 'i':
			o->input = optarg;
			break;
		case OPT_CSV:
			o->csv = optarg;
			break;
		case 'k':
			o->keep_weights = 1;
			break;
		case 'h':
			usage(stdout);
			exit(MNET_TOOL_EXIT_OK);
		case 'V':
			mnet_tool_print_version(prog);
			exit(MNET_TOOL_EXIT_OK);
		case 'q':
			quiet = 1;
			break;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog,
			argv[optind]);
		return -EINVAL;
	}
	if (!!o->model == !!o->synthetic) {
		fprintf(stderr, "%s: give exactly one of -m MODEL or --synthetic ALPHA RES\n",
			prog);
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

/* Nearest-rank percentile of a sorted array. */
static double percentile(const double *v, int n, double q)
{
	int i = (int)(q * n + 0.999999) - 1;

	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return v[i];
}

/* A deterministic input: the peers' for synthetic models, else a ramp. */
static void fill_input(const struct bench_opts *o, struct mnet_shape s,
		       float *dst)
{
	size_t n = (size_t)s.h * s.w * s.c, i;

	if (o->synthetic == 1 && s.h == o->res && s.w == o->res && s.c == 3) {
		mnet_synthetic_input(o->res, dst);
		return;
	}
	for (i = 0; i < n; i++)
		dst[i] = (float)((i * 2654435761u) % 2001) / 1000.0f - 1.0f;
}

struct results {
	double *t;		/* per-run ms, sorted */
	int n;			/* timed runs (more with --min-secs) */
	double first_ms;	/* the first inference after creation */
	double *layer_ms;	/* per-layer median */
	const char **layer_cfg;	/* per-layer config note of the last run */
	int layer_profiled;	/* layer_ms from a profiled OpenCL session */
	int layer_runs;		/* runs behind layer_ms */
	double create_cold_ms;
	double create_ms;	/* cached */
	long rss_kb;		/* process peak (ru_maxrss) */
	long run_rss_kb;	/* peak from the timed creation on, -1: unknown */
	int weights_released;
	int top1;
	float p;
};

static void run_delay(const struct bench_opts *o)
{
	struct timespec ts;

	if (o->run_delay <= 0)
		return;
	ts.tv_sec = (time_t)o->run_delay;
	ts.tv_nsec = (long)((o->run_delay - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Mean and standard deviation (population) of the timed runs. */
static void mean_stddev(const struct results *r, double *mean, double *sd)
{
	double m = 0, v = 0;
	int i;

	for (i = 0; i < r->n; i++)
		m += r->t[i] / r->n;
	for (i = 0; i < r->n; i++)
		v += (r->t[i] - m) * (r->t[i] - m) / r->n;
	*mean = m;
	*sd = sqrt(v);
}

/* Per-op-type sums of the per-layer medians, in first-seen order. */
struct op_sum {
	const char *op;
	int layers;
	double ms;
};

static int op_sums(const struct mnet_model *m, const struct results *r,
		   struct op_sum *sums)
{
	int nl = mnet_model_layer_count(m), n = 0, j, k;

	for (j = 0; j < nl; j++) {
		struct mnet_layer_info li;

		mnet_model_layer_info(m, j, &li);
		for (k = 0; k < n && strcmp(sums[k].op, li.op); k++)
			;
		if (k == n) {
			sums[n].op = li.op;
			sums[n].layers = 0;
			sums[n++].ms = 0;
		}
		sums[k].layers++;
		sums[k].ms += r->layer_ms[j];
	}
	return n;
}

static int bench(struct mnet_session *s, const struct mnet_model *m,
		 const struct bench_opts *o, const float *in, size_t n_in,
		 struct results *r)
{
	int nl = mnet_model_layer_count(m), i, j, ret, cap = o->runs;
	struct mnet_layer_time *lt;
	double *lall, start;
	struct mnet_class top;

	lt = calloc((size_t)nl, sizeof(*lt));
	lall = calloc((size_t)nl * o->runs, sizeof(*lall));
	if (!lt || !lall) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < o->warmup; i++) {
		double t0 = mnet_now_ms();

		ret = mnet_session_run(s, in, n_in);
		if (ret)
			goto out_run;
		if (!i)
			r->first_ms = mnet_now_ms() - t0;
		run_delay(o);
	}
	start = mnet_now_ms();
	for (i = 0; i < o->runs ||
		    mnet_now_ms() - start < o->min_secs * 1000.0; i++) {
		double t0;

		if (i >= cap) {
			double *t = realloc(r->t, 2 * (size_t)cap * sizeof(*t));

			if (!t) {
				ret = -ENOMEM;
				goto out_run;
			}
			r->t = t;
			cap *= 2;
		}
		t0 = mnet_now_ms();
		ret = mnet_session_run(s, in, n_in);
		r->t[i] = mnet_now_ms() - t0;
		if (ret)
			goto out_run;
		if (!o->warmup && !i)
			r->first_ms = r->t[0];
		if (i < o->runs && !mnet_session_layer_times(s, lt))
			for (j = 0; j < nl; j++) {
				lall[(size_t)j * o->runs + i] = lt[j].ms;
				r->layer_cfg[j] = lt[j].config;
			}
		run_delay(o);
	}
	r->n = i;
	mnet_tool_sort_doubles(r->t, r->n);
	for (j = 0; !r->layer_profiled && j < nl; j++)
		r->layer_ms[j] = mnet_tool_median(lall + (size_t)j * o->runs,
						  o->runs);
	mnet_session_topk(s, 1, &top);
	r->top1 = top.index;
	r->p = top.score;
	ret = 0;
	goto out_free;

out_run:
	fprintf(stderr, "%s: run failed: %s\n", prog, mnet_strerror(ret));
out_free:
	free(lall);
	free(lt);
	return ret;
}

/*
 * The per-layer breakdown from a profiled session (OpenCL device times):
 * a few untimed runs, then @o->layer_runs runs, median per layer.
 */
static int layer_pass(struct mnet_session *s, const struct mnet_model *m,
		      const struct bench_opts *o, const float *in,
		      size_t n_in, struct results *r)
{
	int nl = mnet_model_layer_count(m), n = o->layer_runs, i, j, ret = 0;
	struct mnet_layer_time *lt;
	double *lall;

	lt = calloc((size_t)nl, sizeof(*lt));
	lall = calloc((size_t)nl * n, sizeof(*lall));
	if (!lt || !lall) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (i = -2; !ret && i < n; i++) {
		ret = mnet_session_run(s, in, n_in);
		if (!ret && i >= 0 && !mnet_session_layer_times(s, lt))
			for (j = 0; j < nl; j++)
				lall[(size_t)j * n + i] = lt[j].ms;
	}
	if (ret) {
		fprintf(stderr, "%s: profiled run failed: %s\n", prog,
			mnet_strerror(ret));
		goto out_free;
	}
	for (j = 0; j < nl; j++)
		r->layer_ms[j] = mnet_tool_median(lall + (size_t)j * n, n);
	r->layer_profiled = 1;
	r->layer_runs = n;
out_free:
	free(lall);
	free(lt);
	return ret;
}

static void print_text(const struct bench_opts *o, const struct mnet_model *m,
		       struct mnet_session *s, int threads,
		       const struct results *r)
{
	int n = r->n, nl = mnet_model_layer_count(m), j, n_ops;
	double med = percentile(r->t, n, 0.5), total = 0, mean, sd;
	struct op_sum *ops = calloc((size_t)nl, sizeof(*ops));
	uint64_t macs;

	mnet_model_totals(m, NULL, &macs);
	mean_stddev(r, &mean, &sd);
	printf("model      %s\n", mnet_model_name(m));
	printf("backend    %s (%s)\n", mnet_session_backend_name(s),
	       mnet_session_device_name(s));
	printf("threads    %d\n", threads);
	printf("create     cold %.2f ms (empty program cache), cached %.2f ms\n",
	       r->create_cold_ms, r->create_ms);
	printf("runs       %d after %d warm-up%s\n", n, o->warmup,
	       o->min_secs > 0 ? " (--min-secs)" : "");
	printf("first      %.3f ms (the first inference after creation)\n",
	       r->first_ms);
	printf("latency    min %.3f  median %.3f  p90 %.3f  max %.3f ms\n",
	       r->t[0], med, percentile(r->t, n, 0.9), r->t[n - 1]);
	printf("           mean %.3f  stddev %.3f ms\n", mean, sd);
	printf("throughput %.1f inferences/s, %.1f GMAC/s (median)\n",
	       1000.0 / med, (double)macs / med / 1e6);
	printf("peak RSS   %.1f MiB process (with the cold creation), ",
	       r->rss_kb / 1024.0);
	if (r->run_rss_kb >= 0)
		printf("%.1f MiB from the timed session's creation on",
		       r->run_rss_kb / 1024.0);
	else
		printf("unknown for the session (no /proc/self/clear_refs)");
	printf("; model weights %s\n",
	       r->weights_released ? "released" : "kept");
	if (o->input)
		printf("top1       %d p=%.6f for %s\n", r->top1, r->p, o->input);
	else
		printf("top1       %d p=%.6f (of the fixed %s input, not an image: compare it between backends)\n",
		       r->top1, r->p, o->synthetic == 1 ? "peers'" : "ramp");
	printf("\nper layer: median of %d runs, %s\n", r->layer_runs,
	       r->layer_profiled ? "device time (profiled session)" :
				   "host wall time");
	printf("\n%-4s %-24s %-9s %-14s %9s %6s %8s  %s\n", "#", "layer", "op",
	       "out", "ms", "%", "GMAC/s", "note");
	for (j = 0; j < nl; j++)
		total += r->layer_ms[j];
	for (j = 0; j < nl; j++) {
		struct mnet_layer_info li;
		char shape[32], nm[32];

		mnet_model_layer_info(m, j, &li);
		snprintf(shape, sizeof(shape), "%dx%dx%d", li.out.h, li.out.w,
			 li.out.c);
		/* layer names are paths: the tail says the most */
		printf("%-4d %-24s %-9s %-14s %9.4f %6.1f %8.1f  %s\n", j,
		       mnet_tool_short_name(li.name, 24, nm), li.op, shape,
		       r->layer_ms[j],
		       total > 0 ? 100.0 * r->layer_ms[j] / total : 0.0,
		       r->layer_ms[j] > 0 ? (double)li.macs /
					    r->layer_ms[j] / 1e6 : 0.0,
		       r->layer_cfg[j] ? r->layer_cfg[j] : "");
	}
	printf("sum of layer medians: %.3f ms\n", total);
	if (!ops)
		return;
	n_ops = op_sums(m, r, ops);
	printf("\nper op type:\n%-12s %6s %9s %6s\n", "op", "layers", "ms", "%");
	for (j = 0; j < n_ops; j++)
		printf("%-12s %6d %9.4f %6.1f\n", ops[j].op, ops[j].layers,
		       ops[j].ms, total > 0 ? 100.0 * ops[j].ms / total : 0.0);
	free(ops);
}

/* The per-layer table as CSV (RFC 4180 quoting of the names). */
static int write_csv(const char *path, const struct mnet_model *m,
		     const struct results *r)
{
	int nl = mnet_model_layer_count(m), j;
	FILE *f = fopen(path, "w");
	const char *p;

	if (!f) {
		fprintf(stderr, "%s: --csv %s: %s\n", prog, path, strerror(errno));
		return -errno;
	}
	fprintf(f, "index,name,op,out_h,out_w,out_c,ms,macs,note\n");
	for (j = 0; j < nl; j++) {
		struct mnet_layer_info li;

		mnet_model_layer_info(m, j, &li);
		fprintf(f, "%d,\"", j);
		for (p = li.name; *p; p++)
			fprintf(f, *p == '"' ? "\"\"" : "%c", *p);
		fprintf(f, "\",%s,%d,%d,%d,%.4f,%llu,\"%s\"\n", li.op, li.out.h,
			li.out.w, li.out.c, r->layer_ms[j],
			(unsigned long long)li.macs,
			r->layer_cfg[j] ? r->layer_cfg[j] : "");
	}
	if (fclose(f)) {
		fprintf(stderr, "%s: --csv %s: %s\n", prog, path, strerror(errno));
		return -EIO;
	}
	return 0;
}

static void print_json(const struct bench_opts *o, const struct mnet_model *m,
		       struct mnet_session *s, int threads,
		       const struct results *r)
{
	int n = r->n, nl = mnet_model_layer_count(m), j, n_ops;
	double med = percentile(r->t, n, 0.5), mean, sd;
	struct op_sum *ops = calloc((size_t)nl, sizeof(*ops));
	uint64_t macs;

	mnet_model_totals(m, NULL, &macs);
	mean_stddev(r, &mean, &sd);
	printf("{\"model\": ");
	mnet_tool_json_string(stdout, mnet_model_name(m));
	printf(", \"backend\": ");
	mnet_tool_json_string(stdout, mnet_session_backend_name(s));
	printf(", \"device\": ");
	mnet_tool_json_string(stdout, mnet_session_device_name(s));
	printf(", \"threads\": %d, \"runs\": %d, \"warmup\": %d", threads, n,
	       o->warmup);
	printf(", \"first_ms\": %.4f, \"min_ms\": %.4f, \"median_ms\": %.4f, \"p90_ms\": %.4f, \"max_ms\": %.4f, \"mean_ms\": %.4f, \"stddev_ms\": %.4f",
	       r->first_ms, r->t[0], med, percentile(r->t, n, 0.9),
	       r->t[n - 1], mean, sd);
	printf(", \"throughput_ips\": %.2f, \"gmacs\": %.2f, \"macs\": %llu",
	       1000.0 / med, (double)macs / med / 1e6,
	       (unsigned long long)macs);
	printf(", \"precision\": \"%s\"",
	       strstr(mnet_session_backend_name(s), "fp16-storage") ?
	       "fp16-storage" : strstr(mnet_session_backend_name(s), "fp16") ?
	       "fp16" : "fp32");
	printf(", \"create_ms\": %.3f, \"create_cold_ms\": %.3f, \"create_cached_ms\": %.3f",
	       r->create_ms, r->create_cold_ms, r->create_ms);
	printf(", \"peak_rss_kb\": %ld, \"session_peak_rss_kb\": %ld, \"weights_released\": %s, \"input\": ",
	       r->rss_kb, r->run_rss_kb,
	       r->weights_released ? "true" : "false");
	mnet_tool_json_string(stdout, o->input ? o->input : "fixed");
	printf(", \"top1\": %d, \"p\": %.6f", r->top1, r->p);
	printf(", \"layer_source\": \"%s\", \"layer_runs\": %d",
	       r->layer_profiled ? "device-profiled" : "host-wall",
	       r->layer_runs);
	printf(", \"layers\": [");
	for (j = 0; j < nl; j++) {
		struct mnet_layer_info li;

		mnet_model_layer_info(m, j, &li);
		printf("%s{\"name\": ", j ? ", " : "");
		mnet_tool_json_string(stdout, li.name);
		printf(", \"op\": \"%s\", \"ms\": %.4f, \"note\": ", li.op,
		       r->layer_ms[j]);
		mnet_tool_json_string(stdout,
				      r->layer_cfg[j] ? r->layer_cfg[j] : "");
		printf("}");
	}
	printf("], \"op_types\": [");
	n_ops = ops ? op_sums(m, r, ops) : 0;
	for (j = 0; j < n_ops; j++)
		printf("%s{\"op\": \"%s\", \"layers\": %d, \"ms\": %.4f}",
		       j ? ", " : "", ops[j].op, ops[j].layers, ops[j].ms);
	printf("]}\n");
	free(ops);
}

/* Remove the temporary program cache folder (flat: cl-*.bin files). */
static void remove_cache(const char *dir)
{
	char path[4200];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	if (rmdir(dir))
		fprintf(stderr, "%s: could not remove %s\n", prog, dir);
}

/*
 * Linux: reset the resident-set high-water mark (VmHWM) to the current
 * RSS, so that vm_hwm_kb() covers only what follows.  Return 0 or -1.
 */
static int hwm_reset(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	int bad;

	if (!f)
		return -1;
	bad = fputs("5", f) < 0;
	return fclose(f) || bad ? -1 : 0;
}

/* VmHWM of /proc/self/status in KiB, or -1. */
static long vm_hwm_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* Process peak RSS in KiB; hwm_reset() lowers it too (see main()). */
static long maxrss_kb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_maxrss;
}

/* --input: the image preprocessed as mnet-classify does (crop 0.875). */
static int load_input(const char *path, const struct mnet_model *m,
		      float *in, size_t n_in)
{
	struct mnet_err err = { 0 };
	struct mnet_image *img = NULL;
	int ret;

	ret = mnet_image_load(path, &img, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		return ret;
	}
	ret = mnet_image_preprocess(img, m, 0.875f, in, n_in);
	mnet_image_free(img);
	if (ret)
		fprintf(stderr, "%s: %s: cannot preprocess for this model: %s\n",
			prog, path, mnet_strerror(ret));
	return ret;
}

/* Create a session and time it; print the note or error. */
static int create(const struct mnet_model *m, const struct mnet_session_opts *so,
		  struct mnet_session **s, double *ms)
{
	struct mnet_err err = { 0 };
	double t0 = mnet_now_ms();

	if (mnet_session_create(m, so, s, &err)) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		return -1;
	}
	*ms = mnet_now_ms() - t0;
	if (err.msg[0] && !quiet)
		fprintf(stderr, "%s: %s\n", prog, err.msg);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_opts o = { .runs = 50, .warmup = 10, .layer_runs = 20 };
	char cache[] = "/tmp/mnet-bench-cache-XXXXXX";
	struct mnet_session_opts so;
	struct mnet_session *s = NULL;
	struct results r = { 0 };
	struct mnet_model *m;
	struct mnet_shape is;
	float *in = NULL;
	size_t n_in;
	int threads, opencl, ret = 1;
	double ms;

	argv[0] = (char *)prog;		/* getopt's messages: no path */
	if (parse_args(argc, argv, &o))
		return MNET_TOOL_EXIT_USAGE;
	mnet_session_opts_init(&so);
	so.backend = o.backend;
	so.threads = o.threads;
	so.device = o.device;
	so.precision = o.precision;
	if (mnet_tool_check_choices(prog, &so))
		return MNET_TOOL_EXIT_USAGE;
	o.backend = so.backend;
	o.threads = so.threads;
	m = mnet_tool_load_model(o.model, o.synthetic, o.alpha, o.res, prog);
	if (!m)
		return MNET_TOOL_EXIT_FAIL;
	is = mnet_model_input_shape(m);
	n_in = (size_t)is.h * is.w * is.c;
	in = malloc(n_in * sizeof(*in));
	r.t = calloc((size_t)o.runs, sizeof(*r.t));
	r.layer_ms = calloc((size_t)mnet_model_layer_count(m),
			    sizeof(*r.layer_ms));
	r.layer_cfg = calloc((size_t)mnet_model_layer_count(m),
			     sizeof(*r.layer_cfg));
	if (!in || !r.t || !r.layer_ms || !r.layer_cfg) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto out_free;
	}
	if (!mkdtemp(cache)) {
		fprintf(stderr, "%s: cannot create a temporary folder for the program cache\n",
			prog);
		goto out_free;
	}
	setenv("MNET_CL_CACHE_DIR", cache, 1);
	fill_input(&o, is, in);
	if (o.input && load_input(o.input, m, in, n_in))
		goto out_cache;
	if (create(m, &so, &s, &r.create_cold_ms))
		goto out_cache;
	opencl = !strncmp(mnet_session_backend_name(s), "opencl", 6);
	if (!opencl && o.layer_runs_set && !quiet)
		fprintf(stderr, "%s: note: --layer-runs is for opencl's profiled session; on %s the per-layer times are host wall time over the timed runs\n",
			prog, mnet_session_backend_name(s));
	/* a ref session reads the weights: not worth the note */
	so.release_weights = !o.keep_weights &&
			     strcmp(mnet_session_backend_name(s), "ref");
	mnet_session_destroy(s);
	s = NULL;
	if (opencl && o.layer_runs) {
		struct mnet_session *sp = NULL;

		so.profile = 1;
		so.release_weights = 0;
		if (create(m, &so, &sp, &ms))
			goto out_cache;
		ret = layer_pass(sp, m, &o, in, n_in, &r);
		mnet_session_destroy(sp);
		if (ret) {
			ret = 1;
			goto out_cache;
		}
		so.profile = 0;
		so.release_weights = !o.keep_weights;
	}
	/* the reset also lowers ru_maxrss: keep the earlier peak first */
	r.rss_kb = maxrss_kb();
	r.run_rss_kb = hwm_reset() ? -1 : 0;
	if (create(m, &so, &s, &r.create_ms))
		goto out_cache;
	/* 0: released now or before; -EBUSY: the session reads them */
	r.weights_released = so.release_weights &&
			     !mnet_model_release_weights(m, NULL);
	if (!r.layer_profiled)
		r.layer_runs = o.runs;
	r.n = o.runs;
	if (bench(s, m, &o, in, n_in, &r))
		goto out_destroy;
	if (maxrss_kb() > r.rss_kb)
		r.rss_kb = maxrss_kb();
	if (!r.run_rss_kb)
		r.run_rss_kb = vm_hwm_kb();
	/* two reads of per-thread RSS counters: keep process >= session */
	if (r.run_rss_kb > r.rss_kb)
		r.rss_kb = r.run_rss_kb;
	/* what the cpu backend runs, not what was asked for */
	threads = mnet_tool_threads_used(o.threads);
	if (o.json)
		print_json(&o, m, s, threads, &r);
	else
		print_text(&o, m, s, threads, &r);
	ret = o.csv && write_csv(o.csv, m, &r) ? 1 : 0;

out_destroy:
	mnet_session_destroy(s);
out_cache:
	remove_cache(cache);
out_free:
	free(r.layer_cfg);
	free(r.layer_ms);
	free(r.t);
	free(in);
	mnet_model_free(m);
	return ret;
}
