#include "detect/selectors/selector.h"

namespace warden {

namespace {

bool IsBodyLocation(ParamLocation loc) {
  return loc == ParamLocation::kForm || loc == ParamLocation::kJson ||
         loc == ParamLocation::kMultipart || loc == ParamLocation::kXml;
}

// `request_payload`: every flattened body parameter (form, JSON, multipart, XML; key and value),
// then the raw body. Parameters come first so that a finding names the most precise location.
// The raw text of a JSON body read whole (View::request_json_whole) is of its own class.
//
// `request_body_fields`: the same, but for such a JSON body, whose keys and values are then all
// there is to it: its raw text adds only JSON syntax, at the cost of one more long, new text per
// request. A form, multipart or XML body keeps its raw text, which shows what decoding and
// parsing take away (encodings, part headers, declarations).
class RequestPayload final : public Selector {
 public:
  RequestPayload(std::string_view name, bool raw_json) : name_(name), raw_json_(raw_json) {}

  std::string_view name() const override { return name_; }
  FieldClassSet field_classes() const override {
    return ClassBit(FieldClass::kParams) | ClassBit(FieldClass::kRequestBody) |
           (raw_json_ ? ClassBit(FieldClass::kRequestJsonText) : 0);
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
    if (view.exchange == nullptr || view.exchange->request_body.empty()) return;
    if (view.request_json_whole && !raw_json_) return;
    out->push_back({.location = "body",
                    .key = {},
                    .value = view.exchange->request_body,
                    .field_class = view.request_json_whole ? FieldClass::kRequestJsonText
                                                           : FieldClass::kRequestBody,
                    .test_key = false});
  }

 private:
  std::string_view name_;
  bool raw_json_;
};

}  // namespace

const Selector& RequestPayloadSelector() {
  static const RequestPayload kSelector("request_payload", true);
  return kSelector;
}

const Selector& RequestBodyFieldsSelector() {
  static const RequestPayload kSelector("request_body_fields", false);
  return kSelector;
}

}  // namespace warden
