#pragma once
// Where pnc-conformance finds its data files (vectors, requirements.json, PROTOCOL.md).

#include <string>

namespace pnc::conf {

// `installed` relative to the running executable's directory (e.g.
// "../share/challenge-conformance/vectors") when that exists — an installed copy, possibly moved
// to another prefix — else `compiled_in`, the source-tree path of a build-tree binary.
std::string data_path(const std::string& installed, const std::string& compiled_in);

}  // namespace pnc::conf
