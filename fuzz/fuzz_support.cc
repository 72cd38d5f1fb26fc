#include "fuzz_support.hpp"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <vector>

namespace pnc::fuzz {

void oracle_failure(const char* condition, const char* what, const char* file, int line) {
  std::fprintf(stderr, "\n*** ORACLE VIOLATION at %s:%d: %s\n    failed check: %s\n", file, line, what,
               condition);
  std::fflush(stderr);
  std::abort();
}

// ---- Input ----

std::uint8_t Input::u8() { return pos_ < size_ ? data_[pos_++] : std::uint8_t{0}; }

std::uint16_t Input::u16() {
  const std::uint16_t lo = u8();
  const std::uint16_t hi = u8();
  return static_cast<std::uint16_t>(lo | (hi << 8));
}

std::uint32_t Input::u32() {
  const std::uint32_t lo = u16();
  const std::uint32_t hi = u16();
  return lo | (hi << 16);
}

Bytes Input::bytes(std::size_t n) {
  n = std::min(n, size_ - pos_);
  Bytes out(data_ + pos_, data_ + pos_ + n);
  pos_ += n;
  return out;
}

std::string Input::str(std::size_t n) {
  n = std::min(n, size_ - pos_);
  std::string out(reinterpret_cast<const char*>(data_ + pos_), n);
  pos_ += n;
  return out;
}

std::string Input::length_prefixed() { return str(u16()); }

std::string Input::rest() { return str(size_ - pos_); }

// ---- Deterministic randombytes ----

namespace {

std::uint64_t g_rng_state = 0x9e3779b97f4a7c15ull;

std::uint64_t splitmix64() {
  std::uint64_t z = (g_rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

const char* fuzz_rng_name() { return "pnc-fuzz-deterministic"; }
std::uint32_t fuzz_rng_random() { return static_cast<std::uint32_t>(splitmix64() >> 32); }
void fuzz_rng_stir() {}
void fuzz_rng_buf(void* const buf, const std::size_t size) {
  auto* out = static_cast<std::uint8_t*>(buf);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(splitmix64() >> 56);
}
int fuzz_rng_close() { return 0; }

randombytes_implementation g_fuzz_rng = {fuzz_rng_name, fuzz_rng_random, fuzz_rng_stir, nullptr,
                                         fuzz_rng_buf,  fuzz_rng_close};

}  // namespace

void install_deterministic_randombytes() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  // Must precede sodium_init(): libsodium binds its generator there.
  randombytes_set_implementation(&g_fuzz_rng);
  if (sodium_init() < 0) std::abort();
}

void reseed_randombytes(const std::uint8_t* data, std::size_t size) {
  std::uint8_t h[8] = {};
  crypto_generichash(h, sizeof h, data, size, nullptr, 0);
  std::uint64_t s = 0;
  for (int i = 0; i < 8; ++i) s |= static_cast<std::uint64_t>(h[i]) << (8 * i);
  g_rng_state = s;
}

// ---- Encodings ----

Bytes unhex(std::string_view hex) {
  Bytes out(hex.size() / 2);
  std::size_t len = 0;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != out.size())
    std::abort();
  return out;
}

namespace {
std::optional<Bytes> sodium_b64_variant(std::string_view text, int variant) {
  // libsodium 1.0.18's decoder maps every byte >= 0x80 to some symbol instead of rejecting it;
  // an oracle must not inherit that, so non-ASCII input is refused up front.
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
  Bytes out(text.size() / 4 * 3 + 3);
  std::size_t len = 0;
  // b64_end == nullptr: the whole input must be consumed, no ignored characters.
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                        variant) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}
std::string sodium_b64_encode_variant(ByteView data, int variant) {
  std::string out(sodium_base64_encoded_len(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}
}  // namespace

std::optional<Bytes> sodium_b64(std::string_view text) {
  return sodium_b64_variant(text, sodium_base64_VARIANT_ORIGINAL);
}
std::optional<Bytes> sodium_b64url(std::string_view text) {
  return sodium_b64_variant(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
std::string sodium_b64_encode(ByteView data) {
  return sodium_b64_encode_variant(data, sodium_base64_VARIANT_ORIGINAL);
}
std::string sodium_b64url_encode(ByteView data) {
  return sodium_b64_encode_variant(data, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

// ---- JSON scanner ----

namespace {

// Beyond this depth both profiles reject (seed 64, compat 1000), so the scan stops recursing.
constexpr std::size_t kScanDepthCap = 1100;

class Scanner {
 public:
  explicit Scanner(std::string_view t) : t_(t) {}

  JsonScan run() {
    JsonScan out;
    if (t_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;
    ws();
    if (i_ < t_.size()) out.top = (t_[i_] == '{' || t_[i_] == '[') ? t_[i_] : 's';
    bool ok = value(1);
    ws();
    out.valid = ok && i_ == t_.size();
    if (too_deep_) out.valid = true;  // undecided syntax, but certainly rejected as too deep
    out.depth = depth_;
    out.duplicate = duplicate_;
    return out;
  }

 private:
  bool at_end() const { return i_ >= t_.size(); }
  unsigned char peek() const { return static_cast<unsigned char>(t_[i_]); }
  void ws() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++i_;
  }
  bool literal(std::string_view lit) {
    if (t_.substr(i_, lit.size()) != lit) return false;
    i_ += lit.size();
    return true;
  }

  // `level` = the nesting depth a container opened here would have.
  bool value(std::size_t level) {
    ws();
    if (at_end()) return false;
    const unsigned char c = peek();
    if (c == '{' || c == '[') {
      depth_ = std::max(depth_, level);
      if (level > kScanDepthCap) {
        too_deep_ = true;
        return false;
      }
      return c == '{' ? object(level) : array(level);
    }
    if (c == '"') {
      std::string ignored;
      return string(ignored);
    }
    if (c == 't') return literal("true");
    if (c == 'f') return literal("false");
    if (c == 'n') return literal("null");
    return number();
  }

  bool object(std::size_t level) {
    ++i_;  // '{'
    std::set<std::string> keys;
    ws();
    if (!at_end() && peek() == '}') {
      ++i_;
      return true;
    }
    for (;;) {
      ws();
      if (at_end() || peek() != '"') return false;
      std::string key;
      if (!string(key)) return false;
      if (!keys.insert(key).second) duplicate_ = true;
      ws();
      if (at_end() || peek() != ':') return false;
      ++i_;
      if (!value(level + 1)) return false;
      ws();
      if (at_end()) return false;
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() == '}') {
        ++i_;
        return true;
      }
      return false;
    }
  }

  bool array(std::size_t level) {
    ++i_;  // '['
    ws();
    if (!at_end() && peek() == ']') {
      ++i_;
      return true;
    }
    for (;;) {
      if (!value(level + 1)) return false;
      ws();
      if (at_end()) return false;
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() == ']') {
        ++i_;
        return true;
      }
      return false;
    }
  }

  static void put_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  bool hex4(std::uint32_t& v) {
    if (t_.size() - i_ < 4) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = t_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else return false;
    }
    return true;
  }

  // One UTF-8 sequence (RFC 3629: no overlongs, no surrogates, <= U+10FFFF), copied to out.
  bool utf8(std::string& out) {
    const unsigned char c = peek();
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c == 0xE0) { n = 2; lo = 0xA0; }
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = 2;
    else if (c == 0xED) { n = 2; hi = 0x9F; }
    else if (c == 0xF0) { n = 3; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) n = 3;
    else if (c == 0xF4) { n = 3; hi = 0x8F; }
    else return false;
    if (t_.size() - i_ <= n) return false;
    const auto b1 = static_cast<unsigned char>(t_[i_ + 1]);
    if (b1 < lo || b1 > hi) return false;
    for (std::size_t k = 2; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(t_[i_ + k]);
      if (b < 0x80 || b > 0xBF) return false;
    }
    out.append(t_.substr(i_, n + 1));
    i_ += n + 1;
    return true;
  }

  bool string(std::string& out) {
    ++i_;  // opening quote
    while (!at_end()) {
      const unsigned char c = peek();
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        if (!utf8(out)) return false;
        continue;
      }
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        ++i_;
        continue;
      }
      ++i_;
      if (at_end()) return false;
      const char e = t_[i_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // lone low surrogate
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            if (t_.substr(i_, 2) != "\\u") return false;
            i_ += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          put_utf8(out, cp);
          break;
        }
        default: return false;
      }
    }
    return false;
  }

