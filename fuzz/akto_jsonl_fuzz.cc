// libFuzzer target for Akto JSON Lines (and format detection): any bytes must parse or fail
// cleanly, and what parses must respect the ParsedExchanges contract.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest_contract.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  warden::ParseOptions options = warden::fuzz::FuzzParseOptions();
  warden::Result<warden::ParsedExchanges> parsed = warden::ParseAktoJsonl(input, options);
  // JSON Lines has no document-level error: bad lines are rejected one by one.
  if (!parsed.ok() && parsed.status().code() != warden::StatusCode::kResourceExhausted) {
    __builtin_trap();
  }
  if (parsed.ok()) warden::fuzz::CheckContract(*parsed, options);
  // Detection is total, and whatever it picks must parse or fail cleanly.
  if (warden::DetectFormat(input) == warden::InputFormat::kAuto) __builtin_trap();
  warden::Result<warden::ParsedExchanges> any =
      warden::ParseDocument(input, warden::InputFormat::kAuto, options);
  if (any.ok()) warden::fuzz::CheckContract(*any, options);
  return 0;
}
