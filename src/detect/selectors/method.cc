#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `method`: the upper-cased request method.
class Method final : public Selector {
 public:
  std::string_view name() const override { return "method"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kContext); }
  bool context_only() const override { return true; }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    out->push_back({.location = "method",
                    .key = {},
                    .value = view.method,
                    .field_class = FieldClass::kContext,
                    .test_key = false});
  }
};

}  // namespace

const Selector& MethodSelector() {
  static const Method kSelector;
  return kSelector;
}

}  // namespace warden
