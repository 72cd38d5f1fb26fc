#include "vector_file.hpp"

#include <utility>

#include "pnc/codec.hpp"

namespace pnc::vectors {

VectorFile::VectorFile(std::string file_name, std::string algorithm, std::string schema,
                       std::vector<std::string> header)
    : file_name_(std::move(file_name)), algorithm_(std::move(algorithm)), schema_(std::move(schema)),
      header_(std::move(header)) {}

void VectorFile::note(const std::string& flag, const std::string& bug_type,
                      const std::string& description, const std::string& effect) {
  OJson n = OJson::object();
  n["bugType"] = bug_type;
  n["description"] = description;
  n["effect"] = effect;
  notes_[flag] = std::move(n);
}

void VectorFile::group(const std::string& type, const OJson& members) {
  OJson g = OJson::object();
  g["type"] = type;
  g["source"] = OJson{{"name", kSourceName}, {"version", kSourceVersion}};
  for (const auto& [k, v] : members.items()) g[k] = v;
  g["tests"] = OJson::array();
  groups_.push_back(std::move(g));
}

void VectorFile::add(const Case& c, const OJson& fields) {
  OJson t = OJson::object();
  t["tcId"] = ++count_;
  t["comment"] = c.comment;
  t["flags"] = c.flags;
  t["requirements"] = c.requirements;
  for (const auto& [k, v] : fields.items()) t[k] = v;
  t["result"] = c.expect.seed;
  OJson profiles = OJson::object();
  if (c.expect.compat != c.expect.seed) profiles["sdk-compat"] = c.expect.compat;
  if (c.expect.hard != c.expect.seed) profiles["hardened"] = c.expect.hard;
  if (!profiles.empty()) t["profiles"] = std::move(profiles);
  for (const auto& f : c.flags) used_flags_.insert(f);
  groups_.back()["tests"].push_back(std::move(t));
}

OJson VectorFile::document() const {
  OJson d = OJson::object();
  d["algorithm"] = algorithm_;
  d["schema"] = schema_;
  d["numberOfTests"] = count_;
  d["header"] = header_;
  d["notes"] = notes_;
  d["testGroups"] = groups_;
  return d;
}

std::vector<std::string> VectorFile::problems() const {
  std::vector<std::string> out;
  for (const auto& f : used_flags_)
    if (!notes_.contains(f)) out.push_back(file_name_ + ": flag without a note: " + f);
  for (const auto& [k, v] : notes_.items())
    if (!used_flags_.count(k)) out.push_back(file_name_ + ": note never used: " + k);
  for (const auto& g : groups_)
    if (g["tests"].empty()) out.push_back(file_name_ + ": empty group " + g["type"].get<std::string>());
  return out;
}

std::string hex(const std::vector<std::uint8_t>& b) { return codec::hex_encode(b); }
std::string hex(std::string_view ascii_text) { return codec::hex_encode(as_bytes(ascii_text)); }
std::vector<std::uint8_t> unhex(std::string_view h) {
  auto r = codec::hex_decode(h);
  return r.ok() ? r.value() : std::vector<std::uint8_t>{};
}
std::string b64(const std::vector<std::uint8_t>& b) { return codec::b64_encode(b); }

}  // namespace pnc::vectors