  bool digits() {
    const std::size_t start = i_;
    while (!at_end() && peek() >= '0' && peek() <= '9') ++i_;
    return i_ > start;
  }

  // RFC 8259 §6 lets parsers limit the range of numbers: like nlohmann (and the reference), a
  // number that does not fit a finite double is rejected.
  bool number() {
    const std::size_t start = i_;
    if (!number_syntax()) return false;
    const std::string text(t_.substr(start, i_ - start));
    return std::isfinite(std::strtod(text.c_str(), nullptr));
  }

  bool number_syntax() {
    if (!at_end() && peek() == '-') ++i_;
    if (at_end()) return false;
    if (peek() == '0') {
      ++i_;
    } else if (peek() >= '1' && peek() <= '9') {
      digits();
    } else {
      return false;
    }
    if (!at_end() && peek() == '.') {
      ++i_;
      if (!digits()) return false;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++i_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++i_;
      if (!digits()) return false;
    }
    return true;
  }

  std::string_view t_;
  std::size_t i_ = 0;
  std::size_t depth_ = 0;
  bool duplicate_ = false;
  bool too_deep_ = false;
};

}  // namespace

JsonScan scan_json(std::string_view text) { return Scanner(text).run(); }

}  // namespace pnc::fuzz

// libFuzzer calls this once before the first input; the replay main does the same.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  pnc::fuzz::install_deterministic_randombytes();
  return 0;
}
