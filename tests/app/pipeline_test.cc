#include "app/pipeline.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "actors/status.h"
#include "common/strings.h"
#include "detect/policy/loader.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

// TestProbe: SINGLE events. LoginProbe: 5 matches in 2 minutes (AGGREGATED), success_filter on
// a 200 answer. Leaked: an Akto SuccessfulExploit flagger. Trial: monitor mode. Traversal: with
// its own `success` condition.
constexpr char kPolicies[] = R"(
id: TestProbe
filter:
  query_param:
    contains_either: ["evil-probe"]
info:
  name: Test probe
  category: {name: TEST, displayName: Test}
  subCategory: TestProbe
  severity: MEDIUM
  cwe: ["CWE-20"]
---
id: LoginProbe
filter:
  query_param:
    contains_either: ["login-probe"]
success_filter:
  response_code:
    eq: 200
info:
  name: Login probe
  category: {name: BRUTE, displayName: Brute force}
  severity: HIGH
aggregation_rules:
  - rule:
      name: burst
      condition:
        matchCount: 5
        windowThreshold: 2
---
id: Leaked
filter:
  response_payload:
    contains_either: ["LEAKED-ROWS"]
info:
  name: Rows leaked
  category: {name: SuccessfulExploit, displayName: Successful exploit}
  severity: LOW
---
id: Trial
mode: monitor
filter:
  query_param:
    contains_either: ["trial-probe"]
info:
  name: Trial
  category: {name: TEST, displayName: Test}
  severity: CRITICAL
)";

