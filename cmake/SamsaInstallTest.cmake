# CTest script (cmake -P): installs the build into a scratch prefix, checks what is installed (header, library,
# pkg-config and CMake package files), then builds the consumer example against the installed package twice,
# with pkg-config and with find_package(Samsa), and runs both (usage message, exit status 2: linked and loaded).
#   -DBINARY_DIR=<build dir> -DSOURCE_DIR=<repo> -DC_COMPILER=<cc>
set(prefix "${BINARY_DIR}/install-test/prefix")
set(work "${BINARY_DIR}/install-test/work")
file(REMOVE_RECURSE "${BINARY_DIR}/install-test")
file(MAKE_DIRECTORY "${work}")

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${ARGN} failed (${rc}):\n${out}\n${err}")
    endif()
    set(run_output "${out}" PARENT_SCOPE)
endfunction()

run("${CMAKE_COMMAND}" --install "${BINARY_DIR}" --prefix "${prefix}")
file(GLOB pc_files "${prefix}/lib*/pkgconfig/samsa.pc")
file(GLOB libs "${prefix}/lib*/libsamsa.so")
file(GLOB configs "${prefix}/lib*/cmake/Samsa/SamsaConfig.cmake")
file(GLOB versions "${prefix}/lib*/cmake/Samsa/SamsaConfigVersion.cmake")
foreach(what pc_files libs configs versions)
    if(NOT ${what})
        message(FATAL_ERROR "the install has no ${what}")
    endif()
endforeach()
if(NOT EXISTS "${prefix}/include/samsa.h")
    message(FATAL_ERROR "the install has no include/samsa.h")
endif()
get_filename_component(pc_dir "${pc_files}" DIRECTORY)

# pkg-config
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
run(pkg-config --cflags --libs samsa)
string(STRIP "${run_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run("${C_COMPILER}" -std=c99 -Wall -Wextra -Werror "${SOURCE_DIR}/bindings/c/examples/consumer.c" ${flags}
    "-Wl,-rpath,${prefix}/lib" -o "${work}/consumer_pkgconfig")
execute_process(COMMAND "${work}/consumer_pkgconfig" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "usage")
    message(FATAL_ERROR "the consumer example built with pkg-config did not run (${rc}): ${err}")
endif()

# find_package(Samsa)
run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}/bindings/c/tests/install_consumer" -B "${work}/cmake" "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DCMAKE_C_COMPILER=${C_COMPILER}" "-DSAMSA_EXAMPLE=${SOURCE_DIR}/bindings/c/examples/consumer.c")
run("${CMAKE_COMMAND}" --build "${work}/cmake")
execute_process(COMMAND "${work}/cmake/consumer_cmake" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "usage")
    message(FATAL_ERROR "the consumer example built with find_package(Samsa) did not run (${rc}): ${err}")
endif()
message(STATUS "installed package OK: pkg-config and find_package(Samsa) builds run")
