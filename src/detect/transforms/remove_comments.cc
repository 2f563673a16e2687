#include "common/strings.h"
#include "detect/transforms/transform.h"

namespace warden {

// SQL and C comments are folded to one space: "un/**/ion" hides "union" from a pattern, while
// "1 union/**/select" becomes "1 union select". A MySQL versioned comment (/*!50000 union*/)
// is code to MySQL, so its body is kept and only the markers go.
bool RemoveCommentsTransform(std::string_view in, std::string* out) {
  if (in.find("/*") == std::string_view::npos && in.find("--") == std::string_view::npos &&
      in.find('#') == std::string_view::npos) {
    return false;
  }
  std::string result;
  result.reserve(in.size());
  bool changed = false;
  std::size_t i = 0;
  while (i < in.size()) {
    if (in.compare(i, 2, "/*") == 0) {
      std::size_t close = in.find("*/", i + 2);
      std::size_t end = close == std::string_view::npos ? in.size() : close + 2;
      if (i + 2 < in.size() && in[i + 2] == '!') {
        std::size_t body = i + 3;
        while (body < in.size() && IsAsciiDigit(static_cast<unsigned char>(in[body]))) ++body;
        std::size_t body_end = close == std::string_view::npos ? in.size() : close;
        result.push_back(' ');
        result.append(in.substr(body, body_end > body ? body_end - body : 0));
        result.push_back(' ');
      } else {
        result.push_back(' ');
      }
      i = end;
      changed = true;
      continue;
    }
    if (in.compare(i, 2, "--") == 0 || in[i] == '#') {
      std::size_t eol = in.find('\n', i);
      result.push_back(' ');
      i = eol == std::string_view::npos ? in.size() : eol;
      changed = true;
      continue;
    }
    result.push_back(in[i]);
    ++i;
  }
  if (changed) *out = std::move(result);
  return changed;
}

}  // namespace warden
