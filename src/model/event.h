#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/severity.h"

namespace warden {

enum class EventType { kSingle, kAggregated };
enum class EventStatus { kActive, kUnderReview, kIgnored, kTraining };
enum class DetectionType { kRuleBased, kAnomaly };

std::string_view EventTypeName(EventType t);          // "SINGLE" / "AGGREGATED"
std::string_view EventStatusName(EventStatus s);      // "ACTIVE", "UNDER_REVIEW", ...
std::string_view DetectionTypeName(DetectionType t);  // "Rule-Based" / "Anomaly"
std::optional<EventType> ParseEventType(std::string_view s);
std::optional<EventStatus> ParseEventStatus(std::string_view s);
std::optional<DetectionType> ParseDetectionType(std::string_view s);

// An Event is what operators see: a threat detected for an actor on an endpoint. Field names
// follow Akto's malicious event. Plain value type.
struct Event {
  std::string id;      // UUID
  std::string ref_id;  // UUID of the stored sample (request/response) behind it
  std::string actor;
  std::string filter_id;  // policy id
  std::string url;        // request path without query, as received
  std::string endpoint_template;
  std::string method;
  std::string host;
  std::string ip;
  std::string country;  // ISO-2, or ""
  std::int32_t api_collection_id = 0;
  DetectionType type = DetectionType::kRuleBased;
  EventType event_type = EventType::kSingle;
  std::string category;
  std::string sub_category;
  Severity severity = Severity::kHigh;
  std::string location;  // where the policy matched
  std::string matched;   // the matched fragment
  std::string payload;   // the sample: the exchange as Akto-style JSON (see ingest::ToAktoJson)
  std::string metadata;  // JSON object text
  std::int64_t detected_at = 0;  // Unix seconds of the request
  EventStatus status = EventStatus::kActive;
  bool successful_exploit = false;
  std::int64_t count = 1;             // identical findings folded into this event
  std::int64_t last_detected_at = 0;  // newest folded finding; 0 = detected_at
  // The policy's standard tags at detection time (dashboards count by them).
  std::vector<std::string> owasp_api_2023;
  std::vector<std::string> owasp_2021;
  std::vector<std::string> cwe;
  // AGGREGATED: the stored samples (ref ids) of the newest matches in the window, newest first.
  std::vector<std::string> sample_refs;
};

// Identical findings added to an existing event (burst folding, see behave/burst.h).
struct EventFold {
  std::string event_id;               // the event that absorbs the findings
  std::int64_t count = 0;             // findings added
  std::int64_t last_detected_at = 0;  // newest of them
  bool successful_exploit = false;    // one of them proved the exploit
};

// A suppression rule, created by ignoring events: findings of `filter_id` on
// (`host`, `endpoint_template`) — from `actor` only, when set — make no event until `expires_at`.
// Suppressed findings are still counted (`hits`, `last_hit_at`) so operators see what an
// ignore hides. Plain value type.
struct Suppression {
  std::string id;
  std::string filter_id;
  std::string endpoint_template;
  std::string host;   // "" = any host
  std::string actor;  // "" = any actor
  std::int64_t created_at = 0;
  std::string created_by;  // API key name, or "system"
  std::string reason;
  std::int64_t expires_at = 0;  // 0 = never
  std::int64_t hits = 0;
  std::int64_t last_hit_at = 0;
};

}  // namespace warden
