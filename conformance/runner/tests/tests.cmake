# Unit tests of the runner library, end-to-end runs against the bundled reference shim/peers,
# the mutant peers (each must FAIL exactly the cases that name its fault), small misbehaving
# peers (robustness), and the requirement traceability checks.
file(GLOB PNC_RUNNER_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/tests/*_test.cpp)
foreach(test_source IN LISTS PNC_RUNNER_TESTS)
  get_filename_component(test_name "${test_source}" NAME_WE)
  add_executable(pnc_runner_${test_name} "${test_source}")
  target_compile_definitions(pnc_runner_${test_name} PRIVATE
    PNC_VECTORS_DIR="${PNC_VECTORS_DIR}"
    PNC_PROTOCOL_MD="${PROJECT_SOURCE_DIR}/docs/PROTOCOL.md"
    PNC_REQUIREMENTS_FILE="${CMAKE_CURRENT_SOURCE_DIR}/requirements.json"
    PNC_REF_SHIM="$<TARGET_FILE:pnc-ref-shim>"
    PNC_RUNNER_TEST_DIR="${CMAKE_CURRENT_SOURCE_DIR}/tests")
  if(TARGET pnc-ref-challenge)
    target_compile_definitions(pnc_runner_${test_name} PRIVATE
      PNC_REF_CHALLENGE="$<TARGET_FILE:pnc-ref-challenge>"
      PNC_REF_VALIDATOR="$<TARGET_FILE:pnc-ref-validator>")
    add_dependencies(pnc_runner_${test_name} pnc-ref-challenge pnc-ref-validator)
  endif()
  add_dependencies(pnc_runner_${test_name} pnc-ref-shim)
  target_link_libraries(pnc_runner_${test_name} PRIVATE pnc_conformance_runner GTest::gtest_main pnc_warnings)
  gtest_discover_tests(pnc_runner_${test_name} TEST_PREFIX "conformance.runner." DISCOVERY_TIMEOUT 120
                       PROPERTIES TIMEOUT 300)
endforeach()

# The reference shim passes every golden vector and every vector file, in every profile, with no
# expectations file (a group type the runner does not map yet would be a visible runner gap).
foreach(profile seed-spec sdk-compat hardened)
  add_test(NAME conformance.runner.shim.${profile}
    COMMAND pnc-conformance run --target shim --cmd $<TARGET_FILE:pnc-ref-shim> --profile ${profile}
            --timeout-ms 60000
            --report-dir ${CMAKE_CURRENT_BINARY_DIR}/reports/shim-${profile} --quiet)
endforeach()

# Traceability: the committed requirements file matches docs/PROTOCOL.md, and every requirement
# is covered by a case or excepted with a reason.
add_test(NAME conformance.runner.requirements_drift COMMAND pnc-conformance requirements --check)
add_test(NAME conformance.runner.coverage COMMAND pnc-conformance coverage --check)
