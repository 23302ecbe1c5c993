// SPDX-License-Identifier: Apache-2.0
/*
 * validate_report.c - mnet-validate's JSON and HTML writers
 *
 * DOC: validation report
 *
 * The HTML page is one self-contained file: inline CSS and inline SVG
 * charts, no scripts, nothing fetched, so it can be attached to a bug
 * report or opened from a CI artefact as it is.  Three charts:
 *
 *  - per-layer latency, one bar per backend side by side, on a log scale
 *    (the reference is often 10-100x slower than the fast paths; on a
 *    linear axis they would vanish);
 *  - per-layer relative L2 error of each backend against the reference on
 *    a log scale, with each backend's tolerance as a dashed line (exact
 *    zeros are drawn on the chart's floor);
 *  - an accuracy summary: top-1/top-5 agreement with the reference and,
 *    with a truth file, top-1/top-5 accuracy per backend.
 *
 * Every bar and point carries an SVG <title>, so hovering shows the value.
 * The same folder receives <model>.json (the --json document) and an
 * index.html that links every report in the folder, so one --report DIR
 * serves several models.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/tool_util.h"
#include "lib/validate.h"

static const char *const colour[VAL_MAX_BACKENDS] = {
	"#7f7f7f", "#1f77b4", "#d62728",
};

/* ---- JSON --------------------------------------------------------------- */

void val_json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.6g", v);
	else
		fputs("null", f);
}

static double frac(int num, int den)
{
	return den ? (double)num / den : NAN;
}

static void json_err(FILE *f, const struct val_layer_err *e)
{
	fputs("{\"max_abs\": ", f);
	val_json_num(f, e->max_abs);
	fputs(", \"rel_l2\": ", f);
	val_json_num(f, e->rel_l2);
	fputs(", \"cos\": ", f);
	val_json_num(f, e->cos);
	fputc('}', f);
}

static double layer_sum(const struct val_backend *be, int n)
{
	double s = 0;
	int l;

	for (l = 0; l < n; l++)
		s += be->ms[l];
	return s;
}

static int agree_ok(const struct val_run *r, const struct val_backend *be)
{
	return be->agree_min < 0 ||
	       be->top1_agree >= be->agree_min * r->n_images - 1e-9;
}

static int backend_pass(const struct val_run *r, int b)
{
	const struct val_backend *be = &r->be[b];

	return !b || (be->first_fail < 0 && be->out_err.rel_l2 <= be->tol &&
		      agree_ok(r, be));
}

