// The configfs-tsm report attributes as text (pure, no file access): Linux
// Documentation/ABI/testing/configfs-tsm. `provider` names the TSM driver, `generation` counts the
// writes to the entry's attributes.
#pragma once

#include <cstdint>
#include <string_view>

#include "pnc/result.hpp"

namespace pnc::providers {

inline constexpr const char* kTsmWrongProvider = "tdx.provider.configfs.wrong_provider";
inline constexpr const char* kTsmBadAttribute = "tdx.provider.configfs.bad_attribute";
inline constexpr const char* kTsmGenerationRace = "tdx.provider.configfs.generation_race";

// The driver name a TDX guest exposes.
inline constexpr std::string_view kTdxGuestProvider = "tdx_guest";

// `provider` text (the kernel ends it with a newline) must be exactly "tdx_guest".
Status check_tsm_provider(std::string_view text);

// `generation` text: a decimal counter and an optional trailing newline.
Result<std::uint64_t> parse_tsm_generation(std::string_view text);

// Our single write of inblob must be the only change between the two reads: after == before + 1.
// Anything else means another writer touched the entry, so outblob may answer its inblob.
Status check_tsm_generation(std::uint64_t before, std::uint64_t after);

}  // namespace pnc::providers
