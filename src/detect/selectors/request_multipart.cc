#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `request_multipart`: the fields of a multipart/form-data body; the key is the field name, and
// "<field>.filename" holds the file name of an upload.
class RequestMultipart final : public Selector {
 public:
  std::string_view name() const override { return "request_multipart"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kParams); }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    for (const auto& p : view.params) {
      if (p.location == ParamLocation::kMultipart) {
        out->push_back({.location = ParamLocationName(p.location),
                        .key = p.key,
                        .value = p.value,
                        .field_class = FieldClass::kParams});
      }
    }
  }
};

}  // namespace

const Selector& RequestMultipartSelector() {
  static const RequestMultipart kSelector;
  return kSelector;
}

}  // namespace warden
