#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `source_ip`: the client address (trusted-proxy aware, no port); nothing when unknown.
class SourceIp final : public Selector {
 public:
  std::string_view name() const override { return "source_ip"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kContext); }
  bool context_only() const override { return true; }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    if (view.client_ip.empty()) return;
    out->push_back({.location = "source_ip",
                    .key = {},
                    .value = view.client_ip,
                    .field_class = FieldClass::kContext,
                    .test_key = false});
  }
};

}  // namespace

const Selector& SourceIpSelector() {
  static const SourceIp kSelector;
  return kSelector;
}

}  // namespace warden
