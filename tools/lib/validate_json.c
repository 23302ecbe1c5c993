// SPDX-License-Identifier: Apache-2.0
/*
 * validate_json.c - mnet-validate's JSON writer
 *
 * DOC: validation JSON
 *
 * One object per run: the run's facts, one entry per backend (its limits,
 * agreement, accuracy, output error, times and verdict), the per-layer
 * errors and times, the failures, and the per-image classes.  Numbers
 * that JSON cannot hold (NaN for "not measured") are written as null.
 * The same writer serves --json on stdout and the report's <model>.json.
 */
#include <math.h>
#include <stdio.h>

#include "lib/tool_util.h"
#include "lib/validate.h"
#include "lib/validate_json.h"

void val_json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.6g", v);
	else
		fputs("null", f);
}

static void json_err(FILE *f, const struct val_layer_err *e)
{
	fputs("{\"max_abs\": ", f);
	val_json_num(f, e->max_abs);
	fputs(", \"rel_l2\": ", f);
	val_json_num(f, e->rel_l2);
	fputs(", \"cos\": ", f);
	val_json_num(f, e->cos);
	fputs(", \"q_max_diff\": ", f);
	val_json_num(f, e->q_max);
	fputc('}', f);
}

static void json_backends(FILE *f, const struct val_run *r)
{
	int b, o;

	fputs(", \"backends\": [", f);
	for (b = 0; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		fprintf(f, "%s{\"id\": \"%s\", \"name\": ", b ? ", " : "",
			be->id);
		mnet_tool_json_string(f, be->name);
		fputs(", \"device\": ", f);
		mnet_tool_json_string(f, be->device);
		fprintf(f, ", \"reference\": %s, \"precision\": \"%s\", \"fp16\": %s",
			b ? "false" : "true",
			mnet_tool_precision_name(be->prec),
			be->fp16 ? "true" : "false");
		fputs(", \"rel_l2_tolerance\": ", f);
		val_json_num(f, b && !be->int8 ? be->tol : NAN);
		fputs(", \"q_tolerance\": ", f);
		val_json_num(f, b && be->int8 ? 0 : NAN);
		fputs(", \"top1_agree_min\": ", f);
		val_json_num(f, b && be->agree_min >= 0 ? be->agree_min : NAN);
		fputs(", \"top1_agree\": ", f);
		val_json_num(f, val_frac(be->top1_agree, r->n_images));
		fputs(", \"top5_agree\": ", f);
		val_json_num(f, val_frac(be->top5_agree, r->n_images));
		fputs(", \"top1_accuracy\": ", f);
		val_json_num(f, r->have_truth ? val_frac(be->top1_hit, r->n_images) :
						NAN);
		fputs(", \"top5_accuracy\": ", f);
		val_json_num(f, r->have_truth ? val_frac(be->top5_hit, r->n_images) :
						NAN);
		fputs(", \"output\": ", f);
		if (b)
			json_err(f, &be->out_err);
		else
			fputs("null", f);
		fputs(", \"outputs\": [", f);
		for (o = 0; b && o < r->n_outputs; o++) {
			struct mnet_output_info info;

			if (mnet_model_output_info(r->model, o, &info))
				continue;
			fprintf(f, "%s{\"index\": %d, \"name\": ", o ? ", " : "", o);
			mnet_tool_json_string(f, info.name ? info.name : "");
			fputs(", \"error\": ", f);
			json_err(f, &be->outs[o]);
			fputc('}', f);
		}
		fputc(']', f);
		fputs(", \"fp32_rel_l2\": ", f);
		val_json_num(f, be->int8 ? be->fp32_err.rel_l2 : NAN);
		fputs(", \"fp32_top1_agree\": ", f);
		val_json_num(f, be->int8 ? val_frac(be->fp32_top1_agree,
						    r->n_images) : NAN);
		fputs(", \"run_ms_median\": ", f);
		val_json_num(f, be->run_ms_median);
		fputs(", \"layer_ms_sum\": ", f);
		val_json_num(f, val_layer_sum(be, r->n_layers));
		fprintf(f, ", \"first_fail_layer\": %d, \"fail_layers\": %d, \"pass\": %s}",
			be->first_fail, be->n_fail_layers,
			val_backend_pass(r, b) ? "true" : "false");
	}
	fputc(']', f);
}

