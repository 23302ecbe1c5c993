// SPDX-License-Identifier: Apache-2.0
/*
 * validate_html.c - the HTML tables of mnet-validate's report page
 *
 * DOC: validation tables
 *
 * Plain HTML tables (styled by the page's inline CSS), and the two things
 * the charts share with them: escaping and one colour per backend.
 */
#include <math.h>
#include <stdio.h>

#include "mnet/mnet.h"
#include "lib/tool_util.h"
#include "lib/validate.h"
#include "lib/validate_html.h"

const char *const val_colour[VAL_MAX_BACKENDS] = {
	"#7f7f7f", "#1f77b4", "#d62728",
};

void val_html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}


void val_html_summary(FILE *f, const struct val_run *r)
{
	int b;

	fputs("<div class=\"scroll\"><table><tr><th>backend</th><th>device</th><th>top-1 agree</th><th>top-5 agree</th><th>top-1 acc</th><th>top-5 acc</th><th>precision</th><th>output rel L2</th><th>output cos</th><th>output q diff (int8)</th><th>int8 vs fp32: rel L2, top-1 agree</th><th>tolerance</th><th>ms/image (median)</th><th>sum of layers, ms</th><th>verdict</th></tr>\n",
	      f);
	for (b = 0; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		fputs("<tr><td>", f);
		val_html_text(f, be->name);
		fputs("</td><td>", f);
		val_html_text(f, be->device);
		if (b)
			fprintf(f, "</td><td>%.1f%%</td><td>%.1f%%", 100.0 *
				be->top1_agree / r->n_images, 100.0 *
				be->top5_agree / r->n_images);
		else
			fputs("</td><td>reference</td><td>reference", f);
		if (r->have_truth)
			fprintf(f, "</td><td>%.1f%%</td><td>%.1f%%", 100.0 *
				be->top1_hit / r->n_images, 100.0 *
				be->top5_hit / r->n_images);
		else
			fputs("</td><td>-</td><td>-", f);
		fprintf(f, "</td><td>%s", mnet_tool_precision_name(be->prec));
		if (b)
			fprintf(f, "</td><td>%.2e</td><td>%.8f", be->out_err.rel_l2,
				be->out_err.cos);
		else
			fputs("</td><td>-</td><td>-", f);
		if (b && be->int8)
			fprintf(f, "</td><td>%.0f", be->out_err.q_max);
		else
			fputs("</td><td>-", f);
		if (be->int8)
			fprintf(f, "</td><td>%.2e, %.1f%%", be->fp32_err.rel_l2,
				100.0 * be->fp32_top1_agree / r->n_images);
		else
			fputs("</td><td>-", f);
		if (b && be->int8)
			fputs("</td><td>0 quantized units", f);
		else if (b)
			fprintf(f, "</td><td>%.0e", be->tol);
		else
			fputs("</td><td>-", f);
		fprintf(f, "</td><td>%.2f</td><td>%.2f</td><td class=\"%s\">%s</td></tr>\n",
			be->run_ms_median, val_layer_sum(be, r->n_layers),
			val_backend_pass(r, b) ? "ok" : "bad",
			!b ? "oracle" : val_backend_pass(r, b) ? "pass" : "FAIL");
	}
	fputs("</table></div>\n", f);
}

/* "282 tabby, tabby cat", or "282" without labels. */
static void html_class(FILE *f, const struct val_run *r, int cls)
{
	const char *l = mnet_tool_label(r->labels, r->n_labels,
					r->label_offset, cls);

	fprintf(f, "%d", cls);
	if (*l) {
		fputc(' ', f);
		val_html_text(f, l);
	}
}

/* Images whose top-1 differs from the truth on any backend (first 100). */
void val_html_misclassified(FILE *f, const struct val_run *r)
{
	int i, b, shown = 0;

	if (!r->have_truth)
		return;
	for (i = 0; i < r->n_images && shown < 100; i++) {
		int wrong = 0;

		for (b = 0; b < r->n_be; b++)
			wrong |= r->be[b].top[i][0] != r->images[i].truth;
		if (!wrong)
			continue;
		if (!shown++) {
			fputs("<h3>Misclassified images (top-1 not the truth on some backend; first 100)</h3>\n<div class=\"scroll\"><table><tr><th>image</th><th>truth</th>",
			      f);
			for (b = 0; b < r->n_be; b++) {
				fputs("<th>", f);
				val_html_text(f, r->be[b].name);
				fputs(" top-1</th>", f);
			}
			fputs("</tr>\n", f);
		}
		fputs("<tr><td style=\"text-align:left\">", f);
		val_html_text(f, r->images[i].path);
		fputs("</td><td style=\"text-align:left\">", f);
		html_class(f, r, r->images[i].truth);
		for (b = 0; b < r->n_be; b++) {
			fprintf(f, "</td><td style=\"text-align:left\" class=\"%s\">",
				r->be[b].top[i][0] == r->images[i].truth ?
				"ok" : "bad");
			html_class(f, r, r->be[b].top[i][0]);
		}
		fputs("</td></tr>\n", f);
	}
	if (shown)
		fputs("</table></div>\n", f);
	else
		fputs("<p>Every backend's top-1 class is the true class on every image.</p>\n",
		      f);
}

