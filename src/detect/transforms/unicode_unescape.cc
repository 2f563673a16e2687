#include <cstdint>

#include "common/strings.h"
#include "detect/transforms/transform.h"

namespace warden {

namespace {

// Reads exactly `n` hex digits at in[pos]; false when there are fewer.
bool ReadHex(std::string_view in, std::size_t pos, std::size_t n, std::uint32_t* value) {
  if (pos + n > in.size()) return false;
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    int d = HexValue(static_cast<unsigned char>(in[pos + k]));
    if (d < 0) return false;
    v = v * 16 + static_cast<std::uint32_t>(d);
  }
  *value = v;
  return true;
}

// Reads one escape at in[pos] ('\\' or '%'); returns the bytes consumed (0: none here) and the
// code unit or code point.
std::size_t ReadEscape(std::string_view in, std::size_t pos, std::uint32_t* cp) {
  if (in[pos] == '%') {
    if (pos + 1 < in.size() && (in[pos + 1] == 'u' || in[pos + 1] == 'U') &&
        ReadHex(in, pos + 2, 4, cp)) {
      return 6;
    }
    return 0;
  }
  if (pos + 1 >= in.size()) return 0;
  char kind = in[pos + 1];
  if (kind == 'u') {
    if (pos + 2 < in.size() && in[pos + 2] == '{') {
      std::size_t close = in.find('}', pos + 3);
      if (close == std::string_view::npos || close == pos + 3 || close - (pos + 3) > 6) return 0;
      if (!ReadHex(in, pos + 3, close - (pos + 3), cp)) return 0;
      return close + 1 - pos;
    }
    return ReadHex(in, pos + 2, 4, cp) ? 6 : 0;
  }
  if (kind == 'x' || kind == 'X') return ReadHex(in, pos + 2, 2, cp) ? 4 : 0;
  return 0;
}

}  // namespace

bool UnicodeUnescapeTransform(std::string_view in, std::string* out) {
  // Runs between escapes are copied whole, and only once some escape decodes: most texts with
  // a '%' or a '\\' hold none of these escapes.
  std::string result;
  std::size_t copied = 0;  // in[0, copied) is in result
  bool changed = false;
  for (std::size_t i = FindEither(in, '\\', '%'); i != std::string_view::npos;) {
    const char c = in[i];
    std::uint32_t cp = 0;
    std::size_t used = ReadEscape(in, i, &cp);
    if (used > 0) {
      // A high surrogate followed by an escaped low surrogate is one character.
      if (cp >= 0xD800 && cp <= 0xDBFF && i + used < in.size()) {
        std::uint32_t low = 0;
        std::size_t next = i + used;
        if (in[next] == c) {
          std::size_t used2 = ReadEscape(in, next, &low);
          if (used2 > 0 && low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            used += used2;
          }
        }
      }
      result.append(in.substr(copied, i - copied));
      AppendUtf8(cp, &result);
      i += used;
      copied = i;
      changed = true;
    } else if (c == '\\' && i + 1 < in.size() && in[i + 1] == '\\') {
      // "\\\\" stays two characters but must not start an escape of the next one.
      i += 2;
    } else {
      ++i;
    }
    i = FindEither(in, '\\', '%', i);
  }
  if (!changed) return false;
  result.append(in.substr(copied));
  *out = std::move(result);
  return true;
}

}  // namespace warden
