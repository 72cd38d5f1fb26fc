// Campaign verdicts as a JUnit XML file for CI, through `run`'s writer (report/junit.cpp): one
// <testcase> per property (`properties --junit`) or per finding (`fuzz --junit`).
#pragma once

#include <string>

#include "core/engine.hpp"
#include "pnc/result.hpp"

namespace pnc::conf::campaign {

// Before the campaign: can `path` be written? (errors: cli.junit)
Status check_junit_path(const std::string& path);
// After it: the report's cases as junit.xml (errors: cli.junit).
Status write_junit_file(const std::string& path, const RunReport& report);

}  // namespace pnc::conf::campaign
