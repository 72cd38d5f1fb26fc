# Regenerates every vector file into OUT and fails unless the result is byte-identical to the
# committed files in COMMITTED (same file set, same bytes). Run by ctest as
# vectors.regenerate_identical; the fix for a failure is `cmake --build <dir> --target
# pnc_vectors_regenerate` and committing the result together with the generator change.
foreach(var GEN GOLDEN RFC COMMITTED OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "regenerate_check.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
execute_process(COMMAND "${GEN}" "${GOLDEN}" "${RFC}" "${OUT}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "generator failed (${rc}):\n${out}\n${err}")
endif()

file(GLOB committed RELATIVE "${COMMITTED}" "${COMMITTED}/*.json")
file(GLOB generated RELATIVE "${OUT}" "${OUT}/*.json")
list(SORT committed)
list(SORT generated)
if(NOT committed STREQUAL generated)
  message(FATAL_ERROR "file sets differ:\n committed: ${committed}\n generated: ${generated}")
endif()
set(diffs "")
foreach(name IN LISTS generated)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${OUT}/${name}" "${COMMITTED}/${name}" RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    list(APPEND diffs "${name}")
  endif()
endforeach()
if(diffs)
  message(FATAL_ERROR "regenerated files differ from the committed ones: ${diffs}\n"
                      "(diff -r ${OUT} ${COMMITTED})")
endif()
list(LENGTH generated n)
message(STATUS "all ${n} vector files regenerate byte-identically")
