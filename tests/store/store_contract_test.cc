// The store contract suite. Backends instantiate it (see store_contract.h); nothing here knows
// which backend runs.
#include "store_contract.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"

namespace warden {

// ---- Fixture ------------------------------------------------------------------------------

std::filesystem::path MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "warden-store-XXXXXX").string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  char* dir = mkdtemp(buf.data());
  if (dir == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
    return {};
  }
  return std::filesystem::path(dir);
}

std::string StoreBackendName(const testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

void StoreContractTest::SetUp() {
  location_ = MakeTempDir();
  ASSERT_FALSE(location_.empty());
  Result<std::unique_ptr<Store>> opened = GetParam().open(location_, env_);
  ASSERT_STATUS_OK(opened);
  store_ = std::move(opened).value();
  ASSERT_STATUS_OK(store_->Migrate());
}

void StoreContractTest::TearDown() {
  store_.reset();
  std::error_code ec;
  if (!location_.empty()) std::filesystem::remove_all(location_, ec);
}

void StoreContractTest::Reopen() {
  store_.reset();
  Result<std::unique_ptr<Store>> opened = GetParam().open(location_, env_);
  ASSERT_STATUS_OK(opened);
  store_ = std::move(opened).value();
}

namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

// ---- Data helpers -------------------------------------------------------------------------

EndpointKey Key(std::int32_t collection, std::string host, std::string method, std::string tpl) {
  return EndpointKey{.collection_id = collection,
                     .host = std::move(host),
                     .method = std::move(method),
                     .endpoint_template = std::move(tpl)};
}

// A plain event; tests overwrite what they care about.
Event MakeEvent(std::string id, std::string actor, std::int64_t detected_at) {
  Event e;
  e.id = std::move(id);
  e.ref_id = "ref-" + e.id;
  e.actor = std::move(actor);
  e.filter_id = "sqli";
  e.url = "/users/1";
  e.endpoint_template = "/users/{int}";
  e.method = "GET";
  e.host = "api.example.com";
  e.ip = e.actor;
  e.api_collection_id = 1;
  e.category = "Injection";
  e.sub_category = "SQLInjection";
  e.detected_at = detected_at;
  return e;
}

ActorTouch Touch(std::string actor, std::int64_t seen_at) {
  ActorTouch t;
  t.actor = std::move(actor);
  t.seen_at = seen_at;
  t.ip = t.actor;
  return t;
}

std::vector<std::string> Ids(const EventPage& page) {
  std::vector<std::string> ids;
  for (const Event& e : page.events) ids.push_back(e.id);
  return ids;
}

std::vector<std::string> Ids(const ActorPage& page) {
  std::vector<std::string> ids;
  for (const ActorSummary& a : page.actors) ids.push_back(a.actor.id);
  return ids;
}

std::vector<std::string> Templates(const ThreatApiPage& page) {
  std::vector<std::string> out;
  for (const ThreatApi& a : page.apis) out.push_back(a.endpoint);
  return out;
}

void ExpectSameEvent(const Event& got, const Event& want) {
  SCOPED_TRACE("event " + want.id);
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.ref_id, want.ref_id);
  EXPECT_EQ(got.actor, want.actor);
  EXPECT_EQ(got.filter_id, want.filter_id);
  EXPECT_EQ(got.url, want.url);
  EXPECT_EQ(got.endpoint_template, want.endpoint_template);
  EXPECT_EQ(got.method, want.method);
  EXPECT_EQ(got.host, want.host);
  EXPECT_EQ(got.ip, want.ip);
  EXPECT_EQ(got.country, want.country);
  EXPECT_EQ(got.api_collection_id, want.api_collection_id);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.event_type, want.event_type);
  EXPECT_EQ(got.category, want.category);
  EXPECT_EQ(got.sub_category, want.sub_category);
  EXPECT_EQ(got.severity, want.severity);
  EXPECT_EQ(got.location, want.location);
  EXPECT_EQ(got.matched, want.matched);
  EXPECT_EQ(got.payload, want.payload);
  EXPECT_EQ(got.metadata, want.metadata);
  EXPECT_EQ(got.detected_at, want.detected_at);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.successful_exploit, want.successful_exploit);
  EXPECT_EQ(got.count, want.count);
}

// ---- Migrations and persistence -----------------------------------------------------------

TEST_P(StoreContractTest, MigrateIsIdempotent) {
  ASSERT_STATUS_OK(store().Migrate());
  ASSERT_STATUS_OK(store().Migrate());
  WriteBatch batch;
  batch.events.push_back(MakeEvent("e1", "1.1.1.1", 100));
  ASSERT_STATUS_OK(store().Write(batch));
  ASSERT_STATUS_OK(store().Migrate());
  Result<EventPage> page = store().ListEvents({});
  ASSERT_STATUS_OK(page);
  EXPECT_EQ(page->total, 1);
}

TEST_P(StoreContractTest, ReopenKeepsData) {
  Event e = MakeEvent("e1", "1.1.1.1", 100);
  e.payload = R"({"path":"/users/1"})";
  WriteBatch batch;
  batch.events.push_back(e);
  batch.rollups.push_back(
      EndpointRollup{.endpoint = Key(1, "h", "GET", "/x"), .minute = 60, .requests = 3});
  batch.actors.push_back(Touch("1.1.1.1", 100));
  ASSERT_STATUS_OK(store().Write(batch));
  ASSERT_STATUS_OK(store().CreateApiKey(
      ApiKey{.id = "k1", .name = "ops", .role = Role::kAdmin, .secret_sha256 = "aa"}));

  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_STATUS_OK(store().Migrate());
  Result<Event> got = store().GetEvent("e1");
  ASSERT_STATUS_OK(got);
  ExpectSameEvent(*got, e);
  Result<std::vector<Endpoint>> endpoints = store().ListEndpoints(10);
  ASSERT_STATUS_OK(endpoints);
  ASSERT_EQ(endpoints->size(), 1u);
  EXPECT_EQ((*endpoints)[0].total_requests, 3);
  Result<ActorPage> actors = store().ListActors({});
  ASSERT_STATUS_OK(actors);
  EXPECT_EQ(actors->total, 1);
  Result<std::vector<ApiKey>> keys = store().ListApiKeys();
  ASSERT_STATUS_OK(keys);
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].id, "k1");
}

