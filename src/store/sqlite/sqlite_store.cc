#include "store/sqlite/sqlite_store.h"

#include <condition_variable>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

#include "store/migrations/migration.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/keys.h"
#include "store/sqlite/migrate.h"
#include "store/sqlite/reads.h"
#include "store/sqlite/writes.h"

namespace warden {
namespace {

using sqlite::Connection;
using sqlite::Transaction;

class SqliteStore final : public Store {
 public:
  SqliteStore(const Clock* clock, std::unique_ptr<Connection> writer,
              std::vector<std::unique_ptr<Connection>> readers)
      : clock_(clock), writer_(std::move(writer)), idle_readers_(std::move(readers)) {}

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
    WARDEN_RETURN_IF_ERROR(sqlite::ApplyWriteBatch(*writer_, batch).WithContext("write batch"));
    return txn->Commit();
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

 private:
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
  };
  // The writer first: it creates the file and switches it to WAL, which readers rely on.
  Result<std::unique_ptr<Connection>> writer = Connection::Open(conn_options);
  if (!writer.ok()) return writer.status();

  conn_options.read_only = true;
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.read_connections; ++i) {
    Result<std::unique_ptr<Connection>> reader = Connection::Open(conn_options);
    if (!reader.ok()) return reader.status();
    readers.push_back(std::move(reader).value());
  }
  const Clock* clock = options.clock != nullptr ? options.clock : &SystemClock::Instance();
  return std::unique_ptr<Store>(
      new SqliteStore(clock, std::move(writer).value(), std::move(readers)));
}

}  // namespace warden
