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
#include <unistd.h>

#include "support/clock.h"
#include "mnet/mnet.h"
#include "lib/tool_util.h"
#include "lib/bench.h"
#include "lib/bench_measure.h"
#include "lib/bench_output.h"
#include "lib/bench_table.h"

static const char *prog = BENCH_PROG;
static int verbose;		/* -q: -1, no notes; -v: 1, what is used */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-m MODEL | --synthetic ALPHA RES] [OPTIONS]\n"
		"       %s --seed-table [--models DIR] [--chart FILE] [-r N] [-j]\n"
		"\n"
		"Time inference of a model on one backend; or, with --seed-table,\n"
		"the MobileNet paper's comparison table on this device.\n"
		"\n"
		"  -m, --model FILE        .tflite model (bare names are looked up in\n"
		"                          $MNET_MODEL_DIR, default ../shared/models)\n"
		"  -s, --synthetic A R     synthetic MobileNet V1, alpha A, resolution R\n"
		"      --synthetic-v2 A R  synthetic MobileNetV2\n"
		"  -b, --backend NAME      auto (default), ref, cpu or opencl\n"
		"  -d, --device D          OpenCL device index or name substring; with\n"
		"                          auto it (or $MNET_DEVICE) means opencl, and a\n"
		"                          device that does not exist is an error\n"
		"  -p, --precision P       auto, fp32, fp16-storage, fp16 (OpenCL: an error\n"
		"                          where they cannot be done) or int8 (a quantized\n"
		"                          file's integer arithmetic, ref and cpu)\n"
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
		"  -v, --verbose           on stderr: where the model was looked for,\n"
		"                          the input, the program cache folder, the\n"
		"                          threads asked for and used, and each session\n"
		"                          creation's breakdown (device, programs built\n"
		"                          or from the cache, weights, first run)\n"
		"      --seed-table        Xception, VGG16 and MobileNet V1/V2 widths\n"
		"                          (tools/models/make-keras-models.py's files):\n"
		"                          parameters, multiply-adds, the paper's top-1\n"
		"                          and top-5 (quoted: random weights), those\n"
		"                          measured on ../shared where a pretrained file\n"
		"                          exists, median ms on cpu (1 thread, all\n"
		"                          threads) and opencl, fp32 and int8; -r\n"
		"                          defaults to 10 and -w to 2 here\n"
		"      --models DIR        the files' folder (default\n"
		"                          $XDG_CACHE_HOME/mnet/models)\n"
		"      --chart FILE        the SVG chart of latency against top-1\n"
		"                          (default mnet-seed-table.svg)\n"
		"  -V, --version           print the version and exit\n"
		"  -h, --help              this help\n"
		"\n"
		"--seed-table --json prints {rows: [{architecture, file, params, macs,\n"
		"paper_top1, paper_top5, ms {cpu_t1, cpu_all, opencl}, precision\n"
		"(int8 rows), measured_top1, measured_top5, measured_file, error}]}.\n"
		"\n"
		"Session creation is timed cold (empty OpenCL program cache, in a\n"
		"temporary folder) and cached (the same folder, now filled).\n"
		"Peak RSS is given for the process (ru_maxrss: includes the cold\n"
		"creation, with the model's and the session's weights side by side)\n"
		"and for the timed session (VmHWM reset just before its creation).\n"
		"\n"
		"JSON fields (a run that failed prints {model, error} instead):\n"
		"model, backend, device, precision (what the session computes in:\n"
		"fp32, fp16-storage, fp16 or int8), threads, runs, warmup,\n"
		"first_ms, min_ms, median_ms, p90_ms, max_ms, mean_ms, stddev_ms,\n"
		"throughput_ips, gmacs (no fraction of a peak: the MACs per cycle\n"
		"and the clock are not known reliably, docs/validate.md),\n"
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
		prog, prog, MNET_MAX_THREADS);
}

