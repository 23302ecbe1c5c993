// SPDX-License-Identifier: Apache-2.0
/*
 * test_int8_cpu.c - the CPU backend's int8 kernels against the integer
 * reference, bit for bit
 *
 * The q8 1x1 and depthwise convolutions of every kernel set this CPU can run (portable
 * C, AVX2, AVX-512's, AVX512-VNNI, NEON and NEON with the dot product) on
 * awkward shapes
 * (odd channel counts, partial tiles and panels, uint8 with weight zero
 * points and int8 with signed inputs, random multipliers and clamps)
 * against mnet_qk_conv2d(); then whole shared models at precision int8 on
 * the cpu backend against the ref backend, byte for byte (the ref backend
 * is itself compared with TFLite in test_int8_tflite.c).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch/cpu_kernels.h"
#include "dispatch/cpu_q8_pack.h"
#include "lib/test_util.h"
#include "model/model.h"
#include "ref_q/q_kernels.h"
#include "ref_q/q_math.h"
#include "scalar/cpu_scalar.h"

static const char *const sets[] = {
	"scalar", "avx2", "avx512", "avx512vnni", "neon", "neon-dotprod",
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
 * The quad packings (w8, w8_corr with the bias, b_off) evaluated in plain
 * C as vpdpbusd (@s8 0: uint8 activations) or sdot (@s8 1: int8 ones)
 * would, so that their arithmetic is checked on CPUs without either.
 */
static int32_t quad_x(const struct mnet_cpu_q8_pw *p, uint8_t a, int s8)
{
	if (s8)
		return (int8_t)(a ^ (p->a_signed ? 0 : 0x80));
	return (uint8_t)(a ^ (p->a_signed ? 0x80 : 0));
}

static void emulate_quads(const struct mnet_cpu_q8_pw *p, int s8,
			  uint8_t *out)
{
	int m, o, k;

	for (m = 0; m < p->m; m++) {
		const uint8_t *a = p->a + (size_t)m * p->k;
		int32_t sum = 0;

		for (k = 0; k < p->k; k++)
			sum += quad_x(p, a[k], s8);
		for (o = 0; o < p->n; o++) {
			const int8_t *w = p->w8 + (size_t)(o / MNET_CPU_Q8_NR16) *
						  p->kpad4 * MNET_CPU_Q8_NR16 +
					  (o % MNET_CPU_Q8_NR16) * 4;
			int32_t acc = p->b_off * sum + p->w8_corr[o];

			for (k = 0; k < p->kpad4; k++) {
				int32_t xu = k < p->k ? quad_x(p, a[k], s8) : 0;

				acc += xu * w[(k / 4) * 4 * MNET_CPU_Q8_NR16 + k % 4];
			}
			acc = p->single_round ?
			      mnet_q_mul_1r(acc, p->mult[o], p->shift[o]) :
			      mnet_q_mul(acc, p->mult[o], p->shift[o]);
			out[(size_t)m * p->n + o] = (uint8_t)mnet_q_clamp(acc + p->c_zp,
									 p->lo, p->hi);
		}
	}
}

/*
 * One case: pack for @ks (and in the u8s8 format, emulated), run, compare
 * with the reference.  @fc: one rounding, as FULLY_CONNECTED; @big: real
 * multipliers above 1 too (a left shift).
 */
