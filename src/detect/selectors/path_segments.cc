#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `path_segments`: every non-empty segment of the path, percent-decoded on its own (an encoded
// '/' stays inside its segment). The key is the segment's 0-based index; it names the location
// ("path:2") and is not tested.
class PathSegments final : public Selector {
 public:
  std::string_view name() const override { return "path_segments"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kUrl); }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    for (const auto& p : view.params) {
      if (p.location == ParamLocation::kPath) {
        out->push_back({.location = "path",
                        .key = p.key,
                        .value = p.value,
                        .field_class = FieldClass::kUrl,
                        .test_key = false});
      }
    }
  }
};

}  // namespace

const Selector& PathSegmentsSelector() {
  static const PathSegments kSelector;
  return kSelector;
}

}  // namespace warden
