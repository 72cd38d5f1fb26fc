// Basic vocabulary shared by every module: byte containers and the conformance profile.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pnc {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
template <std::size_t N>
using ByteArray = std::array<std::uint8_t, N>;

// The three behaviours the spec defines (PROTOCOL.md §0.2).
enum class Profile {
  seed_spec,   // default, strict normative profile
  sdk_compat,  // upstream behaviour, quirks included
  hardened,    // seed_spec plus key binding, directional keys, reflection protection
};

// Every profile, in §0.2 order: the one list for code that runs something under each profile.
inline constexpr std::array<Profile, 3> kProfiles = {Profile::seed_spec, Profile::sdk_compat,
                                                     Profile::hardened};

std::string_view to_string(Profile p);
std::optional<Profile> parse_profile(std::string_view name);  // "seed-spec" | "sdk-compat" | "hardened"

// seed-spec and hardened share every strict rule; only sdk-compat is lenient.
constexpr bool is_strict(Profile p) { return p != Profile::sdk_compat; }

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string to_string(ByteView b) { return {b.begin(), b.end()}; }
inline Bytes to_bytes(std::string_view s) { return {s.begin(), s.end()}; }

}  // namespace pnc