static int run_case(const struct mnet_cpu_kernels *ks, int m, int kk, int n,
		    int is_signed, int fc, int big)
{
	static const struct mnet_cpu_kernels u8s8 = {
		.name = "u8s8-emulated", .q8_format = MNET_CPU_Q8_QUADS_U8S8,
	};
	static const struct mnet_cpu_kernels s8s8 = {
		.name = "s8s8-emulated", .q8_format = MNET_CPU_Q8_QUADS_S8S8,
	};
	uint8_t *a = malloc((size_t)m * kk), *w = malloc((size_t)n * kk);
	uint8_t *ref = malloc((size_t)m * n), *out = malloc((size_t)m * n);
	int16_t *scr = malloc(mnet_cpu_q8_scratch16(kk) * sizeof(*scr));
	uint8_t *scr8 = malloc(mnet_cpu_q8_scratch8(kk));
	int32_t *bias = calloc((size_t)n, sizeof(*bias));
	int32_t *mult = calloc((size_t)n, sizeof(*mult));
	int *shift = calloc((size_t)n, sizeof(*shift));
	struct mnet_qk_conv c = { 0 };
	struct mnet_cpu_q8_src src;
	struct mnet_cpu_q8_pw p, e;
	void *mem = NULL, *emem = NULL, *smem = NULL;
	struct mnet_cpu_q8_pw sp;
	int i, o, bad;

	CU_ASSERT_FATAL(a && w && ref && out && scr && scr8 && bias && mult && shift);
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
		.single_round = fc,
	};
	c.act_min = is_signed ? rnd_in(-128, 0) : rnd_in(0, 100);
	c.act_max = is_signed ? rnd_in(1, 127) : rnd_in(101, 255);
	for (o = 0; o < n; o++) {
		double real = (double)rnd_in(1, 1 << 20) / (double)(1 << 20) /
			      (double)(1 << rnd_in(4, 14));

		/* a few channels with a multiplier over 1 (left shift) */
		if (big && o % 3 == 0)
			real = (double)rnd_in(1 << 20, 1 << 21) / (double)(1 << 20);
		mnet_qk_quantize_multiplier(real, &mult[o], &shift[o]);
		bias[o] = rnd_in(-60000, 60000);
	}
	mnet_qk_conv2d(&c, a, w, bias, ref);
	src = (struct mnet_cpu_q8_src){
		.w = w, .w_signed = is_signed, .w_zp = c.w_zp, .bias = bias,
		.mult = mult, .shift = shift, .a_signed = is_signed,
		.a_zp = c.in_zp, .c_zp = c.out_zp, .lo = c.act_min,
		.hi = c.act_max, .m = m, .n = n, .k = kk, .single_round = fc,
	};
	CU_ASSERT_EQUAL_FATAL(mnet_cpu_q8_pw_pack(ks, &src, &p, &mem), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_cpu_q8_pw_pack(&u8s8, &src, &e, &emem), 0);
	CU_ASSERT_EQUAL_FATAL(mnet_cpu_q8_pw_pack(&s8s8, &src, &sp, &smem), 0);
	p.a = e.a = sp.a = a;
	p.c = out;
	p.scratch = scr;
	p.scratch8 = scr8;
	memset(out, 0xa5, (size_t)m * n);
	/* two ranges, as threads would split the pixels */
	ks->q8_pwconv(&p, 0, m / 2);
	ks->q8_pwconv(&p, m / 2, m);
	bad = memcmp(out, ref, (size_t)m * n) != 0;
	memset(out, 0x5a, (size_t)m * n);
	emulate_quads(&e, 0, out);
	if (memcmp(out, ref, (size_t)m * n)) {
		printf("\n  u8s8 packing: m %d k %d n %d %s%s differs", m, kk, n,
		       is_signed ? "int8" : "uint8", fc ? " fc" : "");
		bad = 1;
	}
	memset(out, 0x5a, (size_t)m * n);
	emulate_quads(&sp, 1, out);
	if (memcmp(out, ref, (size_t)m * n)) {
		printf("\n  s8s8 packing: m %d k %d n %d %s%s differs", m, kk, n,
		       is_signed ? "int8" : "uint8", fc ? " fc" : "");
		bad = 1;
	}
	if (bad)
		printf("\n  %s: m %d k %d n %d %s%s%s differs", ks->name, m, kk, n,
		       is_signed ? "int8" : "uint8", fc ? " fc" : "",
		       big ? " big" : "");
	free(mem);
	free(emem);
	free(smem);
	free(a);
	free(w);
	free(ref);
	free(out);
	free(scr);
	free(scr8);
	free(bias);
	free(mult);
	free(shift);
	return bad;
}