static void json_backends(FILE *f, const struct val_run *r)
{
	int b;

	fputs(", \"backends\": [", f);
	for (b = 0; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		fprintf(f, "%s{\"id\": \"%s\", \"name\": ", b ? ", " : "",
			be->id);
		mnet_tool_json_string(f, be->name);
		fputs(", \"device\": ", f);
		mnet_tool_json_string(f, be->device);
		fprintf(f, ", \"reference\": %s, \"fp16\": %s",
			b ? "false" : "true", be->fp16 ? "true" : "false");
		fputs(", \"rel_l2_tolerance\": ", f);
		val_json_num(f, b ? be->tol : NAN);
		fputs(", \"top1_agree_min\": ", f);
		val_json_num(f, b && be->agree_min >= 0 ? be->agree_min : NAN);
		fputs(", \"top1_agree\": ", f);
		val_json_num(f, frac(be->top1_agree, r->n_images));
		fputs(", \"top5_agree\": ", f);
		val_json_num(f, frac(be->top5_agree, r->n_images));
		fputs(", \"top1_accuracy\": ", f);
		val_json_num(f, r->have_truth ? frac(be->top1_hit, r->n_images) :
						NAN);
		fputs(", \"top5_accuracy\": ", f);
		val_json_num(f, r->have_truth ? frac(be->top5_hit, r->n_images) :
						NAN);
		fputs(", \"output\": ", f);
		if (b)
			json_err(f, &be->out_err);
		else
			fputs("null", f);
		fputs(", \"run_ms_median\": ", f);
		val_json_num(f, be->run_ms_median);
		fputs(", \"layer_ms_sum\": ", f);
		val_json_num(f, layer_sum(be, r->n_layers));
		fprintf(f, ", \"first_fail_layer\": %d, \"fail_layers\": %d, \"pass\": %s}",
			be->first_fail, be->n_fail_layers,
			backend_pass(r, b) ? "true" : "false");
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
			if (be->err[l].rel_l2 <= be->tol)
				continue;
			mnet_model_layer_info(r->model, l, &li);
			json_failure(f, &n, be->id, l, li.name, "rel_l2",
				     be->err[l].rel_l2, be->tol);
		}
		if (!(be->out_err.rel_l2 <= be->tol))
			json_failure(f, &n, be->id, -1, "output", "rel_l2",
				     be->out_err.rel_l2, be->tol);
		if (!agree_ok(r, be))
			json_failure(f, &n, be->id, -1, "output", "top1_agree",
				     frac(be->top1_agree, r->n_images),
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
	json_backends(f, r);
	json_layers(f, r);
	json_failures(f, r);
	json_images(f, r);
	fputs("}\n", f);
}

/* ---- HTML helpers ------------------------------------------------------- */

static void html_text(FILE *f, const char *s)
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

/* A log10 axis from 10^lo to 10^hi over pixel rows [y0 + h, y0]. */
struct log_axis {
	int lo, hi;
	double y0, h;
};

static void log_axis_fit(struct log_axis *a, double vmin, double vmax,
			 double y0, double h)
{
	if (!(vmin > 0))
		vmin = 1e-9;
	if (!(vmax > vmin))
		vmax = vmin * 10;
	a->lo = (int)floor(log10(vmin));
	a->hi = (int)ceil(log10(vmax));
	if (a->hi <= a->lo)
		a->hi = a->lo + 1;
	a->y0 = y0;
	a->h = h;
}

static double log_y(const struct log_axis *a, double v)
{
	double t;

	if (!(v > 0))
		return a->y0 + a->h;
	t = (log10(v) - a->lo) / (a->hi - a->lo);
	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	return a->y0 + a->h * (1 - t);
}

static void log_grid(FILE *f, const struct log_axis *a, double x0, double x1,
		     const char *unit)
{
	int e;

	for (e = a->lo; e <= a->hi; e++) {
		double y = log_y(a, pow(10, e));

		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>\n",
			x0, y, x1, y);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\" text-anchor=\"end\">1e%d%s</text>\n",
			x0 - 4, y + 4, e, unit);
	}
}

static void legend(FILE *f, const struct val_run *r, int first, double x,
		   double y)
{
	int b;

	for (b = first; b < r->n_be; b++, x += 170) {
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>",
			x, y - 10, colour[b]);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\">", x + 16,
			y);
		html_text(f, r->be[b].name);
		fputs("</text>\n", f);
	}
}

static void layer_ticks(FILE *f, const struct val_run *r, double x0,
			double step, double y)
{
	int l, every = r->n_layers > 40 ? 5 : r->n_layers > 20 ? 2 : 1;

	for (l = 0; l < r->n_layers; l += every)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\" text-anchor=\"middle\">%d</text>\n",
			x0 + (l + 0.5) * step, y, l);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\" text-anchor=\"middle\">layer</text>\n",
		x0 + r->n_layers * step / 2, y + 16);
}

/* ---- charts ------------------------------------------------------------- */

#define CH_LEFT 70.0
#define CH_TOP 30.0
#define CH_H 260.0

/*
 * Whether backend @b ran layer @l inside the previous one (a time of 0
 * where another backend measured it), as against an alias layer that no
 * backend times.
 */
static int layer_fused(const struct val_run *r, int b, int l)
{
	int k;

	if (r->be[b].ms[l] > 0)
		return 0;
	for (k = 0; k < r->n_be; k++)
		if (r->be[k].ms[l] > 0)
			return 1;
	return 0;
}

