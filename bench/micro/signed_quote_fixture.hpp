// A v4 quote with real ECDSA P-256 signature data and its three-level PKI (root -> intermediate
// -> PCK leaf), built with plain OpenSSL for the signed-quote benchmarks. Independent of mock-tdx
// (which may not exist yet) and of the code under test.
#pragma once

#include <cstdint>
#include <string>

#include "pnc/types.hpp"

namespace pnc::bench {

inline constexpr std::int64_t kSignedQuoteNow = 1800000000;  // inside the certificates' validity

struct SignedQuoteFixture {
  Bytes quote;              // the signed v4 quote (PEM chain leaf, intermediate, root inside)
  std::string root_pem;     // the trust anchor
  std::string chain_pem;    // leaf || intermediate || root, as inside the quote
};

// Returns an empty quote if OpenSSL fails (the benchmark then reports an error).
SignedQuoteFixture make_signed_quote_fixture();

}  // namespace pnc::bench
