# Precompiled headers for the heavy third-party headers (DEC-69).
#
# Most translation units spend more time parsing nlohmann/json, GoogleTest, RapidCheck and
# Boost.Beast/Asio than their own code, and most targets here are one-file test executables, for
# which a PCH of their own would cost more than it saves. So a few "hub" targets each precompile
# one group of headers once, and every other target reuses a hub's PCH (REUSE_FROM):
#   pnc_pch_prop      RapidCheck + GoogleTest + json   targets that link rapidcheck
#   pnc_pch_test      GoogleTest + json                targets that link GTest
#   pnc_pch_json      json (+ common std headers)      other targets that link nlohmann_json
#   pnc_pch_json_pic  the same, -fPIC                  the reference modules, mock-tdx
# pnc_net precompiles Boost.Beast/Asio for its own sources. pnc_apply_precompiled_headers(),
# called once at the end of the top-level CMakeLists.txt, assigns the hubs by walking every target,
# so no part's CMakeLists.txt has to know about it.
#
# A PCH is used only with the exact flags it was built with; GCC's -Winvalid-pch (added by CMake)
# plus -Werror turns a mismatch into a build error instead of a silent slowdown. GCC only: clang
# (the fuzz builds) compiles without PCHs. -DPNC_PCH=OFF builds everything without them.
# ccache: caching compilations that use a PCH needs sloppiness pch_defines,time_macros; the
# compiler launcher below adds them to whatever the ccache configuration already says.

option(PNC_PCH "Precompile heavy third-party headers (json, gtest, rapidcheck, Beast)" ON)

