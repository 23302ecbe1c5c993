// SPDX-License-Identifier: Apache-2.0
/*
 * validate_svg.c - the charts of mnet-validate's report page
 *
 * DOC: validation charts
 *
 * Inline SVG, drawn by hand: a log10 axis helper, a legend, layer ticks
 * and three charts (latency, error, accuracy; see validate_report.c for
 * why each looks as it does).  Every bar and point carries an SVG
 * <title>, so hovering shows the value.  Colours and escaping are the
 * tables' (validate_html.c), so a backend looks the same everywhere.
 */
#include <math.h>
#include <stdio.h>

#include "mnet/mnet.h"
#include "lib/validate.h"
#include "lib/validate_html.h"
#include "lib/validate_svg.h"

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
			x, y - 10, val_colour[b]);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\">", x + 16,
			y);
		val_html_text(f, r->be[b].name);
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

void val_svg_latency(FILE *f, const struct val_run *r)
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

			if (!(v > 0) && val_layer_fused(r, b, l)) {
				/* not a missing bar: run inside the previous */
				fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\" fill=\"%s\"><title>layer %d on ",
					x, (double)CH_TOP + CH_H - 2, val_colour[b],
					l);
				val_html_text(f, r->be[b].name);
				fputs(": fused into the previous layer, its time counted there</title>f</text>\n",
				      f);
				continue;
			}
			if (!(v > 0))
				continue;	/* not measured (alias layer) */
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>layer %d ",
				x, y, bw, CH_TOP + CH_H - y, val_colour[b], l);
			val_html_text(f, li.name);
			fprintf(f, " (%s) on ", li.op);
			val_html_text(f, r->be[b].name);
			fprintf(f, ": %.4g ms</title></rect>\n", v);
		}
	}
	layer_ticks(f, r, CH_LEFT, step, CH_TOP + CH_H + 14);
	legend(f, r, 0, CH_LEFT, 16);
	fputs("</svg>\n", f);
}

#define ERR_FLOOR 1e-9

void val_svg_error(FILE *f, const struct val_run *r)
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

		/* int8's limit is 0 quantized units: no line on this axis */
		if (!be->int8) {
			y = log_y(&ax, be->tol);
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"6 4\"><title>tolerance of ",
				CH_LEFT, y, w - 10, y, val_colour[b]);
			val_html_text(f, be->name);
			fprintf(f, ": %.0e</title></line>\n", be->tol);
		}
		/* earlier backends drawn wider, so identical curves stay visible */
		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%d\" points=\"",
			val_colour[b], 2 * (r->n_be - b) + 1);
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
				x, y,
				(val_err_over(be, &be->err[l]) ? 4 : 2) +
				r->n_be - b,
				val_colour[b], l);
			val_html_text(f, li.name);
			fprintf(f, " (%s) on ", li.op);
			val_html_text(f, be->name);
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

void val_svg_accuracy(FILE *f, const struct val_run *r)
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
			val_html_text(f, be->name);
			fprintf(f, " %s: %.1f%% (%d/%d)</title></rect>\n",
				what[k], v, num[k], r->n_images);
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\" text-anchor=\"middle\">%.0f</text>\n",
				x + 11, y - 3, v);
		}
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ax\" text-anchor=\"middle\">",
			CH_LEFT + b * gw + 20 + nm * 13, CH_TOP + CH_H + 16);
		val_html_text(f, be->name);
		fputs("</text>\n", f);
	}
	for (k = 0; k < nm; k++) {
		double x = CH_LEFT + gw * r->n_be + 16, y = CH_TOP + 20 + k * 20;

		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" class=\"ax\">%s</text>\n",
			x, y - 10, shade[k], x + 16, y, what[k]);
	}
	fputs("</svg>\n", f);
}