static void json_layers(FILE *f, const struct val_run *r)
{
	struct mnet_layer_info li;
	int l, b;

	fputs(", \"per_layer\": [", f);
	for (l = 0; l < r->n_layers; l++) {
		mnet_model_layer_info(r->model, l, &li);
		fprintf(f, "%s{\"index\": %d, \"name\": ", l ? ", " : "", l);
		mnet_tool_json_string(f, li.name);
		fprintf(f, ", \"op\": \"%s\", \"out\": [%d, %d, %d], \"macs\": %llu, \"ms\": {",
			li.op, li.out.h, li.out.w, li.out.c,
			(unsigned long long)li.macs);
		for (b = 0; b < r->n_be; b++) {
			fprintf(f, "%s\"%s\": ", b ? ", " : "", r->be[b].id);
			val_json_num(f, r->be[b].ms[l]);
		}
		fputs("}, \"err\": {", f);
		for (b = 1; b < r->n_be; b++) {
			fprintf(f, "%s\"%s\": ", b > 1 ? ", " : "", r->be[b].id);
			if (r->layer_images)
				json_err(f, &r->be[b].err[l]);
			else
				fputs("null", f);
		}
		fputs("}}", f);
	}
	fputc(']', f);
}

static void json_images(FILE *f, const struct val_run *r)
{
	int i, b, k;

	fputs(", \"images_detail\": [", f);
	for (i = 0; i < r->n_images; i++) {
		fprintf(f, "%s{\"file\": ", i ? ", " : "");
		mnet_tool_json_string(f, r->images[i].path);
		fprintf(f, ", \"truth\": %d, \"top5\": {", r->images[i].truth);
		for (b = 0; b < r->n_be; b++) {
			fprintf(f, "%s\"%s\": [", b ? ", " : "", r->be[b].id);
			for (k = 0; k < VAL_TOPK; k++)
				fprintf(f, "%s%d", k ? ", " : "",
					r->be[b].top[i][k]);
			fputc(']', f);
		}
		fputs("}}", f);
	}
	fputc(']', f);
}

static void json_failure(FILE *f, int *n, const char *be, int layer,
			 const char *name, const char *metric, double v,
			 double limit)
{
	fprintf(f, "%s{\"backend\": \"%s\", \"layer\": %d, \"name\": ",
		(*n)++ ? ", " : "", be, layer);
	mnet_tool_json_string(f, name);
	fprintf(f, ", \"metric\": \"%s\", \"value\": ", metric);
	val_json_num(f, v);
	fputs(", \"limit\": ", f);
	val_json_num(f, limit);
	fputc('}', f);
}

static void json_failures(FILE *f, const struct val_run *r)
{
	struct mnet_layer_info li;
	int b, l, n = 0;

	fputs(", \"failures\": [", f);
	for (b = 1; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		for (l = 0; r->layer_images && l < r->n_layers; l++) {
			if (!val_err_over(be, &be->err[l]))
				continue;
			mnet_model_layer_info(r->model, l, &li);
			json_failure(f, &n, be->id, l, li.name,
				     be->int8 ? "q_max_diff" : "rel_l2",
				     be->int8 ? be->err[l].q_max :
						be->err[l].rel_l2, be->tol);
		}
		if (val_err_over(be, &be->out_err))
			json_failure(f, &n, be->id, -1, "output",
				     be->int8 ? "q_max_diff" : "rel_l2",
				     be->int8 ? be->out_err.q_max :
						be->out_err.rel_l2, be->tol);
		if (!val_agree_ok(r, be))
			json_failure(f, &n, be->id, -1, "output", "top1_agree",
				     val_frac(be->top1_agree, r->n_images),
				     be->agree_min);
	}
	fputc(']', f);
}

void val_write_json(FILE *f, const struct val_run *r)
{
	fputs("{\"tool\": \"mnet-validate\", \"model\": ", f);
	mnet_tool_json_string(f, r->model_name);
	fprintf(f, ", \"date\": \"%s\", \"layers\": %d, \"images\": %d, \"layer_images\": %d",
		r->date, r->n_layers, r->n_images, r->layer_images);
	fputs(", \"truth\": ", f);
	if (r->have_truth)
		mnet_tool_json_string(f, r->truth_file);
	else
		fputs("null", f);
	fprintf(f, ", \"pass\": %s", r->pass ? "true" : "false");
	fputs(", \"fp32_reference\": ", f);
	mnet_tool_json_string(f, r->ref_fp32 ?
			      mnet_session_backend_name(r->ref_fp32) : "");
	fputs(", \"int8_reference\": ", f);
	if (r->ref_int8)
		mnet_tool_json_string(f,
				      mnet_session_backend_name(r->ref_int8));
	else
		fputs("null", f);
	json_backends(f, r);
	json_layers(f, r);
	json_failures(f, r);
	json_images(f, r);
	fputs("}\n", f);
}
