#include "behave/windows.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace warden {
namespace {

constexpr std::int64_t kT0 = 1'700'000'040;  // 40 s into a minute

WindowRule Rule(int match_count, int window_minutes, int cooldown_minutes = 0) {
  WindowRule r;
  r.name = "burst";
  r.match_count = match_count;
  r.window_minutes = window_minutes;
  r.cooldown_minutes = cooldown_minutes;
  return r;
}

WindowHit Hit(const WindowRule& rule, std::int64_t at, std::string_view actor = "1.2.3.4") {
  return WindowHit{.actor = actor, .policy_id = "Login", .rule = &rule, .at = at};
}

TEST(WindowTableTest, BreachesAtExactlyMatchCountNotBefore) {
  WindowTable table;
  WindowRule rule = Rule(5, 5);
  for (int i = 0; i < 4; ++i) {
    WindowResult r = table.Observe(Hit(rule, kT0 + i));
    EXPECT_FALSE(r.breached) << "hit " << i + 1 << " of 5";
    EXPECT_EQ(r.observed, i + 1);
  }
  WindowResult fifth = table.Observe(Hit(rule, kT0 + 4));
  EXPECT_TRUE(fifth.breached);
  EXPECT_EQ(fifth.observed, 5);
}

TEST(WindowTableTest, CooldownStopsRefiringThenARunningAttackFiresAgain) {
  WindowTable table;
  WindowRule rule = Rule(3, 2, 10);  // 3 in 2 minutes; 10-minute cool-down
  std::int64_t t = kT0;
  for (int i = 0; i < 3; ++i) table.Observe(Hit(rule, t++));
  // Inside the cool-down: the window fills again but nothing fires.
  int fired = 0;
  for (int i = 0; i < 66; ++i) {
    t = kT0 + 10 + i * 9;  // one hit every 9 s up to +595 s
    fired += table.Observe(Hit(rule, t)).breached;
  }
  EXPECT_EQ(fired, 0);
  // The first hit at the end of the cool-down fires: the attack never stopped.
  WindowResult after = table.Observe(Hit(rule, kT0 + 2 + 600));
  EXPECT_TRUE(after.breached);
}

TEST(WindowTableTest, BinsOutsideTheWindowDoNotCount) {
  WindowTable table;
  WindowRule rule = Rule(3, 2);  // the current and the previous minute
  std::int64_t minute = kT0 / 60 * 60;
  table.Observe(Hit(rule, minute + 1));                             // minute m
  table.Observe(Hit(rule, minute + 60 + 1));                        // m+1
  WindowResult third = table.Observe(Hit(rule, minute + 120 + 1));  // m+2: m fell out
  EXPECT_FALSE(third.breached);
  EXPECT_EQ(third.observed, 2);
  EXPECT_TRUE(table.Observe(Hit(rule, minute + 120 + 2)).breached);
}

TEST(WindowTableTest, WindowsArePerActorAndPolicy) {
  WindowTable table;
  WindowRule rule = Rule(2, 5);
  EXPECT_FALSE(table.Observe(Hit(rule, kT0, "a")).breached);
  EXPECT_FALSE(table.Observe(Hit(rule, kT0, "b")).breached);
  WindowHit other = Hit(rule, kT0, "a");
  other.policy_id = "Other";
  EXPECT_FALSE(table.Observe(other).breached);
  EXPECT_TRUE(table.Observe(Hit(rule, kT0 + 1, "a")).breached);
}

TEST(WindowTableTest, SnapshotsRestoreTheWindowExactly) {
  WindowRule rule = Rule(4, 5);
  WindowTable before;
  WindowSnapshot last;
  for (int i = 0; i < 3; ++i) {
    WindowHit h = Hit(rule, kT0 + i * 30);
    std::string ref = "ref-" + std::to_string(i);
    h.sample_ref = ref;
    last = before.Observe(h).snapshot;
  }
  EXPECT_EQ(last.actor, "1.2.3.4");
  EXPECT_EQ(last.policy_id, "Login");
  EXPECT_EQ(last.rule, "burst");
  EXPECT_EQ(last.version, 3);

  WindowTable after;  // a restart
  ASSERT_TRUE(after.Restore(last).ok());
  WindowHit fourth = Hit(rule, kT0 + 100);
  fourth.sample_ref = "ref-3";
  WindowResult r = after.Observe(fourth);
  EXPECT_TRUE(r.breached);
  EXPECT_EQ(r.observed, 4);
  EXPECT_EQ(r.sample_refs, (std::vector<std::string>{"ref-3", "ref-2", "ref-1", "ref-0"}));

  // An older snapshot never replaces a newer window.
  WindowTable newer;
  ASSERT_TRUE(newer.Restore(r.snapshot).ok());
  ASSERT_TRUE(newer.Restore(last).ok());
  EXPECT_FALSE(newer.Observe(Hit(rule, kT0 + 101)).breached);  // cleared and cooling down

  WindowSnapshot bad = last;
  bad.state = "{not json";
  EXPECT_EQ(after.Restore(bad).code(), StatusCode::kInvalidArgument);
  bad.state = R"({"w":1})";
  EXPECT_EQ(after.Restore(bad).code(), StatusCode::kInvalidArgument);
}

TEST(WindowTableTest, DistinctValuesCountInsteadOfHits) {
  WindowTable table;
  WindowRule rule = Rule(0, 5);
  rule.distinct = DistinctIdentifier{.count = 3, .source = "request_payload", .key = "user"};
  auto hit = [&](std::string_view value, std::int64_t at) {
    WindowHit h = Hit(rule, at);
    h.distinct_value = value;
    return table.Observe(h);
  };
  EXPECT_FALSE(hit("alice", kT0).breached);
  EXPECT_FALSE(hit("alice", kT0 + 1).breached);  // same value: still 1
  EXPECT_FALSE(hit("", kT0 + 2).breached);       // no value: not counted
  EXPECT_FALSE(hit("bob", kT0 + 61).breached);   // another bin
  WindowResult r = hit("carol", kT0 + 62);
  EXPECT_TRUE(r.breached);
  EXPECT_EQ(r.observed, 3);
}

TEST(WindowTableTest, IncrementAndBreachFiltersGateCountingAndFiring) {
  WindowTable table;
  WindowRule rule = Rule(3, 5);
  // Three failures (counted), the breach waits for a request that may breach.
  for (int i = 0; i < 3; ++i) {
    WindowHit h = Hit(rule, kT0 + i);
    h.may_breach = false;
    EXPECT_FALSE(table.Observe(h).breached);
  }
  WindowHit uncounted = Hit(rule, kT0 + 5);
  uncounted.counts = false;                   // the success itself is not a failure...
  WindowResult r = table.Observe(uncounted);  // ...but it fires the rule
  EXPECT_TRUE(r.breached);
  EXPECT_EQ(r.observed, 3);
}

TEST(WindowTableTest, SweepForgetsIdleWindows) {
  WindowTable table(WindowTable::Options{.shards = 4, .max_samples = 2});
  WindowRule rule = Rule(10, 2);
  table.Observe(Hit(rule, kT0, "a"));
  table.Observe(Hit(rule, kT0 + 600, "b"));
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.Sweep(kT0 + 600), 1u);  // a's bins left its 2-minute window
  EXPECT_EQ(table.size(), 1u);
}

TEST(WindowTableTest, SamplesAreCapped) {
  WindowTable table(WindowTable::Options{.shards = 1, .max_samples = 2});
  WindowRule rule = Rule(3, 5);
  std::vector<std::string> refs = {"r0", "r1", "r2"};
  WindowResult r;
  for (int i = 0; i < 3; ++i) {
    WindowHit h = Hit(rule, kT0 + i);
    h.sample_ref = refs[static_cast<std::size_t>(i)];
    r = table.Observe(h);
  }
  EXPECT_TRUE(r.breached);
  EXPECT_EQ(r.sample_refs, (std::vector<std::string>{"r2", "r1"}));
}

}  // namespace
}  // namespace warden
