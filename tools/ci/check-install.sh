#!/usr/bin/env bash
# check-install.sh - install a build into a scratch prefix and build a small
# application against it with pkg-config alone, then with CMake's
# find_package(mnet), and run both (static and shared linking).
#
# Usage: tools/ci/check-install.sh BUILD_DIR
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-build}" && pwd)
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(find "$prefix" -name mnet.pc -printf '%h\n' | head -n1)
export PKG_CONFIG_PATH="$libdir"

# shared library through pkg-config
cc -std=c11 $(pkg-config --cflags mnet) "$src/tests/consumer/consumer.c" \
	$(pkg-config --libs mnet) -o "$prefix/consumer-shared"
LD_LIBRARY_PATH="$libdir/.." "$prefix/consumer-shared"
# static library through pkg-config --static
cc -std=c11 $(pkg-config --cflags mnet) "$src/tests/consumer/consumer.c" \
	"$libdir/../libmnet.a" \
	$(pkg-config --libs-only-l --static mnet | sed 's/-lmnet\b//') \
	-o "$prefix/consumer-static"
"$prefix/consumer-static"
"$prefix/consumer-static"

# CMake package
mkdir -p "$prefix/app"
cat >"$prefix/app/CMakeLists.txt" <<CMK
cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(mnet REQUIRED)
add_executable(consumer $src/tests/consumer/consumer.c)
target_link_libraries(consumer PRIVATE mnet::mnet)
CMK
cmake -S "$prefix/app" -B "$prefix/app/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/app/build" >/dev/null
"$prefix/app/build/consumer"
echo "install check: pkg-config (shared, static) and find_package(mnet) consumers built and ran"
