// The SQLite backend: the contract suite, plus what only SQLite has (migration bookkeeping, the
// file format, query plans, tables the Store interface does not read back).
#include "store/sqlite/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/clock.h"
#include "store/migrations/migration.h"
#include "store/sqlite/reads.h"
#include "store_contract.h"

namespace warden {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Rows = std::vector<std::vector<std::string>>;

StoreBackend SqliteBackend() {
  return StoreBackend{
      .name = "Sqlite",
      .open =
          [](const std::filesystem::path& location, const StoreTestEnv& env) {
            return OpenSqliteStore(SqliteOptions{.path = (location / "warden.db").string(),
                                                 .read_connections = 3,
                                                 .clock = env.clock,
                                                 .scoring = env.scoring});
          },
  };
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest, ::testing::Values(SqliteBackend()),
                         StoreBackendName);

void NullFunction(sqlite3_context* c, int, sqlite3_value**) { sqlite3_result_null(c); }

// A separate raw connection to a database file, for looking behind the Store interface.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_busy_timeout(db_, 5000);
    // Stand-ins for the functions the store registers on its own connections, so that
    // EXPLAIN QUERY PLAN accepts the store's statements.
    for (const char* name : {"warden_score", "warden_level", "warden_status"}) {
      sqlite3_create_function_v2(db_, name, 2, SQLITE_UTF8, nullptr, NullFunction, nullptr, nullptr,
                                 nullptr);
    }
    sqlite3_create_function_v2(db_, "warden_now", 0, SQLITE_UTF8, nullptr, NullFunction, nullptr,
                               nullptr, nullptr);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Every row of `sql` as text (NULL as "NULL").
  Rows Query(const std::string& sql) {
    Rows rows;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return rows;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        row.emplace_back(text == nullptr ? "NULL" : text);
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::filesystem::path DbPath() const { return dir_ / "warden.db"; }

  std::unique_ptr<Store> Open(SqliteOptions options = {}) {
    options.path = DbPath().string();
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(options);
    EXPECT_STATUS_OK(store);
    if (!store.ok()) return nullptr;
    return std::move(store).value();
  }

  std::filesystem::path dir_;
};

TEST(SqliteMigrationsTest, EmbeddedInOrder) {
  std::span<const Migration> migrations = SqliteMigrations();
  ASSERT_GE(migrations.size(), 2u);
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
  }
  EXPECT_EQ(migrations[0].name, "init");
  EXPECT_THAT(std::string(migrations[0].sql), HasSubstr("CREATE TABLE events"));
  EXPECT_EQ(migrations[1].name, "api_keys");
  EXPECT_THAT(std::string(migrations[1].sql), HasSubstr("CREATE TABLE api_keys"));
  ASSERT_GE(migrations.size(), 3u);
  EXPECT_EQ(migrations[2].name, "actor_state");
  EXPECT_THAT(std::string(migrations[2].sql), HasSubstr("CREATE TABLE actor_score_ledger"));
}

TEST_F(SqliteStoreTest, SchemaMigrationsRecordsEachVersionOnce) {
  FakeClock clock(1'700'000'000'000);
  std::unique_ptr<Store> store = Open(SqliteOptions{.clock = &clock});
  ASSERT_NE(store, nullptr);
  ASSERT_STATUS_OK(store->Migrate());
  clock.AdvanceSeconds(3600);
  ASSERT_STATUS_OK(store->Migrate());

  RawDb raw(DbPath());
  Rows rows = raw.Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY 1");
  ASSERT_EQ(rows.size(), SqliteMigrations().size());
  EXPECT_THAT(rows[0], ElementsAre("1", "init", "1700000000"));
  EXPECT_THAT(rows[1], ElementsAre("2", "api_keys", "1700000000"));
  // The file is in WAL mode for every later connection.
  EXPECT_THAT(raw.Query("PRAGMA journal_mode"), ElementsAre(ElementsAre("wal")));
}

