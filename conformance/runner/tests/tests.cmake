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
    PNC_NETWORK_EXCEPTIONS_FILE="${CMAKE_CURRENT_SOURCE_DIR}/network_exceptions.json"
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

# The campaign's pure parts need the campaign library (and through it the reference peers' app).
target_link_libraries(pnc_runner_campaign_unit_test PRIVATE pnc_campaign)

# The reference shim passes every golden vector and every vector file, in every profile, with no
# expectations file (a group type the runner does not map yet would be a visible runner gap).
foreach(profile seed-spec sdk-compat hardened)
  add_test(NAME conformance.runner.shim.${profile}
    COMMAND pnc-conformance run --target shim --cmd $<TARGET_FILE:pnc-ref-shim> --profile ${profile}
            --timeout-ms 60000
            --report-dir ${CMAKE_CURRENT_BINARY_DIR}/reports/shim-${profile} --quiet)
  set_tests_properties(conformance.runner.shim.${profile} PROPERTIES FIXTURES_SETUP runner_shim_reports)
endforeach()

# report.json validates against docs/report.schema.json (Debian's python3-jsonschema): the three
# full shim runs above and a filtered run with a SUT description and a waiver.
add_test(NAME conformance.runner.report_schema
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/report_schema_test.sh $<TARGET_FILE:pnc-conformance>
          $<TARGET_FILE:pnc-ref-shim> ${PROJECT_SOURCE_DIR}/docs/report.schema.json
          ${CMAKE_CURRENT_BINARY_DIR}/reports/schema
          ${CMAKE_CURRENT_BINARY_DIR}/reports/shim-seed-spec/report.json
          ${CMAKE_CURRENT_BINARY_DIR}/reports/shim-sdk-compat/report.json
          ${CMAKE_CURRENT_BINARY_DIR}/reports/shim-hardened/report.json)
set_tests_properties(conformance.runner.report_schema PROPERTIES FIXTURES_REQUIRED runner_shim_reports)

# Traceability: the committed requirements file matches docs/PROTOCOL.md, and every requirement
# is covered by a case or excepted with a reason.
add_test(NAME conformance.runner.requirements_drift COMMAND pnc-conformance requirements --check)
add_test(NAME conformance.runner.coverage COMMAND pnc-conformance coverage --check)
# Network coverage: every requirement has a challenge/validator case or a written reason why it
# is not observable over the network (conformance/runner/network_exceptions.json).
add_test(NAME conformance.runner.network_coverage COMMAND pnc-conformance coverage --check)
set_tests_properties(conformance.runner.network_coverage PROPERTIES FAIL_REGULAR_EXPRESSION "NETWORK-GAP|stale network exception")

# Signed reports through the CLI: sign, verify (0), tamper one byte (1), bad key (2).
add_test(NAME conformance.runner.signed_report_cli
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/signed_report_cli_test.sh $<TARGET_FILE:pnc-conformance>
          $<TARGET_FILE:pnc-ref-shim> ${CMAKE_CURRENT_BINARY_DIR}/reports/signed)

# SIGTERM / SIGINT during a run against a challenge SUT started from --cmd: exit 143 / 130, a
# partial report marked interrupted, the SUT's process group gone and its port free.
if(TARGET pnc-ref-challenge)
  add_test(NAME conformance.runner.interrupt
    COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/tests/interrupt_test.py $<TARGET_FILE:pnc-conformance>
            $<TARGET_FILE:pnc-ref-challenge> ${CMAKE_CURRENT_BINARY_DIR}/reports/interrupt)
  set_tests_properties(conformance.runner.interrupt PROPERTIES TIMEOUT 180)
endif()

# Command-line conventions: --version, usage errors exit 2, unknown input members, glob warnings,
# --url with --cmd, --report-dir checked first, NO_COLOR, --quiet, --help.
foreach(check version usage_errors sut_unknown_member expectations_unknown_member expectations_glob_warning
        url_with_cmd report_dir_checked no_color quiet help)
  add_test(NAME conformance.runner.cli.${check}
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/cli_conventions_test.sh $<TARGET_FILE:pnc-conformance>
            $<TARGET_FILE:pnc-ref-shim> ${CMAKE_CURRENT_BINARY_DIR}/cli ${check})
endforeach()

# One test per "NAME PROFILE ..." line of LIST: NAME_PREFIX.NAME.PROFILE runs the test command
# (the remaining arguments) with DIR_PREFIXNAME-PROFILE, "mutant" and the line's fields in order
# (label campaign-mutant: the ASan preset skips them, they show detection, not memory safety).
function(pnc_mutant_list_tests list name_prefix dir_prefix)
  file(STRINGS ${list} lines REGEX "^[a-z]")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${list})
  foreach(line IN LISTS lines)
    separate_arguments(fields UNIX_COMMAND "${line}")
    list(GET fields 0 mutant)
    list(GET fields 1 profile)
    set(name ${name_prefix}.${mutant}.${profile})
    add_test(NAME ${name} COMMAND ${ARGN} ${dir_prefix}${mutant}-${profile} mutant ${fields})
    set_tests_properties(${name} PROPERTIES TIMEOUT 300 LABELS campaign-mutant)
  endforeach()
endfunction()

