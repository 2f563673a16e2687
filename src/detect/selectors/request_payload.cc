#include "detect/selectors/selector.h"

namespace warden {

namespace {

bool IsBodyLocation(ParamLocation loc) {
  return loc == ParamLocation::kForm || loc == ParamLocation::kJson ||
         loc == ParamLocation::kMultipart || loc == ParamLocation::kXml;
}

// `request_payload`: every flattened body parameter (form, JSON, multipart, XML; key and value),
// then the raw body. Parameters come first so that a finding names the most precise location.
class RequestPayload final : public Selector {
 public:
  std::string_view name() const override { return "request_payload"; }
  FieldClassSet field_classes() const override {
    return ClassBit(FieldClass::kParams) | ClassBit(FieldClass::kRequestBody);
  }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    for (const auto& p : view.params) {
      if (IsBodyLocation(p.location)) {
        out->push_back({.location = ParamLocationName(p.location),
                        .key = p.key,
                        .value = p.value,
                        .field_class = FieldClass::kParams});
      }
    }
    if (view.exchange != nullptr && !view.exchange->request_body.empty()) {
      out->push_back({.location = "body",
                      .key = {},
                      .value = view.exchange->request_body,
                      .field_class = FieldClass::kRequestBody,
                      .test_key = false});
    }
  }
};

}  // namespace

const Selector& RequestPayloadSelector() {
  static const RequestPayload kSelector;
  return kSelector;
}

}  // namespace warden
