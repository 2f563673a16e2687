#include "app/pipeline.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "detect/policy/loader.h"
#include "store/sqlite/sqlite_store.h"

namespace warden {
namespace {

constexpr char kPolicy[] = R"(
id: TestProbe
filter:
  query_param:
    contains_either: ["evil-probe"]
info:
  name: Test probe
  category: {name: TEST, displayName: Test}
  subCategory: TestProbe
  severity: MEDIUM
)";

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("warden-pipeline-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    SqliteOptions o;
    o.path = (dir_ / "w.db").string();
    auto s = OpenSqliteStore(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto parsed = ParsePolicies(kPolicy, "test.yaml");
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    auto compiled = CompilePolicies(std::move(parsed).value());
    ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
    policies_ = *compiled;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
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

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<const CompiledPolicySet> policies_;
  FakeClock clock_{1'700'000'000'000};
};

TEST_F(PipelineTest, FindingsBecomeEventsActorsAndRollups) {
  PipelineOptions opts;
  opts.workers = 2;
  opts.chunk_size = 3;  // several chunks per submission
  Pipeline p(store_.get(), nullptr, &clock_, opts);
  p.SetPolicies(policies_);
  p.Start();

  std::vector<Exchange> batch;
  for (int i = 0; i < 10; ++i) {
    batch.push_back(Make("/users/" + std::to_string(i) + "?q=fine", "10.0.0.1", 1'700'000'000 + i));
  }
  batch.push_back(Make("/users/77?q=evil-probe", "10.0.0.9:4444", 1'700'000'030, 404));
  ASSERT_TRUE(SubmitAndWait(p, std::move(batch)).ok());

  EventQuery q;
  auto events = store_->ListEvents(q);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->total, 1);
  const Event& e = events->events[0];
  EXPECT_EQ(e.filter_id, "TestProbe");
  EXPECT_EQ(e.actor, "10.0.0.9");
  EXPECT_EQ(e.url, "/users/77");
  EXPECT_EQ(e.endpoint_template, "/users/{int}");
  EXPECT_EQ(e.severity, Severity::kMedium);
  EXPECT_EQ(e.detected_at, 1'700'000'030);
  EXPECT_NE(e.payload.find("evil-probe"), std::string::npos);

  auto apis = store_->ListThreatApis(ThreatApiQuery{});
  ASSERT_TRUE(apis.ok());
  ASSERT_EQ(apis->apis.size(), 1u);
  EXPECT_EQ(apis->apis[0].total_requests, 11);  // every request to the template counts
  EXPECT_EQ(apis->apis[0].requests_count, 1);

  auto actors = store_->ListActors(ActorQuery{});
  ASSERT_TRUE(actors.ok());
  ASSERT_EQ(actors->total, 1);
  EXPECT_EQ(actors->actors[0].actor.id, "10.0.0.9");

  auto stats = p.stats();
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
  auto p = std::make_unique<Pipeline>(store_.get(), nullptr, &clock_, opts);
  p->SetPolicies(policies_);
  p->Start();
  std::atomic<int> acks{0};
  for (int round = 0; round < 20; ++round) {
    std::vector<Exchange> batch;
    for (int i = 0; i < 50; ++i) {
      batch.push_back(Make("/x?q=evil-probe", "10.1.0." + std::to_string(i % 5), 1'700'000'000));
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
  Pipeline p(store_.get(), nullptr, &clock_, PipelineOptions{});
  p.SetPolicies(policies_);
  p.Start();
  ASSERT_TRUE(SubmitAndWait(p, {Make("/y?q=evil-probe", "2.2.2.2", 0)}).ok());
  auto events = store_->ListEvents(EventQuery{});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->total, 1);
  EXPECT_EQ(events->events[0].detected_at, 1'700'000'000);
}

}  // namespace
}  // namespace warden
