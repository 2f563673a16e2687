#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `response_payload`: every flattened JSON response value (key and value), then the raw body.
class ResponsePayload final : public Selector {
 public:
  std::string_view name() const override { return "response_payload"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kResponseBody); }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    for (const auto& p : view.response_params) {
      out->push_back({.location = "response_json",
                      .key = p.key,
                      .value = p.value,
                      .field_class = FieldClass::kResponseBody});
    }
    if (view.exchange != nullptr && !view.exchange->response_body.empty()) {
      out->push_back({.location = "response_body",
                      .key = {},
                      .value = view.exchange->response_body,
                      .field_class = FieldClass::kResponseBody,
                      .test_key = false});
    }
  }
};

}  // namespace

const Selector& ResponsePayloadSelector() {
  static const ResponsePayload kSelector;
  return kSelector;
}

}  // namespace warden