TEST_F(SqliteStoreTest, PendingMigrationsRunOnAnExistingDatabase) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_STATUS_OK(store->Migrate());
  {
    // Pretend the database predates 0002.
    RawDb raw(DbPath());
    raw.Query("DROP TABLE api_keys");
    raw.Query("DELETE FROM schema_migrations WHERE version = 2");
  }
  EXPECT_FALSE(store->ListApiKeys().ok());
  ASSERT_STATUS_OK(store->Migrate());
  ASSERT_STATUS_OK(store->CreateApiKey(ApiKey{.id = "k", .secret_sha256 = "00"}));
  RawDb raw(DbPath());
  EXPECT_EQ(raw.Query("SELECT count(*) FROM schema_migrations").at(0).at(0),
            std::to_string(SqliteMigrations().size()));
}

TEST_F(SqliteStoreTest, NewerSchemaIsRefused) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_STATUS_OK(store->Migrate());
  {
    RawDb raw(DbPath());
    raw.Query("INSERT INTO schema_migrations VALUES (9999, 'future', 0)");
  }
  Status st = store->Migrate();
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr("9999"));
}

TEST_F(SqliteStoreTest, OpenRejectsBadOptions) {
  EXPECT_EQ(OpenSqliteStore(SqliteOptions{}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenSqliteStore(SqliteOptions{.path = DbPath().string(), .read_connections = 0})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  Status missing_dir =
      OpenSqliteStore(SqliteOptions{.path = (dir_ / "no" / "such" / "dir.db").string()}).status();
  EXPECT_EQ(missing_dir.code(), StatusCode::kIoError) << missing_dir.ToString();
  EXPECT_THAT(missing_dir.message(), HasSubstr("dir.db"));
}

TEST_F(SqliteStoreTest, ErrorsNameTheOperation) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  // Not migrated: every table is missing.
  Status st = store->ListEvents({}).status();
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("list events"));
  EXPECT_THAT(st.message(), HasSubstr("no such table"));
  WriteBatch batch;
  batch.rollups.push_back(EndpointRollup{.minute = 60, .requests = 1});
  EXPECT_THAT(store->Write(batch).message(), HasSubstr("write batch"));
}

TEST_F(SqliteStoreTest, RollupColumnsAddUpPerMinute) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_STATUS_OK(store->Migrate());
  EndpointKey ep{.collection_id = 1, .host = "h", .method = "GET", .endpoint_template = "/x"};
  EndpointRollup r{.endpoint = ep,
                   .minute = 120,
                   .requests = 10,
                   .status_2xx = 6,
                   .status_3xx = 1,
                   .status_4xx = 2,
                   .status_5xx = 1,
                   .status_other = 0,
                   .bytes_in = 100,
                   .bytes_out = 1000};
  WriteBatch batch;
  batch.rollups = {r, r};
  batch.rollups[1].minute = 150;  // floored into the same minute
  batch.actor_calls.push_back(
      ActorCallRollup{.endpoint = ep, .actor = "a", .minute = 121, .requests = 4});
  ASSERT_STATUS_OK(store->Write(batch));
  ASSERT_STATUS_OK(store->Write(batch));

  RawDb raw(DbPath());
  EXPECT_THAT(raw.Query("SELECT minute, requests, status_2xx, status_3xx, status_4xx, "
                        "status_5xx, status_other, bytes_in, bytes_out FROM endpoint_rollups"),
              ElementsAre(ElementsAre("120", "40", "24", "4", "8", "4", "0", "400", "4000")));
  EXPECT_THAT(raw.Query("SELECT actor, minute, requests FROM actor_calls"),
              ElementsAre(ElementsAre("a", "120", "8")));
}

TEST_F(SqliteStoreTest, ActorIpsKeepFirstAndLastSeen) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_STATUS_OK(store->Migrate());
  WriteBatch batch;
  for (auto [ip, at] : std::vector<std::pair<std::string, std::int64_t>>{
           {"5.5.5.5", 300}, {"6.6.6.6", 200}, {"5.5.5.5", 100}, {"", 400}}) {
    ActorTouch t;
    t.actor = "user-1";
    t.kind = ActorKind::kUser;
    t.ip = ip;
    t.seen_at = at;
    batch.actors.push_back(t);
  }
  ASSERT_STATUS_OK(store->Write(batch));
  RawDb raw(DbPath());
  EXPECT_THAT(
      raw.Query("SELECT ip, first_seen, last_seen FROM actor_ips ORDER BY ip"),
      ElementsAre(ElementsAre("5.5.5.5", "100", "300"), ElementsAre("6.6.6.6", "200", "200")));
}

