# The model core alone, serially (core_check), gives each arm the checksum the command line's
# parallel run prints with --verbose: the same code on both sides of the core boundary.
# cmake -DATTACHSIM=... -DCORE_CHECK=... -DOUT=... -DSCENARIO=... -DDYADS=... -P core_check.cmake
execute_process(COMMAND ${ATTACHSIM} run ${SCENARIO} --dyads ${DYADS} --threads 2 --no-progress
                        --verbose -o ${OUT}
                OUTPUT_VARIABLE cli RESULT_VARIABLE cli_rc)
execute_process(COMMAND ${CORE_CHECK} ${SCENARIO} scenario.dyads=${DYADS}
                OUTPUT_VARIABLE core RESULT_VARIABLE core_rc)
if(NOT cli_rc EQUAL 0 OR NOT core_rc EQUAL 0)
  message(FATAL_ERROR "attachsim run exited ${cli_rc}, core_check ${core_rc}")
endif()
string(REGEX MATCHALL "checksum [^\n]*" cli_sums "${cli}")
string(REGEX MATCHALL "checksum [^\n]*" core_sums "${core}")
list(LENGTH cli_sums n)
if(n EQUAL 0)
  message(FATAL_ERROR "attachsim run --verbose printed no checksum:\n${cli}")
endif()
if(NOT cli_sums STREQUAL core_sums)
  message(FATAL_ERROR "checksums differ:\n  attachsim run: ${cli_sums}\n  core_check:    ${core_sums}")
endif()
message(STATUS "${n} arm(s) agree: ${core_sums}")
