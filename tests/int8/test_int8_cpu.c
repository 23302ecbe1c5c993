// SPDX-License-Identifier: Apache-2.0
/*
 * test_int8_cpu.c - the CPU backend's int8 kernels against the integer
 * reference, bit for bit
 *
 * The q8 1x1 and depthwise convolutions of every kernel set this CPU can run (portable
 * C, AVX2, and AVX-512's, which is AVX2's for now) on awkward shapes
 * (odd channel counts, partial tiles and panels, uint8 with weight zero
 * points and int8 with signed inputs, random multipliers and clamps)
 * against mnet_qk_conv2d(); then whole shared models at precision int8 on
 * the cpu backend against the ref backend, byte for byte (the ref backend
 * is itself compared with TFLite in test_int8_tflite.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch/cpu_kernels.h"
#include "lib/test_util.h"
#include "model/model.h"
#include "ref_q/q_kernels.h"
#include "scalar/cpu_scalar.h"

static const char *const sets[] = {
	"scalar", "avx2", "avx512", "avx512vnni", "neon",
};

static uint32_t rng_state = 12345;

static uint32_t rnd(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return rng_state >> 8;
}

static int rnd_in(int lo, int hi)
{
	return lo + (int)(rnd() % (uint32_t)(hi - lo + 1));
}

/*
 * The uint8 x int8 packing (w8, w8_corr, b_off) evaluated in plain C as
 * vpdpbusd would, so that its arithmetic is checked on CPUs without VNNI.
 */
static void emulate_u8s8(const struct mnet_cpu_q8_pw *p, uint8_t *out)
{
	int np = (p->n + MNET_CPU_Q8_NR - 1) / MNET_CPU_Q8_NR;
	int32_t acc[MNET_CPU_Q8_NR];
	int m, pn, j, k;

	for (m = 0; m < p->m; m++) {
		const uint8_t *a = p->a + (size_t)m * p->k;
		int32_t sum = 0;

		for (k = 0; k < p->k; k++)
			sum += (uint8_t)(a[k] ^ (p->a_signed ? 0x80 : 0));
		for (pn = 0; pn < np; pn++) {
			const int8_t *w = p->w8 + (size_t)pn * p->kpad4 *
						  MNET_CPU_Q8_NR;

			for (j = 0; j < MNET_CPU_Q8_NR; j++) {
				acc[j] = p->b_off * sum +
					 p->w8_corr[pn * MNET_CPU_Q8_NR + j];
				for (k = 0; k < p->kpad4; k++) {
					int32_t xu = k < p->k ?
						(uint8_t)(a[k] ^ (p->a_signed ? 0x80 : 0)) : 0;

					acc[j] += xu * w[(k / 4) * 4 * MNET_CPU_Q8_NR +
							 j * 4 + k % 4];
				}
			}
			{
				struct mnet_cpu_q8_pw q = *p;

				q.c = out;
				mnet_cpu_q8_store(&q, m, 1, pn, acc);
			}
		}
	}
}

