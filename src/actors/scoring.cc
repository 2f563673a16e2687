#include "actors/scoring.h"

#include <algorithm>
#include <cmath>

namespace warden {

Status ScoringConfig::Validate() const {
  struct Named {
    const char* name;
    double value;
  };
  for (Named n :
       {Named{"scoring.points.low", low_points}, Named{"scoring.points.medium", medium_points},
        Named{"scoring.points.high", high_points},
        Named{"scoring.points.critical", critical_points}}) {
    if (!(n.value >= 0)) {
      return Status::InvalidArgument(std::string(n.name) + ": must be >= 0", n.name);
    }
  }
  if (!(exploit_multiplier >= 1)) {
    return Status::InvalidArgument("scoring.exploit_multiplier: must be >= 1",
                                   "scoring.exploit_multiplier");
  }
  if (half_life_seconds < 60) {
    return Status::InvalidArgument("scoring.half_life: must be at least one minute",
                                   "scoring.half_life");
  }
  if (!(medium_threshold > 0 && medium_threshold < high_threshold &&
        high_threshold < critical_threshold)) {
    return Status::InvalidArgument("scoring.thresholds: need 0 < medium < high < critical",
                                   "scoring.thresholds");
  }
  return Status::Ok();
}

double EventPoints(const ScoringConfig& config, Severity severity, bool successful_exploit) {
  double points = config.high_points;
  switch (severity) {
    case Severity::kLow:
      points = config.low_points;
      break;
    case Severity::kMedium:
      points = config.medium_points;
      break;
    case Severity::kHigh:
      points = config.high_points;
      break;
    case Severity::kCritical:
      points = config.critical_points;
      break;
  }
  return successful_exploit ? points * config.exploit_multiplier : points;
}

double DecayScore(const ScoringConfig& config, double score, std::int64_t from, std::int64_t to) {
  if (to <= from || score == 0) return score;
  double half_lives = static_cast<double>(to - from) /
                      static_cast<double>(std::max<std::int64_t>(1, config.half_life_seconds));
  return score * std::exp2(-half_lives);
}

RunningScore AddPoints(const ScoringConfig& config, RunningScore current, double points,
                       std::int64_t row_at) {
  if (row_at >= current.at) {
    return RunningScore{DecayScore(config, current.value, current.at, row_at) + points, row_at};
  }
  // A late row: its points, decayed from when they were earned to the running time.
  return RunningScore{current.value + DecayScore(config, points, row_at, current.at), current.at};
}

double ScoreAt(const ScoringConfig& config, RunningScore current, std::int64_t now) {
  return DecayScore(config, current.value, current.at, now);
}

double LedgerScore(const ScoringConfig& config, const std::vector<ScoreLedgerRow>& rows,
                   std::int64_t reset_at, std::int64_t now) {
  std::int64_t newest = 0;
  for (const auto& r : rows) {
    if (r.at > reset_at) newest = std::max(newest, r.at);
  }
  std::int64_t when = std::max(now, newest);
  double sum = 0;
  for (const auto& r : rows) {
    if (r.at <= reset_at) continue;
    sum += DecayScore(config, r.points, r.at, when);
  }
  return sum;
}

ThreatLevel LevelForScore(const ScoringConfig& config, double score) {
  if (score >= config.critical_threshold) return ThreatLevel::kCritical;
  if (score >= config.high_threshold) return ThreatLevel::kHigh;
  if (score >= config.medium_threshold) return ThreatLevel::kMedium;
  return ThreatLevel::kLow;
}

}  // namespace warden
