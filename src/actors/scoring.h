#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "model/actor.h"
#include "model/severity.h"

namespace warden {

// How events turn into an actor's threat score. Plain configuration; validate with Validate().
//
//   points(event)  = points_by_severity[severity] x (successful exploit ? exploit_multiplier : 1)
//   score(now)     = sum over ledger rows r with r.at > reset_at of
//                        r.points x 2^(-(now - r.at) / half_life_seconds)
//   threat level   = CRITICAL if score >= critical_threshold, else HIGH if >= high_threshold,
//                    else MEDIUM if >= medium_threshold, else LOW
//
// A score is only read at or after its newest row (now >= score_at); reading it earlier returns
// the value at score_at.
struct ScoringConfig {
  double low_points = 5;
  double medium_points = 10;
  double high_points = 20;
  double critical_points = 40;
  double exploit_multiplier = 2;
  std::int64_t half_life_seconds = 24 * 3600;
  double medium_threshold = 20;
  double high_threshold = 50;
  double critical_threshold = 80;

  // InvalidArgument naming the field: points < 0, multiplier < 1, half-life < 60 s, thresholds
  // not strictly increasing or not positive.
  Status Validate() const;
};

// One row of an actor's score ledger: what one event contributed.
struct ScoreLedgerRow {
  std::string actor;
  std::string event_id;
  std::int64_t at = 0;  // the event's detection time
  Severity severity = Severity::kLow;
  bool successful_exploit = false;
  double points = 0;   // EventPoints() when the row was written
  std::string reason;  // "event", "exploit" (a folded finding proved the exploit), ...
};

// Points an event adds.
double EventPoints(const ScoringConfig& config, Severity severity, bool successful_exploit);

// `score`, valid at `from`, decayed to `to` (>= from; earlier `to` returns `score`).
double DecayScore(const ScoringConfig& config, double score, std::int64_t from, std::int64_t to);

// The running form of the score: (value, at) with value = score(at). Adding a row keeps it equal
// to the sum formula for every `now >= at`, whatever order the rows come in.
struct RunningScore {
  double value = 0;
  std::int64_t at = 0;
};
RunningScore AddPoints(const ScoringConfig& config, RunningScore current, double points,
                       std::int64_t row_at);
// The running score read at `now`.
double ScoreAt(const ScoringConfig& config, RunningScore current, std::int64_t now);

// The sum formula over a whole ledger (the reference the running form is tested against).
double LedgerScore(const ScoringConfig& config, const std::vector<ScoreLedgerRow>& rows,
                   std::int64_t reset_at, std::int64_t now);

ThreatLevel LevelForScore(const ScoringConfig& config, double score);

}  // namespace warden