static void chart_latency(FILE *f, const struct val_run *r)
{
	double vmin = INFINITY, vmax = 0, step, bw, w;
	struct mnet_layer_info li;
	struct log_axis ax;
	int l, b;

	for (b = 0; b < r->n_be; b++)
		for (l = 0; l < r->n_layers; l++) {
			double v = r->be[b].ms[l];

			if (v > 0 && v < vmin)
				vmin = v;
			if (v > vmax)
				vmax = v;
		}
	step = 4.0 * r->n_be + 6;
	bw = 4;
	w = CH_LEFT + step * r->n_layers + 20;
	if (w < 600)
		w = 600;
	log_axis_fit(&ax, vmin, vmax, CH_TOP, CH_H);
	fprintf(f, "<svg id=\"chart-latency\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"per-layer latency per backend, log scale\">\n",
		w, CH_TOP + CH_H + 50, w, CH_TOP + CH_H + 50);
	log_grid(f, &ax, CH_LEFT, w - 10, " ms");
	for (l = 0; l < r->n_layers; l++) {
		mnet_model_layer_info(r->model, l, &li);
		for (b = 0; b < r->n_be; b++) {
			double v = r->be[b].ms[l], y = log_y(&ax, v);
			double x = CH_LEFT + l * step + 3 + b * bw;

			if (!(v > 0) && layer_fused(r, b, l)) {
				/* not a missing bar: run inside the previous */
				fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\" fill=\"%s\"><title>layer %d on ",
					x, (double)CH_TOP + CH_H - 2, colour[b],
					l);
				html_text(f, r->be[b].name);
				fputs(": fused into the previous layer, its time counted there</title>f</text>\n",
				      f);
				continue;
			}
			if (!(v > 0))
				continue;	/* not measured (alias layer) */
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>layer %d ",
				x, y, bw, CH_TOP + CH_H - y, colour[b], l);
			html_text(f, li.name);
			fprintf(f, " (%s) on ", li.op);
			html_text(f, r->be[b].name);
			fprintf(f, ": %.4g ms</title></rect>\n", v);
		}
	}
	layer_ticks(f, r, CH_LEFT, step, CH_TOP + CH_H + 14);
	legend(f, r, 0, CH_LEFT, 16);
	fputs("</svg>\n", f);
}

#define ERR_FLOOR 1e-9

static void chart_error(FILE *f, const struct val_run *r)
{
	double vmax = 0, step, w, x, y;
	struct mnet_layer_info li;
	struct log_axis ax;
	int l, b;

	for (b = 1; b < r->n_be; b++) {
		if (r->be[b].tol > vmax)
			vmax = r->be[b].tol;
		for (l = 0; l < r->n_layers; l++)
			if (r->be[b].err[l].rel_l2 > vmax &&
			    isfinite(r->be[b].err[l].rel_l2))
				vmax = r->be[b].err[l].rel_l2;
	}
	step = r->n_layers > 60 ? 12 : 18;
	w = CH_LEFT + step * r->n_layers + 20;
	if (w < 600)
		w = 600;
	log_axis_fit(&ax, ERR_FLOOR, vmax * 2, CH_TOP, CH_H);
	fprintf(f, "<svg id=\"chart-error\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"per-layer relative L2 error, log scale\">\n",
		w, CH_TOP + CH_H + 50, w, CH_TOP + CH_H + 50);
	log_grid(f, &ax, CH_LEFT, w - 10, "");
	for (b = 1; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		y = log_y(&ax, be->tol);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"6 4\"><title>tolerance of ",
			CH_LEFT, y, w - 10, y, colour[b]);
		html_text(f, be->name);
		fprintf(f, ": %.0e</title></line>\n", be->tol);
		/* earlier backends drawn wider, so identical curves stay visible */
		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%d\" points=\"",
			colour[b], 2 * (r->n_be - b) + 1);
		for (l = 0; l < r->n_layers; l++) {
			double v = be->err[l].rel_l2;

			fprintf(f, "%.1f,%.1f ", CH_LEFT + (l + 0.5) * step,
				log_y(&ax, v > ERR_FLOOR ? v : ERR_FLOOR));
		}
		fputs("\"/>\n", f);
		for (l = 0; l < r->n_layers; l++) {
			double v = be->err[l].rel_l2;

			mnet_model_layer_info(r->model, l, &li);
			x = CH_LEFT + (l + 0.5) * step;
			y = log_y(&ax, v > ERR_FLOOR ? v : ERR_FLOOR);
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"><title>layer %d ",
				x, y, (v <= be->tol ? 2 : 4) + r->n_be - b,
				colour[b], l);
			html_text(f, li.name);
			fprintf(f, " (%s) on ", li.op);
			html_text(f, be->name);
			fprintf(f, ": rel L2 %.3g, max abs %.3g, cos %.9f</title></circle>\n",
				v, be->err[l].max_abs, be->err[l].cos);
		}
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\">&#8804; 1e-9 (incl. exact 0) drawn on the floor; dashed: tolerance</text>\n",
		CH_LEFT + 4, CH_TOP + CH_H - 6);
	layer_ticks(f, r, CH_LEFT, step, CH_TOP + CH_H + 14);
	legend(f, r, 1, CH_LEFT, 16);
	fputs("</svg>\n", f);
}

