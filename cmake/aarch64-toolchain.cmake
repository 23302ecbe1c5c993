# aarch64-toolchain.cmake - cross-compile for 64-bit Arm Linux with Debian's
# gcc-aarch64-linux-gnu, and run the test executables under qemu-aarch64.
#
#   cmake -S . -B build-aarch64 \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-toolchain.cmake -DMNET_OPENCL=OFF
#
# (tests/run_cross.sh aarch64 does this; the rest is cross-toolchain.cmake.)

set(MNET_CROSS_TRIPLE aarch64-linux-gnu)
set(MNET_CROSS_PROCESSOR aarch64)
set(MNET_CROSS_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/cross-toolchain.cmake)
