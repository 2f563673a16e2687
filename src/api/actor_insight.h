#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "model/actor.h"
#include "store/store.h"

namespace warden {

// What the actor view says about an actor in a few sentences, and the status it recommends.
struct ActorInsight {
  std::string text;
  // The status an operator should consider ("DENY", "SUSPEND", "ACTIVE", "RESOLVED", ...), or
  // the actor's own status when nothing should change.
  ActorStatus recommended_status = ActorStatus::kActive;
  // SUSPEND: for how long (seconds); 0 otherwise.
  std::int64_t recommended_duration = 0;
};

struct ActorInsightInput {
  const ActorDetail* detail = nullptr;
  const ActorEventBreakdown* events = nullptr;  // over the last `window_days`
  const std::unordered_map<std::string, std::string>* policy_names = nullptr;  // may be null
  std::int64_t window_days = 90;
  std::int64_t now = 0;
};

// Writes the paragraph: what the actor did (events, policies, severities, successful
// exploits), where (hosts, endpoints, countries, networks), how severe (score, threat level,
// status) and what to do (a recommended status). Pure; thread-safe. Strings from traffic
// (actor id, hosts, endpoints) are cut to a readable length and kept as text: render the
// result as text.
ActorInsight DescribeActor(const ActorInsightInput& in);

}  // namespace warden
