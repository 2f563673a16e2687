#include <string>

#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `response_code`: the response status as decimal text; nothing when no response was captured.
class ResponseCode final : public Selector {
 public:
  std::string_view name() const override { return "response_code"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kContext); }
  bool context_only() const override { return true; }

  void Collect(const View& view, CandidateArena* arena,
               std::vector<Candidate>* out) const override {
    if (view.exchange == nullptr || view.exchange->status_code == 0) return;
    out->push_back({.location = "response_code",
                    .key = {},
                    .value = arena->Keep(std::to_string(view.exchange->status_code)),
                    .field_class = FieldClass::kContext,
                    .test_key = false});
  }
};

}  // namespace

const Selector& ResponseCodeSelector() {
  static const ResponseCode kSelector;
  return kSelector;
}

}  // namespace warden
