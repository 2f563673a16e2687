// libFuzzer target for Akto ingest batches: any bytes must parse or fail cleanly, and what parses
// must respect the ParsedExchanges contract.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest_contract.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  warden::ParseOptions options = warden::fuzz::FuzzParseOptions();
  warden::Result<warden::ParsedExchanges> parsed = warden::ParseAktoBatch(input, options);
  if (parsed.ok()) warden::fuzz::CheckContract(*parsed, options);
  return 0;
}
