// libFuzzer target for Akto JSON Lines (and format detection): any bytes must parse or fail
// cleanly, and what parses must respect the ParsedExchanges contract.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/formats.h"

namespace {

void CheckContract(const warden::ParsedExchanges& parsed, const warden::ParseOptions& options) {
  if (parsed.exchanges.size() != parsed.input_index.size()) __builtin_trap();
  for (std::size_t i = 1; i < parsed.input_index.size(); ++i) {
    if (parsed.input_index[i] <= parsed.input_index[i - 1]) __builtin_trap();
  }
  for (const warden::Exchange& ex : parsed.exchanges) {
    if (ex.method.empty() || ex.target.empty()) __builtin_trap();
    if (ex.request_body.size() > options.max_body_bytes) __builtin_trap();
    if (ex.response_body.size() > options.max_body_bytes) __builtin_trap();
    if (ex.status_code < 0 || ex.status_code > 999) __builtin_trap();
  }
  for (const warden::RejectedRecord& r : parsed.rejected) {
    if (r.message.empty()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  warden::ParseOptions options;
  options.max_body_bytes = 16;  // small, so truncation runs on most inputs
  warden::Result<warden::ParsedExchanges> parsed = warden::ParseAktoJsonl(input, options);
  // JSON Lines has no document-level error: bad lines are rejected one by one.
  if (!parsed.ok() && parsed.status().code() != warden::StatusCode::kResourceExhausted) {
    __builtin_trap();
  }
  if (parsed.ok()) CheckContract(*parsed, options);
  // Detection is total, and whatever it picks must parse or fail cleanly.
  if (warden::DetectFormat(input) == warden::InputFormat::kAuto) __builtin_trap();
  warden::Result<warden::ParsedExchanges> any =
      warden::ParseDocument(input, warden::InputFormat::kAuto, options);
  if (any.ok()) CheckContract(*any, options);
  return 0;
}