/* One case: pack as backend_cpu_q.c does, run @k, compare with the ref. */
static int run_case(const struct mnet_cpu_kernels *k, int m, int kk, int n,
		    int is_signed)
{
	int np = (n + MNET_CPU_Q8_NR - 1) / MNET_CPU_Q8_NR, kpad = (kk + 1) & ~1;
	int kpad4 = (kk + 3) & ~3;
	int8_t *w8 = calloc((size_t)np * kpad4 * MNET_CPU_Q8_NR, 1);
	int32_t *corr = calloc((size_t)np * MNET_CPU_Q8_NR, sizeof(*corr));
	uint8_t *scr8 = malloc(MNET_CPU_Q8_MR * (size_t)kpad4);
	int32_t A, B;
	uint8_t *a = malloc((size_t)m * kk), *w = malloc((size_t)n * kk);
	uint8_t *ref = malloc((size_t)m * n), *out = malloc((size_t)m * n);
	int16_t *pw = calloc((size_t)np * kpad * MNET_CPU_Q8_NR, sizeof(*pw));
	int16_t *scr = malloc(MNET_CPU_Q8_MR * (size_t)kpad * sizeof(*scr));
	int32_t *bias = calloc((size_t)np * MNET_CPU_Q8_NR, sizeof(*bias));
	int32_t *mult = calloc((size_t)np * MNET_CPU_Q8_NR, sizeof(*mult));
	int *shift = calloc((size_t)np * MNET_CPU_Q8_NR, sizeof(*shift));
	struct mnet_qk_conv c = { 0 };
	struct mnet_cpu_q8_pw p;
	int i, o, bad;

	CU_ASSERT_FATAL(a && w && ref && out && pw && scr && bias && mult && shift);
	CU_ASSERT_FATAL(w8 && corr && scr8);
	for (i = 0; i < m * kk; i++)
		a[i] = (uint8_t)rnd();
	for (i = 0; i < n * kk; i++)
		w[i] = (uint8_t)rnd();
	c = (struct mnet_qk_conv){
		.ih = 1, .iw = m, .ic = kk, .oh = 1, .ow = m, .oc = n,
		.kh = 1, .kw = 1, .sh = 1, .sw = 1,
		.in_zp = is_signed ? rnd_in(-128, 127) : rnd_in(0, 255),
		.w_zp = is_signed ? 0 : rnd_in(0, 255),
		.out_zp = is_signed ? rnd_in(-128, 127) : rnd_in(0, 255),
		.in_signed = is_signed, .w_signed = is_signed,
		.out_signed = is_signed, .mult = mult, .shift = shift,
	};
	c.act_min = is_signed ? rnd_in(-128, 0) : rnd_in(0, 100);
	c.act_max = is_signed ? rnd_in(1, 127) : rnd_in(101, 255);
	for (o = 0; o < n; o++) {
		double real = (double)rnd_in(1, 1 << 20) / (double)(1 << 20) /
			      (double)(1 << rnd_in(4, 14));

		mnet_qk_quantize_multiplier(real, &mult[o], &shift[o]);
		bias[o] = rnd_in(-60000, 60000);
		for (i = 0; i < kk; i++)
			pw[(size_t)(o / MNET_CPU_Q8_NR) * kpad * MNET_CPU_Q8_NR +
			   (size_t)(i / 2) * 2 * MNET_CPU_Q8_NR +
			   (o % MNET_CPU_Q8_NR) * 2 + i % 2] =
				(int16_t)((is_signed ? (int)(int8_t)w[o * kk + i] :
					   (int)w[o * kk + i]) - c.w_zp);
	}
	/* the uint8 x int8 form (vpdpbusd), as backend_cpu_q.c packs it */
	A = (is_signed ? 128 : 0) + c.in_zp;
	B = is_signed ? -c.w_zp : 128 - c.w_zp;
	for (o = 0; o < n; o++) {
		int32_t sum = 0;

		for (i = 0; i < kk; i++) {
			int v = is_signed ? (int)(int8_t)w[o * kk + i] :
					    (int)w[o * kk + i] - 128;

			w8[(size_t)(o / MNET_CPU_Q8_NR) * kpad4 * MNET_CPU_Q8_NR +
			   (size_t)(i / 4) * 4 * MNET_CPU_Q8_NR +
			   (o % MNET_CPU_Q8_NR) * 4 + i % 4] = (int8_t)v;
			sum += v;
		}
		corr[o] = -A * sum - kk * A * B;
	}
	mnet_qk_conv2d(&c, a, w, bias, ref);
	p = (struct mnet_cpu_q8_pw){
		.a = a, .a_signed = is_signed, .a_zp = c.in_zp, .w = pw,
		.bias = bias, .mult = mult, .shift = shift, .c = out,
		.c_zp = c.out_zp, .lo = c.act_min, .hi = c.act_max,
		.m = m, .n = n, .k = kk, .kpad = kpad, .scratch = scr,
		.w8 = w8, .w8_corr = corr, .b_off = B, .kpad4 = kpad4,
		.scratch8 = scr8,
	};
	memset(out, 0xa5, (size_t)m * n);
	/* two ranges, as threads would split the pixels */
	k->q8_pwconv(&p, 0, m / 2);
	k->q8_pwconv(&p, m / 2, m);
	bad = memcmp(out, ref, (size_t)m * n) != 0;
	memset(out, 0x5a, (size_t)m * n);
	emulate_u8s8(&p, out);
	if (memcmp(out, ref, (size_t)m * n)) {
		printf("\n  u8s8 packing: m %d k %d n %d %s differs", m, kk, n,
		       is_signed ? "int8" : "uint8");
		bad = 1;
	}
	if (bad)
		printf("\n  %s: m %d k %d n %d %s differs", k->name, m, kk, n,
		       is_signed ? "int8" : "uint8");
	free(a);
	free(w);
	free(ref);
	free(out);
	free(pw);
	free(scr);
	free(bias);
	free(mult);
	free(shift);
	free(w8);
	free(corr);
	free(scr8);
	return bad;
}

