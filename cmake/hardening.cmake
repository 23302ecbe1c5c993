# SPDX-License-Identifier: Apache-2.0
#
# hardening.cmake - leak checks for the failure-path suites, libFuzzer
# targets (included from tests_extra.cmake)
#
# -DMNET_FUZZ=ON (clang, together with -DMNET_SANITIZE=ON) builds
# tests/fuzz/fuzz_<target>.c as libFuzzer executables over a library compiled
# with coverage instrumentation (-fsanitize=fuzzer-no-link), plus the
# fuzz_seeds program that writes small seed inputs.  fuzz_image also
# compiles stb_image itself (tests/fuzz/fuzz_stb.c) so its decoder is covered.  They are not ctest
# entries: tools/ci/ci-hardening.sh runs each for a bounded time.

# The suites that exercise failure paths check for leaks under ASan even
# where the sanitizer stage turns leak detection off for the others (PoCL's
# own allocations); they pass with it on, PoCL included.
foreach(t test_opencl_faults test_concurrency test_memory_cap
		test_hostile_regress)
	if(TEST ${t})
		set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
			"ASAN_OPTIONS=detect_leaks=1")
	endif()
endforeach()

option(MNET_FUZZ "Build the libFuzzer targets (clang, with MNET_SANITIZE)" OFF)
if(NOT MNET_FUZZ)
	return()
endif()
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang" OR NOT MNET_SANITIZE)
	message(FATAL_ERROR "MNET_FUZZ needs clang and -DMNET_SANITIZE=ON")
endif()

target_compile_options(mnet_obj PRIVATE -fsanitize=fuzzer-no-link)
file(GLOB MNET_FUZZ_SRC CONFIGURE_DEPENDS tests/fuzz/fuzz_*.c)
list(REMOVE_ITEM MNET_FUZZ_SRC ${CMAKE_CURRENT_SOURCE_DIR}/tests/fuzz/fuzz_seeds.c
	${CMAKE_CURRENT_SOURCE_DIR}/tests/fuzz/fuzz_stb.c)
# the tuning-database parser arrives with the tuner (runtime/tune/tune_db.c)
if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/runtime/tune/tune_db.c)
	list(REMOVE_ITEM MNET_FUZZ_SRC
		${CMAKE_CURRENT_SOURCE_DIR}/tests/fuzz/fuzz_tune_db.c)
endif()
foreach(src ${MNET_FUZZ_SRC})
	get_filename_component(name ${src} NAME_WE)
	add_executable(${name} ${src})
	target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
	target_link_options(${name} PRIVATE -fsanitize=fuzzer)
	target_link_libraries(${name} PRIVATE mnet_obj)
endforeach()
# the decoder itself instrumented, not Debian's uninstrumented libstb
target_sources(fuzz_image PRIVATE tests/fuzz/fuzz_stb.c)
set_source_files_properties(tests/fuzz/fuzz_stb.c PROPERTIES COMPILE_OPTIONS
	"-Wno-unused-function;-Wno-sign-compare")
add_executable(fuzz_seeds tests/fuzz/fuzz_seeds.c)
target_link_libraries(fuzz_seeds PRIVATE PkgConfig::STB)
target_include_directories(fuzz_seeds PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/tests)
