#include "actors/scoring.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace warden {
namespace {

TEST(ScoringTest, PointsBySeverityAndExploit) {
  ScoringConfig c;
  struct Case {
    Severity severity;
    bool exploit;
    double want;
  };
  const Case cases[] = {
      {Severity::kLow, false, 5},   {Severity::kMedium, false, 10},
      {Severity::kHigh, false, 20}, {Severity::kCritical, false, 40},
      {Severity::kHigh, true, 40},  {Severity::kCritical, true, 80},
  };
  for (const Case& k : cases) {
    EXPECT_EQ(EventPoints(c, k.severity, k.exploit), k.want)
        << SeverityName(k.severity) << (k.exploit ? " exploit" : "");
  }
}

TEST(ScoringTest, DecayHalvesEveryHalfLife) {
  ScoringConfig c;
  c.half_life_seconds = 3600;
  EXPECT_DOUBLE_EQ(DecayScore(c, 80, 0, 3600), 40);
  EXPECT_DOUBLE_EQ(DecayScore(c, 80, 0, 7200), 20);
  EXPECT_NEAR(DecayScore(c, 80, 0, 1800), 80 / std::sqrt(2.0), 1e-12);
  EXPECT_DOUBLE_EQ(DecayScore(c, 80, 100, 50), 80);  // never read before its time
}

TEST(ScoringTest, RunningScoreEqualsTheLedgerSumInAnyOrder) {
  ScoringConfig c;
  c.half_life_seconds = 5000;
  std::mt19937 rng(7);
  std::vector<ScoreLedgerRow> rows;
  for (int i = 0; i < 50; ++i) {
    rows.push_back(ScoreLedgerRow{.at = 1000 + static_cast<std::int64_t>(rng() % 100000),
                                  .points = static_cast<double>(1 + rng() % 40)});
  }
  for (int shuffle = 0; shuffle < 5; ++shuffle) {
    std::shuffle(rows.begin(), rows.end(), rng);
    RunningScore running;
    for (const auto& r : rows) running = AddPoints(c, running, r.points, r.at);
    for (std::int64_t now : {101000LL, 150000LL, 400000LL}) {
      double want = LedgerScore(c, rows, 0, now);
      EXPECT_NEAR(ScoreAt(c, running, now), want, 1e-9 * std::max(1.0, want)) << now;
    }
  }
}

TEST(ScoringTest, ResetDropsEarlierRows) {
  ScoringConfig c;
  std::vector<ScoreLedgerRow> rows = {ScoreLedgerRow{.at = 100, .points = 50},
                                      ScoreLedgerRow{.at = 200, .points = 10}};
  EXPECT_DOUBLE_EQ(LedgerScore(c, rows, 150, 200), 10);
  EXPECT_DOUBLE_EQ(LedgerScore(c, rows, 200, 200), 0);
}

TEST(ScoringTest, LevelsByThresholds) {
  ScoringConfig c;
  EXPECT_EQ(LevelForScore(c, 0), ThreatLevel::kLow);
  EXPECT_EQ(LevelForScore(c, 19.99), ThreatLevel::kLow);
  EXPECT_EQ(LevelForScore(c, 20), ThreatLevel::kMedium);
  EXPECT_EQ(LevelForScore(c, 50), ThreatLevel::kHigh);
  EXPECT_EQ(LevelForScore(c, 80), ThreatLevel::kCritical);
  EXPECT_EQ(LevelForScore(c, 1e9), ThreatLevel::kCritical);
}

TEST(ScoringTest, ValidateNamesTheField) {
  ScoringConfig ok;
  EXPECT_TRUE(ok.Validate().ok());
  ScoringConfig bad = ok;
  bad.high_threshold = 10;
  EXPECT_EQ(bad.Validate().field(), "scoring.thresholds");
  bad = ok;
  bad.half_life_seconds = 10;
  EXPECT_EQ(bad.Validate().field(), "scoring.half_life");
  bad = ok;
  bad.exploit_multiplier = 0.5;
  EXPECT_EQ(bad.Validate().field(), "scoring.exploit_multiplier");
  bad = ok;
  bad.low_points = -1;
  EXPECT_EQ(bad.Validate().field(), "scoring.points.low");
}

}  // namespace
}  // namespace warden