static void test_q8_pwconv_shapes(void)
{
	static const int ms[] = { 1, 3, 4, 5, 17, 49 };
	static const int ks[] = { 1, 2, 3, 7, 16, 33, 67, 320 };
	static const int ns[] = { 1, 5, 8, 9, 31, 40 };
	unsigned int s, a, b, c;
	int sg, ran = 0;

	for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		const struct mnet_cpu_kernels *k = mnet_cpu_kernels_get(sets[s]);

		if (!k || !k->q8_pwconv)
			continue;
		for (a = 0; a < sizeof(ms) / sizeof(ms[0]); a++)
			for (b = 0; b < sizeof(ks) / sizeof(ks[0]); b++)
				for (c = 0; c < sizeof(ns) / sizeof(ns[0]); c++)
					for (sg = 0; sg < 2; sg++)
						CU_ASSERT_EQUAL(run_case(k, ms[a], ks[b],
									 ns[c], sg), 0);
		ran++;
	}
	CU_ASSERT(ran >= 1);
}

/* One depthwise case: centre as backend_cpu_q.c does, compare. */
static int run_dw_case(const struct mnet_cpu_kernels *k, int ih, int iw,
		       int c, int kh, int st, int pad, int is_signed)
{
	int oh = (ih + 2 * pad - kh) / st + 1, ow = (iw + 2 * pad - kh) / st + 1;
	int cp = (c + 7) & ~7, i, t, bad;
	size_t ni = (size_t)ih * iw * c, no = (size_t)oh * ow * c;
	uint8_t *in = malloc(ni), *w = malloc((size_t)kh * kh * c);
	uint8_t *ref = malloc(no), *out = malloc(no);
	int16_t *dw = calloc((size_t)kh * kh * cp, sizeof(*dw));
	int32_t *bias = calloc((size_t)cp, sizeof(*bias));
	int32_t *mult = calloc((size_t)cp, sizeof(*mult));
	int *shift = calloc((size_t)cp, sizeof(*shift));
	int32_t *acc = malloc((size_t)cp * sizeof(*acc));
	struct mnet_qk_conv q;
	struct mnet_cpu_q8_dw d;

	CU_ASSERT_FATAL(in && w && ref && out && dw && bias && mult && shift && acc);
	for (i = 0; i < (int)ni; i++)
		in[i] = (uint8_t)rnd();
	for (i = 0; i < kh * kh * c; i++)
		w[i] = (uint8_t)rnd();
	q = (struct mnet_qk_conv){
		.ih = ih, .iw = iw, .ic = c, .oh = oh, .ow = ow, .oc = c,
		.kh = kh, .kw = kh, .sh = st, .sw = st, .pt = pad, .pl = pad,
		.in_zp = is_signed ? rnd_in(-128, 127) : rnd_in(0, 255),
		.w_zp = is_signed ? 0 : rnd_in(0, 255),
		.out_zp = is_signed ? rnd_in(-128, 127) : rnd_in(0, 255),
		.in_signed = is_signed, .w_signed = is_signed,
		.out_signed = is_signed, .mult = mult, .shift = shift,
		.act_min = is_signed ? -128 : 0, .act_max = is_signed ? 127 : 255,
	};
	for (i = 0; i < c; i++) {
		mnet_qk_quantize_multiplier((double)rnd_in(1, 1 << 20) /
					    (double)(1 << 20) / 64.0,
					    &mult[i], &shift[i]);
		bias[i] = rnd_in(-30000, 30000);
		for (t = 0; t < kh * kh; t++)
			dw[t * cp + i] = (int16_t)((is_signed ?
				(int)(int8_t)w[t * c + i] : (int)w[t * c + i]) - q.w_zp);
	}
	mnet_qk_dwconv2d(&q, in, w, bias, ref);
	d = (struct mnet_cpu_q8_dw){
		.in = in, .in_signed = is_signed, .in_zp = q.in_zp, .w = dw,
		.bias = bias, .mult = mult, .shift = shift, .out = out,
		.out_zp = q.out_zp, .lo = q.act_min, .hi = q.act_max,
		.ih = ih, .iw = iw, .oh = oh, .ow = ow, .c = c, .cpad = cp,
		.kh = kh, .kw = kh, .sh = st, .sw = st, .pt = pad, .pl = pad,
		.acc = acc,
	};
	memset(out, 0xa5, no);
	k->q8_dwconv(&d, 0, oh / 2);
	k->q8_dwconv(&d, oh / 2, oh);
	bad = memcmp(out, ref, no) != 0;
	if (bad)
		printf("\n  %s: dw %dx%dx%d k%d s%d p%d %s differs", k->name, ih,
		       iw, c, kh, st, pad, is_signed ? "int8" : "uint8");
	free(in);
	free(w);
	free(ref);
	free(out);
	free(dw);
	free(bias);
	free(mult);
	free(shift);
	free(acc);
	return bad;
}

