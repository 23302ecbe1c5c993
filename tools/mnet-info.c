// SPDX-License-Identifier: Apache-2.0
/*
 * mnet-info - print a model's layers, parameter and multiply-add counts
 *
 * Also the input's type and quantization (what mnet_image_preprocess()
 * maps pixels to), and for a file the loader refuses, its operators as
 * the parse pass reads them, the one the loader stopped at marked.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mnet/mnet.h"
#include "model/model.h"
#include "tflite/tflite_ctx.h"
#include "tflite/tflite_parse.h"
#include "tflite/tflite_schema.h"
#include "lib/tool_util.h"

static const char *prog = "mnet-info";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s (-m MODEL | --synthetic[-v2] ALPHA RES) [--json]\n"
		"Print the layers of a MobileNet model (op, input and output shapes,\n"
		"kernel, stride, activation, parameters, multiply-adds) and the totals.\n"
		"\n"
		"  -m, --model FILE     .tflite file; a bare name is looked up in\n"
		"                       $MNET_MODEL_DIR (default ../shared/models)\n"
		"      --synthetic A R  synthetic MobileNet V1, width multiplier A,\n"
		"                       resolution R (>= 32, a multiple of 32)\n"
		"      --synthetic-v2 A R  the same for MobileNetV2\n"
		"  -j, --json           one JSON object instead of the table; for a\n"
		"                       model the loader refuses: model, file,\n"
		"                       loadable (false), error, unsupported_op and\n"
		"                       ops[] {index, op, custom, out, type, status:\n"
		"                       accepted, unsupported or not checked}\n"
		"  -v, --verbose        on stderr: every path the model was looked for\n"
		"                       at, the file's size, and what its output is\n"
		"  -q, --quiet          no notes on stderr (mnet-info prints none;\n"
		"                       accepted as in every tool)\n"
		"  -V, --version        print the version and exit\n"
		"  -h, --help           show this help\n"
		"\n"
		"Exit status: 0 on success, 1 when the model cannot be read, 2 for\n"
		"bad usage.\n",
		prog);
}

/* "uint8 (scale 0.0078125, zero point 128)", or "float32". */
static const char *input_type(const struct mnet_model *m, char *buf,
			      size_t len)
{
	const struct mnet_input_quant *q = &m->input_quant;

	if (!q->quantized)
		snprintf(buf, len, "float32 (pixels as x/127.5 - 1)");
	else
		snprintf(buf, len, "%s (scale %.9g, zero point %d)",
			 q->is_signed ? "int8" : "uint8", q->scale,
			 q->zero_point);
	return buf;
}

/* The op's output tensor, or NULL. */
static const struct tfl_tensor *op_output(const struct tfl_ctx *c, uint32_t i)
{
	int32_t out = c->ops[i].outputs.n ?
		      mnet_fb_vec_i32(&c->ops[i].outputs, 0) : -1;

	return out >= 0 && (uint32_t)out < c->n_t ? &c->t[out] : NULL;
}

static void refused_text(const struct tfl_ctx *c, const char *path, long bad)
{
	uint32_t i;

	if (bad >= 0)
		printf("operators of %s (%u; not loadable: the one marked '<-' is where the loader stopped):\n",
		       path, c->n_ops);
	else
		printf("operators of %s (%u; not loadable as a graph, before any operator was checked):\n",
		       path, c->n_ops);
	for (i = 0; i < c->n_ops; i++) {
		const char *name = mnet_tflite_op_name(c->ops[i].code);
		const struct tfl_tensor *t = op_output(c, i);
		char shape[48] = "-", cname[40];

		if (t) {
			int d, n = 0;

			for (d = 0; d < t->rank && d < 4; d++)
				n += snprintf(shape + n, sizeof(shape) - n,
					      "%s%d", d ? "x" : "",
					      (int)t->dims[d]);
			snprintf(shape + n, sizeof(shape) - n, " %s",
				 mnet_tfl_type_name(t->type));
		}
		if (c->ops[i].custom_len) {
			snprintf(cname, sizeof(cname), "CUSTOM %.*s",
				 (int)c->ops[i].custom_len, c->ops[i].custom);
			name = cname;
		}
		printf("%-4u %-24s %s%s\n", i, name ? name : "(unknown)",
		       shape, (long)i == bad ? "  <- unsupported" : "");
	}
}

