#include <algorithm>

#include "detect/selectors/selector.h"

namespace warden {

std::string Candidate::Location() const {
  std::string out(location);
  if (!key.empty()) {
    out += ':';
    out += key;
  }
  return out;
}

// Adding a selector: write selectors/<name>.cc, declare its accessor in selector.h, add one row
// here and one table row to tests/detect/selectors_test.cc.
std::span<const Selector* const> Selectors() {
  static const Selector* const kSelectors[] = {
      &UrlSelector(),
      &MethodSelector(),
      &QueryParamSelector(),
      &RequestHeadersSelector(),
      &RequestPayloadSelector(),
      &ResponseCodeSelector(),
      &ResponsePayloadSelector(),
  };
  return kSelectors;
}

const Selector* FindSelector(std::string_view name) {
  auto table = Selectors();
  auto it = std::find_if(table.begin(), table.end(),
                         [&](const Selector* s) { return s->name() == name; });
  return it == table.end() ? nullptr : *it;
}

}  // namespace warden
