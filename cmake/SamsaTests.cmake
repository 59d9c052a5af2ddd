# The C tests. Those that need a Kafka cluster run under bindings/testing/samsa_test_cluster.py, which starts
# the embedded test cluster (src/Samsa.TestCluster, built here), creates their topic and passes
# SAMSA_BOOTSTRAP_SERVERS / SAMSA_TEST_TOPIC. A test returning 77 is skipped.
find_package(Threads REQUIRED)
if(NOT Python3_Interpreter_FOUND)
    message(FATAL_ERROR "The tests need python3 (the test cluster harness and the ABI check)")
endif()

set(SAMSA_TEST_CLUSTER_HOST "${CMAKE_SOURCE_DIR}/src/Samsa.TestCluster/bin/Release/net10.0/Samsa.TestCluster.dll")
file(GLOB_RECURSE SAMSA_TEST_CLUSTER_SOURCES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/src/Samsa.TestCluster/*.cs")
list(FILTER SAMSA_TEST_CLUSTER_SOURCES EXCLUDE REGEX "/(bin|obj)/")
add_custom_command(
    OUTPUT "${SAMSA_TEST_CLUSTER_HOST}"
    COMMAND "${DOTNET_EXECUTABLE}" build src/Samsa.TestCluster -c Release -warnaserror -nologo
    WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}"
    DEPENDS ${SAMSA_TEST_CLUSTER_SOURCES}
    COMMENT "Building the test cluster host"
    VERBATIM)
add_custom_target(samsa_test_cluster ALL DEPENDS "${SAMSA_TEST_CLUSTER_HOST}")
add_dependencies(samsa_test_cluster samsa_header_generator) # one dotnet build at a time (shared outputs)

set(SAMSA_HARNESS "${CMAKE_SOURCE_DIR}/bindings/testing/samsa_test_cluster.py")

# The secure front host (TLS, mutual TLS, SASL in front of the plaintext cluster) for the --secure tests.
set(SAMSA_SECURE_FRONT_HOST "${CMAKE_SOURCE_DIR}/tests/Samsa.SecureFrontHost/bin/Release/net10.0/Samsa.SecureFrontHost.dll")
file(GLOB_RECURSE SAMSA_SECURE_FRONT_SOURCES CONFIGURE_DEPENDS
    "${CMAKE_SOURCE_DIR}/tests/Samsa.SecureFrontHost/*.cs" "${CMAKE_SOURCE_DIR}/tests/Samsa.TestSupport/*.cs")
list(FILTER SAMSA_SECURE_FRONT_SOURCES EXCLUDE REGEX "/(bin|obj)/")
add_custom_command(
    OUTPUT "${SAMSA_SECURE_FRONT_HOST}"
    COMMAND "${DOTNET_EXECUTABLE}" build tests/Samsa.SecureFrontHost -c Release -warnaserror -nologo
    WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}"
    DEPENDS ${SAMSA_SECURE_FRONT_SOURCES}
    COMMENT "Building the secure front host"
    VERBATIM)
add_custom_target(samsa_secure_front ALL DEPENDS "${SAMSA_SECURE_FRONT_HOST}")
add_dependencies(samsa_secure_front samsa_test_cluster)

function(samsa_c_test name)
    cmake_parse_arguments(T "SECURE" "TOPIC" "HARNESS_ARGS" ${ARGN})
    add_executable(${name} bindings/c/tests/${name}.c)
    set_target_properties(${name} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
    target_compile_options(${name} PRIVATE -Wall -Wextra -Werror -pedantic)
    target_link_libraries(${name} PRIVATE Samsa::samsa Threads::Threads)
    if(T_TOPIC AND T_SECURE)
        add_test(NAME c_${name}
            COMMAND "${Python3_EXECUTABLE}" "${SAMSA_HARNESS}" --host "${SAMSA_TEST_CLUSTER_HOST}" --topic ${T_TOPIC}
                    --secure --secure-host "${SAMSA_SECURE_FRONT_HOST}" -- $<TARGET_FILE:${name}>)
    elseif(T_TOPIC)
        add_test(NAME c_${name}
            COMMAND "${Python3_EXECUTABLE}" "${SAMSA_HARNESS}" --host "${SAMSA_TEST_CLUSTER_HOST}" --topic ${T_TOPIC} ${T_HARNESS_ARGS}
                    -- $<TARGET_FILE:${name}>)
    else()
        add_test(NAME c_${name} COMMAND ${name})
    endif()
    set_tests_properties(c_${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endfunction()

samsa_c_test(test_api_errors)
samsa_c_test(test_producer TOPIC ctest-producer:3)
samsa_c_test(test_roundtrip TOPIC ctest-roundtrip:1)
samsa_c_test(test_security TOPIC ctest-security:3 SECURE)
samsa_c_test(test_admin TOPIC ctest-admin:2)
samsa_c_test(test_consumer TOPIC ctest-consumer:4)
samsa_c_test(test_group_consumer TOPIC ctest-group:3 HARNESS_ARGS --rebalance-delay 0)
samsa_c_test(test_consumer_errors)

# samsa.h compiles as C99 and C++17, and declares exactly what the library exports.
add_test(NAME abi_header_and_symbols
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_SOURCE_DIR}/bindings/c/tests/check_abi.py" "${SAMSA_INCLUDE_DIR}" "${SAMSA_LIBRARY}"
            "${CMAKE_C_COMPILER}" "${CMAKE_CXX_COMPILER}")

# The library's methods are laid out by src/Samsa.Native/libsamsa.order (hot code packed, less resident memory), and
# that file still names them (bench/layout/run.sh regenerates it).
add_test(NAME libsamsa_code_layout
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_SOURCE_DIR}/bindings/c/tests/check_layout.py"
            "${CMAKE_SOURCE_DIR}/src/Samsa.Native/libsamsa.order" "${SAMSA_NATIVE_DIR}/libsamsa.so.dbg")

# include/samsa.h is what the generator writes from the assembly (no hand edits).
add_test(NAME abi_header_generated
    COMMAND "${DOTNET_EXECUTABLE}" "${SAMSA_HEADER_GENERATOR}" --check --assembly "${SAMSA_IL_ASSEMBLY}" --output "${SAMSA_INCLUDE_DIR}/samsa.h")

# The Python bindings' tests, with the library just built.
add_test(NAME python_bindings
    COMMAND "${Python3_EXECUTABLE}" -m pytest -q bindings/python/tests
    WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}")
set_tests_properties(python_bindings PROPERTIES
    ENVIRONMENT "SAMSA_LIBRARY=${SAMSA_LIBRARY};SAMSA_TEST_CLUSTER_HOST=${SAMSA_TEST_CLUSTER_HOST};SAMSA_SECURE_FRONT_HOST=${SAMSA_SECURE_FRONT_HOST}"
    TIMEOUT 900)

# `cmake --install` gives a usable package: header, library, pkg-config file, CMake package config.
add_test(NAME install_package
    COMMAND "${CMAKE_COMMAND}" -DBINARY_DIR=${CMAKE_BINARY_DIR} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DC_COMPILER=${CMAKE_C_COMPILER}
            -P "${CMAKE_SOURCE_DIR}/cmake/SamsaInstallTest.cmake")