constexpr std::int64_t kT0 = 1'700'000'000;

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("warden-pipeline-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    OpenStore();
    auto parsed = ParsePolicies(kPolicies, "test.yaml");
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    auto compiled = CompilePolicies(std::move(parsed).value());
    ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
    policies_ = *compiled;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void OpenStore() {
    store_.reset();
    SqliteOptions o;
    o.path = (dir_ / "w.db").string();
    o.clock = &clock_;
    auto s = OpenSqliteStore(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
  }

  static Exchange Make(const std::string& target, const std::string& ip, std::int64_t t,
                       int status = 200) {
    Exchange e;
    e.method = "GET";
    e.target = target;
    e.host = "api.example";
    e.peer_ip = ip;
    e.time_s = t;
    e.status_code = status;
    e.response_body = "ok";
    return e;
  }

  // Submits and waits for the write acknowledgement.
  Status SubmitAndWait(Pipeline& p, std::vector<Exchange> batch) {
    std::promise<Status> done;
    auto fut = done.get_future();
    Status st = p.Submit(std::move(batch), [&done](Status s) { done.set_value(s); });
    if (!st.ok()) return st;
    return fut.get();
  }

  std::unique_ptr<Pipeline> Start(PipelineOptions opts = {}) {
    if (opts.workers == 0) opts.workers = 2;
    opts.retention_interval_seconds = 0;
    auto p = std::make_unique<Pipeline>(store_.get(), nullptr, &clock_, opts);
    p->SetPolicies(policies_);
    p->Start();
    return p;
  }

  std::vector<Event> Events(EventFilter filter = {}) {
    auto page = store_->ListEvents(EventQuery{.filter = std::move(filter), .limit = 1000});
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->events : std::vector<Event>{};
  }

  std::filesystem::path dir_;
  FakeClock clock_{kT0 * 1000};
  std::unique_ptr<Store> store_;
  std::shared_ptr<const CompiledPolicySet> policies_;
};

TEST_F(PipelineTest, FindingsBecomeEventsActorsAndRollups) {
  PipelineOptions opts;
  opts.workers = 2;
  opts.chunk_size = 3;  // several chunks per submission
  auto p = Start(opts);

  std::vector<Exchange> batch;
  for (int i = 0; i < 10; ++i) {
    batch.push_back(Make("/users/" + std::to_string(i) + "?q=fine", "10.0.0.1", kT0 + i));
  }
  batch.push_back(Make("/users/77?q=evil-probe", "10.0.0.9:4444", kT0 + 30, 404));
  ASSERT_TRUE(SubmitAndWait(*p, std::move(batch)).ok());

  std::vector<Event> events = Events();
  ASSERT_EQ(events.size(), 1u);
  const Event& e = events[0];
  EXPECT_EQ(e.filter_id, "TestProbe");
  EXPECT_EQ(e.actor, "10.0.0.9");
  EXPECT_EQ(e.url, "/users/77");
  EXPECT_EQ(e.endpoint_template, "/users/{int}");
  EXPECT_EQ(e.severity, Severity::kMedium);
  EXPECT_EQ(e.detected_at, kT0 + 30);
  EXPECT_EQ(e.event_type, EventType::kSingle);
  EXPECT_EQ(e.cwe, std::vector<std::string>{"CWE-20"});
  EXPECT_NE(e.payload.find("evil-probe"), std::string::npos);

  auto apis = store_->ListThreatApis(ThreatApiQuery{});
  ASSERT_TRUE(apis.ok());
  ASSERT_EQ(apis->apis.size(), 1u);
  EXPECT_EQ(apis->apis[0].total_requests, 11);  // every request to the template counts
  EXPECT_EQ(apis->apis[0].requests_count, 1);

  // The actor, with its score from the ledger: one MEDIUM event.
  auto actor = store_->GetActor("10.0.0.9");
  ASSERT_TRUE(actor.ok()) << actor.status().ToString();
  EXPECT_DOUBLE_EQ(actor->actor.score, EventPoints(ScoringConfig{}, Severity::kMedium, false));
  EXPECT_EQ(actor->actor.status, ActorStatus::kActive);
  auto ledger = store_->ListScoreLedger("10.0.0.9", 10);
  ASSERT_TRUE(ledger.ok());
  ASSERT_EQ(ledger->size(), 1u);
  EXPECT_EQ((*ledger)[0].event_id, e.id);
  // Benign traffic makes no actor.
  EXPECT_EQ(store_->GetActor("10.0.0.1").status().code(), StatusCode::kNotFound);

  auto stats = p->stats();
  EXPECT_EQ(stats.accepted, 11u);
  EXPECT_EQ(stats.processed, 11u);
  EXPECT_EQ(stats.events, 1u);
  EXPECT_EQ(stats.write_errors, 0u);
}

TEST_F(PipelineTest, FullQueueRefusesWithoutAccepting) {
  PipelineOptions opts;
  opts.workers = 1;
  opts.queue_capacity = 5;
  Pipeline p(store_.get(), nullptr, &clock_, opts);
  p.SetPolicies(policies_);
  // Not started: nothing drains the queue, so capacity is what decides.
  std::vector<Exchange> six(6, Make("/a", "1.1.1.1", 1));
  bool called = false;
  Status st = p.Submit(std::move(six), [&](Status) { called = true; });
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);  // not running yet
  p.Start();
  std::vector<Exchange> too_many(6, Make("/a", "1.1.1.1", 1));
  st = p.Submit(std::move(too_many), [&](Status) { called = true; });
  EXPECT_EQ(st.code(), StatusCode::kResourceExhausted);
  EXPECT_FALSE(called);
  EXPECT_EQ(p.stats().refused, 6u);
  EXPECT_TRUE(SubmitAndWait(p, std::vector<Exchange>(5, Make("/a", "1.1.1.1", 1))).ok());
}

TEST_F(PipelineTest, StopWritesEverythingAccepted) {
  PipelineOptions opts;
  opts.workers = 2;
  opts.chunk_size = 7;
  opts.burst_interval_seconds = 0;  // one event per finding
  auto p = Start(opts);
  std::atomic<int> acks{0};
  for (int round = 0; round < 20; ++round) {
    std::vector<Exchange> batch;
    for (int i = 0; i < 50; ++i) {
      batch.push_back(Make("/x?q=evil-probe", "10.1.0." + std::to_string(i % 5), kT0));
    }
    ASSERT_TRUE(p->Submit(std::move(batch), [&](Status s) {
                   EXPECT_TRUE(s.ok());
                   ++acks;
                 }).ok());
  }
  p->Stop();
  EXPECT_EQ(acks.load(), 20);
  auto events = store_->ListEvents(EventQuery{});
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->total, 1000);
  EXPECT_EQ(p->Submit({Make("/a", "1.1.1.1", 1)}, nullptr).code(), StatusCode::kUnavailable);
}

