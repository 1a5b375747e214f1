# The fuzz build (preset fuzz, Debian's clang with libFuzzer; docs/reliability.md): the scenario
# reader's fuzz target on the model core, and the results readers' on the engine (HDF5), under
# AddressSanitizer and UndefinedBehaviorSanitizer. ctest --preset fuzz runs each for a bounded
# time from the committed corpus (fuzz/corpus/).
find_package(tomlplusplus 3 REQUIRED)
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(TBB REQUIRED)
find_package(HDF5 REQUIRED COMPONENTS C)
find_package(ZLIB REQUIRED)
find_package(Boost 1.74 REQUIRED)
set(_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
add_compile_options(-fsanitize=fuzzer-no-link ${_sanitizers})
add_link_options(${_sanitizers})

add_subdirectory(sim)
add_subdirectory(models)

add_executable(scenario_fuzzer ${PROJECT_SOURCE_DIR}/fuzz/scenario_fuzzer.cpp)
target_link_libraries(scenario_fuzzer PRIVATE attachsim::model_core attachsim_warnings)
target_link_options(scenario_fuzzer PRIVATE -fsanitize=fuzzer)

add_executable(results_fuzzer ${PROJECT_SOURCE_DIR}/fuzz/results_fuzzer.cpp)
target_link_libraries(results_fuzzer PRIVATE attachsim::sim hdf5::hdf5 attachsim_warnings)
target_link_options(results_fuzzer PRIVATE -fsanitize=fuzzer)

enable_testing()
# A bounded run in CI: the corpus is copied, so new inputs found go to the build tree, not the
# repository; a crash, sanitizer report, leak or timeout fails the test.
set(ATTACHSIM_FUZZ_SECONDS 60 CACHE STRING "seconds per fuzz target in ctest")
add_test(NAME fuzz_scenario COMMAND ${CMAKE_COMMAND} -E env
  sh -c "rm -rf corpus && cp -r '${PROJECT_SOURCE_DIR}/fuzz/corpus/scenario' corpus && \
exec '$<TARGET_FILE:scenario_fuzzer>' -max_total_time=${ATTACHSIM_FUZZ_SECONDS} -timeout=10 \
-rss_limit_mb=2048 -print_final_stats=1 corpus")
set_tests_properties(fuzz_scenario PROPERTIES LABELS fuzz
                     TIMEOUT 600 WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
add_test(NAME fuzz_results COMMAND ${CMAKE_COMMAND} -E env
  sh -c "rm -rf results_corpus && cp -r '${PROJECT_SOURCE_DIR}/fuzz/corpus/results' results_corpus && \
exec '$<TARGET_FILE:results_fuzzer>' -max_total_time=${ATTACHSIM_FUZZ_SECONDS} -timeout=10 \
-rss_limit_mb=2048 -print_final_stats=1 results_corpus")
set_tests_properties(fuzz_results PROPERTIES LABELS fuzz
                     TIMEOUT 600 WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
