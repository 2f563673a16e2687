#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace warden {

// True when `input` contains one of `needles`; sets `*matched` (if not null) to the first
// needle found, searching needles in order.
inline bool FindAny(std::string_view input, const std::vector<std::string>& needles,
                    std::string_view* matched) {
  for (const auto& n : needles) {
    std::size_t pos = input.find(n);
    if (pos != std::string_view::npos) {
      if (matched != nullptr) *matched = input.substr(pos, n.size());
      return true;
    }
  }
  return false;
}

}  // namespace warden