TEST_F(PipelineTest, ExchangesWithoutTimeUseTheClock) {
  auto p = Start();
  ASSERT_TRUE(SubmitAndWait(*p, {Make("/y?q=evil-probe", "2.2.2.2", 0)}).ok());
  std::vector<Event> events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].detected_at, kT0);
}

TEST_F(PipelineTest, IdenticalFindingsFoldIntoOneEventPerBurstInterval) {
  PipelineOptions opts;
  opts.burst_interval_seconds = 60;
  opts.chunk_size = 4;
  // One worker keeps commit order equal to time order, so the burst starts at kT0 exactly.
  opts.workers = 1;
  auto p = Start(opts);
  std::vector<Exchange> burst;
  for (int i = 0; i < 40; ++i) burst.push_back(Make("/u/1?q=evil-probe", "3.3.3.3", kT0 + i));
  burst.push_back(Make("/u/2?q=evil-probe", "4.4.4.4", kT0));  // another actor: its own event
  ASSERT_TRUE(SubmitAndWait(*p, std::move(burst)).ok());
  ASSERT_TRUE(SubmitAndWait(*p, {Make("/u/3?q=evil-probe", "3.3.3.3", kT0 + 59)}).ok());

  std::vector<Event> mine = Events(EventFilter{.actors = {"3.3.3.3"}});
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].count, 41);
  EXPECT_EQ(mine[0].last_detected_at, kT0 + 59);
  EXPECT_EQ(Events(EventFilter{.actors = {"4.4.4.4"}}).size(), 1u);

  // After the interval, the next finding starts a new event.
  ASSERT_TRUE(SubmitAndWait(*p, {Make("/u/1?q=evil-probe", "3.3.3.3", kT0 + 60)}).ok());
  EXPECT_EQ(Events(EventFilter{.actors = {"3.3.3.3"}}).size(), 2u);
  EXPECT_EQ(p->stats().folded, 40u);
  // One event, one score contribution: the flood does not inflate the score.
  auto ledger = store_->ListScoreLedger("3.3.3.3", 10);
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ(ledger->size(), 2u);
}

TEST_F(PipelineTest, AggregationBreachesAtMatchCountAndCoolsDown) {
  auto p = Start();
  auto probe = [&](std::int64_t at) { return Make("/login?u=login-probe", "5.5.5.5", at, 401); };
  std::vector<Exchange> four;
  for (int i = 0; i < 4; ++i) four.push_back(probe(kT0 + i));
  ASSERT_TRUE(SubmitAndWait(*p, std::move(four)).ok());
  EXPECT_TRUE(Events(EventFilter{.filter_ids = {"LoginProbe"}}).empty())
      << "matchCount - 1 matches must not fire, and no SINGLE events either";

  ASSERT_TRUE(SubmitAndWait(*p, {probe(kT0 + 5)}).ok());
  std::vector<Event> fired = Events(EventFilter{.filter_ids = {"LoginProbe"}});
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].event_type, EventType::kAggregated);
  EXPECT_EQ(fired[0].count, 5);
  EXPECT_EQ(fired[0].sample_refs.size(), 5u);
  auto samples = store_->ListEventSamples(fired[0].id);
  ASSERT_TRUE(samples.ok());
  ASSERT_EQ(samples->size(), 5u);
  EXPECT_NE((*samples)[0].payload.find("login-probe"), std::string::npos);

  // Inside the cool-down (the 2-minute window): another full window fires nothing.
  std::vector<Exchange> more;
  for (int i = 0; i < 10; ++i) more.push_back(probe(kT0 + 10 + i));
  ASSERT_TRUE(SubmitAndWait(*p, std::move(more)).ok());
  EXPECT_EQ(Events(EventFilter{.filter_ids = {"LoginProbe"}}).size(), 1u);
  EXPECT_EQ(p->stats().aggregated, 1u);
}

