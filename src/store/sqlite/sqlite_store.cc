#include "store/sqlite/sqlite_store.h"

#include <condition_variable>
#include <mutex>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "store/migrations/migration.h"
#include "store/sqlite/akto_compat.h"
#include "store/sqlite/api_state.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/dashboards.h"
#include "store/sqlite/functions.h"
#include "store/sqlite/keys.h"
#include "store/sqlite/migrate.h"
#include "store/sqlite/reads.h"
#include "store/sqlite/state.h"
#include "store/sqlite/writes.h"

namespace warden {
namespace {

using sqlite::Connection;
using sqlite::Transaction;

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<sqlite::FunctionContext> functions,
              std::unique_ptr<Connection> writer, std::vector<std::unique_ptr<Connection>> readers)
      : functions_(std::move(functions)),
        clock_(functions_->clock),
        writer_(std::move(writer)),
        idle_readers_(std::move(readers)) {}

  Status Migrate() override {
    std::lock_guard<std::mutex> lock(write_mu_);
    return sqlite::ApplyMigrations(*writer_, SqliteMigrations(), clock_->NowSeconds());
  }

  Status Write(const WriteBatch& batch) override {
    if (batch.empty()) return Status::Ok();
    std::lock_guard<std::mutex> lock(write_mu_);
    Result<Transaction> txn =
        Transaction::Begin(*writer_, Transaction::Mode::kImmediate, "write batch");
    if (!txn.ok()) return txn.status();
    // On any error `txn` rolls back when it goes out of scope: nothing of the batch remains.
    sqlite::WriteContext context{.scoring = &functions_->scoring, .now = clock_->NowSeconds()};
    WARDEN_RETURN_IF_ERROR(
        sqlite::ApplyWriteBatch(*writer_, batch, context).WithContext("write batch"));
    return txn->Commit();
  }

  Result<EventStatusResult> UpdateEventStatus(const EventStatusChange& change) override {
    return InWriteTransaction("update event status", [&](Connection& c) {
      return sqlite::UpdateEventStatus(c, change, clock_->NowSeconds());
    });
  }

  Result<std::vector<Suppression>> ListSuppressions(bool include_expired) override {
    return WithReader([&](Connection& c) {
      return sqlite::ReadSuppressions(c, include_expired, clock_->NowSeconds());
    });
  }

