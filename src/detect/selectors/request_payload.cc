#include "detect/selectors/selector.h"

namespace warden {

namespace {

bool IsBodyLocation(ParamLocation loc) {
  return loc == ParamLocation::kForm || loc == ParamLocation::kJson ||
         loc == ParamLocation::kMultipart || loc == ParamLocation::kXml;
}

// `request_payload`: every flattened body parameter (form, JSON, multipart, XML; key and value),
// then the raw body, unless the body is a JSON document read whole into parameters: then its
// keys and values are all there is to it (as Akto reads the selector), and the raw text adds
// only JSON syntax, at the cost of one more long, new text per request. A form, multipart or
// XML body keeps its raw text, which shows what decoding and parsing take away (encodings,
// part headers, declarations). Parameters come first so that a finding names the most precise
// location.
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
    if (!view.request_json_whole && view.exchange != nullptr &&
        !view.exchange->request_body.empty()) {
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
