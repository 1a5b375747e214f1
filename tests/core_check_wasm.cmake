# The core compiled to WebAssembly (preset wasm), run by Node, prints every arm's checksum as the
# native core gives it: bit-identical results across compilers, libcs and instruction sets.
# cmake -DNODE=... -DWASM=... -DCORE_CHECK=... -DSCENARIO=... -DDYADS=... -P core_check_wasm.cmake
if(NOT EXISTS ${WASM})
  message("SKIP: ${WASM} is not built (cmake --preset wasm && cmake --build --preset wasm)")
  # ctest reads this line as the skip (SKIP_REGULAR_EXPRESSION)
  return()
endif()
execute_process(COMMAND ${NODE} ${WASM} ${SCENARIO} scenario.dyads=${DYADS}
                OUTPUT_VARIABLE wasm RESULT_VARIABLE wasm_rc)
execute_process(COMMAND ${CORE_CHECK} ${SCENARIO} scenario.dyads=${DYADS}
                OUTPUT_VARIABLE native RESULT_VARIABLE native_rc)
if(NOT wasm_rc EQUAL 0 OR NOT native_rc EQUAL 0)
  message(FATAL_ERROR "node core_check.js exited ${wasm_rc}, core_check ${native_rc}")
endif()
if(NOT wasm STREQUAL native OR wasm STREQUAL "")
  message(FATAL_ERROR "checksums differ:\n  WebAssembly: ${wasm}\n  native:      ${native}")
endif()
message(STATUS "WebAssembly and native agree:\n${native}")