TEST_F(SqliteStoreTest, PayloadWithoutRefIdIsRejected) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_STATUS_OK(store->Migrate());
  Event e;
  e.id = "e";
  e.payload = "sample";
  WriteBatch batch;
  batch.events.push_back(e);
  Status st = store->Write(batch);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();
  EXPECT_EQ(st.field(), "events[0].ref_id");
}

TEST_F(SqliteStoreTest, TinyStatementCacheStillAnswersCorrectly) {
  std::unique_ptr<Store> store =
      Open(SqliteOptions{.read_connections = 1, .statement_cache_size = 2});
  ASSERT_NE(store, nullptr);
  ASSERT_STATUS_OK(store->Migrate());
  WriteBatch batch;
  for (int i = 0; i < 20; ++i) {
    Event e;
    e.id = "e" + std::to_string(i);
    e.actor = "a" + std::to_string(i % 3);
    e.detected_at = i;
    batch.events.push_back(e);
  }
  ASSERT_STATUS_OK(store->Write(batch));
  // Lists of every length from 1 to 20 produce several statement shapes.
  std::vector<std::string> ids;
  for (int n = 1; n <= 20; ++n) {
    ids.push_back("e" + std::to_string(n - 1));
    Result<EventPage> page = store->ListEvents(EventQuery{.filter = {.ids = ids}, .limit = 100});
    ASSERT_STATUS_OK(page);
    EXPECT_EQ(page->total, n);
    Result<EventPage> by_actor =
        store->ListEvents(EventQuery{.filter = {.actors = {"a1"}}, .limit = 100});
    ASSERT_STATUS_OK(by_actor);
    EXPECT_EQ(by_actor->total, 7);
  }
}

std::string Plan(RawDb& raw, const std::string& sql) {
  std::string plan;
  for (const auto& row : raw.Query("EXPLAIN QUERY PLAN " + sql)) plan += row.back() + "\n";
  return plan;
}