/*
 * --json for a file the loader refuses: still one object, with the
 * loader's message in "error" and the operators as the text lists them
 * ("ops": null when the file could not even be parsed).
 */
static void refused_json(const struct tfl_ctx *c, const char *path, long bad,
			 const char *msg)
{
	const char *slash = strrchr(path, '/');
	uint32_t i;
	int d;

	printf("{\"model\": ");
	mnet_tool_json_string(stdout, slash ? slash + 1 : path);
	printf(", \"file\": ");
	mnet_tool_json_string(stdout, path);
	printf(", \"loadable\": false, \"error\": ");
	mnet_tool_json_string(stdout, msg);
	if (!c) {
		printf(", \"ops\": null}\n");
		return;
	}
	printf(", \"ops\": [");
	for (i = 0; i < c->n_ops; i++) {
		const char *name = mnet_tflite_op_name(c->ops[i].code);
		const struct tfl_tensor *t = op_output(c, i);

		printf("%s{\"index\": %u, \"op\": ", i ? ", " : "", i);
		mnet_tool_json_string(stdout, name ? name : "(unknown)");
		if (c->ops[i].custom_len) {
			char cname[128];

			snprintf(cname, sizeof(cname), "%.*s",
				 (int)c->ops[i].custom_len, c->ops[i].custom);
			printf(", \"custom\": ");
			mnet_tool_json_string(stdout, cname);
		}
		if (t) {
			printf(", \"out\": [");
			for (d = 0; d < t->rank && d < 4; d++)
				printf("%s%d", d ? ", " : "", (int)t->dims[d]);
			printf("], \"type\": \"%s\"",
			       mnet_tfl_type_name(t->type));
		} else {
			printf(", \"out\": null, \"type\": null");
		}
		printf(", \"status\": \"%s\"}", (long)i == bad ? "unsupported" :
		       (long)i < bad ? "accepted" : "not checked");
	}
	printf("], \"unsupported_op\": ");
	if (bad >= 0 && bad < (long)c->n_ops)
		printf("%ld}\n", bad);
	else
		printf("null}\n");
}

/*
 * A file the loader refuses: list its operators anyway, from the parse
 * pass alone, and mark the one the loader stopped at (its message names
 * "op N"); as text, or as JSON, where each op's "status" is what the
 * loader saw: "accepted" before the marked one, "unsupported" for it,
 * "not checked" after it (and for every op of a graph refused as a whole,
 * such as one of several outputs).  Return 0 when the file could be
 * parsed and listed.
 */
static int list_refused(const char *arg, const char *msg, int json)
{
	struct mnet_err err = { 0 };
	struct tfl_ctx c = { 0 };
	const char *p = strstr(msg, ": op ");
	long bad = p ? strtol(p + 5, NULL, 10) : -1;
	char path[4096];
	unsigned char *buf = NULL;
	long len = 0;
	FILE *f;
	int ret = -EINVAL;

	f = fopen(mnet_tool_model_path(arg, path, sizeof(path)), "rb");
	if (f) {
		if (!fseek(f, 0, SEEK_END) && (len = ftell(f)) > 0 &&
		    !fseek(f, 0, SEEK_SET) && (buf = malloc((size_t)len)) &&
		    fread(buf, 1, (size_t)len, f) == (size_t)len) {
			c.file = path;
			c.err = &err;
			c.list_only = 1;
			ret = mnet_tfl_parse_model(&c, buf, (size_t)len);
		}
		fclose(f);
	} else {
		ret = -ENOENT;
	}
	if (json)
		refused_json(ret ? NULL : &c, path, bad, msg);
	else if (!ret)
		refused_text(&c, path, bad);
	free(c.t);
	free(c.ops);
	free(c.map);
	free(c.src);
	free(c.pad);
	free(c.cust_of);
	free(buf);
	return ret;
}

