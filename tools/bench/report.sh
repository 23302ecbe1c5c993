#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# report.sh - regenerate the validation and benchmark results for every
# shared model on the backends this machine has, and write docs/results.md
#
# Usage: tools/bench/report.sh [BUILD_DIR [OUT_DIR]]
#   BUILD_DIR  a build with mnet-validate, mnet-bench, mnet-devices
#              [default: build]
#   OUT_DIR    raw results: one HTML report per model (inline SVG charts),
#              the tools' JSON and text output [default: out/report]
# Environment:
#   MNET_SHARED_DIR  shared models and images [default: ../shared]
#   RESULTS          the Markdown file to write [default: docs/results.md]
#   BENCH_RUNS       timed runs per fast-backend benchmark [default: 30]
#   IMAGES           limit validation to the first N truth images [all 200]
#
# Backends: ref and cpu always; opencl when mnet-devices finds a device.
# The machine's load is recorded before and after: on a shared machine the
# timings are only as good as the load was low.  Python 3 (on every
# machine here) turns the tools' JSON into the Markdown tables.
set -eu

cd "$(dirname "$0")/../.."
BUILD=${1:-build}
OUT=${2:-out/report}
SHARED=${MNET_SHARED_DIR:-../shared}
RESULTS=${RESULTS:-docs/results.md}
RUNS=${BENCH_RUNS:-30}
LIMIT=${IMAGES:+--limit $IMAGES}

for t in mnet-validate mnet-bench mnet-devices; do
	if [ ! -x "$BUILD/$t" ]; then
		echo "report.sh: $BUILD/$t not found: build first (cmake -B $BUILD && make -C $BUILD -j2)" >&2
		exit 2
	fi
done
TRUTH="$SHARED/images/imagenet/truth.txt"
if [ ! -f "$TRUTH" ]; then
	echo "report.sh: $TRUTH not found: set MNET_SHARED_DIR" >&2
	exit 2
fi
mkdir -p "$OUT"
: > "$OUT/validate.status"

BACKENDS=ref,cpu
if "$BUILD/mnet-devices" > "$OUT/devices.txt" 2>&1; then
	BACKENDS=ref,cpu,opencl
fi
echo "report.sh: backends $BACKENDS; results in $OUT"

