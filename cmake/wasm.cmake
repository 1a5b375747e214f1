# The explorer build (preset wasm, Emscripten; docs/explorer.md): the model core
# (attachsim_sim_core, attachsim_model_core) compiled to WebAssembly, and explorer.html around it.
# No oneTBB, HDF5, Boost or MPI: the core does not need them, and the build proves it.
#
# Debian's header-only toml++ and Random123 live in /usr/include, outside Emscripten's sysroot;
# adding /usr/include itself would bring glibc's headers, so links to just those two folders are
# staged in the build tree.
set(_staged ${CMAKE_BINARY_DIR}/host-include)
file(MAKE_DIRECTORY ${_staged})
foreach(dir toml++ Random123)
  if(NOT EXISTS /usr/include/${dir})
    message(FATAL_ERROR "/usr/include/${dir} not found: bash scripts/setup.sh installs it")
  endif()
  file(CREATE_LINK /usr/include/${dir} ${_staged}/${dir} SYMBOLIC)
endforeach()
add_library(attachsim_toml_headers INTERFACE)
target_include_directories(attachsim_toml_headers SYSTEM INTERFACE ${_staged})
target_compile_definitions(attachsim_toml_headers INTERFACE TOML_HEADER_ONLY=1)
add_library(tomlplusplus::tomlplusplus ALIAS attachsim_toml_headers)
set(RANDOM123_INCLUDE_DIR ${_staged})

# Emscripten compiles exceptions out unless asked; the core reports bad input by throwing.
add_compile_options(-fexceptions)
add_link_options(-fexceptions)

find_file(ATTACHSIM_CHART_JS chart.min.js PATHS /usr/share/javascript/chart.js NO_DEFAULT_PATH
          NO_CMAKE_FIND_ROOT_PATH)
if(NOT ATTACHSIM_CHART_JS)
  message(FATAL_ERROR "Chart.js not found (/usr/share/javascript/chart.js/chart.min.js): "
                      "bash scripts/setup.sh installs libjs-chart.js")
endif()

add_subdirectory(sim)
add_subdirectory(models)
add_subdirectory(apps/explorer)

# core_check as a Node program: the core alone in WebAssembly, printing the checksums the native
# core_check and attachsim run print (ctest core_check_wasm, docs/explorer.md).
add_executable(core_check ${PROJECT_SOURCE_DIR}/apps/core_check/core_check.cpp)
target_link_libraries(core_check PRIVATE attachsim::model_core attachsim_warnings)
set_target_properties(core_check PROPERTIES SUFFIX ".js")
target_link_options(core_check PRIVATE -sSINGLE_FILE=1 -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node)