static void test_q8_dwconv_shapes(void)
{
	static const int cs[] = { 1, 3, 8, 13, 32, 67 };
	static const int hs[] = { 1, 2, 5, 8 };
	unsigned int s, a, b;
	int sg, st, ran = 0;

	for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		const struct mnet_cpu_kernels *k = mnet_cpu_kernels_get(sets[s]);

		if (!k || !k->q8_dwconv)
			continue;
		for (a = 0; a < sizeof(cs) / sizeof(cs[0]); a++)
			for (b = 0; b < sizeof(hs) / sizeof(hs[0]); b++)
				for (st = 1; st <= 2; st++)
					for (sg = 0; sg < 2; sg++) {
						CU_ASSERT_EQUAL(run_dw_case(k, hs[b], hs[b] + 1,
									    cs[a], 3, st, 1,
									    sg), 0);
						CU_ASSERT_EQUAL(run_dw_case(k, hs[b] + 2, hs[b] + 3,
									    cs[a], 3, st, 0,
									    sg), 0);
					}
		ran++;
	}
	CU_ASSERT(ran >= 1);
}

/* cpu int8 == ref int8 on whole models, for each kernel set here */
static void test_models_cpu_vs_ref(void)
{
	static const char *const models[] = {
		"mobilenet_v1_0.25_128_quant",
		"tf2_mobilenet_v2_1.0_224_ptq",
	};
	unsigned int i, s;

	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		char rel[256];
		struct mnet_session_opts o;
		struct mnet_session *ref = NULL;
		struct mnet_model *m = NULL;
		struct mnet_err err;
		float *x, *want;
		size_t n, cnt;

		snprintf(rel, sizeof(rel), "models/%s.tflite", models[i]);
		if (!mnet_test_have_file(rel))
			continue;
		CU_ASSERT_EQUAL_FATAL(mnet_model_load_file(mnet_test_shared_path(rel),
							   &m, &err), 0);
		n = mnet_shape_elems(m->tensors[m->input].shape);
		x = malloc(n * sizeof(*x));
		want = malloc(mnet_shape_elems(m->tensors[m->output].shape) *
			      sizeof(*want));
		CU_ASSERT_FATAL(x && want);
		/* a random input on the input's grid */
		for (cnt = 0; cnt < n; cnt++)
			x[cnt] = m->input_q.scale *
				 (float)(rnd_in(0, 255) - m->input_q.zero_point);
		mnet_session_opts_init(&o);
		o.backend = MNET_BACKEND_REF;
		o.precision = MNET_PRECISION_INT8;
		CU_ASSERT_EQUAL_FATAL(mnet_session_create(m, &o, &ref, &err), 0);
		CU_ASSERT_EQUAL_FATAL(mnet_session_run(ref, x, n), 0);
		{
			const float *y = mnet_session_output(ref, &cnt);

			memcpy(want, y, cnt * sizeof(float));
		}
		for (s = 0; s < 2 * sizeof(sets) / sizeof(sets[0]); s++) {
			struct mnet_session *cpu = NULL;
			const float *got;

			if (!mnet_cpu_kernels_get(sets[s / 2]))
				continue;
			setenv("MNET_CPU", sets[s / 2], 1);
			o.backend = MNET_BACKEND_CPU;
			o.threads = s % 2 ? 3 : 1;	/* an odd split of the pixels */
			if (mnet_session_create(m, &o, &cpu, &err))
				printf("\n  %s", err.msg);
			CU_ASSERT_PTR_NOT_NULL_FATAL(cpu);
			CU_ASSERT_EQUAL_FATAL(mnet_session_run(cpu, x, n), 0);
			got = mnet_session_output(cpu, &cnt);
			if (memcmp(got, want, cnt * sizeof(float)))
				printf("\n  %s on %s, %d threads: cpu int8 differs from ref int8",
				       models[i], sets[s / 2], o.threads);
			CU_ASSERT_EQUAL(memcmp(got, want, cnt * sizeof(float)), 0);
			mnet_session_destroy(cpu);
		}
		unsetenv("MNET_CPU");
		mnet_session_destroy(ref);
		free(x);
		free(want);
		mnet_model_free(m);
	}
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "q8 1x1 convolution == reference, awkward shapes",
		  test_q8_pwconv_shapes },
		{ "q8 depthwise convolution == reference, awkward shapes",
		  test_q8_dwconv_shapes },
		{ "cpu int8 == ref int8 on shared models", test_models_cpu_vs_ref },
		CU_TEST_INFO_NULL,
	};

	return mnet_test_run_suite("int8 cpu", tests);
}
