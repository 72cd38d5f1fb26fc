#include "campaign/mutation.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "pnc/codec.hpp"

namespace pnc::conf::campaign {

namespace {

using json::Json;

bool all_of_set(const std::string& s, const char* set) {
  return !s.empty() && s.find_first_not_of(set) == std::string::npos;
}

Bytes decode(const std::string& value, Encoding e) {
  switch (e) {
    case Encoding::hex: return *codec::hex_decode(value);
    case Encoding::b64: return *codec::b64_decode(value);
    case Encoding::b64url: return *codec::b64url_decode(value);
    case Encoding::text: break;
  }
  return Bytes(value.begin(), value.end());
}

std::string encode(const Bytes& bytes, Encoding e) {
  switch (e) {
    case Encoding::hex: return codec::hex_encode(bytes);
    case Encoding::b64: return codec::b64_encode(bytes);
    case Encoding::b64url: return codec::b64url_encode(bytes);
    case Encoding::text: break;
  }
  return std::string(bytes.begin(), bytes.end());
}

// first / middle / last
std::size_t position(std::size_t size, std::int64_t arg) {
  switch (static_cast<std::uint64_t>(arg) % 3) {
    case 0: return 0;
    case 1: return size / 2;
    default: return size - 1;
  }
}

// Timestamps: the edges of the ±120 s window of §6.4 V2 and of token lifetimes, the epoch,
// far past / future, and forms a strict parser refuses.
std::string timestamp_boundary(std::int64_t now, std::int64_t arg) {
  static const std::int64_t kOffsets[] = {-121, -120, -119, 119, 120, 121, -3601, 3601, -86400 * 400, 86400 * 400};
  constexpr std::size_t kN = sizeof(kOffsets) / sizeof(kOffsets[0]);
  const std::uint64_t i = static_cast<std::uint64_t>(arg) % (kN + 5);
  if (i < kN) return std::to_string(now + kOffsets[i]);
  if (i == kN) return "0";
  if (i == kN + 1) return "-1";
  if (i == kN + 2) return "+" + std::to_string(now);  // forms a strict decimal parser refuses
  if (i == kN + 3) return "0" + std::to_string(now);
  return "9223372036854775807";
}

std::string string_boundary(const std::string& value, std::int64_t arg) {
  switch (static_cast<std::uint64_t>(arg) % 7) {
    case 0: return "";
    case 6: return "none";
    case 1: return " ";
    case 2: return std::string(1, '\0');
    case 3: return std::string(4097, 'a');
    case 4: return value + "\xc3\xa9";
    default: return " " + value;
  }
}

Json number_boundary(std::int64_t arg) {
  switch (static_cast<std::uint64_t>(arg) % 10) {
    case 8: return 16;  // the edges of the spec's small ranges (§8.1: a credentials version is 1-16)
    case 9: return 17;
    case 0: return 0;
    case 1: return -1;
    case 2: return 1;
    case 3: return 4294967296LL;
    case 4: return std::numeric_limits<std::int64_t>::max();
    case 5: return std::numeric_limits<std::int64_t>::min();
    case 6: return 1.5;
    default: return 9007199254740993ULL;
  }
}

Json other_type(const Json& value, std::int64_t arg) {
  static const Json kChoices[] = {Json(nullptr), Json(0), Json("x"), Json::array(), Json::object(), Json(true)};
  constexpr std::size_t kN = sizeof(kChoices) / sizeof(kChoices[0]);
  for (std::size_t k = 0; k < kN; ++k) {
    const Json& c = kChoices[(static_cast<std::uint64_t>(arg) + k) % kN];
    if (c.type() != value.type()) return c;
  }
  return Json(nullptr);
}

// Navigates a dot path; nullptr when a part is missing.
Json* member_at(Json& root, const std::string& path, std::string* last = nullptr) {
  Json* cur = &root;
  std::size_t from = 0;
  while (true) {
    const std::size_t dot = path.find('.', from);
    const std::string part = path.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
    if (!cur->is_object() || !cur->contains(part)) return nullptr;
    if (dot == std::string::npos) {
      if (last != nullptr) *last = part;
      return cur;  // the parent object
    }
    cur = &(*cur)[part];
    from = dot + 1;
  }
}

}  // namespace

std::string Mutation::describe() const {
  std::string d = op + "(" + std::to_string(arg) + ") at step " + std::to_string(step);
  if (!field.empty()) d += " field " + field;
  return d;
}

bool is_field_op(const std::string& op) { return std::find(kFieldOps.begin(), kFieldOps.end(), op) != kFieldOps.end(); }
bool is_step_op(const std::string& op) { return std::find(kStepOps.begin(), kStepOps.end(), op) != kStepOps.end(); }

Encoding guess_encoding(const std::string& value) {
  if (value.size() >= 16 && value.size() % 2 == 0 && all_of_set(value, "0123456789abcdef")) return Encoding::hex;
  if (value.size() >= 8 && value.size() % 4 == 0 &&
      all_of_set(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") && codec::b64_decode(value))
    return Encoding::b64;
  if (value.size() >= 8 && all_of_set(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") &&
      codec::b64url_decode(value))
    return Encoding::b64url;
  return Encoding::text;
}

std::optional<std::string> mutate_string(const std::string& value, const Mutation& m, ValueKind kind, std::int64_t now) {
  const Encoding enc = guess_encoding(value);
  Bytes bytes = decode(value, enc);
  const auto a = static_cast<std::uint64_t>(m.arg);
  // flip and binary set-byte are mutate_region's ops on the whole decoded value.
  if (m.op == "flip") {
    if (!mutate_region(bytes, 0, bytes.size(), m)) return std::nullopt;
    // A text character flipped into a control or non-ASCII byte is a different test (encoding);
    // keep text flips printable so the field's own check is what judges.
    if (enc == Encoding::text) {
      auto& c = bytes[position(bytes.size(), m.arg)];
      if (c < 0x20 || c > 0x7e) c = static_cast<std::uint8_t>(c == 'A' ? 'B' : 'A');
    }
    return encode(bytes, enc);
  }
  if (m.op == "set-byte" && enc != Encoding::text)
    return mutate_region(bytes, 0, bytes.size(), m) ? std::optional<std::string>(encode(bytes, enc)) : std::nullopt;
  if (m.op == "set-byte") {
    if (bytes.empty()) return std::nullopt;
    auto& b = bytes[position(bytes.size(), m.arg)];
    // Printable, as a text flip stays; always a change (the other value where the byte already
    // has this one), so that both endpoints of a run see a mutated value even where their bytes
    // differ (ciphertexts under two session keys).
    const std::uint8_t v = (a / 3) % 2 ? '~' : '0';
    b = b == v ? (v == '~' ? '0' : '~') : v;
    return encode(bytes, enc);
  }
  if (m.op == "truncate") {
    if (bytes.empty()) return std::nullopt;
    bytes.resize(a % 2 ? bytes.size() / 2 : bytes.size() - 1);
    return encode(bytes, enc);
  }
  if (m.op == "extend") {
    bytes.push_back(enc == Encoding::text ? static_cast<std::uint8_t>('a') : static_cast<std::uint8_t>(a & 0xff));
    return encode(bytes, enc);
  }
  if (m.op == "boundary") {
    if (kind == ValueKind::timestamp) return timestamp_boundary(now, m.arg);
    // Encoded bytes: all zero, the little-endian 1 (both X25519 low-order points, §12.2), all 0xff.
    if (enc != Encoding::text && !bytes.empty() && a % 2 == 0) {
      std::fill(bytes.begin(), bytes.end(), static_cast<std::uint8_t>((a / 2) % 3 == 2 ? 0xff : 0x00));
      if ((a / 2) % 3 == 1) bytes[0] = 1;
      return encode(bytes, enc);
    }
    return string_boundary(value, m.arg);
  }
  if (m.op == "badchar") {
    if (value.empty()) return std::string("!");
    std::string out = value;
    // Outside every alphabet the protocol uses, or inside base64's but not base64url's / a
    // nonce's ('+', '/', '='): strict decoders and charset checks must refuse both kinds.
    static const char kBad[] = {'*', '!', '+', '/', '=', '.'};
    out.insert(position(out.size(), m.arg) + (a % 3 == 2 ? 1 : 0), 1, kBad[(a / 3) % sizeof(kBad)]);
    return out;
  }
  if (m.op == "case") {
    std::string out = value;
    bool changed = false;
    for (char& c : out) {
      const char u = static_cast<char>(std::isupper(static_cast<unsigned char>(c)) ? std::tolower(static_cast<unsigned char>(c))
                                                                                  : std::toupper(static_cast<unsigned char>(c)));
      changed = changed || u != c;
      c = u;
      if (changed && a % 2 == 0) break;  // even arg: the first letter only
    }
    return changed ? std::optional<std::string>(out) : std::nullopt;
  }
  return std::nullopt;
}

bool mutate_region(Bytes& bytes, std::size_t offset, std::size_t size, const Mutation& m) {
  if (size == 0 || offset > bytes.size() || bytes.size() - offset < size) return false;
  const auto a = static_cast<std::uint64_t>(m.arg);
  std::uint8_t* region = bytes.data() + offset;
  if (m.op == "flip") {
    region[position(size, m.arg)] ^= static_cast<std::uint8_t>(1u << ((a / 3) % 8));
    return true;
  }
  if (m.op == "set-byte") {
    auto& b = region[position(size, m.arg)];
    // Always a change (see the text case above): 0x00 or 0xff, the other one where it is already so.
    const std::uint8_t v = (a / 3) % 2 ? 0xff : 0x00;
    b = b == v ? static_cast<std::uint8_t>(~v) : v;
    return true;
  }
  if (m.op == "boundary") {
    std::fill(region, region + size, static_cast<std::uint8_t>(a % 2 ? 0xff : 0x00));
    return true;
  }
  return false;
}

std::optional<Json> mutate_value(const Json& value, const Mutation& m, ValueKind kind, std::int64_t now) {
  if (m.op == "type") return other_type(value, m.arg);
  if (value.is_string()) {
    auto s = mutate_string(value.get<std::string>(), m, kind, now);
    return s ? std::optional<Json>(Json(*s)) : std::nullopt;
  }
  if (value.is_number_integer()) {
    if (m.op == "boundary") {
      if (kind == ValueKind::timestamp) return Json(std::stoll(timestamp_boundary(now, m.arg)));
      return number_boundary(m.arg);
    }
    const std::int64_t v = value.get<std::int64_t>();
    if (m.op == "flip") return Json(v ^ (std::int64_t{1} << ((static_cast<std::uint64_t>(m.arg) / 3) % 8)));
    if (m.op == "extend") return Json(v + 1);
    if (m.op == "truncate") return Json(v - 1);
    return std::nullopt;
  }
  if (value.is_boolean()) return m.op == "flip" ? std::optional<Json>(Json(!value.get<bool>())) : std::nullopt;
  if (value.is_array()) {
    Json out = value;
    if (m.op == "truncate" && !out.empty()) out.erase(out.size() - 1);
    else if (m.op == "extend") out.push_back(out.empty() ? Json("x") : out.back());
    else return std::nullopt;
    return out;
  }
  if (value.is_object() && m.op == "truncate" && !value.empty()) {
    Json out = value;
    out.erase(out.begin().key());
    return out;
  }
  return std::nullopt;
}

std::string mutate_json_text(const std::string& text, const std::string& member, const Mutation& m, ValueKind kind,
                             std::int64_t now) {
  auto parsed = json::parse(text, Profile::sdk_compat);
  if (!parsed || !parsed->is_object()) return text;
  Json root = std::move(*parsed);
  std::string key;
  Json* parent = member_at(root, member, &key);
  if (parent == nullptr) return text;
  if (m.op == "drop") {
    parent->erase(key);
    return json::dump(root);
  }
  if (m.op == "dup") {
    // The member twice: "k": <value> spliced in again right after its object's opening brace
    // (top-level members only; nested ones are written once more at the top level's start).
    const std::string dumped = json::dump(root);
    const std::string extra = json::dump(Json(key)) + ":" + json::dump((*parent)[key]) + ",";
    return "{" + extra + dumped.substr(1);
  }
  auto v = mutate_value((*parent)[key], m, kind, now);
  if (!v) return text;
  (*parent)[key] = std::move(*v);
  return json::dump(root);
}

Json to_json(const Mutation& m) {
  Json j = {{"op", m.op}, {"step", m.step}, {"arg", m.arg}};
  if (!m.field.empty()) j["field"] = m.field;
  return j;
}

Result<Mutation> mutation_from_json(const Json& j) {
  if (!j.is_object() || !j.contains("op") || !j["op"].is_string() || !j.contains("step") || !j["step"].is_number_integer())
    return make_error("finding.bad_mutation", "a mutation needs \"op\" (string) and \"step\" (integer)");
  Mutation m;
  m.op = j["op"].get<std::string>();
  m.step = j["step"].get<int>();
  if (j.contains("arg")) {
    if (!j["arg"].is_number_integer()) return make_error("finding.bad_mutation", "mutation \"arg\" must be an integer");
    m.arg = j["arg"].get<std::int64_t>();
  }
  if (j.contains("field")) {
    if (!j["field"].is_string()) return make_error("finding.bad_mutation", "mutation \"field\" must be a string");
    m.field = j["field"].get<std::string>();
  }
  if (!is_field_op(m.op) && !is_step_op(m.op)) return make_error("finding.bad_mutation", "unknown mutation op \"" + m.op + "\"");
  if (is_field_op(m.op) && m.field.empty()) return make_error("finding.bad_mutation", "field op \"" + m.op + "\" needs \"field\"");
  if (m.step < 0) return make_error("finding.bad_mutation", "mutation \"step\" must be >= 0");
  return m;
}

std::uint64_t Prng::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  Prng p(a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL));
  return p.next();
}

}  // namespace pnc::conf::campaign