TEST_F(PipelineTest, ConfiguredRuleCountsFailuresAndFiresOnTheFirstSuccess) {
  WindowRule rule;
  rule.name = "failures-then-success";
  rule.match_count = 3;
  rule.window_minutes = 5;
  rule.threshold_breach_filter = "success_filter";  // a 200 answer
  PipelineOptions opts;
  opts.workers = 1;
  opts.aggregation.policy_rules["LoginProbe"] = {rule};
  auto p = Start(opts);
  auto probe = [&](std::int64_t at, int status) {
    return Make("/login?u=login-probe", "12.0.0.1", at, status);
  };
  ASSERT_TRUE(SubmitAndWait(*p, {probe(kT0, 401), probe(kT0 + 1, 401), probe(kT0 + 2, 401),
                                 probe(kT0 + 3, 401)})
                  .ok());
  EXPECT_TRUE(Events(EventFilter{.filter_ids = {"LoginProbe"}}).empty())
      << "enough failures, but none succeeded yet";
  ASSERT_TRUE(SubmitAndWait(*p, {probe(kT0 + 4, 200)}).ok());
  std::vector<Event> fired = Events(EventFilter{.filter_ids = {"LoginProbe"}});
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].event_type, EventType::kAggregated);
  EXPECT_NE(fired[0].metadata.find("failures-then-success"), std::string::npos);
}

TEST_F(PipelineTest, WindowsSurviveARestart) {
  auto probe = [&](std::int64_t at) { return Make("/login?u=login-probe", "6.6.6.6", at, 401); };
  {
    auto p = Start();
    std::vector<Exchange> four;
    for (int i = 0; i < 4; ++i) four.push_back(probe(kT0 + i));
    ASSERT_TRUE(SubmitAndWait(*p, std::move(four)).ok());
    EXPECT_EQ(p->window_count(), 1u);
    p->Stop();
  }
  // A new process: new store handle, new pipeline; the window comes back from the store.
  ASSERT_NO_FATAL_FAILURE(OpenStore());
  auto p = Start();
  EXPECT_EQ(p->window_count(), 1u);
  ASSERT_TRUE(SubmitAndWait(*p, {probe(kT0 + 30)}).ok());
  std::vector<Event> fired = Events(EventFilter{.filter_ids = {"LoginProbe"}});
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].count, 5);
  EXPECT_EQ(fired[0].sample_refs.size(), 5u);  // samples from before the restart too
}

TEST_F(PipelineTest, IgnoreHidesNewEventsButCountsThem) {
  auto p = Start();
  ASSERT_TRUE(SubmitAndWait(*p, {Make("/u/1?q=evil-probe", "7.7.7.7", kT0)}).ok());
  std::vector<Event> first = Events();
  ASSERT_EQ(first.size(), 1u);
  auto ignored = store_->UpdateEventStatus(EventStatusChange{
      .ids = {first[0].id}, .status = EventStatus::kIgnored, .by = "ops", .reason = "pentest"});
  ASSERT_TRUE(ignored.ok()) << ignored.status().ToString();
  ASSERT_TRUE(p->ReloadSuppressions().ok());

  // Same template and policy, any actor: hidden. Another endpoint: still an event.
  ASSERT_TRUE(SubmitAndWait(*p, {Make("/u/2?q=evil-probe", "7.7.7.7", kT0 + 120),
                                 Make("/u/3?q=evil-probe", "8.8.8.8", kT0 + 121),
                                 Make("/other?q=evil-probe", "8.8.8.8", kT0 + 122)})
                  .ok());
  std::vector<Event> events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].url, "/other");
  auto rules = store_->ListSuppressions(false);
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_EQ((*rules)[0].hits, 2);
  EXPECT_EQ((*rules)[0].last_hit_at, kT0 + 121);
  EXPECT_EQ(p->stats().suppressed, 2u);
}

