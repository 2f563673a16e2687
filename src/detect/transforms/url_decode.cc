#include "common/strings.h"
#include "detect/transforms/transform.h"

namespace warden {

// Values reach policies decoded once already; attackers encode twice or three times so that a
// filter in front of the application sees only escapes. '+' is a space, as in query strings and
// form bodies (ModSecurity's t:urlDecode does the same).
bool UrlDecodeTransform(std::string_view in, std::string* out) {
  constexpr int kMaxRounds = 3;
  if (FindEither(in, '%', '+') == std::string_view::npos) return false;
  std::string current(in);
  bool changed = false;
  for (int round = 0; round < kMaxRounds; ++round) {
    if (FindEither(current, '%', '+') == std::string_view::npos) break;
    std::string next = PercentDecode(current, /*plus_as_space=*/true);
    if (next == current) break;
    current = std::move(next);
    changed = true;
  }
  if (changed) *out = std::move(current);
  return changed;
}

}  // namespace warden
