#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# bench-frame.sh - camera frames in: per-frame latency and frames/s of
# mnet-stream, synchronous and pipelined, on cpu and opencl, and the
# conversion against libyuv; writes the markdown of docs/results-frame.md
#
# Usage: tools/bench/bench-frame.sh [BUILD_DIR] > docs/results-frame.md
#
# Needs ffmpeg (the Y4M video is made from the shared ImageNet photos,
# scaled to $SIZE) and libyuv-dev (tools/bench/frame_vs_libyuv.c); run as
# root it installs them (apt-get), else it says what is missing.
# For each model of $MODELS (bare names looked up in ../shared/models;
# default 0.75/192 V1 and 1.0/224 V2, the 1.0/224 V1 file being only in
# tools/models/fetch-models.sh) it runs mnet-stream --json over $FRAMES
# frames: on cpu --sync and pipelined; on opencl with the device limited
# to one core (POCL_MAX_PTHREAD_COUNT=1, so that the host and the device
# each have a core, as on a phone) --sync, pipelined without the split
# (MNET_STREAM_SPLIT=0) and pipelined as a stream chooses (split where it
# measures a gain).  Each row records the load average when it started;
# the ratios are taken from rows of the same run.  The conversion is
# timed with the default converter and with MNET_CPU=avx2.  Targets (issue #17): the
# conversion at most 3% of the inference, pipelined at least 1.15x the
# synchronous throughput on opencl with one device core, and the
# conversion at least as fast as libyuv's plus our image path.
#
# Env: MODELS, FRAMES (default 200), SIZE (default 640x480), RUNS (50).
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
shared=${MNET_SHARED_DIR:-$src/../shared}
MODELS=${MODELS:-"mobilenet_v1_0.75_192_quant.tflite mobilenet_v2_1.0_224_quant.tflite"}
FRAMES=${FRAMES:-200}
SIZE=${SIZE:-640x480}
RUNS=${RUNS:-50}
work=${BENCH_WORK:-/tmp/mnet-bench-frame}
stream=$build/mnet-stream
w=${SIZE%x*}
h=${SIZE#*x}

[ -x "$stream" ] || { echo "bench-frame.sh: no $stream (build first)" >&2; exit 1; }
need=""
command -v ffmpeg >/dev/null 2>&1 || need="$need ffmpeg"
pkg-config --exists libyuv 2>/dev/null || [ -f /usr/include/libyuv.h ] ||
	need="$need libyuv-dev"
if [ -n "$need" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "bench-frame.sh: install$need (Debian packages)" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need >&2
fi
mkdir -p "$work"

video=$work/imagenet-$SIZE.y4m
if [ ! -s "$video" ]; then
	ffmpeg -loglevel error -y -framerate 30 -pattern_type glob \
		-i "$shared/images/imagenet/*.JPEG" \
		-vf "scale=$w:$h,format=yuv420p" -frames:v "$FRAMES" \
		-f yuv4mpegpipe "$video"
fi

# jf NAME LINE: a number of the summary object
jf() {
	echo "$2" | sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" | head -n1
}

# ratio A B: A / B to two places
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b }'
}

commit=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$src" diff --quiet HEAD 2>/dev/null || commit="$commit (with local changes)"
echo "# Camera frames: mnet-stream on a $SIZE Y4M of the ImageNet photos"
echo
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC'); commit $commit."
echo "Load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| model | backend | mode | precision | split at | frames/s | median ms | p90 ms | convert ms | infer ms | convert/infer | load |"
echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
ratios=""
for model in $MODELS; do
	for cfg in cpu:sync cpu:pipelined opencl-1core:sync \
		   opencl-1core:unsplit opencl-1core:pipelined; do
		be=${cfg%%:*}
		mode=${cfg#*:}
		be=${be%-1core}
		env="MNET_STREAM_SPLIT="
		case $cfg in opencl-1core:*) env="$env POCL_MAX_PTHREAD_COUNT=1" ;; esac
		[ "$mode" = unsplit ] && env="$env MNET_STREAM_SPLIT=0"
		flag=""
		[ "$mode" = sync ] && flag=--sync
		load=$(cut -d' ' -f1 /proc/loadavg)
		env $env MNET_MODEL_DIR="$shared/models" "$stream" \
			-m "$model" -b "$be" -v --json $flag "$video" \
			>"$work/out.json" 2>"$work/err.txt"
		line=$(tail -n1 "$work/out.json")
		prec=$(sed -n 's/.*backend [^ ]* (\([^)]*\)).*/\1/p' "$work/err.txt")
		split=$(sed -n 's/.*layers from \([0-9]*\) on the host.*/\1/p' "$work/err.txt")
		c=$(jf convert_median_ms "$line")
		i=$(jf infer_median_ms "$line")
		fps=$(jf fps "$line")
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
			"$model" "${cfg%%:*}" "$mode" "$prec" "${split:--}" \
			"$fps" "$(jf median_ms "$line")" "$(jf p90_ms "$line")" \
			"$c" "$i" \
			"$(awk -v c="$c" -v i="$i" 'BEGIN { if (c > 0 && i > 0) printf "%.1f%%", 100 * c / i; else print "-" }')" \
			"$load"
		eval "fps_$(echo "${cfg%%:*}_$mode" | tr -c 'a-z0-9\n' _)=$fps"
	done
	ratios="$ratios
- $model: cpu pipelined / sync $(ratio "$fps_cpu_pipelined" "$fps_cpu_sync")x; opencl (1 core) pipelined with the split / sync $(ratio "$fps_opencl_1core_pipelined" "$fps_opencl_1core_sync")x, without it $(ratio "$fps_opencl_1core_unsplit" "$fps_opencl_1core_sync")x"
done
echo
echo "Throughput ratios, each from the rows above:"
echo "$ratios"

echo
echo "## Conversion against libyuv + the image path (one thread, median of $RUNS)"
echo
cc -O2 -I"$src/include" -o "$work/frame_vs_libyuv" \
	"$src/tools/bench/frame_vs_libyuv.c" "$build/libmnet.a" -lyuv \
	-lstb -lm -lpthread $(pkg-config --libs OpenCL 2>/dev/null || echo -lOpenCL) -ldl
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| format | frame | output | libyuv to RGB ms | libyuv + image path ms | mnet_frame_preprocess ms | converter |"
echo "|---|---|---:|---:|---:|---:|---|"
for kern in "" avx2; do
	for res in 192 224; do
		MNET_CPU=$kern "$work/frame_vs_libyuv" "$w" "$h" "$res" "$RUNS" |
		while read -r l; do
			set -- $(echo "$l" | tr ' ' '\n' | sed 's/^[a-z_]*=//')
			echo "| $1 | $2 | $3 | $4 | $5 | $6 | ${kern:-default} |"
		done
	done
done
