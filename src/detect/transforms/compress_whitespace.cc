#include "common/strings.h"
#include "detect/transforms/transform.h"

namespace warden {

// Any ASCII whitespace (tab, newline, vertical tab, ...) becomes one space, so "union\t\nselect"
// reads as "union select".
bool CompressWhitespaceTransform(std::string_view in, std::string* out) {
  bool needed = false;
  for (std::size_t i = 0; i < in.size() && !needed; ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (!IsAsciiSpace(c)) continue;
    needed = c != ' ' || (i + 1 < in.size() && IsAsciiSpace(static_cast<unsigned char>(in[i + 1])));
  }
  if (!needed) return false;
  std::string result;
  result.reserve(in.size());
  bool in_space = false;
  for (char ch : in) {
    if (IsAsciiSpace(static_cast<unsigned char>(ch))) {
      if (!in_space) result.push_back(' ');
      in_space = true;
    } else {
      result.push_back(ch);
      in_space = false;
    }
  }
  *out = std::move(result);
  return true;
}

}  // namespace warden