// The per-endpoint summary behind unfiltered threat-API lists (migration 0006) agrees with
// grouping the events (a filter that matches every event takes that path) after inserts,
// folds, deletions by retention, and ties on the newest event.
TEST_F(SqliteStoreTest, ThreatApiSummaryMatchesTheEvents) {
  FakeClock clock(1'700'000'000'000);
  SqliteOptions o;
  o.clock = &clock;
  std::unique_ptr<Store> store = Open(o);
  ASSERT_NE(store, nullptr);
  ASSERT_STATUS_OK(store->Migrate());
  auto event = [](int i, const std::string& actor, const std::string& tpl, std::int64_t at,
                  const std::string& filter) {
    Event e;
    e.id = "ev-" + std::to_string(100 + i);
    e.ref_id = "ref-" + e.id;
    e.actor = actor;
    e.ip = actor;
    e.filter_id = filter;
    e.url = tpl;
    e.endpoint_template = tpl;
    e.method = "GET";
    e.host = "h.example";
    e.detected_at = at;
    return e;
  };
  constexpr std::int64_t kT = 1'700'000'000;
  WriteBatch b;
  b.events = {event(0, "a", "/x", kT - 90 * 86400, "old"), event(1, "a", "/x", kT - 100, "sqli"),
              event(2, "b", "/x", kT - 50, "xss"),         event(3, "b", "/x", kT - 50, "lfi"),
              event(4, "c", "/y", kT - 10, "sqli"),        event(5, "c", "/y", kT - 20, "sqli"),
              event(6, "d", "/z", kT - 95 * 86400, "old")};
  ASSERT_STATUS_OK(store->Write(b));
  WriteBatch folds;
  folds.folds = {EventFold{.event_id = "ev-104", .count = 4, .last_detected_at = kT - 5}};
  ASSERT_STATUS_OK(store->Write(folds));

  auto compare = [&](const char* when) {
    SCOPED_TRACE(when);
    for (ThreatApiSortField sort :
         {ThreatApiSortField::kDiscoveredAt, ThreatApiSortField::kActorsCount,
          ThreatApiSortField::kThreatRequests, ThreatApiSortField::kLastSeen}) {
      ThreatApiQuery summary{.sort = sort};
      ThreatApiQuery grouped{.start_ts = 0, .sort = sort};
      Result<ThreatApiPage> a = store->ListThreatApis(summary);
      Result<ThreatApiPage> g = store->ListThreatApis(grouped);
      ASSERT_STATUS_OK(a);
      ASSERT_STATUS_OK(g);
      EXPECT_EQ(a->total, g->total);
      ASSERT_EQ(a->apis.size(), g->apis.size());
      for (std::size_t i = 0; i < a->apis.size(); ++i) {
        const ThreatApi& x = a->apis[i];
        const ThreatApi& y = g->apis[i];
        SCOPED_TRACE(y.endpoint);
        EXPECT_EQ(x.endpoint, y.endpoint);
        EXPECT_EQ(x.discovered_at, y.discovered_at);
        EXPECT_EQ(x.last_seen, y.last_seen);
        EXPECT_EQ(x.actors_count, y.actors_count);
        EXPECT_EQ(x.requests_count, y.requests_count);
        EXPECT_EQ(x.threat_requests, y.threat_requests);
        EXPECT_EQ(x.last_filter_id, y.last_filter_id);
        ASSERT_EQ(x.rules.size(), y.rules.size());
        for (std::size_t r = 0; r < x.rules.size(); ++r) {
          EXPECT_EQ(x.rules[r].key, y.rules[r].key);
          EXPECT_EQ(x.rules[r].count, y.rules[r].count);
        }
      }
    }
  };
  compare("after writes and a fold");
  Result<ThreatApiPage> before = store->ListThreatApis({});
  ASSERT_STATUS_OK(before);
  ASSERT_EQ(before->apis.size(), 3u);
  // /x: the two newest events tie at kT - 50; the greater id (ev-103, lfi) is the newest.
  for (const ThreatApi& api : before->apis) {
    if (api.endpoint == "/x") {
      EXPECT_EQ(api.last_filter_id, "lfi");
      EXPECT_EQ(api.actors_count, 2);
      EXPECT_EQ(api.discovered_at, kT - 90 * 86400);
    }
    if (api.endpoint == "/y") {
      EXPECT_EQ(api.threat_requests, 6);
    }
  }

  // Retention drops the events older than 30 days: /z goes, /x starts later.
  ASSERT_STATUS_OK(store->ApplyRetention(RetentionPolicy{.events_seconds = 30 * 86400}));
  compare("after retention");
  Result<ThreatApiPage> after = store->ListThreatApis({});
  ASSERT_STATUS_OK(after);
  EXPECT_EQ(after->total, 2);
  for (const ThreatApi& api : after->apis) {
    if (api.endpoint == "/x") {
      EXPECT_EQ(api.discovered_at, kT - 100);
    }
  }
}

