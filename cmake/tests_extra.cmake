# Labels for test selection: the accuracy suite runs every classifier over
# 200 photos, too slow to repeat under the sanitizers.
if(TEST test_accuracy)
	set_tests_properties(test_accuracy PROPERTIES LABELS slow)
endif()
