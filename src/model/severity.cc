#include "model/severity.h"

#include "common/strings.h"

namespace warden {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kLow:
      return "LOW";
    case Severity::kMedium:
      return "MEDIUM";
    case Severity::kHigh:
      return "HIGH";
    case Severity::kCritical:
      return "CRITICAL";
  }
  return "HIGH";
}

std::optional<Severity> ParseSeverity(std::string_view s) {
  s = TrimSpace(s);
  if (EqualsIgnoreCase(s, "low") || EqualsIgnoreCase(s, "info")) return Severity::kLow;
  if (EqualsIgnoreCase(s, "medium")) return Severity::kMedium;
  if (EqualsIgnoreCase(s, "high")) return Severity::kHigh;
  if (EqualsIgnoreCase(s, "critical")) return Severity::kCritical;
  return std::nullopt;
}

}  // namespace warden