// Severity and category counts and the activity timeline read whole days from event_days
// (migration 0007) and the partial days at the ends of the range from events: the same answers
// as counting the events, for ranges on and off day boundaries, after status changes and
// retention.
TEST_F(SqliteStoreTest, DailyEventCountsMatchTheEvents) {
  constexpr std::int64_t kDay = 86400;
  constexpr std::int64_t kT = 1'700'006'400;  // a UTC midnight
  FakeClock clock(kT * 1000);
  SqliteOptions o;
  o.clock = &clock;
  std::unique_ptr<Store> store = Open(o);
  ASSERT_NE(store, nullptr);
  ASSERT_STATUS_OK(store->Migrate());
  WriteBatch b;
  const char* filters[] = {"sqli", "xss", "lfi"};
  for (int i = 0; i < 60; ++i) {
    Event e;
    e.id = "ev-" + std::to_string(1000 + i);
    e.ref_id = "ref-" + e.id;
    e.actor = "a" + std::to_string(i % 7);
    e.ip = e.actor;
    e.filter_id = filters[i % 3];
    e.category = i % 2 == 0 ? "Injection" : "Probe";
    e.sub_category = e.filter_id;
    e.severity = static_cast<Severity>(1 + i % 4);
    e.url = "/u";
    e.endpoint_template = "/u";
    e.method = "GET";
    e.host = "h";
    e.detected_at = kT - 5 * kDay + i * 7919;  // spread over five days, off the hour
    b.events.push_back(e);
  }
  ASSERT_STATUS_OK(store->Write(b));
  EventStatusChange change;
  change.ids = {"ev-1003", "ev-1010", "ev-1040"};
  change.status = EventStatus::kUnderReview;
  change.suppress = false;
  ASSERT_STATUS_OK(store->UpdateEventStatus(change));

  auto compare = [&](const DashboardQuery& q, const std::string& what) {
    SCOPED_TRACE(what);
    EventQuery eq;
    eq.filter.start_ts = q.start_ts;
    eq.filter.end_ts = q.end_ts;
    eq.filter.filter_ids = q.filter_ids;
    eq.filter.statuses = q.statuses;
    eq.limit = 1000;
    Result<EventPage> events = store->ListEvents(eq);
    ASSERT_STATUS_OK(events);
    std::map<std::string, std::int64_t> severity;
    std::map<std::pair<std::string, std::string>, std::int64_t> category;
    std::map<std::int64_t, std::map<std::string, std::int64_t>> timeline;
    for (const Event& e : events->events) {
      ++severity[std::string(SeverityName(e.severity))];
      ++category[{e.category, e.sub_category}];
      ++timeline[e.detected_at / kDay * kDay][e.sub_category];
    }
    Result<std::vector<KeyCount>> sev = store->CountEventsBySeverity(q);
    ASSERT_STATUS_OK(sev);
    std::map<std::string, std::int64_t> got_sev;
    for (const KeyCount& k : *sev) got_sev[k.key] = k.count;
    EXPECT_EQ(got_sev, severity);
    Result<std::vector<CategoryCount>> cat = store->CountEventsByCategory(q);
    ASSERT_STATUS_OK(cat);
    std::map<std::pair<std::string, std::string>, std::int64_t> got_cat;
    for (const CategoryCount& c : *cat) got_cat[{c.category, c.sub_category}] = c.count;
    EXPECT_EQ(got_cat, category);
    Result<std::vector<TimelineDay>> tl = store->ActivityTimeline(q);
    ASSERT_STATUS_OK(tl);
    std::map<std::int64_t, std::map<std::string, std::int64_t>> got_tl;
    for (const TimelineDay& d : *tl) {
      for (const KeyCount& k : d.sub_categories) got_tl[d.day][k.key] = k.count;
    }
    EXPECT_EQ(got_tl, timeline);
  };
  auto run_all = [&](const std::string& when) {
    compare({}, when + ": everything");
    compare({.start_ts = kT - 4 * kDay, .end_ts = kT - 1}, when + ": whole days");
    compare({.start_ts = kT - 4 * kDay + 5000, .end_ts = kT - kDay - 7000}, when + ": off days");
    compare({.start_ts = kT - 3 * kDay + 100, .end_ts = kT - 3 * kDay + 50000},
            when + ": in a day");
    compare({.start_ts = kT - 2 * kDay + 1}, when + ": open end");
    // Ranges that hold every later event read distinct actors from actor_spans (0010).
    compare({.start_ts = kT - 4 * kDay + 5000, .end_ts = kT + 100}, when + ": past the newest");
    compare({.start_ts = kT - 5 * kDay, .end_ts = kT}, when + ": from a midnight");
    compare({.end_ts = kT - 2 * kDay + 1}, when + ": open start");
    compare({.start_ts = kT - 5 * kDay,
             .end_ts = kT,
             .filter_ids = {"xss", "lfi"},
             .statuses = {EventStatus::kActive}},
            when + ": policies and status");
  };
  run_all("after writes");
  ASSERT_STATUS_OK(store->ApplyRetention(RetentionPolicy{.events_seconds = 3 * kDay + 3600}));
  run_all("after retention");
}

