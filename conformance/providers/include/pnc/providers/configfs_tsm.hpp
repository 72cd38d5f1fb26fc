// QuoteProvider of a Linux TDX guest through configfs-tsm (Documentation/ABI/testing/configfs-tsm):
// make an entry under the report root, read `provider` and `generation`, write the 64-byte
// REPORTDATA to `inblob`, read the quote from `outblob`, read `generation` again, remove the
// entry. File I/O only; the attribute texts are judged by tsm_attributes.hpp, the quote by
// evidence_from_quote.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "pnc/attestation.hpp"

namespace pnc::providers {

// ---- Error codes (besides the tsm_attributes.hpp and host_evidence.hpp ones) ----
inline constexpr const char* kTsmNoTsm = "tdx.provider.configfs.no_tsm";      // report root missing / not a directory
inline constexpr const char* kTsmIo = "tdx.provider.configfs.io";             // an entry or attribute operation failed
inline constexpr const char* kTsmTimeout = "tdx.provider.configfs.timeout";   // outblob not delivered in time
inline constexpr const char* kTsmTooLarge = "tdx.provider.configfs.too_large";  // an attribute over its size cap
inline constexpr const char* kTsmEmpty = "tdx.provider.configfs.empty_outblob";

struct ConfigfsTsmOptions {
  std::string report_root = "/sys/kernel/config/tsm/report";
  // Bounds every wait that can be polled (an attribute not readable yet). A kernel read of
  // outblob that blocks inside the driver is bounded by the driver's own quote timeout.
  std::chrono::milliseconds timeout{10000};
  // Creating and removing an entry: mkdir / rmdir, and configfs fills the new directory with its
  // attributes. A plain directory cannot do that, so tests put a fake TSM's steps here.
  std::function<Status(const std::string& entry_dir)> create_entry;  // empty: mkdir(entry_dir, 0700)
  std::function<void(const std::string& entry_dir)> remove_entry;    // empty: rmdir(entry_dir)
};

class ConfigfsTsmProvider final : public QuoteProvider {
 public:
  explicit ConfigfsTsmProvider(ConfigfsTsmOptions options = {}) : options_(std::move(options)) {}
  // Evidence: the outblob as delivered (real buffers carry zero padding), no event log, the
  // quote's RTMRs.
  Result<Evidence> get_quote(const ByteArray<64>& report_data) override;

 private:
  ConfigfsTsmOptions options_;
};

}  // namespace pnc::providers
