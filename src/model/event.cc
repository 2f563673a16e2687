#include "model/event.h"

#include "common/strings.h"

namespace warden {

std::string_view EventTypeName(EventType t) {
  return t == EventType::kAggregated ? "AGGREGATED" : "SINGLE";
}

std::string_view EventStatusName(EventStatus s) {
  switch (s) {
    case EventStatus::kActive:
      return "ACTIVE";
    case EventStatus::kUnderReview:
      return "UNDER_REVIEW";
    case EventStatus::kIgnored:
      return "IGNORED";
    case EventStatus::kTraining:
      return "TRAINING";
  }
  return "ACTIVE";
}

std::string_view DetectionTypeName(DetectionType t) {
  return t == DetectionType::kAnomaly ? "Anomaly" : "Rule-Based";
}

std::optional<EventType> ParseEventType(std::string_view s) {
  if (EqualsIgnoreCase(s, "SINGLE")) return EventType::kSingle;
  if (EqualsIgnoreCase(s, "AGGREGATED")) return EventType::kAggregated;
  return std::nullopt;
}

std::optional<EventStatus> ParseEventStatus(std::string_view s) {
  if (EqualsIgnoreCase(s, "ACTIVE") || EqualsIgnoreCase(s, "EVENTS")) return EventStatus::kActive;
  if (EqualsIgnoreCase(s, "UNDER_REVIEW")) return EventStatus::kUnderReview;
  if (EqualsIgnoreCase(s, "IGNORED")) return EventStatus::kIgnored;
  if (EqualsIgnoreCase(s, "TRAINING")) return EventStatus::kTraining;
  return std::nullopt;
}

std::optional<DetectionType> ParseDetectionType(std::string_view s) {
  if (EqualsIgnoreCase(s, "Rule-Based") || EqualsIgnoreCase(s, "RULE_BASED")) {
    return DetectionType::kRuleBased;
  }
  if (EqualsIgnoreCase(s, "Anomaly")) return DetectionType::kAnomaly;
  return std::nullopt;
}

}  // namespace warden
