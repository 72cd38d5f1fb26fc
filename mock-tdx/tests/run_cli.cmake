# Runs pnc-mock-tdx once and checks its exit status and output (cmake -P, registered by
# tests/CMakeLists.txt). Variables:
#   CLI        path of pnc-mock-tdx
#   ARGS       its arguments, separated by '|'
#   EXPECT_RC  zero (default) | nonzero
#   OUT_REGEX  a regex stdout must match;  ERR_REGEX  one stderr must match
#   CHECK      nothing, or one of:
#     text-file  stdout == the content of FILE
#     v8-b64     stdout == V8.quote_b64 of VECTORS, plus a newline
#     v8-raw     SHA-256 of the raw stdout bytes == V8.quote_sha256
#     v8-hex     stdout == the hex of the raw quote (a second run with --format raw), whose SHA-256
#                is V8.quote_sha256
#     v8-json    stdout is the bundle {"quote", "event_log", "rtmrs"} of golden V8
cmake_minimum_required(VERSION 3.25)

string(REPLACE "|" ";" argv "${ARGS}")
set(out_file "${CMAKE_CURRENT_BINARY_DIR}/run_cli_${TEST_NAME}.out")
execute_process(COMMAND "${CLI}" ${argv} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)

if(NOT DEFINED EXPECT_RC OR EXPECT_RC STREQUAL "zero")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "exit status ${rc}, expected 0\nstdout: ${out}\nstderr: ${err}")
  endif()
else()
  if(rc EQUAL 0 OR NOT rc MATCHES "^[0-9]+$")
    message(FATAL_ERROR "exit status '${rc}', expected a non-zero status\nstdout: ${out}\nstderr: ${err}")
  endif()
endif()
if(DEFINED OUT_REGEX AND NOT out MATCHES "${OUT_REGEX}")
  message(FATAL_ERROR "stdout does not match '${OUT_REGEX}':\n${out}")
endif()
if(DEFINED ERR_REGEX AND NOT err MATCHES "${ERR_REGEX}")
  message(FATAL_ERROR "stderr does not match '${ERR_REGEX}':\n${err}")
endif()

if(CHECK MATCHES "^v8-")
  file(READ "${VECTORS}" vectors)
  string(JSON golden_b64 GET "${vectors}" V8 quote_b64)
  string(JSON golden_sha GET "${vectors}" V8 quote_sha256)
  string(JSON golden_log GET "${vectors}" V8 event_log)
  string(JSON golden_rtmrs GET "${vectors}" V8 rtmrs)
endif()

# The raw quote of the same arguments with --format raw, into a file (binary-safe).
function(raw_run result_var)
  set(raw_args "${argv}")
  list(FIND raw_args "--format" at)
  if(at GREATER -1)
    math(EXPR value_at "${at} + 1")
    list(REMOVE_AT raw_args ${value_at})
    list(INSERT raw_args ${value_at} "raw")
  else()
    list(APPEND raw_args "--format" "raw")
  endif()
  execute_process(COMMAND "${CLI}" ${raw_args} RESULT_VARIABLE raw_rc OUTPUT_FILE "${out_file}")
  if(NOT raw_rc EQUAL 0)
    message(FATAL_ERROR "raw run failed with ${raw_rc}")
  endif()
  file(SHA256 "${out_file}" sha)
  if(NOT sha STREQUAL golden_sha)
    message(FATAL_ERROR "SHA-256 of the raw quote ${sha} != golden V8 ${golden_sha}")
  endif()
  file(READ "${out_file}" hex HEX)
  set(${result_var} "${hex}" PARENT_SCOPE)
endfunction()

if(CHECK STREQUAL "text-file")
  file(READ "${FILE}" expected)
  if(NOT out STREQUAL expected)
    message(FATAL_ERROR "stdout differs from ${FILE}:\n${out}")
  endif()
elseif(CHECK STREQUAL "v8-b64")
  if(NOT out STREQUAL "${golden_b64}\n")
    message(FATAL_ERROR "stdout is not golden V8 quote_b64:\n${out}")
  endif()
elseif(CHECK STREQUAL "v8-raw")
  raw_run(hex)
elseif(CHECK STREQUAL "v8-hex")
  raw_run(hex)
  if(NOT out STREQUAL "${hex}\n")
    message(FATAL_ERROR "hex output is not the hex of the golden V8 quote:\n${out}")
  endif()
elseif(CHECK STREQUAL "v8-json")
  string(JSON quote GET "${out}" quote)
  string(JSON log GET "${out}" event_log)
  string(JSON rtmrs GET "${out}" rtmrs)
  string(JSON members LENGTH "${out}")
  string(JSON rtmrs_equal EQUAL "${rtmrs}" "${golden_rtmrs}")
  if(NOT quote STREQUAL golden_b64 OR NOT log STREQUAL golden_log OR NOT rtmrs_equal OR NOT members EQUAL 3)
    message(FATAL_ERROR "JSON bundle differs from golden V8:\n${out}")
  endif()
elseif(DEFINED CHECK AND NOT CHECK STREQUAL "")
  message(FATAL_ERROR "unknown CHECK ${CHECK}")
endif()
