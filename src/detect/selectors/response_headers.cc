#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `response_headers`: every response header (lower-case name, value as received).
class ResponseHeaders final : public Selector {
 public:
  std::string_view name() const override { return "response_headers"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kResponseHeaders); }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    for (const auto& h : view.response_headers) {
      out->push_back({.location = "response_header",
                      .key = h.name,
                      .value = h.value,
                      .field_class = FieldClass::kResponseHeaders});
    }
  }
};

}  // namespace

const Selector& ResponseHeadersSelector() {
  static const ResponseHeaders kSelector;
  return kSelector;
}

}  // namespace warden
