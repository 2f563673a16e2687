#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `request_xml`: the element texts and attributes of an XML request body; the key is an element
// path like "order/item" or "order/item/@id" ("!DOCTYPE" for the document type declaration).
class RequestXml final : public Selector {
 public:
  std::string_view name() const override { return "request_xml"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kParams); }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    for (const auto& p : view.params) {
      if (p.location == ParamLocation::kXml) {
        out->push_back({.location = ParamLocationName(p.location),
                        .key = p.key,
                        .value = p.value,
                        .field_class = FieldClass::kParams});
      }
    }
  }
};

}  // namespace

const Selector& RequestXmlSelector() {
  static const RequestXml kSelector;
  return kSelector;
}

}  // namespace warden
