// libFuzzer target for the multipart/form-data parser (normalize/multipart.h): any body and any
// Content-Type must parse or stop cleanly within the parameter bound. The first line of the
// input is the Content-Type, the rest the body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t nl = input.find('\n');
  std::string_view content_type = input.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  constexpr std::size_t kMaxParams = 32;
  std::string boundary = warden::MultipartBoundary(content_type);
  if (boundary.size() > 200) std::abort();
  std::vector<warden::Param> params;
  warden::ParseMultipart(body, boundary, &params, kMaxParams);
  if (params.size() > kMaxParams) std::abort();
  std::size_t bytes = 0;
  for (const auto& p : params) {
    if (p.location != warden::ParamLocation::kMultipart) std::abort();
    bytes += p.value.size();
  }
  // Part contents are pieces of the body (file names may repeat header bytes once).
  if (bytes > 2 * body.size() + 16) std::abort();
  return 0;
}
