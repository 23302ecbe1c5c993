# The accuracy suite runs every backend over 200 photos per model: one ctest
# entry per model so that they run in parallel, all labelled "slow" (too
# slow to repeat under the sanitizers).  The argument selects the models
# whose path contains it.
if(TEST test_accuracy)
	set_tests_properties(test_accuracy PROPERTIES DISABLED TRUE)
	foreach(m v1_0.25_128 v1_0.5_160 v1_0.75_192 v2_1.0_224_quant v2_tf2_ptq)
		set(sel "${m}")
		if(m STREQUAL "v2_1.0_224_quant")
			set(sel "models/mobilenet_v2_1.0_224_quant")
		elseif(m STREQUAL "v2_tf2_ptq")
			set(sel "tf2_mobilenet_v2")
		endif()
		add_test(NAME test_accuracy_${m} COMMAND test_accuracy ${sel})
		set_tests_properties(test_accuracy_${m} PROPERTIES LABELS slow
			TIMEOUT 900 SKIP_RETURN_CODE 77)
	endforeach()
endif()

include(${CMAKE_CURRENT_SOURCE_DIR}/cmake/hardening.cmake)

# the Keras-made files (CI makes them at reduced size): TFLite's reference
# kernels on Xception and VGG16 are too slow to repeat under the sanitizers
if(TEST test_keras_models)
	set_tests_properties(test_keras_models PROPERTIES LABELS slow)
endif()

# The longest suites first (ctest -j2 on a fresh checkout has no timings
# of its own yet): a long one started last would run alone at the end.
# Costs: seconds each took in a CI run on 2 cores.
foreach(tc test_opencl_variants:108 test_int8_tflite:65
		test_accuracy_v2_1.0_224_quant:48 test_accuracy_v2_tf2_ptq:47
		test_tuner:44 test_tools:39 test_opencl_faults:38
		test_validate:37 test_frame_opencl:36
		test_accuracy_v1_0.75_192:35 test_opencl_kernels:33)
	string(REPLACE ":" ";" tc "${tc}")
	list(GET tc 0 t)
	list(GET tc 1 c)
	if(TEST ${t})
		set_tests_properties(${t} PROPERTIES COST ${c})
	endif()
endforeach()
