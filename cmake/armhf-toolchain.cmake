# armhf-toolchain.cmake - cross-compile for 32-bit Arm Linux (ARMv7-A, hard
# float: Debian armhf) with Debian's gcc-arm-linux-gnueabihf, and run the
# test executables under qemu-arm.
#
#   cmake -S . -B build-armhf \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/armhf-toolchain.cmake -DMNET_OPENCL=OFF
#
# The baseline stays Debian's (ARMv7-A, VFPv3-D16, no NEON required): only
# host/neon_*.c get -mfpu=neon-vfpv4 (cmake/host_sources.cmake), and the
# library picks them at run time when the CPU reports NEON and VFPv4.
# (tests/run_cross.sh armhf does this; the rest is cross-toolchain.cmake.)

set(MNET_CROSS_TRIPLE arm-linux-gnueabihf)
set(MNET_CROSS_PROCESSOR armv7l)
set(MNET_CROSS_QEMU qemu-arm)
include(${CMAKE_CURRENT_LIST_DIR}/cross-toolchain.cmake)
