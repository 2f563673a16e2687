#include "common/strings.h"
#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `url`: the request target (path and query) as on the wire, and its percent-decoded form when
// that differs ('+' is kept: it is a space only inside query values, which `query_param` has).
class Url final : public Selector {
 public:
  std::string_view name() const override { return "url"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kUrl); }

  void Collect(const View& view, CandidateArena* arena,
               std::vector<Candidate>* out) const override {
    std::string_view raw;
    if (view.exchange != nullptr) {
      raw = view.exchange->target;
    } else {
      raw = arena->Keep(view.query.empty() ? view.raw_path : view.raw_path + "?" + view.query);
    }
    out->push_back({.location = "url",
                    .key = {},
                    .value = raw,
                    .field_class = FieldClass::kUrl,
                    .test_key = false});
    if (raw.find('%') != std::string_view::npos) {
      std::string decoded = PercentDecode(raw, /*plus_as_space=*/false);
      if (decoded != raw) {
        out->push_back({.location = "url",
                        .key = {},
                        .value = arena->Keep(std::move(decoded)),
                        .field_class = FieldClass::kUrl,
                        .test_key = false});
      }
    }
  }
};

}  // namespace

const Selector& UrlSelector() {
  static const Url kSelector;
  return kSelector;
}

}  // namespace warden
