#include "actors/status.h"

#include <string>

namespace warden {

bool IsTimedStatus(ActorStatus s) {
  return s == ActorStatus::kSnooze || s == ActorStatus::kSuspend;
}

Status ValidateStatusChange(ActorStatus to, std::int64_t duration_seconds) {
  if (IsTimedStatus(to)) {
    if (duration_seconds < kMinTimedStatusSeconds || duration_seconds > kMaxTimedStatusSeconds) {
      return Status::InvalidArgument(std::string("duration: ") + std::string(ActorStatusName(to)) +
                                         " lasts from 1 hour (3600) to 1 week (604800) seconds",
                                     "duration");
    }
    return Status::Ok();
  }
  if (duration_seconds != 0) {
    return Status::InvalidArgument(
        std::string("duration: ") + std::string(ActorStatusName(to)) + " takes no duration",
        "duration");
  }
  return Status::Ok();
}

ActorStatus EffectiveStatus(ActorStatus stored, std::int64_t expires_at, std::int64_t now) {
  if (IsTimedStatus(stored) && expires_at > 0 && expires_at <= now) return ActorStatus::kActive;
  return stored;
}

bool IsBlockingStatus(ActorStatus stored, std::int64_t expires_at, std::int64_t now) {
  ActorStatus s = EffectiveStatus(stored, expires_at, now);
  return s == ActorStatus::kSuspend || s == ActorStatus::kDeny;
}

bool IsAllowingStatus(ActorStatus stored, std::int64_t expires_at, std::int64_t now) {
  ActorStatus s = EffectiveStatus(stored, expires_at, now);
  return s == ActorStatus::kAllow || s == ActorStatus::kSnooze;
}

std::optional<ActorStatus> StatusAfterMaliciousActivity(ActorStatus effective) {
  if (effective == ActorStatus::kResolved || effective == ActorStatus::kMonitored) {
    return ActorStatus::kActive;
  }
  return std::nullopt;
}

}  // namespace warden
