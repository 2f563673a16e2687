#include <algorithm>
#include <array>
#include <cstdint>

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

std::string_view FieldClassName(FieldClass c) {
  switch (c) {
    case FieldClass::kUrl:
      return "url";
    case FieldClass::kParams:
      return "params";
    case FieldClass::kHeaders:
      return "headers";
    case FieldClass::kCookies:
      return "cookies";
    case FieldClass::kRequestBody:
      return "request_body";
    case FieldClass::kResponseHeaders:
      return "response_headers";
    case FieldClass::kResponseBody:
      return "response_body";
    case FieldClass::kRequestJsonText:
      return "request_json_text";
    case FieldClass::kContext:
      return "context";
  }
  return "unknown";
}

// Adding a selector: write selectors/<name>.cc, declare its accessor in selector.h, add one row
// here (and to PrefilterSelectors when it yields a new kind of text) and one table row to
// tests/detect/selectors_test.cc.
std::span<const Selector* const> Selectors() {
  static const Selector* const kSelectors[] = {
      &UrlSelector(),
      &MethodSelector(),
      &ApiCollectionIdSelector(),
      &QueryParamSelector(),
      &RequestHeadersSelector(),
      &RequestPayloadSelector(),
      &ResponseHeadersSelector(),
      &ResponsePayloadSelector(),
      &ResponseCodeSelector(),
      &SourceIpSelector(),
      &DestinationIpSelector(),
      &CountryCodeSelector(),
      &RequestCookiesSelector(),
      &PathSegmentsSelector(),
      &RequestJsonSelector(),
      &RequestXmlSelector(),
      &RequestMultipartSelector(),
      &RequestBodyFieldsSelector(),
  };
  return kSelectors;
}

const Selector* FindSelector(std::string_view name) {
  auto table = Selectors();
  auto it = std::find_if(table.begin(), table.end(),
                         [&](const Selector* s) { return s->name() == name; });
  return it == table.end() ? nullptr : *it;
}

int SelectorIndex(const Selector* selector) {
  // Asked for every candidate list of every scan: the table's positions by address, hashed.
  constexpr int kSlotBits = 6;  // 64 slots, well above the table's size
  constexpr std::size_t kSlots = std::size_t{1} << kSlotBits;
  struct Slot {
    const Selector* selector = nullptr;
    int index = -1;
  };
  auto hash = [](const Selector* s) {
    const std::uint64_t h = reinterpret_cast<std::uintptr_t>(s) * 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(h >> (64 - kSlotBits));
  };
  static const std::array<Slot, kSlots> kByAddress = [&] {
    std::array<Slot, kSlots> slots{};
    const auto table = Selectors();
    for (std::size_t i = 0; i < table.size(); ++i) {
      std::size_t at = hash(table[i]);
      while (slots[at].selector != nullptr) at = (at + 1) % kSlots;
      slots[at] = Slot{.selector = table[i], .index = static_cast<int>(i)};
    }
    return slots;
  }();
  for (std::size_t at = hash(selector);; at = (at + 1) % kSlots) {
    if (kByAddress[at].selector == selector) return kByAddress[at].index;
    if (kByAddress[at].selector == nullptr) return -1;
  }
}

std::span<const Selector* const> PrefilterSelectors(FieldClass c) {
  static const Selector* const kUrl[] = {&UrlSelector(), &PathSegmentsSelector()};
  // Body fields, and raw bodies but the raw text of JSON read whole, come from
  // request_body_fields, as the built-in policies read them; request_payload adds that text
  // (class kRequestJsonText) to them.
  static const Selector* const kParams[] = {&QueryParamSelector(), &RequestBodyFieldsSelector()};
  static const Selector* const kHeaders[] = {&RequestHeadersSelector()};
  static const Selector* const kBody[] = {&RequestBodyFieldsSelector()};
  static const Selector* const kJsonText[] = {&RequestPayloadSelector()};
  static const Selector* const kResponseHeaders[] = {&ResponseHeadersSelector()};
  static const Selector* const kResponseBody[] = {&ResponsePayloadSelector()};
  switch (c) {
    case FieldClass::kUrl:
      return kUrl;
    case FieldClass::kParams:
      return kParams;
    case FieldClass::kHeaders:
    case FieldClass::kCookies:
      return kHeaders;
    case FieldClass::kRequestBody:
      return kBody;
    case FieldClass::kRequestJsonText:
      return kJsonText;
    case FieldClass::kResponseHeaders:
      return kResponseHeaders;
    case FieldClass::kResponseBody:
      return kResponseBody;
    case FieldClass::kContext:
      return {};
  }
  return {};
}

}  // namespace warden