  Status DeleteSuppression(const std::string& id) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    return sqlite::RemoveSuppression(*writer_, id);
  }

  Result<std::vector<SampleRecord>> ListEventSamples(const std::string& event_id) override {
    return WithReader([&](Connection& c) { return sqlite::ReadEventSamples(c, event_id); });
  }

  Result<EventStatusResult> TriageEvents(const EventTriage& triage) override {
    return InWriteTransaction("triage events", [&](Connection& c) {
      return sqlite::TriageEvents(c, triage, clock_->NowSeconds());
    });
  }

  Result<std::vector<EventTicket>> ListEventTickets(
      const std::vector<std::string>& event_ids) override {
    return WithReader([&](Connection& c) { return sqlite::ReadEventTickets(c, event_ids); });
  }

  Result<std::vector<Event>> ListEventsByRef(const std::string& ref_id) override {
    return WithReader([&](Connection& c) { return sqlite::ReadEventsByRef(c, ref_id); });
  }

  Result<ActorDetail> GetActor(const std::string& id) override {
    return WithReader([&](Connection& c) { return sqlite::ReadActorDetail(c, id); });
  }

  Result<std::int64_t> SetActorStatus(const ActorStatusChange& change) override {
    return InWriteTransaction("set actor status", [&](Connection& c) {
      return sqlite::ApplyActorStatus(c, change, clock_->NowSeconds());
    });
  }

  Result<std::vector<ActorStatusLogEntry>> ListActorStatusLog(const std::string& actor,
                                                              std::int64_t limit) override {
    return WithReader([&](Connection& c) { return sqlite::ReadStatusLog(c, actor, limit); });
  }

  Result<std::int64_t> ExpireActorStatuses() override {
    return InWriteTransaction("expire actor statuses", [&](Connection& c) {
      return sqlite::ExpireStatuses(c, clock_->NowSeconds());
    });
  }

  Result<std::vector<ScoreLedgerRow>> ListScoreLedger(const std::string& actor,
                                                      std::int64_t limit) override {
    return WithReader([&](Connection& c) { return sqlite::ReadLedger(c, actor, limit); });
  }

  Result<BlockDecision> CheckBlocked(const BlockQuery& query) override {
    return WithReader(
        [&](Connection& c) { return sqlite::ReadBlockDecision(c, query, clock_->NowSeconds()); });
  }

  Result<std::vector<WindowRow>> LoadWindows() override {
    return WithReader([](Connection& c) { return sqlite::ReadWindows(c); });
  }

  Result<std::vector<ThreatRuleStat>> TopThreatRules(const DashboardQuery& q) override {
    return WithReader([&](Connection& c) { return sqlite::ReadTopThreatRules(c, q); });
  }

  Result<std::vector<KeyCount>> TopThreatTypes(ThreatTypeScheme scheme,
                                               const DashboardQuery& q) override {
    return WithReader([&](Connection& c) { return sqlite::ReadTopThreatTypes(c, scheme, q); });
  }

  Result<std::vector<KeyCount>> CountEventsBySeverity(const DashboardQuery& q) override {
    return WithReader([&](Connection& c) { return sqlite::ReadSeverityCounts(c, q); });
  }

  Result<std::vector<CategoryCount>> CountEventsByCategory(const DashboardQuery& q) override {
    return WithReader([&](Connection& c) { return sqlite::ReadCategoryCounts(c, q); });
  }

  Result<std::vector<TimelineDay>> ActivityTimeline(const DashboardQuery& q) override {
    return WithReader([&](Connection& c) { return sqlite::ReadActivityTimeline(c, q); });
  }

  Result<std::vector<DailyActors>> DailyActorCounts(const DashboardQuery& q) override {
    return WithReader([&](Connection& c) { return sqlite::ReadDailyActors(c, q); });
  }

  Result<std::vector<KeyCount>> ActorsPerCountry(const DashboardQuery& q) override {
    return WithReader([&](Connection& c) { return sqlite::ReadActorsPerCountry(c, q); });
  }

  Result<NewVsExistingActors> CountNewVsExistingActors(const DashboardQuery& q) override {
    return WithReader(
        [&](Connection& c) { return sqlite::ReadNewVsExisting(c, q, clock_->NowSeconds()); });
  }

  Result<std::vector<KeyCount>> ActorsByThreatLevel() override {
    return WithReader([&](Connection& c) {
      return sqlite::ReadActorsByThreatLevel(c, functions_->scoring, clock_->NowSeconds());
    });
  }

  Result<std::vector<IntervalCount>> EndpointCallCounts(const EndpointKey& endpoint) override {
    return WithReader([&](Connection& c) {
      return sqlite::ReadEndpointCallCounts(c, endpoint, clock_->NowSeconds());
    });
  }

  Result<std::vector<CallBucket>> CallerDistribution(const EndpointKey* endpoint,
                                                     const DashboardQuery& q) override {
    return WithReader(
        [&](Connection& c) { return sqlite::ReadCallerDistribution(c, endpoint, q); });
  }

  Result<EventFilterValues> ListEventFilterValues(const DashboardQuery& q,
                                                  FilterValueLists lists) override {
    return WithReader([&](Connection& c) { return sqlite::ReadEventFilterValues(c, q, lists); });
  }

  Result<EventTotals> CountEventTotals(const DashboardQuery& q) override {
    return WithReader([&](Connection& c) { return sqlite::ReadEventTotals(c, q); });
  }

  Result<RetentionResult> ApplyRetention(const RetentionPolicy& policy) override {
    return InWriteTransaction("apply retention", [&](Connection& c) {
      return sqlite::DeleteExpired(c, policy, clock_->NowSeconds());
    });
  }

  Status RecordPolicyChange(const std::string& policy_id, const std::string& by) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    return sqlite::UpsertPolicyAuthorship(*writer_, policy_id, by, clock_->NowSeconds());
  }

  Status ForgetPolicyAuthorship(const std::string& policy_id) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    return sqlite::DeletePolicyAuthorship(*writer_, policy_id);
  }

  Result<std::vector<PolicyAuthorship>> ListPolicyAuthorship() override {
    return WithReader([](Connection& c) { return sqlite::ReadPolicyAuthorship(c); });
  }

  Result<EventPage> ListEvents(const EventQuery& query) override {
    return WithReader([&](Connection& c) { return sqlite::ReadEvents(c, query); });
  }

  Result<Event> GetEvent(const std::string& id) override {
    return WithReader([&](Connection& c) { return sqlite::ReadEvent(c, id); });
  }

  Result<ActorPage> ListActors(const ActorQuery& query) override {
    return WithReader([&](Connection& c) { return sqlite::ReadActors(c, query); });
  }

  Result<ThreatApiPage> ListThreatApis(const ThreatApiQuery& query) override {
    return WithReader([&](Connection& c) { return sqlite::ReadThreatApis(c, query); });
  }

  Result<std::vector<Endpoint>> ListEndpoints(std::int64_t limit) override {
    return WithReader([&](Connection& c) { return sqlite::ReadEndpoints(c, limit); });
  }

  Status CreateApiKey(const ApiKey& key) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    return sqlite::InsertApiKey(*writer_, key);
  }

  Result<std::vector<ApiKey>> ListApiKeys() override {
    return WithReader([](Connection& c) { return sqlite::ReadApiKeys(c); });
  }

  Status TouchApiKey(const std::string& id, std::int64_t used_at) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    return sqlite::UpdateApiKeyLastUsed(*writer_, id, used_at);
  }

  // ---- /api/v1 additions (api_state.h) ----

  Result<EndpointPage> QueryEndpoints(const EndpointQuery& query) override {
    return WithReader([&](Connection& c) { return sqlite::ReadEndpointPage(c, query); });
  }

  Result<Endpoint> GetEndpoint(const EndpointKey& key) override {
    return WithReader([&](Connection& c) { return sqlite::ReadEndpoint(c, key); });
  }

  Result<Suppression> CreateSuppression(const Suppression& rule) override {
    return InWriteTransaction("create suppression", [&](Connection& c) {
      return sqlite::InsertSuppression(c, rule, clock_->NowSeconds());
    });
  }

  Result<std::vector<TimeCount>> CountEventsOverTime(const EventFilter& filter,
                                                     std::int64_t bucket_seconds) override {
    return WithReader(
        [&](Connection& c) { return sqlite::ReadEventsOverTime(c, filter, bucket_seconds); });
  }

  Result<std::vector<ScoreLedgerRow>> ListScoreLedgerForEvents(
      const std::vector<std::string>& event_ids) override {
    return WithReader([&](Connection& c) { return sqlite::ReadLedgerForEvents(c, event_ids); });
  }

  Result<ActorEventBreakdown> SummarizeActorEvents(const std::string& actor,
                                                   const DashboardQuery& q) override {
    return WithReader([&](Connection& c) { return sqlite::ReadActorBreakdown(c, actor, q); });
  }

  Result<std::vector<CallPoint>> EndpointCallSeries(const EndpointKey& endpoint,
                                                    const CallSeriesQuery& q) override {
    return WithReader([&](Connection& c) { return sqlite::ReadCallSeries(c, endpoint, q); });
  }

  Result<std::vector<KeyCount>> TopCallers(const EndpointKey* endpoint,
                                           const DashboardQuery& q) override {
    return WithReader([&](Connection& c) { return sqlite::ReadTopCallers(c, endpoint, q); });
  }

  Result<std::vector<TimeCount>> CountNewActorsPerDay(const DashboardQuery& q) override {
    return WithReader([&](Connection& c) { return sqlite::ReadNewActorsPerDay(c, q); });
  }

  Status RevokeApiKey(const std::string& id) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    return sqlite::MarkApiKeyRevoked(*writer_, id);
  }

  Result<std::map<std::string, std::string>> GetSettings() override {
    return WithReader([](Connection& c) { return sqlite::ReadSettings(c); });
  }

  Status PutSettings(const std::map<std::string, std::string>& values) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    Result<Transaction> txn =
        Transaction::Begin(*writer_, Transaction::Mode::kImmediate, "write settings");
    if (!txn.ok()) return txn.status();
    WARDEN_RETURN_IF_ERROR(sqlite::WriteSettings(*writer_, values, clock_->NowSeconds()));
    return txn->Commit();
  }

  Status AppendAudit(const AuditEntry& entry) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    return sqlite::InsertAudit(*writer_, entry, clock_->NowSeconds());
  }

  Result<AuditPage> ListAudit(const AuditQuery& query) override {
    return WithReader([&](Connection& c) { return sqlite::ReadAudit(c, query); });
  }

 private:
  // Runs fn(Connection&) on the writer inside one immediate transaction; commits when fn
  // succeeds, rolls back otherwise.
  template <typename Fn>
  std::invoke_result_t<Fn&, Connection&> InWriteTransaction(std::string_view op, Fn&& fn) {
    std::lock_guard<std::mutex> lock(write_mu_);
    Result<Transaction> txn = Transaction::Begin(*writer_, Transaction::Mode::kImmediate, op);
    if (!txn.ok()) return txn.status();
    auto result = fn(*writer_);
    if (!result.ok()) return result;
    Status st = txn->Commit();
    if (!st.ok()) return st;
    return result;
  }

  // Runs fn(Connection&) on a borrowed reader, waiting while all are busy.
  template <typename Fn>
  std::invoke_result_t<Fn&, Connection&> WithReader(Fn&& fn) {
    std::unique_ptr<Connection> conn;
    {
      std::unique_lock<std::mutex> lock(readers_mu_);
      reader_free_.wait(lock, [this] { return !idle_readers_.empty(); });
      conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
    auto result = fn(*conn);
    {
      std::lock_guard<std::mutex> lock(readers_mu_);
      idle_readers_.push_back(std::move(conn));
    }
    reader_free_.notify_one();
    return result;
  }

  // Read by the SQL functions of every connection: declared first, so destroyed last.
  const std::unique_ptr<sqlite::FunctionContext> functions_;
  const Clock* const clock_;

  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;  // guarded by write_mu_

  std::mutex readers_mu_;
  std::condition_variable reader_free_;  // signalled when a reader returns to idle_readers_
  // Guarded by readers_mu_. A borrowed connection is owned by the borrowing call meanwhile.
  std::vector<std::unique_ptr<Connection>> idle_readers_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  if (options.path.empty()) {
    return Status::InvalidArgument("open sqlite store: empty path", "path");
  }
  if (options.read_connections < 1) {
    return Status::InvalidArgument("open sqlite store: read_connections < 1", "read_connections");
  }
  sqlite::ConnectionOptions conn_options{
      .path = options.path,
      .read_only = false,
      .busy_timeout_ms = options.busy_timeout_ms,
      .statement_cache_size = options.statement_cache_size,
      .cache_kib = options.cache_kib,
      .mmap_bytes = options.mmap_bytes,
  };
  WARDEN_RETURN_IF_ERROR(options.scoring.Validate());
  auto functions = std::make_unique<sqlite::FunctionContext>();
  functions->clock = options.clock != nullptr ? options.clock : &SystemClock::Instance();
  functions->scoring = options.scoring;

  // The writer first: it creates the file and switches it to WAL, which readers rely on.
  Result<std::unique_ptr<Connection>> writer = Connection::Open(conn_options);
  if (!writer.ok()) return writer.status();
  WARDEN_RETURN_IF_ERROR(sqlite::RegisterFunctions(**writer, functions.get()));

  conn_options.read_only = true;
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.read_connections; ++i) {
    Result<std::unique_ptr<Connection>> reader = Connection::Open(conn_options);
    if (!reader.ok()) return reader.status();
    WARDEN_RETURN_IF_ERROR(sqlite::RegisterFunctions(**reader, functions.get()));
    readers.push_back(std::move(reader).value());
  }
  return std::unique_ptr<Store>(
      new SqliteStore(std::move(functions), std::move(writer).value(), std::move(readers)));
}

}  // namespace warden
