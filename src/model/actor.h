#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/severity.h"
#include "model/view.h"

namespace warden {

enum class ActorStatus {
  kActive,     // default
  kMonitored,  // anomalous, not yet attacking
  kResolved,   // score reset; back to kActive on new malicious activity
  kAllow,
  kSnooze,
  kSuspend,
  kDeny,
};
enum class ThreatLevel { kLow, kMedium, kHigh, kCritical };

std::string_view ActorStatusName(ActorStatus s);  // "ACTIVE", "MONITORED", ...
std::optional<ActorStatus> ParseActorStatus(std::string_view s);
std::string_view ThreatLevelName(ThreatLevel t);  // "LOW".."CRITICAL"
std::string_view ActorKindName(ActorKind k);      // "ip" / "user"

// What Warden knows about one IP address (actors/ fills it from range files, .mmdb databases and
// user-supplied lists). Empty strings and 0 mean unknown. Plain value type.
struct IpInfo {
  std::string country;  // ISO-2
  std::string city;
  std::string region;  // first subdivision
  std::int64_t asn = 0;
  std::string org;         // AS organisation
  std::string ip_type;     // "datacenter", "vpn", "tor", "proxy" or "" (residential/unknown)
  std::string reputation;  // "low", "medium", "high", "critical" risk, or "" (no signal)
};

// An Actor is a source of traffic: an IP or a user id. Plain value type; the store keeps the
// authoritative copy.
struct Actor {
  std::string id;
  ActorKind kind = ActorKind::kIp;
  std::string latest_ip;
  std::string country;
  std::int64_t first_seen = 0;  // Akto `discoveredAt`
  std::int64_t last_seen = 0;
  std::string latest_api_endpoint;
  std::string latest_api_method;
  std::string latest_api_host;
  std::string latest_attack;  // filter id of the latest event
  std::string latest_sub_category;
  Severity max_severity = Severity::kLow;
  std::int64_t event_count = 0;
  double score = 0;  // decayed to the time it was read (see actors/scoring.h)
  ThreatLevel threat_level = ThreatLevel::kLow;
  ActorStatus status = ActorStatus::kActive;  // effective: an expired status reads as kActive
  std::int64_t status_expires_at = 0;         // 0 = no expiry
  std::int64_t status_changed_at = 0;
  std::int64_t score_at = 0;        // time of the newest ledger row counted in `score`
  std::int64_t score_reset_at = 0;  // last RESOLVED: ledger rows up to here no longer count
  std::int64_t ip_count = 0;        // distinct IPs the actor used
};

}  // namespace warden
