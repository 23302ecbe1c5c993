# cross-toolchain.cmake - what the Arm toolchain files share: Debian's
# cross gcc for MNET_CROSS_TRIPLE, the target's libraries from multiarch
# packages, and the tests run under MNET_CROSS_QEMU (qemu-user).  Included
# by aarch64-toolchain.cmake and armhf-toolchain.cmake, which set
# MNET_CROSS_TRIPLE, MNET_CROSS_PROCESSOR and MNET_CROSS_QEMU first.
#
# Libraries (CUnit, stb) come from Debian's multiarch packages installed by
# tests/run_cross.sh: their .pc files are in /usr/lib/TRIPLE/pkgconfig and
# their headers in /usr/include.  ctest runs every test through
# CMAKE_CROSSCOMPILING_EMULATOR.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${MNET_CROSS_PROCESSOR})

set(CMAKE_C_COMPILER ${MNET_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${MNET_CROSS_TRIPLE}-g++)

# headers and libraries of the target, never the host's x86 ones
set(CMAKE_FIND_ROOT_PATH /usr/${MNET_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_LIBRARY_ARCHITECTURE ${MNET_CROSS_TRIPLE})

# pkg-config: only the target's .pc files (plus arch-independent ones)
set(ENV{PKG_CONFIG_LIBDIR}
	"/usr/lib/${MNET_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# The cross libc (libc6-*-cross, in /usr/TRIPLE/lib) and the multiarch
# libc6 that libcunit1 pulls in (/lib/TRIPLE) are different builds; the
# dynamic loader from -L must find its own libc first, else ld.so and
# libc.so mismatch and pthread_create hangs.  Hence LD_LIBRARY_PATH points
# at the cross libc (CUnit and stb still come from the multiarch
# directories).
set(CMAKE_CROSSCOMPILING_EMULATOR ${MNET_CROSS_QEMU};-L;/usr/${MNET_CROSS_TRIPLE};-E;
	LD_LIBRARY_PATH=/usr/${MNET_CROSS_TRIPLE}/lib)
