#include "behave/suppression.h"

namespace warden {

std::string SuppressionSet::Key(std::string_view filter_id, std::string_view endpoint_template) {
  std::string k(filter_id);
  k += '\0';
  k += endpoint_template;
  return k;
}

SuppressionSet::SuppressionSet(std::vector<Suppression> rules) : rules_(std::move(rules)) {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    by_key_[Key(rules_[i].filter_id, rules_[i].endpoint_template)].push_back(i);
  }
}

const Suppression* SuppressionSet::Match(std::string_view filter_id, std::string_view host,
                                         std::string_view endpoint_template, std::string_view actor,
                                         std::int64_t now) const {
  if (rules_.empty()) return nullptr;
  auto it = by_key_.find(Key(filter_id, endpoint_template));
  if (it == by_key_.end()) return nullptr;
  for (std::size_t i : it->second) {
    const Suppression& r = rules_[i];
    if (r.expires_at != 0 && now >= r.expires_at) continue;
    if (!r.host.empty() && r.host != host) continue;
    if (!r.actor.empty() && r.actor != actor) continue;
    return &r;
  }
  return nullptr;
}

}  // namespace warden
