#include "common/strings.h"
#include "detect/transforms/transform.h"

namespace warden {

bool LowercaseTransform(std::string_view in, std::string* out) {
  std::size_t i = 0;
  while (i < in.size() && !(in[i] >= 'A' && in[i] <= 'Z')) ++i;
  if (i == in.size()) return false;
  *out = AsciiLowered(in);
  return true;
}

}  // namespace warden
