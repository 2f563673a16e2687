#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/event.h"

namespace warden {

// SuppressionSet answers "does an ignore hide this finding?" for the detection workers. Built
// from the store's suppression rules (Store::ListSuppressions) and immutable afterwards: the
// pipeline swaps in a new set when rules change, so Match is thread-safe and lock-free.
//
// A rule matches a finding when the policy and the endpoint template are equal, the rule's host
// is empty or equal, the rule's actor is empty or equal, and the rule has not expired
// (expires_at == 0 or now < expires_at).
class SuppressionSet {
 public:
  SuppressionSet() = default;
  explicit SuppressionSet(std::vector<Suppression> rules);

  // The first matching rule, or nullptr. The pointer lives as long as the set.
  const Suppression* Match(std::string_view filter_id, std::string_view host,
                           std::string_view endpoint_template, std::string_view actor,
                           std::int64_t now) const;

  std::size_t size() const { return rules_.size(); }

 private:
  static std::string Key(std::string_view filter_id, std::string_view endpoint_template);
  std::vector<Suppression> rules_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_key_;  // into rules_
};

}  // namespace warden
