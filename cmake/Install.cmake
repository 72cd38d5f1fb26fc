# `cmake --install`: the tools, the vector files, the traceability file and the docs.
#   <prefix>/bin/                                   pnc-conformance, pnc-ref-challenge, pnc-ref-validator,
#                                                   pnc-ref-shim, pnc-mock-tdx, pnc-tdx, pnc-bench
#   <prefix>/share/challenge-conformance/vectors/   golden vectors and testvectors_v1/ (+ schemas)
#   <prefix>/share/challenge-conformance/requirements.json
#   <prefix>/share/challenge-conformance/examples/python/   the Python example shim
#   <prefix>/share/doc/challenge-conformance/       docs/ (PROTOCOL.md, DECISIONS.md, ...)
# An installed pnc-conformance finds its data relative to its own path (runner/src/app/data_paths),
# so the prefix may be moved after installation.
include(GNUInstallDirs)
set(PNC_SHARE_DIR "${CMAKE_INSTALL_DATADIR}/challenge-conformance")

set(PNC_INSTALLED_TOOLS pnc-conformance pnc-ref-challenge pnc-ref-validator pnc-ref-shim pnc-mock-tdx pnc-tdx pnc-bench)
foreach(tool IN LISTS PNC_INSTALLED_TOOLS)
  if(TARGET ${tool})
    install(TARGETS ${tool} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()

install(DIRECTORY ${PNC_VECTORS_DIR}/ DESTINATION ${PNC_SHARE_DIR}/vectors
        FILES_MATCHING PATTERN "*.json" PATTERN "*.md" PATTERN "*.pem"
        PATTERN "gen" EXCLUDE PATTERN "include" EXCLUDE PATTERN "oracle" EXCLUDE PATTERN "tests" EXCLUDE PATTERN "__pycache__" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/conformance/runner/requirements.json DESTINATION ${PNC_SHARE_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/conformance/runner/network_exceptions.json DESTINATION ${PNC_SHARE_DIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/conformance/shim/examples/python/ DESTINATION ${PNC_SHARE_DIR}/examples/python
        FILES_MATCHING PATTERN "*.py" PATTERN "*.md" PATTERN "__pycache__" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/conformance/shim/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/challenge-conformance
        RENAME shim-protocol.md)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/challenge-conformance
        FILES_MATCHING PATTERN "*.md" PATTERN "*.json" PATTERN "*.yml")

if(PNC_BUILD_TESTS)
  # The shared command-line conventions (cli/, DEC-81), once per installed binary (and pnc-selfcheck):
  # --help with examples exits 0, --version exits 0, an unknown flag exits 2 naming it.
  foreach(tool IN LISTS PNC_INSTALLED_TOOLS ITEMS pnc-selfcheck)
    if(TARGET ${tool})
      add_test(NAME cli.conventions.${tool}
               COMMAND sh ${PROJECT_SOURCE_DIR}/cli/tests/conventions_test.sh $<TARGET_FILE:${tool}>)
      set_tests_properties(cli.conventions.${tool} PROPERTIES TIMEOUT 60)
    endif()
  endforeach()
  # Renamed flags: the deprecated spellings still work, warn, and exclude their replacements (DEC-82).
  if(TARGET pnc-conformance AND TARGET pnc-ref-shim AND TARGET pnc-selfcheck AND TARGET pnc-bench)
    add_test(NAME cli.deprecated_aliases
             COMMAND sh ${PROJECT_SOURCE_DIR}/cli/tests/aliases_test.sh $<TARGET_FILE:pnc-conformance>
                     $<TARGET_FILE:pnc-ref-shim> $<TARGET_FILE:pnc-selfcheck> $<TARGET_FILE:pnc-bench>)
    set_tests_properties(cli.deprecated_aliases PROPERTIES TIMEOUT 120)
  endif()
  # Install into a temporary prefix, move it, run the installed runner against the installed shim.
  add_test(NAME install.prefix_run COMMAND ${PROJECT_SOURCE_DIR}/cmake/install-check ${PROJECT_BINARY_DIR})
  set_tests_properties(install.prefix_run PROPERTIES TIMEOUT 300)
endif()