static void chart_accuracy(FILE *f, const struct val_run *r)
{
	static const char *const what[] = {
		"top-1 agreement", "top-5 agreement", "top-1 accuracy",
		"top-5 accuracy",
	};
	static const char *const shade[] = {
		"#4c72b0", "#8fb0dc", "#55a868", "#a5d6a7",
	};
	int nm = r->have_truth ? 4 : 2, b, k;
	double gw = nm * 26 + 40, w = CH_LEFT + gw * r->n_be + 200;

	fprintf(f, "<svg id=\"chart-accuracy\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"agreement and accuracy per backend\">\n",
		w, CH_TOP + CH_H + 40, w, CH_TOP + CH_H + 40);
	for (k = 0; k <= 100; k += 20) {
		double y = CH_TOP + CH_H * (1 - k / 100.0);

		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>",
			CH_LEFT, y, CH_LEFT + gw * r->n_be, y);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\" text-anchor=\"end\">%d%%</text>\n",
			CH_LEFT - 4, y + 4, k);
	}
	for (b = 0; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];
		int num[4] = { be->top1_agree, be->top5_agree, be->top1_hit,
			       be->top5_hit };

		for (k = 0; k < nm; k++) {
			double v = 100.0 * num[k] / r->n_images;
			double x = CH_LEFT + b * gw + 20 + k * 26;
			double y = CH_TOP + CH_H * (1 - v / 100);

			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"%.1f\" fill=\"%s\"><title>",
				x, y, CH_TOP + CH_H - y, shade[k]);
			html_text(f, be->name);
			fprintf(f, " %s: %.1f%% (%d/%d)</title></rect>\n",
				what[k], v, num[k], r->n_images);
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\" text-anchor=\"middle\">%.0f</text>\n",
				x + 11, y - 3, v);
		}
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\" text-anchor=\"middle\">",
			CH_LEFT + b * gw + 20 + nm * 13, CH_TOP + CH_H + 16);
		html_text(f, be->name);
		fputs("</text>\n", f);
	}
	for (k = 0; k < nm; k++) {
		double x = CH_LEFT + gw * r->n_be + 16, y = CH_TOP + 20 + k * 20;

		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" class=\"ax\">%s</text>\n",
			x, y - 10, shade[k], x + 16, y, what[k]);
	}
	fputs("</svg>\n", f);
}

/* ---- the page ----------------------------------------------------------- */

static void html_summary(FILE *f, const struct val_run *r)
{
	int b;

	fputs("<div class=\"scroll\"><table><tr><th>backend</th><th>device</th><th>top-1 agree</th><th>top-5 agree</th><th>top-1 acc</th><th>top-5 acc</th><th>output rel L2</th><th>output cos</th><th>tolerance</th><th>ms/image (median)</th><th>sum of layers, ms</th><th>verdict</th></tr>\n",
	      f);
	for (b = 0; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		fputs("<tr><td>", f);
		html_text(f, be->name);
		fputs("</td><td>", f);
		html_text(f, be->device);
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
		if (b)
			fprintf(f, "</td><td>%.2e</td><td>%.8f</td><td>%.0e",
				be->out_err.rel_l2, be->out_err.cos, be->tol);
		else
			fputs("</td><td>-</td><td>-</td><td>-", f);
		fprintf(f, "</td><td>%.2f</td><td>%.2f</td><td class=\"%s\">%s</td></tr>\n",
			be->run_ms_median, layer_sum(be, r->n_layers),
			backend_pass(r, b) ? "ok" : "bad",
			!b ? "oracle" : backend_pass(r, b) ? "pass" : "FAIL");
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
		html_text(f, l);
	}
}

/* Images whose top-1 differs from the truth on any backend (first 100). */
static void html_misclassified(FILE *f, const struct val_run *r)
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
				html_text(f, r->be[b].name);
				fputs(" top-1</th>", f);
			}
			fputs("</tr>\n", f);
		}
		fputs("<tr><td style=\"text-align:left\">", f);
		html_text(f, r->images[i].path);
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