set(PNC_PCH_ACTIVE OFF)
if(PNC_PCH AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  set(PNC_PCH_ACTIVE ON)
endif()

if(PNC_PCH_ACTIVE AND PNC_CCACHE AND CMAKE_CXX_COMPILER_LAUNCHER STREQUAL PNC_CCACHE)
  execute_process(COMMAND ${PNC_CCACHE} --get-config sloppiness
                  OUTPUT_VARIABLE pnc_sloppiness OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  string(REPLACE " " "" pnc_sloppiness "${pnc_sloppiness}")
  foreach(item pch_defines time_macros)
    if(NOT pnc_sloppiness MATCHES "(^|,)${item}(,|$)")
      if(pnc_sloppiness)
        string(APPEND pnc_sloppiness ",")
      endif()
      string(APPEND pnc_sloppiness "${item}")
    endif()
  endforeach()
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env "CCACHE_SLOPPINESS=${pnc_sloppiness}"
      ${PNC_CCACHE})
endif()

set(PNC_PCH_STD_HEADERS <algorithm> <array> <cstdint> <functional> <map> <memory> <optional>
    <span> <string> <string_view> <utility> <vector>)

# pnc_pch_hub(<name> [PIC] LINK <target>... HEADERS <header>...)
function(pnc_pch_hub name)
  cmake_parse_arguments(H "PIC" "" "LINK;HEADERS" ${ARGN})
  set(source "${CMAKE_BINARY_DIR}/pch/${name}.cpp")
  if(NOT EXISTS "${source}")
    file(WRITE "${source}" "// Precompiled-header hub (cmake/PrecompiledHeaders.cmake): no code.\n")
  endif()
  add_library(${name} OBJECT "${source}")
  target_link_libraries(${name} PRIVATE ${H_LINK} pnc_warnings)
  target_precompile_headers(${name} PRIVATE ${H_HEADERS} ${PNC_PCH_STD_HEADERS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ${H_PIC})
endfunction()

# Every library a target links, directly or through the INTERFACE_LINK_LIBRARIES of its
# dependencies (generator expressions dropped).
function(pnc_pch_link_closure target out)
  set(seen)
  set(todo ${target})
  while(todo)
    list(POP_FRONT todo t)
    if(NOT TARGET ${t} OR t IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${t})
    get_target_property(type ${t} TYPE)
    get_target_property(imported ${t} IMPORTED)
    set(libs)
    if(NOT type STREQUAL "INTERFACE_LIBRARY" AND NOT imported)
      get_target_property(direct ${t} LINK_LIBRARIES)
      if(direct)
        list(APPEND libs ${direct})
      endif()
    endif()
    get_target_property(iface ${t} INTERFACE_LINK_LIBRARIES)
    if(iface)
      list(APPEND libs ${iface})
    endif()
    foreach(l IN LISTS libs)
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" l "${l}")
      if(TARGET ${l})
        get_target_property(aliased ${l} ALIASED_TARGET)
        if(aliased)
          set(l ${aliased})
        endif()
        list(APPEND todo ${l})
      endif()
    endforeach()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

function(pnc_pch_targets_in dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    pnc_pch_targets_in(${sub} more)
    list(APPEND targets ${more})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

function(pnc_apply_precompiled_headers)
  if(NOT PNC_PCH_ACTIVE)
    return()
  endif()
  pnc_pch_targets_in(${PROJECT_SOURCE_DIR} targets)
  set(std_json nlohmann_json::nlohmann_json)
  pnc_pch_hub(pnc_pch_json LINK ${std_json} HEADERS <nlohmann/json.hpp>)
  pnc_pch_hub(pnc_pch_json_pic PIC LINK ${std_json} HEADERS <nlohmann/json.hpp>)
  if(PNC_BUILD_TESTS)
    # properties/ finds rapidcheck in its own scope; imported targets are visible only below the
    # directory that found them, so find it here too.
    find_package(rapidcheck CONFIG QUIET)
    pnc_pch_hub(pnc_pch_test LINK GTest::gtest ${std_json}
                HEADERS <gtest/gtest.h> <nlohmann/json.hpp>)
    if(TARGET rapidcheck)
      pnc_pch_hub(pnc_pch_prop LINK rapidcheck GTest::gtest ${std_json}
                  HEADERS <gtest/gtest.h> <rapidcheck.h> <rapidcheck/gtest.h> <nlohmann/json.hpp>)
    endif()
  endif()
  if(TARGET pnc_net)
    target_precompile_headers(pnc_net PRIVATE <boost/asio/io_context.hpp> <boost/asio/ip/tcp.hpp>
                              <boost/beast/core.hpp> <boost/beast/http.hpp> <boost/beast/websocket.hpp>
                              ${PNC_PCH_STD_HEADERS})
  endif()
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    if(NOT type MATCHES "^(EXECUTABLE|STATIC_LIBRARY|OBJECT_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY)$"
       OR t MATCHES "^pnc_pch_" OR t STREQUAL "pnc_net")
      continue()
    endif()
    get_target_property(sources ${t} SOURCES)
    if(NOT sources MATCHES "\\.(cpp|cc|cxx)(;|$)")
      continue()
    endif()
    pnc_pch_link_closure(${t} closure)
    get_target_property(pic ${t} POSITION_INDEPENDENT_CODE)
    if(NOT pic AND type MATCHES "^(SHARED|MODULE)_LIBRARY$")
      set(pic ON)
    endif()
    set(hub)
    if(pic)
      if(nlohmann_json::nlohmann_json IN_LIST closure AND NOT GTest::gtest IN_LIST closure)
        set(hub pnc_pch_json_pic)
      endif()
    elseif(rapidcheck IN_LIST closure AND GTest::gtest IN_LIST closure AND TARGET pnc_pch_prop)
      set(hub pnc_pch_prop)
    elseif((GTest::gtest IN_LIST closure OR GTest::gtest_main IN_LIST closure) AND TARGET pnc_pch_test)
      set(hub pnc_pch_test)
    elseif(nlohmann_json::nlohmann_json IN_LIST closure)
      set(hub pnc_pch_json)
    endif()
    if(hub)
      target_precompile_headers(${t} REUSE_FROM ${hub})
    endif()
  endforeach()
endfunction()