static void test_q8_pwconv_shapes(void)
{
	static const int ms[] = { 1, 3, 4, 5, 7, 17, 49 };
	static const int ks[] = { 1, 2, 3, 7, 16, 27, 33, 67, 320 };
	static const int ns[] = { 1, 5, 8, 9, 16, 17, 31, 40, 65, 130 };
	unsigned int s, a, b, c;
	int sg, ran = 0;

	for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		const struct mnet_cpu_kernels *k = mnet_cpu_kernels_get(sets[s]);

		if (!k || !k->q8_pwconv)
			continue;
		for (a = 0; a < sizeof(ms) / sizeof(ms[0]); a++)
			for (b = 0; b < sizeof(ks) / sizeof(ks[0]); b++)
				for (c = 0; c < sizeof(ns) / sizeof(ns[0]); c++)
					for (sg = 0; sg < 8; sg++)
						CU_ASSERT_EQUAL(run_case(k, ms[a], ks[b],
									 ns[c], sg & 1,
									 sg >> 1 & 1,
									 sg >> 2), 0);
		printf("\n  q8 1x1 checked in %s (%s)", k->name,
		       k->q8_format == MNET_CPU_Q8_PAIRS16 ? "int16 pairs" :
		       k->q8_format == MNET_CPU_Q8_QUADS_U8S8 ? "u8s8 quads" :
		       "s8s8 quads");
		ran++;
	}
	CU_ASSERT(ran >= 1);
}

/* VGG16's first fully connected layer: k = 25088, over the old 2^14 cap */
static void test_q8_pwconv_long_k(void)
{
	unsigned int s;
	int sg, ran = 0;

	for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		const struct mnet_cpu_kernels *k = mnet_cpu_kernels_get(sets[s]);

		if (!k || !k->q8_pwconv)
			continue;
		/* int8 and uint8, convolution and fully connected rounding */
		for (sg = 0; sg < 4; sg++)
			CU_ASSERT_EQUAL(run_case(k, 1 + 2 * (sg & 1), 25088, 17,
						 sg & 1, sg >> 1, 0), 0);
		ran++;
	}
	CU_ASSERT(ran >= 1);
}

/* One depthwise case: centre as backend_cpu_q.c does, compare. */
static int run_dw_case(const struct mnet_cpu_kernels *k, int ih, int iw,
		       int c, int kh, int st, int pad, int is_signed,
		       int narrow)
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
	/*
	 * @narrow: uint8 weights within int8's range of their zero point, as
	 * trained files mostly have them (the VNNI kernel's byte path)
	 */
	for (i = 0; i < kh * kh * c; i++) {
		int v = (int)rnd() & 0xff;

		if (narrow && !is_signed) {
			v = q.w_zp + (int)(int8_t)v;
			v = v < 0 ? 0 : v > 255 ? 255 : v;
		}
		w[i] = (uint8_t)v;
	}
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
	/* and with the zero point in the rounding, where the bound allows */
	d.zp_in_round = mnet_cpu_q8_zp_in_round(kh * kh, bias, shift, c,
						q.out_zp);
	if (d.zp_in_round) {
		memset(out, 0x5a, no);
		k->q8_dwconv(&d, 0, oh);
		bad |= memcmp(out, ref, no) != 0;
	}
	if (bad)
		printf("\n  %s: dw %dx%dx%d k%d s%d p%d %s%s differs", k->name,
		       ih, iw, c, kh, st, pad, is_signed ? "int8" : "uint8",
		       narrow ? " (narrow weights)" : "");
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
	static const int cs[] = { 1, 3, 8, 13, 16, 17, 32, 48, 67 };
	static const int hs[] = { 1, 2, 5, 8, 11, 22, 33 };
	unsigned int s, a, b;
	int sg, st, ran = 0;

	for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		const struct mnet_cpu_kernels *k = mnet_cpu_kernels_get(sets[s]);

		if (!k || !k->q8_dwconv)
			continue;
		for (a = 0; a < sizeof(cs) / sizeof(cs[0]); a++)
			for (b = 0; b < sizeof(hs) / sizeof(hs[0]); b++)
				for (st = 1; st <= 2; st++)
					for (sg = 0; sg < 3; sg++) {
						/* 2: uint8, narrow weights */
						const int is_s = sg == 1, nar = sg == 2;

						CU_ASSERT_EQUAL(run_dw_case(k, hs[b], hs[b] + 1,
									    cs[a], 3, st, 1,
									    is_s, nar), 0);
						CU_ASSERT_EQUAL(run_dw_case(k, hs[b] + 2, hs[b] + 3,
									    cs[a], 3, st, 0,
									    is_s, nar), 0);
						/* 5x5 (V2's larger windows elsewhere) */
						CU_ASSERT_EQUAL(run_dw_case(k, hs[b] + 4, hs[b] + 1,
									    cs[a], 5, st, 2,
									    is_s, nar), 0);
					}
		printf("\n  q8 depthwise checked in %s", k->name);
		ran++;
	}
	CU_ASSERT(ran >= 1);
}