static void html_disagreements(FILE *f, const struct val_run *r)
{
	int i, b, k, shown = 0;

	for (i = 0; i < r->n_images && shown < 50; i++) {
		for (b = 1; b < r->n_be; b++) {
			if (r->be[b].top[i][0] == r->be[0].top[i][0])
				continue;
			if (!shown++)
				fputs("<h3>Top-1 disagreements with the reference (first 50)</h3>\n<div class=\"scroll\"><table><tr><th>image</th><th>backend</th><th>reference top-5</th><th>backend top-5</th></tr>\n",
				      f);
			fputs("<tr><td style=\"text-align:left\">", f);
			html_text(f, r->images[i].path);
			fputs("</td><td>", f);
			html_text(f, r->be[b].name);
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

static void html_layers(FILE *f, const struct val_run *r)
{
	struct mnet_layer_info li;
	int l, b;

	fputs("<details><summary>Per-layer numbers</summary><div class=\"scroll\"><table><tr><th>#</th><th>layer</th><th>op</th><th>output</th>",
	      f);
	for (b = 0; b < r->n_be; b++) {
		fputs("<th>", f);
		html_text(f, r->be[b].name);
		fputs(" ms</th>", f);
	}
	for (b = 1; b < r->n_be; b++) {
		fputs("<th>", f);
		html_text(f, r->be[b].name);
		fputs(" rel L2</th><th>max abs</th><th>cos</th>", f);
	}
	fputs("</tr>\n", f);
	for (l = 0; l < r->n_layers; l++) {
		mnet_model_layer_info(r->model, l, &li);
		fprintf(f, "<tr><td>%d</td><td>", l);
		html_text(f, li.name);
		fprintf(f, "</td><td>%s</td><td>%dx%dx%d</td>", li.op, li.out.h,
			li.out.w, li.out.c);
		for (b = 0; b < r->n_be; b++)
			if (r->be[b].ms[l] > 0 || !layer_fused(r, b, l))
				fprintf(f, "<td>%.4f</td>", r->be[b].ms[l]);
			else
				fputs("<td title=\"fused into the previous layer: its time is counted there\">fused</td>",
				      f);
		for (b = 1; b < r->n_be; b++) {
			const struct val_layer_err *e = &r->be[b].err[l];

			fprintf(f, "<td class=\"%s\">%.2e</td><td>%.2e</td><td>%.9f</td>",
				e->rel_l2 <= r->be[b].tol ? "ok" : "bad",
				e->rel_l2, e->max_abs, e->cos);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table></div></details>\n", f);
}

static void html_verdict(FILE *f, const struct val_run *r)
{
	struct mnet_layer_info li;
	int b;

	fprintf(f, "<p class=\"verdict %s\">%s</p>\n", r->pass ? "ok" : "bad",
		r->pass ? "PASS: every backend is within tolerance of the reference" :
			  "FAIL: a tolerance was exceeded");
	fputs("<ul>", f);
	for (b = 1; b < r->n_be; b++) {
		const struct val_backend *be = &r->be[b];

		if (be->first_fail >= 0) {
			mnet_model_layer_info(r->model, be->first_fail, &li);
			fputs("<li>", f);
			html_text(f, be->name);
			fprintf(f, ": layer %d (", be->first_fail);
			html_text(f, li.name);
			fprintf(f, ", %s) relative L2 error %.3e exceeds %.0e; %d layer(s) over tolerance</li>\n",
				li.op, be->err[be->first_fail].rel_l2, be->tol,
				be->n_fail_layers);
		}
		if (!(be->out_err.rel_l2 <= be->tol)) {
			fputs("<li>", f);
			html_text(f, be->name);
			fprintf(f, ": output relative L2 error %.3e exceeds %.0e</li>\n",
				be->out_err.rel_l2, be->tol);
		}
		if (!agree_ok(r, be)) {
			fputs("<li>", f);
			html_text(f, be->name);
			fprintf(f, ": top-1 agreement %.1f%% below %.1f%%</li>\n",
				100.0 * be->top1_agree / r->n_images,
				100 * be->agree_min);
		}
	}
	fputs("</ul>\n", f);
}

static void write_page(FILE *f, const struct val_run *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>mnet-validate: ",
	      f);
	html_text(f, r->model_name);
	fputs("</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:2em;max-width:1400px;color:#222}\n"
	      "table{border-collapse:collapse;margin:1em 0;font-size:90%}\n"
	      "td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}\n"
	      "td:nth-child(2){text-align:left}\n"
	      ".ok{color:#1a7f37}.bad{color:#c00;font-weight:bold}\n"
	      ".verdict{font-size:130%}\n"
	      "svg{display:block;margin:1em 0;max-width:100%;height:auto}\n"
	      "svg .grid{stroke:#ddd;stroke-width:1}\n"
	      "svg .ax{font-size:11px;fill:#444}\n"
	      ".scroll{overflow-x:auto;max-width:100%}\n"
	      "</style></head><body>\n<h1>Validation: ", f);
	html_text(f, r->model_name);
	fprintf(f, "</h1>\n<p>%s &middot; %d layers &middot; %d images", r->date,
		r->n_layers, r->n_images);
	if (r->have_truth) {
		fputs(" with ground truth from <code>", f);
		html_text(f, r->truth_file);
		fputs("</code>", f);
	}
	fprintf(f, " &middot; every layer compared on the first %d image(s); outputs and top-k on all.</p>\n",
		r->layer_images);
	html_verdict(f, r);
	fputs("<h2>Agreement and accuracy</h2>\n", f);
	html_summary(f, r);
	chart_accuracy(f, r);
	html_disagreements(f, r);
	html_misclassified(f, r);
	fputs("<h2>Per-layer latency</h2>\n<p>Median over all images, log scale. The reference and cpu backends report host wall time per layer, opencl its kernels' device time (event profiling). An <b>f</b> at the foot of a column: that backend fused the layer into the previous one, whose bar includes its time.</p>\n",
	      f);
	chart_latency(f, r);
	fputs("<h2>Per-layer error against the reference</h2>\n<p>Relative L2 error ||x &minus; ref|| / ||ref|| of each layer's output, worst over the compared images, log scale.</p>\n",
	      f);
	if (r->layer_images && r->n_be > 1)
		chart_error(f, r);
	else
		fputs("<p>No layers compared (--layer-images 0 or only the reference ran).</p>\n",
		      f);
	html_layers(f, r);
	fputs("<p>Generated by mnet-validate; the same numbers are in the .json file beside this page.</p>\n</body></html>\n",
	      f);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* index.html: a link to every report page in @dir. */
static int write_index(const char *dir)
{
	char path[4096], *names[1024];
	struct dirent *e;
	int n = 0, i;
	FILE *f;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((e = readdir(d)) && n < 1024) {
		size_t len = strlen(e->d_name);

		if (len < 6 || strcmp(e->d_name + len - 5, ".html") ||
		    !strcmp(e->d_name, "index.html"))
			continue;
		names[n] = strdup(e->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(*names), cmp_str);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mnet-validate reports</title></head><body>\n<h1>mnet-validate reports</h1>\n<ul>\n",
		      f);
		for (i = 0; i < n; i++) {
			fputs("<li><a href=\"", f);
			html_text(f, names[i]);
			fputs("\">", f);
			html_text(f, names[i]);
			fputs("</a></li>\n", f);
		}
		fputs("</ul></body></html>\n", f);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	if (!f || fclose(f))
		return -EIO;
	return 0;
}

static int write_file(const char *path, const struct val_run *r,
		      void (*fn)(FILE *, const struct val_run *),
		      const char *prog)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -errno;
	}
	fn(f, r);
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "%s: %s: write failed\n", prog, path);
		return -EIO;
	}
	return 0;
}

int val_write_report(const char *dir, const struct val_run *r,
		     const char *prog)
{
	char stem[256], path[4096], *dot;
	const char *base = strrchr(r->model_name, '/');
	int ret;

	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "%s: cannot create %s: %s\n", prog, dir,
			strerror(errno));
		return -errno;
	}
	snprintf(stem, sizeof(stem), "%s", base ? base + 1 : r->model_name);
	dot = strrchr(stem, '.');
	if (dot && !strcmp(dot, ".tflite"))
		*dot = '\0';
	snprintf(path, sizeof(path), "%s/%s.html", dir, stem);
	ret = write_file(path, r, write_page, prog);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/%s.json", dir, stem);
	ret = write_file(path, r, val_write_json, prog);
	if (ret)
		return ret;
	ret = write_index(dir);
	if (ret)
		fprintf(stderr, "%s: %s/index.html: %s\n", prog, dir,
			strerror(-ret));
	else
		fprintf(stderr, "%s: report written: %s/%s.html (and .json, index.html)\n",
			prog, dir, stem);
	return ret;
}
