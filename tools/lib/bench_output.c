// SPDX-License-Identifier: Apache-2.0
/*
 * bench_output.c - mnet-bench's text, JSON and CSV writers
 *
 * DOC: benchmark output
 *
 * The same numbers three ways: a table for a person, one JSON object for
 * scripts and CI (the field names are documented in --help), and the
 * per-layer table as CSV for a spreadsheet.  Statistics come from
 * bench_measure.c, so the three cannot disagree.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnet/mnet.h"
#include "lib/tool_util.h"
#include "lib/bench.h"
#include "lib/bench_measure.h"
#include "lib/bench_output.h"

static const char *const prog = BENCH_PROG;

/*
 * The precision printed is what the session computes in, as the library
 * says (mnet_session_precision(), not guessed from its name: auto
 * resolves to int8 for a quantized file on cpu).
 *
 * No "fraction of the int8 peak" is printed beside GMAC/s: the peak is
 * cores x int8 MACs per cycle x clock, and neither of the last two is
 * known here reliably (VNNI issues one or two 512-bit vpdpbusd a cycle
 * by core, Zen 4 splits them in two halves; the clock under AVX-512
 * load is not the nominal one and /proc/cpuinfo's is a snapshot), so
 * any fraction would be a guess (docs/validate.md).
 */
void bench_print_text(const struct bench_opts *o, const struct mnet_model *m,
		      struct mnet_session *s, int threads,
		      const struct bench_results *r)
{
	int n = r->n, nl = mnet_model_layer_count(m), j, n_ops;
	double med = bench_percentile(r->t, n, 0.5), total = 0, mean, sd;
	struct bench_op_sum *ops = calloc((size_t)nl, sizeof(*ops));
	uint64_t macs;

	mnet_model_totals(m, NULL, &macs);
	bench_mean_stddev(r, &mean, &sd);
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
	if (r->raw_input)
		printf("input      the file's 8-bit tensor, quantized once before the timed runs (mnet_session_run_quantized)\n");
	printf("latency    min %.3f  median %.3f  p90 %.3f  max %.3f ms\n",
	       r->t[0], med, bench_percentile(r->t, n, 0.9), r->t[n - 1]);
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
	n_ops = bench_op_sums(m, r, ops);
	printf("\nper op type:\n%-12s %6s %9s %6s\n", "op", "layers", "ms", "%");
	for (j = 0; j < n_ops; j++)
		printf("%-12s %6d %9.4f %6.1f\n", ops[j].op, ops[j].layers,
		       ops[j].ms, total > 0 ? 100.0 * ops[j].ms / total : 0.0);
	free(ops);
}

/* The per-layer table as CSV (RFC 4180 quoting of the names). */
int bench_write_csv(FILE *f, const char *path, const struct mnet_model *m,
		    const struct bench_results *r)
{
	int nl = mnet_model_layer_count(m), j;
	const char *p;

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

void bench_print_json(const struct bench_opts *o, const struct mnet_model *m,
		      struct mnet_session *s, int threads,
		      const struct bench_results *r)
{
	int n = r->n, nl = mnet_model_layer_count(m), j, n_ops;
	double med = bench_percentile(r->t, n, 0.5), mean, sd;
	struct bench_op_sum *ops = calloc((size_t)nl, sizeof(*ops));
	uint64_t macs;

	mnet_model_totals(m, NULL, &macs);
	bench_mean_stddev(r, &mean, &sd);
	printf("{\"model\": ");
	mnet_tool_json_string(stdout, mnet_model_name(m));
	printf(", \"backend\": ");
	mnet_tool_json_string(stdout, mnet_session_backend_name(s));
	printf(", \"device\": ");
	mnet_tool_json_string(stdout, mnet_session_device_name(s));
	printf(", \"threads\": %d, \"runs\": %d, \"warmup\": %d", threads, n,
	       o->warmup);
	printf(", \"first_ms\": %.4f, \"min_ms\": %.4f, \"median_ms\": %.4f, \"p90_ms\": %.4f, \"max_ms\": %.4f, \"mean_ms\": %.4f, \"stddev_ms\": %.4f",
	       r->first_ms, r->t[0], med, bench_percentile(r->t, n, 0.9),
	       r->t[n - 1], mean, sd);
	printf(", \"throughput_ips\": %.2f, \"gmacs\": %.2f, \"macs\": %llu",
	       1000.0 / med, (double)macs / med / 1e6,
	       (unsigned long long)macs);
	printf(", \"precision\": \"%s\"", mnet_tool_precision_name(mnet_session_precision(s)));
	printf(", \"create_ms\": %.3f, \"create_cold_ms\": %.3f, \"create_cached_ms\": %.3f",
	       r->create_ms, r->create_cold_ms, r->create_ms);
	printf(", \"peak_rss_kb\": %ld, \"session_peak_rss_kb\": %ld, \"weights_released\": %s, \"input\": ",
	       r->rss_kb, r->run_rss_kb,
	       r->weights_released ? "true" : "false");
	mnet_tool_json_string(stdout, o->input ? o->input : "fixed");
	printf(", \"input_type\": \"%s\"", r->raw_input ? "quantized" : "float");
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
	n_ops = ops ? bench_op_sums(m, r, ops) : 0;
	for (j = 0; j < n_ops; j++)
		printf("%s{\"op\": \"%s\", \"layers\": %d, \"ms\": %.4f}",
		       j ? ", " : "", ops[j].op, ops[j].layers, ops[j].ms);
	printf("]}\n");
	free(ops);
}