#if defined(__x86_64__)
#include "x86/x86_avx2.h"
#include "x86/x86_avx512.h"
#endif
#if defined(__aarch64__) || defined(__arm__)
#include "arm/neon.h"
#endif

#if defined(__aarch64__)
#include <sys/auxv.h>
#endif

/*
 * The automatic choice follows the CPU: on AArch64 neon-dotprod exactly
 * when AT_HWCAP has HWCAP_ASIMDDP (qemu's -cpu max has it, cortex-a53 not),
 * else neon.
 */
static void test_auto_choice(void)
{
	const struct mnet_cpu_kernels *k = mnet_cpu_kernels_get(NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	printf("\n  auto: %s", k->name);
#if defined(__aarch64__)
	{
		int dp = (getauxval(AT_HWCAP) & (1ul << 20)) != 0;

		CU_ASSERT_STRING_EQUAL(k->name, dp ? "neon-dotprod" : "neon");
		CU_ASSERT_EQUAL(mnet_cpu_kernels_get("neon-dotprod") != NULL, dp);
		CU_ASSERT_PTR_NOT_NULL(mnet_cpu_kernels_get("neon"));
	}
#endif
}

typedef void (*requant_fn)(const int32_t *x, const int32_t *mult,
			   const int *shift, int single_round, int32_t *out,
			   int n);

/*
 * A kernel set's requantization == q_math.h on edge values: INT32_MIN/MAX,
 * halves around every rounding point (exact ties of both signs, with a
 * multiplier whose doubling high multiply is the identity), every right
 * shift 0..31 and left shifts up to 8, both roundings.
 */
static int check_requant(const char *name, requant_fn fn)
{
	enum { N = 16 * 64 };
	static int32_t x[N], mult[N], out[N];
	static int shift[N];
	uint32_t tie = 4242;	/* the ties' own stream: see below */
	int i, round, pass, bad = 0;

	for (pass = 0; pass < 64; pass++) {
		for (i = 0; i < N; i++) {
			int e = i % 40 - 31;	/* shift -31 .. 8 */
			int32_t v;

			mnet_qk_quantize_multiplier((double)rnd_in(1, 1 << 20) /
						    (double)(1 << 20) *
						    ldexp(1.0, e), &mult[i], &shift[i]);
			switch (i % 7) {
			case 0:
				v = INT32_MIN + rnd_in(0, 3);
				break;
			case 1:
				v = INT32_MAX - rnd_in(0, 3);
				break;
			case 2: /* near a rounding point of the final shift */
				/* wrapping arithmetic: the point may be INT32_MIN */
				v = (int32_t)(((uint32_t)rnd_in(-4096, 4096) <<
					       (shift[i] < 0 ? -shift[i] : 0)) +
					      (uint32_t)rnd_in(-2, 2));
				break;
			default:
				v = (int32_t)(rnd() ^ (rnd() << 16));
				break;
			}
			/*
			 * An exact tie (+-1) of the divide by 2^r instead, with
			 * a multiplier whose srdhm is the identity.  Drawn from
			 * its own stream so that the tests after this one see
			 * the random numbers they always saw.
			 */
			if (i % 7 == 3) {
				int r = i % 32;
				uint32_t span = 1u << (31 - r);

				tie = tie * 1664525u + 1013904223u;
				mult[i] = INT32_MAX;	/* srdhm(v, mult) == v */
				shift[i] = -r;
				v = (int32_t)(((tie >> 1) % span -
					       (span >> 1)) << r);
				if (r)
					v += (1 << (r - 1)) + (int32_t)(tie >> 30) - 1;
			}
			x[i] = v;
		}
		for (round = 0; round < 2; round++) {
			fn(x, mult, shift, round, out, N);
			for (i = 0; i < N; i++) {
				int32_t want = round ?
					mnet_q_mul_1r(x[i], mult[i], shift[i]) :
					mnet_q_mul(x[i], mult[i], shift[i]);

				if (out[i] != want && bad++ < 5)
					printf("\n  %s requant x %d mult %d shift %d round %d: %d, want %d",
					       name, x[i], mult[i], shift[i], round,
					       out[i], want);
			}
		}
	}
	printf("\n  %s requantization: %d values, %d differ", name,
	       64 * 2 * N, bad);
	return bad;
}

static void test_q8_requant_edges(void)
{
	int ran = 0;

#if defined(__x86_64__)
	if (mnet_cpu_kernels_get("avx512vnni")) {
		CU_ASSERT_EQUAL(check_requant("avx512vnni",
					      mnet_cpu_q8_requant_vnni), 0);
		ran++;
	}
	if (mnet_cpu_kernels_get("avx2")) {
		CU_ASSERT_EQUAL(check_requant("avx2", mnet_cpu_q8_requant_avx2), 0);
		ran++;
	}
#endif
#if defined(__aarch64__) || defined(__arm__)
	if (mnet_cpu_kernels_get("neon")) {
		CU_ASSERT_EQUAL(check_requant("neon", mnet_cpu_q8_requant_neon), 0);
		ran++;
	}
#endif
	if (!ran)
		printf("\n  no SIMD requantization here to check");
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
			if (s % 2)
				printf("\n  %s: cpu int8 on %s compared with ref int8",
				       models[i], sets[s / 2]);
			mnet_session_destroy(cpu);
		}
		unsetenv("MNET_CPU");
		mnet_session_destroy(ref);
		free(x);
		free(want);
		mnet_model_free(m);
	}
}

