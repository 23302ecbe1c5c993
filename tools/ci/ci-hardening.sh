#!/usr/bin/env bash
# ci-hardening.sh - the hardening stages of CI: fuzzing, valgrind, TSan
#
# Usage: bash tools/ci/ci-hardening.sh [STAGE...]     (default: all stages)
# Stages:
#   fuzz      build the libFuzzer targets (clang, ASan+UBSan, build-fuzz/),
#             seed each corpus from ../shared and tests/fuzz/fuzz_seeds.c, run
#             the targets side by side, each for $MNET_FUZZ_SECONDS (default
#             60) seconds of wall time
#             from libFuzzer seed $MNET_FUZZ_SEED (default 1, so a CI run
#             can be repeated; 0 picks a random one, as a longer campaign
#             should); any crash, leak or sanitizer report fails the stage.
#   valgrind  mnet-classify on the CPU and reference backends over a
#             shared photo under valgrind (Release build with debug info,
#             build-vg/): no errors, no definite or indirect leaks.
#   tsan      the suites that run threads (concurrent sessions, the CPU
#             backend's pool, OpenCL with its fault counters, the tools)
#             built with ThreadSanitizer (build-tsan/); MNET_TSAN_ALL=1
#             runs the whole suite (about 5 minutes here).
# Environment: MNET_FUZZ_SECONDS, MNET_FUZZ_SEED, MNET_SHARED_DIR (default
# ../shared).
# A longer fuzzing campaign is described in docs/hardening.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$PWD
shared=${MNET_SHARED_DIR:-$src/../shared}
secs=${MNET_FUZZ_SECONDS:-60}
seed=${MNET_FUZZ_SEED:-1}
jobs=$(nproc)
# as tools/test.sh: each stage says when it starts
stage() { echo "== [${SECONDS}s] $*"; }

stage_fuzz() {
	local b=build-fuzz work t targets pids=()
	stage "fuzz: build (clang, ASan+UBSan, libFuzzer)"
	cmake -S . -B $b -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMNET_SANITIZE=ON \
		-DMNET_FUZZ=ON -DMNET_OPENCL=OFF -DCMAKE_C_COMPILER=clang >/dev/null
	targets=(tflite image)
	# the tuning-database parser exists once the tuner is merged
	[ -f runtime/tune/tune_db.c ] && targets+=(tune_db)
	cmake --build $b -j"$jobs" --target fuzz_seeds \
		"${targets[@]/#/fuzz_}"
	work=$(mktemp -d "${TMPDIR:-/tmp}/mnet-fuzz.XXXXXX")
	mkdir -p "$work/tflite" "$work/image" "$work/tune_db" "$work/crashes"
	# seeds: never committed, made here from the shared data and builders
	$b/fuzz_seeds tflite "$work/tflite"
	$b/fuzz_seeds image "$work/image"
	cp "$shared/models/mobilenet_v1_0.25_128_quant.tflite" "$work/tflite/"
	find "$shared/images" -type f -size -16k \
		\( -name '*.bmp' -o -name '*.jpg' -o -name '*.JPEG' -o -name '*.png' \) \
		-exec cp {} "$work/image/" \;
	if [ -x $b/fuzz_tune_db ]; then
		MNET_FUZZ_SEED_OUT="$work/tune_db/seed.db" $b/fuzz_tune_db
	fi
	# the targets run side by side (one thread each): the stage takes
	# $secs seconds of wall time, not one period per target
	for t in "${targets[@]}"; do
		local maxlen=1048576
		[ $t = image ] && maxlen=16384
		[ $t = tune_db ] && maxlen=65536
		stage "fuzz: $t for ${secs}s ($(ls "$work/$t" | wc -l) seeds)"
		"$b/fuzz_$t" -max_total_time="$secs" -seed="$seed" \
			-max_len=$maxlen \
			-rss_limit_mb=3072 -timeout=20 -print_final_stats=1 \
			-artifact_prefix="$work/crashes/$t-" "$work/$t" \
			>"$work/$t.log" 2>&1 &
		pids+=($!)
	done
	local i=0 bad=0
	for t in "${targets[@]}"; do
		if ! wait "${pids[$i]}"; then
			tail -n 60 "$work/$t.log"
			echo "fuzz: $t failed" >&2
			bad=1
		fi
		i=$((i + 1))
		grep -E '^(Done|stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb)' \
			"$work/$t.log" | sed "s/^/  $t: /"
	done
	if [ $bad -ne 0 ]; then
		echo "fuzz: reproducer(s) in $work/crashes:" >&2
		ls -l "$work/crashes" >&2
		return 1
	fi
	rm -rf "$work"
}

stage_valgrind() {
	local b=build-vg photo be
	stage "valgrind: build (Release + debug info, gcc)"
	cmake -S . -B $b -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMNET_TESTS=OFF \
		>/dev/null
	cmake --build $b -j"$jobs" --target mnet-classify
	photo=$shared/images/cat.bmp
	for be in cpu ref; do
		stage "valgrind: mnet-classify --backend $be (0.25/128)"
		valgrind --error-exitcode=1 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect \
			--show-leak-kinds=definite,indirect --track-origins=yes \
			-q \
			$b/mnet-classify --backend $be --threads 2 \
			-m "$shared/models/mobilenet_v1_0.25_128_quant.tflite" \
			"$photo"
	done
}

stage_tsan() {
	local b=build-tsan
	local suites="test_concurrency test_cpu_models test_cpu_kernels test_opencl_model test_opencl_faults test_memory_cap test_release_weights test_frame test_frame_stream"
	local targets=() s
	stage "tsan: build (clang, ThreadSanitizer)"
	cmake -S . -B $b -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_C_COMPILER=clang "-DCMAKE_C_FLAGS=-fsanitize=thread" \
		-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
		-DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread >/dev/null
	if [ "${MNET_TSAN_ALL:-0}" = 1 ]; then
		cmake --build $b -j"$jobs"
		stage "tsan: tests (all)"
		TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
			ctest --test-dir $b --output-on-failure -j2 -LE slow
		return
	fi
	for s in $suites; do targets+=(--target "$s"); done
	cmake --build $b -j"$jobs" "${targets[@]}"
	stage "tsan: tests ($suites)"
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
		ctest --test-dir $b --output-on-failure -j2 \
		-R "^(${suites// /|})\$"
}

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(fuzz valgrind tsan)
for s in "${stages[@]}"; do
	case $s in
	fuzz|valgrind|tsan) "stage_$s" ;;
	*) echo "ci-hardening: unknown stage '$s'" >&2; exit 2 ;;
	esac
done
stage "hardening stages passed: ${stages[*]}"
