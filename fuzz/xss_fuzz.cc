// libFuzzer target for the XSS detector and its decoder: any bytes must be judged without
// crashing, deterministically; a match must be well formed; decoding never grows the text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "detect/detectors/markup_decode.h"
#include "detect/detectors/xss.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const warden::XssMatch m = warden::DetectXss(input);
  if (m.matched) {
    if (m.context.empty() || m.reason.empty()) __builtin_trap();
  } else if (!m.context.empty() || !m.reason.empty() || m.normalized) {
    __builtin_trap();
  }
  const warden::XssMatch again = warden::DetectXss(input);
  if (again.matched != m.matched || again.context != m.context || again.reason != m.reason) {
    __builtin_trap();
  }
  std::string copy(input);
  const std::size_t out_len = warden::detectors::DecodeMarkupEscapes(input, copy.data());
  if (out_len > size) __builtin_trap();
  std::string in_place(input);
  const std::size_t in_place_len =
      warden::detectors::DecodeMarkupEscapes(in_place, in_place.data());
  if (in_place_len != out_len || in_place.compare(0, out_len, copy, 0, out_len) != 0) {
    __builtin_trap();
  }
  return 0;
}
