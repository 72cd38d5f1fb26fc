#include "pnc/json.hpp"

#include <set>
#include <string>
#include <vector>

namespace pnc::json {
namespace {

// sdk-compat: Python's json module fails past its recursion limit (about 1000 levels); the
// reference mirrors that bound instead of recursing without limit.
constexpr std::size_t kCompatMaxDepth = 1000;

// Forwards every SAX event to nlohmann's DOM builder and enforces the strict rules on the way:
// nesting depth and duplicate member names (nlohmann itself rejects NaN, invalid UTF-8 and lone
// surrogates as syntax errors).
class StrictSax {
 public:
  using Dom = nlohmann::detail::json_sax_dom_parser<Json>;
  StrictSax(Json& out, bool reject_duplicates, std::size_t max_depth)
      : dom_(out, false), reject_duplicates_(reject_duplicates), max_depth_(max_depth) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(Json::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(Json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(Json::number_float_t v, const Json::string_t& s) { return dom_.number_float(v, s); }
  bool string(Json::string_t& v) { return dom_.string(v); }
  bool binary(Json::binary_t& v) { return dom_.binary(v); }

  bool start_object(std::size_t n) {
    if (!enter()) return false;
    keys_.emplace_back();
    return dom_.start_object(n);
  }
  bool key(Json::string_t& k) {
    if (reject_duplicates_ && !keys_.back().insert(k).second) {
      error_ = make_error(kDuplicate, "JSON: duplicate member \"" + k + "\"");
      return false;
    }
    return dom_.key(k);
  }
  bool end_object() {
    keys_.pop_back();
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) {
    if (!enter()) return false;
    return dom_.start_array(n);
  }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& e) {
    error_ = make_error(kSyntax, "JSON: syntax error at byte " + std::to_string(pos) + ": " +
                                     std::string(e.what()));
    return false;
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  bool enter() {
    if (++depth_ > max_depth_) {
      error_ = make_error(kTooDeep, "JSON: nesting deeper than " + std::to_string(max_depth_));
      return false;
    }
    return true;
  }

  Dom dom_;
  bool reject_duplicates_;
  std::size_t max_depth_;
  std::size_t depth_ = 0;
  std::vector<std::set<std::string>> keys_;
  std::optional<Error> error_;
};

const char* type_name(const Json& v) { return v.type_name(); }

}  // namespace

Result<Json> parse(std::string_view text, Profile profile) {
  // nlohmann's lexer reads a raw NUL as end of input, so `{...}\0garbage` would parse. A raw NUL
  // is never valid JSON (inside strings it must be escaped), in any profile (Python agrees).
  if (text.find('\0') != std::string_view::npos) return make_error(kSyntax, "JSON: raw NUL byte");
  Json out;
  bool strict = is_strict(profile);
  StrictSax sax(out, strict, strict ? kMaxDepth : kCompatMaxDepth);
  bool ok = Json::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json,
                            /*strict=*/true, /*ignore_comments=*/false);
  if (!ok || sax.error()) {
    if (sax.error()) return *sax.error();
    return make_error(kSyntax, "JSON: invalid document");
  }
  return out;
}

Result<Json> parse_object(std::string_view text, Profile profile) {
  auto r = parse(text, profile);
  if (!r) return r;
  if (!r->is_object())
    return make_error(kNotObject, std::string("JSON: expected an object, got ") + type_name(*r));
  return r;
}

bool has(const Json& obj, std::string_view name) {
  return obj.is_object() && obj.find(name) != obj.end();
}

namespace {
Result<const Json*> member(const Json& obj, std::string_view name) {
  if (!obj.is_object()) return make_error(kNotObject, "JSON: expected an object");
  auto it = obj.find(name);
  if (it == obj.end())
    return make_error(kMissing, "JSON: missing member \"" + std::string(name) + "\"");
  return &*it;
}
Error wrong_type(std::string_view name, const char* want, const Json& got) {
  return make_error(kWrongType, "JSON: member \"" + std::string(name) + "\" must be " + want +
                                    ", got " + type_name(got));
}
}  // namespace

Result<std::string> get_string(const Json& obj, std::string_view name) {
  auto m = member(obj, name);
  if (!m) return m.error();
  if (!(*m)->is_string()) return wrong_type(name, "a string", **m);
  return (*m)->get<std::string>();
}

Result<std::int64_t> get_int(const Json& obj, std::string_view name) {
  auto m = member(obj, name);
  if (!m) return m.error();
  const Json& v = **m;
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return wrong_type(name, "a 64-bit integer", v);
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  return wrong_type(name, "an integer", v);
}

Result<Json> get_object(const Json& obj, std::string_view name) {
  auto m = member(obj, name);
  if (!m) return m.error();
  if (!(*m)->is_object()) return wrong_type(name, "an object", **m);
  return **m;
}

std::string dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace pnc::json
