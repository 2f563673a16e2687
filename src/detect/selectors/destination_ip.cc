#include "detect/selectors/selector.h"

namespace warden {

namespace {

// `destination_ip`: the server address the sensor saw, without a port; nothing when unknown.
class DestinationIp final : public Selector {
 public:
  std::string_view name() const override { return "destination_ip"; }
  FieldClassSet field_classes() const override { return ClassBit(FieldClass::kContext); }
  bool context_only() const override { return true; }

  void Collect(const View& view, CandidateArena* /*arena*/,
               std::vector<Candidate>* out) const override {
    if (view.exchange == nullptr) return;
    std::string_view ip = view.exchange->dest_ip;
    if (!ip.empty() && ip.front() == '[') {
      std::size_t close = ip.find(']');
      ip = ip.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
    } else if (std::size_t colon = ip.find(':');
               colon != std::string_view::npos && ip.find(':', colon + 1) == std::string_view::npos) {
      ip = ip.substr(0, colon);  // exactly one colon: IPv4 with a port
    }
    if (ip.empty()) return;
    out->push_back({.location = "destination_ip",
                    .key = {},
                    .value = ip,
                    .field_class = FieldClass::kContext,
                    .test_key = false});
  }
};

}  // namespace

const Selector& DestinationIpSelector() {
  static const DestinationIp kSelector;
  return kSelector;
}

}  // namespace warden
