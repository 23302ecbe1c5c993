#!/usr/bin/env bash
# oclgrind.sh - the CI stage that runs every OpenCL kernel under Oclgrind
#
# Usage: bash tools/ci/oclgrind.sh [--full] [BUILD_DIR]   (default: build)
#
# Oclgrind (Debian package oclgrind, installed here if missing) is an
# OpenCL device simulator that reports API misuse, data races,
# out-of-bounds accesses and uses of uninitialized values; PoCL forgives
# all of them.  Every run below is under
#   oclgrind --check-api --data-races --uninitialized
# with its messages sent to a log file (--log), and fails on any message
# in that log, on a non-zero exit status (a simulator crash included) or
# when the run did not use the Oclgrind device ($MNET_DEVICE).
#
# Runs (two at a time, one per core: about 2 minutes on 2 cores; set
# MNET_OCLGRIND_JOBS to change; 5-6 minutes one at a time):
#   1. the shared mobilenet_v1_0.25_128_quant.tflite on a shared photo,
#      fp32 with copied and fp16-storage with mapped input and output
#      (mnet-classify; MNET_CL_MAP=1, as Oclgrind is not host-unified);
#   2. a synthetic MobileNetV2 0.35/64, fp32 and fp16-storage (mnet-bench,
#      one run: residual pwconv, stride-1 dwconv, fc), and a 0.35/32 one
#      with the GPU defaults (MNET_CL_DEFAULTS=gpu: vector width 4,
#      pwconv's local-memory tile) under --max-wgsize 256
#      --local-mem-size 16384, about 35 s;
#   3. the planted-bug check: the 0.25/128 file again with kernels from a
#      copy of cl_kernels/ ($MNET_CL_DIR) that has a race (a barrier taken
#      out of softmax.cl) and an out-of-bounds read (conv2d.cl's first
#      work-item loads its bias one vector past the end): the stage fails
#      unless Oclgrind reports both, which proves it can fail;
#   4. the kernel suite (test_opencl_kernels) under the small-GPU profile
#      --max-wgsize 64 (work-groups a Mali or Adreno accepts), and the
#      variants suite (test_opencl_variants: every value of every axis of
#      the tuner's candidate space, CLBlast included where the device
#      allows it, on small awkward layers against the reference) under
#      each of the three small-GPU profiles of docs/opencl.md, so that
#      what the tuner proposes on such a device runs there, about 100 s;
#   5. the int8 kernels' suite (test_opencl_int8: every q8_*.cl kernel on
#      awkward shapes, byte-compared with the integer reference; its
#      whole-model comparisons off, MNET_INT8_IMAGES=0; the int8 tuner's
#      candidates too), --max-wgsize 64, and the 0.25/128 file at int8
#      with the same profile, about 15 s each;
#   6. the kernels of the backbone and table ops (backbone.cl's resize,
#      concat, dilated depthwise and arg-max through test_backbone_graph,
#      avgpool.cl's maxpool and add.cl's act through their per-op suites),
#      --max-wgsize 64, a second each;
#   with --full, the kernel suite and the 0.25/128 file under each of the
#   three small-GPU profiles of docs/opencl.md (about 8 more minutes).
#
# Environment: MNET_SHARED_DIR (default ../shared), MNET_OCLGRIND_KEEP=1
# keeps the logs (in a temporary folder, printed).
set -euo pipefail
cd "$(dirname "$0")/../.."
full=0
if [ "${1:-}" = --full ]; then
	full=1
	shift
fi
build=${1:-build}
shared=${MNET_SHARED_DIR:-$PWD/../shared}
model=$shared/models/mobilenet_v1_0.25_128_quant.tflite
image=$shared/images/cat.bmp
checks=(--check-api --data-races --uninitialized --max-errors 1000)

if ! command -v oclgrind >/dev/null; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "oclgrind: installing oclgrind"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq oclgrind
fi
if [ ! -x "$build/mnet-classify" ] || [ ! -x "$build/mnet-bench" ] ||
   [ ! -x "$build/test_opencl_kernels" ] ||
   [ ! -x "$build/test_opencl_variants" ]; then
	echo "oclgrind: $build has no OpenCL tools and tests (build it first)" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mnet-oclgrind.XXXXXX")
if [ "${MNET_OCLGRIND_KEEP:-0}" = 1 ]; then
	echo "oclgrind: logs kept in $work"
else
	trap 'rm -rf "$work"' EXIT
fi
# defaults only, a fresh program cache, and no other device: a suite
# without its device exits 77 (skipped), which fails the run here
export MNET_TUNE_DB="" MNET_DEVICE=Oclgrind
jobs=${MNET_OCLGRIND_JOBS:-$(nproc)}

# Oclgrind's messages in log $1: each starts with an unindented line.
reports() {
	grep -c '^[^[:space:]]' "$1" || true
}

# grind NAME [OCLGRIND OPTIONS --] COMMAND...: one run, expected clean.
# Sets $n (reports) and $rc (exit status) for expect_reports().
grind() {
	local name=$1 opts=() t0
	shift
	if [ "${1:-}" = "[" ]; then
		shift
		while [ "$1" != "]" ]; do
			opts+=("$1")
			shift
		done
		shift
	fi
	t0=$SECONDS
	rc=0
	oclgrind "${checks[@]}" "${opts[@]}" --log "$work/$name.log" "$@" \
		>"$work/$name.out" 2>&1 || rc=$?
	touch "$work/$name.log"
	n=$(reports "$work/$name.log")
	echo "== oclgrind: $name: exit $rc, $n reports, $((SECONDS - t0)) s"
}

