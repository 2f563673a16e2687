#pragma once

#include <optional>
#include <string_view>

namespace warden {

// How bad a finding or event is. Ordered: comparisons rank severities.
enum class Severity { kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };

// "LOW", "MEDIUM", "HIGH", "CRITICAL" (Akto's spelling).
std::string_view SeverityName(Severity s);
// Case-insensitive; also accepts "info" as LOW. nullopt for anything else.
std::optional<Severity> ParseSeverity(std::string_view s);

}  // namespace warden
