#include "common/strings.h"
#include "detect/transforms/transform.h"

namespace warden {

namespace {

bool IsBase64Char(unsigned char c) {
  return IsAsciiAlnum(c) || c == '+' || c == '/' || c == '-' || c == '_' || c == '=';
}

// Text, not binary: at least 90% of the bytes are printable ASCII, tab or newline, or belong to
// valid UTF-8 sequences.
bool MostlyPrintable(std::string_view s) {
  if (s.empty()) return false;
  const bool utf8 = IsValidUtf8(s);
  std::size_t printable = 0;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r' || (c >= 0x80 && utf8)) {
      ++printable;
    }
  }
  return printable * 10 >= s.size() * 9;
}

}  // namespace

// Only whole values are decoded, so ordinary words that happen to be base64 ("username" is)
// stay as they are unless their decoding reads as text.
bool Base64DecodeTransform(std::string_view in, std::string* out) {
  constexpr std::size_t kMinChars = 8;
  std::string_view v = TrimSpace(in);
  if (v.size() < kMinChars) return false;
  for (char ch : v) {
    if (!IsBase64Char(static_cast<unsigned char>(ch))) return false;
  }
  std::optional<std::string> decoded = Base64Decode(v);
  if (!decoded.has_value() || !MostlyPrintable(*decoded)) return false;
  *out = std::move(*decoded);
  return true;
}

}  // namespace warden