/*
 * q8_add of every kernel set that has one == mnet_qk_add(): random scales
 * (so random multipliers and shifts), zero points over the whole range,
 * clamps, both signednesses, lengths around the vector widths, sub-ranges
 * starting anywhere, and the output written over an input.
 */
static void test_q8_add(void)
{
	enum { N = 1000 };
	static uint8_t a[N], b[N], want[N], got[N];
	int s, pass, ran = 0;

	for (s = 0; s < (int)(sizeof(sets) / sizeof(sets[0])); s++) {
		const struct mnet_cpu_kernels *k = mnet_cpu_kernels_get(sets[s]);

		if (!k || !k->q8_add)
			continue;
		ran++;
		for (pass = 0; pass < 400; pass++) {
			struct mnet_qk_add p;
			int sgn = pass & 1, off = sgn ? -128 : 0, i;
			size_t n = (size_t)rnd_in(1, 200), i0, i1;

			mnet_qk_add_params(ldexpf((float)rnd_in(1, 1000) / 1000.0f,
						  -rnd_in(2, 9)),
					   ldexpf((float)rnd_in(1, 1000) / 1000.0f,
						  -rnd_in(2, 9)),
					   ldexpf((float)rnd_in(1, 1000) / 1000.0f,
						  -rnd_in(1, 8)), &p);
			p.is_signed = sgn;
			p.a_zp = off + rnd_in(0, 255);
			p.b_zp = off + rnd_in(0, 255);
			p.out_zp = off + rnd_in(0, 255);
			p.act_min = off + (pass % 3 ? 0 : rnd_in(0, 100));
			p.act_max = off + 255 - (pass % 5 ? 0 : rnd_in(0, 100));
			for (i = 0; i < N; i++) {
				a[i] = (uint8_t)rnd();
				b[i] = (uint8_t)rnd();
			}
			i0 = (size_t)rnd_in(0, 40);
			i1 = i0 + n;
			mnet_qk_add(&p, n, a + i0, b + i0, want + i0);
			if (pass % 4 == 3) {	/* in place, as a session may */
				memcpy(got, a, N);
				k->q8_add(&p, i0, i1, got, b, got);
			} else {
				memset(got, 0xa5, N);
				k->q8_add(&p, i0, i1, a, b, got);
				/* nothing outside [i0, i1) written */
				CU_ASSERT(i0 == 0 || got[i0 - 1] == 0xa5);
				CU_ASSERT(got[i1] == 0xa5);
			}
			if (memcmp(got + i0, want + i0, n)) {
				printf("\n  %s: ADD differs (n %zu, signed %d)",
				       sets[s], n, sgn);
				CU_FAIL("q8_add differs from mnet_qk_add()");
				return;
			}
		}
	}
	printf("\n  q8_add checked in %d kernel set(s)", ran);
}

