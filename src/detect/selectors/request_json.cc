#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `request_json`: the fields of a JSON request body only; the key is a path like "user.tags[0]".
class RequestJson final : public Selector {
 public:
  std::string_view name() const override { return "request_json"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kParams); }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    for (const auto& p : view.params) {
      if (p.location == ParamLocation::kJson) {
        out->push_back({.location = ParamLocationName(p.location),
                        .key = p.key,
                        .value = p.value,
                        .field_class = FieldClass::kParams});
      }
    }
  }
};

}  // namespace

const Selector& RequestJsonSelector() {
  static const RequestJson kSelector;
  return kSelector;
}

}  // namespace warden