# clean NAME [OCLGRIND OPTIONS --] COMMAND...: one run in the background,
# at most $jobs at a time (Oclgrind simulates on one thread); a failure
# leaves NAME.failed in $work, counted by finish().
clean_one() {
	local name=$1
	grind "$@"
	if [ "$rc" -ne 0 ] || [ "$n" -ne 0 ]; then
		{
			[ "$rc" -ge 128 ] && echo "oclgrind: $name died of signal" \
				"$((rc - 128)); Oclgrind itself may have crashed" \
				"(docs/opencl.md, Oclgrind)"
			head -40 "$work/$name.log"
			tail -10 "$work/$name.out"
		} >&2
		touch "$work/$name.failed"
	fi
}

slot() {
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n || true
	done
}

clean() {
	slot
	# each run its own program cache: runs at the same time never share
	# files
	MNET_CL_CACHE_DIR="$work/cache-$1" clean_one "$@" &
}

for p in fp32 fp16-storage; do
	# Oclgrind has no host-unified memory: map the I/O once by hand
	map=0
	[ $p = fp16-storage ] && map=1
	MNET_CL_MAP=$map clean "v1-0.25-128-$p" "$build/mnet-classify" \
		-b opencl -p $p -m "$model" "$image"
	clean "v2-0.35-64-$p" "$build/mnet-bench" --synthetic-v2 0.35 64 \
		-b opencl -p $p --runs 1 -w 0 -l 0
done
# Oclgrind is every device type and gets the CPU defaults: the GPU ones too
MNET_CL_DEFAULTS=gpu clean v2-0.35-32-gpu-defaults \
	[ --max-wgsize 256 --local-mem-size 16384 ] "$build/mnet-bench" \
	--synthetic-v2 0.35 32 -b opencl -p fp32 --runs 1 -w 0 -l 0

# The planted bugs: both must be reported.
mkdir -p "$work/planted"
cp cl_kernels/* "$work/planted/"
sed -i '/m = red\[0\];/{n;d}' \
	"$work/planted/softmax.cl"
sed -i 's/acc = LDN(VW, bias + co);/acc = LDN(VW, bias + co + (ox + oy ? 0 : COUT_PAD));/' \
	"$work/planted/conv2d.cl"
if cmp -s cl_kernels/softmax.cl "$work/planted/softmax.cl" ||
   cmp -s cl_kernels/conv2d.cl "$work/planted/conv2d.cl"; then
	echo "oclgrind: could not plant the bugs (kernels changed?)" >&2
	touch "$work/planting.failed"
else
	planted() {
		local races oob
		MNET_CL_DIR="$work/planted" MNET_CL_CACHE_DIR="$work/cache-planted" \
			grind planted "$build/mnet-classify" -b opencl -m "$model" "$image"
		races=$(grep -c '^.*data race' "$work/planted.log" || true)
		oob=$(grep -c '^Invalid read' "$work/planted.log" || true)
		echo "   planted: $races race reports, $oob out-of-bounds reports"
		if [ "$races" -eq 0 ] || [ "$oob" -eq 0 ]; then
			echo "oclgrind: the planted race or out-of-bounds read" \
				"went unreported: this stage cannot fail" >&2
			head -20 "$work/planted.log" >&2
			touch "$work/planted.failed"
		fi
	}
	slot
	planted &
fi

# Small-GPU device profiles (docs/opencl.md): the kernel suite compares
# each kernel with the reference, so a wrong answer fails it too.
profiles=("--max-wgsize 64" "--max-wgsize 256 --local-mem-size 32768"
	  "--local-mem-size 16384 --constant-mem-size 65536")
i=0
for prof in "${profiles[@]}"; do
	i=$((i + 1))
	# the tuner's whole candidate space, pruned to the profile's limits
	# shellcheck disable=SC2086
	clean "variants-profile$i" [ $prof ] "$build/test_opencl_variants"
	[ $full = 1 ] || [ $i = 1 ] || continue
	# shellcheck disable=SC2086
	clean "kernels-profile$i" [ $prof ] "$build/test_opencl_kernels"
	if [ $full = 1 ]; then
		# the whole file, not test_opencl_model: its per-layer checks
		# re-run the model once per layer (over 10 minutes here)
		# shellcheck disable=SC2086
		clean "model-profile$i" [ $prof ] "$build/mnet-classify" \
			-b opencl -m "$model" "$image"
	fi
done

# The int8 kernels (q8_*.cl): the per-op suite and a whole file.
if [ -x "$build/test_opencl_int8" ]; then
	MNET_INT8_IMAGES=0 clean int8-ops [ --max-wgsize 64 ] \
		"$build/test_opencl_int8"
fi
clean v1-0.25-128-int8 [ --max-wgsize 64 ] "$build/mnet-classify" \
	-b opencl -p int8 -m "$model" "$image"

# The kernels of DeepLab's and the Keras table's ops.
for t in test_backbone_graph test_op_maxpool test_op_act; do
	[ -x "$build/$t" ] || continue
	clean "$t" [ --max-wgsize 64 ] "$build/$t"
done

wait
failed=$(find "$work" -maxdepth 1 -name '*.failed' | wc -l)
if [ "$failed" -ne 0 ]; then
	echo "== oclgrind: $failed runs failed" >&2
	exit 1
fi
echo "== oclgrind: every run clean"