TEST_F(PipelineTest, DeniedUserActorsNewIpIsDeniedToo) {
  PipelineOptions opts;
  opts.normalize.actor_identity.rules = {
      ActorIdentityRule{.source = ActorSource::kHeader, .name = "x-user"}};
  auto p = Start(opts);
  Exchange attack = Make("/u/1?q=evil-probe", "198.51.100.1", kT0);
  attack.request_headers = {{"X-User", "alice"}};
  ASSERT_TRUE(SubmitAndWait(*p, {attack}).ok());
  auto alice = store_->GetActor("alice");
  ASSERT_TRUE(alice.ok()) << alice.status().ToString();
  EXPECT_EQ(alice->actor.kind, ActorKind::kUser);
  ASSERT_TRUE(store_
                  ->SetActorStatus(ActorStatusChange{.actor_ids = {"alice"},
                                                     .status = ActorStatus::kDeny,
                                                     .comment = "account takeover",
                                                     .by = "ops"})
                  .ok());

  // Alice comes back from a new address with an ordinary request.
  Exchange benign = Make("/u/1", "198.51.100.99", kT0 + 600);
  benign.request_headers = {{"X-User", "alice"}};
  ASSERT_TRUE(SubmitAndWait(*p, {benign}).ok());
  auto decision = store_->CheckBlocked(BlockQuery{.ip = "198.51.100.99"});
  ASSERT_TRUE(decision.ok());
  EXPECT_TRUE(decision->blocked);
  EXPECT_EQ(decision->actor, "alice");
  auto other = store_->CheckBlocked(BlockQuery{.ip = "198.51.100.100"});
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->blocked);
}

TEST_F(PipelineTest, SuccessfulExploitFlaggerMarksTheEventAndScoresMore) {
  auto p = Start();
  Exchange leak = Make("/u/1?q=evil-probe", "9.9.9.9", kT0);
  leak.response_body = "LEAKED-ROWS: 42";
  ASSERT_TRUE(SubmitAndWait(*p, {leak}).ok());
  std::vector<Event> events = Events();
  ASSERT_EQ(events.size(), 1u);  // the flagger itself makes no event
  EXPECT_EQ(events[0].filter_id, "TestProbe");
  EXPECT_TRUE(events[0].successful_exploit);
  auto actor = store_->GetActor("9.9.9.9");
  ASSERT_TRUE(actor.ok());
  EXPECT_DOUBLE_EQ(actor->actor.score, EventPoints(ScoringConfig{}, Severity::kMedium, true));
}

TEST_F(PipelineTest, MonitorModeMakesMonitoredActorsWithoutScore) {
  auto p = Start();
  ASSERT_TRUE(SubmitAndWait(*p, {Make("/t?q=trial-probe", "11.0.0.1", kT0)}).ok());
  auto actor = store_->GetActor("11.0.0.1");
  ASSERT_TRUE(actor.ok());
  EXPECT_EQ(actor->actor.status, ActorStatus::kMonitored);
  EXPECT_EQ(actor->actor.score, 0);
  ASSERT_TRUE(SubmitAndWait(*p, {Make("/t?q=evil-probe", "11.0.0.1", kT0 + 1)}).ok());
  actor = store_->GetActor("11.0.0.1");
  ASSERT_TRUE(actor.ok());
  EXPECT_EQ(actor->actor.status, ActorStatus::kActive);
  EXPECT_GT(actor->actor.score, 0);
}

TEST_F(PipelineTest, EnrichmentSetsCountryBeforeScanAndOnActorIps) {
  Enricher enricher;
  auto geo = GeoCountryDb::FromText("3325256704,3325256959,DE\n", "");  // 198.51.100.0/24
  ASSERT_TRUE(geo.ok());
  enricher.SetCountryDb(std::move(geo).value());
  auto vpn = IpRangeSet::Parse("198.51.100.0/24\n", "vpn");
  ASSERT_TRUE(vpn.ok());
  enricher.AddIpList(std::move(vpn).value(), "vpn", "medium");
  PipelineOptions opts;
  opts.workers = 1;
  Pipeline p(store_.get(), &enricher, &clock_, opts);
  p.SetPolicies(policies_);
  p.Start();
  ASSERT_TRUE(SubmitAndWait(p, {Make("/u/1?q=evil-probe", "198.51.100.5", kT0)}).ok());
  std::vector<Event> events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].country, "DE");
  auto actor = store_->GetActor("198.51.100.5");
  ASSERT_TRUE(actor.ok());
  EXPECT_EQ(actor->actor.country, "DE");
  ASSERT_EQ(actor->ips.size(), 1u);
  EXPECT_EQ(actor->ips[0].info.ip_type, "vpn");
  EXPECT_EQ(actor->ips[0].info.reputation, "medium");
}

}  // namespace
}  // namespace warden
