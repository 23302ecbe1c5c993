// SPDX-License-Identifier: Apache-2.0
/*
 * mnet-info - print a model's layers, parameter and multiply-add counts
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnet/mnet.h"
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
		"  -j, --json           one JSON object instead of the table\n"
		"  -V, --version        print the version and exit\n"
		"  -h, --help           show this help\n"
		"\n"
		"Exit status: 0 on success, 1 when the model cannot be read, 2 for\n"
		"bad usage.\n",
		prog);
}

static void print_json(const struct mnet_model *m)
{
	struct mnet_shape in = mnet_model_input_shape(m);
	uint64_t params, macs;
	int i, n = mnet_model_layer_count(m);

	mnet_model_totals(m, &params, &macs);
	printf("{\"model\": ");
	mnet_tool_json_string(stdout, mnet_model_name(m));
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
	uint64_t params, macs;
	int i, n = mnet_model_layer_count(m);

	printf("model %s: input %dx%dx%d, output %zu values\n",
	       mnet_model_name(m), in.h, in.w, in.c, mnet_model_output_size(m));
	printf("%-3s %-34s %-9s %-14s %-14s %-5s %-2s %-6s %10s %12s\n", "#",
	       "layer", "op", "input", "output", "k", "s", "act", "params",
	       "MACs");
	for (i = 0; i < n; i++) {
		struct mnet_layer_info li;
		char si[32], so[32], k[16];

		mnet_model_layer_info(m, i, &li);
		snprintf(si, sizeof(si), "%dx%dx%d", li.in.h, li.in.w, li.in.c);
		snprintf(so, sizeof(so), "%dx%dx%d", li.out.h, li.out.w,
			 li.out.c);
		if (li.kh)
			snprintf(k, sizeof(k), "%dx%d", li.kh, li.kw);
		else
			strcpy(k, "-");
		printf("%-3d %-34.34s %-9s %-14s %-14s %-5s %-2d %-6s %10" PRIu64
		       " %12" PRIu64 "\n",
		       i, li.name, li.op, si, so, k, li.stride, li.act,
		       li.params, li.macs);
	}
	mnet_model_totals(m, &params, &macs);
	printf("total: %d layers, %" PRIu64 " parameters (%.3fM), %" PRIu64
	       " multiply-adds (%.1fM)\n",
	       n, params, params / 1e6, macs, macs / 1e6);
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
		{ NULL, 0, NULL, 0 },
	};
	const char *model = NULL;
	struct mnet_model *m;
	int c, json = 0, synthetic = 0, res = 0;
	float alpha = 0;

	argv[0] = (char *)prog;		/* getopt's messages: no path */
	while ((c = getopt_long(argc, argv, "m:jhV", longopts, NULL)) != -1) {
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
	if (!model && !synthetic) {
		fprintf(stderr, "%s: give -m MODEL or --synthetic ALPHA RES (try --help)\n",
			prog);
		return MNET_TOOL_EXIT_USAGE;
	}
	m = mnet_tool_load_model(model, synthetic, alpha, res, prog);
	if (!m)
		return MNET_TOOL_EXIT_FAIL;
	if (json)
		print_json(m);
	else
		print_table(m);
	mnet_model_free(m);
	return 0;
}
