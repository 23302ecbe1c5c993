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