/*
 * When the output zero point may go into the rounding shift: exactly
 * when the accumulator bound plus the rounding term plus zp * 2^e stays
 * under 2^31, and never with a left shift.
 */
static void test_q8_zp_in_round_bound(void)
{
	int32_t bias[2] = { 0, 0 };
	int sh[2] = { -31, -31 };

	/* 65025 + 2^30 fits; adding 1 * 2^31 does not */
	CU_ASSERT_EQUAL(mnet_cpu_q8_zp_in_round(1, bias, sh, 2, 0), 1);
	CU_ASSERT_EQUAL(mnet_cpu_q8_zp_in_round(1, bias, sh, 2, 1), 0);
	CU_ASSERT_EQUAL(mnet_cpu_q8_zp_in_round(1, bias, sh, 2, -1), 0);
	sh[0] = sh[1] = -8;
	CU_ASSERT_EQUAL(mnet_cpu_q8_zp_in_round(960, bias, sh, 2, 255), 1);
	/* a bias near 2^31 leaves no room */
	bias[1] = INT32_MAX - 1000;
	CU_ASSERT_EQUAL(mnet_cpu_q8_zp_in_round(1, bias, sh, 2, 0), 0);
	bias[1] = INT32_MIN;
	CU_ASSERT_EQUAL(mnet_cpu_q8_zp_in_round(1, bias, sh, 2, 0), 0);
	bias[1] = 0;
	sh[1] = 1;		/* a left shift: the general path */
	CU_ASSERT_EQUAL(mnet_cpu_q8_zp_in_round(1, bias, sh, 2, 0), 0);
	CU_ASSERT_EQUAL(mnet_cpu_q8_zp_in_round(1, NULL, sh, 1, 0), 1);
}

