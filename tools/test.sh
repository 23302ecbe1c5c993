#!/usr/bin/env bash
# test.sh - set up, build and run every test stage (what CI runs).
#
# Usage: bash tools/test.sh
# Stages: Release build, reduced-size Keras files of the paper's table
# (tools/models/make-keras-models.py --reduced), the layout rules of tools/ci/check-layout.py
# (docs/layout-checks.md), all CUnit suites (ctest; OpenCL suites run on
# PoCL), the tools' usage suite against a build without OpenCL, then the sanitizer build (ASan+UBSan) of the whole suite, then
# the hardening stages of tools/ci/ci-hardening.sh: fuzzing (about a minute
# per target), valgrind over mnet-classify, ThreadSanitizer; then the NEON
# kernels, cross-built for AArch64 and for ARMv7 (armhf) and run under
# qemu-aarch64 and qemu-arm.
set -euo pipefail
cd "$(dirname "$0")/.."
# each stage says when it starts (seconds since the start), so a slow
# stage shows in the CI log
stage() { echo "== [${SECONDS}s] $*"; }

stage "setup and Release build (gcc, warnings are errors)"
MNET_CMAKE_FLAGS="-DMNET_WERROR=ON" bash tools/setup.sh build
stage "layout: dependency circles, file sizes, op switches"
python3 tools/ci/check-layout.py --selftest
python3 tools/ci/check-layout.py
stage "the paper's table: Keras-made files at reduced size (TensorFlow in a venv), in the background"
# Xception, VGG16 and Keras's own MobileNets, converted by TensorFlow's
# converter: test_keras_models checks them against TFLite.  Made again
# only when the script changed; without PyPI the suite is skipped (CI
# fails instead).  TensorFlow's download and install overlap the Release
# tests; test_keras_models runs once the files are there.
keras=$PWD/build/keras-reduced
make_keras() {
	[ -f "$keras/manifest.json" ] &&
		[ "$keras/manifest.json" -nt tools/models/make-keras-models.py ] &&
		return 0
	# the converter is verbose: its log is kept, shown when it fails
	TF_CPP_MIN_LOG_LEVEL=2 MNET_TF_VENV=$PWD/build/venv-tf \
		python3 tools/models/make-keras-models.py --reduced --out "$keras" \
		--models xception,vgg16,v1_0.25_128,v2_0.35_96 \
		>build/keras-reduced.log 2>&1 && return 0
	tail -n 30 build/keras-reduced.log >&2
	return 1
}
make_keras &
keras_pid=$!
stage "OpenCL devices"
clinfo -l || true
stage "tests (Release)"
# the int8 suite's oracle (tools/setup.sh made the venv when pip could)
if [ -x build/venv-litert/bin/python ]; then
	export MNET_LITERT_PYTHON=$PWD/build/venv-litert/bin/python
fi
ctest --test-dir build --output-on-failure -j2 -E '^test_keras_models$'
stage "the paper's table: test_keras_models"
if wait $keras_pid; then
	grep "^make-keras-models.py:" build/keras-reduced.log 2>/dev/null || true
	MNET_KERAS_MODELS=$keras ctest --test-dir build --output-on-failure \
		-R '^test_keras_models$'
elif [ -n "${CI:-}" ]; then
	echo "test.sh: could not make the Keras files (TensorFlow from PyPI)" >&2
	exit 1
else
	echo "test.sh: no TensorFlow: test_keras_models is skipped"
fi
stage "OpenCL kernels under Oclgrind"
bash tools/ci/oclgrind.sh

stage "tools built without OpenCL: bad usage still exits 2 (docs/tools.md)"
cmake -S . -B build-nocl -DMNET_OPENCL=OFF -DMNET_WERROR=ON >/dev/null
cmake --build build-nocl -j"$(nproc)" --target test_tools_usage \
	mnet-classify mnet-info mnet-devices mnet-bench mnet-validate \
	mnet-tune mnet-stream mnet-pose
MNET_TEST_TOOLS=$PWD/build-nocl build-nocl/test_tools_usage

stage "install rules, pkg-config and CMake package"
bash tools/ci/check-install.sh build

stage "tests (clang, ASan + UBSan, warnings are errors)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMNET_SANITIZE=ON \
	-DMNET_WERROR=ON -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build build-asan -j"$(nproc)"
# PoCL's own allocations are not ours; leaks are checked by valgrind stages.
# The int8 suites compare with their recorded TFLite digests here: the
# Release stage ran the oracle itself, and its Python is not what is
# under test.
env -u MNET_LITERT_PYTHON ASAN_OPTIONS=detect_leaks=0 ctest --test-dir build-asan --output-on-failure -j2 -LE slow

bash tools/ci/ci-hardening.sh fuzz valgrind tsan

stage "NEON: AArch64 cross build, CPU, per-op, int8 and frame suites under qemu-aarch64"
# qemu's default -cpu max has the dot product: neon-dotprod and neon both run
sh tests/run_cross.sh aarch64 '^test_(cpu_|residual_fusion|op_|int8_cpu$|int8_ref$|frame$)'
stage "NEON: AArch64 without the dot product (Cortex-A53): the ARMv8.0 choice"
QEMU_CPU=cortex-a53 sh tests/run_cross.sh aarch64 '^test_int8_cpu$'
stage "NEON: ARMv7 (armhf) cross build, CPU and int8 suites under qemu-arm"
sh tests/run_cross.sh armhf '^test_(cpu_|residual_fusion|int8_cpu$|int8_ref$)'
stage "all test stages passed"
