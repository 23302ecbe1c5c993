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
# tools/models/fetch-models.sh) and each backend it runs mnet-stream --json
# --sync and pipelined over $FRAMES frames; on opencl also with the device
# limited to one core (POCL_MAX_PTHREAD_COUNT=1, so that the host and the
# device each have a core, as on a phone).  Targets (issue #17): the
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

echo "# Camera frames: mnet-stream on a $SIZE Y4M of the ImageNet photos"
echo
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; $(date -u +%Y-%m-%d)."
echo
echo "| model | backend | mode | frames/s | median ms | p90 ms | convert ms | infer ms | convert/infer |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
for model in $MODELS; do
	for cfg in cpu opencl opencl-1core; do
		be=${cfg%-1core}
		env=""
		[ "$cfg" = opencl-1core ] && env="POCL_MAX_PTHREAD_COUNT=1"
		for mode in sync pipelined; do
			flag=""
			[ "$mode" = sync ] && flag=--sync
			line=$(env $env MNET_MODEL_DIR="$shared/models" "$stream" \
				-m "$model" -b "$be" --json $flag "$video" |
				tail -n1)
			c=$(jf convert_median_ms "$line")
			i=$(jf infer_median_ms "$line")
			printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
				"$model" "$cfg" "$mode" "$(jf fps "$line")" \
				"$(jf median_ms "$line")" "$(jf p90_ms "$line")" \
				"$c" "$i" \
				"$(awk -v c="$c" -v i="$i" 'BEGIN { if (i > 0) printf "%.1f%%", 100 * c / i }')"
		done
	done
done

echo
echo "## Conversion against libyuv + the image path (one thread, median of $RUNS)"
echo
cc -O2 -I"$src/include" -o "$work/frame_vs_libyuv" \
	"$src/tools/bench/frame_vs_libyuv.c" "$build/libmnet.a" -lyuv \
	-lstb -lm -lpthread $(pkg-config --libs OpenCL 2>/dev/null || echo -lOpenCL) -ldl
echo "| format | frame | output | libyuv to RGB ms | libyuv + image path ms | mnet_frame_preprocess ms |"
echo "|---|---|---:|---:|---:|---:|"
for res in 192 224; do
	"$work/frame_vs_libyuv" "$w" "$h" "$res" "$RUNS" | while read -r l; do
		set -- $(echo "$l" | tr ' ' '\n' | sed 's/^[a-z_]*=//')
		echo "| $1 | $2 | $3 | $4 | $5 | $6 |"
	done
done
