# SPDX-License-Identifier: Apache-2.0
#
# opencl.cmake - the OpenCL backend: find the ICD loader, embed the kernels
#
# Included by CMakeLists.txt after the runtime/ glob.  Sets
# MNET_EXTRA_SRC / MNET_EXTRA_LIBS / MNET_EXTRA_DEFS / MNET_EXTRA_DEPS.
# Without OpenCL (MNET_OPENCL=OFF or no headers/loader) the OpenCL host
# files (runtime/cl/, runtime/opencl/, and the OpenCL parts of runtime/tune/:
# tuner*.c, cl_tune.c) are dropped from the build and the library simply has
# no OpenCL backend (runtime/tune/tune_db.c, the database, stays).

set(MNET_CL_HOST_REGEX "/runtime/(cl|opencl)/|/runtime/tune/(tuner[a-z0-9_]*|cl_tune)\\.c$")

if(MNET_OPENCL)
	find_package(OpenCL)
endif()

if(NOT MNET_OPENCL OR NOT OpenCL_FOUND)
	if(MNET_OPENCL)
		message(WARNING "OpenCL not found: building without the OpenCL backend")
	endif()
	list(FILTER MNET_RUNTIME_SRC EXCLUDE REGEX "${MNET_CL_HOST_REGEX}")
	return()
endif()

# Every kernel source and the common header become C strings at build time,
# so the library never looks for kernels on disk (MNET_CL_DIR can still
# override them at run time for kernel development).
file(GLOB MNET_CL_KERNELS CONFIGURE_DEPENDS
	${CMAKE_CURRENT_SOURCE_DIR}/cl_kernels/*.cl
	${CMAKE_CURRENT_SOURCE_DIR}/cl_kernels/*.h)
list(SORT MNET_CL_KERNELS)
set(MNET_CL_GEN ${CMAKE_CURRENT_BINARY_DIR}/generated/mnet_cl_sources.c)
add_custom_command(OUTPUT ${MNET_CL_GEN}
	COMMAND ${CMAKE_COMMAND} -DOUT=${MNET_CL_GEN}
		"-DSOURCES=${MNET_CL_KERNELS}"
		-P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_cl.cmake
	DEPENDS ${MNET_CL_KERNELS} ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed_cl.cmake
	COMMENT "Embedding OpenCL kernels"
	VERBATIM)
add_custom_target(mnet_cl_embed DEPENDS ${MNET_CL_GEN})

list(APPEND MNET_EXTRA_SRC ${MNET_CL_GEN})
list(APPEND MNET_EXTRA_LIBS OpenCL::OpenCL)
list(APPEND MNET_EXTRA_DEFS MNET_HAVE_OPENCL CL_TARGET_OPENCL_VERSION=120)
list(APPEND MNET_EXTRA_DEPS mnet_cl_embed)

# Every kernel through clang's OpenCL C front end with the legal values of
# its macros: catches a kernel that only breaks for some option set,
# without a device.  (add_test is recorded here and emitted once
# CMakeLists.txt enables testing in this directory.)
find_program(MNET_CLANG NAMES clang)
if(MNET_TESTS AND MNET_CLANG)
	add_test(NAME opencl_kernels_syntax
		COMMAND ${CMAKE_COMMAND} -DCLANG=${MNET_CLANG}
			-DDIR=${CMAKE_CURRENT_SOURCE_DIR}/cl_kernels
			-P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/check_cl.cmake)
endif()

# CLBlast (Debian libclblast-dev), optional: the GEMM variant of pwconv/fc
# layers that the tuner may choose (runtime/opencl/cl_gemm.c).  Not linked: the
# library is dlopen()ed by its soname when a session first wants the GEMM
# variant, because merely loading it (C++ runtime, static initialisers)
# adds about 6 MiB of resident memory to every process, CPU-only ones too.
find_path(MNET_CLBLAST_INCLUDE clblast_c.h)
find_library(MNET_CLBLAST_LIB clblast)
if(MNET_CLBLAST_INCLUDE AND MNET_CLBLAST_LIB)
	get_filename_component(real ${MNET_CLBLAST_LIB} REALPATH)
	get_filename_component(real ${real} NAME)
	if(real MATCHES "^(libclblast\\.so\\.[0-9]+)")
		set(MNET_CLBLAST_SONAME ${CMAKE_MATCH_1})
	else()
		set(MNET_CLBLAST_SONAME libclblast.so)
	endif()
	list(APPEND MNET_EXTRA_LIBS ${CMAKE_DL_LIBS})
	list(APPEND MNET_EXTRA_DEFS MNET_HAVE_CLBLAST
		MNET_CLBLAST_SONAME="${MNET_CLBLAST_SONAME}")
	message(STATUS "CLBlast: ${MNET_CLBLAST_SONAME}, loaded at run time")
else()
	message(STATUS "CLBlast not found: no GEMM variant for the tuner")
endif()
