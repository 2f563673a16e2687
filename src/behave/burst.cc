#include "behave/burst.h"

namespace warden {

EventFold BurstFolder::Fold(const Event& e, bool* exploit_upgrade) {
  if (exploit_upgrade != nullptr) *exploit_upgrade = false;
  if (interval_ <= 0 || e.event_type != EventType::kSingle) return {};
  std::string key = e.actor;
  for (const std::string* part : {&e.host, &e.method, &e.endpoint_template, &e.filter_id}) {
    key += '\0';
    key += *part;
  }
  auto it = bursts_.find(key);
  if (it != bursts_.end()) {
    Burst& b = it->second;
    std::int64_t age = e.detected_at - b.started_at;
    // Workers finish chunks out of order, so a finding may arrive slightly before its burst.
    if (age > -interval_ && age < interval_) {
      EventFold fold{.event_id = b.event_id,
                     .count = e.count > 0 ? e.count : 1,
                     .last_detected_at = e.detected_at,
                     .successful_exploit = e.successful_exploit};
      if (e.successful_exploit && !b.successful_exploit) {
        b.successful_exploit = true;
        if (exploit_upgrade != nullptr) *exploit_upgrade = true;
      }
      return fold;
    }
    // Much older than the open burst (a late arrival): it stands alone, the burst stays open.
    if (age < 0) return {};
  }
  bursts_[key] = Burst{e.id, e.detected_at, e.successful_exploit};
  return {};
}

std::size_t BurstFolder::Sweep(std::int64_t now) {
  std::size_t n = 0;
  for (auto it = bursts_.begin(); it != bursts_.end();) {
    if (now - it->second.started_at >= interval_) {
      it = bursts_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

}  // namespace warden