void val_html_disagreements(FILE *f, const struct val_run *r)
{
	int i, b, k, shown = 0;

	for (i = 0; i < r->n_images && shown < 50; i++) {
		for (b = 1; b < r->n_be; b++) {
			/* one of the other precision has its own oracle */
			if (r->be[b].int8 != r->be[0].int8 ||
			    r->be[b].top[i][0] == r->be[0].top[i][0])
				continue;
			if (!shown++)
				fputs("<h3>Top-1 disagreements with the reference (first 50)</h3>\n<div class=\"scroll\"><table><tr><th>image</th><th>backend</th><th>reference top-5</th><th>backend top-5</th></tr>\n",
				      f);
			fputs("<tr><td style=\"text-align:left\">", f);
			val_html_text(f, r->images[i].path);
			fputs("</td><td>", f);
			val_html_text(f, r->be[b].name);
			fputs("</td><td style=\"text-align:left\">", f);
			for (k = 0; k < VAL_TOPK; k++) {
				fputs(k ? "<br>" : "", f);
				html_class(f, r, r->be[0].top[i][k]);
			}
			fputs("</td><td style=\"text-align:left\">", f);
			for (k = 0; k < VAL_TOPK; k++) {
				fputs(k ? "<br>" : "", f);
				html_class(f, r, r->be[b].top[i][k]);
			}
			fputs("</td></tr>\n", f);
		}
	}
	if (shown)
		fputs("</table></div>\n", f);
	else
		fputs("<p>Every backend's top-1 class equals the reference's on every image.</p>\n",
		      f);
}

void val_html_layers(FILE *f, const struct val_run *r)
{
	struct mnet_layer_info li;
	int l, b;

	fputs("<details><summary>Per-layer numbers</summary><div class=\"scroll\"><table><tr><th>#</th><th>layer</th><th>op</th><th>output</th>",
	      f);
	for (b = 0; b < r->n_be; b++) {
		fputs("<th>", f);
		val_html_text(f, r->be[b].name);
		fputs(" ms</th>", f);
	}
	for (b = 1; b < r->n_be; b++) {
		fputs("<th>", f);
		val_html_text(f, r->be[b].name);
		fputs(r->be[b].int8 ? " rel L2</th><th>max abs</th><th>q diff</th>" :
				      " rel L2</th><th>max abs</th><th>cos</th>", f);
	}
	fputs("</tr>\n", f);
	for (l = 0; l < r->n_layers; l++) {
		mnet_model_layer_info(r->model, l, &li);
		fprintf(f, "<tr><td>%d</td><td>", l);
		val_html_text(f, li.name);
		fprintf(f, "</td><td>%s</td><td>%dx%dx%d</td>", li.op, li.out.h,
			li.out.w, li.out.c);
		for (b = 0; b < r->n_be; b++)
			if (r->be[b].ms[l] > 0 || !val_layer_fused(r, b, l))
				fprintf(f, "<td>%.4f</td>", r->be[b].ms[l]);
			else
				fputs("<td title=\"fused into the previous layer: its time is counted there\">fused</td>",
				      f);
		for (b = 1; b < r->n_be; b++) {
			const struct val_layer_err *e = &r->be[b].err[l];

			if (r->be[b].int8)
				fprintf(f, "<td>%.2e</td><td>%.2e</td><td class=\"%s\">%.0f</td>",
					e->rel_l2, e->max_abs,
					val_err_over(&r->be[b], e) ? "bad" : "ok",
					e->q_max);
			else
				fprintf(f, "<td class=\"%s\">%.2e</td><td>%.2e</td><td>%.9f</td>",
					val_err_over(&r->be[b], e) ? "bad" : "ok",
					e->rel_l2, e->max_abs, e->cos);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table></div></details>\n", f);
}

void val_html_verdict(FILE *f, const struct val_run *r)
{
	struct mnet_layer_info li;
	int b;

	fprintf(f, "<p class=\"verdict %s\">%s</p>\n", r->pass ? "ok" : "bad",
		r->pass ? "PASS: every backend is within tolerance of the reference" :
			  "FAIL: a tolerance was exceeded");
	fputs("<ul>", f);
	for (b = 1; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		if (be->first_fail >= 0 && be->int8) {
			mnet_model_layer_info(r->model, be->first_fail, &li);
			fputs("<li>", f);
			val_html_text(f, be->name);
			fprintf(f, ": layer %d (", be->first_fail);
			val_html_text(f, li.name);
			fprintf(f, ", %s) differs from ref at int8 by up to %.0f quantized units; %d layer(s) differ</li>\n",
				li.op, be->err[be->first_fail].q_max,
				be->n_fail_layers);
		} else if (be->first_fail >= 0) {
			mnet_model_layer_info(r->model, be->first_fail, &li);
			fputs("<li>", f);
			val_html_text(f, be->name);
			fprintf(f, ": layer %d (", be->first_fail);
			val_html_text(f, li.name);
			fprintf(f, ", %s) relative L2 error %.3e exceeds %.0e; %d layer(s) over tolerance</li>\n",
				li.op, be->err[be->first_fail].rel_l2, be->tol,
				be->n_fail_layers);
		}
		if (be->int8 && val_err_over(be, &be->out_err)) {
			fputs("<li>", f);
			val_html_text(f, be->name);
			fprintf(f, ": output differs from ref at int8 by up to %.0f quantized units</li>\n",
				be->out_err.q_max);
		} else if (val_err_over(be, &be->out_err)) {
			fputs("<li>", f);
			val_html_text(f, be->name);
			fprintf(f, ": output relative L2 error %.3e exceeds %.0e</li>\n",
				be->out_err.rel_l2, be->tol);
		}
		if (!val_agree_ok(r, be)) {
			fputs("<li>", f);
			val_html_text(f, be->name);
			fprintf(f, ": top-1 agreement %.1f%% below %.1f%%</li>\n",
				100.0 * be->top1_agree / r->n_images,
				100 * be->agree_min);
		}
	}
	fputs("</ul>\n", f);
}