// Event totals and daily actor counts read whole days from actor_days (migration 0009),
// day_actors and actor_spans (0010) and the partial days at the ends of the range from events: the
// same answers as counting the events, for ranges on and off day boundaries, after status changes,
// a folded exploit and retention.
TEST_F(SqliteStoreTest, ActorDayCountsMatchTheEvents) {
  constexpr std::int64_t kDay = 86400;
  constexpr std::int64_t kT = 1'700'006'400;  // a UTC midnight
  FakeClock clock(kT * 1000);
  SqliteOptions o;
  o.clock = &clock;
  std::unique_ptr<Store> store = Open(o);
  ASSERT_NE(store, nullptr);
  ASSERT_STATUS_OK(store->Migrate());
  const char* filters[] = {"sqli", "xss", "lfi"};
  auto event = [&](int i) {
    Event e;
    e.id = "ev-" + std::to_string(1000 + i);
    e.ref_id = "ref-" + e.id;
    e.actor = "a" + std::to_string(i % 9);
    e.ip = e.actor;
    e.filter_id = filters[i % 3];
    e.category = "Injection";
    e.sub_category = e.filter_id;
    e.severity = static_cast<Severity>(1 + i % 4);
    e.successful_exploit = i % 5 == 0;
    e.url = "/u" + std::to_string(i % 11);
    e.endpoint_template = e.url;
    e.method = "GET";
    e.host = "h";
    e.detected_at = kT - 5 * kDay + i * 5903;  // spread over five days, off the hour
    return e;
  };
  WriteBatch b;
  for (int i = 0; i < 70; ++i) b.events.push_back(event(i));
  ASSERT_STATUS_OK(store->Write(b));
  EventStatusChange change;
  change.ids = {"ev-1003", "ev-1010", "ev-1040", "ev-1041", "ev-1050"};
  change.status = EventStatus::kUnderReview;
  change.suppress = false;
  ASSERT_STATUS_OK(store->UpdateEventStatus(change));
  change.ids = {"ev-1012", "ev-1013"};
  change.status = EventStatus::kIgnored;
  ASSERT_STATUS_OK(store->UpdateEventStatus(change));

  auto compare = [&](const DashboardQuery& q, const std::string& what) {
    SCOPED_TRACE(what);
    EventQuery eq;
    eq.filter.start_ts = q.start_ts;
    eq.filter.end_ts = q.end_ts;
    eq.filter.filter_ids = q.filter_ids;
    eq.filter.statuses = q.statuses;
    eq.limit = 1000;
    Result<EventPage> events = store->ListEvents(eq);
    ASSERT_STATUS_OK(events);
    std::int64_t n = 0;
    std::int64_t exploits = 0;
    std::set<std::string> actors;
    std::set<std::string> critical;
    std::map<std::string, std::pair<std::int64_t, std::set<std::string>>> by_status;
    std::map<std::int64_t, std::pair<std::set<std::string>, std::set<std::string>>> daily;
    std::set<std::string> endpoints;
    for (const Event& e : events->events) {
      ++n;
      if (e.successful_exploit) ++exploits;
      actors.insert(e.actor);
      endpoints.insert(e.endpoint_template);
      auto& st = by_status[std::string(EventStatusName(e.status))];
      ++st.first;
      st.second.insert(e.actor);
      auto& d = daily[e.detected_at / kDay * kDay];
      d.first.insert(e.actor);
      if (e.severity == Severity::kCritical) {
        critical.insert(e.actor);
        d.second.insert(e.actor);
      }
    }
    Result<EventTotals> totals = store->CountEventTotals(q);
    ASSERT_STATUS_OK(totals);
    EXPECT_EQ(totals->events, n);
    EXPECT_EQ(totals->successful_exploits, exploits);
    EXPECT_EQ(totals->actors, static_cast<std::int64_t>(actors.size()));
    EXPECT_EQ(totals->critical_actors, static_cast<std::int64_t>(critical.size()));
    ASSERT_EQ(totals->by_status.size(), 4u);
    for (const KeyCount& k : totals->by_status) {
      SCOPED_TRACE(k.key);
      auto it = by_status.find(k.key);
      EXPECT_EQ(k.count, it == by_status.end() ? 0 : it->second.first);
      EXPECT_EQ(k.actors,
                it == by_status.end() ? 0 : static_cast<std::int64_t>(it->second.second.size()));
    }
    Result<std::vector<DailyActors>> days = store->DailyActorCounts(q);
    ASSERT_STATUS_OK(days);
    std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>> want;
    for (const auto& [day, sets] : daily) {
      want.emplace_back(day, static_cast<std::int64_t>(sets.first.size()),
                        static_cast<std::int64_t>(sets.second.size()));
    }
    std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>> got;
    for (const DailyActors& d : *days) got.emplace_back(d.day, d.total, d.critical);
    EXPECT_EQ(got, want);
    // The summary's count of APIs under threat (limit 0, a time range only).
    if (q.filter_ids.empty() && q.statuses.empty()) {
      ThreatApiQuery aq;
      aq.start_ts = q.start_ts;
      aq.end_ts = q.end_ts;
      aq.limit = 0;
      Result<ThreatApiPage> apis = store->ListThreatApis(aq);
      ASSERT_STATUS_OK(apis);
      EXPECT_EQ(apis->total, static_cast<std::int64_t>(endpoints.size()));
      EXPECT_TRUE(apis->apis.empty());
    }
  };
  auto run_all = [&](const std::string& when) {
    compare({}, when + ": everything");
    compare({.start_ts = kT - 4 * kDay, .end_ts = kT - 1}, when + ": whole days");
    compare({.start_ts = kT - 4 * kDay + 5000, .end_ts = kT - kDay - 7000}, when + ": off days");
    compare({.start_ts = kT - 3 * kDay + 100, .end_ts = kT - 3 * kDay + 50000},
            when + ": in a day");
    compare({.start_ts = kT - 3 * kDay + 100, .end_ts = kT - 2 * kDay + 50000},
            when + ": across midnight");
    compare({.start_ts = kT - 2 * kDay + 1}, when + ": open end");
    compare({.end_ts = kT - 2 * kDay + 1}, when + ": open start");
    compare({.start_ts = kT, .end_ts = kT - kDay}, when + ": empty");
    compare({.start_ts = kT - 5 * kDay + 3000,
             .end_ts = kT,
             .statuses = {EventStatus::kActive, EventStatus::kIgnored}},
            when + ": statuses");
    compare({.start_ts = kT - 5 * kDay,
             .end_ts = kT,
             .filter_ids = {"xss", "lfi"},
             .statuses = {EventStatus::kUnderReview}},
            when + ": policies and status");
  };
  run_all("after writes");
  // A repeat folded into an event marks it a successful exploit.
  WriteBatch again;
  again.folds.push_back(EventFold{.event_id = "ev-1001",
                                  .count = 2,
                                  .last_detected_at = event(1).detected_at + 60,
                                  .successful_exploit = true});
  again.folds.push_back(EventFold{.event_id = "ev-1002",
                                  .count = 1,
                                  .last_detected_at = event(2).detected_at + 60,
                                  .successful_exploit = false});
  ASSERT_STATUS_OK(store->Write(again));
  run_all("after a folded exploit");
  change.ids = {"ev-1003", "ev-1012"};
  change.status = EventStatus::kActive;
  ASSERT_STATUS_OK(store->UpdateEventStatus(change));
  run_all("after a status change back");
  ASSERT_STATUS_OK(store->ApplyRetention(RetentionPolicy{.events_seconds = 3 * kDay + 3600}));
  run_all("after retention");
}

TEST_F(SqliteStoreTest, QueryPlansUseIndexes) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_STATUS_OK(store->Migrate());
  RawDb raw(DbPath());

  std::string range =
      Plan(raw, sqlite::EventPageSql(EventQuery{.filter = {.start_ts = 1, .end_ts = 2}}));
  EXPECT_THAT(range, HasSubstr("INDEX events_detected_at (detected_at>? AND detected_at<?)"))
      << range;
  EXPECT_THAT(range, ::testing::Not(HasSubstr("TEMP B-TREE FOR ORDER BY"))) << range;

  std::string by_actor = Plan(raw, sqlite::EventPageSql(EventQuery{.filter = {.actors = {"a"}}}));
  EXPECT_THAT(by_actor, HasSubstr("INDEX events_actor (actor=?)")) << by_actor;

  std::string actors = Plan(raw, sqlite::ActorPageSql(ActorQuery{}));
  EXPECT_THAT(actors, HasSubstr("INDEX actors_first_seen")) << actors;
  EXPECT_THAT(actors, HasSubstr("INDEX events_actor (actor=?)")) << actors;
}

}  // namespace
}  // namespace warden
