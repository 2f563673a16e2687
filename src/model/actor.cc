#include "model/actor.h"

#include "common/strings.h"

namespace warden {

std::string_view ActorStatusName(ActorStatus s) {
  switch (s) {
    case ActorStatus::kActive:
      return "ACTIVE";
    case ActorStatus::kMonitored:
      return "MONITORED";
    case ActorStatus::kResolved:
      return "RESOLVED";
    case ActorStatus::kAllow:
      return "ALLOW";
    case ActorStatus::kSnooze:
      return "SNOOZE";
    case ActorStatus::kSuspend:
      return "SUSPEND";
    case ActorStatus::kDeny:
      return "DENY";
  }
  return "ACTIVE";
}

std::optional<ActorStatus> ParseActorStatus(std::string_view s) {
  static constexpr ActorStatus kAll[] = {
      ActorStatus::kActive, ActorStatus::kMonitored, ActorStatus::kResolved, ActorStatus::kAllow,
      ActorStatus::kSnooze, ActorStatus::kSuspend,   ActorStatus::kDeny};
  for (ActorStatus st : kAll) {
    if (EqualsIgnoreCase(s, ActorStatusName(st))) return st;
  }
  // Akto's block/unblock vocabulary.
  if (EqualsIgnoreCase(s, "BLOCKED") || EqualsIgnoreCase(s, "BLOCK")) return ActorStatus::kDeny;
  if (EqualsIgnoreCase(s, "UNBLOCKED") || EqualsIgnoreCase(s, "UNBLOCK")) {
    return ActorStatus::kActive;
  }
  return std::nullopt;
}

std::string_view ThreatLevelName(ThreatLevel t) {
  switch (t) {
    case ThreatLevel::kLow:
      return "LOW";
    case ThreatLevel::kMedium:
      return "MEDIUM";
    case ThreatLevel::kHigh:
      return "HIGH";
    case ThreatLevel::kCritical:
      return "CRITICAL";
  }
  return "LOW";
}

std::string_view ActorKindName(ActorKind k) { return k == ActorKind::kUser ? "user" : "ip"; }

}  // namespace warden