static void print_json(const struct mnet_model *m)
{
	struct mnet_shape in = mnet_model_input_shape(m);
	uint64_t params, macs;
	int i, n = mnet_model_layer_count(m);

	mnet_model_totals(m, &params, &macs);
	printf("{\"model\": ");
	mnet_tool_json_string(stdout, mnet_model_name(m));
	printf(", \"input_type\": \"%s\"", !m->input_quant.quantized ?
	       "float32" : m->input_quant.is_signed ? "int8" : "uint8");
	if (m->input_quant.quantized)
		printf(", \"input_scale\": %.9g, \"input_zero_point\": %d",
		       m->input_quant.scale, m->input_quant.zero_point);
	printf(", \"input\": [%d, %d, %d], \"output_size\": %zu, "
	       "\"params\": %" PRIu64 ", \"macs\": %" PRIu64 ", \"layers\": [",
	       in.h, in.w, in.c, mnet_model_output_size(m), params, macs);
	for (i = 0; i < n; i++) {
		struct mnet_layer_info li;

		mnet_model_layer_info(m, i, &li);
		printf("%s{\"name\": ", i ? ", " : "");
		mnet_tool_json_string(stdout, li.name);
		printf(", \"op\": \"%s\", \"in\": [%d, %d, %d], "
		       "\"out\": [%d, %d, %d], \"kernel\": [%d, %d], "
		       "\"stride\": %d, \"act\": \"%s\", \"params\": %" PRIu64
		       ", \"macs\": %" PRIu64 "}",
		       li.op, li.in.h, li.in.w, li.in.c, li.out.h, li.out.w,
		       li.out.c, li.kh, li.kw, li.stride, li.act, li.params,
		       li.macs);
	}
	printf("]}\n");
}

static void print_table(const struct mnet_model *m)
{
	struct mnet_shape in = mnet_model_input_shape(m);
	struct mnet_output_info o;
	char q[96];
	uint64_t params, macs;
	int i, n = mnet_model_layer_count(m), ow = 9;

	printf("model %s: input %dx%dx%d %s, output %zu values",
	       mnet_model_name(m), in.h, in.w, in.c,
	       input_type(m, q, sizeof(q)), mnet_model_output_size(m));
	/* a classifier's line stays as it was; a class map says so */
	if (!mnet_model_output_info(m, 0, &o) &&
	    o.kind == MNET_OUTPUT_CLASS_MAP)
		printf(" (%s: a %dx%d class map, one class index per pixel)",
		       o.name, o.shape.h, o.shape.w);
	printf("\n");
	/* several outputs, or one a custom operator computes: list them */
	if (mnet_model_output_count(m) > 1 || o.kind == MNET_OUTPUT_CUSTOM)
		for (i = 0; i < mnet_model_output_count(m); i++)
			if (!mnet_model_output_info(m, i, &o))
				printf("output %d: %s %dx%dx%d%s\n", i, o.name,
				       o.shape.h, o.shape.w, o.shape.c,
				       o.kind == MNET_OUTPUT_CUSTOM ?
				       " (computed on the host by a custom operator)" :
				       "");
	/* the op column fits the longest name ("dwconv2d_dilated") */
	for (i = 0; i < n; i++) {
		struct mnet_layer_info li;

		mnet_model_layer_info(m, i, &li);
		if ((int)strlen(li.op) > ow)
			ow = (int)strlen(li.op);
	}
	printf("%-3s %-34s %-*s %-14s %-14s %-5s %-2s %-6s %10s %12s\n", "#",
	       "layer", ow, "op", "input", "output", "k", "s", "act", "params",
	       "MACs");
	for (i = 0; i < n; i++) {
		struct mnet_layer_info li;
		char si[32], so[32], k[16], nm[40];

		mnet_model_layer_info(m, i, &li);
		snprintf(si, sizeof(si), "%dx%dx%d", li.in.h, li.in.w, li.in.c);
		snprintf(so, sizeof(so), "%dx%dx%d", li.out.h, li.out.w,
			 li.out.c);
		if (li.kh)
			snprintf(k, sizeof(k), "%dx%d", li.kh, li.kw);
		else
			strcpy(k, "-");
		printf("%-3d %-34s %-*s %-14s %-14s %-5s %-2d %-6s %10" PRIu64
		       " %12" PRIu64 "\n",
		       i, mnet_tool_short_name(li.name, 34, nm), ow, li.op, si, so,
		       k, li.stride, li.act, li.params, li.macs);
	}
	mnet_model_totals(m, &params, &macs);
	printf("total: %d layers, %" PRIu64 " parameters (%.3fM), %" PRIu64
	       " multiply-adds (%.1fM)\n",
	       n, params, params / 1e6, macs, macs / 1e6);
}

