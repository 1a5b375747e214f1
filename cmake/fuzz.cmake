# The fuzz build (preset fuzz, Debian's clang with libFuzzer; docs/reliability.md): the scenario
# reader's fuzz target on the model core (no oneTBB, HDF5 or MPI needed), under AddressSanitizer
# and UndefinedBehaviorSanitizer. ctest --preset fuzz runs it for a bounded time from the
# committed corpus (fuzz/corpus/).
find_package(tomlplusplus 3 REQUIRED)
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
set(_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
add_compile_options(-fsanitize=fuzzer-no-link ${_sanitizers})
add_link_options(${_sanitizers})

add_subdirectory(sim)
add_subdirectory(models)

add_executable(scenario_fuzzer ${PROJECT_SOURCE_DIR}/fuzz/scenario_fuzzer.cpp)
target_link_libraries(scenario_fuzzer PRIVATE attachsim::model_core attachsim_warnings)
target_link_options(scenario_fuzzer PRIVATE -fsanitize=fuzzer)

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
