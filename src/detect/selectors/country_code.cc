#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `country_code`: the ISO 3166 country of the client address (View::country, filled from the
// geo database before the scan); nothing when unknown.
class CountryCode final : public Selector {
 public:
  std::string_view name() const override { return "country_code"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kContext); }
  bool context_only() const override { return true; }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    if (view.country.empty()) return;
    out->push_back({.location = "country_code",
                    .key = {},
                    .value = view.country,
                    .field_class = FieldClass::kContext,
                    .test_key = false});
  }
};

}  // namespace

const Selector& CountryCodeSelector() {
  static const CountryCode kSelector;
  return kSelector;
}

}  // namespace warden
