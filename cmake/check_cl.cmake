# SPDX-License-Identifier: Apache-2.0
#
# check_cl.cmake - compile every kernel with clang's OpenCL front end over
# the legal values of its common macros (a test; no device needed)
#
# Run as: cmake -DCLANG=/usr/bin/clang -DDIR=cl_kernels -P check_cl.cmake

file(GLOB kernels ${DIR}/*.cl)
set(combos
	"-DVW=2 -DACT=0"
	"-DVW=4 -DACT=1"
	"-DVW=8 -DACT=2"
	"-DVW=16 -DACT=2"
	"-DVW=4 -DACT=2 -DSTORAGE_HALF=1"
	"-DVW=16 -DACT=1 -DSTORAGE_HALF=1 -DIN_VEC=1"
	"-DVW=8 -DACT=2 -DMATH_HALF=1 -Xclang -cl-ext=+cl_khr_fp16"
	"-DVW=4 -DACT=0 -DMATH_HALF=1 -DIN_VEC=1 -Xclang -cl-ext=+cl_khr_fp16")
set(failed 0)
foreach(k ${kernels})
	foreach(c ${combos})
		separate_arguments(args UNIX_COMMAND "${c}")
		execute_process(COMMAND ${CLANG} -x cl -cl-std=CL1.2 -fsyntax-only
				-Werror -include ${DIR}/common.h ${args} ${k}
			RESULT_VARIABLE rc ERROR_VARIABLE out)
		if(NOT rc EQUAL 0)
			message("${k} [${c}]:\n${out}")
			math(EXPR failed "${failed} + 1")
		endif()
	endforeach()
endforeach()
if(failed)
	message(FATAL_ERROR "${failed} kernel/option combinations do not compile")
endif()
list(LENGTH kernels n)
message("all ${n} kernels compile with every option set")
