#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `request_cookies`: every cookie of the Cookie header(s), name and percent-decoded value.
class RequestCookies final : public Selector {
 public:
  std::string_view name() const override { return "request_cookies"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kCookies); }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
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

const Selector& RequestCookiesSelector() {
  static const RequestCookies kSelector;
  return kSelector;
}

}  // namespace warden
