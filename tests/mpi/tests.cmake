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

# The batch scripts of scripts/slurm/ on a real single-node Slurm started on localhost (slurm-wlm
# and munge; scripts/setup.sh --with-mpi installs them): submit, wait, check the output files.
# Exit 77 (skipped) only when not root or Slurm/munge are missing.
add_test(NAME slurm_batch COMMAND bash ${PROJECT_SOURCE_DIR}/tests/slurm/slurm_test.sh
  $<TARGET_FILE:attachsim>)
set_tests_properties(slurm_batch PROPERTIES LABELS mpi TIMEOUT 600 SKIP_RETURN_CODE 77)
