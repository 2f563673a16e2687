#include "actors/status.h"

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(ActorStatusRulesTest, Durations) {
  struct Case {
    ActorStatus status;
    std::int64_t duration;
    bool ok;
  };
  const Case cases[] = {
      {ActorStatus::kSnooze, 3600, true},  {ActorStatus::kSnooze, 604800, true},
      {ActorStatus::kSnooze, 3599, false}, {ActorStatus::kSuspend, 604801, false},
      {ActorStatus::kSuspend, 0, false},   {ActorStatus::kDeny, 0, true},
      {ActorStatus::kDeny, 3600, false},   {ActorStatus::kAllow, 0, true},
      {ActorStatus::kResolved, 0, true},   {ActorStatus::kMonitored, 0, true},
  };
  for (const Case& c : cases) {
    Status st = ValidateStatusChange(c.status, c.duration);
    EXPECT_EQ(st.ok(), c.ok) << ActorStatusName(c.status) << " " << c.duration;
    if (!st.ok()) {
      EXPECT_EQ(st.field(), "duration");
    }
  }
}

TEST(ActorStatusRulesTest, ExpiryTakesEffectAtItsSecond) {
  EXPECT_EQ(EffectiveStatus(ActorStatus::kSuspend, 1000, 999), ActorStatus::kSuspend);
  EXPECT_EQ(EffectiveStatus(ActorStatus::kSuspend, 1000, 1000), ActorStatus::kActive);
  EXPECT_EQ(EffectiveStatus(ActorStatus::kSnooze, 1000, 1001), ActorStatus::kActive);
  EXPECT_EQ(EffectiveStatus(ActorStatus::kDeny, 0, 1 << 30), ActorStatus::kDeny);
  EXPECT_TRUE(IsBlockingStatus(ActorStatus::kSuspend, 1000, 999));
  EXPECT_FALSE(IsBlockingStatus(ActorStatus::kSuspend, 1000, 1000));
  EXPECT_TRUE(IsBlockingStatus(ActorStatus::kDeny, 0, 5));
  EXPECT_FALSE(IsBlockingStatus(ActorStatus::kActive, 0, 5));
  EXPECT_TRUE(IsAllowingStatus(ActorStatus::kSnooze, 1000, 999));
  EXPECT_FALSE(IsAllowingStatus(ActorStatus::kSnooze, 1000, 1000));
  EXPECT_TRUE(IsAllowingStatus(ActorStatus::kAllow, 0, 5));
}

TEST(ActorStatusRulesTest, MaliciousActivityReactivatesResolvedAndMonitored) {
  EXPECT_EQ(StatusAfterMaliciousActivity(ActorStatus::kResolved), ActorStatus::kActive);
  EXPECT_EQ(StatusAfterMaliciousActivity(ActorStatus::kMonitored), ActorStatus::kActive);
  for (ActorStatus s : {ActorStatus::kActive, ActorStatus::kAllow, ActorStatus::kSnooze,
                        ActorStatus::kSuspend, ActorStatus::kDeny}) {
    EXPECT_FALSE(StatusAfterMaliciousActivity(s).has_value()) << ActorStatusName(s);
  }
}

}  // namespace
}  // namespace warden
