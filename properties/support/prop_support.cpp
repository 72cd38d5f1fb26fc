#include "support/prop_support.hpp"
#include "pnc/spec_tables.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace pnc::prop {

// ---------------------------------------------------------------- generators

rc::Gen<Bytes> bytes(std::size_t n) { return rc::gen::container<Bytes>(n, rc::gen::arbitrary<std::uint8_t>()); }

rc::Gen<Bytes> bytes_between(std::size_t lo, std::size_t hi) {
  return rc::gen::mapcat(rc::gen::inRange(lo, hi + 1), [](std::size_t n) { return bytes(n); });
}

rc::Gen<std::string> string_of(std::string_view alphabet, std::size_t lo, std::size_t hi) {
  const std::string chars(alphabet);
  return rc::gen::mapcat(rc::gen::inRange(lo, hi + 1), [chars](std::size_t n) {
    return rc::gen::container<std::string>(n, rc::gen::elementOf(chars));
  });
}

namespace {

// Printable ASCII plus a few multi-byte UTF-8 characters: what JSON strings carry.
rc::Gen<std::string> json_text() {
  return rc::gen::map(rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 100)), [](const std::vector<int>& v) {
    static const char* const kExtra[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x94\x91", "\"", "\\", "\n", "\t"};
    std::string out;
    for (int c : v) {
      if (c < 93) out.push_back(static_cast<char>(' ' + c));
      else out += kExtra[c - 93];
    }
    return out;
  });
}

rc::Gen<nlohmann::json> json_scalar() {
  return rc::gen::oneOf(
      rc::gen::just(nlohmann::json(nullptr)),
      rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return nlohmann::json(b); }),
      rc::gen::map(rc::gen::arbitrary<std::int64_t>(), [](std::int64_t i) { return nlohmann::json(i); }),
      rc::gen::map(rc::gen::inRange(-1000000, 1000000),
                   [](int i) { return nlohmann::json(static_cast<double>(i) / 8.0); }),
      rc::gen::map(json_text(), [](std::string s) { return nlohmann::json(std::move(s)); }));
}

rc::Gen<nlohmann::json> json_value(int depth);

rc::Gen<nlohmann::json> json_object_at(int depth) {
  return rc::gen::map(
      rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 5),
                      [depth](std::size_t n) {
                        return rc::gen::container<std::vector<std::pair<std::string, nlohmann::json>>>(
                            n, rc::gen::pair(json_text(), json_value(depth + 1)));
                      }),
      [](const std::vector<std::pair<std::string, nlohmann::json>>& members) {
        nlohmann::json obj = nlohmann::json::object();
        for (const auto& [k, v] : members) obj[k] = v;  // duplicates collapse: a valid object
        return obj;
      });
}

rc::Gen<nlohmann::json> json_value(int depth) {
  if (depth >= 3) return json_scalar();
  return rc::gen::weightedOneOf<nlohmann::json>(
      {{6, json_scalar()},
       {1, rc::gen::map(rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 4),
                                        [depth](std::size_t n) {
                                          return rc::gen::container<std::vector<nlohmann::json>>(n, json_value(depth + 1));
                                        }),
                        [](const std::vector<nlohmann::json>& v) { return nlohmann::json(v); })},
       {1, rc::gen::lazy([depth] { return json_object_at(depth + 1); })}});
}

}  // namespace

rc::Gen<nlohmann::json> json_object() { return json_object_at(0); }

rc::Gen<nlohmann::json> inner_message() {
  return rc::gen::map(rc::gen::pair(json_object(), json_text()), [](std::pair<nlohmann::json, std::string> p) {
    p.first["type"] = p.second;
    return p.first;
  });
}

// ---------------------------------------------------------------- mutations

Bytes flip_bit(ByteView b, std::size_t bit) {
  Bytes out(b.begin(), b.end());
  out.at(bit / 8) ^= static_cast<std::uint8_t>(1u << (bit % 8));
  return out;
}

std::string replace_byte(std::string_view s, std::size_t index, char value) {
  std::string out(s);
  out.at(index) = value;
  return out;
}

// ---------------------------------------------------------------- spec data

using testkit::from_hex;

const std::vector<Bytes>& low_order_x25519() {
  static const std::vector<Bytes> keys = [] {
    std::vector<Bytes> v;
    for (std::string_view h : pnc::spec::kLowOrderX25519Hex)
      v.push_back(from_hex(h));
    return v;
  }();
  return keys;
}

const std::vector<Bytes>& bad_ed25519_points() {
  static const std::vector<Bytes> keys = [] {
    std::vector<Bytes> v;
    for (std::string_view h : pnc::spec::kBadEd25519PointsHex) v.push_back(from_hex(h));
    return v;
  }();
  return keys;
}

}  // namespace pnc::prop
