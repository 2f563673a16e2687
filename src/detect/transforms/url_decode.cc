#include "common/strings.h"
#include "detect/transforms/transform.h"

namespace warden {

// Values reach policies decoded once already; attackers encode twice or three times so that a
// filter in front of the application sees only escapes. '+' is a space, as in query strings and
// form bodies (ModSecurity's t:urlDecode does the same).
bool UrlDecodeTransform(std::string_view in, std::string* out) {
  constexpr int kMaxRounds = 3;
  std::string current;
  if (!PercentDecodeInto(in, /*plus_as_space=*/true, &current)) return false;
  std::string next;
  for (int round = 1;
       round < kMaxRounds && PercentDecodeInto(current, /*plus_as_space=*/true, &next);
       ++round) {
    current.swap(next);
  }
  *out = std::move(current);
  return true;
}

}  // namespace warden
