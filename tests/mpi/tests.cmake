# Tests of the MPI build (docs/hpc.md), label mpi. ATTACHSIM_SERIAL_BINARY (the preset sets it to
# the release build's attachsim) is the reference the MPI build must reproduce bit for bit; the
# test falls back to the MPI build in one process when it is missing.
set(ATTACHSIM_SERIAL_BINARY "" CACHE FILEPATH "serial attachsim to compare the MPI build with")
set(_serial "${ATTACHSIM_SERIAL_BINARY}")
if(_serial STREQUAL "")
  set(_serial "-")
endif()
add_test(NAME mpi_identity COMMAND /usr/bin/python3
  ${CMAKE_CURRENT_SOURCE_DIR}/mpi/identity_test.py $<TARGET_FILE:attachsim> ${_serial}
  ${CMAKE_CURRENT_BINARY_DIR}/mpi_identity)
set_tests_properties(mpi_identity PROPERTIES LABELS mpi TIMEOUT 900)