TEST_P(StoreContractTest, EmptyBatchIsOk) { EXPECT_STATUS_OK(store().Write(WriteBatch{})); }

// ---- Traffic rollups ----------------------------------------------------------------------

TEST_P(StoreContractTest, RollupDeltasAddUpAndEndpointsTrackFirstAndLastSeen) {
  EndpointKey users = Key(1, "api.example.com", "GET", "/users/{int}");
  EndpointKey login = Key(1, "api.example.com", "POST", "/login");
  WriteBatch first;
  first.rollups.push_back(EndpointRollup{.endpoint = users, .minute = 600, .requests = 5});
  first.rollups.push_back(EndpointRollup{.endpoint = users, .minute = 660, .requests = 2});
  ASSERT_STATUS_OK(store().Write(first));
  WriteBatch second;
  // Same minute again: adds. An older minute moves first_seen back.
  second.rollups.push_back(EndpointRollup{.endpoint = users, .minute = 600, .requests = 4});
  second.rollups.push_back(EndpointRollup{.endpoint = users, .minute = 540, .requests = 1});
  second.rollups.push_back(EndpointRollup{.endpoint = login, .minute = 720, .requests = 7});
  ASSERT_STATUS_OK(store().Write(second));

  Result<std::vector<Endpoint>> endpoints = store().ListEndpoints(100);
  ASSERT_STATUS_OK(endpoints);
  ASSERT_EQ(endpoints->size(), 2u);
  // Newest last_seen first.
  const Endpoint& l = (*endpoints)[0];
  const Endpoint& u = (*endpoints)[1];
  EXPECT_EQ(l.key, login);
  EXPECT_EQ(l.total_requests, 7);
  EXPECT_EQ(l.first_seen, 720);
  EXPECT_EQ(l.last_seen, 720);
  EXPECT_EQ(u.key, users);
  EXPECT_EQ(u.total_requests, 12);
  EXPECT_EQ(u.first_seen, 540);
  EXPECT_EQ(u.last_seen, 660);

  Result<std::vector<Endpoint>> one = store().ListEndpoints(1);
  ASSERT_STATUS_OK(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].key, login);
}

TEST_P(StoreContractTest, ActorCallsCreateEndpointsWithoutCountingRequests) {
  EndpointKey orders = Key(2, "shop.test", "GET", "/orders");
  WriteBatch batch;
  batch.actor_calls.push_back(
      ActorCallRollup{.endpoint = orders, .actor = "9.9.9.9", .minute = 120, .requests = 3});
  batch.actor_calls.push_back(
      ActorCallRollup{.endpoint = orders, .actor = "9.9.9.9", .minute = 120, .requests = 4});
  ASSERT_STATUS_OK(store().Write(batch));
  Result<std::vector<Endpoint>> endpoints = store().ListEndpoints(10);
  ASSERT_STATUS_OK(endpoints);
  ASSERT_EQ(endpoints->size(), 1u);
  EXPECT_EQ((*endpoints)[0].key, orders);
  EXPECT_EQ((*endpoints)[0].total_requests, 0);
}

// ---- Events -------------------------------------------------------------------------------

