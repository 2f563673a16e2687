#include "behave/burst.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

Event Single(std::string id, std::int64_t at, std::string actor = "1.1.1.1") {
  Event e;
  e.id = std::move(id);
  e.actor = std::move(actor);
  e.host = "api.example";
  e.method = "GET";
  e.endpoint_template = "/users/{int}";
  e.filter_id = "SQLInjection";
  e.detected_at = at;
  return e;
}

TEST(BurstFolderTest, IdenticalFindingsInsideTheIntervalFoldIntoTheFirstEvent) {
  BurstFolder folder(60);
  EXPECT_TRUE(folder.Fold(Single("e1", 1000), nullptr).event_id.empty());
  for (int i = 1; i < 60; ++i) {
    EventFold f = folder.Fold(Single("x", 1000 + i), nullptr);
    EXPECT_EQ(f.event_id, "e1") << i;
    EXPECT_EQ(f.count, 1);
    EXPECT_EQ(f.last_detected_at, 1000 + i);
  }
  // The interval is over: a new event starts a new burst.
  EXPECT_TRUE(folder.Fold(Single("e2", 1060), nullptr).event_id.empty());
  EXPECT_EQ(folder.Fold(Single("x", 1061), nullptr).event_id, "e2");
}

TEST(BurstFolderTest, AnyDifferenceStartsItsOwnBurst) {
  BurstFolder folder(60);
  folder.Fold(Single("e1", 1000), nullptr);
  Event other_actor = Single("a", 1001, "2.2.2.2");
  Event other_policy = Single("b", 1001);
  other_policy.filter_id = "XSS";
  Event other_template = Single("c", 1001);
  other_template.endpoint_template = "/orders";
  Event other_method = Single("d", 1001);
  other_method.method = "POST";
  Event aggregated = Single("f", 1001);
  aggregated.event_type = EventType::kAggregated;
  for (const Event& e : {other_actor, other_policy, other_template, other_method, aggregated}) {
    EXPECT_TRUE(folder.Fold(e, nullptr).event_id.empty()) << e.id;
  }
}

TEST(BurstFolderTest, ExploitUpgradeIsReportedOnce) {
  BurstFolder folder(60);
  folder.Fold(Single("e1", 1000), nullptr);
  Event ok = Single("x", 1001);
  ok.successful_exploit = true;
  bool upgrade = false;
  EXPECT_TRUE(folder.Fold(ok, &upgrade).successful_exploit);
  EXPECT_TRUE(upgrade);
  folder.Fold(ok, &upgrade);
  EXPECT_FALSE(upgrade);
}

TEST(BurstFolderTest, ZeroIntervalDisablesAndSweepForgets) {
  BurstFolder off(0);
  off.Fold(Single("e1", 1000), nullptr);
  EXPECT_TRUE(off.Fold(Single("e2", 1000), nullptr).event_id.empty());
  BurstFolder folder(60);
  folder.Fold(Single("e1", 1000), nullptr);
  EXPECT_EQ(folder.Sweep(1059), 0u);
  EXPECT_EQ(folder.Sweep(1060), 1u);
  EXPECT_EQ(folder.size(), 0u);
  // Slightly out-of-order arrival still folds.
  folder.Fold(Single("e3", 2000), nullptr);
  EXPECT_EQ(folder.Fold(Single("x", 1990), nullptr).event_id, "e3");
}

}  // namespace
}  // namespace warden
