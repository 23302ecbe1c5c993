// SPDX-License-Identifier: Apache-2.0
/*
 * validate_text.c - mnet-validate's tables for a terminal
 *
 * DOC: validation text
 *
 * Fixed-width tables on stdout, for a person at a terminal; scripts use
 * --json (validate_json.c).  The verdict names the first layer over
 * tolerance, the layer that a bug report should start from.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mnet/mnet.h"
#include "lib/tool_util.h"
#include "lib/validate.h"
#include "lib/validate_text.h"

static const char *const prog = VAL_PROG;

static void pct(char *buf, size_t len, int num, int den)
{
	snprintf(buf, len, "%.1f%%", den ? 100.0 * num / den : 0.0);
}

static int find_kind(const struct val_run *r, enum mnet_backend_kind k)
{
	int b;

	for (b = 0; b < r->n_be; b++)
		if (r->be[b].kind == k)
			return b;
	return -1;
}

static void print_summary(const struct val_run *r)
{
	char a1[16], a5[16], c1[16], c5[16], rel[16], cos[16], q[16];
	int b;

	printf("%s: %s, %d layers, %d images", prog, r->model_name,
	       r->n_layers, r->n_images);
	printf(" (every layer compared on the first %d)\n", r->layer_images);
	for (b = 0; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		printf("  %-20s %s (%s)\n", be->name, be->device,
		       mnet_tool_precision_name(be->prec));
		if (!b)
			continue;
		snprintf(a1, sizeof(a1), ">= %.1f%%", 100 * be->agree_min);
		if (be->int8)
			printf("  %-20s tolerance: 0 quantized units from ref at int8, top-1 agreement %s\n",
			       "", be->agree_min < 0 ? "not checked" : a1);
		else
			printf("  %-20s tolerance: relative L2 %.0e, top-1 agreement %s\n",
			       "", be->tol, be->agree_min < 0 ? "not checked" : a1);
	}
	if (r->has_int8)
		printf("  int8 sessions are compared with ref at int8, the others with ref at fp32\n");
	printf("\nAgreement with the reference%s, over %d images\n",
	       r->have_truth ? " and accuracy" : "", r->n_images);
	printf("%-20s %10s %10s %9s %9s %10s %10s %6s %9s\n", "backend",
	       "top1-agree", "top5-agree", "top1-acc", "top5-acc",
	       "out-relL2", "out-cos", "out-q", "ms/image");
	for (b = 0; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		pct(a1, sizeof(a1), be->top1_agree, r->n_images);
		pct(a5, sizeof(a5), be->top5_agree, r->n_images);
		pct(c1, sizeof(c1), be->top1_hit, r->n_images);
		pct(c5, sizeof(c5), be->top5_hit, r->n_images);
		snprintf(rel, sizeof(rel), "%.2e", be->out_err.rel_l2);
		snprintf(cos, sizeof(cos), "%.7f", be->out_err.cos);
		snprintf(q, sizeof(q), "%.0f", be->out_err.q_max);
		printf("%-20s %10s %10s %9s %9s %10s %10s %6s %9.2f\n",
		       be->name, b ? a1 : "-", b ? a5 : "-",
		       r->have_truth ? c1 : "-", r->have_truth ? c5 : "-",
		       b ? rel : "-", b ? cos : "-", b && be->int8 ? q : "-",
		       be->run_ms_median);
	}
}

/* A model of several outputs: each output tensor, each backend. */
static void print_outputs(const struct val_run *r)
{
	struct mnet_output_info info;
	char shape[32];
	int o, b;

	if (r->n_outputs < 2)
		return;
	printf("\nEach output tensor against the reference (the worst is the summary's out-*)\n");
	printf("%-3s %-28s %-14s %-20s %10s %10s %6s\n", "#", "output", "shape",
	       "backend", "relL2", "cos", "q");
	for (o = 0; o < r->n_outputs; o++) {
		if (mnet_model_output_info(r->model, o, &info))
			continue;
		snprintf(shape, sizeof(shape), "%dx%dx%d", info.shape.h,
			 info.shape.w, info.shape.c);
		for (b = 1; b < r->n_be; b++) {
			const struct val_backend *be = &r->be[b];
			char q[16] = "-";

			if (be->int8)
				snprintf(q, sizeof(q), "%.0f", be->outs[o].q_max);
			printf("%-3d %-28.28s %-14s %-20s %10.2e %10.7f %6s\n", o,
			       info.name ? info.name : "-", shape, be->name,
			       be->outs[o].rel_l2, be->outs[o].cos, q);
		}
	}
}