TEST_P(StoreContractTest, EventRoundTripsEveryField) {
  Event e;
  e.id = "6f1c2a9e-0000-4000-8000-000000000001";
  e.ref_id = "6f1c2a9e-0000-4000-8000-0000000000aa";
  e.actor = "user-42";
  e.filter_id = "sql_injection_union";
  e.url = "/api/v1/users/42";
  e.endpoint_template = "/api/v1/users/{int}";
  e.method = "PATCH";
  e.host = "api.example.com";
  e.ip = "203.0.113.7";
  e.country = "NL";
  e.api_collection_id = -1234567;
  e.type = DetectionType::kAnomaly;
  e.event_type = EventType::kAggregated;
  e.category = "SQL_INJECTION";
  e.sub_category = "UnionBased";
  e.severity = Severity::kCritical;
  e.location = "body.json:user.name";
  e.matched = "' UNION SELECT 1--";
  e.payload = "{\"request\":\"caf\xc3\xa9 ' OR 1=1\",\"body\":\"line1\\nline2\"}";
  e.metadata = R"({"score":0.97,"tags":["a","b"]})";
  e.detected_at = 1'700'000'123;
  e.status = EventStatus::kUnderReview;
  e.successful_exploit = true;
  e.count = 17;
  WriteBatch batch;
  batch.events.push_back(e);
  ASSERT_STATUS_OK(store().Write(batch));

  Result<Event> got = store().GetEvent(e.id);
  ASSERT_STATUS_OK(got);
  ExpectSameEvent(*got, e);

  Result<EventPage> page = store().ListEvents({});
  ASSERT_STATUS_OK(page);
  ASSERT_EQ(page->events.size(), 1u);
  ExpectSameEvent(page->events[0], e);

  Result<Event> missing = store().GetEvent("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_P(StoreContractTest, EventsSharingASampleGetTheSamePayload) {
  Event a = MakeEvent("a", "1.1.1.1", 10);
  Event b = MakeEvent("b", "1.1.1.1", 20);
  a.ref_id = b.ref_id = "shared";
  a.payload = b.payload = "sample";
  Event c = MakeEvent("c", "1.1.1.1", 30);
  c.ref_id = "";
  c.payload = "";
  WriteBatch batch;
  batch.events = {a, b, c};
  ASSERT_STATUS_OK(store().Write(batch));
  Result<EventPage> page = store().ListEvents({});
  ASSERT_STATUS_OK(page);
  ASSERT_EQ(page->events.size(), 3u);
  EXPECT_EQ(page->events[0].payload, "");
  EXPECT_EQ(page->events[1].payload, "sample");
  EXPECT_EQ(page->events[2].payload, "sample");
}

// Six events that differ in every filterable field.
class EventFilterData {
 public:
  static std::vector<Event> Events() {
    std::vector<Event> out;
    auto add = [&](std::string id, std::string actor, std::string ip, std::string url,
                   std::string tpl, std::string host, std::string method, std::string filter,
                   std::string sub, std::int32_t coll, DetectionType type, EventStatus status,
                   Severity sev, EventType et, bool exploit, std::int64_t at) {
      Event e = MakeEvent(std::move(id), std::move(actor), at);
      e.ip = std::move(ip);
      e.url = std::move(url);
      e.endpoint_template = std::move(tpl);
      e.host = std::move(host);
      e.method = std::move(method);
      e.filter_id = std::move(filter);
      e.sub_category = std::move(sub);
      e.api_collection_id = coll;
      e.type = type;
      e.status = status;
      e.severity = sev;
      e.event_type = et;
      e.successful_exploit = exploit;
      out.push_back(std::move(e));
    };
    using DT = DetectionType;
    using ES = EventStatus;
    using S = Severity;
    using ET = EventType;
    add("e1", "a1", "10.0.0.1", "/users/1", "/users/{int}", "api.example.com", "GET", "sqli",
        "SQLInjection", 1, DT::kRuleBased, ES::kActive, S::kHigh, ET::kSingle, false, 1000);
    add("e2", "a1", "10.0.0.1", "/users/2", "/users/{int}", "api.example.com", "POST", "xss", "XSS",
        1, DT::kRuleBased, ES::kUnderReview, S::kMedium, ET::kSingle, true, 1100);
    add("e3", "a2", "10.0.0.2", "/login", "/login", "auth.example.com", "POST", "brute",
        "BruteForce", 2, DT::kAnomaly, ES::kActive, S::kCritical, ET::kAggregated, false, 1200);
    add("e4", "a3", "10.0.0.3", "/orders/7", "/orders/{int}", "api.example.com", "DELETE", "bola",
        "BOLA", 1, DT::kRuleBased, ES::kIgnored, S::kLow, ET::kSingle, true, 1300);
    add("e5", "a2", "10.0.0.2", "/search", "/search", "shop.test", "GET", "sqli", "SQLInjection", 3,
        DT::kRuleBased, ES::kTraining, S::kHigh, ET::kSingle, false, 1400);
    add("e6", "Scanner-9", "10.0.0.9", "/admin", "/admin", "admin.internal", "GET",
        "path_traversal", "LFI", 4, DT::kAnomaly, ES::kActive, S::kMedium, ET::kSingle, false,
        1500);
    return out;
  }
};

void SeedEvents(Store& store) {
  WriteBatch batch;
  batch.events = EventFilterData::Events();
  ASSERT_STATUS_OK(store.Write(batch));
}

TEST_P(StoreContractTest, EventsEveryFilterField) {
  ASSERT_NO_FATAL_FAILURE(SeedEvents(store()));
  struct Case {
    const char* name;
    EventFilter filter;
    std::vector<std::string> want;  // newest first
  };
  const std::vector<Case> cases = {
      {"none", {}, {"e6", "e5", "e4", "e3", "e2", "e1"}},
      {"ids", {.ids = {"e2", "e5", "missing"}}, {"e5", "e2"}},
      {"actors", {.actors = {"a2"}}, {"e5", "e3"}},
      {"ips", {.ips = {"10.0.0.1"}}, {"e2", "e1"}},
      {"url raw", {.urls = {"/users/1"}}, {"e1"}},
      {"url template", {.urls = {"/users/{int}"}}, {"e2", "e1"}},
      {"urls mixed", {.urls = {"/login", "/orders/{int}"}}, {"e4", "e3"}},
      {"urls three (padded list)", {.urls = {"/users/1", "/login", "/admin"}}, {"e6", "e3", "e1"}},
      {"hosts", {.hosts = {"api.example.com"}}, {"e4", "e2", "e1"}},
      {"methods", {.methods = {"POST"}}, {"e3", "e2"}},
      {"filter ids", {.filter_ids = {"sqli"}}, {"e5", "e1"}},
      {"sub categories", {.sub_categories = {"XSS", "BOLA"}}, {"e4", "e2"}},
      {"collections", {.collection_ids = {2, 3}}, {"e5", "e3"}},
      {"types", {.types = {DetectionType::kAnomaly}}, {"e6", "e3"}},
      {"status active", {.statuses = {EventStatus::kActive}}, {"e6", "e3", "e1"}},
      {"statuses", {.statuses = {EventStatus::kIgnored, EventStatus::kTraining}}, {"e5", "e4"}},
      {"severity", {.severities = {Severity::kHigh}}, {"e5", "e1"}},
      {"severities", {.severities = {Severity::kLow, Severity::kCritical}}, {"e4", "e3"}},
      {"aggregated", {.event_type = EventType::kAggregated}, {"e3"}},
      {"single", {.event_type = EventType::kSingle}, {"e6", "e5", "e4", "e2", "e1"}},
      {"exploit", {.successful_exploit = true}, {"e4", "e2"}},
      {"no exploit", {.successful_exploit = false}, {"e6", "e5", "e3", "e1"}},
      {"start", {.start_ts = 1200}, {"e6", "e5", "e4", "e3"}},
      {"end", {.end_ts = 1200}, {"e3", "e2", "e1"}},
      {"range", {.start_ts = 1100, .end_ts = 1300}, {"e4", "e3", "e2"}},
      {"search filter id", {.search_text = "sql"}, {"e5", "e1"}},
      {"search actor, any case", {.search_text = "SCANNER"}, {"e6"}},
      {"search host", {.search_text = "example.com"}, {"e4", "e3", "e2", "e1"}},
      {"search % is literal", {.search_text = "%"}, {}},
      {"search _ is literal", {.search_text = "e_a"}, {}},
      {"search underscore", {.search_text = "path_"}, {"e6"}},
      {"combined", {.hosts = {"api.example.com"}, .methods = {"GET", "DELETE"}}, {"e4", "e1"}},
      {"nothing matches", {.actors = {"a1"}, .hosts = {"shop.test"}}, {}},
      // Two or more of actor, host, policy, status and severity: counted by intersecting indexes.
      {"status and host",
       {.hosts = {"api.example.com"}, .statuses = {EventStatus::kActive, EventStatus::kIgnored}},
       {"e4", "e1"}},
      {"actor, policy and severity",
       {.actors = {"a1", "a2"}, .filter_ids = {"sqli"}, .severities = {Severity::kHigh}},
       {"e5", "e1"}},
      {"host and status in a range",
       {.hosts = {"api.example.com", "auth.example.com"},
        .statuses = {EventStatus::kActive, EventStatus::kUnderReview},
        .start_ts = 1100,
        .end_ts = 1200},
       {"e3", "e2"}},
      {"all five, one match",
       {.actors = {"a2"},
        .hosts = {"auth.example.com", "shop.test"},
        .filter_ids = {"brute", "sqli"},
        .statuses = {EventStatus::kActive},
        .severities = {Severity::kCritical}},
       {"e3"}},
      {"indexed columns with a method",
       {.hosts = {"api.example.com"}, .methods = {"POST"}, .statuses = {EventStatus::kUnderReview}},
       {"e2"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<EventPage> page = store().ListEvents(EventQuery{.filter = c.filter});
    ASSERT_STATUS_OK(page);
    EXPECT_THAT(Ids(*page), ElementsAreArray(c.want));
    EXPECT_EQ(page->total, static_cast<std::int64_t>(c.want.size()));
  }
}

TEST_P(StoreContractTest, EventsSortOrders) {
  ASSERT_NO_FATAL_FAILURE(SeedEvents(store()));
  struct Case {
    const char* name;
    EventSortField sort;
    bool descending;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"detected desc", EventSortField::kDetectedAt, true, {"e6", "e5", "e4", "e3", "e2", "e1"}},
      {"detected asc", EventSortField::kDetectedAt, false, {"e1", "e2", "e3", "e4", "e5", "e6"}},
      // Ties within a severity: newest first.
      {"severity desc", EventSortField::kSeverity, true, {"e3", "e5", "e1", "e6", "e2", "e4"}},
      {"severity asc", EventSortField::kSeverity, false, {"e4", "e6", "e2", "e5", "e1", "e3"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<EventPage> page =
        store().ListEvents(EventQuery{.sort = c.sort, .descending = c.descending});
    ASSERT_STATUS_OK(page);
    EXPECT_THAT(Ids(*page), ElementsAreArray(c.want));
  }
}

TEST_P(StoreContractTest, EventsPagingKeepsTheTotal) {
  ASSERT_NO_FATAL_FAILURE(SeedEvents(store()));
  struct Case {
    std::int64_t skip, limit;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {0, 2, {"e6", "e5"}}, {2, 2, {"e4", "e3"}}, {4, 5, {"e2", "e1"}},
      {6, 2, {}},           {0, 0, {}},           {5, 50, {"e1"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("skip " + std::to_string(c.skip) + " limit " + std::to_string(c.limit));
    Result<EventPage> page = store().ListEvents(EventQuery{.skip = c.skip, .limit = c.limit});
    ASSERT_STATUS_OK(page);
    EXPECT_THAT(Ids(*page), ElementsAreArray(c.want));
    EXPECT_EQ(page->total, 6);
  }
  // Paging composes with filters: total counts matches, not the page.
  Result<EventPage> filtered = store().ListEvents(
      EventQuery{.filter = {.hosts = {"api.example.com"}}, .skip = 1, .limit = 1});
  ASSERT_STATUS_OK(filtered);
  EXPECT_THAT(Ids(*filtered), ElementsAre("e2"));
  EXPECT_EQ(filtered->total, 3);

  Result<EventPage> negative = store().ListEvents(EventQuery{.skip = -1});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreContractTest, EqualDetectionTimesStillSortDeterministically) {
  WriteBatch batch;
  for (const char* id : {"t-b", "t-c", "t-a"}) batch.events.push_back(MakeEvent(id, "x", 2000));
  ASSERT_STATUS_OK(store().Write(batch));
  Result<EventPage> first = store().ListEvents(EventQuery{.limit = 2});
  Result<EventPage> second = store().ListEvents(EventQuery{.skip = 2, .limit = 2});
  ASSERT_STATUS_OK(first);
  ASSERT_STATUS_OK(second);
  std::vector<std::string> all = Ids(*first);
  for (const std::string& id : Ids(*second)) all.push_back(id);
  // Pages neither repeat nor skip events.
  std::sort(all.begin(), all.end());
  EXPECT_THAT(all, ElementsAre("t-a", "t-b", "t-c"));
}

// ---- Actors -------------------------------------------------------------------------------

TEST_P(StoreContractTest, ActorUpsertKeepsLatestFieldsOldestFirstSeenAndAddsCounts) {
  ActorTouch t1 = Touch("1.2.3.4", 2000);
  t1.country = "US";
  t1.endpoint = "/a";
  t1.method = "GET";
  t1.host = "h1";
  t1.filter_id = "f1";
  t1.sub_category = "s1";
  t1.severity = Severity::kMedium;
  t1.events = 1;
  // Older than t1, arrives later: only counts, first_seen and max severity apply.
  ActorTouch t2 = Touch("1.2.3.4", 1500);
  t2.country = "DE";
  t2.endpoint = "/old";
  t2.method = "PUT";
  t2.host = "h0";
  t2.filter_id = "f0";
  t2.sub_category = "s0";
  t2.severity = Severity::kCritical;
  t2.events = 2;
  // Newest; an empty country means "unknown" and keeps the stored one.
  ActorTouch t3 = Touch("1.2.3.4", 2500);
  t3.endpoint = "/c";
  t3.method = "POST";
  t3.host = "h3";
  t3.filter_id = "f3";
  t3.sub_category = "s3";
  t3.severity = Severity::kLow;
  t3.events = 1;
  for (const ActorTouch& t : {t1, t2}) {
    WriteBatch batch;
    batch.actors.push_back(t);
    ASSERT_STATUS_OK(store().Write(batch));
  }
  WriteBatch last;
  last.actors.push_back(t3);
  last.actors.push_back(Touch("other", 10));
  ASSERT_STATUS_OK(store().Write(last));

  Result<ActorPage> page = store().ListActors(ActorQuery{.actor_ids = {"1.2.3.4"}});
  ASSERT_STATUS_OK(page);
  ASSERT_EQ(page->actors.size(), 1u);
  const Actor& a = page->actors[0].actor;
  EXPECT_EQ(a.id, "1.2.3.4");
  EXPECT_EQ(a.kind, ActorKind::kIp);
  EXPECT_EQ(a.latest_ip, "1.2.3.4");
  EXPECT_EQ(a.country, "US");
  EXPECT_EQ(a.first_seen, 1500);
  EXPECT_EQ(a.last_seen, 2500);
  EXPECT_EQ(a.latest_api_endpoint, "/c");
  EXPECT_EQ(a.latest_api_method, "POST");
  EXPECT_EQ(a.latest_api_host, "h3");
  EXPECT_EQ(a.latest_attack, "f3");
  EXPECT_EQ(a.latest_sub_category, "s3");
  EXPECT_EQ(a.max_severity, Severity::kCritical);
  EXPECT_EQ(a.event_count, 4);
  EXPECT_EQ(a.status, ActorStatus::kActive);
  EXPECT_EQ(a.status_expires_at, 0);
}

TEST_P(StoreContractTest, ActorLatestIpFollowsNewestTouch) {
  ActorTouch a = Touch("user-7", 100);
  a.kind = ActorKind::kUser;
  a.ip = "5.5.5.5";
  ActorTouch b = a;
  b.seen_at = 200;
  b.ip = "6.6.6.6";
  ActorTouch c = a;
  c.seen_at = 150;
  c.ip = "7.7.7.7";
  WriteBatch batch;
  batch.actors = {a, b, c};  // several touches of one actor in one batch
  ASSERT_STATUS_OK(store().Write(batch));
  Result<ActorPage> page = store().ListActors({});
  ASSERT_STATUS_OK(page);
  ASSERT_EQ(page->actors.size(), 1u);
  EXPECT_EQ(page->actors[0].actor.kind, ActorKind::kUser);
  EXPECT_EQ(page->actors[0].actor.latest_ip, "6.6.6.6");
  EXPECT_EQ(page->actors[0].actor.first_seen, 100);
  EXPECT_EQ(page->actors[0].actor.last_seen, 200);
}

TEST_P(StoreContractTest, ActorActivityIsNewestFirstAndCapped) {
  WriteBatch batch;
  for (int i = 1; i <= 5; ++i) {
    Event e = MakeEvent("a-" + std::to_string(i), "A", i * 100);
    e.url = "/p/" + std::to_string(i);
    e.filter_id = "f" + std::to_string(i);
    e.sub_category = "sub" + std::to_string(i);
    e.severity = i == 5 ? Severity::kCritical : Severity::kMedium;
    e.method = "POST";
    e.host = "h" + std::to_string(i);
    batch.events.push_back(e);
  }
  batch.events.push_back(MakeEvent("b-1", "B", 50));
  batch.actors = {Touch("A", 100), Touch("B", 50), Touch("C", 10)};
  ASSERT_STATUS_OK(store().Write(batch));

  Result<ActorPage> page = store().ListActors(ActorQuery{.activity_limit = 3});
  ASSERT_STATUS_OK(page);
  ASSERT_THAT(Ids(*page), ElementsAre("A", "B", "C"));
  const std::vector<ActorActivity>& a = page->actors[0].activity;
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].detected_at, 500);
  EXPECT_EQ(a[0].url, "/p/5");
  EXPECT_EQ(a[0].filter_id, "f5");
  EXPECT_EQ(a[0].sub_category, "sub5");
  EXPECT_EQ(a[0].severity, Severity::kCritical);
  EXPECT_EQ(a[0].method, "POST");
  EXPECT_EQ(a[0].host, "h5");
  EXPECT_EQ(a[1].detected_at, 400);
  EXPECT_EQ(a[2].detected_at, 300);
  ASSERT_EQ(page->actors[1].activity.size(), 1u);
  EXPECT_EQ(page->actors[1].activity[0].detected_at, 50);
  EXPECT_THAT(page->actors[2].activity, IsEmpty());

  Result<ActorPage> none = store().ListActors(ActorQuery{.activity_limit = 0});
  ASSERT_STATUS_OK(none);
  ASSERT_EQ(none->actors.size(), 3u);
  for (const ActorSummary& s : none->actors) EXPECT_THAT(s.activity, IsEmpty());

  Result<ActorPage> all = store().ListActors(ActorQuery{.activity_limit = 10});
  ASSERT_STATUS_OK(all);
  EXPECT_EQ(all->actors[0].activity.size(), 5u);
}

void SeedActors(Store& store) {
  WriteBatch batch;
  ActorTouch x1 = Touch("x1", 100);
  x1.country = "US";
  ActorTouch x1b = Touch("x1", 300);
  ActorTouch x2 = Touch("x2", 200);
  x2.country = "DE";
  ActorTouch x3 = Touch("x3", 400);
  x3.country = "US";
  ActorTouch x3b = Touch("x3", 600);
  batch.actors = {x1, x1b, x2, x3, x3b};
  Event e1 = MakeEvent("ev-x1", "x1", 150);
  e1.filter_id = "sqli";
  e1.host = "api.example.com";
  Event e2 = MakeEvent("ev-x2", "x2", 200);
  e2.filter_id = "xss";
  e2.host = "shop.test";
  batch.events = {e1, e2};
  ASSERT_STATUS_OK(store.Write(batch));
}

TEST_P(StoreContractTest, ActorFiltersSortAndPaging) {
  ASSERT_NO_FATAL_FAILURE(SeedActors(store()));
  struct Case {
    const char* name;
    ActorQuery query;
    std::vector<std::string> want;
    std::int64_t total;
  };
  const std::vector<Case> cases = {
      {"all, newest discovered first", {}, {"x3", "x2", "x1"}, 3},
      {"ascending", {.sort_descending = false}, {"x1", "x2", "x3"}, 3},
      {"ids", {.actor_ids = {"x1", "x3", "nobody"}}, {"x3", "x1"}, 2},
      {"countries", {.countries = {"DE"}}, {"x2"}, 1},
      {"latest attack", {.latest_attack = {"xss"}}, {"x2"}, 1},
      {"latest attack any", {.latest_attack = {"xss", "sqli"}}, {"x2", "x1"}, 2},
      {"hosts", {.hosts = {"api.example.com"}}, {"x1"}, 1},
      {"start (last_seen >=)", {.start_ts = 250}, {"x3", "x1"}, 2},
      {"end (first_seen <=)", {.end_ts = 250}, {"x2", "x1"}, 2},
      {"page", {.skip = 1, .limit = 1}, {"x2"}, 3},
      {"past the end", {.skip = 3}, {}, 3},
      {"combined", {.countries = {"US"}, .start_ts = 500}, {"x3"}, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<ActorPage> page = store().ListActors(c.query);
    ASSERT_STATUS_OK(page);
    EXPECT_THAT(Ids(*page), ElementsAreArray(c.want));
    EXPECT_EQ(page->total, c.total);
  }
}

// ---- Threat APIs --------------------------------------------------------------------------

void SeedThreatApis(Store& store) {
  WriteBatch batch;
  auto add = [&](std::string id, std::string actor, std::int64_t at, std::string filter,
                 std::int32_t coll, std::string host, std::string method, std::string url,
                 std::string tpl) {
    Event e = MakeEvent(std::move(id), std::move(actor), at);
    e.filter_id = std::move(filter);
    e.api_collection_id = coll;
    e.host = std::move(host);
    e.method = std::move(method);
    e.url = std::move(url);
    e.endpoint_template = std::move(tpl);
    batch.events.push_back(std::move(e));
  };
  // users: 3 events, 2 actors, 100..300, newest filter xss.
  add("u1", "a1", 100, "sqli", 1, "api.example.com", "GET", "/users/5", "/users/{int}");
  add("u2", "a1", 300, "xss", 1, "api.example.com", "GET", "/users/6", "/users/{int}");
  add("u3", "a2", 200, "sqli", 1, "api.example.com", "GET", "/users/5", "/users/{int}");
  // login: 1 event at 50.
  add("l1", "a3", 50, "brute", 1, "api.example.com", "POST", "/login", "/login");
  // search: 4 events, 4 actors, 400..430.
  for (int i = 0; i < 4; ++i) {
    add("s" + std::to_string(i), "b" + std::to_string(i), 400 + i * 10, "sqli", 2, "shop.test",
        "GET", "/search", "/search");
  }
  batch.rollups.push_back(EndpointRollup{
      .endpoint = Key(1, "api.example.com", "GET", "/users/{int}"), .minute = 60, .requests = 600});
  batch.rollups.push_back(
      EndpointRollup{.endpoint = Key(1, "api.example.com", "GET", "/users/{int}"),
                     .minute = 120,
                     .requests = 400});
  batch.rollups.push_back(EndpointRollup{
      .endpoint = Key(2, "shop.test", "GET", "/search"), .minute = 360, .requests = 50});
  // Same template on another host: must not leak into the counts above.
  batch.rollups.push_back(EndpointRollup{
      .endpoint = Key(1, "other.host", "GET", "/search"), .minute = 360, .requests = 999});
  ASSERT_STATUS_OK(store.Write(batch));
}

TEST_P(StoreContractTest, ThreatApisCountsPerEndpoint) {
  ASSERT_NO_FATAL_FAILURE(SeedThreatApis(store()));
  Result<ThreatApiPage> page = store().ListThreatApis({});
  ASSERT_STATUS_OK(page);
  EXPECT_EQ(page->total, 3);
  ASSERT_THAT(Templates(*page), ElementsAre("/search", "/users/{int}", "/login"));
  const ThreatApi& search = page->apis[0];
  EXPECT_EQ(search.host, "shop.test");
  EXPECT_EQ(search.method, "GET");
  EXPECT_EQ(search.collection_id, 2);
  EXPECT_EQ(search.requests_count, 4);
  EXPECT_EQ(search.actors_count, 4);
  EXPECT_EQ(search.discovered_at, 400);
  EXPECT_EQ(search.last_seen, 430);
  EXPECT_EQ(search.total_requests, 50);
  EXPECT_EQ(search.last_filter_id, "sqli");
  const ThreatApi& users = page->apis[1];
  EXPECT_EQ(users.host, "api.example.com");
  EXPECT_EQ(users.collection_id, 1);
  EXPECT_EQ(users.requests_count, 3);
  EXPECT_EQ(users.actors_count, 2);
  EXPECT_EQ(users.discovered_at, 100);
  EXPECT_EQ(users.last_seen, 300);
  EXPECT_EQ(users.total_requests, 1000);
  EXPECT_EQ(users.last_filter_id, "xss");
  const ThreatApi& login = page->apis[2];
  EXPECT_EQ(login.method, "POST");
  EXPECT_EQ(login.requests_count, 1);
  EXPECT_EQ(login.total_requests, 0);  // no traffic rollups for it
  EXPECT_EQ(login.last_filter_id, "brute");
}

TEST_P(StoreContractTest, ThreatApisSortFiltersAndPaging) {
  ASSERT_NO_FATAL_FAILURE(SeedThreatApis(store()));
  struct Case {
    const char* name;
    ThreatApiQuery query;
    std::vector<std::string> want;
    std::int64_t total;
  };
  const std::vector<Case> cases = {
      {"discovered asc", {.descending = false}, {"/login", "/users/{int}", "/search"}, 3},
      {"requests desc",
       {.sort = ThreatApiSortField::kRequestsCount},
       {"/search", "/users/{int}", "/login"},
       3},
      {"requests asc",
       {.sort = ThreatApiSortField::kRequestsCount, .descending = false},
       {"/login", "/users/{int}", "/search"},
       3},
      {"actors desc",
       {.sort = ThreatApiSortField::kActorsCount},
       {"/search", "/users/{int}", "/login"},
       3},
      {"actors asc",
       {.sort = ThreatApiSortField::kActorsCount, .descending = false},
       {"/login", "/users/{int}", "/search"},
       3},
      {"latest attack", {.latest_attack = {"brute", "xss"}}, {"/users/{int}", "/login"}, 2},
      {"url raw", {.urls = {"/users/6"}}, {"/users/{int}"}, 1},
      {"url template", {.urls = {"/users/{int}", "/login"}}, {"/users/{int}", "/login"}, 2},
      {"methods", {.methods = {"POST"}}, {"/login"}, 1},
      {"hosts", {.hosts = {"shop.test"}}, {"/search"}, 1},
      {"start", {.start_ts = 300}, {"/search", "/users/{int}"}, 2},
      {"end", {.end_ts = 100}, {"/users/{int}", "/login"}, 2},
      {"page", {.skip = 1, .limit = 1}, {"/users/{int}"}, 3},
      {"past the end", {.skip = 5}, {}, 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<ThreatApiPage> page = store().ListThreatApis(c.query);
    ASSERT_STATUS_OK(page);
    EXPECT_THAT(Templates(*page), ElementsAreArray(c.want));
    EXPECT_EQ(page->total, c.total);
  }
}

TEST_P(StoreContractTest, ThreatApisCountsFollowTheFilters) {
  ASSERT_NO_FATAL_FAILURE(SeedThreatApis(store()));
  // Only sqli events count: users keeps u1 and u3.
  Result<ThreatApiPage> page = store().ListThreatApis(
      ThreatApiQuery{.latest_attack = {"sqli"}, .hosts = {"api.example.com"}});
  ASSERT_STATUS_OK(page);
  ASSERT_EQ(page->apis.size(), 1u);
  const ThreatApi& users = page->apis[0];
  EXPECT_EQ(users.requests_count, 2);
  EXPECT_EQ(users.actors_count, 2);
  EXPECT_EQ(users.discovered_at, 100);
  EXPECT_EQ(users.last_seen, 200);
  EXPECT_EQ(users.last_filter_id, "sqli");
  EXPECT_EQ(users.total_requests, 1000);
}

// ---- Keys ---------------------------------------------------------------------------------

TEST_P(StoreContractTest, ApiKeys) {
  ApiKey viewer{.id = "kv",
                .name = "dashboard",
                .role = Role::kViewer,
                .secret_sha256 = std::string(64, 'a'),
                .created_at = 100};
  ApiKey sensor{.id = "ks",
                .name = "edge sensor",
                .role = Role::kSensor,
                .secret_sha256 = std::string(64, 'b'),
                .created_at = 200,
                .last_used_at = 250,
                .revoked = true};
  ASSERT_STATUS_OK(store().CreateApiKey(viewer));
  ASSERT_STATUS_OK(store().CreateApiKey(sensor));

  ApiKey same_id = sensor;
  same_id.id = "kv";
  same_id.secret_sha256 = std::string(64, 'c');
  Status dup_id = store().CreateApiKey(same_id);
  EXPECT_EQ(dup_id.code(), StatusCode::kAlreadyExists) << dup_id.ToString();
  ApiKey same_hash = viewer;
  same_hash.id = "other";
  Status dup_hash = store().CreateApiKey(same_hash);
  EXPECT_EQ(dup_hash.code(), StatusCode::kAlreadyExists) << dup_hash.ToString();

  ASSERT_STATUS_OK(store().TouchApiKey("kv", 500));
  ASSERT_STATUS_OK(store().TouchApiKey("kv", 400));  // an older use does not go back
  EXPECT_EQ(store().TouchApiKey("missing", 1).code(), StatusCode::kNotFound);

  Result<std::vector<ApiKey>> keys = store().ListApiKeys();
  ASSERT_STATUS_OK(keys);
  ASSERT_EQ(keys->size(), 2u);
  const ApiKey& v = (*keys)[0];
  EXPECT_EQ(v.id, "kv");
  EXPECT_EQ(v.name, "dashboard");
  EXPECT_EQ(v.role, Role::kViewer);
  EXPECT_EQ(v.secret_sha256, viewer.secret_sha256);
  EXPECT_EQ(v.created_at, 100);
  EXPECT_EQ(v.last_used_at, 500);
  EXPECT_FALSE(v.revoked);
  const ApiKey& s = (*keys)[1];
  EXPECT_EQ(s.id, "ks");
  EXPECT_EQ(s.role, Role::kSensor);
  EXPECT_EQ(s.last_used_at, 250);
  EXPECT_TRUE(s.revoked);
}

// ---- Atomicity and concurrency ------------------------------------------------------------

TEST_P(StoreContractTest, FailingBatchWritesNothing) {
  EndpointKey x = Key(1, "h", "GET", "/x");
  WriteBatch good;
  good.events.push_back(MakeEvent("dup", "z", 100));
  good.rollups.push_back(EndpointRollup{.endpoint = x, .minute = 60, .requests = 5});
  ActorTouch z = Touch("z", 100);
  z.events = 1;
  good.actors.push_back(z);
  ASSERT_STATUS_OK(store().Write(good));

  WriteBatch bad;
  bad.rollups.push_back(EndpointRollup{.endpoint = x, .minute = 60, .requests = 7});
  bad.rollups.push_back(
      EndpointRollup{.endpoint = Key(1, "h", "GET", "/y"), .minute = 60, .requests = 1});
  bad.actor_calls.push_back(
      ActorCallRollup{.endpoint = Key(1, "h", "GET", "/z"), .actor = "z", .minute = 60});
  ActorTouch z2 = Touch("z", 900);
  z2.events = 3;
  bad.actors = {z2, Touch("new", 900)};
  Event fresh = MakeEvent("fresh", "z", 900);
  fresh.payload = "sample";
  bad.events = {fresh, MakeEvent("dup", "z", 900)};
  Status st = store().Write(bad);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists) << st.ToString();
  EXPECT_THAT(st.message(), ::testing::HasSubstr("dup"));

  Result<std::vector<Endpoint>> endpoints = store().ListEndpoints(10);
  ASSERT_STATUS_OK(endpoints);
  ASSERT_EQ(endpoints->size(), 1u);
  EXPECT_EQ((*endpoints)[0].total_requests, 5);
  Result<ActorPage> actors = store().ListActors({});
  ASSERT_STATUS_OK(actors);
  ASSERT_THAT(Ids(*actors), ElementsAre("z"));
  EXPECT_EQ(actors->actors[0].actor.event_count, 1);
  EXPECT_EQ(actors->actors[0].actor.last_seen, 100);
  Result<EventPage> events = store().ListEvents({});
  ASSERT_STATUS_OK(events);
  EXPECT_THAT(Ids(*events), ElementsAre("dup"));
  EXPECT_EQ(store().GetEvent("fresh").status().code(), StatusCode::kNotFound);

  // A duplicate inside one batch fails the same way, and the store stays usable.
  WriteBatch twice;
  twice.events = {MakeEvent("t", "z", 1), MakeEvent("t", "z", 2)};
  EXPECT_EQ(store().Write(twice).code(), StatusCode::kAlreadyExists);
  WriteBatch after;
  after.events.push_back(MakeEvent("after", "z", 3));
  ASSERT_STATUS_OK(store().Write(after));
  Result<EventPage> final_events = store().ListEvents({});
  ASSERT_STATUS_OK(final_events);
  EXPECT_EQ(final_events->total, 2);
}

TEST_P(StoreContractTest, ConcurrentReadersWhileOneThreadWrites) {
  constexpr int kBatches = 40;
  constexpr int kEventsPerBatch = 5;
  constexpr int kReaders = 4;
  EndpointKey ep = Key(1, "api.example.com", "GET", "/users/{int}");
  std::atomic<bool> done{false};
  std::atomic<int> read_errors{0};
  std::atomic<int> torn_reads{0};
  std::vector<std::string> writer_errors;

  std::thread writer([&] {
    for (int b = 0; b < kBatches; ++b) {
      WriteBatch batch;
      for (int i = 0; i < kEventsPerBatch; ++i) {
        Event e = MakeEvent("w-" + std::to_string(b) + "-" + std::to_string(i), "conc", 1000 + b);
        e.payload = "payload " + std::to_string(b);
        batch.events.push_back(std::move(e));
      }
      batch.rollups.push_back(EndpointRollup{.endpoint = ep, .minute = 60 * b, .requests = 2});
      ActorTouch t = Touch("conc", 1000 + b);
      t.events = kEventsPerBatch;
      batch.actors.push_back(t);
      Status st = store().Write(batch);
      if (!st.ok()) writer_errors.push_back(st.ToString());
    }
    done = true;
  });

  std::vector<std::thread> readers;
  std::vector<int> iterations(kReaders, 0);
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      std::int64_t last_total = 0;
      do {
        ++iterations[r];
        Result<EventPage> events = store().ListEvents(EventQuery{.limit = 10});
        if (!events.ok()) {
          ++read_errors;
          continue;
        }
        // Batches are atomic: a reader never sees part of one. Totals never go back.
        if (events->total % kEventsPerBatch != 0 || events->total < last_total) ++torn_reads;
        last_total = events->total;
        Result<ActorPage> actors = store().ListActors(ActorQuery{.activity_limit = 3});
        if (!actors.ok()) {
          ++read_errors;
        } else if (!actors->actors.empty() &&
                   actors->actors[0].actor.event_count % kEventsPerBatch != 0) {
          ++torn_reads;
        }
        if (!store().ListThreatApis({}).ok()) ++read_errors;
        if (!store().ListEndpoints(10).ok()) ++read_errors;
        if (!store().ListApiKeys().ok()) ++read_errors;
      } while (!done.load());
    });
  }
  writer.join();
  for (std::thread& t : readers) t.join();

  EXPECT_THAT(writer_errors, IsEmpty());
  EXPECT_EQ(read_errors.load(), 0);
  EXPECT_EQ(torn_reads.load(), 0);
  for (int n : iterations) EXPECT_GT(n, 0);

  Result<EventPage> events = store().ListEvents({});
  ASSERT_STATUS_OK(events);
  EXPECT_EQ(events->total, kBatches * kEventsPerBatch);
  Result<std::vector<Endpoint>> endpoints = store().ListEndpoints(10);
  ASSERT_STATUS_OK(endpoints);
  ASSERT_EQ(endpoints->size(), 1u);
  EXPECT_EQ((*endpoints)[0].total_requests, kBatches * 2);
  Result<ActorPage> actors = store().ListActors({});
  ASSERT_STATUS_OK(actors);
  ASSERT_EQ(actors->actors.size(), 1u);
  EXPECT_EQ(actors->actors[0].actor.event_count, kBatches * kEventsPerBatch);
  Result<ThreatApiPage> apis = store().ListThreatApis({});
  ASSERT_STATUS_OK(apis);
  ASSERT_EQ(apis->apis.size(), 1u);
  EXPECT_EQ(apis->apis[0].requests_count, kBatches * kEventsPerBatch);
  EXPECT_EQ(apis->apis[0].total_requests, kBatches * 2);
}

}  // namespace
}  // namespace warden
