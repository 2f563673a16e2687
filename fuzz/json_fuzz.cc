// libFuzzer target for the JSON body reader (normalize/normalize.h FlattenJson): any text must
// parse or be refused cleanly within the parameter bound, and a document said to be read whole
// (selectors then leave its raw text out) must have left room under the bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "normalize/normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::size_t kMaxParams = 32;
  std::vector<warden::Param> params;
  bool whole = true;
  const bool parsed = warden::FlattenJson(text, &params, kMaxParams, 16, &whole);
  if (params.size() > kMaxParams) std::abort();
  if (whole && (!parsed || params.size() >= kMaxParams || params.empty())) std::abort();
  for (const auto& p : params) {
    if (p.location != warden::ParamLocation::kJson) std::abort();
  }
  return 0;
}
