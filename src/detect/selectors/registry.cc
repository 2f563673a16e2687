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
  auto table = Selectors();
  auto it = std::find(table.begin(), table.end(), selector);
  return it == table.end() ? -1 : static_cast<int>(it - table.begin());
}

std::span<const Selector* const> PrefilterSelectors(FieldClass c) {
  static const Selector* const kUrl[] = {&UrlSelector(), &PathSegmentsSelector()};
  static const Selector* const kParams[] = {&QueryParamSelector(), &RequestPayloadSelector()};
  static const Selector* const kHeaders[] = {&RequestHeadersSelector()};
  static const Selector* const kBody[] = {&RequestPayloadSelector()};
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
