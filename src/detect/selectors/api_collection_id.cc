#include <string>

#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `api_collection_id`: the numeric API collection id as decimal text.
class ApiCollectionId final : public Selector {
 public:
  std::string_view name() const override { return "api_collection_id"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kContext); }
  bool context_only() const override { return true; }

  void Collect(const View& view, CandidateArena* arena,
               std::vector<Candidate>* out) const override {
    out->push_back({.location = "api_collection_id",
                    .key = {},
                    .value = arena->Keep(std::to_string(view.collection_id)),
                    .field_class = FieldClass::kContext,
                    .test_key = false});
  }
};

}  // namespace

const Selector& ApiCollectionIdSelector() {
  static const ApiCollectionId kSelector;
  return kSelector;
}

}  // namespace warden