/* The global pool (channel-contiguous sums) == mnet_qk_avgpool(). */
static void test_q8_avgpool_global(void)
{
	static uint8_t in[10 * 10 * 300], want[300], got[300];
	static int32_t acc[300];
	int pass, i, bad = 0;

	for (pass = 0; pass < 60; pass++) {
		struct mnet_qk_pool p = { 0 };
		int off;

		p.ih = p.kh = rnd_in(1, 10);
		p.iw = p.kw = rnd_in(1, 10);
		p.c = rnd_in(1, 300);
		p.oh = p.ow = p.sh = p.sw = 1;
		p.is_signed = pass & 1;
		off = p.is_signed ? -128 : 0;
		p.act_min = off + (pass % 3 ? 0 : rnd_in(0, 60));
		p.act_max = off + 255 - (pass % 4 ? 0 : rnd_in(0, 60));
		p.mean = (pass >> 1) & 1;
		if (p.mean) {
			p.in_zp = off + rnd_in(0, 255);
			p.out_zp = off + rnd_in(0, 255);
			mnet_qk_quantize_multiplier((double)rnd_in(500, 1500) / 1000.0 /
						    (p.ih * p.iw), &p.mult, &p.shift);
		}
		for (i = 0; i < p.ih * p.iw * p.c; i++)
			in[i] = (uint8_t)rnd();
		mnet_qk_avgpool(&p, in, want);
		mnet_qk_avgpool_global(&p, in, acc, got);
		bad += memcmp(got, want, (size_t)p.c) != 0;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/*
 * QUANTIZE from float == round(x / scale) + zp, clamped, with round()
 * half away from zero: values on and next to every half, huge ones,
 * infinities and NaN (to the lower end).
 */
static void test_q8_quantize_float(void)
{
	enum { N = 4096 };
	static float x[N];
	static uint8_t got[N];
	int pass, i, bad = 0;

	for (pass = 0; pass < 20; pass++) {
		float scale = ldexpf((float)rnd_in(1, 1000) / 1000.0f, -rnd_in(0, 8));
		int sgn = pass & 1, lo = sgn ? -128 : 0;
		int32_t zp = lo + rnd_in(0, 255);

		for (i = 0; i < N; i++) {
			double h = (double)rnd_in(-400, 400) / 2.0;

			switch (i % 6) {
			case 0:	/* exactly on a half (or an integer) */
				x[i] = (float)(h * scale);
				break;
			case 1:
				x[i] = nextafterf((float)(h * scale), 1e30f);
				break;
			case 2:
				x[i] = nextafterf((float)(h * scale), -1e30f);
				break;
			case 3:
				x[i] = (float)rnd_in(-1000000, 1000000) * 1e3f;
				break;
			case 4:
				x[i] = i % 4 ? (i & 8 ? INFINITY : -INFINITY) : NAN;
				break;
			default:
				x[i] = (float)((double)(int32_t)rnd() / 1e6);
				break;
			}
		}
		mnet_qk_quantize(N, x, scale, zp, sgn, got);
		for (i = 0; i < N; i++) {
			double r = round((double)x[i] / (double)scale);
			long v;

			if (!(r > -1e9 && r < 1e9))
				r = r > 0 ? 1e9 : -1e9;
			v = (long)r + zp;
			v = v < lo ? lo : v > lo + 255 ? lo + 255 : v;
			if (got[i] != (uint8_t)v && bad++ < 5)
				printf("\n  quantize %.9g / %.9g: got %d, want %ld", x[i],
				       scale, got[i], v);
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* A long QUANTIZE (through its byte table) == element by element. */
static void test_q8_requantize_table(void)
{
	enum { N = 3000 };
	static uint8_t in[N], want[N], got[N];
	int pass, i, bad = 0;

	for (pass = 0; pass < 40; pass++) {
		int is = pass & 1, os = (pass >> 1) & 1;
		int32_t izp = (is ? -128 : 0) + rnd_in(0, 255);
		int32_t ozp = (os ? -128 : 0) + rnd_in(0, 255);
		int32_t mult;
		int shift;

		mnet_qk_quantize_multiplier(pass % 5 ? (double)rnd_in(1, 4000) /
						       1000.0 : 1.0, &mult, &shift);
		for (i = 0; i < N; i++)
			in[i] = (uint8_t)rnd();
		mnet_qk_requantize(N, is, izp, os, ozp, mult, shift, in, got);
		for (i = 0; i < N; i++)
			mnet_qk_requantize(1, is, izp, os, ozp, mult, shift,
					   in + i, want + i);
		bad += memcmp(got, want, N) != 0;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "q8 1x1 convolution == reference, awkward shapes",
		  test_q8_pwconv_shapes },
		{ "q8 1x1 with k = 25088 (VGG16's classifier)",
		  test_q8_pwconv_long_k },
		{ "q8 depthwise convolution == reference, awkward shapes",
		  test_q8_dwconv_shapes },
		{ "the automatic kernel set follows the CPU", test_auto_choice },
		{ "SIMD requantization == q_math.h on edge values",
		  test_q8_requant_edges },
		{ "global average pool / MEAN == reference", test_q8_avgpool_global },
		{ "zero point in the rounding shift: the bound",
		  test_q8_zp_in_round_bound },
		{ "QUANTIZE from float: round half away, edges", test_q8_quantize_float },
		{ "QUANTIZE through a byte table == element by element",
		  test_q8_requantize_table },
		{ "q8 ADD == reference, awkward lengths and parameters",
		  test_q8_add },
		{ "cpu int8 == ref int8 on shared models", test_models_cpu_vs_ref },
		CU_TEST_INFO_NULL,
	};

	return mnet_test_run_suite("int8 cpu", tests);
}
