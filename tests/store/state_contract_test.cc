// The store contract, continued: threat state — event status and suppression, the actor score
// ledger, statuses and blocking, windows, folds, dashboards and retention. Every test runs on
// the fixture's FakeClock (StoreContractTest::kStart).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "actors/scoring.h"
#include "store/store.h"
#include "store_contract.h"

namespace warden {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr std::int64_t T0 = StoreContractTest::kStart;

Event Ev(std::string id, std::string actor, std::int64_t at, std::string filter = "sqli",
         std::string tpl = "/users/{int}") {
  Event e;
  e.id = std::move(id);
  e.ref_id = "ref-" + e.id;
  e.actor = std::move(actor);
  e.filter_id = std::move(filter);
  e.url = "/users/1";
  e.endpoint_template = std::move(tpl);
  e.method = "GET";
  e.host = "api.example.com";
  e.ip = e.actor;
  e.api_collection_id = 1;
  e.category = "Injection";
  e.sub_category = "SQLInjection";
  e.detected_at = at;
  return e;
}

ActorTouch Touch(std::string actor, std::int64_t at, ActorKind kind = ActorKind::kIp) {
  ActorTouch t;
  t.actor = std::move(actor);
  t.kind = kind;
  t.ip = kind == ActorKind::kIp ? t.actor : "";
  t.seen_at = at;
  t.events = 1;
  t.enforced = true;
  return t;
}

ScoreLedgerRow Row(std::string actor, std::string event, std::int64_t at, double points) {
  return ScoreLedgerRow{.actor = std::move(actor),
                        .event_id = std::move(event),
                        .at = at,
                        .severity = Severity::kHigh,
                        .points = points,
                        .reason = "event"};
}

Actor GetActorOrDie(Store& store, const std::string& id) {
  Result<ActorDetail> d = store.GetActor(id);
  EXPECT_STATUS_OK(d);
  return d.ok() ? d->actor : Actor{};
}

std::vector<std::string> Keys(const std::vector<KeyCount>& v) {
  std::vector<std::string> out;
  for (const auto& k : v) out.push_back(k.key + "=" + std::to_string(k.count));
  return out;
}

// ---- Event status ---------------------------------------------------------------------------

TEST_P(StoreContractTest, EventStatusByIdByListAndByFilter) {
  WriteBatch batch;
  batch.events = {Ev("a", "1.1.1.1", T0), Ev("b", "1.1.1.1", T0 + 1), Ev("c", "2.2.2.2", T0 + 2),
                  Ev("d", "2.2.2.2", T0 + 3, "xss")};
  ASSERT_STATUS_OK(store().Write(batch));

  auto one = store().UpdateEventStatus(
      EventStatusChange{.ids = {"a"}, .status = EventStatus::kUnderReview});
  ASSERT_STATUS_OK(one);
  EXPECT_EQ(one->updated, 1);
  auto list = store().UpdateEventStatus(
      EventStatusChange{.ids = {"b", "c", "missing"}, .status = EventStatus::kTraining});
  ASSERT_STATUS_OK(list);
  EXPECT_EQ(list->updated, 2);
  auto filtered = store().UpdateEventStatus(EventStatusChange{
      .filter = EventFilter{.filter_ids = {"xss"}}, .status = EventStatus::kUnderReview});
  ASSERT_STATUS_OK(filtered);
  EXPECT_EQ(filtered->updated, 1);

  auto under_review = store().ListEvents(
      EventQuery{.filter = {.statuses = {EventStatus::kUnderReview}}, .descending = false});
  ASSERT_STATUS_OK(under_review);
  ASSERT_EQ(under_review->total, 2);
  EXPECT_EQ(under_review->events[0].id, "a");
  EXPECT_EQ(under_review->events[1].id, "d");
  auto training = store().ListEvents(EventQuery{.filter = {.statuses = {EventStatus::kTraining}}});
  ASSERT_STATUS_OK(training);
  EXPECT_EQ(training->total, 2);

  // Neither ids nor filter: refused rather than changing everything.
  EXPECT_EQ(
      store().UpdateEventStatus(EventStatusChange{.status = EventStatus::kActive}).status().code(),
      StatusCode::kInvalidArgument);
}

TEST_P(StoreContractTest, IgnoreCreatesSuppressionRulesAndUnignoreLiftsThem) {
  WriteBatch batch;
  batch.events = {Ev("a", "1.1.1.1", T0), Ev("b", "2.2.2.2", T0 + 1),
                  Ev("c", "1.1.1.1", T0 + 2, "xss", "/search")};
  ASSERT_STATUS_OK(store().Write(batch));

  auto ignored = store().UpdateEventStatus(EventStatusChange{.ids = {"a", "b"},
                                                             .status = EventStatus::kIgnored,
                                                             .by = "ops-key",
                                                             .reason = "scanner in staging"});
  ASSERT_STATUS_OK(ignored);
  EXPECT_EQ(ignored->updated, 2);
  // Same (host, template, policy): one rule, for every actor.
  ASSERT_THAT(ignored->suppressions, SizeIs(1));
  const Suppression& rule = ignored->suppressions[0];
  EXPECT_EQ(rule.filter_id, "sqli");
  EXPECT_EQ(rule.endpoint_template, "/users/{int}");
  EXPECT_EQ(rule.host, "api.example.com");
  EXPECT_EQ(rule.actor, "");
  EXPECT_EQ(rule.created_by, "ops-key");
  EXPECT_EQ(rule.reason, "scanner in staging");
  EXPECT_EQ(rule.created_at, T0);
  EXPECT_EQ(rule.expires_at, 0);

  // Narrowed to the actor, expiring in an hour.
  auto narrow = store().UpdateEventStatus(EventStatusChange{.ids = {"c"},
                                                            .status = EventStatus::kIgnored,
                                                            .suppress_actor_only = true,
                                                            .suppress_until = T0 + 3600});
  ASSERT_STATUS_OK(narrow);
  ASSERT_THAT(narrow->suppressions, SizeIs(1));
  EXPECT_EQ(narrow->suppressions[0].actor, "1.1.1.1");
  EXPECT_EQ(narrow->suppressions[0].created_by, "system");

  auto rules = store().ListSuppressions(false);
  ASSERT_STATUS_OK(rules);
  EXPECT_THAT(*rules, SizeIs(2));

  // Hidden findings are counted on the rule.
  WriteBatch hits;
  hits.suppression_hits = {SuppressionHit{rule.id, 3, T0 + 50},
                           SuppressionHit{rule.id, 2, T0 + 40}};
  ASSERT_STATUS_OK(store().Write(hits));

  // The actor-narrowed rule expires on time.
  clock_.AdvanceSeconds(3600);
  rules = store().ListSuppressions(false);
  ASSERT_STATUS_OK(rules);
  ASSERT_THAT(*rules, SizeIs(1));
  EXPECT_EQ((*rules)[0].id, rule.id);
  EXPECT_EQ((*rules)[0].hits, 5);
  EXPECT_EQ((*rules)[0].last_hit_at, T0 + 50);
  auto all = store().ListSuppressions(true);
  ASSERT_STATUS_OK(all);
  EXPECT_THAT(*all, SizeIs(2));

  // Ignoring again extends rather than duplicates.
  auto again = store().UpdateEventStatus(EventStatusChange{
      .ids = {"a"}, .status = EventStatus::kIgnored, .suppress_until = T0 + 900000});
  ASSERT_STATUS_OK(again);
  ASSERT_THAT(again->suppressions, SizeIs(1));
  EXPECT_EQ(again->suppressions[0].id, rule.id);
  EXPECT_EQ(again->suppressions[0].expires_at, T0 + 900000);

  // Back to ACTIVE: the rule that covered the event is lifted.
  auto active =
      store().UpdateEventStatus(EventStatusChange{.ids = {"a"}, .status = EventStatus::kActive});
  ASSERT_STATUS_OK(active);
  EXPECT_EQ(active->updated, 1);
  rules = store().ListSuppressions(true);
  ASSERT_STATUS_OK(rules);
  ASSERT_THAT(*rules, SizeIs(1));
  EXPECT_EQ((*rules)[0].actor, "1.1.1.1");
  EXPECT_STATUS_OK(store().DeleteSuppression((*rules)[0].id));
  EXPECT_EQ(store().DeleteSuppression((*rules)[0].id).code(), StatusCode::kNotFound);
}

// ---- Events: folds, tags, samples -------------------------------------------------------------

TEST_P(StoreContractTest, FoldsGrowTheEventAndTagsAndSamplesRoundTrip) {
  Event e = Ev("agg", "1.1.1.1", T0);
  e.event_type = EventType::kAggregated;
  e.owasp_api_2023 = {"API8:2023"};
  e.owasp_2021 = {"A03:2021"};
  e.cwe = {"CWE-89", "CWE-564"};
  e.sample_refs = {"s2", "s1"};
  e.ref_id = "s2";
  WriteBatch batch;
  batch.samples = {SampleRecord{"s1", "first", 0}, SampleRecord{"s2", "second", 0}};
  batch.events = {e, Ev("single", "1.1.1.1", T0)};
  batch.folds = {EventFold{"single", 4, T0 + 30, true}, EventFold{"nope", 1, T0, false}};
  ASSERT_STATUS_OK(store().Write(batch));

  auto got = store().GetEvent("agg");
  ASSERT_STATUS_OK(got);
  EXPECT_THAT(got->owasp_api_2023, ElementsAre("API8:2023"));
  EXPECT_THAT(got->owasp_2021, ElementsAre("A03:2021"));
  EXPECT_THAT(got->cwe, ElementsAre("CWE-564", "CWE-89"));
  EXPECT_THAT(got->sample_refs, ElementsAre("s2", "s1"));
  EXPECT_EQ(got->payload, "second");
  auto samples = store().ListEventSamples("agg");
  ASSERT_STATUS_OK(samples);
  ASSERT_THAT(*samples, SizeIs(2));
  EXPECT_EQ((*samples)[0].payload, "second");
  EXPECT_EQ((*samples)[1].payload, "first");
  EXPECT_EQ(store().ListEventSamples("missing").status().code(), StatusCode::kNotFound);

  auto single = store().GetEvent("single");
  ASSERT_STATUS_OK(single);
  EXPECT_EQ(single->count, 5);
  EXPECT_EQ(single->last_detected_at, T0 + 30);
  EXPECT_TRUE(single->successful_exploit);
}

// ---- Scores -------------------------------------------------------------------------------

TEST_P(StoreContractTest, ScoreDecaysWithTheHalfLifeAsTheLedgerFormulaSays) {
  const ScoringConfig& cfg = env_.scoring;
  WriteBatch batch;
  batch.actors = {Touch("1.1.1.1", T0)};
  batch.ledger = {Row("1.1.1.1", "e1", T0, 40), Row("1.1.1.1", "e2", T0 + 3600, 20),
                  // A late row (older than the newest) still counts, decayed from its own time.
                  Row("1.1.1.1", "e3", T0 + 1800, 10)};
  ASSERT_STATUS_OK(store().Write(batch));

  auto ledger = store().ListScoreLedger("1.1.1.1", 10);
  ASSERT_STATUS_OK(ledger);
  ASSERT_THAT(*ledger, SizeIs(3));
  EXPECT_EQ((*ledger)[0].event_id, "e2");  // newest first
  EXPECT_EQ((*ledger)[0].points, 20);

  for (std::int64_t later : {3600LL, 86400LL, 3 * 86400LL}) {
    clock_.SetMillis((T0 + later) * 1000);
    double want = LedgerScore(cfg, *ledger, 0, T0 + later);
    Actor a = GetActorOrDie(store(), "1.1.1.1");
    EXPECT_NEAR(a.score, want, 1e-9) << "at +" << later;
    EXPECT_EQ(a.threat_level, LevelForScore(cfg, want)) << "at +" << later;
  }
  // The closed form, one half-life (24 h) after the last row: every point halves once more.
  clock_.SetMillis((T0 + 3600 + cfg.half_life_seconds) * 1000);
  double at_last = 40 * std::exp2(-3600.0 / cfg.half_life_seconds) + 20 +
                   10 * std::exp2(-1800.0 / cfg.half_life_seconds);
  EXPECT_NEAR(GetActorOrDie(store(), "1.1.1.1").score, at_last / 2, 1e-9);
}

TEST_P(StoreContractTest, ThreatLevelsFollowThresholdsAndDecay) {
  WriteBatch batch;
  for (const char* id : {"c", "h", "m", "l"}) batch.actors.push_back(Touch(id, T0));
  batch.ledger = {Row("c", "1", T0, 100), Row("h", "2", T0, 60), Row("m", "3", T0, 25),
                  Row("l", "4", T0, 5)};
  ASSERT_STATUS_OK(store().Write(batch));
  auto levels = store().ActorsByThreatLevel();
  ASSERT_STATUS_OK(levels);
  EXPECT_THAT(Keys(*levels), ElementsAre("CRITICAL=1", "HIGH=1", "MEDIUM=1", "LOW=1"));
  EXPECT_EQ(GetActorOrDie(store(), "c").threat_level, ThreatLevel::kCritical);

  // Two half-lives: 100 → 25 (MEDIUM), 60 → 15 (LOW), 25 → 6.25 (LOW).
  clock_.AdvanceSeconds(2 * env_.scoring.half_life_seconds);
  levels = store().ActorsByThreatLevel();
  ASSERT_STATUS_OK(levels);
  EXPECT_THAT(Keys(*levels), ElementsAre("CRITICAL=0", "HIGH=0", "MEDIUM=1", "LOW=3"));
}

// ---- Statuses -----------------------------------------------------------------------------

TEST_P(StoreContractTest, ResolvedResetsTheScoreAndNewActivityMakesTheActorActive) {
  WriteBatch batch;
  batch.actors = {Touch("1.1.1.1", T0)};
  batch.ledger = {Row("1.1.1.1", "e1", T0, 90)};
  ASSERT_STATUS_OK(store().Write(batch));
  clock_.AdvanceSeconds(60);
  auto n = store().SetActorStatus(ActorStatusChange{.actor_ids = {"1.1.1.1"},
                                                    .status = ActorStatus::kResolved,
                                                    .comment = "false positive",
                                                    .by = "analyst"});
  ASSERT_STATUS_OK(n);
  EXPECT_EQ(*n, 1);
  Actor a = GetActorOrDie(store(), "1.1.1.1");
  EXPECT_EQ(a.status, ActorStatus::kResolved);
  EXPECT_EQ(a.score, 0);
  EXPECT_EQ(a.threat_level, ThreatLevel::kLow);

  // A late row from before the reset adds nothing; new malicious activity does, and reactivates.
  WriteBatch late;
  late.ledger = {Row("1.1.1.1", "old", T0 + 30, 50)};
  ASSERT_STATUS_OK(store().Write(late));
  EXPECT_EQ(GetActorOrDie(store(), "1.1.1.1").score, 0);

  clock_.AdvanceSeconds(60);
  WriteBatch fresh;
  fresh.actors = {Touch("1.1.1.1", T0 + 120)};
  fresh.ledger = {Row("1.1.1.1", "e2", T0 + 120, 20)};
  ASSERT_STATUS_OK(store().Write(fresh));
  a = GetActorOrDie(store(), "1.1.1.1");
  EXPECT_EQ(a.status, ActorStatus::kActive);
  EXPECT_NEAR(a.score, 20, 1e-9);

  auto log = store().ListActorStatusLog("1.1.1.1", 10);
  ASSERT_STATUS_OK(log);
  ASSERT_THAT(*log, SizeIs(2));
  EXPECT_EQ((*log)[0].from, ActorStatus::kResolved);
  EXPECT_EQ((*log)[0].to, ActorStatus::kActive);
  EXPECT_EQ((*log)[0].by, "system");
  EXPECT_EQ((*log)[0].at, T0 + 120);
  EXPECT_EQ((*log)[1].from, ActorStatus::kActive);
  EXPECT_EQ((*log)[1].to, ActorStatus::kResolved);
  EXPECT_EQ((*log)[1].by, "analyst");
  EXPECT_EQ((*log)[1].comment, "false positive");
  EXPECT_EQ((*log)[1].at, T0 + 60);
}

TEST_P(StoreContractTest, MonitoredActorBecomesActiveOnItsFirstEnforcedEvent) {
  WriteBatch monitor;
  ActorTouch t = Touch("m", T0);
  t.enforced = false;
  t.initial_status = ActorStatus::kMonitored;
  monitor.actors = {t};
  ASSERT_STATUS_OK(store().Write(monitor));
  EXPECT_EQ(GetActorOrDie(store(), "m").status, ActorStatus::kMonitored);
  ASSERT_STATUS_OK(store().Write(monitor));  // still only monitor-mode events
  EXPECT_EQ(GetActorOrDie(store(), "m").status, ActorStatus::kMonitored);
  WriteBatch enforced;
  enforced.actors = {Touch("m", T0 + 5)};
  ASSERT_STATUS_OK(store().Write(enforced));
  EXPECT_EQ(GetActorOrDie(store(), "m").status, ActorStatus::kActive);
}

TEST_P(StoreContractTest, SnoozeAndSuspendExpireOnTime) {
  WriteBatch batch;
  batch.actors = {Touch("s", T0), Touch("z", T0)};
  ASSERT_STATUS_OK(store().Write(batch));
  ASSERT_STATUS_OK(store().SetActorStatus(ActorStatusChange{
      .actor_ids = {"s"}, .status = ActorStatus::kSuspend, .duration_seconds = 3600}));
  ASSERT_STATUS_OK(store().SetActorStatus(ActorStatusChange{
      .actor_ids = {"z"}, .status = ActorStatus::kSnooze, .duration_seconds = 7 * 86400}));

  clock_.AdvanceSeconds(3599);
  Actor s = GetActorOrDie(store(), "s");
  EXPECT_EQ(s.status, ActorStatus::kSuspend);
  EXPECT_EQ(s.status_expires_at, T0 + 3600);
  auto blocked = store().CheckBlocked(BlockQuery{.ip = "s"});
  ASSERT_STATUS_OK(blocked);
  EXPECT_TRUE(blocked->blocked);
  EXPECT_EQ(blocked->until, T0 + 3600);
  auto expired = store().ExpireActorStatuses();
  ASSERT_STATUS_OK(expired);
  EXPECT_EQ(*expired, 0);

  clock_.AdvanceSeconds(1);  // exactly the expiry
  s = GetActorOrDie(store(), "s");
  EXPECT_EQ(s.status, ActorStatus::kActive);
  EXPECT_EQ(s.status_expires_at, 0);
  blocked = store().CheckBlocked(BlockQuery{.ip = "s"});
  ASSERT_STATUS_OK(blocked);
  EXPECT_FALSE(blocked->blocked);
  EXPECT_EQ(GetActorOrDie(store(), "z").status, ActorStatus::kSnooze);

  // The sweep makes it durable and logs it at the expiry time, by the system.
  clock_.AdvanceSeconds(120);
  expired = store().ExpireActorStatuses();
  ASSERT_STATUS_OK(expired);
  EXPECT_EQ(*expired, 1);
  auto log = store().ListActorStatusLog("s", 10);
  ASSERT_STATUS_OK(log);
  ASSERT_THAT(*log, SizeIs(2));
  EXPECT_EQ((*log)[0].from, ActorStatus::kSuspend);
  EXPECT_EQ((*log)[0].to, ActorStatus::kActive);
  EXPECT_EQ((*log)[0].at, T0 + 3600);
  EXPECT_EQ((*log)[0].by, "system");

  clock_.SetMillis((T0 + 7 * 86400 - 1) * 1000);
  EXPECT_EQ(GetActorOrDie(store(), "z").status, ActorStatus::kSnooze);
  clock_.AdvanceSeconds(1);
  EXPECT_EQ(GetActorOrDie(store(), "z").status, ActorStatus::kActive);
}

TEST_P(StoreContractTest, StatusChangesAreValidatedAndAllOrNothing) {
  WriteBatch batch;
  batch.actors = {Touch("a", T0), Touch("b", T0)};
  ASSERT_STATUS_OK(store().Write(batch));
  struct Case {
    const char* name;
    ActorStatus status;
    std::int64_t duration;
    StatusCode want;
  };
  const Case cases[] = {
      {"snooze_under_an_hour", ActorStatus::kSnooze, 3599, StatusCode::kInvalidArgument},
      {"suspend_over_a_week", ActorStatus::kSuspend, 7 * 86400 + 1, StatusCode::kInvalidArgument},
      {"suspend_without_duration", ActorStatus::kSuspend, 0, StatusCode::kInvalidArgument},
      {"deny_with_duration", ActorStatus::kDeny, 3600, StatusCode::kInvalidArgument},
      {"suspend_one_hour", ActorStatus::kSuspend, 3600, StatusCode::kOk},
      {"snooze_one_week", ActorStatus::kSnooze, 7 * 86400, StatusCode::kOk},
      {"allow", ActorStatus::kAllow, 0, StatusCode::kOk},
  };
  for (const Case& c : cases) {
    auto r = store().SetActorStatus(
        ActorStatusChange{.actor_ids = {"a"}, .status = c.status, .duration_seconds = c.duration});
    EXPECT_EQ(r.status().code(), c.want) << c.name << ": " << r.status().ToString();
  }
  // Bulk: an unknown id fails the whole change.
  auto bulk = store().SetActorStatus(
      ActorStatusChange{.actor_ids = {"a", "b", "ghost"}, .status = ActorStatus::kDeny});
  EXPECT_EQ(bulk.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(GetActorOrDie(store(), "b").status, ActorStatus::kActive);
  bulk = store().SetActorStatus(
      ActorStatusChange{.actor_ids = {"a", "b", "a"}, .status = ActorStatus::kDeny, .by = "ops"});
  ASSERT_STATUS_OK(bulk);
  EXPECT_EQ(*bulk, 2);
  auto log = store().ListActorStatusLog("b", 10);
  ASSERT_STATUS_OK(log);
  ASSERT_THAT(*log, SizeIs(1));
  EXPECT_EQ((*log)[0].to, ActorStatus::kDeny);
  EXPECT_EQ((*log)[0].by, "ops");
}

TEST_P(StoreContractTest, DeniedUserActorBlocksEveryIpItUsesNewOnesIncluded) {
  WriteBatch batch;
  ActorTouch alice = Touch("alice", T0, ActorKind::kUser);
  alice.ip = "198.51.100.1";
  batch.actors = {alice, Touch("203.0.113.9", T0)};
  ASSERT_STATUS_OK(store().Write(batch));
  ASSERT_STATUS_OK(store().SetActorStatus(
      ActorStatusChange{.actor_ids = {"alice"}, .status = ActorStatus::kDeny}));

  auto d = store().CheckBlocked(BlockQuery{.ip = "198.51.100.1"});
  ASSERT_STATUS_OK(d);
  EXPECT_TRUE(d->blocked);
  EXPECT_EQ(d->actor, "alice");
  EXPECT_EQ(d->status, ActorStatus::kDeny);
  d = store().CheckBlocked(BlockQuery{.ip = "198.51.100.2"});
  ASSERT_STATUS_OK(d);
  EXPECT_FALSE(d->blocked);

  // Alice shows up from a new address in plain traffic: that address is blocked too.
  WriteBatch traffic;
  traffic.sightings = {ActorSighting{.actor = "alice", .ip = "198.51.100.2", .at = T0 + 10},
                       ActorSighting{.actor = "nobody", .ip = "192.0.2.1", .at = T0 + 10}};
  ASSERT_STATUS_OK(store().Write(traffic));
  d = store().CheckBlocked(BlockQuery{.ip = "198.51.100.2"});
  ASSERT_STATUS_OK(d);
  EXPECT_TRUE(d->blocked);
  EXPECT_EQ(d->reason, "user actor using this ip");
  d = store().CheckBlocked(BlockQuery{.actor = "alice"});
  ASSERT_STATUS_OK(d);
  EXPECT_TRUE(d->blocked);
  // Sightings never create actors.
  EXPECT_EQ(store().GetActor("nobody").status().code(), StatusCode::kNotFound);

  // An explicit decision on the IP's own actor wins over what a user actor implies.
  WriteBatch ip_actor;
  ip_actor.actors = {Touch("198.51.100.2", T0 + 20)};
  ASSERT_STATUS_OK(store().Write(ip_actor));
  ASSERT_STATUS_OK(store().SetActorStatus(
      ActorStatusChange{.actor_ids = {"198.51.100.2"}, .status = ActorStatus::kAllow}));
  d = store().CheckBlocked(BlockQuery{.ip = "198.51.100.2"});
  ASSERT_STATUS_OK(d);
  EXPECT_FALSE(d->blocked);
  EXPECT_EQ(d->reason, "allowed");

  // Moving alice out of DENY unblocks her other IP.
  ASSERT_STATUS_OK(store().SetActorStatus(
      ActorStatusChange{.actor_ids = {"alice"}, .status = ActorStatus::kActive}));
  d = store().CheckBlocked(BlockQuery{.ip = "198.51.100.1"});
  ASSERT_STATUS_OK(d);
  EXPECT_FALSE(d->blocked);
  EXPECT_EQ(store().CheckBlocked(BlockQuery{}).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreContractTest, ActorDetailHasEnrichedIpsHostsAndCountries) {
  WriteBatch batch;
  ActorTouch t = Touch("bob", T0, ActorKind::kUser);
  t.ip = "198.51.100.7";
  t.host = "api.example.com";
  t.ip_info = IpInfo{.country = "DE",
                     .city = "Berlin",
                     .region = "Land Berlin",
                     .asn = 64500,
                     .org = "Example Hosting",
                     .ip_type = "datacenter",
                     .reputation = "medium"};
  batch.actors = {t};
  batch.sightings = {ActorSighting{.actor = "bob",
                                   .ip = "203.0.113.5",
                                   .host = "shop.example.com",
                                   .at = T0 + 100,
                                   .ip_info = IpInfo{.country = "FR"}}};
  ASSERT_STATUS_OK(store().Write(batch));
  auto d = store().GetActor("bob");
  ASSERT_STATUS_OK(d);
  EXPECT_EQ(d->actor.kind, ActorKind::kUser);
  EXPECT_EQ(d->actor.ip_count, 2);
  ASSERT_THAT(d->ips, SizeIs(2));
  EXPECT_EQ(d->ips[0].ip, "203.0.113.5");  // newest first
  EXPECT_EQ(d->ips[1].info.city, "Berlin");
  EXPECT_EQ(d->ips[1].info.asn, 64500);
  EXPECT_EQ(d->ips[1].info.org, "Example Hosting");
  EXPECT_EQ(d->ips[1].info.ip_type, "datacenter");
  EXPECT_EQ(d->ips[1].info.reputation, "medium");
  ASSERT_THAT(d->hosts, SizeIs(2));
  EXPECT_EQ(d->hosts[0].host, "shop.example.com");
  EXPECT_THAT(d->countries, ElementsAre("DE", "FR"));
  EXPECT_EQ(store().GetActor("ghost").status().code(), StatusCode::kNotFound);
}

// ---- Windows ------------------------------------------------------------------------------

TEST_P(StoreContractTest, WindowsKeepTheNewestVersionAcrossReopen) {
  WriteBatch batch;
  batch.windows = {WindowRow{"a", "p", "r", "{\"v\":2}", 2, T0},
                   WindowRow{"a", "p", "r2", "{\"v\":1}", 1, T0}};
  ASSERT_STATUS_OK(store().Write(batch));
  WriteBatch stale;
  stale.windows = {WindowRow{"a", "p", "r", "{\"v\":1}", 1, T0}};  // arrives late: ignored
  ASSERT_STATUS_OK(store().Write(stale));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  auto rows = store().LoadWindows();
  ASSERT_STATUS_OK(rows);
  ASSERT_THAT(*rows, SizeIs(2));
  EXPECT_EQ((*rows)[0].rule, "r");
  EXPECT_EQ((*rows)[0].state, "{\"v\":2}");
  EXPECT_EQ((*rows)[0].version, 2);
}

// ---- Dashboards ---------------------------------------------------------------------------

// Three days of events: two policies, three actors, two endpoints.
void SeedDashboard(Store& store) {
  WriteBatch b;
  auto add = [&](std::string id, std::string actor, std::int64_t at, std::string filter,
                 std::string tpl, Severity sev, std::string cat, std::string sub,
                 std::vector<std::string> owasp) {
    Event e = Ev(std::move(id), std::move(actor), at, std::move(filter), std::move(tpl));
    e.severity = sev;
    e.category = std::move(cat);
    e.sub_category = std::move(sub);
    e.owasp_api_2023 = std::move(owasp);
    e.cwe = {e.filter_id == "sqli" ? "CWE-89" : "CWE-79"};
    b.events.push_back(std::move(e));
  };
  add("1", "a", T0, "sqli", "/users/{int}", Severity::kCritical, "Injection", "SQLInjection",
      {"API8:2023"});
  add("2", "a", T0 + 10, "sqli", "/orders", Severity::kCritical, "Injection", "SQLInjection",
      {"API8:2023"});
  add("3", "b", T0 + 20, "xss", "/users/{int}", Severity::kHigh, "XSS", "XSS", {"API8:2023"});
  add("4", "b", T0 + 86400, "sqli", "/users/{int}", Severity::kMedium, "Injection", "SQLInjection",
      {});
  add("5", "c", T0 + 2 * 86400, "xss", "/orders", Severity::kHigh, "XSS", "XSS", {});
  b.events[1].count = 7;  // six findings folded into it
  ActorTouch ta = Touch("a", T0);
  ta.country = "US";
  ActorTouch tb = Touch("b", T0 + 20);
  tb.country = "US";
  ActorTouch tc = Touch("c", T0 + 2 * 86400);
  tc.country = "DE";
  b.actors = {ta, tb, tc};
  ASSERT_STATUS_OK(store.Write(b));
}

std::int64_t Day(std::int64_t t) { return t / 86400 * 86400; }

TEST_P(StoreContractTest, DashboardRollupsOverEvents) {
  ASSERT_NO_FATAL_FAILURE(SeedDashboard(store()));
  DashboardQuery all;

  auto rules = store().TopThreatRules(all);
  ASSERT_STATUS_OK(rules);
  ASSERT_THAT(*rules, SizeIs(2));
  EXPECT_EQ((*rules)[0].filter_id, "sqli");
  EXPECT_EQ((*rules)[0].events, 3);
  EXPECT_EQ((*rules)[0].detections, 9);
  EXPECT_EQ((*rules)[0].apis, 2);
  EXPECT_EQ((*rules)[0].actors, 2);
  EXPECT_EQ((*rules)[0].last_seen, T0 + 86400);
  EXPECT_EQ((*rules)[1].filter_id, "xss");
  EXPECT_EQ((*rules)[1].apis, 2);

  auto by_cat = store().TopThreatTypes(ThreatTypeScheme::kCategory, all);
  ASSERT_STATUS_OK(by_cat);
  EXPECT_THAT(Keys(*by_cat), ElementsAre("Injection=3", "XSS=2"));
  auto by_owasp = store().TopThreatTypes(ThreatTypeScheme::kOwaspApi2023, all);
  ASSERT_STATUS_OK(by_owasp);
  EXPECT_THAT(Keys(*by_owasp), ElementsAre("API8:2023=3"));
  EXPECT_EQ((*by_owasp)[0].actors, 2);
  auto by_cwe = store().TopThreatTypes(ThreatTypeScheme::kCwe, all);
  ASSERT_STATUS_OK(by_cwe);
  EXPECT_THAT(Keys(*by_cwe), ElementsAre("CWE-89=3", "CWE-79=2"));
  auto by_2021 = store().TopThreatTypes(ThreatTypeScheme::kOwasp2021, all);
  ASSERT_STATUS_OK(by_2021);
  EXPECT_THAT(*by_2021, IsEmpty());

  auto sev = store().CountEventsBySeverity(all);
  ASSERT_STATUS_OK(sev);
  EXPECT_THAT(Keys(*sev), ElementsAre("CRITICAL=2", "HIGH=2", "MEDIUM=1"));
  auto cats = store().CountEventsByCategory(DashboardQuery{.filter_ids = {"xss"}});
  ASSERT_STATUS_OK(cats);
  ASSERT_THAT(*cats, SizeIs(1));
  EXPECT_EQ((*cats)[0].sub_category, "XSS");
  EXPECT_EQ((*cats)[0].count, 2);

  auto timeline = store().ActivityTimeline(all);
  ASSERT_STATUS_OK(timeline);
  ASSERT_THAT(*timeline, SizeIs(3));
  EXPECT_EQ((*timeline)[0].day, Day(T0));
  EXPECT_THAT(Keys((*timeline)[0].sub_categories), ElementsAre("SQLInjection=2", "XSS=1"));
  EXPECT_THAT(Keys((*timeline)[2].sub_categories), ElementsAre("XSS=1"));

  auto daily = store().DailyActorCounts(all);
  ASSERT_STATUS_OK(daily);
  ASSERT_THAT(*daily, SizeIs(3));
  EXPECT_EQ((*daily)[0].total, 2);
  EXPECT_EQ((*daily)[0].critical, 1);
  EXPECT_EQ((*daily)[1].total, 1);
  EXPECT_EQ((*daily)[1].critical, 0);

  auto countries = store().ActorsPerCountry(all);
  ASSERT_STATUS_OK(countries);
  EXPECT_THAT(Keys(*countries), ElementsAre("US=2", "DE=1"));
  auto countries_day3 = store().ActorsPerCountry(DashboardQuery{.start_ts = T0 + 2 * 86400});
  ASSERT_STATUS_OK(countries_day3);
  EXPECT_THAT(Keys(*countries_day3), ElementsAre("DE=1"));

  auto nve = store().CountNewVsExistingActors(
      DashboardQuery{.start_ts = T0 + 2 * 86400, .end_ts = T0 + 3 * 86400});
  ASSERT_STATUS_OK(nve);
  EXPECT_EQ(nve->new_actors, 1);       // c
  EXPECT_EQ(nve->existing_actors, 0);  // a and b were last seen before the range

  // Windows of the range narrow everything.
  auto first_day = store().TopThreatRules(DashboardQuery{.end_ts = T0 + 86399, .limit = 1});
  ASSERT_STATUS_OK(first_day);
  ASSERT_THAT(*first_day, SizeIs(1));
  EXPECT_EQ((*first_day)[0].events, 2);
}

TEST_P(StoreContractTest, ThreatApisListRulesAndThreatRequests) {
  ASSERT_NO_FATAL_FAILURE(SeedDashboard(store()));
  auto apis = store().ListThreatApis(ThreatApiQuery{.sort = ThreatApiSortField::kRequestsCount});
  ASSERT_STATUS_OK(apis);
  ASSERT_THAT(apis->apis, SizeIs(2));
  const ThreatApi& users = apis->apis[0];
  EXPECT_EQ(users.endpoint, "/users/{int}");
  EXPECT_EQ(users.requests_count, 3);
  EXPECT_EQ(users.threat_requests, 3);
  EXPECT_EQ(users.actors_count, 2);
  EXPECT_EQ(users.last_filter_id, "sqli");
  ASSERT_THAT(users.rules, SizeIs(2));
  EXPECT_EQ(users.rules[0].key, "sqli");
  EXPECT_EQ(users.rules[0].count, 2);
  EXPECT_EQ(apis->apis[1].threat_requests, 8);  // /orders: 7 + 1
}

TEST_P(StoreContractTest, CallCountsAndCallerDistributionComeFromRollups) {
  EndpointKey ep{.collection_id = 1, .host = "h", .method = "GET", .endpoint_template = "/x"};
  WriteBatch b;
  // Now is T0: calls 10 minutes, 2 hours and 2 days ago.
  for (auto [ago, n] :
       std::vector<std::pair<std::int64_t, std::int64_t>>{{600, 5}, {7200, 7}, {2 * 86400, 11}}) {
    b.rollups.push_back(EndpointRollup{.endpoint = ep, .minute = T0 - ago, .requests = n});
  }
  // Callers: a 1 call, b 3, c 60, d 2000.
  for (auto [actor, n] : std::vector<std::pair<std::string, std::int64_t>>{
           {"a", 1}, {"b", 3}, {"c", 60}, {"d", 2000}}) {
    b.actor_calls.push_back(
        ActorCallRollup{.endpoint = ep, .actor = actor, .minute = T0 - 600, .requests = n});
  }
  ASSERT_STATUS_OK(store().Write(b));

  auto counts = store().EndpointCallCounts(ep);
  ASSERT_STATUS_OK(counts);
  std::vector<std::string> got;
  for (const auto& c : *counts) got.push_back(c.interval + "=" + std::to_string(c.calls));
  EXPECT_THAT(got,
              ElementsAre("15m=5", "30m=5", "1h=5", "3h=12", "6h=12", "12h=12", "1d=12", "7d=23"));
  EXPECT_EQ((*counts)[0].actors, 4);
  auto none = store().EndpointCallCounts(EndpointKey{.host = "nope"});
  ASSERT_STATUS_OK(none);
  EXPECT_EQ(none->back().calls, 0);

  auto dist = store().CallerDistribution(&ep, DashboardQuery{});
  ASSERT_STATUS_OK(dist);
  std::vector<std::int64_t> actors;
  for (const auto& bucket : *dist) actors.push_back(bucket.actors);
  EXPECT_THAT(actors, ElementsAre(1, 1, 0, 0, 1, 0, 0, 1));
  EXPECT_EQ((*dist)[1].min_calls, 2);
  EXPECT_EQ((*dist)[1].max_calls, 5);
  EXPECT_EQ(dist->back().max_calls, 0);
}

// ---- Retention ----------------------------------------------------------------------------

TEST_P(StoreContractTest, RetentionDeletesWhatIsTooOldAndKeepsWhatIsReferenced) {
  EndpointKey ep{.collection_id = 1, .host = "h", .method = "GET", .endpoint_template = "/x"};
  WriteBatch b;
  Event old_event = Ev("old", "a", T0 - 100 * 86400);
  old_event.payload = "old sample";
  old_event.cwe = {"CWE-89"};
  Event kept = Ev("kept", "a", T0 - 86400);
  kept.payload = "kept sample";
  b.events = {old_event, kept};
  b.samples = {SampleRecord{"orphan", "window sample", T0 - 10 * 86400},
               SampleRecord{"young-orphan", "window sample", T0 - 3600}};
  b.rollups = {EndpointRollup{.endpoint = ep, .minute = T0 - 40 * 86400, .requests = 1},
               EndpointRollup{.endpoint = ep, .minute = T0 - 60, .requests = 1}};
  b.windows = {WindowRow{"a", "p", "r", "{}", 1, T0 - 9 * 86400}};
  b.actors = {Touch("a", T0 - 86400)};
  b.ledger = {Row("a", "old", T0 - 100 * 86400, 5)};
  ASSERT_STATUS_OK(store().Write(b));

  auto r = store().ApplyRetention(RetentionPolicy{});
  ASSERT_STATUS_OK(r);
  EXPECT_EQ(r->events, 1);
  EXPECT_EQ(r->rollups, 1);
  EXPECT_EQ(r->windows, 1);
  EXPECT_GE(r->samples, 1);
  EXPECT_EQ(store().GetEvent("old").status().code(), StatusCode::kNotFound);
  auto got = store().GetEvent("kept");
  ASSERT_STATUS_OK(got);
  EXPECT_EQ(got->payload, "kept sample");
  auto endpoints = store().ListEndpoints(10);
  ASSERT_STATUS_OK(endpoints);
  ASSERT_THAT(*endpoints, SizeIs(1));  // endpoints themselves are kept
  auto windows = store().LoadWindows();
  ASSERT_STATUS_OK(windows);
  EXPECT_THAT(*windows, IsEmpty());
  // Ledger rows are kept: they are the actor's history.
  auto ledger = store().ListScoreLedger("a", 10);
  ASSERT_STATUS_OK(ledger);
  EXPECT_THAT(*ledger, SizeIs(1));
  // 0 keeps forever.
  auto none = store().ApplyRetention(RetentionPolicy{.events_seconds = 0,
                                                     .rollups_seconds = 0,
                                                     .orphan_samples_seconds = 0,
                                                     .windows_seconds = 0});
  ASSERT_STATUS_OK(none);
  EXPECT_EQ(none->events + none->rollups + none->samples + none->windows, 0);
}

}  // namespace
}  // namespace warden
