#include "common/strings.h"
#include "detect/transforms/transform.h"

namespace warden {

namespace {

// One round of form decoding (%XX and '+') into `out`, copying the runs between escapes whole.
// False, with `out` empty, when nothing decodes: the text would come out the same.
bool DecodeOnce(std::string_view in, std::string* out) {
  out->clear();
  std::size_t copied = 0;  // in[0, copied) is in *out
  bool changed = false;
  auto next_from = [&](std::size_t from) {
    const std::size_t at = FindEither(in.substr(from), '%', '+');
    return at == std::string_view::npos ? at : from + at;
  };
  for (std::size_t i = next_from(0); i != std::string_view::npos;) {
    std::size_t after = i + 1;
    if (in[i] == '+') {
      out->append(in.substr(copied, i - copied));
      out->push_back(' ');
      copied = after;
      changed = true;
    } else if (i + 2 < in.size()) {
      const int hi = HexValue(static_cast<unsigned char>(in[i + 1]));
      const int lo = HexValue(static_cast<unsigned char>(in[i + 2]));
      if (hi >= 0 && lo >= 0) {
        out->append(in.substr(copied, i - copied));
        out->push_back(static_cast<char>(hi * 16 + lo));
        after = i + 3;
        copied = after;
        changed = true;
      }
    }
    i = after < in.size() ? next_from(after) : std::string_view::npos;
  }
  if (changed) out->append(in.substr(copied));
  return changed;
}

}  // namespace

// Values reach policies decoded once already; attackers encode twice or three times so that a
// filter in front of the application sees only escapes. '+' is a space, as in query strings and
// form bodies (ModSecurity's t:urlDecode does the same).
bool UrlDecodeTransform(std::string_view in, std::string* out) {
  constexpr int kMaxRounds = 3;
  std::string current;
  if (!DecodeOnce(in, &current)) return false;
  std::string next;
  for (int round = 1; round < kMaxRounds && DecodeOnce(current, &next); ++round) {
    current.swap(next);
  }
  *out = std::move(current);
  return true;
}

}  // namespace warden
