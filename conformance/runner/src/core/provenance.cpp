#include "core/provenance.hpp"
#include "core/read_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/json.hpp"

namespace pnc::conf {

namespace fs = std::filesystem;

std::string sha256_hex(std::string_view bytes) {
  const auto digest = crypto::sha256(as_bytes(bytes));
  return codec::hex_encode(digest);
}

Result<InputFile> hash_file(const std::string& path, std::string display_name) {
  const auto text = read_file(path);
  if (!text) return make_error("provenance.unreadable", "cannot read " + path);
  return InputFile{std::move(display_name), sha256_hex(*text)};
}

std::optional<InputFile> digest_of(const std::string& path) {
  if (path.empty()) return std::nullopt;
  auto f = hash_file(path, fs::path(path).filename().string());
  return f ? std::optional<InputFile>(std::move(*f)) : std::nullopt;
}

std::vector<InputFile> vector_file_digests(const std::string& vectors_dir) {
  std::vector<std::string> names;
  if (fs::is_regular_file(fs::path(vectors_dir) / "PROTOCOL-vectors.json")) names.emplace_back("PROTOCOL-vectors.json");
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(vectors_dir) / "testvectors_v1", ec))
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      names.push_back("testvectors_v1/" + entry.path().filename().string());
  std::sort(names.begin(), names.end());
  std::vector<InputFile> out;
  for (const auto& name : names)
    if (auto f = hash_file((fs::path(vectors_dir) / name).string(), name)) out.push_back(std::move(*f));
  return out;
}

std::string catalogue_dump(const std::vector<Case>& cases) {
  using Json = nlohmann::ordered_json;
  Json all = Json::array();
  for (const auto& c : cases) {
    Json profiles = Json::array();
    for (Profile p : c.profiles) profiles.push_back(std::string(to_string(p)));
    Json expected = Json::object();
    for (Profile p : kProfiles)
      expected[std::string(to_string(p))] = c.expected_for(p);
    Json needs = Json::array();
    for (Need n : c.needs) needs.push_back(need_reason(n));
    all.push_back(Json{{"id", c.id},
                       {"title", c.title},
                       {"mechanism", c.mechanism_name()},
                       {"target", std::string(to_string(c.target))},
                       {"profiles", profiles},
                       {"expected", expected},
                       {"needs", needs},
                       {"exclusive", c.exclusive}});
  }
  return all.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace pnc::conf
