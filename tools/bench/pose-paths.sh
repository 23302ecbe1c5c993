#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# pose-paths.sh - PoseNet latency on every path, with the decoder's share
#
# Runs build/mnet-pose --json on the shared PoseNet file and photo on each
# path in turn, ROUNDS times round-robin (so machine load falls on every
# path alike), each run the median of REPEAT inferences, and prints one
# line per path: the median over rounds of an inference's time (the image
# resized once before, apart), of PosenetDecoderOp's host time within it,
# and of the resize.
#
#   tools/bench/pose-paths.sh [ROUNDS [REPEAT]]
set -eu
rounds=${1:-3}
repeat=${2:-10}
img=../shared/images/posenet_test_image.bmp
model=posenet_mobilenet_v1_075_353_481_16_quant_decoder
paths="ref:fp32:1 ref:int8:1 cpu:fp32:1 cpu:fp32:2 cpu:int8:1 cpu:int8:2 opencl:fp32:0"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
r=0
while [ "$r" -lt "$rounds" ]; do
	for p in $paths; do
		b=${p%%:*}; rest=${p#*:}; prec=${rest%%:*}; t=${rest#*:}
		n=$repeat
		[ "$b" = ref ] && n=1
		out=$(build/mnet-pose -q -b "$b" -p "$prec" -t "$t" -r "$n" \
			--json -m "$model" "$img")
		echo "$p $out" >>"$tmp"
	done
	r=$((r + 1))
done
python3 - "$tmp" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    path, js = line.split(" ", 1)
    d = json.loads(js)
    rows.setdefault(path, []).append((d["ms"], d["decoder_ms"], d["backend"],
                                      len(d["poses"]), d["preprocess_ms"]))
print("%-14s %-22s %10s %12s %8s %10s %6s" % ("path", "backend", "ms",
      "decoder ms", "share", "resize ms", "poses"))
for path, v in rows.items():
    ms = statistics.median(x[0] for x in v)
    dec = statistics.median(x[1] for x in v)
    pre = statistics.median(x[4] for x in v)
    print("%-14s %-22s %10.2f %12.3f %7.2f%% %10.2f %6d" % (
        path, v[0][2], ms, dec, 100 * dec / ms, pre, v[0][3]))
PY
