#include <string>

#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `response_code`: the response status as decimal text; nothing when no response was captured.
class ResponseCode final : public Selector {
 public:
  std::string_view name() const override { return "response_code"; }
  FieldClass field_class() const override { return FieldClass::kResponseCode; }
  bool context_only() const override { return true; }

  void Collect(const View& view, CandidateArena* arena,
               std::vector<Candidate>* out) const override {
    if (view.exchange == nullptr || view.exchange->status_code == 0) return;
    out->push_back({.location = "response_code",
                    .key = {},
                    .value = arena->Keep(std::to_string(view.exchange->status_code))});
  }
};

}  // namespace

const Selector& ResponseCodeSelector() {
  static const ResponseCode kSelector;
  return kSelector;
}

}  // namespace warden
