#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `request_headers`: every request header (lower-case name, value as received), then every
// decoded cookie, so a pattern sees a cookie value without its neighbours and percent-escapes.
// Operators test names and values.
class RequestHeaders final : public Selector {
 public:
  std::string_view name() const override { return "request_headers"; }
  FieldClassSet field_classes() const override {
    return ClassBit(FieldClass::kHeaders) | ClassBit(FieldClass::kCookies);
  }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    for (const auto& h : view.request_headers) {
      out->push_back({.location = "header",
                      .key = h.name,
                      .value = h.value,
                      .field_class = FieldClass::kHeaders});
    }
    for (const auto& p : view.params) {
      if (p.location == ParamLocation::kCookie) {
        out->push_back({.location = "cookie",
                        .key = p.key,
                        .value = p.value,
                        .field_class = FieldClass::kCookies});
      }
    }
  }
};

}  // namespace

const Selector& RequestHeadersSelector() {
  static const RequestHeaders kSelector;
  return kSelector;
}

}  // namespace warden
