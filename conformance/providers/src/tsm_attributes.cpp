// configfs-tsm attribute text checks (pure).
#include "pnc/providers/tsm_attributes.hpp"

#include <charconv>
#include <string>

namespace pnc::providers {

namespace {
std::string_view without_newline(std::string_view text) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  return text;
}
}  // namespace

Status check_tsm_provider(std::string_view text) {
  const auto name = without_newline(text);
  if (name != kTdxGuestProvider) {
    const bool printable = name.size() <= 64 && name.find_first_not_of(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == std::string_view::npos;
    return make_error(kTsmWrongProvider, "TSM provider is " +
                                             (printable ? "\"" + std::string(name) + "\"" : std::string("unprintable")) +
                                             ", not tdx_guest");
  }
  return {};
}

Result<std::uint64_t> parse_tsm_generation(std::string_view text) {
  const auto digits = without_newline(text);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size()) {
    return make_error(kTsmBadAttribute, "generation is not a decimal counter");
  }
  return value;
}

Status check_tsm_generation(std::uint64_t before, std::uint64_t after) {
  if (before == UINT64_MAX || after != before + 1) {
    return make_error(kTsmGenerationRace, "generation went from " + std::to_string(before) + " to " +
                                              std::to_string(after) + " around one write: another writer raced");
  }
  return {};
}

}  // namespace pnc::providers
