// libFuzzer target for the XML body flattener (normalize/xml.h): any bytes must parse or stop
// cleanly, within the parameter and depth bounds, without expanding entities.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "normalize/xml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr std::size_t kMaxParams = 64;
  constexpr int kMaxDepth = 8;
  std::vector<warden::Param> params;
  warden::FlattenXml(input, &params, kMaxParams, kMaxDepth);
  if (params.size() > kMaxParams) std::abort();
  std::size_t bytes = 0;
  for (const auto& p : params) {
    if (p.location != warden::ParamLocation::kXml) std::abort();
    // Keys are element paths: at most kMaxDepth names, each a piece of the input.
    std::size_t depth = 1;
    for (char c : p.key) depth += c == '/' ? 1 : 0;
    if (p.key != "!DOCTYPE" && depth > kMaxDepth + 1) std::abort();
    bytes += p.value.size();
  }
  // No expansion: decoding only shrinks text, so the values never outgrow the input.
  if (bytes > size * 2 + 16) std::abort();
  warden::LooksLikeXml(input);
  warden::IsXmlMediaType(input);
  return 0;
}
