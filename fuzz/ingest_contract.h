#pragma once

// Checks shared by the ingest fuzz targets: whatever parses must respect the ParsedExchanges
// contract. A violation traps, so libFuzzer records the input.
#include "ingest/formats.h"

namespace warden::fuzz {

inline void CheckContract(const ParsedExchanges& parsed, const ParseOptions& options) {
  if (parsed.exchanges.size() != parsed.input_index.size()) __builtin_trap();
  for (std::size_t i = 1; i < parsed.input_index.size(); ++i) {
    if (parsed.input_index[i] <= parsed.input_index[i - 1]) __builtin_trap();
  }
  for (const Exchange& ex : parsed.exchanges) {
    if (ex.method.empty() || ex.target.empty()) __builtin_trap();
    if (ex.request_body.size() > options.max_body_bytes) __builtin_trap();
    if (ex.response_body.size() > options.max_body_bytes) __builtin_trap();
    if (ex.status_code < 0 || ex.status_code > 999) __builtin_trap();
  }
  for (const RejectedRecord& r : parsed.rejected) {
    if (r.message.empty()) __builtin_trap();
  }
}

// Small cap, so truncation runs on most inputs.
inline ParseOptions FuzzParseOptions() {
  ParseOptions options;
  options.max_body_bytes = 16;
  return options;
}

}  // namespace warden::fuzz
