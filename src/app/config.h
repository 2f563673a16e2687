#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actors/enrich.h"
#include "actors/scoring.h"
#include "behave/window_rule.h"
#include "common/status.h"
#include "normalize/actor_identity.h"
#include "store/store.h"

namespace warden {

// The configuration `warden serve --config FILE` reads: everything about threat state that is
// not a command-line flag. Plain value type; defaults are Warden's defaults. See
// docs/events-and-actors.md for the meaning of each field and README.md for the file format.
struct ServeConfig {
  ActorIdentityConfig actor_identity;
  ScoringConfig scoring;
  AggregationConfig aggregation;
  std::int64_t burst_interval_seconds = 60;
  EnrichmentConfig enrichment;
  RetentionPolicy retention;
  std::int64_t retention_interval_seconds = 3600;
  std::int64_t maintenance_interval_seconds = 60;
};

// Parses a YAML configuration over `defaults`: keys present replace the defaults, absent keys
// keep them. Unknown keys are errors, so a typo never silently does nothing. Errors are
// InvalidArgument naming the file, line and key path ("warden.yaml:12: scoring.half_life:
// expected a duration like 90s, 15m, 24h, 7d"). Durations are seconds as an integer or a number
// with a unit s, m, h, d or w.
Result<ServeConfig> ParseServeConfig(std::string_view yaml, std::string_view name,
                                     ServeConfig defaults = {});
Result<ServeConfig> LoadServeConfig(const std::string& path, ServeConfig defaults = {});

// "90" → 90, "90s" → 90, "15m" → 900, "24h", "7d", "1w". nullopt when malformed or negative.
std::optional<std::int64_t> ParseDuration(std::string_view text);

}  // namespace warden
