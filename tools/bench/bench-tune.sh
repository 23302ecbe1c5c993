#!/usr/bin/env bash
# bench-tune.sh - the numbers behind docs/results-tuning.md
#
# Usage: bash tools/bench/bench-tune.sh [BUILD_DIR] [OUT_DIR]
# For synthetic 1.0/224 and 0.5/160 on the default OpenCL device: mnet-tune
# --mode fast twice (repeatability), normal once, exhaustive under a budget
# once, each into a fresh database and a fresh program cache (so tuning
# times include every kernel build, as on a new device).  Each run's JSON
# (model_default_ms vs model_tuned_ms measured in that run, per-layer
# results) lands in OUT_DIR, with the load average before each run.
set -euo pipefail
build=${1:-build}
out=${2:-/tmp/mnet-bench-tune}
budget=${MNET_BENCH_BUDGET:-240}
mkdir -p "$out"
run() {	# name model-args... -- tune-args...
	local name=$1
	shift
	local dir
	dir=$(mktemp -d /tmp/mnet-bench-tune-XXXXXX)
	uptime > "$out/$name.load"
	MNET_CL_CACHE_DIR=$dir/cache "$build/mnet-tune" "$@" --db "$dir/tuning.db" \
		-p fp32 --runs 30 --json > "$out/$name.json" 2> "$out/$name.log"
	cp "$dir/tuning.db" "$out/$name.db"
	rm -rf "$dir"
	echo "$name done: $(date -u +%H:%M:%S)"
}
for m in "1.0 224" "0.5 160"; do
	tag=${m/ /_}
	run "${tag}_fast1" --synthetic $m --mode fast
	run "${tag}_fast2" --synthetic $m --mode fast
	run "${tag}_normal" --synthetic $m --mode normal
	run "${tag}_exhaustive" --synthetic $m --mode exhaustive --budget "$budget"
done