static int parse_args(int argc, char **argv, struct bench_opts *o)
{
	enum {
		OPT_SYNTH_V2 = 256, OPT_MIN_SECS, OPT_RUN_DELAY, OPT_CSV,
		OPT_SEED_TABLE, OPT_MODELS, OPT_CHART,
	};
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
		{ "verbose", no_argument, NULL, 'v' },
		{ "seed-table", no_argument, NULL, OPT_SEED_TABLE },
		{ "models", required_argument, NULL, OPT_MODELS },
		{ "chart", required_argument, NULL, OPT_CHART },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "m:s:b:d:p:l:t:r:w:i:jkhVqv", longopts,
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
			o->runs_set = 1;
			break;
		case 'w':
			if (mnet_tool_parse_int(optarg, 0, 1000000, &o->warmup)) {
				fprintf(stderr, "%s: bad --warmup '%s'\n", prog,
					optarg);
				return -EINVAL;
			}
			o->warmup_set = 1;
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
		case OPT_SEED_TABLE:
			o->seed_table = 1;
			break;
		case OPT_MODELS:
			o->models_dir = optarg;
			break;
		case OPT_CHART:
			o->chart = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(MNET_TOOL_EXIT_OK);
		case 'V':
			mnet_tool_print_version(prog);
			exit(MNET_TOOL_EXIT_OK);
		case 'q':
		case 'v':
			verbose = c == 'v' ? 1 : -1;	/* the later wins */
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
	if ((o->models_dir || o->chart) && !o->seed_table) {
		fprintf(stderr, "%s: --models and --chart go with --seed-table\n",
			prog);
		return -EINVAL;
	}
	if (o->seed_table) {
		if (o->model || o->synthetic || o->input || o->csv ||
		    o->backend != MNET_BACKEND_AUTO) {
			fprintf(stderr, "%s: --seed-table runs its own files on every backend: no -m, --synthetic, -b, -i or --csv\n",
				prog);
			return -EINVAL;
		}
		return 0;
	}
	if (!!o->model == !!o->synthetic) {
		fprintf(stderr, "%s: give exactly one of -m MODEL or --synthetic ALPHA RES\n",
			prog);
		usage(stderr);
		return -EINVAL;
	}
	return 0;
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

/* Create a session and time it; print the note or error (-v: its parts). */
static int create(const struct mnet_model *m, const struct mnet_session_opts *so,
		  struct mnet_session **s, double *ms, const char *what)
{
	struct mnet_err err = { 0 };
	struct mnet_startup su;
	double t0 = mnet_now_ms();

	if (mnet_session_create(m, so, s, &err)) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		return -1;
	}
	*ms = mnet_now_ms() - t0;
	if (err.msg[0] && verbose >= 0)
		fprintf(stderr, "%s: %s\n", prog, err.msg);
	if (verbose <= 0)
		return 0;
	mnet_session_startup(*s, &su);
	fprintf(stderr, "%s: %s session: %s on %s, %.1f ms: device %.1f, programs %.1f (%d built, %d from the cache), weights %.1f, first run %.1f; %d layer(s) on the host\n",
		prog, what, mnet_session_backend_name(*s),
		mnet_session_device_name(*s) ? mnet_session_device_name(*s) :
		"-", *ms, su.device_ms, su.build_ms, su.programs_built,
		su.programs_cached, su.upload_ms, su.first_run_ms,
		su.host_layers);
	return 0;
}

/*
 * --json when the benchmark failed: still one object on stdout, so that a
 * script reading it learns why (the details are on stderr).
 */
static void json_failed(const struct bench_opts *o, const struct mnet_model *m,
			const char *why)
{
	if (!o->json)
		return;
	printf("{\"model\": ");
	mnet_tool_json_string(stdout, m ? mnet_model_name(m) : o->model ?
			      o->model : "synthetic");
	printf(", \"error\": ");
	mnet_tool_json_string(stdout, why);
	printf("}\n");
}

/* -v: what the run uses, before it starts */
static void print_plan(const struct bench_opts *o, const char *cache)
{
	char path[4096];

	if (o->model) {
		fprintf(stderr, "%s: looking for model '%s':\n", prog,
			o->model);
		mnet_tool_model_lookup(o->model, path, sizeof(path), stderr);
	}
	fprintf(stderr, "%s: input %s\n", prog, o->input ? o->input :
		"fixed (not an image)");
	fprintf(stderr, "%s: program cache %s (temporary, removed at exit)\n",
		prog, cache);
	fprintf(stderr, "%s: threads: %d asked for, %d used by the cpu backend\n",
		prog, o->threads, mnet_tool_threads_used(o->threads));
	fprintf(stderr, "%s: %d warm-up and %d timed runs%s, %d profiled runs for the layers (opencl)\n",
		prog, o->warmup, o->runs,
		o->min_secs > 0 ? " (more for --min-secs)" : "", o->layer_runs);
}

