# Runner tests of the CLI-conventions work (issue 15), kept apart from tests.cmake.
# A --cmd SUT that exits at once: a named precondition failure within a second, its log kept.
add_test(NAME conformance.runner.sut_exits_at_once
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/sut_exits_at_once_test.sh $<TARGET_FILE:pnc-conformance>
          ${CMAKE_CURRENT_BINARY_DIR}/reports/sut_exits_at_once)
set_tests_properties(conformance.runner.sut_exits_at_once PROPERTIES TIMEOUT 120)

# Every case covers a requirement or is listed in cases_without_requirement with a reason (DEC-84).
add_test(NAME conformance.runner.every_case_traced
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/every_case_traced_test.sh $<TARGET_FILE:pnc-conformance>
          ${CMAKE_CURRENT_SOURCE_DIR}/requirements.json ${CMAKE_CURRENT_BINARY_DIR}/reports/every_case_traced)
set_tests_properties(conformance.runner.every_case_traced PROPERTIES TIMEOUT 120)

# certificate.html laid out by headless chromium (skipped when chromium is not installed).
add_test(NAME conformance.runner.certificate_in_browser
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/certificate_browser_test.sh $<TARGET_FILE:pnc-conformance>
          $<TARGET_FILE:pnc-ref-shim> ${CMAKE_CURRENT_BINARY_DIR}/reports/certificate_in_browser)
set_tests_properties(conformance.runner.certificate_in_browser PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