/* int8 sessions against float: reported beside the verdict, not judged. */
static void print_fp32_distance(const struct val_run *r)
{
	char a1[16];
	int b;

	if (!r->has_int8)
		return;
	printf("\nDistance of the int8 sessions from the fp32 reference (%s; not judged)\n",
	       r->ref_fp32 ? mnet_session_backend_name(r->ref_fp32) : "-");
	printf("%-20s %10s %10s %10s\n", "backend", "out-relL2", "out-cos",
	       "top1-agree");
	for (b = 0; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		if (!be->int8)
			continue;
		pct(a1, sizeof(a1), be->fp32_top1_agree, r->n_images);
		printf("%-20s %10.2e %10.7f %10s\n", be->name,
		       be->fp32_err.rel_l2, be->fp32_err.cos, a1);
	}
}

/* The images whose top-1 class differs from the reference's (first 20). */
static void print_disagreements(const struct val_run *r)
{
	int i, b, shown = 0;

	for (i = 0; i < r->n_images && shown < 20; i++) {
		for (b = 1; b < r->n_be; b++) {
			/* one of the other precision has its own oracle */
			if (r->be[b].int8 != r->be[0].int8 ||
			    r->be[b].top[i][0] == r->be[0].top[i][0])
				continue;
			if (!shown++)
				printf("\nTop-1 disagreements (first 20)\n");
			printf("  %s: ref %d %s, %s %d %s\n", r->images[i].path,
			       r->be[0].top[i][0],
			       mnet_tool_label(r->labels, r->n_labels,
					       r->label_offset,
					       r->be[0].top[i][0]),
			       r->be[b].name, r->be[b].top[i][0],
			       mnet_tool_label(r->labels, r->n_labels,
					       r->label_offset,
					       r->be[b].top[i][0]));
		}
	}
}

/* Layer names are long paths whose tail says the most: keep the tail. */
static void layer_label(const struct val_run *r, int l, char *buf, size_t len)
{
	struct mnet_layer_info li;
	char nm[32];

	mnet_model_layer_info(r->model, l, &li);
	snprintf(buf, len, "%-3d %-28s %-9s %4dx%-3dx%-4d", l,
		 mnet_tool_short_name(li.name, 28, nm), li.op, li.out.h,
		 li.out.w, li.out.c);
}

static void print_errors(const struct val_run *r)
{
	char lab[96];
	int b, l;

	if (!r->layer_images || r->n_be < 2)
		return;
	printf("\nPer-layer error against the reference (worst over the first %d image%s)\n",
	       r->layer_images, r->layer_images > 1 ? "s" : "");
	printf("%-56s", "#   layer                        op        out");
	for (b = 1; b < r->n_be; b++)
		printf(" | %-31.31s", r->be[b].name);
	printf("\n%-56s", "");
	for (b = 1; b < r->n_be; b++)
		printf(" | %9s %9s %11s", "rel-L2", "max-abs",
		       r->be[b].int8 ? "q-units" : "cos");
	printf("\n");
	for (l = 0; l < r->n_layers; l++) {
		layer_label(r, l, lab, sizeof(lab));
		printf("%-56s", lab);
		for (b = 1; b < r->n_be; b++) {
			const struct val_layer_err *e = &r->be[b].err[l];

			if (r->be[b].int8)
				printf(" | %9.2e %9.2e %11.0f%s", e->rel_l2,
				       e->max_abs, e->q_max,
				       val_err_over(&r->be[b], e) ? "!" : "");
			else
				printf(" | %9.2e %9.2e %11.8f%s", e->rel_l2,
				       e->max_abs, e->cos,
				       val_err_over(&r->be[b], e) ? "!" : "");
		}
		printf("\n");
	}
}