{
	echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
	echo "cores=$(nproc)"
	echo "memory_mib=$(free -m | awk '/^Mem:/ { print $2 }')"
	echo "kernel=$(uname -sr)"
	echo "hypervisor=$(lscpu | sed -n 's/^Hypervisor vendor: *//p')"
	echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
	echo "backends=$BACKENDS"
	echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"

# ---- validation: every classifier over the 200 ImageNet photos ---------------
rc=0
for m in "$SHARED"/models/*.tflite; do
	name=$(basename "$m" .tflite)
	case "$name" in
	*embedding*)
		# no classifier: layer and output errors on the shared photos
		set -- --images "$SHARED/images" ;;
	*)
		set -- --truth "$TRUTH" $LIMIT ;;
	esac
	echo "report.sh: validating $name"
	st=0
	"$BUILD/mnet-validate" -m "$m" "$@" --backends "$BACKENDS" \
		--report "$OUT" > "$OUT/$name.validate.txt" 2>&1 || st=$?
	echo "$name $st" >> "$OUT/validate.status"
	[ "$st" -le 1 ] || { cat "$OUT/$name.validate.txt" >&2; exit 1; }
	[ "$st" -eq 0 ] || rc=1
done

# fp16 storage on OpenCL (informational: does not change the exit status)
case "$BACKENDS" in
*opencl*)
	mkdir -p "$OUT/fp16-storage"
	for m in "$SHARED"/models/mobilenet_v1_0.*_quant.tflite; do
		name=$(basename "$m" .tflite)
		echo "report.sh: validating $name, opencl fp16-storage"
		"$BUILD/mnet-validate" -m "$m" --truth "$TRUTH" $LIMIT \
			--backends opencl --precision fp16-storage \
			--report "$OUT/fp16-storage" \
			> "$OUT/fp16-storage/$name.validate.txt" 2>&1 || true
	done ;;
esac

# ---- benchmarks: every model on every backend --------------------------------
: > "$OUT/bench.jsonl"
for m in "$SHARED"/models/*.tflite; do
	for b in $(echo "$BACKENDS" | tr , ' '); do
		runs=$RUNS; warm=5
		[ "$b" = ref ] && { runs=5; warm=1; }
		echo "report.sh: benchmarking $(basename "$m") on $b"
		"$BUILD/mnet-bench" -m "$m" -b "$b" -r "$runs" -w "$warm" --json \
			>> "$OUT/bench.jsonl"
	done
done
# the paper's full-size network (synthetic weights), fast backends only
for b in $(echo "$BACKENDS" | tr , ' '); do
	[ "$b" = ref ] && continue
	echo "report.sh: benchmarking synthetic 1.0/224 on $b"
	"$BUILD/mnet-bench" --synthetic 1.0 224 -b "$b" -r "$RUNS" -w 5 --json \
		>> "$OUT/bench.jsonl"
done
# truly cold OpenCL creation: PoCL's own kernel cache off as well
: > "$OUT/bench_cold.jsonl"
case "$BACKENDS" in
*opencl*)
	m="$SHARED/models/mobilenet_v1_0.75_192_quant.tflite"
	echo "report.sh: cold session creation, driver cache off, $(basename "$m")"
	POCL_KERNEL_CACHE=0 "$BUILD/mnet-bench" -m "$m" -b opencl -r 5 -w 1 \
		-l 0 --json >> "$OUT/bench_cold.jsonl" ;;
esac
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

python3 - "$OUT" "$RESULTS" << 'EOF'
import glob, json, os, statistics, sys

out, results = sys.argv[1], sys.argv[2]
mach = dict(l.rstrip("\n").split("=", 1)
            for l in open(os.path.join(out, "machine.txt")) if "=" in l)
devices = open(os.path.join(out, "devices.txt")).read().strip()
vals = []
for f in sorted(glob.glob(os.path.join(out, "*.json"))):
    d = json.load(open(f))
    if d.get("tool") == "mnet-validate":
        vals.append(d)
fp16 = []
for f in sorted(glob.glob(os.path.join(out, "fp16-storage", "*.json"))):
    d = json.load(open(f))
    if d.get("tool") == "mnet-validate":
        fp16.append(d)
bench = [json.loads(l) for l in open(os.path.join(out, "bench.jsonl")) if l.strip()]

def pct(v):
    return "n/a" if v is None else "%.1f%%" % (100 * v)

def sci(v):
    return "n/a" if v is None else "%.1e" % v

L = []
w = L.append
w("# Validation and benchmark results")
w("")
w("Generated by `tools/bench/report.sh` (do not edit by hand); raw output, JSON and")
w("one HTML report per model (inline SVG charts) are written to `out/report/`.")
w("")
w("## Machine")
w("")
w("| | |")
w("| --- | --- |")
w("| date (UTC) | %s |" % mach["date_utc"])
w("| CPU | %s, %s cores (%s) |" % (mach["cpu"], mach["cores"],
    "virtual machine, " + mach["hypervisor"] if mach.get("hypervisor") else "bare metal"))
w("| memory | %s MiB |" % mach["memory_mib"])
w("| kernel | %s |" % mach["kernel"])
w("| commit | %s |" % mach["commit"])
w("| backends | %s |" % mach["backends"])
w("| load average (1/5/15 min) | start %s, end %s |" % (mach["load_start"], mach["load_end"]))
w("")
w("The machine is shared with other jobs: a load average above the core count")
w("means the timings below include waiting for a core, and the multi-threaded")
w("cpu backend suffers most (a fork-join layer waits for its slowest thread).")
w("Accuracy and agreement do not depend on load.")
w("")
w("OpenCL devices (`mnet-devices`):")
w("")
w("```")
w(devices)
w("```")
w("")
w("## Agreement with the reference and accuracy")
w("")
w("`mnet-validate --truth shared/images/imagenet/truth.txt --backends %s --report out/report`" % mach["backends"])
w("for every classifier (200 ImageNet photos, one per fifth class); the embedding")
w("extractor has no classes, so it is validated on the shared photos for its")
w("layer and output errors only.  Agreement: same top-1 class as the reference;")
w("same set of top-5 classes.  Layer errors are the worst over the first")
w("%d images (every layer read back; see docs/validate.md); output errors the" % (vals[0]["layer_images"] if vals else 0))
w("worst over all images.  Tolerance: relative L2 1e-4 (fp32), top-1 agreement 100%.")
w("")
w("| model | backend | images | top-1 agree | top-5 agree | top-1 acc | top-5 acc | output rel L2 | worst layer rel L2 | min layer cos | verdict |")
w("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
for d in vals:
    for b in d["backends"]:
        ref = b["reference"]
        worst = None
        cmin = None
        if not ref:
            errs = [l["err"][b["id"]] for l in d["per_layer"] if l["err"].get(b["id"])]
            if errs:
                worst = max(e["rel_l2"] for e in errs)
                cmin = min(e["cos"] for e in errs)
        w("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            d["model"].replace(".tflite", ""), b["name"], d["images"],
            "oracle" if ref else pct(b["top1_agree"]),
            "oracle" if ref else pct(b["top5_agree"]),
            pct(b["top1_accuracy"]), pct(b["top5_accuracy"]),
            "-" if ref else sci(b["output"]["rel_l2"]),
            "-" if ref else sci(worst),
            "-" if ref or cmin is None else "%.7f" % cmin,
            "oracle" if ref else ("pass" if b["pass"] else "**FAIL**")))
w("")
if fp16:
    w("OpenCL with fp16 storage (`--backends opencl --precision fp16-storage`;")
    w("half buffers, float arithmetic; relative L2 limit 1e-2, top-1 agreement")
    w("not checked).  Informational: the device above is PoCL on the CPU, where")
    w("fp32 is the automatic choice.")
    w("")
    w("| model | backend | images | top-1 agree | top-5 agree | top-1 acc | top-5 acc | output rel L2 | worst layer rel L2 | first layer over 1e-2 | verdict |")
    w("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for d in fp16:
        for b in d["backends"]:
            if b["reference"]:
                continue
            errs = [l["err"][b["id"]] for l in d["per_layer"] if l["err"].get(b["id"])]
            worst = max(e["rel_l2"] for e in errs) if errs else None
            ff = b["first_fail_layer"]
            first = "-" if ff < 0 else "%d (%s)" % (ff, d["per_layer"][ff]["op"])
            w("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                d["model"].replace(".tflite", ""), b["name"], d["images"],
                pct(b["top1_agree"]), pct(b["top5_agree"]),
                pct(b["top1_accuracy"]), pct(b["top5_accuracy"]),
                sci(b["output"]["rel_l2"]), sci(worst), first,
                "pass" if b["pass"] else "**FAIL**"))
    w("")

ops = ["conv2d", "dwconv2d", "pwconv2d", "avgpool", "fc", "softmax", "add"]
if any(b["id"] == "opencl" for d in vals for b in d["backends"]):
    w("## Per-layer speed: cpu vs opencl")
    w("")
    w("From the validation runs above: each layer's median over the images.")
    w("The cpu backend's layer time is host wall time (including its thread")
    w("pool's fork and join); opencl's is the kernel's device time from event")
    w("profiling (excluding enqueue and launch overhead), so the end-to-end")
    w("latency in the benchmark table is the fairer whole-network comparison.")
    w("Ratio = cpu time / opencl time (above 1: opencl faster).")
    w("")
    w("| model | sum cpu ms | sum opencl ms | ratio of sums | median layer ratio | range | " +
      " | ".join("%s ratio" % o for o in ops[:3]) + " |")
    w("| --- | ---: | ---: | ---: | ---: | --- | " + " | ".join("---:" for o in ops[:3]) + " |")
    detail = None
    for d in vals:
        ids = [b["id"] for b in d["backends"]]
        if "cpu" not in ids or "opencl" not in ids:
            continue
        rat = []
        by = {}
        for l in d["per_layer"]:
            c, g = l["ms"]["cpu"], l["ms"]["opencl"]
            if g and g > 0 and c is not None:
                rat.append(c / g)
                s = by.setdefault(l["op"], [0.0, 0.0])
                s[0] += c
                s[1] += g
        sc = sum(l["ms"]["cpu"] for l in d["per_layer"])
        sg = sum(l["ms"]["opencl"] for l in d["per_layer"])
        w("| %s | %.3f | %.3f | %.2fx | %.2fx | %.2fx .. %.2fx | %s |" % (
            d["model"].replace(".tflite", ""), sc, sg, sc / sg if sg else 0,
            statistics.median(rat), min(rat), max(rat),
            " | ".join("%.2fx" % (by[o][0] / by[o][1]) if o in by and by[o][1] > 0 else "-"
                       for o in ops[:3])))
        if "0.75_192" in d["model"]:
            detail = d
    if detail:
        w("")
        w("Layer by layer, %s:" % detail["model"])
        w("")
        w("| # | layer | op | output | ref ms | cpu ms | opencl ms | cpu/opencl |")
        w("| ---: | --- | --- | --- | ---: | ---: | ---: | ---: |")
        for l in detail["per_layer"]:
            c, g = l["ms"]["cpu"], l["ms"]["opencl"]
            name = l["name"]
            if len(name) > 40:
                name = "..." + name[-37:]
            w("| %d | %s | %s | %s | %.4f | %.4f | %.4f | %s |" % (
                l["index"], name, l["op"], "x".join(map(str, l["out"])),
                l["ms"]["ref"], c, g, "%.2fx" % (c / g) if g > 0 else "-"))
    w("")

w("## Benchmarks")
w("")
w("`mnet-bench -m MODEL -b BACKEND -r %s -w 5 --json` (ref: 5 runs after 1)." % os.environ.get("BENCH_RUNS", "30"))
w("Latency is host wall time around `mnet_session_run()`; creation is timed")
w("cold (empty OpenCL program cache) and cached (programs loaded from the")
w("cache); peak RSS is the whole process with one session alive.")
w("")
w("| model | backend | min ms | median ms | p90 ms | max ms | inferences/s | GMAC/s | create cold ms | create cached ms | peak RSS MiB |")
w("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for b in bench:
    w("| %s | %s | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f |" % (
        b["model"].replace(".tflite", ""), b["backend"], b["min_ms"], b["median_ms"],
        b["p90_ms"], b["max_ms"], b["throughput_ips"], b["gmacs"],
        b["create_cold_ms"], b["create_cached_ms"], b["peak_rss_kb"] / 1024.0))
w("")
cold = [json.loads(l) for l in open(os.path.join(out, "bench_cold.jsonl")) if l.strip()]
for b in cold:
    w("With PoCL's own kernel cache also off (`POCL_KERNEL_CACHE=0`), creating")
    w("an opencl session for %s takes %.0f ms cold (every program" % (b["model"], b["create_cold_ms"]))
    w("compiled from OpenCL C) and %.0f ms from the mnet program cache." % b["create_cached_ms"])
    w("")
open(results, "w").write("\n".join(L))
print("report.sh: wrote", results)
EOF

if [ "$rc" -ne 0 ]; then
	echo "report.sh: a validation exceeded its tolerance: see $OUT/*.validate.txt" >&2
fi
exit "$rc"
