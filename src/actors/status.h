#pragma once

#include <cstdint>
#include <optional>

#include "common/status.h"
#include "model/actor.h"

namespace warden {

// The rules of actor statuses. Pure functions; thread-safe.
//
//   ACTIVE     default; the actor attacked recently.
//   MONITORED  anomalous, not yet attacking: a new actor whose only events come from policies in
//              monitor mode (or anomaly detectors). Its first enforced event makes it ACTIVE.
//   RESOLVED   no longer a threat: the score restarts from 0 (ledger rows are kept). The next
//              enforced event makes it ACTIVE again.
//   ALLOW      never blocked, whatever it does. Permanent until changed.
//   SNOOZE     allowed for a while (1 hour to 1 week), then ACTIVE.
//   SUSPEND    blocked for a while (1 hour to 1 week), then ACTIVE.
//   DENY       blocked until changed.
//
// An expiry takes effect at its time: reads and blocking decisions compare it with the clock;
// a periodic sweep writes the SNOOZE/SUSPEND → ACTIVE transition to the status log (by `system`,
// at the expiry time).
inline constexpr std::int64_t kMinTimedStatusSeconds = 3600;
inline constexpr std::int64_t kMaxTimedStatusSeconds = 7 * 24 * 3600;
inline constexpr char kSystemActor[] = "system";

// True for SNOOZE and SUSPEND, the statuses that need a duration.
bool IsTimedStatus(ActorStatus s);

// Checks a requested change: SNOOZE/SUSPEND need 1 hour <= duration <= 1 week; every other
// status takes no duration (0). InvalidArgument naming `duration` otherwise.
Status ValidateStatusChange(ActorStatus to, std::int64_t duration_seconds);

// The status in force at `now`: a timed status whose expiry passed is ACTIVE.
ActorStatus EffectiveStatus(ActorStatus stored, std::int64_t expires_at, std::int64_t now);

// True when an actor in this stored state is blocked at `now` (SUSPEND before expiry, DENY).
bool IsBlockingStatus(ActorStatus stored, std::int64_t expires_at, std::int64_t now);
// True when the actor is explicitly allowed at `now` (ALLOW, SNOOZE before expiry).
bool IsAllowingStatus(ActorStatus stored, std::int64_t expires_at, std::int64_t now);

// The status after an enforced (non-monitor) event: RESOLVED and MONITORED become ACTIVE;
// anything else stays. nullopt when nothing changes.
std::optional<ActorStatus> StatusAfterMaliciousActivity(ActorStatus effective);

}  // namespace warden