int main(int argc, char **argv)
{
	struct bench_opts o = { .runs = 50, .warmup = 10, .layer_runs = 20 };
	char cache[] = "/tmp/mnet-bench-cache-XXXXXX";
	struct mnet_session_opts so;
	struct mnet_session *s = NULL;
	struct bench_results r = { 0 };
	struct mnet_model *m = NULL;
	struct mnet_shape is;
	FILE *csv = NULL;
	const char *why = "out of memory";	/* what failed, for --json */
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
	if (o.seed_table) {
		const char *md = mnet_tool_model_dir();
		char shared[600];
		struct bench_table_opts t = {
			.models = o.models_dir, .chart = o.chart,
			.runs = o.runs_set ? o.runs : 10,
			.warmup = o.warmup_set ? o.warmup : 2,
			.device = o.device, .json = o.json, .verbose = verbose,
			.shared = shared,
		};
		const char *slash = strrchr(md, '/');

		/* the shared folder: the models folder's parent */
		snprintf(shared, sizeof(shared), "%.*s",
			 slash ? (int)(slash - md) : 1, slash ? md : ".");
		return bench_seed_table(prog, &t) ? MNET_TOOL_EXIT_FAIL :
						     MNET_TOOL_EXIT_OK;
	}
	/* --csv that cannot be written fails now, not after the whole run */
	if (o.csv) {
		csv = fopen(o.csv, "w");
		if (!csv) {
			fprintf(stderr, "%s: --csv %s: %s\n", prog, o.csv,
				strerror(errno));
			json_failed(&o, NULL, "the --csv file cannot be written");
			return MNET_TOOL_EXIT_FAIL;
		}
	}
	why = "the model could not be loaded";
	m = mnet_tool_load_model(o.model, o.synthetic, o.alpha, o.res, prog);
	if (!m)
		goto out_free;
	why = "out of memory";
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
	bench_fill_input(&o, is, in);
	why = "the --input image could not be used";
	if (o.input && load_input(o.input, m, in, n_in))
		goto out_cache;
	why = "the session could not be created";
	if (verbose > 0)
		print_plan(&o, cache);
	if (create(m, &so, &s, &r.create_cold_ms, "cold"))
		goto out_cache;
	opencl = !strncmp(mnet_session_backend_name(s), "opencl", 6);
	/* an explicit -l not honoured: a warning, which -q keeps */
	if (!opencl && o.layer_runs_set)
		fprintf(stderr, "%s: warning: --layer-runs is for opencl's profiled session; on %s the per-layer times are host wall time over the timed runs\n",
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
		if (create(m, &so, &sp, &ms, "profiled"))
			goto out_cache;
		ret = bench_layer_pass(sp, m, &o, in, n_in, &r);
		mnet_session_destroy(sp);
		if (ret) {
			ret = 1;
			why = "the profiled per-layer runs failed";
			goto out_cache;
		}
		so.profile = 0;
		so.release_weights = !o.keep_weights;
	}
	/* the reset also lowers ru_maxrss: keep the earlier peak first */
	r.rss_kb = bench_maxrss_kb();
	r.run_rss_kb = bench_hwm_reset() ? -1 : 0;
	if (create(m, &so, &s, &r.create_ms, "timed (cached)"))
		goto out_cache;
	/* 0: released now or before; -EBUSY: the session reads them */
	r.weights_released = so.release_weights &&
			     !mnet_model_release_weights(m, NULL);
	if (!r.layer_profiled)
		r.layer_runs = o.runs;
	r.n = o.runs;
	why = "the timed runs failed";
	if (bench_run(s, m, &o, in, n_in, &r))
		goto out_destroy;
	why = NULL;		/* the results are printed: no error object */
	if (bench_maxrss_kb() > r.rss_kb)
		r.rss_kb = bench_maxrss_kb();
	if (!r.run_rss_kb)
		r.run_rss_kb = bench_vm_hwm_kb();
	/* two reads of per-thread RSS counters: keep process >= session */
	if (r.run_rss_kb > r.rss_kb)
		r.rss_kb = r.run_rss_kb;
	/* what the cpu backend runs, not what was asked for */
	threads = mnet_tool_threads_used(o.threads);
	if (o.json)
		bench_print_json(&o, m, s, threads, &r);
	else
		bench_print_text(&o, m, s, threads, &r);
	ret = 0;
	if (csv) {
		ret = bench_write_csv(csv, o.csv, m, &r) ? 1 : 0;
		csv = NULL;
	}

out_destroy:
	mnet_session_destroy(s);
out_cache:
	remove_cache(cache);
out_free:
	if (ret && why)
		json_failed(&o, m, why);
	if (csv) {		/* the run failed: no empty table left behind */
		fclose(csv);
		unlink(o.csv);
	}
	free(r.layer_cfg);
	free(r.layer_ms);
	free(r.t);
	free(in);
	mnet_model_free(m);
	return ret;
}