static void print_times(const struct val_run *r)
{
	int cpu = find_kind(r, MNET_BACKEND_CPU);
	int ocl = find_kind(r, MNET_BACKEND_OPENCL);
	double sum[VAL_MAX_BACKENDS] = { 0 };
	char lab[96];
	int b, l;

	printf("\nPer-layer time, ms (median over %d images; opencl: device time from event profiling)\n",
	       r->n_images);
	printf("%-56s", "#   layer                        op        out");
	for (b = 0; b < r->n_be; b++)
		printf(" %12.12s", r->be[b].name);
	if (cpu >= 0 && ocl >= 0)
		printf(" %11s", "cpu/opencl");
	printf("\n");
	for (l = 0; l < r->n_layers; l++) {
		layer_label(r, l, lab, sizeof(lab));
		printf("%-56s", lab);
		for (b = 0; b < r->n_be; b++) {
			printf(" %12.4f", r->be[b].ms[l]);
			sum[b] += r->be[b].ms[l];
		}
		if (cpu >= 0 && ocl >= 0) {
			if (r->be[ocl].ms[l] > 0)
				printf(" %10.2fx", r->be[cpu].ms[l] /
						   r->be[ocl].ms[l]);
			else
				printf(" %11s", "-");
		}
		printf("\n");
	}
	printf("%-56s", "sum of layers");
	for (b = 0; b < r->n_be; b++)
		printf(" %12.3f", sum[b]);
	if (cpu >= 0 && ocl >= 0 && sum[ocl] > 0)
		printf(" %10.2fx", sum[cpu] / sum[ocl]);
	printf("\n");
}

/* Name the failures on stderr (and stdout for the human-readable run). */
void val_print_verdict(FILE *f, const struct val_run *r)
{
	struct mnet_layer_info li;
	int b;

	for (b = 1; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		if (be->first_fail >= 0 && be->int8) {
			mnet_model_layer_info(r->model, be->first_fail, &li);
			fprintf(f, "FAIL %s: layer %d (%s, %s): differs from ref at int8 by up to %.0f quantized unit%s (int8 must be exact)",
				be->name, be->first_fail, li.name, li.op,
				be->err[be->first_fail].q_max,
				be->err[be->first_fail].q_max == 1 ? "" : "s");
			if (be->n_fail_layers > 1)
				fprintf(f, " (first of %d layers that differ)",
					be->n_fail_layers);
			fprintf(f, "\n");
		} else if (be->first_fail >= 0) {
			mnet_model_layer_info(r->model, be->first_fail, &li);
			fprintf(f, "FAIL %s: layer %d (%s, %s): relative L2 error %.3e exceeds %.0e",
				be->name, be->first_fail, li.name, li.op,
				be->err[be->first_fail].rel_l2, be->tol);
			if (be->n_fail_layers > 1)
				fprintf(f, " (first of %d layers over tolerance)",
					be->n_fail_layers);
			fprintf(f, "\n");
		}
		if (be->int8 && val_err_over(be, &be->out_err))
			fprintf(f, "FAIL %s: output differs from ref at int8 by up to %.0f quantized units\n",
				be->name, be->out_err.q_max);
		else if (val_err_over(be, &be->out_err))
			fprintf(f, "FAIL %s: output relative L2 error %.3e exceeds %.0e\n",
				be->name, be->out_err.rel_l2, be->tol);
		if (be->agree_min >= 0 &&
		    be->top1_agree < be->agree_min * r->n_images - 1e-9)
			fprintf(f, "FAIL %s: top-1 agreement %.1f%% below %.1f%%\n",
				be->name, 100.0 * be->top1_agree / r->n_images,
				100 * be->agree_min);
	}
	if (r->pass)
		fprintf(f, "PASS: %d backend%s within tolerance of the reference\n",
			r->n_be - 1, r->n_be == 2 ? "" : "s");
}

void val_print_text(const struct val_run *r)
{
	print_summary(r);
	print_outputs(r);
	print_fp32_distance(r);
	print_disagreements(r);
	print_errors(r);
	print_times(r);
	printf("\n");
	val_print_verdict(stdout, r);
}
