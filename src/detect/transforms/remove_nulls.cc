#include "detect/transforms/transform.h"

namespace warden {

bool RemoveNullsTransform(std::string_view in, std::string* out) {
  if (in.find('\0') == std::string_view::npos) return false;
  std::string result;
  result.reserve(in.size());
  for (char c : in) {
    if (c != '\0') result.push_back(c);
  }
  *out = std::move(result);
  return true;
}

}  // namespace warden