# Fuzz campaigns (docs/campaigns.md), small budgets, for one target (campaign_test.sh with PEER):
# the correct peer or shim gives no finding in RUNS_CORRECT executions in every profile
# (conformance.runner.campaign.<PREFIX>correct.<profile>); each "NAME PROFILE RUNS" line of LIST
# names a mutant whose finding comes within RUNS and replays (...<PREFIX>mutant.<name>.<profile>).
function(pnc_campaign_tests prefix peer runs_correct list)
  set(test_cmd sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/campaign_test.sh $<TARGET_FILE:pnc-conformance> ${peer})
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/campaign/${prefix})
  foreach(profile seed-spec sdk-compat hardened)
    set(name conformance.runner.campaign.${prefix}correct.${profile})
    add_test(NAME ${name} COMMAND ${test_cmd} ${dir}correct-${profile} correct ${profile} ${runs_correct})
    set_tests_properties(${name} PROPERTIES TIMEOUT 300)
  endforeach()
  pnc_mutant_list_tests(${list} conformance.runner.campaign.${prefix}mutant ${dir}mutant- ${test_cmd})
endfunction()

# The bundled challenge peer (campaign_mutants.txt); a malformed finding file exits 2; --help.
if(TARGET pnc-ref-challenge)
  pnc_campaign_tests("" $<TARGET_FILE:pnc-ref-challenge> 400 ${CMAKE_CURRENT_SOURCE_DIR}/tests/campaign_mutants.txt)
  foreach(check malformed help)
    add_test(NAME conformance.runner.campaign.${check}
      COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/campaign_test.sh $<TARGET_FILE:pnc-conformance>
              $<TARGET_FILE:pnc-ref-challenge> ${CMAKE_CURRENT_BINARY_DIR}/campaign/${check} ${check})
  endforeach()
endif()
# The bundled validator (fuzz --target validator, campaign_validator_mutants.txt); misuse exits 2.
if(TARGET pnc-ref-validator)
  pnc_campaign_tests("validator." $<TARGET_FILE:pnc-ref-validator> 40 ${CMAKE_CURRENT_SOURCE_DIR}/tests/campaign_validator_mutants.txt)
  add_test(NAME conformance.runner.campaign.validator.usage
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/campaign_test.sh $<TARGET_FILE:pnc-conformance> $<TARGET_FILE:pnc-ref-validator>
            ${CMAKE_CURRENT_BINARY_DIR}/campaign/validator-usage validator-usage)
endif()
# The reference shim (fuzz --target shim, campaign_shim_mutants.txt); misuse exits 2.
pnc_campaign_tests("shim." $<TARGET_FILE:pnc-ref-shim> 2000 ${CMAKE_CURRENT_SOURCE_DIR}/tests/campaign_shim_mutants.txt)
add_test(NAME conformance.runner.campaign.shim.usage
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/campaign_test.sh $<TARGET_FILE:pnc-conformance> $<TARGET_FILE:pnc-ref-shim>
          ${CMAKE_CURRENT_BINARY_DIR}/campaign/shim-usage shim-usage)
# Properties against the reference shim (pnc-conformance properties, properties_test.sh): the
# correct shim passes every property in every profile; each "NAME PROFILE PROPERTY RUNS" line of
# property_shim_mutants.txt names a mutant that exactly PROPERTY catches (label campaign-mutant).
set(pnc_props_test sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/properties_test.sh $<TARGET_FILE:pnc-conformance> $<TARGET_FILE:pnc-ref-shim>)
foreach(profile seed-spec sdk-compat hardened)
  add_test(NAME conformance.runner.properties.shim.correct.${profile}
           COMMAND ${pnc_props_test} ${CMAKE_CURRENT_BINARY_DIR}/properties/correct-${profile} correct ${profile} 200)
  set_tests_properties(conformance.runner.properties.shim.correct.${profile} PROPERTIES TIMEOUT 300)
endforeach()
add_test(NAME conformance.runner.properties.shim.usage
         COMMAND ${pnc_props_test} ${CMAKE_CURRENT_BINARY_DIR}/properties/usage usage)
pnc_mutant_list_tests(${CMAKE_CURRENT_SOURCE_DIR}/tests/property_shim_mutants.txt conformance.runner.properties.shim.mutant
                      ${CMAKE_CURRENT_BINARY_DIR}/properties/mutant- ${pnc_props_test})
# Properties over live sessions with a bundled peer (live_properties_test.sh): the correct peer
# passes every live property of its target in every profile; each "NAME PROFILE RUNS PROPERTY..."
# line of a mutant list names a mutant and exactly the properties that fail against it.
function(pnc_live_property_tests target peer runs list)
  set(test_cmd sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/live_properties_test.sh $<TARGET_FILE:pnc-conformance> ${peer} ${target})
  set(prefix conformance.runner.properties.live)
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/properties/live-)
  if(NOT target STREQUAL "challenge")
    set(prefix ${prefix}.${target})
    set(dir ${dir}${target}-)
  endif()
  foreach(profile seed-spec sdk-compat hardened)
    add_test(NAME ${prefix}.correct.${profile} COMMAND ${test_cmd} ${dir}correct-${profile} correct ${profile} ${runs})
    set_tests_properties(${prefix}.correct.${profile} PROPERTIES TIMEOUT 300)
  endforeach()
  add_test(NAME ${prefix}.usage COMMAND ${test_cmd} ${dir}usage usage)
  pnc_mutant_list_tests(${list} ${prefix}.mutant ${dir}mutant- ${test_cmd})
endfunction()
pnc_live_property_tests(challenge $<TARGET_FILE:pnc-ref-challenge> 50 ${CMAKE_CURRENT_SOURCE_DIR}/tests/property_live_mutants.txt)
pnc_live_property_tests(validator $<TARGET_FILE:pnc-ref-validator> 20
                        ${CMAKE_CURRENT_SOURCE_DIR}/tests/property_validator_mutants.txt)
# run --tdx dstack against a fake guest agent (conformance/providers/tests/fake_dstack_agent.hpp).
target_link_libraries(pnc_runner_host_tdx_test PRIVATE pnc_quote_provider_fakes pnc::mock_tdx)