/* -v: what was read, on stderr (stdout's format never changes) */
static void print_verbose(const struct mnet_model *m, const char *arg)
{
	char path[4096];
	struct stat st;

	if (arg && !stat(mnet_tool_model_path(arg, path, sizeof(path)), &st))
		fprintf(stderr, "%s: %s: %lld bytes\n", prog, path,
			(long long)st.st_size);
	fprintf(stderr, "%s: %d layers; output: %zu %s\n", prog,
		mnet_model_layer_count(m), mnet_model_output_size(m),
		mnet_model_output_kind(m) == MNET_OUTPUT_EMBEDDING ?
		"values of an embedding (a feature extractor)" :
		mnet_model_output_kind(m) == MNET_OUTPUT_CLASS_MAP ?
		"class indices, one per pixel (a segmentation)" :
		"class scores");
}

int main(int argc, char **argv)
{
	enum { OPT_SYNTH = 256, OPT_SYNTH_V2 };
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "synthetic", required_argument, NULL, OPT_SYNTH },
		{ "synthetic-v2", required_argument, NULL, OPT_SYNTH_V2 },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const char *model = NULL;
	struct mnet_err err = { 0 };
	struct mnet_model *m = NULL;
	int c, ret, json = 0, synthetic = 0, res = 0, verbose = 0;
	float alpha = 0;

	argv[0] = (char *)prog;		/* getopt's messages: no path */
	while ((c = getopt_long(argc, argv, "m:jhVvq", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			model = optarg;
			break;
		case OPT_SYNTH:
		case OPT_SYNTH_V2:
			synthetic = c == OPT_SYNTH ? 1 : 2;
			if (mnet_tool_parse_synthetic(argc, argv, prog, &alpha,
						      &res))
				return MNET_TOOL_EXIT_USAGE;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			usage(stdout);
			return MNET_TOOL_EXIT_OK;
		case 'V':
			mnet_tool_print_version(prog);
			return MNET_TOOL_EXIT_OK;
		case 'v':
		case 'q':
			verbose = c == 'v';	/* the later of -v and -q wins */
			break;
		default:
			usage(stderr);
			return MNET_TOOL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s' (try --help)\n",
			prog, argv[optind]);
		return MNET_TOOL_EXIT_USAGE;
	}
	if (model && synthetic) {
		fprintf(stderr, "%s: give -m MODEL or --synthetic ALPHA RES, not both\n",
			prog);
		return MNET_TOOL_EXIT_USAGE;
	}
	if (!model && !synthetic) {
		fprintf(stderr, "%s: give -m MODEL or --synthetic ALPHA RES (try --help)\n",
			prog);
		return MNET_TOOL_EXIT_USAGE;
	}
	if (!synthetic) {
		char path[4096];

		if (verbose)
			fprintf(stderr, "%s: looking for model '%s':\n", prog,
				model);
		mnet_tool_model_lookup(model, path, sizeof(path),
				       verbose ? stderr : NULL);
		ret = mnet_model_load_file(path, &m, &err);
		if (ret) {
			fprintf(stderr, "%s: %s\n", prog,
				err.msg[0] ? err.msg : mnet_strerror(ret));
			list_refused(model, err.msg[0] ? err.msg :
				     mnet_strerror(ret), json);
			return MNET_TOOL_EXIT_FAIL;
		}
	} else {
		m = mnet_tool_load_model(NULL, synthetic, alpha, res, prog);
		if (!m)
			return MNET_TOOL_EXIT_FAIL;
	}
	if (verbose)
		print_verbose(m, synthetic ? NULL : model);
	if (json)
		print_json(m);
	else
		print_table(m);
	mnet_model_free(m);
	return 0;
}
