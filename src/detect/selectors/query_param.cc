#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `query_param`: every decoded query parameter; operators test its name and its value.
class QueryParam final : public Selector {
 public:
  std::string_view name() const override { return "query_param"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kParams); }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    for (const auto& p : view.params) {
      if (p.location == ParamLocation::kQuery) {
        out->push_back({.location = "query",
                        .key = p.key,
                        .value = p.value,
                        .field_class = FieldClass::kParams});
      }
    }
  }
};

}  // namespace

const Selector& QueryParamSelector() {
  static const QueryParam kSelector;
  return kSelector;
}

}  // namespace warden
